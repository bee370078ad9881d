/**
 * Runner pools (seed 003's "runners", issue #10; docs/compute.md#runner-pools). A pool is a named set of
 * job-queue workers with a RAM tier and a size (the most runners working at once), bound to its own queue
 * `pool.<id>` on the job service: clients submit jobs to that queue and the pool's own runners — `size`
 * workloads on nodes, launched and replaced by the pool (pool-runners.ts) — claim and run them. API keys
 * with the `jobs:work` scope may still claim from the queue through `POST /v1/jobs/claim` with `queue`,
 * within the same size. GitHub is not involved.
 *
 * - Size: a claim on a pool queue locks the pool row, counts the pool's running jobs and hands out at most
 *   `size − running` (JobService.claim asks `claimable`): concurrent claims never over-commit.
 * - Price: each claimed job is stamped with the pool's tier and price per runner-minute; completing it
 *   bills whole minutes at that price, so a resize bills only later claims.
 * - Delete drains: the pool refuses new jobs at once; it is deleted when nothing is queued or running
 *   (a DELETE while work remains answers the draining pool; the next DELETE after the drain deletes it).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict, invalidField, notFound, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { textProblem } from '../../kernel/json-limits.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import type { PageArgs } from '../../kernel/pagination.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { JobService } from './jobs/service.ts';
import { poolRunners, reconcilePool } from './pool-runners.ts';
import { date, num, one, type Row, rows } from './sql.ts';
import type { VmService } from './vms.ts';

export const POOL_QUEUE_PREFIX = 'pool.';
export const poolQueue = (poolId: string): string => `${POOL_QUEUE_PREFIX}${poolId}`;

/**
 * The RAM tiers a pool can run on, priced per runner-minute in integer micro-dollars, beside the reference
 * price a hosted CI runner of the same RAM lists at (the cost comparison of the metrics).
 */
export const RUNNER_TIERS: ReadonlyArray<{
  ramGb: number;
  pricePerMinuteMicros: number;
  referencePerMinuteMicros: number;
}> = [
  { ramGb: 4, pricePerMinuteMicros: 1_000, referencePerMinuteMicros: 4_000 },
  { ramGb: 8, pricePerMinuteMicros: 2_000, referencePerMinuteMicros: 8_000 },
  { ramGb: 16, pricePerMinuteMicros: 4_000, referencePerMinuteMicros: 16_000 },
  { ramGb: 32, pricePerMinuteMicros: 8_000, referencePerMinuteMicros: 32_000 },
  { ramGb: 64, pricePerMinuteMicros: 16_000, referencePerMinuteMicros: 64_000 },
];
const TIER_RAMS = RUNNER_TIERS.map((t) => t.ramGb).join(', ');
const METRICS_DAYS = 30;
export const POOL_LIMITS = { size: 1_000, pools: 100, diskSizeGb: 2_000 } as const;

/** A runner's time is billed in whole minutes, at least one (the metrics SQL counts the same way). */
export const runnerMinutes = (start: Date, end: Date): number =>
  Math.max(1, Math.ceil((end.getTime() - start.getTime()) / 60_000));

function tierOf(ramGb: number) {
  const tier = RUNNER_TIERS.find((t) => t.ramGb === ramGb);
  if (!tier) throw invalidField('poolRamGb', `poolRamGb must be one of ${TIER_RAMS}`);
  return tier;
}

export interface CreateRunnerPoolInput {
  name: string;
  poolRamGb: number;
  size?: number | null;
  diskSizeGb?: number | null;
}

const poolFromRow = (r: Row) => ({
  id: String(r.id),
  orgId: String(r.org_id),
  name: String(r.name),
  poolRamGb: num(r.ram_gb),
  size: num(r.size),
  diskSizeGb: r.disk_size_gb == null ? null : num(r.disk_size_gb),
  status: String(r.status),
  queue: poolQueue(String(r.id)),
  pricePerMinuteMicros: tierOf(num(r.ram_gb)).pricePerMinuteMicros,
  /** Claimed (running) and waiting jobs of the pool's queue. */
  activeJobs: num(r.active_jobs),
  queuedJobs: num(r.queued_jobs),
  createdAt: date(r.created_at),
  updatedAt: date(r.updated_at),
});
export type RunnerPoolView = ReturnType<typeof poolFromRow>;

