/**
 * The compute worker (one per compute replica; every step locks its rows with `SKIP LOCKED`, so replicas
 * share the work without coordination): marks nodes without heartbeats `lost` and evacuates them, places
 * pending workloads when capacity appears (or fails them after TRELLIS_PENDING_TIMEOUT_SECONDS), meters
 * running workloads every TRELLIS_USAGE_INTERVAL_SECONDS, and stops the VMs and clusters of organizations whose balance
 * stayed depleted past TRELLIS_DEPLETED_GRACE_SECONDS.
 */
import type { Logger } from '../../kernel/logger.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import type { Worker } from '../../kernel/subgraph.ts';
import { WorkerLoop } from '../../kernel/worker-loop.ts';
import { CLUSTERS_SHORT_OF_REPLICAS, reconcileClusters, reconcileReplicas } from './clusters.ts';
import { lockVm, type TransitionContext, transition } from './lifecycle.ts';
import { evacuateNode } from './nodes.ts';
import { POOLS_TO_RECONCILE, reconcilePools } from './pool-runners.ts';
import { rows } from './sql.ts';
import { meterUntil } from './usage.ts';
import { tryPlace, type VmService } from './vms.ts';

export interface WorkerSettings {
  nodeLostSeconds: number;
  pendingTimeoutSeconds: number;
  usageIntervalSeconds: number;
  depletedGraceSeconds: number;
  workerIntervalMs: number;
}

const BATCH = 200;

/**
 * What each step of a pass looks for (`from … where …`, with its parameters): the step selects and locks
 * these rows, and `dueSteps` asks in one read whether any exists, so an idle pass is one statement
 * instead of a transaction per step.
 */
const LOST_NODES = (s: WorkerSettings) => ({
  sql: `from nodes where status in ('online', 'draining', 'maintenance')
         and last_heartbeat_at < now() - make_interval(secs => ?)`,
  params: [s.nodeLostSeconds],
});
const PENDING = (s: WorkerSettings, mayPlaceSql: string) => ({
  sql: `from vms v where v.status = 'pending'
         and (${mayPlaceSql} or v.pending_since <= now() - make_interval(secs => ?))`,
  params: [s.pendingTimeoutSeconds],
});
const METER_DUE = (s: WorkerSettings) => ({
  sql: `from vms where status = 'running' and metered_until <= now() - make_interval(secs => ?)`,
  params: [s.usageIntervalSeconds],
});
const DEPLETED_VMS = (s: WorkerSettings) => ({
  sql: `from vms v join org_balance_flags f on f.org_id = v.org_id
       where f.depleted_since <= now() - make_interval(secs => ?) and v.cluster_id is null
         and v.status in ('pending', 'provisioning', 'running')`,
  params: [s.depletedGraceSeconds],
});
const DEPLETED_CLUSTERS = (s: WorkerSettings) => ({
  sql: `from clusters c join org_balance_flags f on f.org_id = c.org_id
     where f.depleted_since <= now() - make_interval(secs => ?) and c.desired_state = 'running'`,
  params: [s.depletedGraceSeconds],
});

export async function markLostNodes(vms: VmService, settings: WorkerSettings): Promise<number> {
  return vms.inTransaction(async (ctx) => {
    const lost = await rows(
      ctx.tx,
      `update nodes set status = 'lost', updated_at = now()
       where id in (select id ${LOST_NODES(settings).sql} limit ? for update skip locked)
       returning id, org_id, name`,
      [...LOST_NODES(settings).params, BATCH],
    );
    for (const node of lost) {
      const affected = await evacuateNode(
        ctx,
        String(node.id),
        `its node ${node.name} was lost (no heartbeat for ${settings.nodeLostSeconds} s)`,
      );
      recordEvent(ctx.tx, {
        orgId: String(node.org_id),
        type: 'node.lost',
        subject: { type: 'node', id: String(node.id) },
        data: {
          nodeId: node.id,
          name: node.name,
          workloads: affected,
          message: `Node ${node.name} is lost: no heartbeat for ${settings.nodeLostSeconds} s (${affected} workload(s) affected)`,
        },
      });
    }
    return lost.length;
  });
}

/**
 * Places the pending workloads some node might take now, and fails those past the pending timeout. The
 * others are not locked nor retried: a VM that no node fits (say, a GPU model nobody offers) would
 * otherwise cost a row lock, a placement statement and a commit every pass, forever.
 */
