/**
 * The outbox relay: every subgraph process drains its own `outbox` table
 * (kernel/outbox.ts) and delivers the events, oldest first, to the events
 * subgraph, which appends them to the durable per-org event log.
 *
 * Guarantees (see docs/events.md):
 * - At least once: a row is marked delivered only after the events service
 *   acknowledged it (its ingest transaction committed). A process killed in
 *   between redelivers after restart; the events service deduplicates by
 *   event id, so the log holds each event exactly once.
 * - Order: one relay per schema drains at a time (transaction-scoped advisory
 *   lock, rows additionally `FOR UPDATE SKIP LOCKED`), in `relay_seq` order
 *   (insertion order). A failed batch is retried with backoff before anything
 *   newer is sent, so a subgraph's events reach the log in the order they
 *   were committed.
 * - Wake-up: a flush that wrote outbox rows (or `wakeOutboxRelay` after a
 *   hand-written insert) wakes the relay of this process at once; a replica
 *   that finds another one draining looks again 100 ms later; the poll
 *   (TRELLIS_OUTBOX_POLL_MS) is only a safety net (restarts, lost wakes). An
 *   idle pass is one indexed read: no transaction, no lock. A pass that has
 *   rows to expect (woken by a flush, or after a full batch) skips that read: a
 *   delivering pass is two round trips (kernel/pipelined-transaction.ts): BEGIN
 *   with the statement that takes the lock and the rows; the mark with COMMIT.
 */

import { Migration } from '@mikro-orm/migrations';
import type { EntityManager, Orm } from './database.ts';
import { internalGraphQL } from './internal-graphql.ts';
import type { Logger } from './logger.ts';
import { ASYNC_COMMIT, KEYED_PLANNING, type PreparedStatement, pipelinedTransaction } from './pipelined-transaction.ts';
import type { Platform } from './platform.ts';
import type { InProcessFetch } from './subgraph.ts';
import { backoffMs, WorkerLoop } from './worker-loop.ts';

/** One outbox row on its way to the event log (the ingest contract). */
export interface RelayedEvent {
  /** `evt_<ULID>`, assigned by `recordEvent`; consumers deduplicate by it. */
  id: string;
  orgId: string;
  type: string;
  subject: { type: string; id: string } | null;
  actor: { type: string; id: string } | null;
  requestId: string | null;
  data: Record<string, unknown>;
  /** RFC 3339, when the change was committed (recorded). */
  occurredAt: string;
  /** The subgraph whose outbox held the event. */
  source: string;
}

export interface IngestResult {
  /** Appended to the log by this call. */
  accepted: string[];
  /** Already in the log (an earlier delivery was acknowledged too late). */
  duplicates: string[];
  /** Permanently invalid: never retried, kept in the outbox with `last_error`. */
  rejected: { id: string; reason: string }[];
}

export type DeliverBatch = (events: RelayedEvent[]) => Promise<IngestResult>;

/** Thrown by a deliverer when the events service cannot be located yet (not counted as an attempt). */
export class RelayTargetUnavailable extends Error {}

// ---------------------------------------------------------------------------
// Where services listen. Ports may be chosen at start (port 0 in tests), so a
// process announces the URLs it actually listens on; configuration is the
// fallback for services running in other processes.

const announced = new WeakMap<Platform, Map<string, ServiceTarget>>();

type ServiceName = 'identity' | 'governance' | 'compute' | 'billing' | 'events';

/** Where a service listens, and its in-process transport when it runs in this process. */
export interface ServiceTarget {
  url: string;
  fetch?: InProcessFetch;
}

/**
 * Records where `name` listens in this process (called by `startSubgraph` once listening, with
 * its in-process transport). Announcing again replaces both: a URL alone means calls go over HTTP.
 */
export function announceServiceUrl(platform: Platform, name: string, url: string, fetch?: InProcessFetch): void {
  let targets = announced.get(platform);
  if (!targets) {
    targets = new Map();
    announced.set(platform, targets);
  }
  targets.set(name, fetch ? { url, fetch } : { url });
}

/** Subgraph `name`: announced in this process (with its in-process transport), else configured (unless its port is 0). */
export function serviceTarget(platform: Platform, name: ServiceName): ServiceTarget | undefined {
  const local = announced.get(platform)?.get(name);
  if (local) return local;
  const configured = platform.config.subgraphs[name].url;
  return /:0\//.test(configured) ? undefined : { url: configured };
}