/** The pool columns with its usage counted from the jobs of its queue (index jobs_org_queue). */
const WITH_USAGE = `select p.*,
    (select count(*) from jobs j where j.org_id = p.org_id and j.queue = 'pool.' || p.id and j.status = 'running')::int as active_jobs,
    (select count(*) from jobs j where j.org_id = p.org_id and j.queue = 'pool.' || p.id and j.status = 'queued')::int as queued_jobs
  from runner_pools p`;

export class RunnerPoolService {
  readonly #em: EntityManager;
  readonly #jobs: JobService;
  readonly #vms: VmService;

  constructor(em: EntityManager, jobs: JobService, vms: VmService) {
    this.#em = em;
    this.#jobs = jobs;
    this.#vms = vms;
  }

  /**
   * Launches or stops the pool's runners to match its size and status, right after the pool's own
   * transaction (the compute worker's pass repairs anything a crash between the two left behind).
   */
  private async reconcileRunners(id: string): Promise<void> {
    await this.#vms.inTransaction((ctx) => reconcilePool(ctx, id));
  }

  /** The pool's runners (live or stopping) with their nodes and states. */
  runners(poolId: string) {
    return poolRunners(this.#em.fork(), poolId);
  }

  async list(orgId: string): Promise<RunnerPoolView[]> {
    const found = await rows(
      this.#em,
      `${WITH_USAGE} where p.org_id = ? and p.status <> 'deleted' order by p.id desc`,
      [orgId],
    );
    return found.map(poolFromRow);
  }

  async get(orgId: string, id: string): Promise<RunnerPoolView | null> {
    const row = await one(this.#em, `${WITH_USAGE} where p.id = ? and p.org_id = ? and p.status <> 'deleted'`, [
      id,
      orgId,
    ]);
    return row ? poolFromRow(row) : null;
  }

  private async require(orgId: string, id: string): Promise<RunnerPoolView> {
    const pool = await this.get(orgId, id);
    if (!pool) throw notFound('runner pool');
    return pool;
  }

