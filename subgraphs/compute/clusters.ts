/**
 * Clusters (seed 003): a workload spec run as `replicaCount` replicas, each a `vms` row placed and run like
 * a VM. The user sets the desired state (running, stopped, terminated) and count; the status is derived
 * from the replicas (lifecycle.ts `refreshClusterStatus`), and the worker replaces replicas that failed —
 * a lost node's replicas are rescheduled on other nodes.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireOrgAccess } from '../../kernel/authz.ts';
import { conflict, notFound } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { decodeCursor, type PageArgs, pageSize, toPage } from '../../kernel/pagination.ts';
import type { Principal } from '../../kernel/principal.ts';
import { lockVm, refreshClusterStatus, type TransitionContext, transition } from './lifecycle.ts';
import { date, num, one, type Row, rows } from './sql.ts';
import type * as v from './vm-input.ts';
import { intIn } from './vm-input.ts';
import { insertWorkload, tryPlace, type VmService, vmFromRow, type WorkloadSpec } from './vms.ts';

export interface CreateClusterInput extends Omit<v.CreateVmInput, 'gpuCount' | 'sshKeyIds' | 'public'> {
  replicaCount?: number | null;
  gpusPerReplica?: number | null;
}

const LIVE = ['pending', 'provisioning', 'running', 'stopping'];

export function clusterFromRow(r: Row, endpointAddress?: string | null) {
  const spec = r.spec as WorkloadSpec;
  const status = String(r.status);
  return {
    id: String(r.id),
    orgId: String(r.org_id),
    name: String(r.name),
    status,
    statusReason: (r.status_reason as string | null) ?? null,
    replicaCount: num(r.replica_count),
    gpuModelId: spec.gpuModelId,
    gpusPerReplica: spec.gpuCount,
    tier: spec.tier,
    imageUrl: spec.imageUrl,
    containerPort: spec.containerPort,
    preferredRegions: spec.preferredRegions,
    pricePerHourCents: spec.pricePerHourCents * num(r.replica_count),
    endpointUrl:
      (status === 'running' || status === 'degraded') && endpointAddress
        ? `http://${endpointAddress}/${String(r.id)}/`
        : null,
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  };
}
export type ClusterView = ReturnType<typeof clusterFromRow>;
export type ReplicaView = ReturnType<typeof vmFromRow> & { healthy: boolean };

/** Adds replicas until `replica_count` are live, and terminates the newest beyond it. */
export async function reconcileReplicas(ctx: TransitionContext, cluster: Row, reason?: string): Promise<void> {
  const live = await rows(
    ctx.tx,
    `select * from vms where cluster_id = ? and status = any(?::text[]) order by id for update`,
    [cluster.id, `{${LIVE.join(',')}}`],
  );
  const desired = cluster.desired_state === 'running' ? num(cluster.replica_count) : 0;
  for (const extra of live.slice(desired).reverse())
    await transition(ctx, extra, { status: extra.node_id == null ? 'terminated' : 'terminating', reason });
  for (let i = live.length; i < desired; i++) {
    const replica = await insertWorkload(ctx.tx, String(cluster.org_id), cluster.spec as WorkloadSpec, {
      name: `${cluster.name}-${newId('r').slice(-6).toLowerCase()}`,
      clusterId: String(cluster.id),
    });
    const placed = await tryPlace(ctx, replica);
    if (placed.status === 'pending') await refreshClusterStatus(ctx.tx, String(cluster.id));
  }
  await refreshClusterStatus(ctx.tx, String(cluster.id));
}

export class ClusterService {
  private readonly em: EntityManager;
  private readonly vms: VmService;

  constructor(em: EntityManager, vms: VmService) {
    this.em = em;
    this.vms = vms;
  }

  async create(principal: Principal, orgId: string, input: CreateClusterInput, requestId?: string) {
    const replicaCount = intIn('replicaCount', input.replicaCount ?? 1, 1, 100);
    const spec = await this.vms.validate(orgId, { ...input, gpuCount: input.gpusPerReplica ?? null });
    await this.vms.refuseWhenDepleted(orgId);
    const id = await this.vms.inTransaction(async (ctx) => {
      const now = new Date();
      const cluster = (await one(
        ctx.tx,
        `insert into clusters (id, org_id, name, desired_state, status, replica_count, spec, created_at, updated_at)
         values (?, ?, ?, 'running', 'pending', ?, ?::jsonb, ?, ?) returning *`,
        [newId('cl'), orgId, spec.name, replicaCount, JSON.stringify({ ...spec, sshKeyIds: [] }), now, now],
      )) as Row;
      recordEvent(ctx.tx, {
        orgId,
        type: 'cluster.created',
        subject: { type: 'cluster', id: String(cluster.id) },
        data: { clusterId: cluster.id, name: spec.name, status: 'pending', replicaCount, gpuModelId: spec.gpuModelId },
        actor: principal,
        requestId,
      });
      await reconcileReplicas(ctx, cluster);
      return String(cluster.id);
    });
    return (await this.get(principal, id)) as ClusterView;
  }

  /** The node ingress that serves the cluster's endpoint: one running replica's node. */
  private async endpointAddress(clusterId: string): Promise<string | null> {
    const row = await one(
      this.em,
      "select endpoint_address from vms where cluster_id = ? and status = 'running' order by id limit 1",
      [clusterId],
    );
    return (row?.endpoint_address as string | null) ?? null;
  }

