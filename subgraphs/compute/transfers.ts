/**
 * Transfers (seed 003): an owner or admin of the source organization offers a VM or cluster to another
 * organization the caller belongs to; an owner or admin of the target accepts (the resource is re-homed
 * in one transaction: its row, a cluster's replicas, a VM's snapshots; usage up to that moment stays
 * with the source) or rejects it; the source may cancel while it is pending. One pending offer per
 * resource (a unique index). Events `transfer.initiated|accepted|rejected|cancelled` go to both sides.
 *
 * Organizations are named by slug: compute keeps its own directory of names and slugs from identity's
 * `organization.*` events (the durable consumer `compute.org_directory`); an org id is accepted too.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict, invalidField, notFound, TrellisError } from '../../kernel/errors.ts';
import type { EventConsumer } from '../../kernel/event-consumers.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { type Principal, type Role, roleIn, roleRank } from '../../kernel/principal.ts';
import { lockVm } from './lifecycle.ts';
import { date, dateOrNull, isUniqueViolation, one, type Row, rows, textArray } from './sql.ts';
import { meterUntil } from './usage.ts';
import type { VmService } from './vms.ts';

const RESOURCE_TYPES = ['vm', 'cluster'] as const;
type ResourceType = (typeof RESOURCE_TYPES)[number];

/** identity's organization.created / updated / deleted → compute's `org_directory`. */
export const orgDirectoryConsumer: EventConsumer = {
  name: 'compute.org_directory',
  types: ['organization.created', 'organization.updated', 'organization.deleted'],
  async handle(tx, event) {
    const name = typeof event.data.name === 'string' ? event.data.name : '';
    const slug = typeof event.data.slug === 'string' ? event.data.slug : '';
    await tx.execute(
      `insert into org_directory (org_id, name, slug, deleted, updated_at) values (?, ?, ?, ?, ?)
       on conflict (org_id) do update set name = excluded.name, slug = excluded.slug, deleted = excluded.deleted,
         updated_at = excluded.updated_at where org_directory.updated_at <= excluded.updated_at`,
      [event.orgId, name, slug, event.type === 'organization.deleted', new Date(event.occurredAt)],
    );
  },
};

const transferFromRow = (r: Row) => ({
  id: String(r.id),
  resourceType: String(r.resource_type),
  resourceId: String(r.resource_id),
  resourceName: String(r.resource_name),
  sourceOrgId: String(r.source_org_id),
  sourceOrgName: (r.source_name as string | null) ?? null,
  sourceOrgSlug: (r.source_slug as string | null) ?? null,
  targetOrgId: String(r.target_org_id),
  targetOrgName: (r.target_name as string | null) ?? null,
  targetOrgSlug: (r.target_slug as string | null) ?? null,
  note: (r.note as string | null) ?? null,
  status: String(r.status),
  initiatedBy: String(r.initiated_by),
  createdAt: date(r.created_at),
  decidedAt: dateOrNull(r.decided_at),
});

const ENRICHED = `select t.*, s.name as source_name, s.slug as source_slug, g.name as target_name, g.slug as target_slug
  from transfers t left join org_directory s on s.org_id = t.source_org_id
  left join org_directory g on g.org_id = t.target_org_id`;

/** The caller's role in `orgId` must be admin or owner (a member who is not is 403, a stranger 404). */
function requireAdmin(principal: Principal, orgId: string, what: string): Role {
  const role = roleIn(principal, orgId);
  if (!role) throw notFound(what);
  if (roleRank(role) < roleRank('admin'))
    throw new TrellisError('forbidden', 'Transfers need the owner or admin role in the organization', {
      details: { requiredRole: 'admin', role },
    });
  return role;
}

export class TransferService {
  private readonly em: EntityManager;
  private readonly vms: VmService;

  constructor(em: EntityManager, vms: VmService) {
    this.em = em;
    this.vms = vms;
  }

  /** The organizations the caller belongs to, with its role (the transfer target dropdown). */
  async targetOrgs(principal: Principal) {
    const ids = principal.memberships.map((m) => m.orgId);
    const names = ids.length
      ? await rows(this.em, 'select org_id, name, slug from org_directory where org_id = any(?::text[])', [
          textArray(ids),
        ])
      : [];
    const byId = new Map(names.map((r) => [String(r.org_id), r]));
    return principal.memberships.map((m) => ({
      id: m.orgId,
      name: (byId.get(m.orgId)?.name as string | undefined) ?? null,
      slug: (byId.get(m.orgId)?.slug as string | undefined) ?? null,
      role: m.role,
    }));
  }

