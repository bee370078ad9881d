/**
 * The runners of a runner pool (docs/compute.md#runner-pools): a pool of size N keeps N runner workloads
 * on nodes, placed by the same driver as VMs (`placeRunner`: one runner slot per CPU core a node reported,
 * 0 GPUs, `FOR UPDATE SKIP LOCKED`) and started by the node agent, which runs the built-in runner program
 * (agent/runner-workload.ts) with the `process` runtime.
 *
 *   pending → provisioning (placed) → running (the agent saw it healthy) → stopping (SIGTERM: drains its
 *   job) → stopped;  provisioning/running → failed (it exited, its node was lost) — and is replaced.
 *
 * The pool decides how many runners live: `size` while the pool is active or draining, 0 once deleted.
 * `reconcilePool` creates, places and stops runners to match, inside the caller's transaction; the
 * compute worker runs it for every pool out of balance (a failed runner, a pending one, a lost node).
 *
 * Credential: each runner holds a token derived from its id with an internal key (HMAC-SHA256): never
 * stored, handed only to the agent of the runner's node in its assignment, checked by recomputing it, and
 * honoured only while the runner is live (not stopped or failed) and only for its pool's queue through
 * the `runner*Job` mutations (`RunnerJobChannel`).
 */
import { createHmac } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import type { Principal } from '../../kernel/principal.ts';
import { safeEqual } from '../../kernel/secrets.ts';
import type { JobService } from './jobs/service.ts';
import type { TransitionContext } from './lifecycle.ts';
import { NO_RUNNER_SLOT_REASON } from './scheduler.ts';
import { date, dateOrNull, num, one, type Row, rows } from './sql.ts';
import type { VmService } from './vms.ts';

const POOL_QUEUE_PREFIX = 'pool.';
/** Counted against the pool's size. */
const LIVE = ['pending', 'provisioning', 'running'];
/** Holding a slot on a node. */
const ON_NODE = ['provisioning', 'running', 'stopping'];
/** Whose token still works (a stopping runner finishes and reports its current job). */
const CREDENTIALED = ON_NODE;
const BATCH = 100;
/** A runner's disk when its pool names none (GB; the process runtime's quota watchdog). */
const DEFAULT_RUNNER_DISK_GB = 10;
const TOKEN_SHAPE = /^trl_run_[A-Za-z0-9_-]{43}$/;

export type RunnerStatus = 'pending' | 'provisioning' | 'running' | 'stopping' | 'stopped' | 'failed';

export const runnerFromRow = (r: Row) => ({
  id: String(r.id),
  status: String(r.status),
  statusReason: (r.status_reason as string | null) ?? null,
  nodeId: (r.node_id as string | null) ?? null,
  createdAt: date(r.created_at),
  startedAt: dateOrNull(r.started_at),
});

/** The runner's credential: HMAC of its id under the compute's internal runner key. */
export function runnerToken(key: Buffer, runnerId: string): string {
  return `trl_run_${createHmac('sha256', key).update(runnerId).digest('base64url')}`;
}

/** Moves a locked runner to `status`, giving its slot back when it leaves its node. */
async function setStatus(ctx: TransitionContext, runner: Row, status: RunnerStatus, reason: string | null) {
  const nodeId = runner.node_id == null ? null : String(runner.node_id);
  const leaves = nodeId != null && !ON_NODE.includes(status);
  if (nodeId) {
    if (leaves) await ctx.driver.releaseRunner(ctx.tx, nodeId);
    else await ctx.driver.touch(ctx.tx, nodeId);
    ctx.touched.add(nodeId);
  }
  await ctx.tx.execute(
    `update pool_runners set status = ?, status_reason = ?, updated_at = now(),
       node_id = case when ? then null else node_id end, last_node_id = coalesce(?, last_node_id),
       started_at = case when ? = 'running' then now() else started_at end,
       stopped_at = case when ? in ('stopped', 'failed') then now() else stopped_at end
     where id = ?`,
    [status, reason, leaves, nodeId, status, status, runner.id],
  );
}

/** Places a locked pending runner now, or leaves it pending with the reason. */
async function tryPlace(ctx: TransitionContext, runner: Row): Promise<void> {
  const placement = await ctx.driver.placeRunner(ctx.tx);
  if (!placement) {
    if (runner.status_reason !== NO_RUNNER_SLOT_REASON)
      await ctx.tx.execute('update pool_runners set status_reason = ? where id = ?', [
        NO_RUNNER_SLOT_REASON,
        runner.id,
      ]);
    return;
  }
  ctx.touched.add(placement.nodeId);
  await ctx.tx.execute(
    `update pool_runners set status = 'provisioning', status_reason = null, node_id = ?, updated_at = now() where id = ?`,
    [placement.nodeId, runner.id],
  );
}

