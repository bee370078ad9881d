/**
 * Issue #11 item 7, "jobs reference secrets by name and receive them only at execution" (docs/jobs.md#secrets):
 * a job names vault secrets (`secrets`); the names are stored and shown, the values are opened from the vault
 * in a claim's transaction (each opening audited as `credential.accessed`) and reach only the claiming worker —
 * a REST worker's claim answer, and a pool runner's command as environment variables. The value is in no table
 * of any schema, no read or list answer, no event and no log line. Unknown, malformed or another
 * organization's names are a 422 naming `secrets[i]`; a secret deleted after submit fails the job at claim.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretEnv } from '../../subgraphs/compute/agent/runner-workload.ts';
import { type LoggedEvent, logOf } from '../events/helpers.ts';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { tablesContaining } from '../secret-scan.ts';

const SECRET = 'job-secret-5c1e9a7f3b2d4e60-do-not-leak';
const GITHUB = 'gh-token-8d2f6b4a1c9e7350-do-not-leak';
const OTHER_ORG_SECRET = 'other-org-value-93ab51';
const logText: string[] = [];

let platform: TestPlatform;
let user: TestUser;
let other: TestUser;
let submitter: string;
let worker: string;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logText.push(String(chunk));
      done();
    },
  });
  platform = await startTestPlatform(
    { TRELLIS_LOCAL_NODE: 'rtx-4090:1', TRELLIS_COMPUTE_WORKER_INTERVAL_MS: '500' },
    { logger: pino({ level: 'trace' }, sink) },
  );
  user = await platform.signup('Job Secrets Org');
  other = await platform.signup('Job Secrets Other Org');
  submitter = (await platform.apiKey(user, ['compute:write', 'compute:read'])).key;
  worker = (await platform.apiKey(user, ['jobs:work'])).key;
  await store(user, 'DEPLOY_TOKEN', SECRET);
  await store(user, 'github.token', GITHUB);
  await store(other, 'OTHER_ONLY', OTHER_ORG_SECRET);
}, 60_000);
afterAll(closeAll);

async function store(owner: TestUser, key: string, value: string) {
  const r = await platform.rest('POST', `/v1/orgs/${owner.orgId}/credentials`, {
    token: owner.token,
    body: { key, value },
  });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
}

const data = (r: { body: unknown }) => (r.body as { data: Json }).data;
const errorOf = (r: { body: unknown }) =>
  (r.body as { error: { code: string; field?: string; message: string } }).error;
const submit = (body: Record<string, unknown>) => platform.rest('POST', '/v1/jobs', { token: submitter, body });

async function claim(queue: string): Promise<Json[]> {
  const r = await platform.rest('POST', '/v1/jobs/claim', {
    token: worker,
    body: { workerId: 'w-secrets', queue, batchSize: 10 },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return data(r) as Json[];
}

const accessesOf = async (jobId: string): Promise<LoggedEvent[]> =>
  (await logOf(platform, user)).filter((e) => e.type === 'credential.accessed' && e.data.subjectId === jobId);

describe('jobs name vault secrets and receive them at claim', () => {
  it('stores names only, hands the values to the claiming worker, and audits every opening', async () => {
    const submitted = await submit({
      queue: 'deploys',
      type: 'deploy',
      payload: { ref: 'v1' },
      secrets: ['DEPLOY_TOKEN', 'github.token'],
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const job = data(submitted);
    expect(job.secretNames).toEqual(['DEPLOY_TOKEN', 'github.token']);
    expect(job.secrets).toBeNull();

    const [claimed, ...more] = await claim('deploys');
    expect(more).toEqual([]);
    expect(claimed?.id).toBe(job.id);
    expect(claimed?.secrets).toEqual({ DEPLOY_TOKEN: SECRET, 'github.token': GITHUB });

    // Read and list answers name the secrets and never carry a value.
    const read = await platform.rest('GET', `/v1/jobs/${job.id}`, { token: submitter });
    expect(read.status).toBe(200);
    expect(data(read)).toMatchObject({ status: 'running', secretNames: ['DEPLOY_TOKEN', 'github.token'] });
    expect(data(read).secrets).toBeNull();
    const listed = await platform.rest('GET', '/v1/jobs?queue=deploys', { token: submitter });
    expect(JSON.stringify(listed.body)).toContain(String(job.id));
    for (const answer of [read, listed]) {
      expect(JSON.stringify(answer.body)).not.toContain(SECRET);
      expect(JSON.stringify(answer.body)).not.toContain(GITHUB);
    }

    const accessed = await eventually(async () => {
      const found = await accessesOf(String(job.id));
      return found.length === 2 ? found : undefined;
    });
    expect(accessed.map((e) => e.data).sort((a, b) => String(a.key).localeCompare(String(b.key)))).toEqual([
      { key: 'DEPLOY_TOKEN', purpose: 'job', subjectType: 'job', subjectId: job.id },
      { key: 'github.token', purpose: 'job', subjectType: 'job', subjectId: job.id },
    ]);
    // The worker's API key claimed it: the audit names that caller.
    expect(accessed[0]?.actor?.type).toBe('api_key');

    // Every claim is a delivery: a retried attempt opens (and audits) the secrets again.
    const failed = await platform.rest('POST', `/v1/jobs/${job.id}/fail`, {
      token: worker,
      body: { error: { message: 'try again' } },
    });
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    const again = await eventually(async () => {
      const [j] = await claim('deploys');
      return j;
    });
    expect(again.secrets).toEqual({ DEPLOY_TOKEN: SECRET, 'github.token': GITHUB });
    await eventually(async () => ((await accessesOf(String(job.id))).length === 4 ? true : undefined));
    const done = await platform.rest('POST', `/v1/jobs/${job.id}/complete`, { token: worker, body: { result: {} } });
    expect(done.status).toBe(200);
    expect(data(done).secrets).toBeNull();
  });

  it('makes the names part of an idempotent submission', async () => {
    const body = { queue: 'idem', type: 't', idempotency_key: 'with-secret', secrets: ['DEPLOY_TOKEN'] };
    const first = await submit(body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const replay = await submit(body);
    expect(replay.status).toBe(200);
    expect(data(replay).id).toBe(data(first).id);
    const otherNames = await submit({ ...body, secrets: ['github.token'] });
    expect(otherNames.status).toBe(409);
    expect(errorOf(otherNames).code).toBe('idempotency_conflict');
    const none = await submit({ ...body, secrets: undefined });
    expect(none.status).toBe(409);
  });

  it('refuses unknown, malformed, repeated, too many and other organizations’ names with a 422 naming secrets[i]', async () => {
    const cases: [unknown, string, string][] = [
      [['DEPLOY_TOKEN', 'NOPE'], 'secrets[1]', 'unknown secret "NOPE"'],
      // Another organization's secret is not in this organization's vault.
      [['OTHER_ONLY'], 'secrets[0]', 'unknown secret "OTHER_ONLY"'],
      [['1bad'], 'secrets[0]', 'secrets[0] is 1–128'],
      [['DEPLOY_TOKEN', 'DEPLOY_TOKEN'], 'secrets[1]', 'twice'],
      [Array.from({ length: 21 }, (_, i) => `S${i}`), 'secrets', 'at most 20'],
    ];
    for (const [secrets, field, message] of cases) {
      const r = await submit({ queue: 'refused', type: 't', secrets });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(errorOf(r).field).toBe(field);
      expect(errorOf(r).message).toContain(message);
    }
    expect(await claim('refused')).toEqual([]);
  });

  it('fails a job at claim, for good, when a secret it names was deleted after submit', async () => {
    await store(user, 'SHORT_LIVED', 'short-lived-value');
    const submitted = await submit({ queue: 'gone', type: 't', maxAttempts: 5, secrets: ['SHORT_LIVED'] });
    expect(submitted.status).toBe(201);
    const deleted = await platform.rest('DELETE', `/v1/orgs/${user.orgId}/credentials/SHORT_LIVED`, {
      token: user.token,
    });
    expect(deleted.status).toBeLessThan(300);
    expect(await claim('gone')).toEqual([]);
    const job = data(await platform.rest('GET', `/v1/jobs/${data(submitted).id}`, { token: submitter }));
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect((job.error as Json).message).toBe(`secret "SHORT_LIVED" is not in the organization's vault any more`);
    // Not retried: nothing comes back to the queue, and no value was opened for it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await claim('gone')).toEqual([]);
    // The log fills through the outbox relays, asynchronously: wait for the failure, then check nothing else came.
    const log = await eventually(
      async () => {
        const events = await logOf(platform, user);
        return events.some((e) => e.type === 'job.failed' && e.subject?.id === job.id) ? events : undefined;
      },
      15_000,
      'job.failed in the log',
    );
    expect(log.filter((e) => e.subject?.id === job.id).map((e) => e.type)).toEqual(['job.submitted', 'job.failed']);
    expect(log.find((e) => e.type === 'job.failed' && e.subject?.id === job.id)?.data).toMatchObject({
      reason: 'secret_missing',
      deadLettered: true,
    });
    expect(await accessesOf(String(job.id))).toEqual([]);
  });

  it('passes a pool runner’s job its secrets as environment variables', async () => {
    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/runner-pools`, {
      token: submitter,
      body: { name: 'secret-ci', poolRamGb: 4, size: 1 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const pool = data(created);
    const dir = await mkdtemp(path.join(tmpdir(), 'trellis-job-secrets-'));
    const out = path.join(dir, 'env.json');
    // The command writes what it received to a file (its stdout is the job's stored result: kept clean).
    const script = `require('node:fs').writeFileSync(process.argv[1], JSON.stringify({ deploy: process.env.DEPLOY_TOKEN, github: process.env.GITHUB_TOKEN }))`;
    const submitted = await submit({
      queue: pool.queue,
      type: 'ci.deploy',
      payload: { command: [process.execPath, '-e', script, out] },
      secrets: ['DEPLOY_TOKEN', 'github.token'],
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const finished = await eventually(async () => {
      const r = await platform.rest('GET', `/v1/jobs/${data(submitted).id}`, { token: submitter });
      return ['succeeded', 'failed'].includes(data(r).status as string) ? data(r) : undefined;
    }, 90_000);
    expect(finished.status, JSON.stringify(finished.error)).toBe('succeeded');
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual({ deploy: SECRET, github: GITHUB });
    expect(JSON.stringify(finished)).not.toContain(SECRET);
    const accessed = await eventually(async () => {
      const found = await accessesOf(String(finished.id));
      return found.length === 2 ? found : undefined;
    });
    expect(accessed.every((e) => e.data.purpose === 'job')).toBe(true);
    const resized = await platform.rest('POST', `/v1/orgs/${user.orgId}/runner-pools/${pool.id}/resize`, {
      token: submitter,
      body: { size: 0 },
    });
    expect(resized.status).toBe(200);
  }, 120_000);

  it('keeps the values out of every table, every event and every log line', async () => {
    const events = JSON.stringify(await logOf(platform, user));
    expect(events).toContain('credential.accessed');
    for (const value of [SECRET, GITHUB]) {
      expect(await tablesContaining(platform.databaseUrl, value)).toEqual([]);
      expect(events).not.toContain(value);
      expect(logText.join('')).not.toContain(value);
    }
    // The scan can fail: stored names and clear texts elsewhere are found.
    expect(
      (await tablesContaining(platform.databaseUrl, 'github.token')).some((table) => table.endsWith('.jobs')),
    ).toBe(true);
    expect(logText.length).toBeGreaterThan(0);
  }, 120_000);
});

describe('secretEnv', () => {
  it('upper-cases names into variables and refuses two names that become one', () => {
    expect(secretEnv({ DEPLOY_TOKEN: 'a', 'github.token': 'b', 'my-key': 'c' })).toEqual({
      DEPLOY_TOKEN: 'a',
      GITHUB_TOKEN: 'b',
      MY_KEY: 'c',
    });
    expect(secretEnv(null)).toEqual({});
    expect(secretEnv({ 'a.b': 'x', a_b: 'y' })).toBe('secrets "a.b" and "a_b" both become the variable A_B');
  });
});