  async create(orgId: string, input: CreateRunnerPoolInput, principal: Principal, requestId?: string) {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw invalidField('name', 'name must be 1 to 100 characters');
    const problem = textProblem(name);
    if (problem) throw invalidField('name', `name ${problem}`);
    tierOf(input.poolRamGb);
    const size = input.size ?? 1;
    if (!Number.isSafeInteger(size) || size < 1 || size > POOL_LIMITS.size)
      throw invalidField('size', `size must be an integer from 1 to ${POOL_LIMITS.size}`);
    const disk = input.diskSizeGb ?? null;
    if (disk !== null && (!Number.isSafeInteger(disk) || disk < 1 || disk > POOL_LIMITS.diskSizeGb))
      throw invalidField('diskSizeGb', `diskSizeGb must be an integer from 1 to ${POOL_LIMITS.diskSizeGb}`);
    const id = newId('rp');
    await this.#jobs.transaction(async (tx) => {
      const count = await one(
        tx,
        `select count(*)::int as n from runner_pools where org_id = ? and status <> 'deleted'`,
        [orgId],
      );
      if (num(count?.n) >= POOL_LIMITS.pools)
        throw conflict(`an organization has at most ${POOL_LIMITS.pools} runner pools; delete one first`);
      const now = new Date();
      const inserted = await one(
        tx,
        `insert into runner_pools (id, org_id, name, ram_gb, size, disk_size_gb, status, created_by, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)
         on conflict (org_id, name) where status <> 'deleted' do nothing returning id`,
        [id, orgId, name, input.poolRamGb, size, disk, principal.id, now, now],
      );
      if (!inserted)
        throw new TrellisError('conflict', `a runner pool named ${name} exists already`, { field: 'name' });
      this.record(tx, orgId, id, 'runner_pool.created', principal, requestId, {
        name,
        poolRamGb: input.poolRamGb,
        size,
      });
    });
    await this.reconcileRunners(id);
    return this.require(orgId, id);
  }

  /**
   * Changes the RAM tier (jobs claimed from now on are billed at the new tier's price) and/or the size:
   * runners are launched up to it, or the extra ones stop (SIGTERM: each finishes its current job).
   * Size 0 keeps the pool and its queue with no runner.
   */
  async resize(
    orgId: string,
    id: string,
    change: { poolRamGb?: number | null; size?: number | null },
    principal: Principal,
    requestId?: string,
  ) {
    if (change.poolRamGb != null) tierOf(change.poolRamGb);
    const size = change.size;
    if (size != null && (!Number.isSafeInteger(size) || size < 0 || size > POOL_LIMITS.size))
      throw invalidField('size', `size must be an integer from 0 to ${POOL_LIMITS.size}`);
    await this.#jobs.transaction(async (tx) => {
      const pool = await this.lock(tx, orgId, id);
      // After the lookup: another organization's pool is a 404 whatever the body.
      if (change.poolRamGb == null && size == null) throw invalidField('poolRamGb', 'give poolRamGb, size or both');
      if (pool.status !== 'active') throw conflict(`the runner pool is ${pool.status}`);
      const poolRamGb = change.poolRamGb ?? num(pool.ram_gb);
      await one(tx, 'update runner_pools set ram_gb = ?, size = ?, updated_at = now() where id = ? returning id', [
        poolRamGb,
        size ?? num(pool.size),
        id,
      ]);
      this.record(tx, orgId, id, 'runner_pool.resized', principal, requestId, {
        fromRamGb: num(pool.ram_gb),
        poolRamGb,
        fromSize: num(pool.size),
        size: size ?? num(pool.size),
      });
    });
    await this.reconcileRunners(id);
    return this.require(orgId, id);
  }

  /** Drains the pool (no new jobs); deletes it once none of its jobs is queued or running. */
  async delete(orgId: string, id: string, principal: Principal, requestId?: string) {
    const answer = await this.#jobs.transaction(async (tx) => {
      const pool = await this.lock(tx, orgId, id);
      const inFlight = await one(
        tx,
        `select count(*)::int as n from jobs where org_id = ? and queue = ? and status in ('queued', 'running')`,
        [orgId, poolQueue(id)],
      );
      const status = num(inFlight?.n) === 0 ? 'deleted' : 'draining';
      const row = (await one(
        tx,
        `update runner_pools set status = ?, updated_at = now(), deleted_at = case when ? = 'deleted' then now() end
         where id = ? returning *`,
        [status, status, id],
      )) as Row;
      if (status !== pool.status)
        this.record(
          tx,
          orgId,
          id,
          status === 'deleted' ? 'runner_pool.deleted' : 'runner_pool.draining',
          principal,
          requestId,
          {
            inFlightJobs: num(inFlight?.n),
          },
        );
      return poolFromRow({ ...row, ...(await this.usageIn(tx, orgId, id)) });
    });
    // A draining pool keeps its runners to finish its queue; a deleted one stops them.
    if (answer.status === 'deleted') await this.reconcileRunners(id);
    return answer;
  }

  private async usageIn(tx: EntityManager, orgId: string, id: string) {
    const usage = await one(
      tx,
      `select count(*) filter (where status = 'running')::int as active_jobs,
         count(*) filter (where status = 'queued')::int as queued_jobs
       from jobs where org_id = ? and queue = ?`,
      [orgId, poolQueue(id)],
    );
    return { active_jobs: num(usage?.active_jobs), queued_jobs: num(usage?.queued_jobs) };
  }

  private async lock(tx: EntityManager, orgId: string, id: string): Promise<Row> {
    const pool = await one(
      tx,
      `select * from runner_pools where id = ? and org_id = ? and status <> 'deleted' for update`,
      [id, orgId],
    );
    if (!pool) throw notFound('runner pool');
    return pool;
  }

  /** The pool's jobs, newest first (cursor-paginated). */
  async jobs(orgId: string, id: string, args: PageArgs) {
    await this.require(orgId, id);
    return this.#jobs.list(orgId, { queue: poolQueue(id) }, args);
  }

  /** Counts, outcomes, durations, runner-minutes and cost against the reference price over the last 30 days. */
  async metrics(orgId: string, id: string) {
    const pool = await this.require(orgId, id);
    const tier = tierOf(pool.poolRamGb);
    const m = await one(
      this.#em,
      `with finished as (
         select status, extract(epoch from finished_at - started_at) as seconds, runner_ram_gb,
           runner_price_per_minute_micros as price
         from jobs where org_id = ? and queue = ? and finished_at >= now() - make_interval(days => ?)
       )
       select count(*)::int as total,
         count(*) filter (where status = 'succeeded')::int as succeeded,
         count(*) filter (where status = 'failed')::int as failed,
         count(*) filter (where status = 'cancelled')::int as cancelled,
         percentile_cont(0.5) within group (order by seconds) filter (where seconds is not null) as p50,
         percentile_cont(0.95) within group (order by seconds) filter (where seconds is not null) as p95,
         coalesce(sum(greatest(1, ceil(seconds / 60))) filter (where seconds is not null), 0)::bigint as minutes,
         coalesce(sum(greatest(1, ceil(seconds / 60)) * price) filter (where seconds is not null and price is not null), 0)::bigint as cost
       from finished`,
      [orgId, pool.queue, METRICS_DAYS],
    );
    const byTier = await rows(
      this.#em,
      `select runner_ram_gb as ram, coalesce(sum(greatest(1, ceil(extract(epoch from finished_at - started_at) / 60))), 0)::bigint as minutes
       from jobs where org_id = ? and queue = ? and finished_at >= now() - make_interval(days => ?)
         and started_at is not null and runner_ram_gb is not null
       group by runner_ram_gb`,
      [orgId, pool.queue, METRICS_DAYS],
    );
    // The reference price of each job's own tier: what the same minutes would cost on hosted runners.
    const referenceCostMicros = byTier.reduce(
      (sum, r) =>
        sum + num(r.minutes) * (RUNNER_TIERS.find((t) => t.ramGb === num(r.ram))?.referencePerMinuteMicros ?? 0),
      0,
    );
    const costMicros = num(m?.cost);
    const total = num(m?.total);
    return {
      poolId: id,
      days: METRICS_DAYS,
      totalJobs: total,
      succeeded: num(m?.succeeded),
      failed: num(m?.failed),
      cancelled: num(m?.cancelled),
      successRate: total === 0 ? null : Math.round((num(m?.succeeded) / total) * 10_000) / 10_000,
      durationP50Seconds: m?.p50 == null ? null : Math.round(Number(m.p50)),
      durationP95Seconds: m?.p95 == null ? null : Math.round(Number(m.p95)),
      runnerMinutes: num(m?.minutes),
      costMicros,
      referenceCostMicros,
      savingsMicros: referenceCostMicros - costMicros,
      pricePerMinuteMicros: tier.pricePerMinuteMicros,
      referencePerMinuteMicros: tier.referencePerMinuteMicros,
      runners: await this.runners(id),
    };
  }

  private record(
    tx: EntityManager,
    orgId: string,
    id: string,
    type: string,
    principal: Principal,
    requestId: string | undefined,
    data: Record<string, unknown>,
  ) {
    recordEvent(tx, {
      orgId,
      type,
      subject: { type: 'runner_pool', id },
      data: { poolId: id, ...data },
      actor: principal,
      requestId,
    });
  }
}

