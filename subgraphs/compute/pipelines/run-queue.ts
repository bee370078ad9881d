/**
 * Runs on the queue engine (queue/engine.ts, pg-boss): advancing a run is an engine job.
 *
 * - `pipeline-runs` holds "advance run R" jobs, keyed by the run (`singletonKey`) on a `stately` queue: at most
 *   one queued and one active advance per run. Whatever makes a run ready (start, a node completing, an
 *   approval decided, resume, a released breakpoint, a subworkflow ending, a kill) calls `due(tx, runId)` in
 *   the SAME transaction as the row change, so the run and its advance commit (or roll back) together. A
 *   second `due` while one is queued is refused by the engine (nothing lost: the queued one advances the run
 *   from its rows); one while an advance is active queues the next pass, fetched once the active one ends.
 * - The lease of an advance is the engine's heartbeat: the driver renews it while it works on the run, and
 *   `leaseSeconds` after the last heartbeat of a process that died the supervisor (on any replica) fails the
 *   advance, and the retry re-delivers it to any replica.
 * - `pipeline-run-timers` holds a `wait` node's timer (`startAfter` = its end); a fired timer becomes an
 *   advance (`due`) in the transaction that completes it. Timers are a separate queue so that a later timer
 *   never holds back (by the run's key) an advance that is due now.
 * - `pipeline-schedule-ticks` holds each schedule's next tick (schedules.ts): `startAfter` = the tick, and an
 *   engine id derived from (schedule, tick), so sending one tick twice (two replicas adopting it) queues one.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageBus } from '../../../kernel/bus.ts';
import type { Orm } from '../../../kernel/database.ts';
import type { EngineJob, QueueEngine, SendOptions } from '../queue/engine.ts';

export const ADVANCE_QUEUE = 'pipeline-runs';
export const TIMER_QUEUE = 'pipeline-run-timers';
export const TICK_QUEUE = 'pipeline-schedule-ticks';

export interface RunJob {
  runId: string;
}

export interface TickJob {
  scheduleId: string;
  /** The tick (ISO time) this job fires. */
  fireAt: string;
}

