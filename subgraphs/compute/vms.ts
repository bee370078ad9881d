/** GPU virtual machines (seed 003): create with the full body, read, and the user actions. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireOrgAccess } from '../../kernel/authz.ts';
import { conflict, invalidField, notFound, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { decodeCursor, type PageArgs, pageSize, toPage } from '../../kernel/pagination.ts';
import type { Principal } from '../../kernel/principal.ts';
import { type CatalogService, isTier, TIERS } from './catalog.ts';
import {
  assertAllowed,
  lockVm,
  recordVmEvent,
  type TransitionContext,
  transition,
  type VmAction,
} from './lifecycle.ts';
import type { AssignmentNotifier } from './notifier.ts';
import { noCapacityReason, type PlacementDriver, type PlacementRequest } from './scheduler.ts';
import { date, dateOrNull, json, num, one, type Row, rows, textArray, withRetry } from './sql.ts';
import * as v from './vm-input.ts';

export interface ComputeDeps {
  em: EntityManager;
  catalog: CatalogService;
  notifier: AssignmentNotifier;
  driver: PlacementDriver;
  /** Brings the compute worker's next pass forward: what a transaction committed may be work for it (worker.ts). */
  wakeWorker?: () => void;
}

export function vmFromRow(r: Row) {
  const status = String(r.status);
  const address = r.endpoint_address as string | null;
  return {
    id: String(r.id),
    orgId: String(r.org_id),
    clusterId: (r.cluster_id as string | null) ?? null,
    name: String(r.name),
    status,
    statusReason: (r.status_reason as string | null) ?? null,
    gpuModelId: String(r.gpu_model_id),
    gpuCount: num(r.gpu_count),
    tier: String(r.tier),
    imageUrl: (r.image_url as string | null) ?? null,
    containerPort: num(r.container_port),
    containerCommand: (r.container_command as string[] | null) ?? null,
    envVarNames: Object.keys((r.env_vars as Record<string, string>) ?? {}),
    diskSizeGb: num(r.disk_size_gb),
    preferredRegions: (r.preferred_regions as string[]) ?? [],
    allowFallback: Boolean(r.allow_fallback),
    registryCredentialId: (r.registry_credential_id as string | null) ?? null,
    healthCheckPath: (r.health_check_path as string | null) ?? null,
    healthCheckPort: r.health_check_port == null ? null : num(r.health_check_port),
    templateId: (r.template_id as string | null) ?? null,
    public: Boolean(r.public),
    resourceSize: (r.resource_size as string | null) ?? null,
    privileged: Boolean(r.privileged),
    kernelModules: (r.kernel_modules as string[]) ?? [],
    region: (r.region as string | null) ?? null,
    nodeId: (r.node_id as string | null) ?? null,
    runtime: (r.runtime as string | null) ?? null,
    sourceSnapshotId: (r.source_snapshot_id as string | null) ?? null,
    endpointUrl: status === 'running' && address ? `http://${address}/${String(r.id)}/` : null,
    pricePerHourCents: num(r.price_cents_per_hour),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    startedAt: dateOrNull(r.started_at),
    terminatedAt: dateOrNull(r.terminated_at),
  };
}
export type VmView = ReturnType<typeof vmFromRow>;

/** An org's VMs (not cluster replicas), newest first, keyset-paged; served by the partial index `vms_org_list`. */
export const vmListSql = (afterCursor: boolean) =>
  `select * from vms where org_id = ? and cluster_id is null ${afterCursor ? 'and id < ?' : ''} order by id desc limit ?`;

const placementOf = (vm: Row): PlacementRequest => ({
  gpuModelId: String(vm.gpu_model_id),
  gpuCount: num(vm.gpu_count),
  tier: String(vm.tier),
  preferredRegions: (vm.preferred_regions as string[]) ?? [],
  allowFallback: Boolean(vm.allow_fallback),
});

/**
 * Tries to place a locked pending workload now: provisioning on a node, or still pending with the reason.
 * The first attempt (`fresh`) records `vm.pending` when there is no capacity.
 */
export async function tryPlace(ctx: TransitionContext, vm: Row): Promise<Row> {
  const request = placementOf(vm);
  const placement = await ctx.driver.place(ctx.tx, request);
  if (!placement) {
    const reason = noCapacityReason(request);
    if (vm.status_reason !== reason)
      await ctx.tx.execute('update vms set status_reason = ? where id = ?', [reason, vm.id]);
    return { ...vm, status_reason: reason };
  }
  ctx.touched.add(placement.nodeId);
  return transition(ctx, vm, {
    status: 'provisioning',
    set: { node_id: placement.nodeId, region: placement.region, runtime: placement.runtime },
  });
}

export type WorkloadSpec = Awaited<ReturnType<VmService['validate']>>;

