/**
 * Provider nodes and the node agent's protocol (docs/compute.md#the-node-agent).
 *
 * A provider mints a provisioning token (shown once, stored as SHA-256); an agent registers with it and its
 * inventory and receives a node secret (shown once, hashed) for every later call: heartbeat, the long poll
 * of its assignments, and reports of each workload transition. A revoked token refuses its nodes' calls at
 * once (the agent exits) and their workloads fail or are rescheduled, exactly as for a node that stopped
 * heartbeating for TRELLIS_NODE_LOST_SECONDS.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidField, notFound, TrellisError } from '../../kernel/errors.ts';
import { newId, randomBase62 } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { type SecretBox, safeEqual, sha256Hex } from '../../kernel/secrets.ts';
import { isTier, TIERS } from './catalog.ts';
import { lockVm, ON_NODE, type TransitionContext, transition, type VmStatus } from './lifecycle.ts';
import { evacuateRunners, reportRunner, runnerAssignments } from './pool-runners.ts';
import { date, dateOrNull, num, one, type Row, rows } from './sql.ts';
import type { ComputeDeps, VmService } from './vms.ts';

export const NODE_STATUSES = ['online', 'lost', 'draining', 'maintenance', 'removed'] as const;
const OPERATOR_STATUSES = ['online', 'draining', 'maintenance', 'removed'];
const LONG_POLL_MAX_SECONDS = 8;

export const nodeFromRow = (r: Row) => ({
  id: String(r.id),
  orgId: String(r.org_id),
  name: String(r.name),
  status: String(r.status),
  region: String(r.region),
  tier: String(r.tier),
  gpuModelId: String(r.gpu_model_id),
  gpuModelName: (r.gpu_model_name as string | null) ?? null,
  gpuTotal: num(r.gpu_total),
  gpuUsed: num(r.gpu_used),
  cpuCores: num(r.cpu_cores),
  memoryGb: num(r.memory_gb),
  diskGb: num(r.disk_gb),
  runtime: String(r.runtime),
  labels: (r.labels as Record<string, string>) ?? {},
  lastHeartbeatAt: date(r.last_heartbeat_at),
  createdAt: date(r.created_at),
});

const tokenFromRow = (r: Row) => ({
  id: String(r.id),
  name: String(r.name),
  prefix: String(r.prefix),
  nodeType: (r.node_type as string | null) ?? null,
  nodePool: String(r.node_pool),
  maxNodes: num(r.max_nodes),
  nodesEnrolled: num(r.nodes_enrolled),
  expiresAt: dateOrNull(r.expires_at),
  revokedAt: dateOrNull(r.revoked_at),
  createdAt: date(r.created_at),
});

const refused = () => new TrellisError('unauthenticated', 'The node credential is unknown, revoked or removed');

/** What the agent must do with a workload in each control-plane status. */
const DESIRED: Partial<Record<VmStatus, string>> = {
  provisioning: 'running',
  running: 'running',
  stopping: 'stopped',
  terminating: 'terminated',
};

export interface NodeServiceOptions {
  heartbeatSeconds: number;
  box: SecretBox;
  /** Derives each pool runner's credential (pool-runners.ts `runnerToken`). */
  runnerTokenKey: Buffer;
}

/**
 * Takes a node out of service (lost, removed, token revoked) inside `ctx`: VMs on it fail with `reason`
 * (those stopping or terminating simply finish), cluster replicas fail and are replaced by the worker.
 */
export async function evacuateNode(ctx: TransitionContext, nodeId: string, reason: string): Promise<number> {
  const workloads = await rows(
    ctx.tx,
    `select id from vms where node_id = ? and status = any(?::text[]) order by id for update`,
    [nodeId, `{${ON_NODE.join(',')}}`],
  );
  for (const { id } of workloads) {
    const vm = await lockVm(ctx.tx, String(id));
    if (!vm || vm.node_id !== nodeId) continue;
    const status = vm.status as VmStatus;
    const next: VmStatus = status === 'stopping' ? 'stopped' : status === 'terminating' ? 'terminated' : 'failed';
    await transition(ctx, vm, { status: next, reason: next === 'failed' ? reason : null });
  }
  return workloads.length + (await evacuateRunners(ctx, nodeId, reason));
}