export async function placePending(vms: VmService, settings: WorkerSettings): Promise<number> {
  return vms.inTransaction(async (ctx) => {
    const pending = await rows(
      ctx.tx,
      `select v.id ${PENDING(settings, ctx.driver.mayPlaceSql).sql}
       order by v.pending_since, v.id limit ? for update of v skip locked`,
      [...PENDING(settings, ctx.driver.mayPlaceSql).params, BATCH],
    );
    let placed = 0;
    for (const { id } of pending) {
      const vm = await lockVm(ctx.tx, String(id));
      if (vm?.status !== 'pending') continue;
      const after = await tryPlace(ctx, vm);
      if (after.status === 'provisioning') placed++;
      else if (Date.now() - new Date(String(vm.pending_since)).getTime() > settings.pendingTimeoutSeconds * 1000)
        await transition(ctx, after, {
          status: 'failed',
          reason: `no capacity within ${settings.pendingTimeoutSeconds} s (${after.status_reason})`,
        });
    }
    return placed;
  });
}

export async function meterRunning(vms: VmService, settings: WorkerSettings): Promise<number> {
  return vms.inTransaction(async (ctx) => {
    const due = await rows(
      ctx.tx,
      `select * ${METER_DUE(settings).sql} order by metered_until limit ? for update skip locked`,
      [...METER_DUE(settings).params, BATCH],
    );
    const now = new Date();
    for (const vm of due) await meterUntil(ctx.tx, vm, now);
    return due.length;
  });
}

export async function stopDepleted(vms: VmService, settings: WorkerSettings): Promise<number> {
  return vms.inTransaction(async (ctx) => {
    const due = await rows(ctx.tx, `select v.id ${DEPLETED_VMS(settings).sql} limit ? for update of v skip locked`, [
      ...DEPLETED_VMS(settings).params,
      BATCH,
    ]);
    for (const { id } of due) {
      const vm = await lockVm(ctx.tx, String(id));
      if (!vm) continue;
      await transition(ctx, vm, {
        status: vm.node_id == null ? 'stopped' : 'stopping',
        reason: DEPLETED_REASON,
      });
    }
    return due.length + (await stopDepletedClusters(ctx, settings));
  });
}

const DEPLETED_REASON = 'stopped: the organization’s prepaid balance is used up';

/**
 * A depleted organization's running clusters are stopped like a user's stop (desired state `stopped`, so
 * the worker does not replace their replicas); `cluster.stopped` records why. Restarting one is refused
 * with 402 until the balance is restored.
 */
async function stopDepletedClusters(ctx: TransitionContext, settings: WorkerSettings): Promise<number> {
  const due = await rows(ctx.tx, `select c.* ${DEPLETED_CLUSTERS(settings).sql} limit ? for update of c skip locked`, [
    ...DEPLETED_CLUSTERS(settings).params,
    BATCH,
  ]);
  for (const cluster of due) {
    await ctx.tx.execute("update clusters set desired_state = 'stopped', updated_at = now() where id = ?", [
      cluster.id,
    ]);
    await reconcileReplicas(ctx, { ...cluster, desired_state: 'stopped' }, DEPLETED_REASON);
  }
  return due.length;
}

/**
 * When the time-bound conditions above next come due, in seconds from now (null: none pending): a node's
 * heartbeat running out, a running workload's next meter, a pending workload's timeout, a depleted
 * organization's grace. The worker sleeps until then instead of asking every interval; what commits new
 * work (a workload created, stopped or reported, a cluster or pool changed, a node registered) wakes it.
 */
const NEXT_DUE = (s: WorkerSettings) => ({
  sql: `least(
    (select extract(epoch from min(last_heartbeat_at) + make_interval(secs => ?) - now()) from nodes
      where status in ('online', 'draining', 'maintenance') and last_heartbeat_at >= now() - make_interval(secs => ?)),
    (select extract(epoch from min(metered_until) + make_interval(secs => ?) - now()) from vms
      where status = 'running' and metered_until > now() - make_interval(secs => ?)),
    (select extract(epoch from min(pending_since) + make_interval(secs => ?) - now()) from vms
      where status = 'pending' and pending_since > now() - make_interval(secs => ?)),
    (select extract(epoch from min(depleted_since) + make_interval(secs => ?) - now()) from org_balance_flags
      where depleted_since > now() - make_interval(secs => ?)))`,
  params: [
    s.nodeLostSeconds,
    s.nodeLostSeconds,
    s.usageIntervalSeconds,
    s.usageIntervalSeconds,
    s.pendingTimeoutSeconds,
    s.pendingTimeoutSeconds,
    s.depletedGraceSeconds,
    s.depletedGraceSeconds,
  ],
});

