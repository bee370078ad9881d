/**
 * The event log: appends relayed batches idempotently with a strictly
 * increasing per-org sequence, fans new events out to webhooks in the same
 * transaction, publishes them on the bus after commit, and answers queries.
 *
 * Sequencing: for each organization of a batch (in id order, so concurrent
 * batches never deadlock) the counter row in `org_event_sequences` is locked
 * first (upsert … returning); only then are already-known ids filtered out, so
 * two concurrent deliveries of the same event serialize on the lock and the
 * second one finds the first one's row: no sequence is consumed twice and none
 * is skipped (a rolled-back batch rolls its counter back too).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidField, TrellisError } from '../../kernel/errors.ts';
import { type ConsumerSubscription, consumersOf } from '../../kernel/event-consumers.ts';
import {
  EVENT_TYPE,
  type EventEnvelope,
  encodeBusMessages,
  isTypePattern,
  matchesType,
} from '../../kernel/event-stream/envelope.ts';
import { newId } from '../../kernel/ids.ts';
import type { IngestResult, RelayedEvent } from '../../kernel/outbox-relay.ts';
import { toIsoTimestamp } from '../../kernel/outbox-relay.ts';
import { decodeCursor, encodeCursor, type Page, pageSize } from '../../kernel/pagination.ts';
import { type PipelinedTransaction, pipelinedTransaction } from '../../kernel/pipelined-transaction.ts';
import type { Platform } from '../../kernel/platform.ts';

export interface EventFilterInput {
  types?: string[] | null;
  actorType?: string | null;
  actorId?: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  /** `data.clusterId`: events about a cluster whose subject is something else (its replicas). */
  clusterId?: string | null;
  afterSeq?: number | null;
  from?: Date | string | null;
  to?: Date | string | null;
}

export type EventOrder = 'NEWEST_FIRST' | 'OLDEST_FIRST';

export interface ListEventsArgs {
  orgIds: string[];
  filter?: EventFilterInput | null;
  order?: EventOrder | null;
  limit?: number | null;
  cursor?: string | null;
  /** Only changes made by people or API keys (the audit trail). */
  auditOnly?: boolean;
}

export interface StreamPosition {
  orgId: string;
  headSeq: number;
  prunedThroughSeq: number;
}

interface EventRow {
  id: string;
  org_id: string;
  seq: string | number;
  type: string;
  subject_type: string | null;
  subject_id: string | null;
  actor_type: string | null;
  actor_id: string | null;
  request_id: string | null;
  data: Record<string, unknown> | string;
  occurred_at: string | Date;
  recorded_at: string | Date;
}

const EVENT_COLUMNS =
  'id, org_id, seq, type, subject_type, subject_id, actor_type, actor_id, request_id, data, occurred_at, recorded_at';
/** As many NULLs as EVENT_COLUMNS (a row of an append's answer that is not an event). */
const NO_EVENT_COLUMNS = EVENT_COLUMNS.split(',')
  .map(() => 'null')
  .join(', ');

/**
 * An organization's append (see `#appendOrg`), as two prepared statements: planning the second took
 * 0.55 ms of PostgreSQL's CPU per batch when it travelled as a simple query, with the counter row
 * already locked by the first. `$1` the organization, `$2` its webhooks as this process knows them,
 * `$3` the events, `$4` / `$5` the webhook and consumer deliveries they would create.
 */
