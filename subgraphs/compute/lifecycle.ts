/**
 * The VM state machine (seed 003) and the one way a workload changes state: inside a transaction, on a
 * row locked with `FOR UPDATE`, recording `vm.<status>` through the outbox, giving capacity back when
 * the workload leaves its node and metering usage when it stops running.
 *
 *   pending → provisioning → running → stopping → stopped → (restart) pending → …
 *   any live state → terminating → terminated;  provisioning/running → failed (statusReason)
 *
 * Every user action not allowed from the current status is a 409 `conflict` naming both.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict } from '../../kernel/errors.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { PlacementDriver } from './scheduler.ts';
import { num, one, type Row } from './sql.ts';
import { meterUntil } from './usage.ts';

export type VmStatus =
  | 'pending'
  | 'provisioning'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'terminating'
  | 'terminated'
  | 'failed';

export type VmAction = 'stop' | 'restart' | 'reboot' | 'terminate' | 'resize-disk' | 'snapshot';

/** The statuses each user action is allowed from. */
export const ALLOWED_FROM: Record<VmAction, readonly VmStatus[]> = {
  stop: ['pending', 'provisioning', 'running'],
  restart: ['running', 'stopped', 'failed'],
  reboot: ['running'],
  terminate: ['pending', 'provisioning', 'running', 'stopping', 'stopped', 'failed'],
  'resize-disk': ['stopped'],
  snapshot: ['stopped'],
};

export function assertAllowed(vm: Row, action: VmAction): void {
  const status = vm.status as VmStatus;
  if (!ALLOWED_FROM[action].includes(status))
    throw conflict(`cannot ${action} a VM that is ${status} (allowed from: ${ALLOWED_FROM[action].join(', ')})`);
}

/** Statuses in which a workload holds GPUs on a node. */
export const ON_NODE: readonly VmStatus[] = ['provisioning', 'running', 'stopping', 'terminating'];

export async function lockVm(tx: EntityManager, id: string): Promise<Row | undefined> {
  return one(tx, 'select * from vms where id = ? for update', [id]);
}

export interface Transition {
  status: VmStatus;
  reason?: string | null;
  /** Extra columns to set (snake_case → value). */
  set?: Record<string, unknown>;
  actor?: Principal;
  requestId?: string;
}

export interface TransitionContext {
  tx: EntityManager;
  driver: PlacementDriver;
  /** Nodes whose agents must re-read their assignments once the transaction commits. */
  touched: Set<string>;
}

/** Moves a locked `vms` row to a new status, with its event, capacity and metering. */
export async function transition(ctx: TransitionContext, vm: Row, change: Transition): Promise<Row> {
  const { tx, driver } = ctx;
  const from = vm.status as VmStatus;
  const now = new Date();
  const set: Record<string, unknown> = { ...change.set };
  if (from === 'running' && change.status !== 'running') await meterUntil(tx, vm, now);
  if (change.status === 'running' && from !== 'running') {
    set.metered_until = now;
    set.started_at = now;
  }
  const leavesNode = vm.node_id != null && !ON_NODE.includes(change.status);
  if (leavesNode) {
    await driver.release(tx, String(vm.node_id), num(vm.gpu_count));
    ctx.touched.add(String(vm.node_id));
    set.node_id = null;
    set.last_node_id = vm.node_id;
    set.endpoint_address = null;
  } else if (vm.node_id != null && change.status !== from) {
    await driver.touch(tx, String(vm.node_id));
    ctx.touched.add(String(vm.node_id));
  }
  if (change.status === 'pending') set.pending_since = now;
  if (change.status === 'terminated') set.terminated_at = now;
  set.status = change.status;
  set.status_reason = change.reason ?? null;
  set.updated_at = now;
  const columns = Object.keys(set);
  const updated = await one(
    tx,
    `update vms set ${columns.map((c) => `${c} = ?`).join(', ')} where id = ? returning *`,
    [...columns.map((c) => set[c]), vm.id],
  );
  const row = updated as Row;
  if (change.status !== from) recordVmEvent(tx, row, change.actor, change.requestId, undefined, from);
  if (row.cluster_id != null && change.status !== from) await refreshClusterStatus(tx, String(row.cluster_id));
  return row;
}