/** The engine id of a schedule's tick: a UUID (the engine's id type) from a hash of (schedule, tick). */
export function tickJobId(scheduleId: string, fireAt: Date): string {
  const hex = createHash('sha256').update(`${scheduleId}@${fireAt.toISOString()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A run must never be dropped: an advance that throws is retried, with backoff, many times. */
const RETRIES = { retryLimit: 50, retryDelaySeconds: 1, retryBackoff: true } as const;
/** The longest one advance may run (its nodes' own timeouts are far shorter: http 30 s, a model call 120 s). */
const MAX_ADVANCE_SECONDS = 3600;
/** pg-boss refuses a heartbeat window under 10 s. */
const MIN_HEARTBEAT_SECONDS = 10;

/**
 * The engine compares `startAfter` with the database clock: a worker woken for a noted time looks this much
 * later, so a database clock a little behind this process's does not make it miss the send (then only the
 * safety poll would find it).
 */
const CLOCK_MARGIN_MS = 25;

/** Bus channel on which replicas announce committed sends: `{ from, queue, at }` (best-effort; polls back it up). */
export const RUN_QUEUE_CHANNEL = 'compute.run-queue.due';

export class RunQueue {
  readonly #engine: () => QueueEngine;
  readonly #leaseSeconds: number;
  #prepared: Promise<void> | undefined;
  /**
   * When this process's (and, through the bus, other replicas') later sends come due, per engine queue, so
   * workers sleep until then instead of polling. A send is noted in its transaction and announced (`watchCommits`
   * listeners: wake the worker) once a transaction of the process's ORM commits.
   */
  readonly #dueAt = new Map<string, Set<number>>();
  readonly #listeners = new Set<(queue: string) => void>();
  /** Sends of open transactions, by transaction: queue → when the earliest is due (ms). */
  readonly #uncommitted = new Map<object, Map<string, number>>();
  readonly #watched = new WeakSet<object>();
  readonly #id = randomUUID();
  #bus: MessageBus | undefined;

  constructor(engine: () => QueueEngine, options: { leaseSeconds: number }) {
    this.#engine = engine;
    this.#leaseSeconds = options.leaseSeconds;
  }

  /** Creates both engine queues (once per process); call it outside a transaction first. */
  prepare(): Promise<void> {
    this.#prepared ??= (async () => {
      await this.#engine().ensureQueue(ADVANCE_QUEUE, { policy: 'stately' });
      await this.#engine().ensureQueue(TIMER_QUEUE);
      await this.#engine().ensureQueue(TICK_QUEUE);
    })().catch((error) => {
      this.#prepared = undefined;
      throw error;
    });
    return this.#prepared;
  }

  /** Notes a send of `queue` (due at `at`, ms, when later); listeners hear of it once a transaction commits. */
  #note(tx: EntityManager, queue: string, at = Date.now()): void {
    this.#remember(queue, at);
    const transaction = tx.getTransactionContext() as object | undefined;
    if (!transaction) return;
    const sends = this.#uncommitted.get(transaction) ?? new Map<string, number>();
    this.#uncommitted.set(transaction, sends);
    sends.set(queue, Math.min(at, sends.get(queue) ?? at));
  }

  #remember(queue: string, at: number): void {
    if (at <= Date.now()) return;
    const times = this.#dueAt.get(queue) ?? new Set<number>();
    this.#dueAt.set(queue, times);
    times.add(at);
  }

  /**
   * Announces this process's sends to `listener` after each commit of `orm` (a worker's wake; a rolled back
   * send costs one pass). Also what the bus delivers from other replicas: `noteDue`.
   */
  watchCommits(orm: Orm, listener: (queue: string) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#watched.has(orm.em.config)) {
      this.#watched.add(orm.em.config);
      orm.em.getEventManager().registerSubscriber({
        // A savepoint's release counts as a commit here (an early wake; the safety poll finds the send then).
        afterTransactionRollback: ({ transaction }) => {
          if (transaction) this.#uncommitted.delete(transaction);
        },
        afterTransactionCommit: ({ transaction }) => {
          const sends = transaction && this.#uncommitted.get(transaction);
          if (!sends) return;
          this.#uncommitted.delete(transaction);
          for (const [queue, at] of sends) {
            this.#announce(queue);
            const message = JSON.stringify({ from: this.#id, queue, at });
            this.#bus?.publish(RUN_QUEUE_CHANNEL, message).catch(() => undefined);
          }
        },
      });
    }
    return () => this.#listeners.delete(listener);
  }

  /** Hears other replicas' committed sends (and announces this one's) on `bus`; resolves once subscribed. */
  async listen(bus: MessageBus): Promise<() => Promise<void>> {
    this.#bus = bus;
    const unsubscribe = await bus.subscribe(RUN_QUEUE_CHANNEL, (message) => {
      try {
        const { from, queue, at } = JSON.parse(message) as { from?: string; queue?: string; at?: number };
        if (from !== this.#id && typeof queue === 'string' && typeof at === 'number') this.noteDue(queue, at);
      } catch {
        // not ours: ignore
      }
    });
    return async () => {
      this.#bus = undefined;
      await unsubscribe();
    };
  }

  #announce(queue: string): void {
    for (const listener of this.#listeners) listener(queue);
  }

  /** A send another replica committed (through the bus), due at `at`. */
  noteDue(queue: string, at: number): void {
    this.#remember(queue, at);
    this.#announce(queue);
  }

  /**
   * How long (ms) until the earliest noted send of `queue` is due, after forgetting those due before a pass
   * that started at `passStart` (it claimed them); null when none is noted.
   */
  untilDue(queue: string, passStart: number): number | null {
    const times = this.#dueAt.get(queue);
    let next: number | null = null;
    for (const at of times ?? []) {
      if (at <= passStart) times?.delete(at);
      else if (next === null || at < next) next = at;
    }
    return next === null ? null : Math.max(0, next - Date.now()) + CLOCK_MARGIN_MS;
  }

  #options(startAfter?: Date, singletonKey?: string): SendOptions {
    return { priority: 0, leaseSeconds: this.#leaseSeconds, ...RETRIES, startAfter, singletonKey };
  }

  /**
   * An advance is bounded by its heartbeat, not by a fixed lease: the driver touches it every `heartbeatMs`
   * while it works on the run (a node may take minutes), and the supervisor re-delivers it `leaseSeconds` after
   * the last heartbeat of a process that died. `MAX_ADVANCE_SECONDS` caps one advance whatever happens.
   */
  #advanceOptions(singletonKey: string): SendOptions {
    return {
      ...this.#options(undefined, singletonKey),
      leaseSeconds: MAX_ADVANCE_SECONDS,
      heartbeatSeconds: this.#heartbeatSeconds,
    };
  }

  /** How often a running advance renews its heartbeat: three times per heartbeat window. */
  get #heartbeatSeconds(): number {
    return Math.max(MIN_HEARTBEAT_SECONDS, this.#leaseSeconds);
  }

  get heartbeatMs(): number {
    return (this.#heartbeatSeconds * 1000) / 3;
  }

  /** Renews the heartbeat of an advance this process is running; false once it lapsed. */
  touch(tx: EntityManager, job: EngineJob<RunJob>): Promise<boolean> {
    return this.#engine().touch(tx, ADVANCE_QUEUE, job);
  }

  /** Makes the run due now (in `tx`): one queued advance per run. */
  async due(tx: EntityManager, runId: string): Promise<void> {
    await this.prepare();
    await this.#engine().sendUnlessQueued(tx, ADVANCE_QUEUE, { runId }, this.#advanceOptions(runId));
    this.#note(tx, ADVANCE_QUEUE);
  }

  /** Makes the run due at `at` (a `wait` node's end). */
  async dueAt(tx: EntityManager, runId: string, at: Date): Promise<void> {
    await this.prepare();
    await this.#engine().send(tx, TIMER_QUEUE, { runId }, this.#options(at));
    this.#note(tx, TIMER_QUEUE, at.getTime());
  }

  /** Claims up to `count` advances (committed with `tx`: their lease starts). */
  fetchAdvances(tx: EntityManager, count: number): Promise<EngineJob<RunJob>[]> {
    return this.#engine().fetch<RunJob>(tx, ADVANCE_QUEUE, count);
  }

  /** Turns up to `count` fired timers into advances, in `tx`. */
  async fireTimers(tx: EntityManager, count: number): Promise<number> {
    const timers = await this.#engine().fetch<RunJob>(tx, TIMER_QUEUE, count);
    for (const timer of timers) {
      await this.due(tx, timer.data.runId);
      await this.#engine().complete(tx, TIMER_QUEUE, timer, null);
    }
    return timers.length;
  }

  /** Queues a schedule's tick (in `tx`); a tick queued already (same schedule and time) is not queued twice. */
  async tick(tx: EntityManager, scheduleId: string, fireAt: Date): Promise<void> {
    await this.prepare();
    const job: TickJob = { scheduleId, fireAt: fireAt.toISOString() };
    await this.#engine().sendUnlessQueued(tx, TICK_QUEUE, job, this.#options(fireAt), tickJobId(scheduleId, fireAt));
    this.#note(tx, TICK_QUEUE, fireAt.getTime());
  }

  /** Withdraws a schedule's queued tick (the schedule was deleted). */
  async untick(tx: EntityManager, scheduleId: string, fireAt: Date): Promise<void> {
    await this.prepare();
    await this.#engine().cancel(tx, TICK_QUEUE, tickJobId(scheduleId, fireAt));
  }

  fetchTicks(tx: EntityManager, count: number): Promise<EngineJob<TickJob>[]> {
    return this.#engine().fetch<TickJob>(tx, TICK_QUEUE, count);
  }

  completeTick(tx: EntityManager, job: EngineJob<TickJob>): Promise<boolean> {
    return this.#engine().complete(tx, TICK_QUEUE, job, null);
  }

  /** Ends an advance: false when its lease lapsed (the engine re-delivered it meanwhile). */
  complete(tx: EntityManager, job: EngineJob<RunJob>): Promise<boolean> {
    return this.#engine().complete(tx, ADVANCE_QUEUE, job, null);
  }

  /** An advance that threw: retried (after its backoff) on any replica. */
  async fail(tx: EntityManager, job: EngineJob<RunJob>, error: Error): Promise<boolean> {
    const failed = await this.#engine().fail(tx, ADVANCE_QUEUE, job, { message: error.message.slice(0, 1000) });
    // The engine's backoff is retryDelay × 2ⁿ⁺¹/2 × (1 + a random fraction): wake at both ends of that range.
    const lowMs = RETRIES.retryDelaySeconds * 1000 * (2 ** Math.min(16, job.retryCount + 1) / 2);
    if (failed) for (const ms of [lowMs, 2 * lowMs]) this.#note(tx, ADVANCE_QUEUE, Date.now() + ms);
    return failed;
  }
}

/**
 * The run queue of each platform's compute runtimes, for the event consumers (they receive the platform, not
 * the runtime). Replicas of one platform share its database: any of their queues sends on the caller's `tx`.
 */
const byPlatform = new WeakMap<object, Set<RunQueue>>();

export function registerRunQueue(platform: object, queue: RunQueue): () => void {
  const queues = byPlatform.get(platform) ?? new Set<RunQueue>();
  byPlatform.set(platform, queues);
  queues.add(queue);
  return () => queues.delete(queue);
}

export function runQueueOf(platform: object): RunQueue {
  const queue = byPlatform.get(platform)?.values().next().value;
  if (!queue) throw new Error('pipelines: no run queue in this process (compute workers are not running)');
  return queue;
}