/** Inserts a pending workload (a VM, or a cluster's replica) from a validated spec. */
export async function insertWorkload(
  tx: EntityManager,
  orgId: string,
  values: WorkloadSpec,
  identity: { name: string; clusterId: string | null; fork?: { snapshotId: string } },
): Promise<Row> {
  const now = new Date();
  return (await one(
    tx,
    `insert into vms (id, org_id, cluster_id, name, status, gpu_model_id, gpu_count, tier, image_url, container_port,
       container_command, env_vars, disk_size_gb, preferred_regions, allow_fallback, registry_credential_id,
       health_checks, health_check_path, health_check_port, template_id, public, resource_size, privileged,
       kernel_modules, price_cents_per_hour, pending_since, created_at, updated_at, source_snapshot_id)
     values (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?::text[], ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?,
       ?::jsonb, ?, ?, ?, ?, ?)
     returning *`,
    [
      newId(identity.clusterId ? 'rep' : 'vm'),
      orgId,
      identity.clusterId,
      identity.name,
      values.gpuModelId,
      values.gpuCount,
      values.tier,
      values.imageUrl,
      values.containerPort,
      json(values.containerCommand),
      json(values.envVars),
      values.diskSizeGb,
      textArray(values.preferredRegions),
      values.allowFallback,
      values.registryCredentialId,
      json(values.healthChecks),
      values.healthCheckPath,
      values.healthCheckPort,
      values.templateId,
      values.public,
      values.resourceSize,
      values.privileged,
      json(values.kernelModules),
      values.pricePerHourCents,
      now,
      now,
      now,
      identity.fork?.snapshotId ?? null,
    ],
  )) as Row;
}

export class VmService {
  private readonly deps: ComputeDeps;

  constructor(deps: ComputeDeps) {
    this.deps = deps;
  }

  private get em() {
    return this.deps.em;
  }

  /** Where workloads are placed (the worker retries only the pending ones its `mayPlaceSql` admits). */
  get driver(): PlacementDriver {
    return this.deps.driver;
  }

  /** One read outside any transaction (the worker's check for due work). */
  readOne(text: string, params: unknown[]): Promise<Row | undefined> {
    return one(this.em.fork() as EntityManager, text, params);
  }

  /** Runs `fn` in a transaction and wakes the touched nodes' agents and the compute worker after it commits. */
  async inTransaction<T>(fn: (ctx: TransitionContext) => Promise<T>): Promise<T> {
    const touched = new Set<string>();
    const result = await withRetry(() =>
      this.em.fork().transactional((tx) => fn({ tx: tx as EntityManager, driver: this.deps.driver, touched })),
    );
    this.deps.notifier.publish(touched);
    this.deps.wakeWorker?.();
    return result;
  }

  async create(principal: Principal, orgId: string, input: v.CreateVmInput, requestId?: string): Promise<VmView> {
    return this.insertAndPlace(principal, orgId, await this.validate(orgId, input), requestId);
  }

  /** Inserts a validated VM (a fork: restored from `fork.snapshotId` on whichever node runs it) and tries to place it. */
  async insertAndPlace(
    principal: Principal,
    orgId: string,
    values: WorkloadSpec,
    requestId?: string,
    fork?: { snapshotId: string },
  ): Promise<VmView> {
    await this.refuseWhenDepleted(orgId);
    const row = await this.inTransaction(async (ctx) => {
      const inserted = await insertWorkload(ctx.tx, orgId, values, { name: values.name, clusterId: null, fork });
      for (const keyId of values.sshKeyIds)
        await ctx.tx.execute('insert into vm_ssh_keys (vm_id, ssh_key_id) values (?, ?)', [inserted.id, keyId]);
      recordVmEvent(ctx.tx, inserted, principal, requestId, 'vm.created');
      const placed = await tryPlace(ctx, inserted);
      if (placed.status === 'pending') recordVmEvent(ctx.tx, placed, principal, requestId);
      return placed;
    });
    return vmFromRow(row);
  }