/** The GraphQL URL of subgraph `name` (see `serviceTarget`). */
export function serviceUrl(platform: Platform, name: ServiceName): string | undefined {
  return serviceTarget(platform, name)?.url;
}

// ---------------------------------------------------------------------------

/**
 * Adds the relay's ordering column to every subgraph's outbox: a bigserial
 * filled at insert, so events recorded in the same millisecond keep their
 * order (ULID ids do not sort within a millisecond).
 */
export class OutboxRelayMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table outbox add column if not exists relay_seq bigserial');
    this.addSql('create index if not exists outbox_relay_pending on outbox (relay_seq) where delivered_at is null');
  }
}

export const outboxRelayMigrationEntry = { name: '0000_outbox_relay', class: OutboxRelayMigration };

export const INGEST_MUTATION = /* GraphQL */ `
  mutation RelayIngest($events: JSON!) {
    _ingestEvents(events: $events)
  }
`;

/** Delivers batches to the events subgraph's internal `_ingestEvents` mutation as a signed service principal. */
export function httpIngest(platform: Platform, source: string, timeoutMs = 10_000): DeliverBatch {
  return async (events) => {
    const service = serviceTarget(platform, 'events');
    if (!service) throw new RelayTargetUnavailable('events service not announced yet');
    const target = { ...service, secret: platform.internalSecret, service: `relay-${source}`, timeoutMs };
    const body = await internalGraphQL<{ _ingestEvents?: IngestResult }>(target, INGEST_MUTATION, { events });
    const result = body.data?._ingestEvents;
    if (body.status !== 200 || !result)
      throw new Error(
        `events service answered ${body.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no result'}`,
      );
    return result;
  };
}

export interface OutboxRelayOptions {
  /** The subgraph (and PostgreSQL schema) whose outbox is drained. */
  name: string;
  orm: Orm;
  platform: Platform;
  logger: Logger;
  /** Defaults to `httpIngest(platform, name)`. */
  deliver?: DeliverBatch;
  batchSize?: number;
  pollMs?: number;
  maxBackoffMs?: number;
  /** How long a woken idle relay waits before its pass (TRELLIS_OUTBOX_COALESCE_MS). */
  coalesceMs?: number;
  /** Wake on this ORM's flushes (default true). */
  wakeOnFlush?: boolean;
}

export interface DrainResult {
  /** Rows acknowledged by the events service (accepted, duplicates or rejected). */
  delivered: number;
  /** Another replica holds the relay lock. */
  busy?: boolean;
  /** The delivery failed; retried after `waitMs`. */
  failed?: boolean;
  /** When the oldest pending row is next due. */
  waitMs?: number;
}

interface OutboxRow {
  id: string;
  org_id: string;
  type: string;
  subject_type: string | null;
  subject_id: string | null;
  actor_type: string | null;
  actor_id: string | null;
  request_id: string | null;
  data: Record<string, unknown> | string;
  occurred_at: string;
  attempts: number;
  wait_ms: string | number;
}

/** `timestamptz` as returned by the driver (a Date or `2026-01-01 10:00:00.123+00`) → RFC 3339. */
export function toIsoTimestamp(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value)
    .replace(' ', 'T')
    .replace(/([+-]\d\d)$/, '$1:00');
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

const RELAY_LOCK = (schema: string) => `trellis:outbox-relay:${schema}`;
/** Another replica holds the relay lock: look again this soon (its pass may have missed our rows). */
const BUSY_RETRY_MS = 100;

/**
 * A pass's statements, prepared (planned once per connection, not on every pass). `$1` the relay's
 * lock, `$2` the batch size.
 */
const LOCK_AND_READ = {
  name: 'outbox_relay_read',
  text: `with relay as materialized (select pg_try_advisory_xact_lock(hashtext($1::text)) as locked)
         select relay.locked, o.*
           from relay left join lateral (
             select id, org_id, type, subject_type, subject_id, actor_type, actor_id, request_id, data,
                    occurred_at, attempts,
                    greatest(0, extract(epoch from (next_attempt_at - clock_timestamp())) * 1000) as wait_ms
               from outbox
              where relay.locked and delivered_at is null
              order by relay_seq
              limit $2::int
                for update skip locked) o on true`,
};
const MARK_DELIVERED = {
  name: 'outbox_relay_delivered',
  text: `update outbox set delivered_at = clock_timestamp(), attempts = attempts + 1, last_error = null
          where id = any($1::text[])`,
};
const MARK_REJECTED = {
  name: 'outbox_relay_rejected',
  text: `update outbox set delivered_at = clock_timestamp(), attempts = attempts + 1, last_error = $1::text
          where id = $2::text`,
};

