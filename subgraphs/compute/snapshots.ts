/**
 * Snapshots and fork (seed 003). A snapshot archives a stopped VM's disk on the node where it last ran:
 * the row starts `creating`, that node's agent sees it in its assignments, archives the workload's
 * directory and uploads the archive to the control plane's storage (the REST adapter streams it into
 * kernel/asset-storage.ts and records it here, signed); only then is it `available`, with the stored
 * bytes' size and SHA-256 (or `failed`). A fork is a new VM placed on any node with capacity; that node's
 * agent downloads the archive (only for a VM assigned to it), checks the SHA-256 and restores it before
 * the first start (docs/compute.md#snapshots-and-fork). Delete is soft (`deleted_at`) and removes the
 * stored archive; the taking node's agent then removes any local leftover and the row is marked purged.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { verifyInternalRecord } from '../../kernel/ai-call-record.ts';
import { type AssetStorage, snapshotArchiveKey } from '../../kernel/asset-storage.ts';
import { requireOrgAccess } from '../../kernel/authz.ts';
import { conflict, invalidField, notFound, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import type { Principal } from '../../kernel/principal.ts';
import { assertAllowed, lockVm, ON_NODE } from './lifecycle.ts';
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
  sha256: (r.sha256 as string | null) ?? null,
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

export interface SnapshotArchiveRecord {
  nodeId: string;
  snapshotId: string;
  storageKey: string;
  sizeBytes: number;
  sha256: string;
}

export interface SnapshotStorage {
  storage: AssetStorage;
  /** Verifies the REST adapter's signature on what it stored. */
  internalSecret: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const archiveNotFound = () => new TrellisError('not_found', 'snapshot archive not found', { field: 'snapshotId' });

export class SnapshotService {
  private readonly em: EntityManager;
  private readonly vms: VmService;
  private readonly archives: SnapshotStorage;

  constructor(em: EntityManager, vms: VmService, archives: SnapshotStorage) {
    this.em = em;
    this.vms = vms;
    this.archives = archives;
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
      // Last, inside the transaction: if the store fails, the delete rolls back and can be retried
      // (removing an absent object is fine).
      if (snapshot.storage_key != null) await this.archives.storage.delete(String(snapshot.storage_key));
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
    if (snapshot.storage_key == null)
      throw conflict('the snapshot was taken before archives were stored by the control plane: it cannot be forked');
    const source = (await one(this.em, 'select * from vms where id = ?', [snapshot.vm_id])) as Row;
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
    return this.vms.insertAndPlace(principal, orgId, values, requestId, { snapshotId: String(snapshot.id) });
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

  /**
   * The agent could not take or upload (`failed`), or removed the local leftovers of (`purged`), a snapshot.
   * `available` is not the agent's to say: it follows the stored upload (`recordArchive`).
   */
  async report(
    nodeId: string,
    input: { snapshotId: string; state: string; sizeBytes?: number | null; reason?: string | null },
  ): Promise<boolean> {
    if (!['failed', 'purged'].includes(input.state))
      throw invalidField(
        'input.state',
        'state is failed or purged (a snapshot is available once its archive is uploaded and stored)',
      );
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
        [input.state, null, (input.reason ?? 'the agent could not archive the disk').slice(0, 500), snapshot.id],
      )) as Row;
      snapshotEvent(ctx.tx, updated, `snapshot.${input.state}`);
      return true;
    });
  }

  /** The node may upload the archive of a snapshot it is taking: the organization it is stored under. */
  async uploadTarget(nodeId: string, snapshotId: string) {
    const snapshot = await one(
      this.em.fork(),
      "select id, org_id from snapshots where id = ? and node_id = ? and status = 'creating' and deleted_at is null",
      [snapshotId, nodeId],
    );
    if (!snapshot) throw archiveNotFound();
    return {
      snapshotId: String(snapshot.id),
      orgId: String(snapshot.org_id),
      sizeBytes: null,
      sha256: null,
      storageKey: snapshotArchiveKey(String(snapshot.org_id), String(snapshot.id)),
    };
  }

  /**
   * The node may download a stored archive only while a VM of the snapshot's organization assigned to it
   * is forked from it — another node's fork, or another organization's snapshot, is not found.
   */
  async downloadSource(nodeId: string, snapshotId: string) {
    const snapshot = await one(
      this.em.fork(),
      `select s.id, s.org_id, s.size_bytes, s.sha256, s.storage_key from snapshots s
       where s.id = ? and s.status = 'available' and s.deleted_at is null and s.storage_key is not null
         and exists (select 1 from vms w where w.source_snapshot_id = s.id and w.org_id = s.org_id
                     and w.node_id = ? and w.status = any(?::text[]))`,
      [snapshotId, nodeId, `{${ON_NODE.join(',')}}`],
    );
    if (!snapshot) throw archiveNotFound();
    return {
      snapshotId: String(snapshot.id),
      orgId: String(snapshot.org_id),
      sizeBytes: num(snapshot.size_bytes),
      sha256: String(snapshot.sha256),
      storageKey: String(snapshot.storage_key),
    };
  }

  /** The REST adapter stored a node's upload (signed): the snapshot is available with what was stored. */
  async recordArchive(input: SnapshotArchiveRecord, signature: string): Promise<SnapshotView> {
    if (!verifyInternalRecord(this.archives.internalSecret, 'snapshot-archive-record', input, signature))
      throw new TrellisError('forbidden', 'Only the REST adapter records snapshot archives', { field: 'signature' });
    if (!SHA256_HEX.test(input.sha256)) throw invalidField('input.sha256', 'sha256 is 64 lowercase hex digits');
    if (!Number.isSafeInteger(input.sizeBytes) || input.sizeBytes < 0)
      throw invalidField('input.sizeBytes', 'sizeBytes is a non-negative integer');
    const row = await this.vms.inTransaction(async (ctx) => {
      const snapshot = await one(
        ctx.tx,
        "select * from snapshots where id = ? and node_id = ? and status = 'creating' for update",
        [input.snapshotId, input.nodeId],
      );
      if (!snapshot) throw archiveNotFound();
      const updated = (await one(
        ctx.tx,
        `update snapshots set status = 'available', size_bytes = ?, sha256 = ?, storage_key = ?, status_reason = null,
           updated_at = now() where id = ? returning *`,
        [input.sizeBytes, input.sha256, input.storageKey, snapshot.id],
      )) as Row;
      snapshotEvent(ctx.tx, updated, 'snapshot.available');
      return updated;
    });
    return snapshotFromRow(row);
  }
}
