/**
 * Durable event consumers: how a subgraph reacts to other subgraphs' events
 * with exactly-once effects (docs/events.md §10).
 *
 * - A subgraph definition lists `consumers`: a stable name, the event types it
 *   wants (exact or `prefix.*`) and `handle(tx, event)`.
 * - The registry (`consumerRegistry`, built from every definition by the
 *   process that starts subgraphs) tells the events subgraph who wants what:
 *   when the log appends an event, the same transaction records one pending
 *   delivery per matching consumer (`events.consumer_deliveries`).
 * - The events subgraph's consumer delivery worker hands batches, oldest first,
 *   to the consuming subgraph's internal `_consumeEvents` mutation (this
 *   module's SDL, added to every subgraph by the kernel) as a signed service.
 * - Here, on the consuming side, each event runs in one transaction of the
 *   consuming subgraph: insert `(consumer, event_id)` into its own
 *   `consumed_events` (ON CONFLICT DO NOTHING), then `handle`. A redelivered
 *   event finds the row and is acknowledged without running again, so effects
 *   happen once even when the acknowledgement was lost.
 */
import { readFileSync } from 'node:fs';
import { Migration } from '@mikro-orm/migrations';
import type { SubgraphName } from './config.ts';
import type { EntityManager, Orm } from './database.ts';
import { invalidField, TrellisError } from './errors.ts';
import { EVENT_TYPE, type EventRef, isTypePattern, matchesType } from './event-stream/envelope.ts';
import { internalGraphQL } from './internal-graphql.ts';
import type { Logger } from './logger.ts';
import type { Platform } from './platform.ts';
import type { Principal } from './principal.ts';
import type { InProcessFetch } from './subgraph.ts';

/** An event as a consumer receives it (the log's envelope without request id and recording time). */
export interface ConsumedEvent {
  id: string;
  orgId: string;
  type: string;
  subject: EventRef | null;
  actor: EventRef | null;
  data: Record<string, unknown>;
  /** RFC 3339: when the change committed. */
  occurredAt: string;
  /** The event's position in its organization's log. */
  seq: number;
}

/** What a handler may use besides its transaction (sealing secrets, configuration, logging). */
export interface ConsumerContext {
  platform: Platform;
  logger: Logger;
}

export interface EventConsumer {
  /** Stable, e.g. `billing.metering`: its dedupe records and pending deliveries are kept under it. */
  name: string;
  /** Event types, exact (`usage.recorded`) or `prefix.*`. */
  types: string[];
  /**
   * Runs inside a transaction of the consuming subgraph, once per event id: whatever it writes
   * (rows, `recordEvent`) commits with the dedupe record or not at all. Throw to have the event
   * retried later (with backoff; parked after TRELLIS_EVENT_CONSUMER_MAX_ATTEMPTS attempts).
   */
  handle(tx: EntityManager, event: ConsumedEvent, context: ConsumerContext): Promise<void>;
  /** Runs once `handle`'s transaction committed (e.g. to wake the worker that acts on what it wrote). */
  afterCommit?(event: ConsumedEvent, context: ConsumerContext): void;
  /**
   * `handle` does database work only (nothing outside its transaction), so a batch may share one
   * transaction: one dedupe insert and one commit for the batch instead of one per event. If any
   * event of it throws, the shared transaction rolls back and the batch runs event by event.
   */
  sharedTransaction?: boolean;
  /**
   * With `sharedTransaction`: handles the new events of a shared batch together, in order, in one
   * transaction (e.g. one multi-row statement instead of one per event), with `handle`'s effects for
   * each. Without it, `handle` runs for each event in turn.
   */
  handleMany?(tx: EntityManager, events: readonly ConsumedEvent[], context: ConsumerContext): Promise<void>;
}

/** Who wants which events: one row per consumer, built once per process from the subgraph definitions. */
export interface ConsumerSubscription {
  consumer: string;
  subgraph: SubgraphName;
  types: string[];
}

const CONSUMER_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_-]+)+$/;

/**
 * The registry of every consumer of every subgraph, sorted by name. Refuses (at start) a name used
 * twice, a name that is not `<subgraph>.<purpose>`, or a type pattern that can never match.
 */
export function consumerRegistry(
  definitions: readonly { name: SubgraphName; consumers?: readonly EventConsumer[] }[],
): ConsumerSubscription[] {
  const registry: ConsumerSubscription[] = [];
  const names = new Set<string>();
  for (const definition of definitions)
    for (const consumer of definition.consumers ?? []) {
      if (!CONSUMER_NAME.test(consumer.name) || consumer.name.length > 100)
        throw new Error(`event consumer name "${consumer.name}" must look like "${definition.name}.purpose"`);
      if (names.has(consumer.name)) throw new Error(`event consumer "${consumer.name}" is defined twice`);
      if (consumer.types.length === 0) throw new Error(`event consumer "${consumer.name}" consumes no types`);
      for (const type of consumer.types)
        if (type === '*' || !isTypePattern(type))
          throw new Error(`event consumer "${consumer.name}": "${type}" is not an event type or a prefix.*`);
      names.add(consumer.name);
      registry.push({ consumer: consumer.name, subgraph: definition.name, types: [...consumer.types] });
    }
  return registry.sort((a, b) => a.consumer.localeCompare(b.consumer));
}