/**
 * JobService.claim's gate for pool queues, in the claim's transaction: locks the pool row (claims on one
 * pool queue one after another), refuses a deleted pool and returns how many runners are free and the
 * tier to stamp on what they claim. Draining pools still hand out their queued jobs.
 */
export async function poolClaimGate(tx: EntityManager, orgId: string, queue: string) {
  if (!queue.startsWith(POOL_QUEUE_PREFIX)) return undefined;
  const pool = await one(
    tx,
    `select id, size, ram_gb from runner_pools where id = ? and org_id = ? and status <> 'deleted' for update`,
    [queue.slice(POOL_QUEUE_PREFIX.length), orgId],
  );
  if (!pool) throw new TrellisError('not_found', 'runner pool not found', { field: 'queue' });
  const running = await one(
    tx,
    `select count(*)::int as n from jobs where org_id = ? and queue = ? and status = 'running'`,
    [orgId, queue],
  );
  const tier = tierOf(num(pool.ram_gb));
  return {
    limit: Math.max(0, num(pool.size) - num(running?.n)),
    stamp: { ramGb: tier.ramGb, pricePerMinuteMicros: tier.pricePerMinuteMicros },
  };
}

/** JobService.submit's gate for pool queues: only an active pool of the organization takes new jobs. */
export async function admitToPool(tx: EntityManager, orgId: string, queue: string): Promise<void> {
  if (!queue.startsWith(POOL_QUEUE_PREFIX)) return;
  const pool = await one(tx, `select status from runner_pools where id = ? and org_id = ? for share`, [
    queue.slice(POOL_QUEUE_PREFIX.length),
    orgId,
  ]);
  if (!pool || pool.status === 'deleted')
    throw new TrellisError('not_found', 'runner pool not found', { field: 'queue' });
  if (pool.status !== 'active')
    throw new TrellisError('conflict', `the runner pool is ${pool.status}: it takes no new jobs`, { field: 'queue' });
}