const LOCK_COUNTER = {
  name: 'events_lock_counter',
  text: `insert into org_event_sequences (org_id) values ($1::text)
           on conflict (org_id) do update set last_seq = org_event_sequences.last_seq`,
};
const APPEND = {
  name: 'events_append',
  text: `with hooks as (
           select coalesce(json_agg(json_build_object('id', w.id, 'events', w.events) order by w.id), '[]'::json)::text
                    as list
             from webhooks w where w.org_id = $1::text and w.enabled),
         known as (select (select list from hooks) is not distinct from $2::text as same),
         input as (
           select * from jsonb_to_recordset($3::jsonb) as i(ord int, id text, type text, subject_type text,
             subject_id text, actor_type text, actor_id text, request_id text, data jsonb, source text,
             occurred_at timestamptz)),
         fresh as materialized (
           select i.*, (select last_seq from org_event_sequences where org_id = $1::text) + row_number() over (order by i.ord)
                    as seq
             from input i
            -- offset 0: a primary-key probe per event; as an anti-join, the plan cached while the log
            -- was small hashed the whole log on every append.
            where (select same from known) and not exists (select 1 from event_log e where e.id = i.id offset 0)),
         appended as (
           insert into event_log (id, org_id, seq, type, subject_type, subject_id, actor_type, actor_id, request_id,
                                  data, source, occurred_at)
           select id, $1::text, seq, type, subject_type, subject_id, actor_type, actor_id, request_id, data, source,
                  occurred_at
             from fresh order by seq
           returning ${EVENT_COLUMNS}),
         counted as (
           update org_event_sequences set last_seq = (select max(seq) from fresh)
            where org_id = $1::text and exists (select 1 from fresh)),
         to_webhooks as (
           insert into webhook_deliveries (id, webhook_id, org_id, event_id, event_seq, event_type, status, next_attempt_at)
           select t.id, t.webhook_id, f.org_id, f.id, f.seq, f.type, 'pending', clock_timestamp()
             from appended f join jsonb_to_recordset($4::jsonb) as t(id text, webhook_id text, event_id text)
               on t.event_id = f.id
           on conflict (webhook_id, event_id) do nothing),
         to_consumers as (
           insert into consumer_deliveries (consumer, subgraph, org_id, event_id, event_seq, event_type)
           select t.consumer, t.subgraph, f.org_id, f.id, f.seq, f.type
             from appended f join jsonb_to_recordset($5::jsonb) as t(event_id text, consumer text, subgraph text)
               on t.event_id = f.id
           on conflict (consumer, event_id) do nothing)
         select ${EVENT_COLUMNS}, null as hooks from appended
         union all
         select ${NO_EVENT_COLUMNS}, list from hooks where not (select same from known)`,
};

export function envelopeOf(row: EventRow): EventEnvelope {
  return {
    id: row.id,
    orgId: row.org_id,
    seq: Number(row.seq),
    type: row.type,
    subject: row.subject_type && row.subject_id ? { type: row.subject_type, id: row.subject_id } : null,
    actor: row.actor_type && row.actor_id ? { type: row.actor_type, id: row.actor_id } : null,
    requestId: row.request_id,
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : (row.data ?? {}),
    occurredAt: toIsoTimestamp(row.occurred_at),
    recordedAt: toIsoTimestamp(row.recorded_at),
  };
}

const AUDIT_ACTOR_TYPES = ['user', 'api_key'];

/** An organization's enabled webhook, as the append reads it. */
interface Hook {
  id: string;
  events: string[];
}

/**
 * Per platform and organization: its enabled webhooks as the last append read them, with the text
 * PostgreSQL rendered them as. An append builds its webhook deliveries from this and checks, in the
 * same statement, that the text is still what the table holds (see `#appendOrg`): a stale entry costs
 * one more transaction, never a delivery.
 */
const knownHooks = new WeakMap<Platform, Map<string, { text: string; hooks: Hook[] }>>();
const KNOWN_HOOKS_KEPT = 10_000;
/** Appends of one batch tried with the webhooks just read before giving up (see `ingest`). */
const MAX_APPEND_ATTEMPTS = 5;
const MAX_BATCH = 1000;
const MAX_DATA_BYTES = 256 * 1024;

function validate(event: RelayedEvent): string | undefined {
  if (!event || typeof event !== 'object') return 'not an object';
  if (typeof event.id !== 'string' || !/^evt_[0-9A-Za-z]{10,40}$/.test(event.id)) return 'id must be evt_…';
  if (typeof event.orgId !== 'string' || event.orgId.length === 0 || event.orgId.length > 100)
    return 'orgId is required';
  if (typeof event.type !== 'string' || !EVENT_TYPE.test(event.type) || event.type.length > 100)
    return 'type must be dotted lowercase (vm.running)';
  if (!event.data || typeof event.data !== 'object' || Array.isArray(event.data)) return 'data must be an object';
  if (Buffer.byteLength(JSON.stringify(event.data)) > MAX_DATA_BYTES) return 'data is larger than 256 KiB';
  if (typeof event.occurredAt !== 'string' || Number.isNaN(Date.parse(event.occurredAt)))
    return 'occurredAt must be RFC 3339';
  return undefined;
}

