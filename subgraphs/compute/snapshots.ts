/**
 * Snapshots and fork (seed 003). A snapshot archives a stopped VM's disk on the node where it last ran:
 * the row starts `creating`, that node's agent sees it in its assignments, archives the workload's
 * directory into its snapshot store and reports `available` with the archive's size (or `failed`). A fork
 * is a new VM whose disk is restored from the archive before its first start; the archive never leaves
 * its node, so the fork is placed on that node only (docs/compute.md#snapshots-and-fork says why).
 * Delete is soft (`deleted_at`); the agent then removes the archive and the row is marked purged.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireOrgAccess } from '../../kernel/authz.ts';
import { conflict, invalidField, notFound, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import type { Principal } from '../../kernel/principal.ts';
import { assertAllowed, lockVm } from './lifecycle.ts';
import { date, num, one, type Row, rows } from './sql.ts';
import * as v from './vm-input.ts';
import type { VmService, VmView } from './vms.ts';

export const snapshotFromRow = (r: Row) => ({
  id: String(r.id),
  orgId: String(r.org_id),
  vmId: String(r.vm_id),
  name: String(r.name),
  status: String(r.status),
  statusReason: (r.status_reason as string | null) ?? null,
  sizeBytes: r.size_bytes == null ? null : num(r.size_bytes),
  diskSizeGb: num(r.disk_size_gb),
  nodeId: String(r.node_id),
  createdAt: date(r.created_at),
  updatedAt: date(r.updated_at),
});
export type SnapshotView = ReturnType<typeof snapshotFromRow>;

export interface ForkVmInput {
  snapshotId: string;
  name?: string | null;
  gpuModelId?: string | null;
  gpuCount?: number | null;
  resourceSize?: string | null;
  diskSizeGb?: number | null;
  imageUrl?: string | null;
  envVars?: unknown;
  containerPort?: number | null;
}

function snapshotEvent(tx: EntityManager, snapshot: Row, type: string, actor?: Principal, requestId?: string) {
  recordEvent(tx, {
    orgId: String(snapshot.org_id),
    type,
    subject: { type: 'snapshot', id: String(snapshot.id) },
    data: {
      snapshotId: snapshot.id,
      vmId: snapshot.vm_id,
      name: snapshot.name,
      status: snapshot.status,
      statusReason: snapshot.status_reason ?? null,
      sizeBytes: snapshot.size_bytes == null ? null : num(snapshot.size_bytes),
      message: `Snapshot ${snapshot.name} is ${snapshot.status}`,
    },
    actor,
    requestId,
  });
}

export class SnapshotService {
  private readonly em: EntityManager;
  private readonly vms: VmService;

  constructor(em: EntityManager, vms: VmService) {
    this.em = em;
    this.vms = vms;
  }

  async list(orgId: string, vmId?: string | null): Promise<SnapshotView[]> {
    const found = await rows(
      this.em,
      `select * from snapshots where org_id = ? and deleted_at is null ${vmId ? 'and vm_id = ?' : ''}
       order by created_at desc, id desc limit 500`,
      vmId ? [orgId, vmId] : [orgId],
    );
    return found.map(snapshotFromRow);
  }

  /** A stopped VM's disk, archived by the agent of the node it last ran on. */
  async create(principal: Principal, vmId: string, name: string, requestId?: string): Promise<SnapshotView> {
    const label = v.vmName(name, 'name');
    await this.vms.require(principal, vmId);
    const row = await this.vms.inTransaction(async (ctx) => {
      const vm = await lockVm(ctx.tx, vmId);
      if (!vm || vm.cluster_id != null) throw notFound('VM');
      requireOrgAccess(principal, String(vm.org_id), 'VM', 'member');
      assertAllowed(vm, 'snapshot');
      if (vm.last_node_id == null)
        throw conflict('the VM has never run: its disk is empty, there is nothing to snapshot');
      const node = await one(ctx.tx, 'select id, status from nodes where id = ?', [vm.last_node_id]);
      if (node?.status !== 'online')
        throw conflict(`the VM's disk is on node ${String(vm.last_node_id)}, which is ${node?.status ?? 'gone'}`);
      const busy = await one(ctx.tx, "select id from snapshots where vm_id = ? and status = 'creating'", [vm.id]);
      if (busy) throw conflict(`snapshot ${String(busy.id)} of this VM is still being taken`);
      const now = new Date();
      const snapshot = (await one(
        ctx.tx,
        `insert into snapshots (id, org_id, vm_id, name, node_id, status, disk_size_gb, created_at, updated_at)
         values (?, ?, ?, ?, ?, 'creating', ?, ?, ?) returning *`,
        [newId('snap'), vm.org_id, vm.id, label, vm.last_node_id, num(vm.disk_size_gb), now, now],
      )) as Row;
      await ctx.driver.touch(ctx.tx, String(vm.last_node_id));
      ctx.touched.add(String(vm.last_node_id));
      snapshotEvent(ctx.tx, snapshot, 'snapshot.creating', principal, requestId);
      return snapshot;
    });
    return snapshotFromRow(row);
  }

  /** Soft delete: 409 while a VM forked from it is not terminated (it may still need the archive). */
  async delete(principal: Principal, id: string, requestId?: string): Promise<boolean> {
    await this.vms.inTransaction(async (ctx) => {
      const snapshot = await one(ctx.tx, 'select * from snapshots where id = ? and deleted_at is null for update', [
        id,
      ]);
      if (!snapshot) throw notFound('snapshot');
      requireOrgAccess(principal, String(snapshot.org_id), 'snapshot', 'member');
      if (snapshot.status === 'creating') throw conflict('the snapshot is still being taken');
      const user = await one(
        ctx.tx,
        "select id from vms where source_snapshot_id = ? and status <> 'terminated' limit 1",
        [id],
      );
      if (user) throw conflict(`VM ${String(user.id)} was forked from this snapshot and is not terminated`);
      const deleted = (await one(
        ctx.tx,
        `update snapshots set deleted_at = now(), updated_at = now(),
           purged_at = case when status = 'failed' then now() else null end, status = 'deleted'
         where id = ? returning *`,
        [id],
      )) as Row;
      await ctx.driver.touch(ctx.tx, String(snapshot.node_id));
      ctx.touched.add(String(snapshot.node_id));
      snapshotEvent(ctx.tx, deleted, 'snapshot.deleted', principal, requestId);
    });
    return true;
  }

  /** A new VM from an available snapshot: the source VM's spec, with the body's overrides. */
  async fork(principal: Principal, orgId: string, input: ForkVmInput, requestId?: string): Promise<VmView> {
    const snapshot = await one(this.em, 'select * from snapshots where id = ? and org_id = ? and deleted_at is null', [
      input.snapshotId,
      orgId,
    ]);
    if (!snapshot) throw new TrellisError('not_found', 'snapshot not found', { field: 'snapshotId' });
    if (snapshot.status !== 'available')
      throw conflict(`the snapshot is ${String(snapshot.status)}; a fork needs an available snapshot`);
    const source = (await one(this.em, 'select * from vms where id = ?', [snapshot.vm_id])) as Row;
    const node = await one(this.em, 'select gpu_model_id, tier from nodes where id = ?', [snapshot.node_id]);
    const diskSizeGb = input.diskSizeGb ?? num(snapshot.disk_size_gb);
    if (diskSizeGb < num(snapshot.disk_size_gb))
      throw invalidField(
        'input.diskSizeGb',
        `diskSizeGb must be at least the snapshot's ${num(snapshot.disk_size_gb)}`,
      );
    const values = await this.vms.validate(orgId, {
      name: input.name ?? `${String(source.name).slice(0, 90)}-fork`,
      gpuModelId: input.gpuModelId ?? String(source.gpu_model_id),
      gpuCount: input.gpuCount ?? num(source.gpu_count),
      tier: String(source.tier),
      resourceSize: input.resourceSize ?? (source.resource_size as string | null),
      diskSizeGb,
      imageUrl: input.imageUrl ?? (source.image_url as string | null),
      envVars: input.envVars ?? source.env_vars,
      containerPort: input.containerPort ?? num(source.container_port),
      containerCommand: source.container_command as string[] | null,
      healthCheckPath: source.health_check_path as string | null,
      healthCheckPort: source.health_check_port == null ? null : num(source.health_check_port),
      public: Boolean(source.public),
      registryCredentialId: (source.registry_credential_id as string | null) ?? null,
    });
    if (node && (node.gpu_model_id !== values.gpuModelId || node.tier !== values.tier))
      throw conflict(
        `the snapshot's archive is on a ${String(node.tier)} node with ${String(node.gpu_model_id)} GPUs, where its fork runs: gpuModelId must be ${String(node.gpu_model_id)}`,
      );
    return this.vms.insertAndPlace(principal, orgId, values, requestId, {
      snapshotId: String(snapshot.id),
      nodeId: String(snapshot.node_id),
    });
  }

  // ---- the agent's side --------------------------------------------------------------------------

  /** What the node's agent must do: archive these VMs' disks, remove these deleted archives. */
  async nodeTasks(nodeId: string) {
    const found = await rows(
      this.em.fork(),
      `select id, vm_id, status from snapshots
       where node_id = ? and (status = 'creating' or (deleted_at is not null and purged_at is null))
       order by id limit 100`,
      [nodeId],
    );
    return found.map((r) => ({
      id: String(r.id),
      vmId: String(r.vm_id),
      action: r.status === 'creating' ? 'create' : 'delete',
    }));
  }

  /** The agent archived (`available`, with its size), could not (`failed`), or removed (`purged`) a snapshot. */
  async report(
    nodeId: string,
    input: { snapshotId: string; state: string; sizeBytes?: number | null; reason?: string | null },
  ): Promise<boolean> {
    if (!['available', 'failed', 'purged'].includes(input.state))
      throw invalidField('input.state', 'state is available, failed or purged');
    if (input.sizeBytes != null && (!Number.isSafeInteger(input.sizeBytes) || input.sizeBytes < 0))
      throw invalidField('input.sizeBytes', 'sizeBytes is a non-negative integer');
    return this.vms.inTransaction(async (ctx) => {
      const snapshot = await one(ctx.tx, 'select * from snapshots where id = ? and node_id = ? for update', [
        input.snapshotId,
        nodeId,
      ]);
      if (!snapshot) return false;
      if (input.state === 'purged') {
        if (snapshot.deleted_at == null) return false;
        await ctx.tx.execute('update snapshots set purged_at = now() where id = ?', [snapshot.id]);
        return true;
      }
      if (snapshot.status !== 'creating') return false;
      const updated = (await one(
        ctx.tx,
        `update snapshots set status = ?, size_bytes = ?, status_reason = ?, updated_at = now() where id = ?
         returning *`,
        [
          input.state,
          input.state === 'available' ? (input.sizeBytes ?? 0) : null,
          input.state === 'failed' ? (input.reason ?? 'the agent could not archive the disk').slice(0, 500) : null,
          snapshot.id,
        ],
      )) as Row;
      snapshotEvent(ctx.tx, updated, `snapshot.${input.state}`);
      return true;
    });
  }
}