export class NodeService {
  private readonly deps: ComputeDeps;
  private readonly vms: VmService;
  private readonly options: NodeServiceOptions;

  constructor(deps: ComputeDeps, vms: VmService, options: NodeServiceOptions) {
    this.deps = deps;
    this.vms = vms;
    this.options = options;
  }

  private get em() {
    return this.deps.em;
  }

  // ---- provisioning tokens ----------------------------------------------------------------

  async createToken(
    orgId: string,
    input: {
      name?: string | null;
      expiresInHours?: number | null;
      nodeType?: string | null;
      maxNodes?: number | null;
      nodePool?: string | null;
    },
    requireProvider: (orgId: string) => Promise<void>,
  ) {
    await requireProvider(orgId);
    const name = (input.name ?? 'provisioning token').trim();
    if (name.length < 1 || name.length > 100) throw invalidField('input.name', 'name must be 1 to 100 characters');
    const pool = input.nodePool ?? 'community';
    if (!isTier(pool)) throw invalidField('input.nodePool', `nodePool must be one of ${TIERS.join(', ')}`);
    const hours = input.expiresInHours;
    if (hours != null && (!Number.isInteger(hours) || hours < 1 || hours > 8760))
      throw invalidField('input.expiresInHours', 'expiresInHours must be from 1 to 8760');
    const maxNodes = input.maxNodes ?? 0;
    if (!Number.isInteger(maxNodes) || maxNodes < 0 || maxNodes > 100_000)
      throw invalidField('input.maxNodes', 'maxNodes must be from 0 (unlimited) to 100000');
    if (input.nodeType != null && !/^[a-z0-9-]{1,32}$/.test(input.nodeType))
      throw invalidField('input.nodeType', 'nodeType is lowercase letters, digits and dashes');
    const token = `trl_node_${randomBase62(40)}`;
    const row = await one(
      this.em,
      `insert into provisioning_tokens (id, org_id, name, token_hash, prefix, node_type, node_pool, max_nodes, expires_at,
         created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, now()) returning *`,
      [
        newId('ptok'),
        orgId,
        name,
        sha256Hex(token),
        token.slice(0, 14),
        input.nodeType ?? null,
        pool,
        maxNodes,
        hours == null ? null : new Date(Date.now() + hours * 3_600_000),
      ],
    );
    return { token, provisioningToken: tokenFromRow(row as Row) };
  }

  async listTokens(orgId: string) {
    return (
      await rows(this.em, 'select * from provisioning_tokens where org_id = ? order by created_at desc limit 500', [
        orgId,
      ])
    ).map(tokenFromRow);
  }

  /** Revokes the token and takes its nodes out of service at once (their agents are refused from now on). */
  async revokeToken(orgId: string, id: string): Promise<boolean> {
    return this.vms.inTransaction(async (ctx) => {
      const token = await one(
        ctx.tx,
        'update provisioning_tokens set revoked_at = coalesce(revoked_at, now()) where id = ? and org_id = ? returning id',
        [id, orgId],
      );
      if (!token) throw notFound('provisioning token');
      const nodes = await rows(ctx.tx, "select * from nodes where token_id = ? and status <> 'removed' for update", [
        id,
      ]);
      for (const node of nodes) {
        await evacuateNode(ctx, String(node.id), 'its node was disconnected (provisioning token revoked)');
        await ctx.tx.execute("update nodes set status = 'removed', updated_at = now() where id = ?", [node.id]);
      }
      return true;
    });
  }

  // ---- provider's view of its nodes --------------------------------------------------------

  async listNodes(orgId: string, status?: string | null, includeRemoved?: boolean | null) {
    if (status != null && !(NODE_STATUSES as readonly string[]).includes(status))
      throw invalidField('status', `status must be one of ${NODE_STATUSES.join(', ')}`);
    const found = await rows(
      this.em,
      `select n.*, m.name as gpu_model_name from nodes n left join gpu_models m on m.id = n.gpu_model_id
       where n.org_id = ? ${status ? 'and n.status = ?' : includeRemoved ? '' : "and n.status <> 'removed'"}
       order by n.created_at desc limit 1000`,
      status ? [orgId, status] : [orgId],
    );
    return found.map(nodeFromRow);
  }