/** What an append created besides the events: pending webhook and consumer deliveries. */
export interface AppendFanOut {
  webhookDeliveries: number;
  consumerDeliveries: number;
  /** The consumers the consumer deliveries are for (what the delivery worker has to look at). */
  consumers: string[];
}

/** Called after an ingest commits, with the events it appended (per org, in sequence order). */
export type AppendedListener = (events: EventEnvelope[], fanOut: AppendFanOut) => void;

export class EventLogService {
  private readonly em: EntityManager;
  private readonly platform: Platform;
  private readonly onAppended?: AppendedListener;
  private readonly consumers: readonly ConsumerSubscription[];

  constructor(
    em: EntityManager,
    platform: Platform,
    onAppended?: AppendedListener,
    consumers: readonly ConsumerSubscription[] = [],
  ) {
    this.em = em;
    this.platform = platform;
    this.onAppended = onAppended;
    this.consumers = consumers;
  }

  /** Appends a relayed batch; idempotent by event id. Publishes what it appended once committed. */
  async ingest(input: unknown): Promise<IngestResult> {
    if (!Array.isArray(input)) throw invalidField('events', 'events must be an array');
    if (input.length > MAX_BATCH) throw invalidField('events', `at most ${MAX_BATCH} events per batch`);
    const rejected: IngestResult['rejected'] = [];
    const byOrg = new Map<string, RelayedEvent[]>();
    const seen = new Set<string>();
    const duplicates: string[] = [];
    for (const event of input as RelayedEvent[]) {
      const problem = validate(event);
      if (problem) {
        rejected.push({ id: typeof event?.id === 'string' ? event.id : '', reason: problem });
        continue;
      }
      if (seen.has(event.id)) {
        duplicates.push(event.id);
        continue;
      }
      seen.add(event.id);
      const group = byOrg.get(event.orgId) ?? [];
      group.push(event);
      byOrg.set(event.orgId, group);
    }
    const appended: EventEnvelope[] = [];
    const fanOut: AppendFanOut = { webhookDeliveries: 0, consumerDeliveries: 0, consumers: [] };
    // One round trip per organization, BEGIN and COMMIT included (kernel/pipelined-transaction.ts). An
    // organization whose webhooks were not what this process knew appended nothing: it goes again, with
    // them, in a transaction of its own (its events are appended together, in order, in any case).
    let orgIds = [...byOrg.keys()].sort();
    for (let attempt = 1; orgIds.length > 0; attempt++) {
      // Webhooks changing under every attempt: fail the delivery (the relay retries it later) rather than spin.
      if (attempt > MAX_APPEND_ATTEMPTS)
        throw new Error(`the webhooks of ${orgIds.join(', ')} changed during each of ${MAX_APPEND_ATTEMPTS} appends`);
      const again: string[] = [];
      await pipelinedTransaction(this.em, async (tx) => {
        for (const [i, orgId] of orgIds.entries()) {
          const group = byOrg.get(orgId) ?? [];
          const appendedHere = await this.#appendOrg(tx, orgId, group, i === orgIds.length - 1);
          if (!appendedHere) {
            again.push(orgId);
            continue;
          }
          const fresh = new Set(appendedHere.events.map((e) => e.id));
          for (const e of group) if (!fresh.has(e.id)) duplicates.push(e.id);
          appended.push(...appendedHere.events);
          fanOut.webhookDeliveries += appendedHere.webhookDeliveries;
          fanOut.consumerDeliveries += appendedHere.consumerDeliveries;
          for (const consumer of appendedHere.consumers)
            if (!fanOut.consumers.includes(consumer)) fanOut.consumers.push(consumer);
        }
      });
      orgIds = again;
    }
    // One publish for the batch (one pg_notify statement on the PostgreSQL bus), in append order, with
    // each organization's events in as few messages as the bus's size limit allows.
    if (appended.length > 0)
      this.platform.bus
        .publishAll(encodeBusMessages(appended))
        .catch((err) => this.platform.logger.warn({ err, events: appended.length }, 'event publish failed'));
    if (appended.length > 0) this.onAppended?.(appended, fanOut);
    return { accepted: appended.map((e) => e.id), duplicates, rejected };
  }

