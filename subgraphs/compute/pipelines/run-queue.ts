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
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
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

export class RunQueue {
  readonly #engine: () => QueueEngine;
  readonly #leaseSeconds: number;
  #prepared: Promise<void> | undefined;

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
  }

  /** Makes the run due at `at` (a `wait` node's end). */
  async dueAt(tx: EntityManager, runId: string, at: Date): Promise<void> {
    await this.prepare();
    await this.#engine().send(tx, TIMER_QUEUE, { runId }, this.#options(at));
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
  fail(tx: EntityManager, job: EngineJob<RunJob>, error: Error): Promise<boolean> {
    return this.#engine().fail(tx, ADVANCE_QUEUE, job, { message: error.message.slice(0, 1000) });
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