/** seed 003's replica event names: a replica that runs is `healthy`, one that failed `unhealthy`. */
const REPLICA_EVENT: Partial<Record<VmStatus, string>> = {
  running: 'replica.healthy',
  failed: 'replica.unhealthy',
  terminated: 'replica.terminated',
};

/**
 * A cluster's status from its replicas: stopped / terminated as the user asked; otherwise running when
 * every desired replica runs, degraded when some do, pending while the others are still being placed or
 * started, failed when none runs and none is coming. Records `cluster.<status>` when it changes.
 */
export async function refreshClusterStatus(tx: EntityManager, clusterId: string): Promise<void> {
  const cluster = await one(tx, 'select * from clusters where id = ? for update', [clusterId]);
  if (!cluster) return;
  const counts = (await one(
    tx,
    `select count(*) filter (where status = 'running')::int as healthy,
       count(*) filter (where status in ('pending', 'provisioning'))::int as coming,
       count(*) filter (where status in ('provisioning', 'running', 'stopping', 'terminating'))::int as on_nodes
     from vms where cluster_id = ?`,
    [clusterId],
  )) as Row;
  const healthy = num(counts.healthy);
  const desired = num(cluster.replica_count);
  let status: string;
  let reason: string | null = null;
  if (cluster.desired_state === 'terminated') status = num(counts.on_nodes) > 0 ? String(cluster.status) : 'terminated';
  else if (cluster.desired_state === 'stopped') status = 'stopped';
  else if (desired > 0 && healthy >= desired) status = 'running';
  else if (healthy > 0) {
    status = 'degraded';
    reason = `${healthy} of ${desired} replicas are healthy`;
  } else if (num(counts.coming) > 0 || desired === 0) status = 'pending';
  else {
    status = 'failed';
    reason = 'no replica is running or being started';
  }
  if (status === cluster.status && reason === cluster.status_reason) return;
  await tx.execute('update clusters set status = ?, status_reason = ?, updated_at = now() where id = ?', [
    status,
    reason,
    clusterId,
  ]);
  if (status === cluster.status) return;
  recordEvent(tx, {
    orgId: String(cluster.org_id),
    type: `cluster.${status}`,
    subject: { type: 'cluster', id: clusterId },
    data: {
      clusterId,
      name: cluster.name,
      status,
      previousStatus: cluster.status,
      statusReason: reason,
      replicaCount: desired,
      healthyReplicas: healthy,
      message: `Cluster ${cluster.name} is ${status}${reason ? `: ${reason}` : ''}`,
    },
  });
}

/** `vm.<status>` (or `replica.<status>` for a cluster's replica), with a one-line message. */
export function recordVmEvent(
  tx: EntityManager,
  vm: Row,
  actor?: Principal,
  requestId?: string,
  type?: string,
  previousStatus?: string,
): void {
  const isReplica = vm.cluster_id != null;
  const status = String(vm.status);
  const reason = vm.status_reason == null ? '' : `: ${vm.status_reason}`;
  recordEvent(tx, {
    orgId: String(vm.org_id),
    type: type ?? (isReplica ? (REPLICA_EVENT[status as VmStatus] ?? `replica.${status}`) : `vm.${status}`),
    subject: { type: isReplica ? 'replica' : 'vm', id: String(vm.id) },
    data: {
      ...(isReplica ? { replicaId: vm.id, clusterId: vm.cluster_id } : { vmId: vm.id }),
      name: vm.name,
      status,
      previousStatus: previousStatus ?? null,
      statusReason: vm.status_reason ?? null,
      gpuModelId: vm.gpu_model_id,
      gpuCount: num(vm.gpu_count),
      tier: vm.tier,
      nodeId: vm.node_id ?? null,
      region: vm.region ?? null,
      message: `${isReplica ? 'Replica' : 'VM'} ${vm.name} is ${status}${reason}`,
    },
    actor,
    requestId,
  });
}
