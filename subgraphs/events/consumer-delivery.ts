/**
 * Consumer delivery: a worker of the events subgraph that hands pending
 * `consumer_deliveries` (created by the log's append, log.ts) to the consuming
 * subgraphs' `_consumeEvents` (kernel/event-consumers.ts). All state is in the
 * database, so it survives restarts and runs on any number of replicas.
 *
 * - One pass per consumer at a time (transaction-scoped advisory lock, held
 *   while the batch is out, like the outbox relay): a consumer never sees two
 *   batches at once.
 * - Oldest first; per (consumer, organization) in log sequence order: a row is
 *   ready only when every earlier pending row of that organization is due, so
 *   an event waiting for its retry holds back the later events of its
 *   organization for that consumer (and nothing else).
 * - The consuming subgraph unreachable (or answering an error): the whole batch
 *   waits, with backoff per consumer, and no attempt is counted — an outage
 *   parks nothing; the deliveries are sent once it is back.
 * - A handler that threw: that event's attempt is counted, retried with backoff
 *   (250 ms × 2ⁿ, capped by TRELLIS_OUTBOX_MAX_BACKOFF_MS); after
 *   TRELLIS_EVENT_CONSUMER_MAX_ATTEMPTS it is parked (status `parked`, last
 *   error kept, metric `trellis_event_consumer_parked_total`, error log) and the
 *   organization's later events proceed.
 */
import type { EntityManager, Orm } from '../../kernel/database.ts';
import {
  type ConsumedEvent,
  type ConsumeResult,
  type ConsumerSubscription,
  type DeliverToConsumer,
  postConsumeBatch,
} from '../../kernel/event-consumers.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { ServiceMetrics } from '../../kernel/metrics.ts';
import { serviceTarget, toIsoTimestamp } from '../../kernel/outbox-relay.ts';
import { ASYNC_COMMIT, type PipelinedTransaction, pipelinedTransaction } from '../../kernel/pipelined-transaction.ts';
import type { Platform } from '../../kernel/platform.ts';
import { backoffMs, type PassResult, WorkerLoop } from '../../kernel/worker-loop.ts';

const LOCK = (consumer: string) => `trellis:event-consumer:${consumer}`;

export interface ConsumerDeliveryOptions {
  orm: Orm;
  platform: Platform;
  logger: Logger;
  metrics?: ServiceMetrics;
  registry: readonly ConsumerSubscription[];
  /** Defaults to posting to the consuming subgraph's `_consumeEvents`. */
  deliver?: DeliverToConsumer;
  batchSize?: number;
  pollMs?: number;
  maxBackoffMs?: number;
  maxAttempts?: number;
  /** How long a woken worker waits before its pass (TRELLIS_EVENT_CONSUMER_COALESCE_MS). */
  coalesceMs?: number;
}

export interface ConsumerPassResult {
  /** Events the consumer processed (handled or duplicates). */
  processed: number;
  failed: number;
  parked: number;
  /** Ready rows found (a full batch means more may be ready). */
  sent: number;
  /** Another replica is delivering to this consumer. */
  busy?: boolean;
  /** The consuming subgraph could not take the batch. */
  unavailable?: boolean;
  waitMs?: number;
}

/**
 * Marks delivered rows done by primary key. Without column statistics (a young table; a server with
 * autovacuum off) `consumer = ?` looks like 0.5 % of the rows, and by consumer and event id the planner
 * read every delivery of the consumer through the unique index's first column, filtering the event ids
 * (10 of a 14 ms mark at ~28,000 deliveries).
 */
export const MARK_DONE = `update consumer_deliveries set status = 'done', attempts = attempts + 1, last_error = null,
  completed_at = clock_timestamp() where id in (?)`;

interface ReadyRow {
  id: string;
  event_id: string;
  org_id: string;
  attempts: number;
  seq: string | null;
  type: string | null;
  subject_type: string | null;
  subject_id: string | null;
  actor_type: string | null;
  actor_id: string | null;
  data: Record<string, unknown> | string | null;
  occurred_at: string | Date | null;
}

/** One statement and its parameters. */
type Mark = [sql: string, params: unknown[]];

/**
 * A pass's first two statements (see `#lockAndReady`), prepared: PostgreSQL plans them once per
 * connection instead of on every pass. `$1` the consumer's lock; then `$1` the consumer, `$2` the batch size.
 */