  async get(principal: Principal, id: string): Promise<ClusterView | null> {
    const row = await one(this.em, 'select * from clusters where id = ?', [id]);
    if (!row) return null;
    requireOrgAccess(principal, String(row.org_id), 'cluster');
    return clusterFromRow(row, await this.endpointAddress(id));
  }

  async detail(principal: Principal, id: string) {
    const cluster = await this.get(principal, id);
    if (!cluster) return null;
    const replicas = await rows(
      this.em,
      `select * from vms where cluster_id = ? and (status <> 'terminated' or updated_at > now() - interval '1 hour')
       order by id desc limit 200`,
      [id],
    );
    return {
      cluster,
      gpuModel: await this.vms.catalogModel(cluster.gpuModelId),
      replicas: replicas.map((r): ReplicaView => {
        const replica = vmFromRow(r);
        return { ...replica, healthy: replica.status === 'running' };
      }),
    };
  }

  async list(orgId: string, args: PageArgs) {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { id: 'text' });
    const found = await rows(
      this.em,
      `select * from clusters where org_id = ? ${after ? 'and id < ?' : ''} order by id desc limit ?`,
      after ? [orgId, after.id, limit + 1] : [orgId, limit + 1],
    );
    return toPage(
      found.map((r) => clusterFromRow(r)),
      limit,
      (c) => ({ id: c.id }),
    );
  }

  private async act(
    principal: Principal,
    id: string,
    apply: (ctx: TransitionContext, cluster: Row) => Promise<void>,
  ): Promise<ClusterView> {
    if (!(await this.get(principal, id))) throw notFound('cluster');
    await this.vms.inTransaction(async (ctx) => {
      const cluster = await one(ctx.tx, 'select * from clusters where id = ? for update', [id]);
      if (!cluster) throw notFound('cluster');
      requireOrgAccess(principal, String(cluster.org_id), 'cluster', 'member');
      if (cluster.desired_state === 'terminated') throw conflict('the cluster is terminated');
      await apply(ctx, cluster);
    });
    return (await this.get(principal, id)) as ClusterView;
  }

  scale(principal: Principal, id: string, replicaCount: number) {
    const count = intIn('replicaCount', replicaCount, 0, 100);
    return this.act(principal, id, async (ctx, cluster) => {
      if (cluster.desired_state !== 'running') throw conflict('a stopped cluster is scaled after a restart');
      await ctx.tx.execute('update clusters set replica_count = ?, updated_at = now() where id = ?', [count, id]);
      await reconcileReplicas(ctx, { ...cluster, replica_count: count });
    });
  }

  stop(principal: Principal, id: string) {
    return this.act(principal, id, async (ctx, cluster) => {
      if (cluster.desired_state === 'stopped') throw conflict('the cluster is already stopped');
      await ctx.tx.execute("update clusters set desired_state = 'stopped', updated_at = now() where id = ?", [id]);
      await reconcileReplicas(ctx, { ...cluster, desired_state: 'stopped' });
    });
  }

  /** Starts a stopped cluster again, or replaces every replica of a running one (a new generation each). */
  restart(principal: Principal, id: string) {
    return this.act(principal, id, async (ctx, cluster) => {
      await this.vms.refuseWhenDepleted(String(cluster.org_id));
      await ctx.tx.execute("update clusters set desired_state = 'running', updated_at = now() where id = ?", [id]);
      const running = await rows(ctx.tx, "select id from vms where cluster_id = ? and status = 'running'", [id]);
      for (const { id: replicaId } of running) {
        const replica = await lockVm(ctx.tx, String(replicaId));
        if (replica?.status === 'running')
          await transition(ctx, replica, {
            status: 'provisioning',
            reason: 'restarting',
            set: { generation: num(replica.generation) + 1 },
          });
      }
      await reconcileReplicas(ctx, { ...cluster, desired_state: 'running' });
    });
  }

  terminate(principal: Principal, id: string) {
    return this.act(principal, id, async (ctx, cluster) => {
      await ctx.tx.execute("update clusters set desired_state = 'terminated', updated_at = now() where id = ?", [id]);
      await reconcileReplicas(ctx, { ...cluster, desired_state: 'terminated' });
    });
  }
}

/** Worker step: every running cluster gets its replicas back (failed ones replaced, lost nodes' rescheduled). */
/** Running clusters with fewer live replicas than asked for (`from … where …` and its parameters). */
export const CLUSTERS_SHORT_OF_REPLICAS = {
  sql: `from clusters c where c.desired_state = 'running' and c.replica_count >
         (select count(*) from vms v where v.cluster_id = c.id and v.status = any(?::text[]))`,
  params: [`{${LIVE.join(',')}}`],
};

export async function reconcileClusters(vms: VmService): Promise<number> {
  return vms.inTransaction(async (ctx) => {
    const due = await rows(
      ctx.tx,
      `select c.* ${CLUSTERS_SHORT_OF_REPLICAS.sql} order by c.id limit 100 for update skip locked`,
      CLUSTERS_SHORT_OF_REPLICAS.params,
    );
    for (const cluster of due) await reconcileReplicas(ctx, cluster);
    return due.length;
  });
}
