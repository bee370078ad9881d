/**
 * Acceptance (issue #11): 1,000 jobs claimed by 20 concurrent workers over REST — each job completed
 * exactly once; expired leases re-delivered (some workers "crash" holding a job: it comes back and another
 * worker completes it); retried submissions with one idempotency key create one job.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let submitter: string;
let workerKey: string;

beforeAll(async () => {
  platform = await startTestPlatform({
    TRELLIS_LOCAL_NODE: 'off',
    TRELLIS_JOB_LEASE_CHECK_SECONDS: '1',
    // ~5,000 requests with two keys within a minute or two.
    TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE: '100000',
  });
  user = await platform.signup('Load Org');
  submitter = (await platform.apiKey(user, ['compute:write'])).key;
  workerKey = (await platform.apiKey(user, ['jobs:work'])).key;
}, 60_000);
afterAll(closeAll);

const JOBS = 1_000;
const WORKERS = 20;
/** Jobs whose first holder "crashes" (never answers): their 2-second lease must hand them to another worker. */
const CRASHED = 10;

/**
 * One request as a worker makes it: a 503 or 429 (the machine is saturated: credentials could not be
 * checked in time) is retried after a pause, as its `Retry-After` asks.
 */
async function call(method: string, path: string, body?: unknown, token = method === 'GET' ? submitter : workerKey) {
  for (let attempt = 0; ; attempt++) {
    const r = await platform.rest(method, path, { token, body });
    if ((r.status !== 503 && r.status !== 429) || attempt >= 20) return r;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** How many events of `type` org's log holds. */
async function countEvents(type: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const r: { body: Json } = await platform.graphql(
      'query($o: ID!, $t: [String!], $c: String) { events(orgId: $o, filter: { types: $t }, limit: 200, cursor: $c) { items { id } nextCursor } }',
      { o: user.orgId, t: [type], c: cursor },
      { token: user.token },
    );
    expect(r.body.errors).toBeUndefined();
    count += r.body.data.events.items.length;
    cursor = r.body.data.events.nextCursor;
  } while (cursor);
  return count;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

it('1,000 jobs, 20 concurrent workers: each completed exactly once, expired leases re-delivered, one job per key', async () => {
  // Submit: every tenth key is sent twice, concurrently (a client retrying a request it thinks was lost).
  const ids = new Map<string, Set<string>>();
  const keys = Array.from({ length: JOBS }, (_, i) => `load-${i}`);
  await pool(keys, 16, async (key) => {
    const i = Number(key.slice(5));
    const body = {
      queue: 'load',
      type: 'square',
      payload: { n: i },
      idempotency_key: key,
      timeoutSeconds: i < CRASHED ? 2 : 300,
      maxAttempts: 10,
      retryDelaySeconds: 0,
      retryBackoff: false,
    };
    const sends = i % 10 === 0 ? 2 : 1;
    const answers = await Promise.all(Array.from({ length: sends }, () => call('POST', '/v1/jobs', body, submitter)));
    for (const r of answers) {
      expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
      const set = ids.get(key) ?? new Set();
      set.add((r.body as Json).data.id);
      ids.set(key, set);
    }
  });
  for (const [key, set] of ids) expect(set.size, key).toBe(1);
  const jobIds = new Set([...ids.values()].map((s) => [...s][0] as string));
  expect(jobIds.size).toBe(JOBS);

  // Work: 20 workers claim and complete until every job is done; the jobs with a 2 s lease are dropped
  // by the first worker that gets them.
  const completions = new Map<string, number>();
  const dropped = new Set<string>();
  const redelivered = new Set<string>();
  const deadline = Date.now() + 120_000;
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      const workerId = `worker-${w}`;
      while ([...completions.values()].length < JOBS && Date.now() < deadline) {
        const claimed = await call('POST', '/v1/jobs/claim', {
          worker_id: workerId,
          queue_name: 'load',
          batch_size: 1,
        });
        expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
        const [job] = (claimed.body as Json).data as Json[];
        if (!job) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        if (job.payload.n < CRASHED && !dropped.has(job.id)) {
          dropped.add(job.id); // this worker "crashes": no complete, no fail
          continue;
        }
        if (dropped.has(job.id)) redelivered.add(job.id);
        const done = await call('POST', `/v1/jobs/${job.id}/complete`, {
          worker_id: workerId,
          result: { square: job.payload.n ** 2 },
        });
        if (done.status === 409) {
          // Either its short lease lapsed again (someone else has it now), or an earlier try of this very
          // call went through before a 503 reached us: the job says which.
          const now = (await call('GET', `/v1/jobs/${job.id}`)).body as Json;
          if (!(now.data.status === 'succeeded' && now.data.workerId === workerId)) {
            expect(job.payload.n, JSON.stringify(done.body)).toBeLessThan(CRASHED);
            continue;
          }
        } else expect(done.status, JSON.stringify(done.body)).toBe(200);
        completions.set(job.id, (completions.get(job.id) ?? 0) + 1);
      }
    }),
  );
  expect(completions.size).toBe(JOBS);
  expect([...completions.values()].every((n) => n === 1)).toBe(true);
  expect(redelivered.size).toBe(CRASHED);

  const stats = (await platform.rest('GET', '/v1/jobs/stats', { token: submitter })).body as Json;
  const load = stats.data.queues.find((q: Json) => q.queue === 'load');
  expect(load).toMatchObject({ queued: 0, running: 0, succeeded: JOBS, failed: 0 });
  // The event log agrees (once the outbox relayed it): one job.succeeded per job.
  await eventually(async () => (await countEvents('job.succeeded')) === JOBS, 60_000);
  // At least one retry per crash (a redelivered job's short lease may lapse again on a slow machine).
  expect(await countEvents('job.retried')).toBeGreaterThanOrEqual(CRASHED);
}, 240_000);