/** Stops a runner: one not yet on a node is simply stopped; one on a node drains first. */
async function stopRunner(ctx: TransitionContext, runner: Row, reason: string): Promise<void> {
  await setStatus(ctx, runner, runner.node_id == null ? 'stopped' : 'stopping', reason);
}

/**
 * Makes the pool's live runners match what it wants (its size, or 0 once deleted): stops the extra
 * (pending ones first, then the newest), places the pending, creates the missing. Locks the pool row.
 */
export async function reconcilePool(ctx: TransitionContext, poolId: string): Promise<void> {
  const pool = await one(ctx.tx, 'select * from runner_pools where id = ? for update', [poolId]);
  if (!pool) return;
  const live = await rows(
    ctx.tx,
    `select * from pool_runners where pool_id = ? and status = any(?::text[])
     order by (status = 'pending'), id for update`,
    [poolId, `{${LIVE.join(',')}}`],
  );
  const desired = pool.status === 'deleted' ? 0 : num(pool.size);
  const reason = pool.status === 'deleted' ? 'the pool was deleted' : 'the pool was resized';
  for (const extra of live.slice(desired).reverse()) await stopRunner(ctx, extra, reason);
  for (const runner of live.slice(0, desired)) if (runner.status === 'pending') await tryPlace(ctx, runner);
  for (let i = live.length; i < desired; i++) {
    const runner = (await one(
      ctx.tx,
      `insert into pool_runners (id, pool_id, org_id, status, pending_since, created_at, updated_at)
       values (?, ?, ?, 'pending', now(), now(), now()) returning *`,
      [newId('prun'), poolId, pool.org_id],
    )) as Row;
    await tryPlace(ctx, runner);
  }
}

/** The worker's pass: every pool whose live runners differ from what it wants, or that has some pending. */
/** Pools whose live runners differ from their size, or with a runner waiting for a slot (the worker's due read too). */
export const POOLS_TO_RECONCILE = {
  sql: `from runner_pools p
       where (select count(*) from pool_runners r where r.pool_id = p.id and r.status = any(?::text[]))
           <> case when p.status = 'deleted' then 0 else p.size end
         or exists (select 1 from pool_runners r where r.pool_id = p.id and r.status = 'pending')`,
  params: [`{${LIVE.join(',')}}`] as unknown[],
};

export async function reconcilePools(vms: VmService): Promise<number> {
  return vms.inTransaction(async (ctx) => {
    const due = await rows(
      ctx.tx,
      `select p.id ${POOLS_TO_RECONCILE.sql} order by p.id limit ? for update skip locked`,
      [...POOLS_TO_RECONCILE.params, BATCH],
    );
    for (const { id } of due) await reconcilePool(ctx, String(id));
    return due.length;
  });
}

/** A node out of service (lost, removed): its runners fail (the worker replaces them) or finish stopping. */
export async function evacuateRunners(ctx: TransitionContext, nodeId: string, reason: string): Promise<number> {
  const found = await rows(
    ctx.tx,
    'select * from pool_runners where node_id = ? and status = any(?::text[]) order by id for update',
    [nodeId, `{${ON_NODE.join(',')}}`],
  );
  for (const runner of found)
    await setStatus(
      ctx,
      runner,
      runner.status === 'stopping' ? 'stopped' : 'failed',
      runner.status === 'stopping' ? null : reason,
    );
  return found.length;
}

/** The runners the node's agent must run (or drain), as agent workloads. */
export async function runnerAssignments(em: EntityManager, nodeId: string, key: Buffer) {
  const found = await rows(
    em,
    `select r.*, p.disk_size_gb from pool_runners r join runner_pools p on p.id = r.pool_id
     where r.node_id = ? and r.status = any(?::text[]) order by r.id`,
    [nodeId, `{${ON_NODE.join(',')}}`],
  );
  return found.map((r) => ({
    id: String(r.id),
    kind: 'runner',
    clusterId: null,
    orgId: String(r.org_id),
    // A runner never restarts in place: a failed one is replaced by a new runner.
    generation: 1,
    desiredState: r.status === 'stopping' ? 'terminated' : 'running',
    name: `runner-${String(r.id).slice(-8).toLowerCase()}`,
    imageUrl: null,
    containerPort: 0,
    // The agent runs its own copy of the runner program (agent/runner-workload.ts).
    containerCommand: null,
    envVars: {
      TRELLIS_RUNNER_ID: String(r.id),
      TRELLIS_RUNNER_TOKEN: runnerToken(key, String(r.id)),
      TRELLIS_RUNNER_QUEUE: `${POOL_QUEUE_PREFIX}${r.pool_id}`,
    },
    diskSizeGb: r.disk_size_gb == null ? DEFAULT_RUNNER_DISK_GB : num(r.disk_size_gb),
    healthCheckPath: '/',
    healthCheckPort: null,
    public: false,
    restoreSnapshotId: null,
    restoreSnapshotSha256: null,
    registryAuth: null,
    sshPublicKeys: [],
  }));
}

