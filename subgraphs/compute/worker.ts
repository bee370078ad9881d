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
import { reconcileClusters, reconcileReplicas } from './clusters.ts';
import { lockVm, type TransitionContext, transition } from './lifecycle.ts';
import { evacuateNode } from './nodes.ts';
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

export async function markLostNodes(vms: VmService, settings: WorkerSettings): Promise<number> {
  return vms.inTransaction(async (ctx) => {
    const lost = await rows(
      ctx.tx,
      `update nodes set status = 'lost', updated_at = now()
       where id in (select id from nodes where status in ('online', 'draining', 'maintenance')
         and last_heartbeat_at < now() - make_interval(secs => ?) limit ? for update skip locked)
       returning id, org_id, name`,
      [settings.nodeLostSeconds, BATCH],
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
      `select v.id from vms v where v.status = 'pending'
         and (${ctx.driver.mayPlaceSql} or v.pending_since <= now() - make_interval(secs => ?))
       order by v.pending_since, v.id limit ? for update of v skip locked`,
      [settings.pendingTimeoutSeconds, BATCH],
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
      `select * from vms where status = 'running' and metered_until <= now() - make_interval(secs => ?)
       order by metered_until limit ? for update skip locked`,
      [settings.usageIntervalSeconds, BATCH],
    );
    const now = new Date();
    for (const vm of due) await meterUntil(ctx.tx, vm, now);
    return due.length;
  });
}

export async function stopDepleted(vms: VmService, settings: WorkerSettings): Promise<number> {
  return vms.inTransaction(async (ctx) => {
    const due = await rows(
      ctx.tx,
      `select v.id from vms v join org_balance_flags f on f.org_id = v.org_id
       where f.depleted_since <= now() - make_interval(secs => ?) and v.cluster_id is null
         and v.status in ('pending', 'provisioning', 'running')
       limit ? for update of v skip locked`,
      [settings.depletedGraceSeconds, BATCH],
    );
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
  const due = await rows(
    ctx.tx,
    `select c.* from clusters c join org_balance_flags f on f.org_id = c.org_id
     where f.depleted_since <= now() - make_interval(secs => ?) and c.desired_state = 'running'
     limit ? for update of c skip locked`,
    [settings.depletedGraceSeconds, BATCH],
  );
  for (const cluster of due) {
    await ctx.tx.execute("update clusters set desired_state = 'stopped', updated_at = now() where id = ?", [
      cluster.id,
    ]);
    await reconcileReplicas(ctx, { ...cluster, desired_state: 'stopped' }, DEPLETED_REASON);
  }
  return due.length;
}

/** One pass of every step; exposed for tests. */
export async function computeTick(vms: VmService, settings: WorkerSettings) {
  return {
    lostNodes: await markLostNodes(vms, settings),
    placed: await placePending(vms, settings),
    metered: await meterRunning(vms, settings),
    stopped: await stopDepleted(vms, settings),
    replicas: await reconcileClusters(vms),
  };
}

export function startComputeWorker(vms: () => VmService, settings: WorkerSettings, log: Logger): Worker {
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = computeTick(vms(), settings)
      .catch((error) => log.warn({ err: error }, 'compute worker pass failed'))
      .finally(() => {
        running = null;
      });
  }, settings.workerIntervalMs);
  timer.unref();
  return {
    name: 'compute-worker',
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