  /** Resolves defaults (template, catalog) and checks every field of the body. */
  async validate(orgId: string, input: v.CreateVmInput) {
    const template = input.templateId ? await this.deps.catalog.vmTemplate(input.templateId) : null;
    if (input.templateId && !template) throw invalidField('input.templateId', 'templateId is not in the catalog');
    const tier = input.tier ?? 'community';
    if (!isTier(tier)) throw invalidField('input.tier', `tier must be one of ${TIERS.join(', ')}`);
    const gpuModelId = input.gpuModelId ?? template?.gpuModelId ?? 'rtx-4090';
    const price = await this.deps.catalog.price(gpuModelId, tier);
    if (!price)
      throw invalidField(
        input.gpuModelId ? 'input.gpuModelId' : 'input.tier',
        `${gpuModelId} is not sold in the ${tier} tier (see GET /v1/gpu-models and /v1/pricing)`,
      );
    const gpuCount = v.intIn('gpuCount', input.gpuCount ?? template?.gpuCount ?? 1, 1, 16);
    const locations = new Set((await this.deps.catalog.locations()).map((l) => l.id));
    const preferredRegions = v.idList('preferredRegions', input.preferredRegions ?? [], 10);
    preferredRegions.forEach((region, i) => {
      if (!locations.has(region))
        throw invalidField(`input.preferredRegions.${i}`, `${region} is not a location (see GET /v1/locations)`);
    });
    const healthChecks = input.healthChecks ?? [];
    if (healthChecks.length > 5) throw invalidField('input.healthChecks', 'healthChecks may hold at most 5 checks');
    healthChecks.forEach((check, i) => {
      if (check.path != null) v.healthPath(check.path, `healthChecks.${i}.path`);
      if (check.port != null) v.intIn(`healthChecks.${i}.port`, check.port, 1, 65535);
      if (check.intervalSeconds != null) v.intIn(`healthChecks.${i}.intervalSeconds`, check.intervalSeconds, 1, 3600);
    });
    const sshKeyIds = v.idList('sshKeyIds', input.sshKeyIds ?? [], 20);
    if (sshKeyIds.length) {
      const found = await rows(this.em, 'select id from ssh_keys where org_id = ? and id = any(?::text[])', [
        orgId,
        textArray(sshKeyIds),
      ]);
      const known = new Set(found.map((r) => String(r.id)));
      const missing = sshKeyIds.findIndex((id) => !known.has(id));
      if (missing >= 0)
        throw new TrellisError('not_found', 'SSH key not found', { field: `input.sshKeyIds.${missing}` });
    }
    if (input.registryCredentialId) {
      const credential = await one(this.em, 'select id from registry_credentials where id = ? and org_id = ?', [
        input.registryCredentialId,
        orgId,
      ]);
      if (!credential)
        throw new TrellisError('not_found', 'registry credential not found', { field: 'input.registryCredentialId' });
    }
    const healthCheckPath =
      input.healthCheckPath != null
        ? v.healthPath(input.healthCheckPath, 'healthCheckPath')
        : (healthChecks.find((c) => c.path)?.path ?? null);
    return {
      name: v.vmName(input.name),
      tier,
      gpuModelId,
      gpuCount,
      imageUrl: input.imageUrl != null ? v.imageUrl(input.imageUrl) : (template?.imageUrl ?? null),
      containerPort: v.intIn('containerPort', input.containerPort ?? template?.containerPort ?? 8080, 1, 65535),
      containerCommand:
        input.containerCommand != null
          ? v.containerCommand(input.containerCommand)
          : (template?.containerCommand ?? null),
      envVars: { ...(template?.envVars ?? {}), ...v.envVars(input.envVars) },
      diskSizeGb: v.intIn('diskSizeGb', input.diskSizeGb ?? template?.diskSizeGb ?? 50, 1, 10_000),
      preferredRegions,
      allowFallback: input.allowFallback ?? true,
      registryCredentialId: input.registryCredentialId ?? null,
      healthChecks: healthChecks.length ? healthChecks : null,
      healthCheckPath,
      healthCheckPort:
        input.healthCheckPort != null
          ? v.intIn('healthCheckPort', input.healthCheckPort, 1, 65535)
          : (healthChecks.find((c) => c.port)?.port ?? null),
      templateId: template?.id ?? null,
      public: input.public ?? false,
      resourceSize: input.resourceSize != null ? v.resourceSize(input.resourceSize) : null,
      privileged: input.privileged ?? false,
      kernelModules: v.kernelModules(input.kernelModules ?? []),
      sshKeyIds,
      pricePerHourCents: price.pricePerGpuHourCents * gpuCount,
    };
  }

  /** New VMs are refused while billing says the org's prepaid balance is used up. */
  async refuseWhenDepleted(orgId: string): Promise<void> {
    const flag = await one(this.em, 'select depleted_since from org_balance_flags where org_id = ?', [orgId]);
    if (flag?.depleted_since != null) throw new TrellisError('insufficient_balance');
  }

  /** A VM the caller may read (another org's is not found). Cluster replicas are not VMs. */
  async get(principal: Principal, id: string): Promise<VmView | null> {
    const row = await one(this.em, 'select * from vms where id = ? and cluster_id is null', [id]);
    if (!row) return null;
    requireOrgAccess(principal, String(row.org_id), 'VM');
    return vmFromRow(row);
  }

  async require(principal: Principal, id: string): Promise<VmView> {
    const vm = await this.get(principal, id);
    if (!vm) throw notFound('VM');
    return vm;
  }