  /**
   * Appends one organization's events in one round trip of two statements. The first locks the counter
   * row: only the second, whose snapshot is taken after the lock, filters out the ids already in the log
   * — so a concurrent delivery of the same events waits there and then sees the first one's rows. The
   * second inserts the new events with the next sequences (in batch order, after the counter it reads),
   * moves the counter past them and creates their pending webhook and consumer deliveries, all at once.
   * The webhook deliveries are built here from the organization's webhooks as this process last read
   * them, and the statement appends only if the table still holds exactly those (else it answers what it
   * holds, which is kept for the next try). Returns the appended events in sequence order, or undefined
   * when the webhooks had changed and nothing was appended.
   */
  async #appendOrg(
    tx: PipelinedTransaction,
    orgId: string,
    group: RelayedEvent[],
    last: boolean,
  ): Promise<({ events: EventEnvelope[] } & AppendFanOut) | undefined> {
    let known = knownHooks.get(this.platform);
    if (!known) {
      known = new Map();
      knownHooks.set(this.platform, known);
    }
    const hooks = known.get(orgId);
    // Every delivery an event would create if it is new; the statement keeps those of the inserted ones.
    const webhookTargets: { id: string; webhook_id: string; event_id: string }[] = [];
    const consumerTargets: { event_id: string; consumer: string; subgraph: string }[] = [];
    for (const event of group) {
      for (const hook of hooks?.hooks ?? [])
        if (matchesType(event.type, hook.events))
          webhookTargets.push({ id: newId('dlv'), webhook_id: hook.id, event_id: event.id });
      for (const target of consumersOf(this.consumers, event.type))
        consumerTargets.push({ event_id: event.id, consumer: target.consumer, subgraph: target.subgraph });
    }
    const input = group.map((e, ord) => ({
      ord,
      id: e.id,
      type: e.type,
      subject_type: e.subject?.type ?? null,
      subject_id: e.subject?.id ?? null,
      actor_type: e.actor?.type ?? null,
      actor_id: e.actor?.id ?? null,
      request_id: e.requestId ?? null,
      data: e.data,
      source: typeof e.source === 'string' ? e.source : null,
      occurred_at: e.occurredAt,
    }));
    // Both statements at once, prepared; the last organization's carry the COMMIT.
    const answers = await tx.prepared<EventRow & { hooks: string | null }>(
      [
        { ...LOCK_COUNTER, values: [orgId] },
        {
          ...APPEND,
          values: [
            orgId,
            hooks?.text ?? null,
            JSON.stringify(input),
            JSON.stringify(webhookTargets),
            JSON.stringify(consumerTargets),
          ],
        },
      ],
      { commit: last },
    );
    const rows = answers[1] ?? [];
    const changed = rows.find((row) => row.hooks !== null);
    if (changed?.hooks != null) {
      if (known.size >= KNOWN_HOOKS_KEPT) known.clear();
      known.set(orgId, { text: changed.hooks, hooks: JSON.parse(changed.hooks) as Hook[] });
      return undefined;
    }
    const events = rows.map(envelopeOf).sort((a, b) => a.seq - b.seq);
    const fresh = new Set(events.map((e) => e.id));
    const consumerDeliveries = consumerTargets.filter((t) => fresh.has(t.event_id));
    return {
      events,
      webhookDeliveries: webhookTargets.filter((t) => fresh.has(t.event_id)).length,
      consumerDeliveries: consumerDeliveries.length,
      consumers: [...new Set(consumerDeliveries.map((t) => t.consumer))],
    };
  }

  async get(id: string): Promise<EventEnvelope | null> {
    const [row] = await this.em.execute<EventRow[]>(`select ${EVENT_COLUMNS} from event_log where id = ?`, [id]);
    return row ? envelopeOf(row) : null;
  }

  /** Events of one organization with `seq > afterSeq`, in sequence order. */
  async after(orgId: string, afterSeq: number, limit: number): Promise<EventEnvelope[]> {
    const rows = await this.em.execute<EventRow[]>(
      `select ${EVENT_COLUMNS} from event_log where org_id = ? and seq > ? order by seq limit ?`,
      [orgId, afterSeq, Math.min(Math.max(limit, 1), 1000)],
    );
    return rows.map(envelopeOf);
  }

  async positions(orgIds: string[]): Promise<Map<string, StreamPosition>> {
    const result = new Map<string, StreamPosition>();
    for (const orgId of orgIds) result.set(orgId, { orgId, headSeq: 0, prunedThroughSeq: 0 });
    if (orgIds.length === 0) return result;
    const rows = await this.em.execute<{ org_id: string; last_seq: string; pruned_through_seq: string }[]>(
      'select org_id, last_seq, pruned_through_seq from org_event_sequences where org_id in (?)',
      [orgIds],
    );
    for (const row of rows)
      result.set(row.org_id, {
        orgId: row.org_id,
        headSeq: Number(row.last_seq),
        prunedThroughSeq: Number(row.pruned_through_seq),
      });
    return result;
  }

  async position(orgId: string): Promise<StreamPosition> {
    return (await this.positions([orgId])).get(orgId) as StreamPosition;
  }

  /** The first organization among `orgIds` whose log mentions the subject (how `/v1/jobs/{id}/events` finds its org). */
  async orgOfSubject(orgIds: string[], subjectTypes: string[], subjectId: string): Promise<string | undefined> {
    if (orgIds.length === 0) return undefined;
    const [row] = await this.em.execute<{ org_id: string }[]>(
      'select org_id from event_log where org_id in (?) and subject_type in (?) and subject_id = ? limit 1',
      [orgIds, subjectTypes, subjectId],
    );
    return row?.org_id;
  }

  async list(args: ListEventsArgs): Promise<Page<EventEnvelope>> {
    const limit = pageSize(args.limit);
    const filter = args.filter ?? {};
    const order = args.order ?? 'NEWEST_FIRST';
    const singleOrg = args.orgIds.length === 1;
    if (args.orgIds.length === 0) return { items: [], nextCursor: null };
    const where: string[] = [];
    const params: unknown[] = [];
    if (singleOrg) {
      where.push('org_id = ?');
      params.push(args.orgIds[0]);
    } else {
      where.push('org_id in (?)');
      params.push(args.orgIds);
    }
    const types = (filter.types ?? []).filter((t) => t !== '*');
    if (types.length > 0) {
      const clauses: string[] = [];
      for (const pattern of types) {
        if (!isTypePattern(pattern))
          throw invalidField('filter.types', `"${pattern}" is not an event type or a prefix ending in .*`);
        if (pattern.endsWith('.*')) {
          clauses.push('type like ?');
          params.push(`${pattern.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`);
        } else {
          clauses.push('type = ?');
          params.push(pattern);
        }
      }
      where.push(`(${clauses.join(' or ')})`);
    }
    for (const [key, column] of [
      ['actorType', 'actor_type'],
      ['actorId', 'actor_id'],
      ['subjectType', 'subject_type'],
      ['subjectId', 'subject_id'],
    ] as const) {
      const value = filter[key];
      if (value) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    if (filter.clusterId) {
      // Served by the partial index event_log_org_cluster (migration 0009).
      where.push(`data->>'clusterId' = ?`);
      params.push(filter.clusterId);
    }
    if (args.auditOnly) {
      where.push('actor_type in (?)');
      params.push(AUDIT_ACTOR_TYPES);
    }
    if (filter.afterSeq != null) {
      if (!singleOrg) throw invalidField('filter.afterSeq', 'afterSeq needs a single organization (orgId)');
      where.push('seq > ?');
      params.push(filter.afterSeq);
    }
    for (const [key, op] of [
      ['from', '>='],
      ['to', '<'],
    ] as const) {
      const value = filter[key];
      if (value) {
        const date = value instanceof Date ? value : new Date(value);
        if (Number.isNaN(date.getTime())) throw invalidField(`filter.${key}`, `${key} must be RFC 3339`);
        where.push(`occurred_at ${op} ?::timestamptz`);
        params.push(date.toISOString());
      }
    }
    const descending = order === 'NEWEST_FIRST';
    const cmp = descending ? '<' : '>';
    const dir = descending ? 'desc' : 'asc';
    // One organization: sequence order. Several: time order (recorded_at, id).
    if (singleOrg) {
      const cursor = decodeCursor(args.cursor, { s: 'int' });
      if (cursor) {
        where.push(`seq ${cmp} ?`);
        params.push(cursor.s);
      }
    } else {
      const cursor = decodeCursor(args.cursor, { r: 'time', i: 'text' });
      if (cursor) {
        where.push(`(recorded_at, id) ${cmp} (?::timestamptz, ?)`);
        params.push(cursor.r, cursor.i);
      }
    }
    const orderBy = singleOrg ? `seq ${dir}` : `recorded_at ${dir}, id ${dir}`;
    params.push(limit + 1);
    const rows = await this.em.execute<EventRow[]>(
      `select ${EVENT_COLUMNS} from event_log where ${where.join(' and ')} order by ${orderBy} limit ?`,
      params,
    );
    const items = rows.slice(0, limit).map(envelopeOf);
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last
        ? encodeCursor(singleOrg ? { s: last.seq } : { r: last.recordedAt, i: last.id })
        : null;
    return { items, nextCursor };
  }

  /**
   * Removes events recorded more than `retentionDays` ago (in chunks) and
   * remembers, per organization, the newest sequence removed.
   */
  async prune(retentionDays: number, chunk = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.em.transactional(async (tx) => {
        const rows = await tx.execute<{ org_id: string; max_seq: string; n: string }[]>(
          `with removed as (
             delete from event_log where id in (
               select id from event_log where recorded_at < clock_timestamp() - (? * interval '1 day')
               order by recorded_at limit ? for update skip locked)
             returning org_id, seq)
           select org_id, max(seq) as max_seq, count(*) as n from removed group by org_id`,
          [retentionDays, chunk],
        );
        for (const row of rows)
          await tx.execute(
            `insert into org_event_sequences (org_id, last_seq, pruned_through_seq) values (?, ?, ?)
             on conflict (org_id) do update
               set pruned_through_seq = greatest(org_event_sequences.pruned_through_seq, excluded.pruned_through_seq)`,
            [row.org_id, row.max_seq, row.max_seq],
          );
        return rows.reduce((sum, r) => sum + Number(r.n), 0);
      });
      total += deleted;
      if (deleted < chunk) break;
    }
    await this.em.execute(
      `delete from webhook_deliveries where created_at < clock_timestamp() - (? * interval '1 day')
         and status in ('succeeded', 'failed', 'cancelled')`,
      [retentionDays],
    );
    // Finished consumer and notification deliveries (parked ones stay until someone looks at them).
    await this.em.execute(
      `delete from consumer_deliveries where created_at < clock_timestamp() - (? * interval '1 day')
         and status in ('done', 'skipped')`,
      [retentionDays],
    );
    await this.em.execute(
      `delete from notification_deliveries where created_at < clock_timestamp() - (? * interval '1 day')
         and status in ('succeeded', 'failed')`,
      [retentionDays],
    );
    await this.em.execute(
      `delete from notification_requests where created_at < clock_timestamp() - (? * interval '1 day')
         and status = 'expanded'`,
      [retentionDays],
    );
    return total;
  }
}

/** Raises `unauthenticated`/`forbidden` unless the caller is an internal service. */
export function requireService(principal: { kind: string }): void {
  if (principal.kind !== 'service') throw new TrellisError('forbidden', 'Internal operation');
}