const TAKE_LOCK = {
  name: 'consumer_take_lock',
  text: "select set_config('trellis.consumer_locked', pg_try_advisory_xact_lock(hashtext($1::text))::text, true)",
};
const READY_ROWS = {
  name: 'consumer_ready_rows',
  text: `with lock as (select coalesce(current_setting('trellis.consumer_locked', true) = 'true', false) as locked)
         select lock.locked, r.*
           from lock left join lateral (
             select d.id, d.event_id, d.org_id, d.attempts, e.seq, e.type, e.subject_type, e.subject_id,
                    e.actor_type, e.actor_id, e.data, e.occurred_at
               from (select id, event_id, org_id, attempts,
                            bool_and(next_attempt_at <= clock_timestamp())
                              over (partition by org_id order by event_seq) as ready
                       from consumer_deliveries
                      where consumer = $1::text and status = 'pending') d
               left join event_log e on e.id = d.event_id
              where lock.locked and d.ready
              order by d.id
              limit $2::int) r on true`,
};

export class ConsumerDelivery {
  readonly name = 'event-consumer-delivery';
  readonly #em: EntityManager;
  readonly #platform: Platform;
  readonly #logger: Logger;
  readonly #metrics?: ServiceMetrics;
  readonly #registry: readonly ConsumerSubscription[];
  readonly #deliver: DeliverToConsumer;
  readonly #batchSize: number;
  readonly #maxBackoffMs: number;
  readonly #maxAttempts: number;
  readonly #loop: WorkerLoop;
  /** Per consumer: consecutive transport failures and when to try again (in memory: an outage, not the events'). */
  readonly #unavailable = new Map<string, { failures: number; until: number }>();
  /** Consumers an append of this process gave new deliveries since the last pass (see `wake`). */
  #woken = new Set<string>();
  /** The next pass reads every consumer's due time (a wake without names, a failure, the first pass). */
  #readDue = true;
  /**
   * Per consumer with pending rows, when its next row can be ready (epoch ms), as of the last read of
   * due times and this process's deliveries since: what a pass woken for other consumers waits for.
   */
  readonly #dueAt = new Map<string, number>();