  async updateNode(orgId: string, nodeId: string, input: { status?: string | null; labels?: unknown }) {
    if (input.status != null && !OPERATOR_STATUSES.includes(input.status))
      throw invalidField('input.status', `status must be one of ${OPERATOR_STATUSES.join(', ')}`);
    const labels = input.labels;
    if (labels != null) {
      if (typeof labels !== 'object' || Array.isArray(labels))
        throw invalidField('input.labels', 'labels is an object');
      const entries = Object.entries(labels as Record<string, unknown>);
      if (entries.length > 50) throw invalidField('input.labels', 'at most 50 labels');
      for (const [key, value] of entries)
        if (!/^[a-z0-9_./-]{1,63}$/.test(key) || typeof value !== 'string' || value.length > 255)
          throw invalidField(`input.labels.${key}`, 'label keys are [a-z0-9_./-]{1,63}, values strings ≤ 255');
    }
    await this.vms.inTransaction(async (ctx) => {
      const node = await one(ctx.tx, 'select * from nodes where id = ? and org_id = ? for update', [nodeId, orgId]);
      if (!node) throw notFound('node');
      if (input.status === 'removed' && node.status !== 'removed')
        await evacuateNode(ctx, nodeId, 'its node was removed by the provider');
      // Going online again is a request: a lost node is online only once its agent heartbeats.
      const status = input.status === 'online' && node.status === 'lost' ? 'lost' : (input.status ?? node.status);
      await ctx.tx.execute(
        'update nodes set status = ?, labels = coalesce(?::jsonb, labels), updated_at = now() where id = ?',
        [status, labels == null ? null : JSON.stringify(labels), nodeId],
      );
    });
    const [node] = (await this.listNodes(orgId, null, true)).filter((n) => n.id === nodeId);
    return node as ReturnType<typeof nodeFromRow>;
  }

  async stats(orgId: string) {
    const row = (await one(
      this.em,
      `select count(*)::int as nodes,
         count(*) filter (where status = 'online')::int as online,
         coalesce(sum(gpu_total) filter (where status = 'online'), 0)::int as gpu_total,
         coalesce(sum(gpu_used) filter (where status = 'online'), 0)::int as gpu_used,
         (select count(*)::int from provisioning_tokens t where t.org_id = ? and t.revoked_at is null
            and (t.expires_at is null or t.expires_at > now())) as tokens,
         (select count(*)::int from vms w join nodes x on x.id = w.node_id where x.org_id = ? and w.status = 'running')
           as running
       from nodes where org_id = ? and status <> 'removed'`,
      [orgId, orgId, orgId],
    )) as Row;
    const total = num(row.gpu_total);
    return {
      nodes: num(row.nodes),
      onlineNodes: num(row.online),
      gpuTotal: total,
      gpuUsed: num(row.gpu_used),
      utilizationPercent: total ? Math.round((num(row.gpu_used) * 100) / total) : 0,
      activeTokens: num(row.tokens),
      runningWorkloads: num(row.running),
    };
  }

  // ---- the agent's side --------------------------------------------------------------------