  catalogModel(gpuModelId: string) {
    return this.deps.catalog.gpuModel(gpuModelId);
  }

  async detail(principal: Principal, id: string) {
    const vm = await this.get(principal, id);
    if (!vm) return null;
    const nodeRow = vm.nodeId
      ? await one(this.em, 'select id, name, region, tier, runtime, status from nodes where id = ?', [vm.nodeId])
      : undefined;
    const node = nodeRow
      ? {
          id: String(nodeRow.id),
          name: String(nodeRow.name),
          region: String(nodeRow.region),
          tier: String(nodeRow.tier),
          runtime: String(nodeRow.runtime),
          status: String(nodeRow.status),
        }
      : null;
    return {
      vm,
      gpuModel: await this.deps.catalog.gpuModel(vm.gpuModelId),
      node,
      template: vm.templateId ? await this.deps.catalog.vmTemplate(vm.templateId) : null,
      pricePerHourCents: vm.pricePerHourCents,
    };
  }

  async list(orgId: string, args: PageArgs) {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { id: 'text' });
    const found = await rows(
      this.em,
      vmListSql(Boolean(after)),
      after ? [orgId, after.id, limit + 1] : [orgId, limit + 1],
    );
    return toPage(found.map(vmFromRow), limit, (vm) => ({ id: vm.id }));
  }

  listByOrg(orgId: string) {
    return this.list(orgId, { limit: 100 }).then((page) => page.items);
  }

  /** Applies a user action to a VM the caller may write, under its row lock. */
  private async act(
    principal: Principal,
    id: string,
    action: VmAction,
    apply: (ctx: TransitionContext, vm: Row) => Promise<Row>,
  ): Promise<VmView> {
    await this.require(principal, id);
    const row = await this.inTransaction(async (ctx) => {
      const vm = await lockVm(ctx.tx, id);
      if (!vm) throw notFound('VM');
      requireOrgAccess(principal, String(vm.org_id), 'VM', 'member');
      assertAllowed(vm, action);
      return apply(ctx, vm);
    });
    return vmFromRow(row);
  }

  stop(principal: Principal, id: string, requestId?: string) {
    return this.act(principal, id, 'stop', (ctx, vm) =>
      vm.node_id == null
        ? transition(ctx, vm, { status: 'stopped', reason: 'stopped by the user', actor: principal, requestId })
        : transition(ctx, vm, { status: 'stopping', actor: principal, requestId }),
    );
  }

  /** A running VM restarts in place (a new generation); a stopped or failed one is scheduled again. */
  restart(principal: Principal, id: string, requestId?: string) {
    return this.act(principal, id, 'restart', async (ctx, vm) => {
      const snapshot = await one(ctx.tx, "select id from snapshots where vm_id = ? and status = 'creating'", [vm.id]);
      if (snapshot) throw conflict(`snapshot ${String(snapshot.id)} of this VM's disk is still being taken`);
      if (vm.status === 'running')
        return transition(ctx, vm, {
          status: 'provisioning',
          reason: 'restarting',
          set: { generation: num(vm.generation) + 1 },
          actor: principal,
          requestId,
        });
      await this.refuseWhenDepleted(String(vm.org_id));
      const pending = await transition(ctx, vm, {
        status: 'pending',
        set: { generation: num(vm.generation) + 1 },
        actor: principal,
        requestId,
      });
      return tryPlace(ctx, pending);
    });
  }

  reboot(principal: Principal, id: string, requestId?: string) {
    return this.act(principal, id, 'reboot', (ctx, vm) =>
      transition(ctx, vm, {
        status: 'provisioning',
        reason: 'rebooting',
        set: { generation: num(vm.generation) + 1 },
        actor: principal,
        requestId,
      }),
    );
  }

  terminate(principal: Principal, id: string, requestId?: string) {
    return this.act(principal, id, 'terminate', (ctx, vm) =>
      vm.node_id == null
        ? transition(ctx, vm, { status: 'terminated', actor: principal, requestId })
        : transition(ctx, vm, { status: 'terminating', actor: principal, requestId }),
    );
  }

  resizeDisk(principal: Principal, id: string, newSizeGb: number) {
    return this.act(principal, id, 'resize-disk', async (ctx, vm) => {
      const size = v.intIn('newSizeGb', newSizeGb, 1, 10_000);
      if (size <= num(vm.disk_size_gb))
        throw new TrellisError('conflict', `a disk only grows: newSizeGb must be larger than ${num(vm.disk_size_gb)}`, {
          field: 'newSizeGb',
        });
      return (await one(ctx.tx, 'update vms set disk_size_gb = ?, updated_at = now() where id = ? returning *', [
        size,
        vm.id,
      ])) as Row;
    });
  }
}
