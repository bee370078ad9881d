/**
 * Issue #11's acceptance: "SIGKILL of the process while a run is mid-way: after restart the run continues
 * from its last completed node; no node completes twice". A run of five http nodes (a → b → c → d → e) is
 * driven by a separate process (the compute run driver alone, test/compute/fixtures/run-driver.ts); when
 * node c's call arrives, the test SIGKILLs that process before answering. A second process takes the run
 * over once the dead one's claim expires: a and b are not called again, c is called again (a node's side
 * effect is at least once), and every node completes exactly once — one row, one `run.node_completed`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Orm } from '../../kernel/database.ts';
import { createLogger } from '../../kernel/logger.ts';
import type { Principal } from '../../kernel/principal.ts';
import { createSubgraphOrm } from '../../kernel/subgraph.ts';
import { RunQueue } from '../../subgraphs/compute/pipelines/run-queue.ts';
import { PipelineService } from '../../subgraphs/compute/pipelines/runs.ts';
import { QueueEngine } from '../../subgraphs/compute/queue/engine.ts';
import { subgraphs } from '../../subgraphs/index.ts';
import { eventually } from '../eventually.ts';
import { createDatabase } from '../harness.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/run-driver.ts', import.meta.url));
const NODES = ['a', 'b', 'c', 'd', 'e'];
const ORG = 'org_KILLEDRUNS';
const owner: Principal = {
  kind: 'user',
  id: 'usr_KILLER',
  userId: 'usr_KILLER',
  memberships: [{ orgId: ORG, role: 'owner' }],
  scopes: ['*'],
};

const adminUrl = inject('adminDatabaseUrl');
let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
let databaseUrl: string;
let orm: Orm;
let engine: QueueEngine;
let server: Server;
let baseUrl: string;
const hits: string[] = [];
const children: ChildProcess[] = [];
let victim: ChildProcess | undefined;

function startDriver(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`driver did not start: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('driver ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', () => clearTimeout(timer));
  });
}

beforeAll(async () => {
  // A copy of the run's pre-migrated template (test/global-setup.ts): compute's tables are there already.
  database = await createDatabase(adminUrl);
  databaseUrl = database.url;
  orm = await createSubgraphOrm(subgraphs.compute, databaseUrl, 2);
  // The test's own engine: creating the run sends its first advance in the run's transaction.
  engine = new QueueEngine({ databaseUrl, logger: createLogger('silent'), superviseIntervalSeconds: 1 });
  await engine.start();
  server = createServer((req, res) => {
    const node = (req.url ?? '').replace('/step/', '');
    hits.push(node);
    req.resume();
    // Node c's first call: the driver dies while it waits for the answer.
    if (node === 'c' && hits.filter((h) => h === 'c').length === 1) {
      victim?.kill('SIGKILL');
      setTimeout(() => res.destroy(), 50);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ node }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  server?.close();
  await engine?.stop();
  await orm?.close();
  await database?.drop();
});

it('a run whose driver is SIGKILLed mid-node continues on another process; no node completes twice', async () => {
  const service = new PipelineService(orm.em.fork() as never, {
    allowPrivateTargets: true,
    queue: new RunQueue(() => engine, { leaseSeconds: 2 }),
    wake: () => undefined,
  });
  const definition = await service.createDefinition(owner, {
    orgId: ORG,
    name: 'five-steps',
    nodes: NODES.map((id, i) => ({
      id,
      type: 'http',
      url: `${baseUrl}/step/${id}`,
      dependsOn: i === 0 ? [] : [NODES[i - 1]],
    })),
  });
  const run = await service.createRun(owner, { orgId: ORG, definitionId: definition.id }, { start: true });

  victim = await startDriver();
  await new Promise<void>((resolve) => victim?.once('exit', () => resolve()));
  expect(victim.signalCode).toBe('SIGKILL');
  const mid = await service.getRun(owner, run.id);
  expect(mid?.status).toBe('running');
  expect(Object.fromEntries((mid?.nodes ?? []).map((n) => [n.nodeId, n.status]))).toEqual({
    a: 'succeeded',
    b: 'succeeded',
    c: 'running',
  });

  await startDriver();
  const done = await eventually(
    async () => {
      const current = await service.getRun(owner, run.id);
      return current && ['succeeded', 'failed'].includes(current.status) ? current : undefined;
    },
    30_000,
    'the run to finish on the second driver',
  );
  expect(done.status).toBe('succeeded');
  expect(done.nodes.map((n) => [n.nodeId, n.status])).toEqual(NODES.map((id) => [id, 'succeeded']));
  expect(hits).toEqual(['a', 'b', 'c', 'c', 'd', 'e']);

  const completions = await orm.em
    .fork()
    .execute<{ node: string; n: string }[]>(
      `select data->>'nodeId' as node, count(*) as n from outbox where subject_id = ? and type = 'run.node_completed' group by 1 order by 1`,
      [run.id],
    );
  expect(completions.map((c) => [c.node, Number(c.n)])).toEqual(NODES.map((id) => [id, 1]));
  const finished = await orm.em
    .fork()
    .execute(`select count(*) as n from outbox where subject_id = ? and type = 'run.succeeded'`, [run.id]);
  expect(Number(finished[0]?.n)).toBe(1);
  // The advance the killed process held is re-delivered by the engine once its heartbeat lapses (a retry of
  // the run's keyed engine job) — possibly after the restarted driver's own adoption pass already finished the
  // run, in which case the re-delivered advance finds nothing left to do.
  await eventually(
    async () => {
      const advances = await orm.em
        .fork()
        .execute<{ state: string; retry_count: number }[]>(
          `select state, retry_count from compute_queue.job where name = 'pipeline-runs' and singleton_key = ?`,
          [run.id],
        );
      return advances.some((a) => a.state === 'completed' && a.retry_count >= 1) || undefined;
    },
    30_000,
    'the killed advance to be re-delivered and completed',
  );
  expect(hits).toEqual(['a', 'b', 'c', 'c', 'd', 'e']);
}, 90_000);

it("a wait node's timer is an engine job: the run goes on after its seconds", async () => {
  // The second driver of the test above is still running.
  const service = new PipelineService(orm.em.fork() as never, {
    allowPrivateTargets: true,
    queue: new RunQueue(() => engine, { leaseSeconds: 2 }),
    wake: () => undefined,
  });
  const definition = await service.createDefinition(owner, {
    orgId: ORG,
    name: 'timed',
    nodes: [
      { id: 'pause', type: 'wait', seconds: 2 },
      { id: 'after', type: 'http', url: `${baseUrl}/step/after`, dependsOn: ['pause'] },
    ],
  });
  const started = Date.now();
  const run = await service.createRun(owner, { orgId: ORG, definitionId: definition.id }, { start: true });
  const timer = await eventually(
    async () => {
      const found = await orm.em
        .fork()
        .execute<{ start_after: Date }[]>(
          `select start_after from compute_queue.job where name = 'pipeline-run-timers' and data->>'runId' = ?`,
          [run.id],
        );
      return found[0];
    },
    30_000,
    'the timer job',
  );
  expect(new Date(timer.start_after).getTime()).toBeGreaterThanOrEqual(started + 1_500);
  const done = await eventually(
    async () => {
      const current = await service.getRun(owner, run.id);
      return current?.status === 'succeeded' ? current : undefined;
    },
    30_000,
    'the timed run to finish',
  );
  expect(done.nodes.map((n) => [n.nodeId, n.status])).toEqual([
    ['pause', 'succeeded'],
    ['after', 'succeeded'],
  ]);
  expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
}, 60_000);