  async register(
    token: string,
    inventory: {
      name: string;
      region: string;
      gpuModelId: string;
      gpuCount: number;
      cpuCores?: number | null;
      memoryGb?: number | null;
      diskGb?: number | null;
      runtime: string;
      address: string;
    },
  ) {
    if (!/^[\x21-\x7e]{1,200}$/.test(token)) throw refused();
    if (!/^[A-Za-z0-9_.-]{1,100}$/.test(inventory.name))
      throw invalidField('inventory.name', 'name is [A-Za-z0-9_.-]{1,100}');
    if (!/^[a-z0-9-]{1,63}$/.test(inventory.region)) throw invalidField('inventory.region', 'region is [a-z0-9-]');
    if (!(await this.deps.catalog.gpuModel(inventory.gpuModelId)))
      throw invalidField('inventory.gpuModelId', 'gpuModelId is not in the catalog');
    if (!Number.isInteger(inventory.gpuCount) || inventory.gpuCount < 0 || inventory.gpuCount > 64)
      throw invalidField('inventory.gpuCount', 'gpuCount must be from 0 to 64');
    if (!['process', 'docker'].includes(inventory.runtime))
      throw invalidField('inventory.runtime', 'runtime is process or docker');
    if (!/^[A-Za-z0-9.:[\]-]{1,255}$/.test(inventory.address))
      throw invalidField('inventory.address', 'address is host:port');
    const secret = `trl_nsec_${randomBase62(40)}`;
    const nodeId = await this.vms.inTransaction(async ({ tx }) => {
      const found = await one(tx, 'select * from provisioning_tokens where token_hash = ? for update', [
        sha256Hex(token),
      ]);
      if (!found || found.revoked_at != null || (found.expires_at != null && date(found.expires_at) <= new Date()))
        throw refused();
      if (num(found.max_nodes) > 0 && num(found.nodes_enrolled) >= num(found.max_nodes))
        throw new TrellisError('conflict', 'this provisioning token has enrolled its maximum number of nodes');
      await tx.execute('update provisioning_tokens set nodes_enrolled = nodes_enrolled + 1 where id = ?', [found.id]);
      const id = newId('node');
      await tx.execute(
        `insert into nodes (id, org_id, token_id, name, region, tier, gpu_model_id, gpu_total, cpu_cores, memory_gb,
           disk_gb, runtime, address, secret_hash, status, last_heartbeat_at, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'online', now(), now(), now())`,
        [
          id,
          found.org_id,
          found.id,
          inventory.name,
          inventory.region,
          found.node_pool,
          inventory.gpuModelId,
          inventory.gpuCount,
          Math.max(0, Math.min(inventory.cpuCores ?? 0, 100_000)),
          Math.max(0, Math.min(inventory.memoryGb ?? 0, 1_000_000)),
          Math.max(0, Math.min(inventory.diskGb ?? 0, 10_000_000)),
          inventory.runtime,
          inventory.address,
          sha256Hex(secret),
        ],
      );
      recordEvent(tx, {
        orgId: String(found.org_id),
        type: 'node.registered',
        subject: { type: 'node', id },
        data: {
          nodeId: id,
          name: inventory.name,
          region: inventory.region,
          gpuModelId: inventory.gpuModelId,
          gpuCount: inventory.gpuCount,
          message: `Node ${inventory.name} registered with ${inventory.gpuCount} ${inventory.gpuModelId} GPU(s)`,
        },
      });
      return id;
    });
    return { nodeId, nodeSecret: secret, heartbeatSeconds: this.options.heartbeatSeconds };
  }

  /** The node, if the secret is its own and neither the node nor its token was taken out of service. */
  async authenticate(em: EntityManager, nodeId: string, secret: string): Promise<Row> {
    const node = await one(
      em,
      `select n.*, t.revoked_at from nodes n left join provisioning_tokens t on t.id = n.token_id where n.id = ?`,
      [nodeId],
    );
    if (
      !node ||
      !safeEqual(String(node.secret_hash), sha256Hex(secret)) ||
      node.revoked_at != null ||
      node.status === 'removed'
    )
      throw refused();
    return node;
  }

  async heartbeat(nodeId: string, secret: string): Promise<boolean> {
    await this.authenticate(this.em, nodeId, secret);
    await this.recordSignOfLife(nodeId);
    return true;
  }

  /** A heartbeat or an assignment poll: the node is alive now (a `lost` node is back `online`). */
  private async recordSignOfLife(nodeId: string): Promise<void> {
    await this.em.execute(
      `update nodes set last_heartbeat_at = now(), status = case when status = 'lost' then 'online' else status end
       where id = ?`,
      [nodeId],
    );
  }

