/**
 * Issue #16 item 5: an idle run driver sleeps instead of polling, so whatever makes a run due must wake it.
 * Each driver here polls once a minute (far beyond every wait below), so a run only moves if its driver was
 * woken: by the commit of this process's send (`RunQueue.watchCommits`), by another replica's send announced
 * on the bus (`RunQueue.listen`), or by its own timer coming due (`RunQueue.untilDue`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { InMemoryBus } from '../../kernel/bus.ts';
import type { Orm } from '../../kernel/database.ts';
import { createLogger } from '../../kernel/logger.ts';
import type { Principal } from '../../kernel/principal.ts';
import { createSubgraphOrm } from '../../kernel/subgraph.ts';
import { RunDriver } from '../../subgraphs/compute/pipelines/driver.ts';
import { RunQueue } from '../../subgraphs/compute/pipelines/run-queue.ts';
import { PipelineService } from '../../subgraphs/compute/pipelines/runs.ts';
import { QueueEngine } from '../../subgraphs/compute/queue/engine.ts';
import { subgraphs } from '../../subgraphs/index.ts';
import { eventually } from '../eventually.ts';
import { createDatabase } from '../harness.ts';

const ORG = 'org_WAKEDRUNS';
const owner: Principal = {
  kind: 'user',
  id: 'usr_WAKER',
  userId: 'usr_WAKER',
  memberships: [{ orgId: ORG, role: 'owner' }],
  scopes: ['*'],
};
const SLEEPY_POLL_MS = 60_000;

const adminUrl = inject('adminDatabaseUrl');
let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
const logger = createLogger('silent');
let orm: Orm;
let engine: QueueEngine;
let server: Server;
let baseUrl: string;
const drivers: RunDriver[] = [];
/** Paths the target server was called on. */
const received: string[] = [];
/** `/slow` is answered only when the test says so. */
const slow = {
  answer: undefined as (() => void) | undefined,
  arrived(answer: () => void) {
    this.answer = answer;
  },
};

function startDriver(queue: RunQueue): RunDriver {
  const driver = new RunDriver({
    orm,
    logger,
    allowPrivateTargets: true,
    queue,
    pollMs: SLEEPY_POLL_MS,
    concurrency: 4,
    jobs: () => {
      throw new Error('no job queue here');
    },
    openSecrets: async () => ({}),
    modelCalls: () => undefined,
  });
  drivers.push(driver);
  return driver.start();
}

/** The requests of a replica: its sends wake no driver directly (`wake` is a no-op). */
function service(queue: RunQueue): PipelineService {
  return new PipelineService(orm.em.fork() as never, { allowPrivateTargets: true, queue, wake: () => undefined });
}

async function runToEnd(pipelines: PipelineService, name: string, nodes: object[]) {
  const definition = await pipelines.createDefinition(owner, { orgId: ORG, name, nodes } as never);
  const started = Date.now();
  const run = await pipelines.createRun(owner, { orgId: ORG, definitionId: definition.id }, { start: true });
  for (;;) {
    const current = await pipelines.getRun(owner, run.id);
    if (current?.status === 'succeeded') return Date.now() - started;
    if (Date.now() - started > 20_000) throw new Error(`run ${name} still ${current?.status} after 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  // A copy of the run's pre-migrated template (test/global-setup.ts): compute's tables are there already.
  database = await createDatabase(adminUrl);
  const url = new URL(database.url);
  orm = await createSubgraphOrm(subgraphs.compute, url.toString(), 4);
  engine = new QueueEngine({ databaseUrl: url.toString(), logger, superviseIntervalSeconds: 5 });
  await engine.start();
  server = createServer((req, res) => {
    req.resume();
    received.push(req.url ?? '');
    const answer = () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    };
    if (req.url === '/slow') slow.arrived(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  for (const driver of drivers) await driver.stop();
  server?.close();
  await engine?.stop();
  await orm?.close();
  await database?.drop();
});

it("a send committed in this process wakes its driver, and a wait node's timer wakes it when due", async () => {
  const queue = new RunQueue(() => engine, { leaseSeconds: 10 });
  const driver = startDriver(queue);
  const unwatch = queue.watchCommits(orm, () => driver.wake());
  // The driver's first pass (adoption) is over before the run exists: only a wake can find it.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  try {
    const elapsed = await runToEnd(service(queue), 'local', [
      { id: 'call', type: 'http', url: `${baseUrl}/call` },
      { id: 'pause', type: 'wait', seconds: 2, dependsOn: ['call'] },
      { id: 'after', type: 'http', url: `${baseUrl}/after`, dependsOn: ['pause'] },
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(2_000);
    expect(elapsed).toBeLessThan(SLEEPY_POLL_MS / 4);
  } finally {
    unwatch();
    await driver.stop();
  }
}, 60_000);

it("another replica's committed send reaches this driver through the bus", async () => {
  const bus = new InMemoryBus();
  // Replica A serves the request (it has no driver); replica B runs the driver and hears A on the bus.
  const sender = new RunQueue(() => engine, { leaseSeconds: 10 });
  const receiver = new RunQueue(() => engine, { leaseSeconds: 10 });
  const unwatchSender = sender.watchCommits(orm, () => undefined);
  const stopSending = await sender.listen(bus);
  const driver = startDriver(receiver);
  const stopReceiving = await receiver.listen(bus);
  const unwatchReceiver = receiver.watchCommits(orm, () => driver.wake());
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  try {
    const elapsed = await runToEnd(service(sender), 'remote', [{ id: 'call', type: 'http', url: `${baseUrl}/call` }]);
    expect(elapsed).toBeLessThan(SLEEPY_POLL_MS / 4);
  } finally {
    unwatchSender();
    unwatchReceiver();
    await stopSending();
    await stopReceiving();
    await bus.close();
    // Left running, this driver shares the engine's advance queue with the next test's and could claim its run.
    await driver.stop();
  }
}, 60_000);

it('stop() waits for the advance in flight and leaves the rest of the run to the next advance', async () => {
  const queue = new RunQueue(() => engine, { leaseSeconds: 10 });
  const first = startDriver(queue);
  const unwatchFirst = queue.watchCommits(orm, () => first.wake());
  const pipelines = service(queue);
  const definition = await pipelines.createDefinition(owner, {
    orgId: ORG,
    name: 'stopping',
    nodes: [
      { id: 'slow', type: 'http', url: `${baseUrl}/slow` },
      { id: 'after', type: 'http', url: `${baseUrl}/after-stop`, dependsOn: ['slow'] },
    ],
  } as never);
  const run = await pipelines.createRun(owner, { orgId: ORG, definitionId: definition.id }, { start: true });
  await eventually(() => slow.answer);
  let stopped = false;
  const stopping = first.stop().then(() => {
    stopped = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(stopped).toBe(false);
  slow.answer?.();
  await stopping;
  unwatchFirst();
  // The slow node completed; the stopped driver started nothing after it.
  expect((await pipelines.getRun(owner, run.id))?.status).toBe('running');
  expect(received).not.toContain('/after-stop');
  // Another driver (another replica, or this process restarted) finishes the run from its queued advance.
  const second = startDriver(queue);
  await eventually(async () => ((await pipelines.getRun(owner, run.id))?.status === 'succeeded' ? true : undefined));
  expect(received.filter((path) => path === '/after-stop')).toHaveLength(1);
  await second.stop();
}, 60_000);