/** The consumers that want an event of `type`. */
export function consumersOf(registry: readonly ConsumerSubscription[], type: string): ConsumerSubscription[] {
  return registry.filter((s) => matchesType(type, s.types));
}

// ---------------------------------------------------------------------------
// Consuming side (in the consuming subgraph's process and schema)

/** Every subgraph schema keeps the ids its consumers have handled (the exactly-once record). */
export class ConsumedEventsMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists consumed_events (
      consumer text not null,
      event_id text not null,
      consumed_at timestamptz(3) not null default clock_timestamp(),
      primary key (consumer, event_id)
    )`);
    this.addSql('create index if not exists consumed_events_age on consumed_events (consumed_at)');
  }
}

export const consumedEventsMigrationEntry = { name: '0000_consumed_events', class: ConsumedEventsMigration };

/** The internal mutation the kernel adds to every subgraph (`@inaccessible`: never in the API). */
export const CONSUMERS_SDL_FILE = new URL('./event-consumers.graphql', import.meta.url);
export const readConsumersSdl = (): string => readFileSync(CONSUMERS_SDL_FILE, 'utf8');

export interface ConsumeResult {
  /** Handled now, or already handled earlier (a redelivery): the events service stops sending them. */
  processed: string[];
  /** `handle` threw: retried later. Events of the same organization after one of these are left out. */
  failed: { id: string; error: string }[];
}

const MAX_ERROR_LENGTH = 1000;

function toConsumedEvent(value: unknown): ConsumedEvent {
  const e = value as ConsumedEvent;
  if (
    !e ||
    typeof e !== 'object' ||
    typeof e.id !== 'string' ||
    typeof e.orgId !== 'string' ||
    typeof e.type !== 'string' ||
    !EVENT_TYPE.test(e.type) ||
    typeof e.seq !== 'number' ||
    !e.data ||
    typeof e.data !== 'object'
  )
    throw invalidField('events', 'every event needs id, orgId, type, seq and data');
  return {
    id: e.id,
    orgId: e.orgId,
    type: e.type,
    subject: e.subject ?? null,
    actor: e.actor ?? null,
    data: e.data,
    occurredAt: e.occurredAt,
    seq: e.seq,
  };
}

/** Events per shared transaction (bounds how long one holds its locks). */
const SHARED_CHUNK = 100;

/**
 * Handles a batch for one consumer, in the order given: in shared transactions when the consumer
 * allows it, else (or when a shared transaction failed) each event in its own transaction (dedupe
 * row + effects). After a failure, later events of the same organization are not attempted in this
 * batch (they stay pending), so per organization a consumer sees events in log order.
 */
export async function consumeBatch(
  orm: Pick<Orm, 'em'>,
  consumer: EventConsumer,
  events: readonly ConsumedEvent[],
  context: ConsumerContext,
  onOutcome?: (outcome: 'handled' | 'duplicate' | 'failed') => void,
): Promise<ConsumeResult> {
  if (!consumer.sharedTransaction || events.length < 2) return consumeEach(orm, consumer, events, context, onOutcome);
  const result: ConsumeResult = { processed: [], failed: [] };
  for (let start = 0; start < events.length; start += SHARED_CHUNK) {
    const chunk = events.slice(start, start + SHARED_CHUNK);
    const handled = await consumeTogether(orm, consumer, chunk, context).catch((error: unknown) => {
      context.logger.debug({ err: error, consumer: consumer.name }, 'shared consumer transaction failed; one by one');
      return null;
    });
    if (handled === null) {
      // The failure is found (and the organization held) event by event; the rest of the batch too,
      // since a held organization's later events must wait.
      const rest = await consumeEach(orm, consumer, events.slice(start), context, onOutcome);
      result.processed.push(...rest.processed);
      result.failed.push(...rest.failed);
      return result;
    }
    for (const event of chunk) {
      result.processed.push(event.id);
      const fresh = handled.delete(event.id);
      if (fresh) consumer.afterCommit?.(event, context);
      onOutcome?.(fresh ? 'handled' : 'duplicate');
    }
  }
  return result;
}

/**
 * One transaction for `events`: their dedupe rows in one statement, then `handle` for each new one,
 * in order. Returns the ids handled now (the others were handled before); throws, having changed
 * nothing, when any `handle` throws.
 */
async function consumeTogether(
  orm: Pick<Orm, 'em'>,
  consumer: EventConsumer,
  events: readonly ConsumedEvent[],
  context: ConsumerContext,
): Promise<Set<string>> {
  return orm.em.fork().transactional(async (tx) => {
    const inserted = await tx.execute<{ event_id: string }[]>(
      `insert into consumed_events (consumer, event_id)
       select ?, id from jsonb_array_elements_text(?::jsonb) as ids(id)
       on conflict (consumer, event_id) do nothing returning event_id`,
      [consumer.name, JSON.stringify(events.map((e) => e.id))],
    );
    const fresh = new Set(inserted.map((row) => row.event_id));
    const pending = new Set(fresh);
    const handled = events.filter((event) => pending.delete(event.id));
    if (consumer.handleMany) await consumer.handleMany(tx, handled, context);
    else for (const event of handled) await consumer.handle(tx, event, context);
    return fresh;
  });
}

/** Each event in its own transaction (dedupe row + effects). */
async function consumeEach(
  orm: Pick<Orm, 'em'>,
  consumer: EventConsumer,
  events: readonly ConsumedEvent[],
  context: ConsumerContext,
  onOutcome?: (outcome: 'handled' | 'duplicate' | 'failed') => void,
): Promise<ConsumeResult> {
  const { logger } = context;
  const result: ConsumeResult = { processed: [], failed: [] };
  const held = new Set<string>();
  for (const event of events) {
    if (held.has(event.orgId)) continue;
    try {
      const handled = await orm.em.fork().transactional(async (tx) => {
        const inserted = await tx.execute<{ event_id: string }[]>(
          `insert into consumed_events (consumer, event_id) values (?, ?)
           on conflict (consumer, event_id) do nothing returning event_id`,
          [consumer.name, event.id],
        );
        if (inserted.length === 0) return false;
        await consumer.handle(tx, event, context);
        return true;
      });
      result.processed.push(event.id);
      if (handled) consumer.afterCommit?.(event, context);
      onOutcome?.(handled ? 'handled' : 'duplicate');
    } catch (error) {
      held.add(event.orgId);
      const message = String((error as Error)?.message ?? error).slice(0, MAX_ERROR_LENGTH);
      result.failed.push({ id: event.id, error: message });
      onOutcome?.('failed');
      logger.warn(
        { err: error, consumer: consumer.name, eventId: event.id, eventType: event.type },
        'event consumer failed; will retry',
      );
    }
  }
  return result;
}

/** The resolvers behind `_consumeEvents` for one subgraph (refused unless the caller is a service). */
export function consumerResolvers(
  consumers: readonly EventConsumer[],
  orm: Pick<Orm, 'em'>,
  context: ConsumerContext,
  onOutcome?: (consumer: string, outcome: 'handled' | 'duplicate' | 'failed') => void,
) {
  const byName = new Map(consumers.map((c) => [c.name, c]));
  return {
    _consumeEvents: async (
      _: unknown,
      args: { consumer: string; events: unknown },
      ctx: { principal: Principal },
    ): Promise<ConsumeResult> => {
      if (ctx.principal.kind !== 'service') throw new TrellisError('forbidden', 'Internal operation');
      const consumer = byName.get(args.consumer);
      if (!consumer) throw new TrellisError('not_found', `No event consumer ${args.consumer} here`);
      if (!Array.isArray(args.events) || args.events.length > 1000)
        throw invalidField('events', 'events must be an array of at most 1000');
      const events = args.events.map(toConsumedEvent);
      return consumeBatch(orm, consumer, events, context, (outcome) => onOutcome?.(consumer.name, outcome));
    },
  };
}

// ---------------------------------------------------------------------------
// Delivering side (used by the events subgraph's consumer delivery worker)

export const CONSUME_MUTATION = /* GraphQL */ `
  mutation ConsumeEvents($consumer: String!, $events: JSON!) {
    _consumeEvents(consumer: $consumer, events: $events)
  }