  /**
   * The node's workloads; waits for a change when the agent already has `version`. The poll counts as a
   * heartbeat when it arrives (an agent whose poll loop runs sends no separate heartbeat), so it never
   * waits longer than a heartbeat interval: a node that dies while its poll waits goes `lost` on time.
   */
  async assignments(nodeId: string, secret: string, version?: string | null, waitSeconds?: number | null) {
    let node = await this.authenticate(this.em, nodeId, secret);
    await this.recordSignOfLife(nodeId);
    const wait = Math.max(0, Math.min(waitSeconds ?? 0, LONG_POLL_MAX_SECONDS, this.options.heartbeatSeconds));
    if (version != null && version === String(node.assignment_version) && wait > 0) {
      await this.deps.notifier.wait(nodeId, wait * 1000);
      node = await this.authenticate(this.em.fork(), nodeId, secret);
    }
    const workloads = await rows(
      this.em.fork(),
      `select w.*, coalesce((select json_agg(k.public_key) from vm_ssh_keys s join ssh_keys k on k.id = s.ssh_key_id
          where s.vm_id = w.id), '[]'::json) as ssh_public_keys,
         r.server as registry_server, r.auth_type as registry_auth_type, r.sealed_credentials, r.id as registry_id,
         s.sha256 as restore_sha256
       from vms w left join registry_credentials r on r.id = w.registry_credential_id
         left join snapshots s on s.id = w.source_snapshot_id
       where w.node_id = ? and w.status = any(?::text[]) order by w.id`,
      [nodeId, `{${ON_NODE.join(',')}}`],
    );
    return {
      nodeId,
      version: String(node.assignment_version),
      workloads: workloads
        .map((w) => ({
          id: String(w.id),
          kind: w.cluster_id == null ? 'vm' : 'replica',
          clusterId: (w.cluster_id as string | null) ?? null,
          orgId: String(w.org_id),
          generation: num(w.generation),
          desiredState: DESIRED[w.status as VmStatus] ?? 'terminated',
          name: String(w.name),
          imageUrl: (w.image_url as string | null) ?? null,
          containerPort: num(w.container_port),
          containerCommand: (w.container_command as string[] | null) ?? null,
          envVars: (w.env_vars as Record<string, string>) ?? {},
          diskSizeGb: num(w.disk_size_gb),
          healthCheckPath: (w.health_check_path as string | null) ?? '/',
          healthCheckPort: w.health_check_port == null ? null : num(w.health_check_port),
          public: Boolean(w.public),
          restoreSnapshotId: (w.source_snapshot_id as string | null) ?? null,
          restoreSnapshotSha256: (w.restore_sha256 as string | null) ?? null,
          registryAuth:
            w.sealed_credentials == null
              ? null
              : {
                  server: w.registry_server,
                  authType: w.registry_auth_type,
                  credentials: JSON.parse(this.options.box.open(String(w.sealed_credentials), String(w.registry_id))),
                },
          sshPublicKeys: (w.ssh_public_keys as string[]) ?? [],
        }))
        .concat(await runnerAssignments(this.em.fork(), nodeId, this.options.runnerTokenKey)),
    };
  }

  /** The healthy replicas of a cluster as `address/replicaId`, for an agent's ingress to balance across. */
  async clusterEndpoints(nodeId: string, secret: string, clusterId: string): Promise<string[]> {
    await this.authenticate(this.em, nodeId, secret);
    const replicas = await rows(
      this.em,
      `select id, endpoint_address from vms where cluster_id = ? and status = 'running' and endpoint_address is not null
       order by id limit 100`,
      [clusterId],
    );
    return replicas.map((r) => `${r.endpoint_address}/${r.id}`);
  }

  /** A workload's transition as the agent saw it; stale reports (older generation, other node) are ignored. */
  async report(
    nodeId: string,
    secret: string,
    input: { workloadId: string; generation: number; state: string; reason?: string | null; address?: string | null },
  ): Promise<boolean> {
    await this.authenticate(this.em, nodeId, secret);
    const reason = input.reason == null ? null : input.reason.slice(0, 500);
    if (input.address != null && !/^[A-Za-z0-9.:[\]-]{1,255}$/.test(input.address))
      throw invalidField('input.address', 'address is host:port');
    return this.vms.inTransaction(async (ctx) => {
      if (input.workloadId.startsWith('prun_')) return reportRunner(ctx, nodeId, { ...input, reason });
      const vm = await lockVm(ctx.tx, input.workloadId);
      if (!vm || vm.node_id !== nodeId || num(vm.generation) !== input.generation) return false;
      const status = vm.status as VmStatus;
      const to = ((): VmStatus | null => {
        if (input.state === 'running' && status === 'provisioning') return 'running';
        if (input.state === 'stopped' && status === 'stopping') return 'stopped';
        if (input.state === 'terminated' && status === 'terminating') return 'terminated';
        if (input.state === 'failed' && (status === 'provisioning' || status === 'running')) return 'failed';
        return null;
      })();
      if (!to) return false;
      await transition(ctx, vm, {
        status: to,
        reason:
          to === 'failed'
            ? (reason ?? 'the workload failed on its node')
            : to === 'stopped'
              ? 'stopped by the user'
              : null,
        set: to === 'running' ? { endpoint_address: input.address ?? null } : {},
      });
      return true;
    });
  }
}
