/**
 * Jobs over REST (seeds 001 and 004): submit with an idempotency key (header or body field) and a cost
 * estimate, claim by workers with a lease, complete, fail → retry with backoff → failed for good, expired
 * leases handed back to the queue, per-org isolation, stats, and the `job.*` events of each transition.
 * The acceptance load (1,000 jobs, 20 concurrent workers) is in jobs-load.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logOf } from '../events/helpers.ts';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let submitter: string;
let worker: string;
let other: TestUser;
let otherWorker: string;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off', TRELLIS_JOB_LEASE_CHECK_SECONDS: '1' });
  user = await platform.signup('Jobs Org');
  submitter = (await platform.apiKey(user, ['compute:write'])).key;
  worker = (await platform.apiKey(user, ['jobs:work'])).key;
  other = await platform.signup('Other Jobs Org');
  otherWorker = (await platform.apiKey(other, ['jobs:work'])).key;
}, 60_000);
afterAll(closeAll);

const data = (r: { body: unknown }) => (r.body as { data: Json }).data;
const errorOf = (r: { body: unknown }) => (r.body as { error: { code: string; field?: string } }).error;

async function submit(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return platform.rest('POST', '/v1/jobs', { token: submitter, body, headers });
}

async function claim(queue: string, token = worker, workerId = 'w-1') {
  const r = await platform.rest('POST', '/v1/jobs/claim', {
    token,
    body: { worker_id: workerId, queue_name: queue, batch_size: 1 },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return data(r) as Json[];
}

describe('submit', () => {
  it('queues a job with a cost estimate from the catalog and replays an idempotency_key', async () => {
    const body = {
      queue: 'render',
      type: 'render.frame',
      payload: { frame: 7 },
      gpuModelId: 'rtx-4090',
      gpuCount: 2,
      timeoutSeconds: 3600,
      maxAttempts: 1,
      idempotency_key: 'frame-7',
    };
    const first = await submit(body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const job = data(first);
    expect(job).toMatchObject({ status: 'queued', queue: 'render', type: 'render.frame', attempts: 0, gpuCount: 2 });
    const pricing = data(await platform.rest('GET', '/v1/pricing', { token: user.token }));
    const cents = pricing.gpus.find((g: Json) => g.gpuModelId === 'rtx-4090' && g.tier === 'community')
      .pricePerGpuHourCents as number;
    expect(job.costEstimateMicros).toBe(2 * cents * 10_000);

    const again = await submit(body);
    expect(again.status).toBe(200);
    expect(data(again).id).toBe(job.id);
    const conflict = await submit({ ...body, payload: { frame: 8 } });
    expect(conflict.status).toBe(409);
    expect(errorOf(conflict).code).toBe('idempotency_conflict');
  });

  it('replays an Idempotency-Key header at the edge (same body → same job, other body → 409)', async () => {
    const body = { queue: 'hdr', type: 't', payload: { n: 1 } };
    const first = await submit(body, { 'Idempotency-Key': 'hdr-1' });
    const second = await submit(body, { 'Idempotency-Key': 'hdr-1' });
    expect(first.status).toBe(201);
    expect(data(second).id).toBe(data(first).id);
    const conflict = await submit({ ...body, payload: { n: 2 } }, { 'Idempotency-Key': 'hdr-1' });
    expect(errorOf(conflict).code).toBe('idempotency_conflict');
  });

  it('refuses bad submissions with the field named', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ type: '' }, 'type'],
      [{ type: 't', queue: 'no spaces' }, 'queue'],
      [{ type: 't', maxAttempts: 0 }, 'maxAttempts'],
      [{ type: 't', timeoutSeconds: 100_000 }, 'timeoutSeconds'],
      [{ type: 't', gpuModelId: 'no-such-gpu' }, 'gpuModelId'],
      [{ type: 't', workflowId: 'nope' }, 'workflowId'],
    ];
    for (const [body, field] of cases) {
      const r = await submit(body);
      expect(r.status, JSON.stringify({ body, got: r.body })).toBe(422);
      expect(errorOf(r).field ?? '').toContain(field);
    }
  });
});

describe('admission', () => {
  it('refuses jobs bound to a paused or killed workflow (compute learns it from workflow.* events)', async () => {
    const created = await platform.graphql(
      'mutation($o: ID!) { createWorkflow(orgId: $o, input: { name: "jobs budget", budgetMicros: 1000000 }) { id } }',
      { o: user.orgId },
      { token: user.token },
    );
    const workflowId = created.body.data.createWorkflow.id as string;
    expect((await submit({ type: 't', workflowId })).status).toBe(201);
    await platform.graphql(
      'mutation($id: ID!) { pauseWorkflow(id: $id) { status } }',
      { id: workflowId },
      { token: user.token },
    );
    const refused = await eventually(async () => {
      const r = await submit({ type: 't', workflowId });
      return r.status === 403 ? r : undefined;
    });
    expect(errorOf(refused)).toMatchObject({ code: 'call_denied', field: 'workflowId' });
    expect((await submit({ type: 't' })).status).toBe(201);
  });
});

describe('workers', () => {
  it('claim → complete records the result, the cost and the events in order', async () => {
    const job = data(await submit({ queue: 'done', type: 'echo', payload: { x: 1 } }));
    expect(await claim('done', otherWorker)).toEqual([]); // another org's worker sees nothing
    const [claimed] = await claim('done');
    expect(claimed).toMatchObject({ id: job.id, status: 'running', attempts: 1, workerId: 'w-1' });
    expect(await claim('done')).toEqual([]);
    const done = await platform.rest('POST', `/v1/jobs/${job.id}/complete`, {
      token: worker,
      body: { result: { echoed: 1 } },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(data(done)).toMatchObject({ status: 'succeeded', result: { echoed: 1 } });
    const again = await platform.rest('POST', `/v1/jobs/${job.id}/complete`, { token: worker, body: {} });
    expect(again.status).toBe(409);
    const types = await eventually(async () => {
      const log = (await logOf(platform, user)).filter((e) => e.subject?.id === job.id).map((e) => e.type);
      return log.length === 3 ? log : undefined;
    });
    expect(types).toEqual(['job.submitted', 'job.claimed', 'job.succeeded']);
  });

  it('another org cannot see, complete or fail the job (404)', async () => {
    const job = data(await submit({ queue: 'iso', type: 't' }));
    await claim('iso');
    for (const path of [`/v1/jobs/${job.id}/complete`, `/v1/jobs/${job.id}/fail`]) {
      const r = await platform.rest('POST', path, { token: otherWorker, body: {} });
      expect(r.status).toBe(404);
    }
    expect((await platform.rest('GET', `/v1/jobs/${job.id}`, { token: other.token })).status).toBe(404);
    const mine = await platform.rest('GET', `/v1/jobs/${job.id}`, { token: user.token });
    expect(data(mine).status).toBe('running');
  });

  it('a worker key cannot submit, a submitter key cannot claim (403 insufficient_scope)', async () => {
    const r1 = await platform.rest('POST', '/v1/jobs', { token: worker, body: { type: 't' } });
    expect(errorOf(r1).code).toBe('insufficient_scope');
    const r2 = await platform.rest('POST', '/v1/jobs/claim', { token: submitter, body: { workerId: 'x' } });
    expect(errorOf(r2).code).toBe('insufficient_scope');
  });

  it('fail → retried until maxAttempts, then failed for good (dead-lettered)', async () => {
    const job = data(
      await submit({ queue: 'flaky', type: 't', maxAttempts: 2, retryDelaySeconds: 0, retryBackoff: false }),
    );
    await claim('flaky');
    const first = await platform.rest('POST', `/v1/jobs/${job.id}/fail`, {
      token: worker,
      body: { error: { message: 'boom' } },
    });
    expect(data(first)).toMatchObject({ status: 'queued', attempts: 1, error: { message: 'boom' } });
    const [second] = await eventually(async () => {
      const got = await claim('flaky');
      return got.length ? got : undefined;
    });
    expect(second).toMatchObject({ id: job.id, attempts: 2 });
    const last = await platform.rest('POST', `/v1/jobs/${job.id}/fail`, { token: worker, body: { error: 'again' } });
    expect(data(last)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(await claim('flaky')).toEqual([]);
    const types = await eventually(async () => {
      const log = (await logOf(platform, user)).filter((e) => e.subject?.id === job.id);
      return log.length === 5 ? log : undefined;
    });
    expect(types.map((e) => e.type)).toEqual([
      'job.submitted',
      'job.claimed',
      'job.retried',
      'job.claimed',
      'job.failed',
    ]);
    expect(types.at(-1)?.data).toMatchObject({ jobId: job.id, status: 'failed', deadLettered: true });
  });

  it('an expired lease hands the job back to the queue; the late worker is refused', async () => {
    const job = data(
      await submit({ queue: 'slow', type: 't', timeoutSeconds: 1, retryDelaySeconds: 0, retryBackoff: false }),
    );
    await claim('slow');
    const [again] = await eventually(async () => {
      const got = await claim('slow', worker, 'w-2');
      return got.length ? got : undefined;
    }, 20_000);
    expect(again).toMatchObject({ id: job.id, attempts: 2, workerId: 'w-2' });
    // Attempt 2 holds the lease now: the late first worker's completion is refused, the second's wins.
    const late = await platform.rest('POST', `/v1/jobs/${job.id}/complete`, {
      token: worker,
      body: { worker_id: 'w-1', result: 1 },
    });
    expect(late.status).toBe(409);
    const done = await platform.rest('POST', `/v1/jobs/${job.id}/complete`, {
      token: worker,
      body: { worker_id: 'w-2', result: 2 },
    });
    expect(data(done)).toMatchObject({ status: 'succeeded', attempts: 2, result: 2 });
    const log = await eventually(async () => {
      const found = (await logOf(platform, user)).filter((e) => e.subject?.id === job.id);
      return found.length === 5 ? found : undefined;
    });
    expect(log.map((e) => e.type)).toEqual([
      'job.submitted',
      'job.claimed',
      'job.retried',
      'job.claimed',
      'job.succeeded',
    ]);
    expect(log[2]?.data.reason).toBe('lease_expired');
  });

  it('stats count by status per queue', async () => {
    const stats = data(await platform.rest('GET', '/v1/jobs/stats', { token: submitter }));
    const done = stats.queues.find((q: Json) => q.queue === 'done');
    expect(done).toMatchObject({ succeeded: 1, queued: 0, running: 0 });
    expect(stats.failed).toBeGreaterThanOrEqual(1);
    const list = data(await platform.rest('GET', '/v1/jobs?queue=flaky&status=failed', { token: submitter }));
    expect(list.items).toHaveLength(1);
  });
});