`;

/** Thrown when the consuming subgraph cannot be reached or answered with an error (the whole batch waits). */
export class ConsumerUnavailable extends Error {}

export type DeliverToConsumer = (target: ConsumerSubscription, events: ConsumedEvent[]) => Promise<ConsumeResult>;

/** Posts a batch to `url` (the consuming subgraph) as the signed service `events`; in process with its `fetch`. */
export async function postConsumeBatch(
  url: string,
  secret: string,
  target: ConsumerSubscription,
  events: ConsumedEvent[],
  timeoutMs: number,
  fetch?: InProcessFetch,
): Promise<ConsumeResult> {
  let body: Awaited<ReturnType<typeof internalGraphQL<{ _consumeEvents?: ConsumeResult }>>>;
  try {
    body = await internalGraphQL<{ _consumeEvents?: ConsumeResult }>(
      { url, secret, service: 'events', timeoutMs, ...(fetch ? { fetch } : {}) },
      CONSUME_MUTATION,
      { consumer: target.consumer, events },
    );
  } catch (error) {
    throw new ConsumerUnavailable(`${target.subgraph} unreachable: ${(error as Error).message}`);
  }
  const result = body.data?._consumeEvents;
  if (body.status !== 200 || !result || !Array.isArray(result.processed) || !Array.isArray(result.failed))
    throw new ConsumerUnavailable(
      `${target.subgraph} answered ${body.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no result'}`,
    );
  return result;
}