/** Which steps have work now, and when time-bound work is next due: one read, no transaction (an idle pass stops here). */
export async function dueSteps(vms: VmService, settings: WorkerSettings) {
  const parts: Record<
    'lostNodes' | 'pending' | 'meter' | 'depleted' | 'replicas' | 'pools',
    { sql: string; params: unknown[] }[]
  > = {
    lostNodes: [LOST_NODES(settings)],
    pending: [PENDING(settings, vms.driver.mayPlaceSql)],
    meter: [METER_DUE(settings)],
    depleted: [DEPLETED_VMS(settings), DEPLETED_CLUSTERS(settings)],
    replicas: [CLUSTERS_SHORT_OF_REPLICAS],
    pools: [POOLS_TO_RECONCILE],
  };
  const names = Object.keys(parts) as (keyof typeof parts)[];
  const next = NEXT_DUE(settings);
  const row = await vms.readOne(
    `select ${names.map((n) => `${parts[n].map((p) => `exists (select 1 ${p.sql})`).join(' or ')} as "${n}"`).join(', ')},
       ${next.sql} as "nextDueSeconds"`,
    [...names.flatMap((n) => parts[n].flatMap((p) => p.params)), ...next.params],
  );
  const steps = Object.fromEntries(names.map((n) => [n, Boolean(row?.[n])])) as Record<keyof typeof parts, boolean>;
  const nextDue = row?.nextDueSeconds;
  return { ...steps, nextDueMs: nextDue == null ? null : Math.max(0, Math.ceil(Number(nextDue) * 1000)) };
}

/** One pass of every step that has work; exposed for tests. */
export async function computeTick(vms: VmService, settings: WorkerSettings) {
  const due = await dueSteps(vms, settings);
  return {
    lostNodes: due.lostNodes ? await markLostNodes(vms, settings) : 0,
    placed: due.pending ? await placePending(vms, settings) : 0,
    metered: due.meter ? await meterRunning(vms, settings) : 0,
    stopped: due.depleted ? await stopDepleted(vms, settings) : 0,
    replicas: due.replicas ? await reconcileClusters(vms) : 0,
    runners: due.pools ? await reconcilePools(vms) : 0,
    nextDueMs: due.nextDueMs,
  };
}

/** The safety poll, in worker intervals: what no wake announced (a lost node back online, rows written elsewhere) waits at most this. */
export const IDLE_POLL_INTERVALS = 10;

/**
 * The worker: a pass, then a sleep until time-bound work is next due (`dueSteps`), at most
 * IDLE_POLL_INTERVALS worker intervals (the safety poll). `wake` (every compute transaction that commits,
 * VmService.inTransaction) brings the next pass to at most one interval away, as the old fixed cadence
 * was, so bursts of commits cost one pass per interval. An idle platform asks a few times a minute
 * instead of every second (issue #16).
 */
export function startComputeWorker(
  vms: () => VmService,
  settings: WorkerSettings,
  log: Logger,
  idlePollMs = settings.workerIntervalMs * IDLE_POLL_INTERVALS,
): Worker & { wake(): void } {
  const interval = settings.workerIntervalMs;
  const loop = new WorkerLoop({
    name: 'compute-worker',
    logger: log,
    pollMs: idlePollMs,
    maxBackoffMs: idlePollMs,
    wakeDelayMs: interval,
    pass: async () => {
      const { nextDueMs, ...done } = await computeTick(vms(), settings);
      // A step that did work may have left more (a full batch, capacity it freed or took): look again after an interval.
      if (Object.values(done).some((count) => count > 0)) return { waitMs: interval };
      return nextDueMs === null ? {} : { waitMs: Math.max(interval, nextDueMs) };
    },
  }).start();
  return { name: 'compute-worker', wake: () => loop.wake(), stop: () => loop.stop() };
}

/** The running compute worker of each platform, for what commits outside VmService to wake (the balance consumer). */
const workersByPlatform = new WeakMap<object, { wake(): void }>();

export function registerComputeWorker(platform: object, worker: { wake(): void }): void {
  workersByPlatform.set(platform, worker);
}

/** Brings the platform's compute worker's next pass to within one interval (no-op where none runs). */
export function wakeComputeWorker(platform: object): void {
  workersByPlatform.get(platform)?.wake();
}
