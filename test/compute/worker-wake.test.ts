/**
 * Issue #16: the compute worker sleeps while idle instead of asking every interval. What commits work for
 * it wakes it (VmService.inTransaction), what comes due with time (a node's heartbeat running out) is
 * slept until, and work no wake announced (rows written elsewhere) is still found by the safety poll.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { InMemoryBus } from '../../kernel/bus.ts';
import type { Orm } from '../../kernel/database.ts';
import { createLogger } from '../../kernel/logger.ts';
import { createSubgraphOrm } from '../../kernel/subgraph.ts';
import { CatalogService } from '../../subgraphs/compute/catalog.ts';
import { AssignmentNotifier } from '../../subgraphs/compute/notifier.ts';
import { agentNodeDriver } from '../../subgraphs/compute/scheduler.ts';
import { VmService } from '../../subgraphs/compute/vms.ts';
import { startComputeWorker, type WorkerSettings } from '../../subgraphs/compute/worker.ts';
import { subgraphs } from '../../subgraphs/index.ts';
import { createDatabase } from '../harness.ts';

const adminUrl = inject('adminDatabaseUrl');
const logger = createLogger('silent');
let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
let orm: Orm;
const workers: { stop(): Promise<void> }[] = [];

const settings: WorkerSettings = {
  nodeLostSeconds: 2,
  pendingTimeoutSeconds: 900,
  usageIntervalSeconds: 60,
  depletedGraceSeconds: 300,
  workerIntervalMs: 100,
};
/** Far beyond every wait below: only a wake or a computed due time moves a worker with this poll. */
const SLEEPY_POLL_MS = 60_000;

beforeAll(async () => {
  database = await createDatabase(adminUrl);
  orm = await createSubgraphOrm(subgraphs.compute, database.url, 4);
}, 60_000);

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await orm?.close();
  await database?.drop();
});

const vmService = (wakeWorker?: () => void) =>
  new VmService({
    em: orm.em.fork() as never,
    catalog: new CatalogService(orm.em.fork() as never),
    notifier: new AssignmentNotifier(new InMemoryBus(), logger),
    driver: agentNodeDriver,
    wakeWorker,
  });

function start(idlePollMs: number) {
  let passes = 0;
  const worker = startComputeWorker(
    () => {
      passes++;
      return vmService(() => worker.wake());
    },
    settings,
    logger,
    idlePollMs,
  );
  workers.push(worker);
  return { worker, passes: () => passes };
}

/** A node whose last heartbeat was `ageSeconds` ago, written straight to the table (no wake). */
async function insertNode(ageSeconds: number): Promise<string> {
  const id = `node_${randomBytes(6).toString('hex')}`;
  await orm.em.fork().execute(
    `insert into nodes (id, org_id, name, region, tier, gpu_model_id, gpu_total, runtime, secret_hash, status,
       last_heartbeat_at, created_at, updated_at)
     values (?, 'org_WORKERWAKE', ?, 'local', 'community', 'rtx-4090', 1, 'docker', 'x', 'online',
       now() - make_interval(secs => ?), now(), now())`,
    [id, id, ageSeconds],
  );
  return id;
}

async function statusOf(id: string): Promise<string> {
  const [row] = await orm.em.fork().execute<{ status: string }[]>('select status from nodes where id = ?', [id]);
  return String(row?.status);
}

/** Milliseconds until the node is `lost`, or null if it is not within `ms`. */
async function lostWithin(id: string, ms: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if ((await statusOf(id)) === 'lost') return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return null;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

it('a commit through the services wakes the sleeping worker: work it could not know of is done within an interval', async () => {
  const { worker, passes } = start(SLEEPY_POLL_MS);
  await settle(); // its first pass found nothing due and sleeps for the minute
  const node = await insertNode(60);
  const before = passes();
  await settle();
  expect(await statusOf(node)).toBe('online'); // not polled: nobody told it
  expect(passes()).toBe(before);
  // A request's commit (say, a node registering) wakes the worker of its process.
  await vmService(() => worker.wake()).inTransaction(async () => undefined);
  const after = await lostWithin(node, 2_000);
  expect(after).not.toBeNull();
  expect(after as number).toBeLessThan(1_000);
  await workers.pop()?.stop();
});

it('sleeps until time-bound work comes due: a node is lost when its heartbeat runs out, with no wake for it', async () => {
  const { worker, passes } = start(SLEEPY_POLL_MS);
  await settle();
  const node = await insertNode(0);
  // The node's registration commits (one wake); the safety poll is a minute away. The pass it wakes reads
  // when the heartbeat runs out (2 s) and the worker sleeps until then.
  await vmService(() => worker.wake()).inTransaction(async () => undefined);
  await settle();
  const idlePasses = passes();
  const after = await lostWithin(node, 4_000);
  expect(after).not.toBeNull();
  // Between the wake and the due time it did not poll every interval (that would be ~15 passes).
  expect(passes() - idlePasses).toBeLessThanOrEqual(3);
  await workers.pop()?.stop();
});

it('work that no wake announced is still found by the safety poll', async () => {
  start(1_000);
  await settle();
  const node = await insertNode(60); // written behind the services' back: no wake
  const after = await lostWithin(node, 3_000);
  expect(after).not.toBeNull();
  await workers.pop()?.stop();
});
