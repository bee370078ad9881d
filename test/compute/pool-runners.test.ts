/**
 * Issue #10 item 6, "the pool's workers are workloads on nodes like any VM" (subgraphs/compute/pool-runners.ts),
 * on the embedded node started with the platform: a pool of size 2 launches two runner workloads on the node
 * (the agent runs the built-in runner program); five jobs with commands submitted to its queue are all run by
 * those runners — no worker process is started by the test — never more than two at once; a node never takes
 * more runners than its runner slots (one per CPU core: the rest wait with a reason); resizing to 0 stops the
 * runners (their processes exit) and their credentials are refused from then on. A lost node's runners fail
 * and the pool replaces them (new runners, running once the node is back).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalKey } from '../../kernel/internal-keys.ts';
import { runnerToken } from '../../subgraphs/compute/pool-runners.ts';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let writer: string;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'rtx-4090:1', TRELLIS_COMPUTE_WORKER_INTERVAL_MS: '500' });
  user = await platform.signup('Pool Runners Org');
  writer = (await platform.apiKey(user, ['compute:write', 'compute:read'])).key;
}, 60_000);
afterAll(closeAll);

const data = (r: { body: unknown }) => (r.body as { data: Json }).data;
const pools = () => `/v1/orgs/${user.orgId}/runner-pools`;

async function getPool(id: string): Promise<Json> {
  const r = await platform.rest('GET', `${pools()}/${id}`, { token: writer });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return data(r);
}

const token = (runnerId: string) =>
  runnerToken(internalKey(platform.app.platform.internalSecret, 'pool-runner-token'), runnerId);

async function claimAs(runnerId: string, secret: string) {
  const r = await platform.graphql(
    'mutation($r: ID!, $t: String!) { runnerClaimJob(runnerId: $r, runnerToken: $t) { id } }',
    { r: runnerId, t: secret },
  );
  return r.body as { data?: Json | null; errors?: { extensions?: { code?: string } }[] };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// Appends "start <n> <ms> <runner pid>" and "end <n> <ms> <runner pid>" to the log, working 400 ms in between.
const JOB = `
const fs = require('node:fs'); const [log, n] = process.argv.slice(1);
fs.appendFileSync(log, 'start ' + n + ' ' + Date.now() + ' ' + process.ppid + '\\n');
setTimeout(() => { fs.appendFileSync(log, 'end ' + n + ' ' + Date.now() + ' ' + process.ppid + '\\n'); console.log('built ' + n); }, 400);
`;

describe('runner pools launch their own runners on nodes', () => {
  it('runs a size-2 pool’s jobs with its own runners, at most 2 at once, and stops them at size 0', async () => {
    const createdPool = await platform.rest('POST', pools(), {
      token: writer,
      body: { name: 'ci', poolRamGb: 4, size: 2 },
    });
    expect(createdPool.status, JSON.stringify(createdPool.body)).toBe(200);
    const pool = data(createdPool);
    const running = await eventually(async () => {
      const runners = (await getPool(pool.id as string)).runners as Json[];
      return runners.length === 2 && runners.every((r) => r.status === 'running') ? runners : undefined;
    }, 60_000);
    for (const runner of running) expect(runner.nodeId).toMatch(/^node_/);
    const runnerIds = running.map((r) => r.id as string).sort();

    // The node's runner slots (one per CPU core it reported) bound every pool's runners together.
    const slots = availableParallelism();
    const over = data(
      await platform.rest('POST', pools(), { token: writer, body: { name: 'over', poolRamGb: 4, size: slots } }),
    );
    const overRunners = (await getPool(over.id as string)).runners as Json[];
    expect(overRunners).toHaveLength(slots);
    const waiting = overRunners.filter((r) => r.status === 'pending');
    expect(waiting).toHaveLength(2);
    for (const r of waiting) {
      expect(r.nodeId).toBeNull();
      expect(r.statusReason).toMatch(/no online process-runtime node has a free runner slot/);
    }
    const deleted = await platform.rest('DELETE', `${pools()}/${over.id}`, { token: writer });
    expect(data(deleted).status).toBe('deleted');

    const dir = await mkdtemp(path.join(tmpdir(), 'trellis-pool-runners-'));
    const log = path.join(dir, 'log.txt');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await platform.rest('POST', '/v1/jobs', {
        token: writer,
        body: {
          queue: pool.queue,
          type: 'ci.build',
          payload: { command: [process.execPath, '-e', JOB, log, String(i)] },
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids.push(data(r).id as string);
    }
    const finished = await eventually(async () => {
      const r = await platform.rest('GET', `/v1/jobs?queue=${pool.queue}&limit=50`, { token: writer });
      const byId = new Map((data(r).items as Json[]).map((j) => [j.id, j]));
      const all = ids.map((id) => byId.get(id) as Json);
      return all.every((j) => ['succeeded', 'failed'].includes(j?.status as string)) ? all : undefined;
    }, 90_000);
    for (const [i, job] of finished.entries()) {
      expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
      expect((job.result as Json).stdout).toBe(`built ${i}\n`);
      // Claimed by one of the pool's own runners: no other worker exists.
      expect(runnerIds).toContain(job.workerId);
    }

    const lines = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    const events = lines
      .map(([kind, , at]) => ({ delta: kind === 'start' ? 1 : -1, at: Number(at) }))
      .sort((a, b) => a.at - b.at || a.delta - b.delta);
    let now = 0;
    let most = 0;
    for (const e of events) {
      now += e.delta;
      most = Math.max(most, now);
    }
    expect(events).toHaveLength(10);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
    const pids = [...new Set(lines.map((l) => Number(l[3])))];
    for (const pid of pids) expect(alive(pid)).toBe(true);

    // A live runner's credential works (nothing is queued: null); it is bound to its own runner id.
    const first = runnerIds[0] as string;
    const second = runnerIds[1] as string;
    expect((await claimAs(first, token(first))).data?.runnerClaimJob).toBeNull();
    expect((await claimAs(second, token(first))).errors?.[0]?.extensions?.code).toBe('unauthenticated');
    // Its pool's queue only: a job of another queue of the same organization is not found to it.
    const elsewhere = await platform.rest('POST', '/v1/jobs', {
      token: writer,
      body: { queue: 'default', type: 'other', payload: {} },
    });
    const finishElsewhere = await platform.graphql(
      'mutation($r: ID!, $t: String!, $j: ID!) { runnerFinishJob(runnerId: $r, runnerToken: $t, jobId: $j, input: { succeeded: true }) { id } }',
      { r: first, t: token(first), j: data(elsewhere).id },
    );
    expect((finishElsewhere.body as Json).errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'not_found' }) }),
    ]);

    const resized = await platform.rest('POST', `${pools()}/${pool.id}/resize`, { token: writer, body: { size: 0 } });
    expect(resized.status, JSON.stringify(resized.body)).toBe(200);
    expect(data(resized).size).toBe(0);
    await eventually(
      async () => (((await getPool(pool.id as string)).runners as Json[]).length === 0 ? true : undefined),
      60_000,
    );
    await eventually(async () => (pids.every((pid) => !alive(pid)) ? true : undefined), 20_000);
    for (const id of runnerIds)
      expect((await claimAs(id, token(id))).errors?.[0]?.extensions?.code).toBe('unauthenticated');
  }, 180_000);

  it('replaces the runners of a lost node', async () => {
    const created = await platform.rest('POST', pools(), {
      token: writer,
      body: { name: 'lost', poolRamGb: 4, size: 2 },
    });
    const pool = data(created);
    const runnersNow = async () => (await getPool(pool.id as string)).runners as Json[];
    const first = await eventually(async () => {
      const runners = await runnersNow();
      return runners.length === 2 && runners.every((r) => r.status === 'running') ? runners : undefined;
    }, 60_000);
    const firstIds = first.map((r) => r.id as string);
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      // The node stops heartbeating (as far as the control plane can tell): the worker marks it lost.
      const replaced = await eventually(async () => {
        const runners = await runnersNow();
        if (runners.some((r) => firstIds.includes(r.id as string)))
          await db.query(
            "update compute.nodes set last_heartbeat_at = now() - interval '1 hour' where id = any($1::text[])",
            [first.map((r) => r.nodeId)],
          );
        return runners.length === 2 &&
          runners.every((r) => !firstIds.includes(r.id as string) && r.status === 'running')
          ? runners
          : undefined;
      }, 90_000);
      expect(replaced.map((r) => r.id)).not.toEqual(expect.arrayContaining(firstIds));
      const failed = await db.query(
        'select status, status_reason from compute.pool_runners where id = any($1::text[])',
        [firstIds],
      );
      for (const row of failed.rows) {
        expect(row.status).toBe('failed');
        expect(row.status_reason).toMatch(/was lost/);
      }
    } finally {
      await db.end();
    }
    for (const id of firstIds)
      expect((await claimAs(id, token(id))).errors?.[0]?.extensions?.code).toBe('unauthenticated');
    await platform.rest('POST', `${pools()}/${pool.id}/resize`, { token: writer, body: { size: 0 } });
  }, 150_000);

  it('never places more runners on a node than its slots under concurrent pool creates', async () => {
    const slots = availableParallelism();
    const count = slots + 6;
    const created = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        platform.rest('POST', pools(), { token: writer, body: { name: `burst-${i}`, poolRamGb: 4, size: 1 } }),
      ),
    );
    for (const r of created) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const ids = created.map((r) => data(r).id as string);
    const runners = async () => (await Promise.all(ids.map(getPool))).flatMap((p) => p.runners as Json[]);
    // Creates that found the node locked leave their runner pending; the worker fills the free slots.
    const settled = await eventually(async () => {
      const all = await runners();
      return all.filter((r) => r.status !== 'pending').length === slots ? all : undefined;
    }, 60_000);
    expect(settled).toHaveLength(count);
    expect(settled.filter((r) => r.status === 'pending')).toHaveLength(count - slots);
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      const nodes = await db.query(
        'select runner_slots_used, cpu_cores from compute.nodes where runner_slots_used > 0',
      );
      expect(nodes.rows).toEqual([{ runner_slots_used: slots, cpu_cores: slots }]);
    } finally {
      await db.end();
    }
    for (const id of ids) await platform.rest('DELETE', `${pools()}/${id}`, { token: writer });
  }, 120_000);

  // The job outlives the runtime's default 5 s stop grace: a runner killed then would leave it running.
  it('resizing down drains: the stopping runner finishes its current job, then stops', async () => {
    const created = await platform.rest('POST', pools(), {
      token: writer,
      body: { name: 'drain', poolRamGb: 4, size: 1 },
    });
    const pool = data(created);
    await eventually(
      async () =>
        ((await getPool(pool.id as string)).runners as Json[]).some((r) => r.status === 'running') ? true : undefined,
      60_000,
    );
    const submitted = await platform.rest('POST', '/v1/jobs', {
      token: writer,
      body: {
        queue: pool.queue,
        type: 'ci.slow',
        payload: { command: [process.execPath, '-e', "setTimeout(() => console.log('drained'), 7000)"] },
      },
    });
    const jobId = data(submitted).id as string;
    const jobStatus = async () => data(await platform.rest('GET', `/v1/jobs/${jobId}`, { token: writer }));
    await eventually(async () => ((await jobStatus()).status === 'running' ? true : undefined), 60_000);
    const resized = await platform.rest('POST', `${pools()}/${pool.id}/resize`, { token: writer, body: { size: 0 } });
    expect(resized.status, JSON.stringify(resized.body)).toBe(200);
    expect((data(resized).runners as Json[]).map((r) => r.status)).toEqual(['stopping']);
    const job = await eventually(async () => {
      const j = await jobStatus();
      return ['succeeded', 'failed'].includes(j.status as string) ? j : undefined;
    }, 60_000);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect((job.result as Json).stdout).toBe('drained\n');
    await eventually(
      async () => (((await getPool(pool.id as string)).runners as Json[]).length === 0 ? true : undefined),
      60_000,
    );
  }, 120_000);
});