/**
 * The statements that mark a delivery's rows (acknowledged: delivered; rejected: delivered with the
 * reason), each a look-up by key: KEYED_PLANNING first, so that a plan made while the outbox was
 * young is not a scan of the table that every later pass repeats (kernel/pipelined-transaction.ts).
 */
export function deliveryMarks(result: IngestResult): PreparedStatement[] {
  const acknowledged = [...result.accepted, ...result.duplicates];
  const marks: PreparedStatement[] = [];
  if (acknowledged.length > 0) marks.push({ ...MARK_DELIVERED, values: [acknowledged] });
  for (const rejected of result.rejected)
    marks.push({ ...MARK_REJECTED, values: [`rejected: ${rejected.reason}`.slice(0, 2000), rejected.id] });
  return marks.length > 0 ? [ASYNC_COMMIT, KEYED_PLANNING, ...marks] : [];
}

/** The relay of each ORM in this process (keyed by its configuration, which every fork shares). */
const relaysByOrm = new WeakMap<object, OutboxRelay>();

/**
 * Wakes the relay of `em`'s subgraph in this process. ORM flushes that persist outbox entities
 * wake it by themselves; a hand-written statement that inserts into `outbox` calls this after
 * it committed, so its event leaves at once instead of at the next poll.
 */
export function wakeOutboxRelay(em: EntityManager): void {
  relaysByOrm.get(em.config)?.wake();
}

export class OutboxRelay {
  readonly name: string;
  readonly #options: Required<Omit<OutboxRelayOptions, 'deliver' | 'wakeOnFlush'>> & { deliver: DeliverBatch };
  readonly #em: EntityManager;
  #dirty = false;
  /** Rows are expected (a wake, or a full batch left more): the next pass skips the idle check. */
  #expectRows = false;
  readonly #loop: WorkerLoop;