/** The agent's report of a runner's transition; stale or foreign reports are ignored. */
export async function reportRunner(
  ctx: TransitionContext,
  nodeId: string,
  input: { workloadId: string; state: string; reason?: string | null },
): Promise<boolean> {
  const runner = await one(ctx.tx, 'select * from pool_runners where id = ? for update', [input.workloadId]);
  if (!runner || runner.node_id !== nodeId) return false;
  const to = ((): RunnerStatus | null => {
    if (input.state === 'running' && runner.status === 'provisioning') return 'running';
    if (input.state === 'failed' && (runner.status === 'provisioning' || runner.status === 'running')) return 'failed';
    if ((input.state === 'terminated' || input.state === 'failed') && runner.status === 'stopping') return 'stopped';
    return null;
  })();
  if (!to) return false;
  await setStatus(
    ctx,
    runner,
    to,
    to === 'failed'
      ? (input.reason ?? 'the runner failed on its node')
      : to === 'stopped'
        ? ((runner.status_reason as string | null) ?? null)
        : null,
  );
  return true;
}

/** A pool's runners that are live or stopping, oldest first. */
export async function poolRunners(em: EntityManager, poolId: string) {
  const found = await rows(
    em,
    `select * from pool_runners where pool_id = ? and status = any(?::text[]) order by id limit 1000`,
    [poolId, `{${[...LIVE, 'stopping'].join(',')}}`],
  );
  return found.map(runnerFromRow);
}

const refused = () => new TrellisError('unauthenticated', 'The runner credential is unknown or its runner stopped');

/**
 * A runner's job calls, with its own credential: claims one job of its pool's queue at a time (through
 * the pool's claim gate: never more than the pool's size at once), heartbeats and finishes the jobs it
 * holds. Acts for the pool's organization as a `jobs:work` service principal scoped to that one queue.
 */
export class RunnerJobChannel {
  readonly #em: EntityManager;
  readonly #jobs: JobService;
  readonly #key: Buffer;

  constructor(em: EntityManager, jobs: JobService, key: Buffer) {
    this.#em = em;
    this.#jobs = jobs;
    this.#key = key;
  }

  private async authenticate(runnerId: string, token: string) {
    if (!TOKEN_SHAPE.test(token) || !/^[A-Za-z0-9_-]{1,100}$/.test(runnerId)) throw refused();
    if (!safeEqual(token, runnerToken(this.#key, runnerId))) throw refused();
    const runner = await one(this.#em.fork(), 'select * from pool_runners where id = ?', [runnerId]);
    if (!runner || !CREDENTIALED.includes(String(runner.status))) throw refused();
    const orgId = String(runner.org_id);
    const principal: Principal = {
      kind: 'service',
      id: 'svc_pool_runner',
      orgId,
      memberships: [{ orgId, role: 'member' }],
      scopes: ['jobs:work'],
    };
    return { runner, orgId, principal, queue: `${POOL_QUEUE_PREFIX}${runner.pool_id}` };
  }

  /** One job of the pool's queue, or null (none ready, the pool at its size, or the runner draining). */
  async claim(runnerId: string, token: string) {
    const { runner, orgId, principal, queue } = await this.authenticate(runnerId, token);
    if (!LIVE.includes(String(runner.status))) return null;
    const [job] = await this.#jobs.claim(orgId, { queue, workerId: runnerId, batchSize: 1 }, { principal });
    return job ?? null;
  }

  /** The job, if it is of the runner's pool queue (any other answers not found, as another org's would). */
  private async own(runnerId: string, token: string, jobId: string) {
    const who = await this.authenticate(runnerId, token);
    const job = await one(this.#em.fork(), 'select org_id, queue from jobs where id = ?', [jobId]);
    if (!job || job.org_id !== who.orgId || job.queue !== who.queue) throw notFound('job');
    return who;
  }

  async heartbeat(runnerId: string, token: string, jobId: string) {
    const { principal } = await this.own(runnerId, token, jobId);
    return this.#jobs.heartbeat(principal, jobId, runnerId);
  }

  async finish(
    runnerId: string,
    token: string,
    jobId: string,
    input: { succeeded: boolean; result?: unknown; error?: unknown; retryable?: boolean | null },
    requestId?: string,
  ) {
    const { principal } = await this.own(runnerId, token, jobId);
    return input.succeeded
      ? this.#jobs.complete(principal, jobId, { result: input.result, workerId: runnerId }, requestId)
      : this.#jobs.fail(
          principal,
          jobId,
          { error: input.error, workerId: runnerId, retryable: input.retryable ?? null },
          requestId,
        );
  }
}
