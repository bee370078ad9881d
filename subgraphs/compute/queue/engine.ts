/**
 * Compute's durable queue engine: pg-boss 12 in its own PostgreSQL schema of compute's database
 * (`compute_queue`), one instance per compute runtime, started and stopped with the subgraph's workers.
 *
 * pg-boss owns what a queue library should: `FOR UPDATE SKIP LOCKED` claims in priority order, the lease
 * of a claimed attempt (`expireInSeconds`, counted from the claim), retries with backoff, the
 * supervisor that fails expired attempts back to the queue on whichever replica runs it, and cron.
 * Compute keeps its own rows (the job's API view, its events) and changes them in the SAME transaction as
 * the engine: every call here takes the caller's MikroORM transaction (`tx`) and runs pg-boss's SQL on its
 * connection (pg-boss's `db` option), so "the row says queued" and "the engine has it queued" commit or
 * roll back together.
 *
 * The interface (kept stable for the job service and for pipelines):
 * - `engineQueueName(orgId, queue)` — one engine queue per organization and queue, so a worker can only
 *   ever claim its own organization's jobs;
 * - `ensureQueue(name, { policy })` before a transaction (pipelines' run advances use `stately`);
 * - `send` (or `sendUnlessQueued`: null when the queue's policy or the id refuses a duplicate) / `fetch` /
 *   `complete` / `fail` / `touch` / `cancel` / `attempts` inside a transaction;
 * - `schedule` / `unschedule` (cron, fired once per tick across replicas by pg-boss's timekeeper);
 * - `ready()` resolves once the engine is installed and started.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type Db as EngineDb,
  fromKysely,
  type JobWithMetadata,
  PgBoss,
  type QueuePolicy,
  type ScheduleOptions,
} from 'pg-boss';
import type { Logger } from '../../../kernel/logger.ts';

export const ENGINE_SCHEMA = 'compute_queue';

/** One claimed attempt of an engine job: settling it is fenced to this attempt (a lapsed lease is a no-op). */
export interface EngineAttempt {
  id: string;
  retryCount: number;
}

export interface EngineJob<T = Record<string, unknown>> extends EngineAttempt {
  data: T;
  priority: number;
  startedOn: Date;
  createdOn: Date;
}

export interface SendOptions {
  priority: number;
  /** Attempts after the first: `maxAttempts - 1`. */
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** The lease of one attempt: after it the supervisor fails the attempt (retried while attempts remain). */
  leaseSeconds: number;
  /** When set (≥ 10), the attempt is also failed this long after its last `touch` (pg-boss `heartbeatSeconds`). */
  heartbeatSeconds?: number;
  startAfter?: Date;
  /** With a `stately` queue: at most one queued (and one active) job per key; another send is refused. */
  singletonKey?: string;
}

export type EngineState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface EngineSettings {
  databaseUrl: string;
  logger: Logger;
  /** How often expired leases are looked for (pg-boss `superviseIntervalSeconds`). */
  superviseIntervalSeconds: number;
  /** Connections of the engine's own pool (its supervisor, timekeeper and queue cache). */
  poolMax?: number;
  schema?: string;
}

/** How often pg-boss looks for flow jobs to resolve (its default 5 s); Trellis queues none. */
const FLOW_INTERVAL_SECONDS = 300;

/** `org_…` + queue → the engine queue (pg-boss names allow `[\w.\-/]`). */
export const engineQueueName = (orgId: string, queue: string): string => `${orgId}/${queue}`;

/** How many jobs a settle command changed (pg-boss answers `{ affected }`; its type declares no fields). */
const affected = (response: unknown): number => Number((response as { affected?: number }).affected ?? 0);

/** pg-boss statements on the connection of a MikroORM transaction. */
function inTransaction(tx: EntityManager): EngineDb {
  const trx = tx.getTransactionContext();
  if (!trx) throw new Error('queue engine: call it inside a transaction (em.transactional)');
  return fromKysely(trx as never);
}

export class QueueEngine {
  readonly #boss: PgBoss;
  readonly #log: Logger;
  readonly #queues = new Set<string>();
  #started: Promise<void> | undefined;