  constructor(options: OutboxRelayOptions) {
    const config = options.platform.config.outbox;
    this.name = `outbox-relay:${options.name}`;
    this.#options = {
      name: options.name,
      orm: options.orm,
      platform: options.platform,
      logger: options.logger.child({ worker: 'outbox-relay' }),
      deliver: options.deliver ?? httpIngest(options.platform, options.name),
      batchSize: options.batchSize ?? config.batchSize,
      pollMs: options.pollMs ?? config.pollMs,
      maxBackoffMs: options.maxBackoffMs ?? config.maxBackoffMs,
      coalesceMs: options.coalesceMs ?? config.coalesceMs,
    };
    this.#em = options.orm.em.fork();
    this.#loop = new WorkerLoop({
      name: this.name,
      logger: this.#options.logger,
      pollMs: this.#options.pollMs,
      // A retry's backoff may be longer than the poll: sleep until it is due.
      maxWaitMs: this.#options.maxBackoffMs,
      maxBackoffMs: this.#options.maxBackoffMs,
      // Commits that follow a wake within the window leave in the same delivery.
      wakeDelayMs: this.#options.coalesceMs,
      pass: async () => {
        const expectRows = this.#expectRows;
        this.#expectRows = false;
        const result = await this.drainOnce({ expectRows });
        const again = result.delivered >= this.#options.batchSize;
        if (again) this.#expectRows = true;
        return { again, waitMs: result.waitMs };
      },
    });
    if (options.wakeOnFlush !== false) {
      relaysByOrm.set(options.orm.em.config, this);
      // Inside a transaction the flush precedes the commit, whose rows a pass could not see yet:
      // remember it and wake on commit. A plain flush has already committed: wake now.
      options.orm.em.getEventManager().registerSubscriber({
        afterFlush: (args) => {
          const wroteOutbox = args.uow
            .getChangeSets()
            .some((cs) => cs.meta.className === 'OutboxEvent' || cs.meta.tableName === 'outbox');
          if (!wroteOutbox) return;
          if (args.em.isInTransaction()) this.#dirty = true;
          else this.wake();
        },
        afterTransactionCommit: () => {
          if (!this.#dirty) return;
          this.#dirty = false;
          this.wake();
        },
      });
    }
  }

  start(): this {
    this.#loop.start();
    return this;
  }

  /** Drain now rather than at the next poll (or once more right after the pass in progress). */
  wake(): void {
    this.#expectRows = true;
    this.#loop.wake();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /**
   * One pass: lock, read up to a batch of pending rows oldest first, deliver,
   * mark. Exposed for tests and tools; the worker loop calls it, with `expectRows`
   * when it was woken for new rows (the idle check would only cost a round trip).
   */
  async drainOnce(options: { expectRows?: boolean } = {}): Promise<DrainResult> {
    if (!options.expectRows) {
      // Idle (or waiting for a retry): one indexed read, no transaction, no lock.
      const [head] = await this.#em.fork().execute<{ wait_ms: string | number }[]>(
        `select extract(epoch from (next_attempt_at - clock_timestamp())) * 1000 as wait_ms
           from outbox where delivered_at is null order by relay_seq limit 1`,
      );
      if (!head) return { delivered: 0 };
      if (Number(head.wait_ms) > 0) return { delivered: 0, waitMs: Number(head.wait_ms) };
    }
    return pipelinedTransaction(this.#em, async (tx) => {
      // The lock and the rows in one statement: the rows are read only once the lock is held
      // (a replica that does not get it reads none), else one row that says so. The statement's
      // snapshot may predate the commit of the pass that held the lock before: FOR UPDATE reads
      // the rows it changed again (READ COMMITTED), so a row it delivered is not taken twice.
      const [locked = []] = await tx.prepared<OutboxRow & { locked: boolean }>([
        { ...LOCK_AND_READ, values: [RELAY_LOCK(this.#options.name), this.#options.batchSize] },
      ]);
      if (!locked[0]?.locked) return { delivered: 0, busy: true, waitMs: BUSY_RETRY_MS };
      const rows = locked.filter((row) => row.id !== null);
      if (rows.length === 0) return { delivered: 0 };
      const firstWait = Number(rows[0]?.wait_ms ?? 0);
      if (firstWait > 0) return { delivered: 0, waitMs: firstWait };
      const events = rows.map((row) => this.#toEvent(row));
      let result: IngestResult;
      try {
        result = await this.#options.deliver(events);
      } catch (error) {
        if (error instanceof RelayTargetUnavailable) return { delivered: 0, failed: true };
        const attempts = (rows[0]?.attempts ?? 0) + 1;
        const waitMs = backoffMs(attempts, this.#options.maxBackoffMs);
        await tx.commitWith(
          `update outbox set attempts = attempts + 1,
                    next_attempt_at = clock_timestamp() + (? * interval '1 millisecond'),
                    last_error = ?
              where id in (?)`,
          [waitMs, String((error as Error).message ?? error).slice(0, 2000), rows.map((r) => r.id)],
        );
        if (!this.#loop.stopped)
          this.#options.logger.warn(
            { err: error, batch: rows.length, attempts, retryInMs: waitMs },
            'outbox delivery failed; will retry',
          );
        return { delivered: 0, failed: true, waitMs };
      }
      for (const rejected of result.rejected)
        this.#options.logger.error({ eventId: rejected.id, reason: rejected.reason }, 'event rejected by the log');
      const marks = deliveryMarks(result);
      // The marks at once, with the COMMIT.
      if (marks.length > 0) await tx.prepared(marks, { commit: true });
      const handled = result.accepted.length + result.duplicates.length + result.rejected.length;
      // Anything the events service did not mention stays pending and is sent again.
      return { delivered: handled, ...(handled < rows.length ? { waitMs: this.#options.pollMs } : {}) };
    });
  }

  #toEvent(row: OutboxRow): RelayedEvent {
    return {
      id: row.id,
      orgId: row.org_id,
      type: row.type,
      subject: row.subject_type && row.subject_id ? { type: row.subject_type, id: row.subject_id } : null,
      actor: row.actor_type && row.actor_id ? { type: row.actor_type, id: row.actor_id } : null,
      requestId: row.request_id,
      data: typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : (row.data ?? {}),
      occurredAt: toIsoTimestamp(row.occurred_at),
      source: this.#options.name,
    };
  }
}

/** Starts the relay worker of one subgraph (called by `startSubgraph`). */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  return new OutboxRelay(options).start();
}