  /** A slug (or an org id) of an organization the caller belongs to. */
  private async resolveTarget(principal: Principal, value: string): Promise<string> {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(value))
      throw invalidField('input.targetOrgSlug', 'targetOrgSlug is an organization slug');
    const found = await rows(this.em, 'select org_id from org_directory where slug = ? and not deleted', [value]);
    const candidates = [...found.map((r) => String(r.org_id)), value];
    const target = candidates.find((id) => roleIn(principal, id));
    if (!target)
      throw new TrellisError('not_found', 'No organization you belong to has this slug', {
        field: 'targetOrgSlug',
      });
    return target;
  }

  async initiate(
    principal: Principal,
    orgId: string,
    input: { resourceType: string; resourceId: string; targetOrgSlug: string; note?: string | null },
    requestId?: string,
  ) {
    requireAdmin(principal, orgId, 'organization');
    if (!(RESOURCE_TYPES as readonly string[]).includes(input.resourceType))
      throw invalidField('input.resourceType', `resourceType must be one of ${RESOURCE_TYPES.join(', ')}`);
    const note = input.note == null ? null : input.note.trim();
    if (note != null && note.length > 500) throw invalidField('input.note', 'note is at most 500 characters');
    const targetOrgId = await this.resolveTarget(principal, input.targetOrgSlug);
    if (targetOrgId === orgId)
      throw invalidField('input.targetOrgSlug', 'the target organization is the one that owns the resource');
    const resource = await this.resource(this.em, input.resourceType as ResourceType, input.resourceId);
    if (!resource || resource.org_id !== orgId)
      throw new TrellisError('not_found', `${input.resourceType} not found`, { field: 'resourceId' });
    if (resource.live === false) throw conflict(`the ${input.resourceType} is terminated`);
    const id = newId('xfer');
    try {
      await this.vms.inTransaction(async ({ tx }) => {
        await tx.execute(
          `insert into transfers (id, source_org_id, target_org_id, resource_type, resource_id, resource_name, note,
             status, initiated_by, created_at) values (?, ?, ?, ?, ?, ?, ?, 'pending', ?, now())`,
          [id, orgId, targetOrgId, input.resourceType, input.resourceId, resource.name, note, principal.id],
        );
        this.record(tx, 'transfer.initiated', { id, orgId, targetOrgId, input, resource }, principal, requestId);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`this ${input.resourceType} already has a pending transfer`);
      throw error;
    }
    return this.get(id);
  }

  private async resource(em: EntityManager, type: ResourceType, id: string) {
    const row =
      type === 'vm'
        ? await one(em, 'select org_id, name, status from vms where id = ? and cluster_id is null', [id])
        : await one(em, 'select org_id, name, desired_state as status from clusters where id = ?', [id]);
    if (!row) return undefined;
    return { org_id: String(row.org_id), name: String(row.name), live: row.status !== 'terminated' };
  }

  private record(
    tx: EntityManager,
    type: string,
    t: {
      id: string;
      orgId: string;
      targetOrgId: string;
      input: { resourceType: string; resourceId: string };
      resource: { name: string };
    },
    actor: Principal,
    requestId?: string,
  ) {
    for (const orgId of [t.orgId, t.targetOrgId])
      recordEvent(tx, {
        orgId,
        type,
        subject: { type: 'transfer', id: t.id },
        data: {
          transferId: t.id,
          resourceType: t.input.resourceType,
          resourceId: t.input.resourceId,
          resourceName: t.resource.name,
          sourceOrgId: t.orgId,
          targetOrgId: t.targetOrgId,
          message: `Transfer of ${t.input.resourceType} ${t.resource.name}: ${type.split('.')[1]}`,
        },
        actor,
        requestId,
      });
  }

  async get(id: string) {
    return transferFromRow((await one(this.em, `${ENRICHED} where t.id = ?`, [id])) as Row);
  }

  async incoming(orgId: string) {
    return (
      await rows(
        this.em,
        `${ENRICHED} where t.target_org_id = ? and t.status = 'pending' order by t.created_at desc limit 500`,
        [orgId],
      )
    ).map(transferFromRow);
  }

  async outgoing(orgId: string) {
    return (
      await rows(this.em, `${ENRICHED} where t.source_org_id = ? order by t.created_at desc limit 500`, [orgId])
    ).map(transferFromRow);
  }

  async pendingCount(orgId: string): Promise<number> {
    const row = await one(
      this.em,
      "select count(*)::int as n from transfers where target_org_id = ? and status = 'pending'",
      [orgId],
    );
    return Number(row?.n ?? 0);
  }

  /** Decides a pending transfer under its row lock: accept/reject by the target's admins, cancel by the source's. */
  private async decide(
    principal: Principal,
    id: string,
    decision: 'accepted' | 'rejected' | 'cancelled',
    requestId: string | undefined,
    apply?: (ctx: Parameters<Parameters<VmService['inTransaction']>[0]>[0], transfer: Row) => Promise<void>,
  ): Promise<boolean> {
    await this.vms.inTransaction(async (ctx) => {
      const transfer = await one(ctx.tx, 'select * from transfers where id = ? for update', [id]);
      const side = decision === 'cancelled' ? 'source_org_id' : 'target_org_id';
      if (!transfer || !roleIn(principal, String(transfer[side]))) throw notFound('transfer');
      requireAdmin(principal, String(transfer[side]), 'transfer');
      if (transfer.status !== 'pending') throw conflict(`the transfer is already ${String(transfer.status)}`);
      await apply?.(ctx, transfer);
      await ctx.tx.execute('update transfers set status = ?, decided_by = ?, decided_at = now() where id = ?', [
        decision,
        principal.id,
        id,
      ]);
      this.record(
        ctx.tx,
        `transfer.${decision}`,
        {
          id,
          orgId: String(transfer.source_org_id),
          targetOrgId: String(transfer.target_org_id),
          input: { resourceType: String(transfer.resource_type), resourceId: String(transfer.resource_id) },
          resource: { name: String(transfer.resource_name) },
        },
        principal,
        requestId,
      );
    });
    return true;
  }

  reject(principal: Principal, id: string, requestId?: string) {
    return this.decide(principal, id, 'rejected', requestId);
  }

  cancel(principal: Principal, id: string, requestId?: string) {
    return this.decide(principal, id, 'cancelled', requestId);
  }

  /**
   * Re-homes the resource: usage up to now is metered to the source, then the VM (or the cluster and its
   * replicas) and a VM's snapshots move to the target. Keys and registry credentials belong to the
   * source organization, so the VM's key attachments are replaced by `sshKeyIds` (the target's keys) and
   * its registry credential is cleared.
   */
  accept(principal: Principal, id: string, sshKeyIds: string[] | null | undefined, requestId?: string) {
    const keys = sshKeyIds ?? [];
    if (keys.length > 20) throw invalidField('sshKeyIds', 'at most 20 SSH keys');
    return this.decide(principal, id, 'accepted', requestId, async (ctx, transfer) => {
      const target = String(transfer.target_org_id);
      const source = String(transfer.source_org_id);
      const resourceId = String(transfer.resource_id);
      const now = new Date();
      const workloads =
        transfer.resource_type === 'vm'
          ? [resourceId]
          : (await rows(ctx.tx, 'select id from vms where cluster_id = ? order by id', [resourceId])).map((r) =>
              String(r.id),
            );
      if (transfer.resource_type === 'cluster') {
        const cluster = await one(ctx.tx, 'select * from clusters where id = ? and org_id = ? for update', [
          resourceId,
          source,
        ]);
        if (!cluster || cluster.desired_state === 'terminated') throw conflict('the cluster is gone or terminated');
        await ctx.tx.execute('update clusters set org_id = ?, updated_at = now() where id = ?', [target, resourceId]);
      }
      for (const workloadId of workloads) {
        const vm = await lockVm(ctx.tx, workloadId);
        if (!vm || vm.org_id !== source)
          throw conflict(`the ${String(transfer.resource_type)} is no longer the source's`);
        if (transfer.resource_type === 'vm' && vm.status === 'terminated') throw conflict('the VM is terminated');
        if (vm.status === 'running') await meterUntil(ctx.tx, vm, now);
        await ctx.tx.execute(
          'update vms set org_id = ?, registry_credential_id = null, updated_at = now() where id = ?',
          [target, workloadId],
        );
        if (vm.node_id != null) {
          await ctx.driver.touch(ctx.tx, String(vm.node_id));
          ctx.touched.add(String(vm.node_id));
        }
      }
      if (transfer.resource_type === 'vm') {
        await ctx.tx.execute('update snapshots set org_id = ? where vm_id = ?', [target, resourceId]);
        await ctx.tx.execute('delete from vm_ssh_keys where vm_id = ?', [resourceId]);
        for (const [i, keyId] of keys.entries()) {
          const key = await one(ctx.tx, 'select id from ssh_keys where id = ? and org_id = ?', [keyId, target]);
          if (!key) throw new TrellisError('not_found', 'SSH key not found', { field: `sshKeyIds.${i}` });
          await ctx.tx.execute('insert into vm_ssh_keys (vm_id, ssh_key_id) values (?, ?) on conflict do nothing', [
            resourceId,
            keyId,
          ]);
        }
      }
    });
  }
}