  constructor(settings: EngineSettings) {
    this.#log = settings.logger;
    this.#boss = new PgBoss({
      connectionString: settings.databaseUrl,
      schema: settings.schema ?? ENGINE_SCHEMA,
      application_name: 'trellis-compute-queue',
      max: settings.poolMax ?? 4,
      supervise: true,
      schedule: true,
      superviseIntervalSeconds: settings.superviseIntervalSeconds,
      monitorIntervalSeconds: settings.superviseIntervalSeconds,
      // Nothing reads pg-boss's instance registry (getInstances), whose row each instance refreshes on a timer.
      registerInstance: false,
      // Trellis sends no flows (parent/child jobs): the flow resolver's gate query would run every 5 s for nothing.
      flowIntervalSeconds: FLOW_INTERVAL_SECONDS,
    });
    this.#boss.on('error', (error) => this.#log.warn({ err: error }, 'queue engine error'));
  }

  /** Installs (or migrates) the engine's schema and starts its supervisor; idempotent. */
  start(): Promise<void> {
    this.#started ??= this.#boss.start().then(() => undefined);
    return this.#started;
  }

  /** Resolves once started; a request that arrives during start-up waits for it. */
  async ready(): Promise<void> {
    if (!this.#started) throw new Error('queue engine: not started');
    await this.#started;
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    await this.#started.catch(() => undefined);
    await this.#boss.stop({ graceful: false, close: true });
  }

  /** Creates the engine queue once per process (idempotent in the engine as well); `policy` applies at creation. */
  async ensureQueue(name: string, options: { policy?: QueuePolicy } = {}): Promise<void> {
    if (this.#queues.has(name)) return;
    await this.ready();
    if (!(await this.#boss.getQueue(name)))
      await this.#boss.createQueue(name, options).catch(async (error) => {
        // Another replica created it between our check and our create.
        if (!(await this.#boss.getQueue(name))) throw error;
      });
    this.#queues.add(name);
  }

  /**
   * Queues a job in `tx`; returns the engine's id (`id`, a UUID, when the caller chose it). Call
   * `ensureQueue(name)` before the transaction.
   */
  async send(tx: EntityManager, name: string, data: object, options: SendOptions, id?: string): Promise<string> {
    const sent = await this.sendUnlessQueued(tx, name, data, options, id);
    if (!sent) throw new Error(`queue engine: ${name} refused a job`);
    return sent;
  }

  /** `send`, except that null answers a job refused by the queue's policy (one with its `singletonKey` is queued). */
  async sendUnlessQueued(
    tx: EntityManager,
    name: string,
    data: object,
    options: SendOptions,
    id?: string,
  ): Promise<string | null> {
    return this.#boss.send(name, data, {
      db: inTransaction(tx),
      ...(id ? { id } : {}),
      priority: options.priority,
      retryLimit: options.retryLimit,
      retryDelay: options.retryDelaySeconds,
      retryBackoff: options.retryBackoff,
      expireInSeconds: options.leaseSeconds,
      ...(options.heartbeatSeconds ? { heartbeatSeconds: options.heartbeatSeconds } : {}),
      ...(options.startAfter ? { startAfter: options.startAfter } : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    });
  }

  /** Claims up to `batchSize` ready jobs, highest priority first (`SKIP LOCKED`: concurrent claims never share one). */
  async fetch<T = Record<string, unknown>>(
    tx: EntityManager,
    name: string,
    batchSize: number,
  ): Promise<EngineJob<T>[]> {
    if (!this.#queues.has(name) && !(await this.#boss.getQueue(name))) return [];
    this.#queues.add(name);
    const jobs = await this.#boss.fetch<T>(name, { batchSize, includeMetadata: true, db: inTransaction(tx) });
    return jobs.map((job: JobWithMetadata<T>) => ({
      id: job.id,
      retryCount: job.retryCount,
      data: job.data,
      priority: job.priority,
      startedOn: new Date(job.startedOn),
      createdOn: new Date(job.createdOn),
    }));
  }

  /** Completes the attempt; false when its lease lapsed (the engine already moved the job on). */
  async complete(tx: EntityManager, name: string, attempt: EngineAttempt, output: object | null): Promise<boolean> {
    const result = await this.#boss.complete(name, attempt, output, { db: inTransaction(tx) });
    return affected(result) === 1;
  }

  /** Fails the attempt: the engine retries it (after its backoff) while attempts remain. False when lapsed. */
  async fail(tx: EntityManager, name: string, attempt: EngineAttempt, output: object | null): Promise<boolean> {
    const result = await this.#boss.fail(name, attempt, output, { db: inTransaction(tx) });
    return affected(result) === 1;
  }

  /** Records a heartbeat for the attempt; false when it is no longer the active one. */
  async touch(tx: EntityManager, name: string, attempt: EngineAttempt): Promise<boolean> {
    const result = await this.#boss.touch(name, attempt, { db: inTransaction(tx) });
    return affected(result) === 1;
  }

  /** Cancels a job that is queued, retrying or active. */
  async cancel(tx: EntityManager, name: string, id: string): Promise<boolean> {
    const result = await this.#boss.cancel(name, id, { db: inTransaction(tx) });
    return affected(result) === 1;
  }

  /** The engine's view of jobs of one queue (state and attempt), for reconciling leases the supervisor expired. */
  async attempts(
    tx: EntityManager,
    name: string,
    ids: string[],
  ): Promise<Map<string, { state: EngineState; retryCount: number }>> {
    const found = new Map<string, { state: EngineState; retryCount: number }>();
    const db = inTransaction(tx);
    for (const id of ids) {
      const [job] = await this.#boss.findJobs(name, { id, db });
      if (job) found.set(id, { state: job.state, retryCount: job.retryCount });
    }
    return found;
  }

  /** A cron (or RFC 5545) schedule that sends `data` to `name` once per tick across every replica. */
  async schedule(name: string, cron: string, data: object, options: ScheduleOptions = {}): Promise<void> {
    await this.ensureQueue(name);
    await this.#boss.schedule(name, cron, data, options);
  }

  async unschedule(name: string, key?: string): Promise<void> {
    await this.ready();
    await this.#boss.unschedule(name, key);
  }

  /** The underlying pg-boss (for features this interface does not name yet). */
  get boss(): PgBoss {
    return this.#boss;
  }
}