  constructor(options: ConsumerDeliveryOptions) {
    const { outbox, consumers } = options.platform.config;
    this.#em = options.orm.em.fork();
    this.#platform = options.platform;
    this.#logger = options.logger.child({ worker: 'event-consumer-delivery' });
    this.#metrics = options.metrics;
    this.#registry = options.registry;
    this.#batchSize = options.batchSize ?? outbox.batchSize;
    this.#maxBackoffMs = options.maxBackoffMs ?? outbox.maxBackoffMs;
    this.#maxAttempts = options.maxAttempts ?? consumers.maxAttempts;
    this.#deliver = options.deliver ?? this.#httpDeliver;
    this.#loop = new WorkerLoop({
      name: this.name,
      logger: this.#logger,
      pollMs: options.pollMs ?? outbox.pollMs,
      maxBackoffMs: this.#maxBackoffMs,
      // The appends that follow a wake within the window are delivered by one pass: one consuming
      // transaction (billing's: six round trips) for them all instead of one per append. Its own window,
      // longer than the relay's: under load the relays append once per theirs (10 ms), and a consumer's
      // effects (metering, notifications) are not what a subscriber waits for.
      wakeDelayMs: options.coalesceMs ?? consumers.coalesceMs,
      pass: () => this.#pass(),
    });
  }

  start(): this {
    this.#loop.start();
    return this;
  }

  /**
   * Deliver now (an append created deliveries). With the consumers the append gave deliveries to, the
   * pass delivers to those without first reading every consumer's due time (one round trip per append
   * on the AI gateway's path): an append changes nothing for the others.
   */
  wake(consumers?: readonly string[]): void {
    if (consumers && consumers.length > 0) for (const consumer of consumers) this.#woken.add(consumer);
    else this.#readDue = true;
    this.#loop.wake();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  #httpDeliver: DeliverToConsumer = (target, events) => {
    const service = serviceTarget(this.#platform, target.subgraph);
    if (!service) return Promise.reject(new Error(`${target.subgraph} is not announced yet`));
    return postConsumeBatch(
      service.url,
      this.#platform.internalSecret,
      target,
      events,
      this.#platform.config.webhooks.timeoutMs,
      service.fetch,
    );
  };

  async #pass(): Promise<PassResult> {
    let again = false;
    let waitMs: number | undefined;
    const woken = this.#woken;
    this.#woken = new Set();
    // A pass not woken by an append (poll, a due retry, another replica's rows) reads every consumer's due
    // time; one woken by appends knows its consumers have rows, and the others' times did not change.
    const readDue = this.#readDue || woken.size === 0;
    this.#readDue = false;
    if (readDue) {
      this.#dueAt.clear();
      const now = Date.now();
      for (const [consumer, dueInMs] of await this.#dueByConsumer()) this.#dueAt.set(consumer, now + dueInMs);
    }
    for (const target of this.#registry) {
      // One cheap read decides which consumers have anything ready: an idle pass opens no transaction.
      const dueAt = woken.has(target.consumer) ? 0 : this.#dueAt.get(target.consumer);
      if (dueAt === undefined) continue;
      const dueInMs = dueAt - Date.now();
      if (dueInMs > 0) {
        waitMs = Math.min(waitMs ?? dueInMs, dueInMs);
        continue;
      }
      const result = await this.deliverOnce(target);
      if (result.sent >= this.#batchSize && !result.unavailable) again = true;
      if (result.waitMs !== undefined) waitMs = Math.min(waitMs ?? result.waitMs, result.waitMs);
      // What is pending next for this consumer: known only when nothing was ready (its due time), or
      // nothing at all; after a failure, a retry's time is read by the next pass.
      if (result.failed > 0 || result.parked > 0 || result.unavailable || result.busy) this.#readDue = true;
      else if (result.sent === 0 && result.waitMs !== undefined)
        this.#dueAt.set(target.consumer, Date.now() + result.waitMs);
      // An organization held behind a retry (known from the last read) still waits for it.
      else if (!((this.#dueAt.get(target.consumer) ?? 0) > Date.now())) this.#dueAt.delete(target.consumer);
    }
    return { again, waitMs };
  }

  /**
   * Per consumer with pending rows: ms until its next row can be ready (≤ 0: now). A row is ready
   * once every earlier pending row of its organization is due, so what becomes ready next is the
   * earliest-sequence pending row of some organization: the minimum over those rows.
   */
  async #dueByConsumer(): Promise<Map<string, number>> {
    const rows = await this.#em.fork().execute<{ consumer: string; wait_ms: string | number }[]>(
      `select consumer, extract(epoch from (min(next_attempt_at) - clock_timestamp())) * 1000 as wait_ms
         from (select distinct on (consumer, org_id) consumer, next_attempt_at
                 from consumer_deliveries where status = 'pending'
                order by consumer, org_id, event_seq) first_pending
        group by consumer`,
    );
    return new Map(rows.map((r) => [r.consumer, Number(r.wait_ms)]));
  }

  /** One batch for one consumer. Exposed for tests and tools; the worker loop calls it. */
  async deliverOnce(target: ConsumerSubscription): Promise<ConsumerPassResult> {
    const empty: ConsumerPassResult = { processed: 0, failed: 0, parked: 0, sent: 0 };
    const outage = this.#unavailable.get(target.consumer);
    if (outage && outage.until > Date.now()) return { ...empty, unavailable: true, waitMs: outage.until - Date.now() };
    // BEGIN rides with the lock and the ready rows, COMMIT with the last mark (kernel/pipelined-transaction.ts).
    return pipelinedTransaction(this.#em, async (tx) => {
      const ready = await this.#lockAndReady(tx, target.consumer);
      if (!ready[0]?.locked) return { ...empty, busy: true };
      const rows = ready.filter((row) => row.id !== null);
      if (rows.length === 0) return { ...empty, waitMs: await this.#nextDueInMs(tx, target.consumer) };
      const gone = rows.filter((r) => r.seq === null).map((r) => r.id);
      const skip: Mark = [
        `update consumer_deliveries set status = 'skipped', last_error = 'event no longer in the log',
                completed_at = clock_timestamp() where id in (?)`,
        [gone],
      ];
      const present = rows.filter((r) => r.seq !== null);
      if (present.length === 0) {
        await tx.commitWith(...skip);
        return { ...empty, sent: rows.length };
      }
      if (gone.length > 0) await tx.execute(...skip);
      let result: ConsumeResult;
      try {
        result = await this.#deliver(target, present.map(toConsumedEvent));
      } catch (error) {
        return { ...empty, ...(await this.#unavailableFor(tx, target, present, error)) };
      }
      this.#unavailable.delete(target.consumer);
      const { marks, ...outcome } = this.#marks(target, present, result);
      for (const [i, mark] of marks.entries())
        await (i === marks.length - 1 ? tx.commitWith(...mark) : tx.execute(...mark));
      return { ...empty, ...outcome, sent: rows.length };
    });
  }

  /**
   * Takes the consumer's lock and reads its pending rows whose organization has nothing earlier still
   * waiting, oldest first — in one round trip, as two statements: the rows are read by the second, whose
   * snapshot follows the lock, so a pass that held the lock before and committed is seen (its rows are
   * not delivered twice), and only when the first one got the lock (a transaction-local setting says so).
   * One row with `locked` false when another replica holds it; one with a null id when nothing is ready.
   */
  async #lockAndReady(tx: PipelinedTransaction, consumer: string): Promise<(ReadyRow & { locked: boolean })[]> {
    // The pass writes only progress marks (done, skipped, parked, retry times), each lost in a database
    // crash at the cost of a redelivery the consumer deduplicates (`consumed_events`): its COMMIT does not
    // wait for the WAL flush (ASYNC_COMMIT), set with BEGIN.
    const [, , ready = []] = await tx.prepared<ReadyRow & { locked: boolean }>([
      ASYNC_COMMIT,
      { ...TAKE_LOCK, values: [LOCK(consumer)] },
      { ...READY_ROWS, values: [consumer, this.#batchSize] },
    ]);
    return ready;
  }

  /** When the next row of `consumer` can be ready (see #dueByConsumer); undefined when nothing is pending. */
  async #nextDueInMs(tx: PipelinedTransaction, consumer: string): Promise<number | undefined> {
    // Not greatest(0, …): GREATEST skips NULL, so "nothing pending" would read as "due now".
    const [row] = await tx.execute<{ wait_ms: string | null }>(
      `select extract(epoch from (min(next_attempt_at) - clock_timestamp())) * 1000 as wait_ms
         from (select distinct on (org_id) next_attempt_at
                 from consumer_deliveries where consumer = ? and status = 'pending'
                order by org_id, event_seq) first_pending`,
      [consumer],
    );
    return row?.wait_ms == null ? undefined : Math.max(0, Number(row.wait_ms));
  }

  async #unavailableFor(
    tx: PipelinedTransaction,
    target: ConsumerSubscription,
    rows: ReadyRow[],
    error: unknown,
  ): Promise<Partial<ConsumerPassResult>> {
    const failures = (this.#unavailable.get(target.consumer)?.failures ?? 0) + 1;
    const waitMs = backoffMs(failures, this.#maxBackoffMs);
    this.#unavailable.set(target.consumer, { failures, until: Date.now() + waitMs });
    const message = String((error as Error)?.message ?? error).slice(0, 1000);
    // Visible on the rows, but not an attempt: the consumer never saw the events.
    await tx.commitWith('update consumer_deliveries set last_error = ? where id in (?)', [
      `unavailable: ${message}`,
      rows.map((r) => r.id),
    ]);
    if (!this.#loop.stopped && (failures === 1 || failures % 10 === 0))
      this.#logger.warn(
        { consumer: target.consumer, subgraph: target.subgraph, failures, retryInMs: waitMs, err: error },
        'event consumer unavailable; will retry',
      );
    return { unavailable: true, waitMs };
  }

  /** The statements that record a delivery's outcome on its rows, in order, and the counts. */
  #marks(
    target: ConsumerSubscription,
    rows: ReadyRow[],
    result: ConsumeResult,
  ): Pick<ConsumerPassResult, 'processed' | 'failed' | 'parked'> & { marks: Mark[] } {
    const marks: Mark[] = [];
    const byEvent = new Map(rows.map((r) => [r.event_id, r]));
    const processed = result.processed.flatMap((eventId) => byEvent.get(eventId)?.id ?? []);
    if (processed.length > 0) marks.push([MARK_DONE, [processed]]);
    let parked = 0;
    let failed = 0;
    for (const failure of result.failed) {
      const row = byEvent.get(failure.id);
      if (!row) continue;
      const attempts = row.attempts + 1;
      const error = String(failure.error ?? 'failed').slice(0, 1000);
      if (attempts >= this.#maxAttempts) {
        parked++;
        marks.push([
          `update consumer_deliveries set status = 'parked', attempts = ?, last_error = ?,
                  completed_at = clock_timestamp() where id = ?`,
          [attempts, error, row.id],
        ]);
        this.#metrics?.parkedConsumerDeliveries.inc({ consumer: target.consumer });
        this.#logger.error(
          { consumer: target.consumer, eventId: row.event_id, orgId: row.org_id, attempts, error },
          'event consumer delivery parked after repeated failures',
        );
      } else {
        failed++;
        marks.push([
          `update consumer_deliveries set attempts = ?, last_error = ?,
                  next_attempt_at = clock_timestamp() + (? * interval '1 millisecond') where id = ?`,
          [attempts, error, backoffMs(attempts, this.#maxBackoffMs), row.id],
        ]);
      }
    }
    return { processed: processed.length, failed, parked, marks };
  }
}

function toConsumedEvent(row: ReadyRow): ConsumedEvent {
  return {
    id: row.event_id,
    orgId: row.org_id,
    type: row.type as string,
    subject: row.subject_type && row.subject_id ? { type: row.subject_type, id: row.subject_id } : null,
    actor: row.actor_type && row.actor_id ? { type: row.actor_type, id: row.actor_id } : null,
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : (row.data ?? {}),
    occurredAt: toIsoTimestamp(row.occurred_at),
    seq: Number(row.seq),
  };
}
