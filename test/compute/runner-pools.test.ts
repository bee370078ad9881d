/**
 * Runner pools over REST (seed 003 "runners", docs/compute.md#runner-pools): create → submit jobs to the
 * pool's queue → a member (jobs:work key) claims → usage and the jobs list → resize (later claims billed at
 * the new tier) → metrics → delete drains; the size holds under concurrent claims; another org gets 404/403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let writer: string;
let worker: string;
let other: TestUser;
let otherWorker: string;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off' });
  user = await platform.signup('Pools Org');
  writer = (await platform.apiKey(user, ['compute:write', 'compute:read'])).key;
  worker = (await platform.apiKey(user, ['jobs:work'])).key;
  other = await platform.signup('Other Pools Org');
  otherWorker = (await platform.apiKey(other, ['jobs:work'])).key;
}, 60_000);
afterAll(closeAll);

const data = (r: { body: unknown }) => (r.body as { data: Json }).data;
const errorOf = (r: { body: unknown }) => (r.body as { error: { code: string; field?: string } }).error;
const pools = () => `/v1/orgs/${user.orgId}/runner-pools`;

async function createPool(body: Record<string, unknown>) {
  const r = await platform.rest('POST', pools(), { token: writer, body });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return data(r);
}

async function submit(queue: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await platform.rest('POST', '/v1/jobs', {
      token: writer,
      body: { queue, type: 'ci.build', payload: { i } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids.push(data(r).id);
  }
  return ids;
}

async function claim(queue: string, batchSize = 1, token = worker, workerId = 'runner-1') {
  const r = await platform.rest('POST', '/v1/jobs/claim', { token, body: { workerId, queue, batchSize } });
  return r;
}

async function complete(id: string) {
  const r = await platform.rest('POST', `/v1/jobs/${id}/complete`, { token: worker, body: { result: { ok: true } } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return data(r);
}

describe('runner pools', () => {
  it('create → submit → claim → usage, jobs list → resize bills later claims → metrics → delete drains', async () => {
    const pool = await createPool({ name: 'ci-linux', poolRamGb: 8, size: 2 });
    expect(pool).toMatchObject({ name: 'ci-linux', poolRamGb: 8, size: 2, status: 'active', queue: `pool.${pool.id}` });
    expect(pool.pricePerMinuteMicros).toBe(2_000);
    const dup = await platform.rest('POST', pools(), { token: writer, body: { name: 'ci-linux', poolRamGb: 8 } });
    expect(dup.status).toBe(409);
    const badTier = await platform.rest('POST', pools(), { token: writer, body: { name: 'x', poolRamGb: 7 } });
    expect(badTier.status).toBe(422);
    expect(errorOf(badTier).field).toBe('poolRamGb');

    const [first, second, third] = (await submit(pool.queue, 3)) as [string, string, string];
    const claimedA = data(await claim(pool.queue));
    expect(claimedA.map((j: Json) => j.id)).toEqual([first]);

    const got = data(await platform.rest('GET', `${pools()}/${pool.id}`, { token: writer }));
    expect(got).toMatchObject({ activeJobs: 1, queuedJobs: 2 });
    const listed = data(await platform.rest('GET', pools(), { token: writer }));
    expect(listed.find((p: Json) => p.id === pool.id)).toMatchObject({ activeJobs: 1, queuedJobs: 2 });

    const page1 = await platform.rest('GET', `${pools()}/${pool.id}/jobs?limit=2`, { token: writer });
    expect(page1.status).toBe(200);
    const { items: items1, nextCursor } = data(page1) as { items: Json[]; nextCursor?: string };
    expect(items1.map((j) => j.id)).toEqual([third, second]);
    expect(nextCursor).toBeTruthy();
    const page2 = (
      data(
        await platform.rest(
          'GET',
          `${pools()}/${pool.id}/jobs?limit=2&cursor=${encodeURIComponent(nextCursor as string)}`,
          {
            token: writer,
          },
        ),
      ) as { items: Json[] }
    ).items;
    expect(page2.map((j) => j.id)).toEqual([first]);

    const resized = await platform.rest('POST', `${pools()}/${pool.id}/resize`, {
      token: writer,
      body: { poolRamGb: 16 },
    });
    expect(resized.status, JSON.stringify(resized.body)).toBe(200);
    expect(data(resized)).toMatchObject({ poolRamGb: 16, pricePerMinuteMicros: 4_000 });
    const claimedB = data(await claim(pool.queue));
    expect(claimedB.map((j: Json) => j.id)).toEqual([second]);

    // Claimed at 8 GB before the resize: billed at 8 GB; the later claim at 16 GB.
    expect((await complete(first)).costMicros).toBe(2_000);
    expect((await complete(second)).costMicros).toBe(4_000);

    const metrics = await platform.rest('GET', `${pools()}/${pool.id}/metrics`, { token: writer });
    expect(metrics.status).toBe(200);
    expect(data(metrics)).toMatchObject({
      days: 30,
      totalJobs: 2,
      succeeded: 2,
      failed: 0,
      successRate: 1,
      runnerMinutes: 2,
      costMicros: 6_000,
      referenceCostMicros: 8_000 + 16_000,
      savingsMicros: 18_000,
      pricePerMinuteMicros: 4_000,
    });
    expect(data(metrics).durationP50Seconds).toBeGreaterThanOrEqual(0);

    // Delete with a job still queued: the pool drains (no new jobs) but its queue is still served.
    const drain = await platform.rest('DELETE', `${pools()}/${pool.id}`, { token: writer });
    expect(drain.status, JSON.stringify(drain.body)).toBe(200);
    expect(data(drain)).toMatchObject({ status: 'draining', queuedJobs: 1 });
    const refused = await platform.rest('POST', '/v1/jobs', {
      token: writer,
      body: { queue: pool.queue, type: 'late' },
    });
    expect(refused.status).toBe(409);
    expect(errorOf(refused).field).toBe('queue');
    const last = data(await claim(pool.queue));
    expect(last.map((j: Json) => j.id)).toEqual([third]);
    await complete(third);
    const gone = await platform.rest('DELETE', `${pools()}/${pool.id}`, { token: writer });
    expect(data(gone)).toMatchObject({ status: 'deleted', activeJobs: 0, queuedJobs: 0 });
    expect((await platform.rest('GET', `${pools()}/${pool.id}`, { token: writer })).status).toBe(404);
    expect((await claim(pool.queue)).status).toBe(404);
    const noPool = await platform.rest('POST', '/v1/jobs', { token: writer, body: { queue: pool.queue, type: 'x' } });
    expect(noPool.status).toBe(404);
  });

  it('never hands out more than `size` jobs under concurrent claims, and frees a runner on completion', async () => {
    const pool = await createPool({ name: 'ci-small', poolRamGb: 4, size: 3 });
    await submit(pool.queue, 8);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => claim(pool.queue, 2, worker, `runner-${i}`)));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const claimed = results.flatMap((r) => data(r) as Json[]);
    expect(claimed).toHaveLength(3);
    expect(new Set(claimed.map((j) => j.id)).size).toBe(3);
    expect(data(await claim(pool.queue, 5))).toEqual([]);
    await complete(claimed[0].id);
    expect(data(await claim(pool.queue, 5))).toHaveLength(1);
    const usage = data(await platform.rest('GET', `${pools()}/${pool.id}`, { token: writer }));
    expect(usage).toMatchObject({ activeJobs: 3, queuedJobs: 4 });
  });

  it('another org: its path is 403, an id of ours under its own path is 404, its workers claim nothing', async () => {
    const pool = await createPool({ name: 'ci-private', poolRamGb: 8, size: 1 });
    await submit(pool.queue, 1);
    const otherPath = `/v1/orgs/${other.orgId}/runner-pools/${pool.id}`;
    for (const [method, path] of [
      ['GET', otherPath],
      ['GET', `${otherPath}/jobs`],
      ['GET', `${otherPath}/metrics`],
      ['DELETE', otherPath],
    ] as const)
      expect((await platform.rest(method, path, { token: other.token })).status, `${method} ${path}`).toBe(404);
    expect(
      (await platform.rest('POST', `${otherPath}/resize`, { token: other.token, body: { poolRamGb: 64 } })).status,
    ).toBe(404);
    expect((await platform.rest('GET', `${pools()}/${pool.id}`, { token: other.token })).status).toBe(403);
    expect((await platform.rest('GET', pools(), { token: other.token })).status).toBe(403);
    expect((await claim(pool.queue, 1, otherWorker)).status).toBe(404);
    const still = data(await platform.rest('GET', `${pools()}/${pool.id}`, { token: writer }));
    expect(still).toMatchObject({ poolRamGb: 8, status: 'active', queuedJobs: 1, activeJobs: 0 });
  });
});
