/**
 * Live delivery for long-lived consumers (graphql-ws subscriptions and the
 * `/v1/events/ws` socket at the gateway), independent of the transport:
 *
 * - `OrgHubs`: one ordered feed (feed.ts) per organization with at least one
 *   local consumer, shared by all of them; released feeds linger briefly so
 *   reconnect storms do not churn bus subscriptions. A periodic head poll
 *   (one batched query for every active organization) catches a lost last
 *   message.
 * - `LiveStream`: one consumer. It attaches to its organization's hub, emits
 *   the stream's opening messages, replays from the log when resuming with
 *   `since` (buffering live events meanwhile), then goes live; it skips every
 *   sequence it has already passed, so resume yields no gap and no duplicate.
 *   Its queue is bounded: a consumer that does not keep up is cut off
 *   (`onOverflow`) instead of slowing the hub or other consumers.
 */
import type { MessageBus } from '../bus.ts';
import type { Logger } from '../logger.ts';
import {
  type ControlPlaneMessageData,
  concerns,
  controlPlaneMessageOf,
  type EventEnvelope,
  matchesType,
  STATE_CHANGE_TYPES,
} from './envelope.ts';
import { type FeedSource, OrgFeed } from './feed.ts';

export interface StreamPosition {
  headSeq: number;
  prunedThroughSeq: number;
}

/** Reads the log (the gateway uses the events subgraph's internal fields). */
export interface LogClient extends FeedSource {
  heads(orgIds: string[]): Promise<Map<string, StreamPosition>>;
}

type Listener = (event: EventEnvelope) => void;

class OrgHub {
  readonly listeners = new Set<Listener>();
  readonly feed: OrgFeed;
  ready: Promise<void>;
  releaseTimer?: NodeJS.Timeout;

  constructor(bus: MessageBus, client: LogClient, orgId: string, after: number, logger: Logger) {
    this.feed = new OrgFeed({
      bus,
      orgId,
      source: client,
      after,
      onEvent: (event) => {
        for (const listener of this.listeners) {
          try {
            listener(event);
          } catch (err) {
            logger.warn({ err, orgId }, 'live listener failed');
          }
        }
      },
      onError: (err) => logger.warn({ err, orgId }, 'live feed could not read the event log'),
    });
    this.ready = this.feed.start();
  }
}

export interface HubLease {
  /** Position of the hub: every later event reaches `listen` listeners. */
  readonly cursor: number;
  listen(listener: Listener): () => void;
  release(): void;
}

export interface OrgHubsOptions {
  bus: MessageBus;
  client: LogClient;
  logger: Logger;
  headPollMs: number;
  /** How long an unused hub stays subscribed (ms). */
  lingerMs?: number;
}

export class OrgHubs {
  readonly #hubs = new Map<string, OrgHub>();
  readonly #users = new Map<string, number>();
  readonly #options: OrgHubsOptions;
  readonly #poll: NodeJS.Timeout;
  #closed = false;

  constructor(options: OrgHubsOptions) {
    this.#options = options;
    this.#poll = setInterval(() => void this.pollHeads(), options.headPollMs);
    this.#poll.unref();
  }

  readonly #initialStates = new Map<string, ControlPlaneMessageData>();

  /**
   * The InitialState message of `orgId` at `seq`, shared by every consumer that starts there, so
   * identical renderings (same selection and principal) are resolved once.
   */
  initialState(orgId: string, seq: number): ControlPlaneMessageData {
    const key = `${orgId}\u0000${seq}`;
    let message = this.#initialStates.get(key);
    if (!message) {
      if (this.#initialStates.size >= 10_000) this.#initialStates.clear();
      message = { kind: 'InitialState', orgId, seq, at: new Date().toISOString() };
      this.#initialStates.set(key, message);
    }
    return message;
  }

  get size(): number {
    return this.#hubs.size;
  }

  /** Joins (starting if needed) the hub of `orgId`; a new hub starts after `headSeq`. */
  async acquire(orgId: string, headSeq: number): Promise<HubLease> {
    if (this.#closed) throw new Error('live hubs are closed');
    let hub = this.#hubs.get(orgId);
    if (!hub) {
      hub = new OrgHub(this.#options.bus, this.#options.client, orgId, headSeq, this.#options.logger);
      this.#hubs.set(orgId, hub);
    }
    clearTimeout(hub.releaseTimer);
    this.#users.set(orgId, (this.#users.get(orgId) ?? 0) + 1);
    try {
      await hub.ready;
    } catch (error) {
      this.#releaseOne(orgId, hub);
      throw error;
    }
    const owner = hub;
    let released = false;
    return {
      get cursor() {
        return owner.feed.cursor;
      },
      listen: (listener) => {
        owner.listeners.add(listener);
        return () => owner.listeners.delete(listener);
      },
      release: () => {
        if (released) return;
        released = true;
        this.#releaseOne(orgId, owner);
      },
    };
  }

  #releaseOne(orgId: string, hub: OrgHub): void {
    const remaining = (this.#users.get(orgId) ?? 1) - 1;
    if (remaining > 0) {
      this.#users.set(orgId, remaining);
      return;
    }
    this.#users.delete(orgId);
    hub.releaseTimer = setTimeout(() => {
      if (this.#users.has(orgId) || this.#hubs.get(orgId) !== hub) return;
      this.#hubs.delete(orgId);
      void hub.feed.close();
    }, this.#options.lingerMs ?? 30_000);
    hub.releaseTimer.unref();
  }

  /** Compares every active feed with the log head (one query per 1,000 organizations). */
  async pollHeads(): Promise<void> {
    const orgIds = [...this.#hubs.keys()];
    for (let i = 0; i < orgIds.length; i += 1000) {
      try {
        const heads = await this.#options.client.heads(orgIds.slice(i, i + 1000));
        for (const [orgId, position] of heads) this.#hubs.get(orgId)?.feed.notifyHead(position.headSeq);
      } catch (err) {
        if (!this.#closed) this.#options.logger.warn({ err }, 'event head poll failed');
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#poll);
    const hubs = [...this.#hubs.values()];
    this.#hubs.clear();
    this.#users.clear();
    for (const hub of hubs) clearTimeout(hub.releaseTimer);
    await Promise.allSettled(hubs.map((hub) => hub.feed.close()));
  }
}

// ---------------------------------------------------------------------------

/** What a stream emits before its GraphQL selection (or other rendering) is applied. */
export type StreamItem =
  | { kind: 'event'; event: EventEnvelope }
  | { kind: 'message'; message: ControlPlaneMessageData };

export type StreamField =
  | 'controlPlane'
  | 'events'
  | 'workflowStateChanged'
  | 'jobEvents'
  | 'runEvents'
  | 'notificationReceived';

export const STREAM_FIELDS: readonly StreamField[] = [
  'controlPlane',
  'events',
  'workflowStateChanged',
  'jobEvents',
  'runEvents',
  'notificationReceived',
];

/**
 * The items an event becomes, made once per event and shared (frozen) by every stream that carries
 * it: a feed hands the same event object to all its listeners, so 10,000 subscribers of one
 * organization take one item object per event instead of building 10,000 copies — and the
 * gateway's per-event caches can key on it.
 */
const itemsOfEvent = new WeakMap<EventEnvelope, { event?: StreamItem; message?: StreamItem | null }>();

function sharedItems(event: EventEnvelope): { event?: StreamItem; message?: StreamItem | null } {
  let items = itemsOfEvent.get(event);
  if (!items) {
    items = {};
    itemsOfEvent.set(event, items);
  }
  return items;
}

/** `{ kind: 'event', event }`, one per event. */
function eventItem(event: EventEnvelope): StreamItem {
  const items = sharedItems(event);
  items.event ??= Object.freeze({ kind: 'event', event });
  return items.event;
}

/** The event's control-plane message as an item (undefined when it has none), resolved once per event. */
function controlPlaneItem(event: EventEnvelope): StreamItem | undefined {
  const items = sharedItems(event);
  if (items.message === undefined) {
    const message = controlPlaneMessageOf(event);
    items.message = message ? Object.freeze({ kind: 'message', message: Object.freeze(message) }) : null;
  }
  return items.message ?? undefined;
}

/** Which events a stream carries and how each becomes an item (shared by every stream: read-only). */
export function itemOf(
  field: StreamField,
  args: Record<string, unknown>,
  event: EventEnvelope,
): StreamItem | undefined {
  switch (field) {
    case 'controlPlane':
      return controlPlaneItem(event);
    case 'events':
      return matchesType(event.type, args.types as string[] | null | undefined) ? eventItem(event) : undefined;
    case 'workflowStateChanged': {
      if (!STATE_CHANGE_TYPES.has(event.type)) return undefined;
      const workflowId = args.workflowId;
      if (typeof workflowId === 'string' && !concerns(event, ['workflow'], 'workflowId', workflowId)) return undefined;
      return controlPlaneItem(event);
    }
    case 'jobEvents':
      return concerns(event, ['job'], 'jobId', String(args.jobId)) ? eventItem(event) : undefined;
    case 'runEvents':
      return concerns(event, ['workflow_run', 'run'], 'runId', String(args.runId)) ? eventItem(event) : undefined;
    // The grant checked that `userId` is the subscriber.
    case 'notificationReceived':
      return event.type === 'notification.created' && event.data.userId === args.userId ? eventItem(event) : undefined;
  }
}

/** The stream cannot resume from the requested position (thrown by non-control-plane streams). */
export class ResyncRequiredError extends Error {
  readonly prunedThroughSeq: number;
  constructor(message: string, prunedThroughSeq: number) {
    super(message);
    this.name = 'ResyncRequiredError';
    this.prunedThroughSeq = prunedThroughSeq;
  }
}

/** Marks an item its renderer chose not to emit. */
export const SKIP: unique symbol = Symbol('skip');

export interface LiveStreamOptions<T> {
  hubs: OrgHubs;
  client: LogClient;
  field: StreamField;
  args: Record<string, unknown>;
  orgId: string;
  /** Resume after this sequence (replayed from the log). */
  since?: number | null;
  /** From the grant: the log head and how far retention pruned, read just before. */
  position: StreamPosition;
  /** Items waiting to be rendered or sent, at most. */
  maxQueue: number;
  /** True when the transport's own send buffer is over its limit. */
  congested?: () => boolean;
  render(item: StreamItem): Promise<T | typeof SKIP>;
  /** The consumer fell behind: the owner closes the transport. */
  onOverflow(): void;
}

/** The consumer `LiveStream.pump` feeds. */
interface Sink<T> {
  write(value: T): void;
  done(): void;
  fail(error: unknown): void;
}

/**
 * One consumer's stream, pumped to its transport (`pump`: every socket of the gateway) or iterated
 * as an async iterator. `return()` ends it at once, even while it waits for the next event.
 */
export class LiveStream<T> implements AsyncIterableIterator<T> {
  readonly #options: LiveStreamOptions<T>;
  readonly #queue: StreamItem[] = [];
  #buffer: EventEnvelope[] = [];
  #live = false;
  #closed = false;
  #lastSeq = 0;
  #lease?: HubLease;
  #unlisten?: () => void;
  #wakeReader?: () => void;
  #wakeWriter?: () => void;
  /** Where `pump` hands values; unset while the stream is iterated with `next()`. */
  #sink?: Sink<T>;
  #draining = false;
  #failure?: unknown;
  /** Emitted once after the stream was ended with `end(last)`. */
  #last?: { value: T };

  constructor(options: LiveStreamOptions<T>) {
    this.#options = options;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Attaches to the hub and queues the opening items; replay continues in the background. */
  async start(): Promise<this> {
    const { hubs, orgId, position, since, field } = this.#options;
    if (field !== 'controlPlane' && since != null && (since < position.prunedThroughSeq || since > position.headSeq))
      throw new ResyncRequiredError(
        since > position.headSeq
          ? `since ${since} is ahead of the log (head ${position.headSeq})`
          : `events after ${since} are no longer in the log (pruned through ${position.prunedThroughSeq})`,
        position.prunedThroughSeq,
      );
    this.#lease = await hubs.acquire(orgId, position.headSeq);
    if (this.#closed) {
      this.#lease.release();
      return this;
    }
    this.#unlisten = this.#lease.listen((event) => this.#onLive(event));
    const liveFrom = this.#lease.cursor;
    const at = new Date().toISOString();
    if (field === 'controlPlane') {
      const resync = since != null && (since < position.prunedThroughSeq || since > position.headSeq);
      if (since == null || resync) {
        if (resync)
          this.#enqueue({
            kind: 'message',
            message: {
              kind: 'ResyncRequired',
              orgId,
              seq: liveFrom,
              at,
              reason:
                (since as number) > position.headSeq
                  ? `since ${since} is ahead of the log`
                  : `events after ${since} are no longer retained`,
              prunedThroughSeq: position.prunedThroughSeq,
            },
          });
        this.#enqueue({ kind: 'message', message: hubs.initialState(orgId, liveFrom) });
        this.#goLive(liveFrom);
        return this;
      }
    }
    if (since == null) {
      this.#goLive(liveFrom);
      return this;
    }
    this.#lastSeq = since;
    void this.#replay(since, liveFrom).catch((error) => this.#fail(error));
    return this;
  }

  #goLive(lastSeq: number): void {
    this.#lastSeq = Math.max(this.#lastSeq, lastSeq);
    const buffered = this.#buffer;
    this.#buffer = [];
    this.#live = true;
    for (const event of buffered) this.#offer(event);
  }

  async #replay(since: number, liveFrom: number): Promise<void> {
    let cursor = since;
    while (cursor < liveFrom && !this.#closed) {
      const events = await this.#options.client.fetchAfter(this.#options.orgId, cursor, 500);
      if (events.length === 0) break;
      for (const event of events) {
        if (event.seq > liveFrom) break;
        this.#offer(event);
        cursor = event.seq;
      }
      if (events.length < 500 || (events.at(-1)?.seq ?? liveFrom) >= liveFrom) break;
      await this.#roomInQueue();
    }
    if (!this.#closed) this.#goLive(liveFrom);
  }

  #onLive(event: EventEnvelope): void {
    if (this.#closed) return;
    if (!this.#live) {
      this.#buffer.push(event);
      if (this.#buffer.length > this.#options.maxQueue) this.#overflow();
      return;
    }
    this.#offer(event);
  }

  #offer(event: EventEnvelope): void {
    if (event.seq <= this.#lastSeq) return;
    this.#lastSeq = event.seq;
    const item = itemOf(this.#options.field, this.#options.args, event);
    if (item) this.#enqueue(item);
  }

  #enqueue(item: StreamItem): void {
    if (this.#closed) return;
    if (this.#queue.length >= this.#options.maxQueue || this.#options.congested?.()) {
      this.#overflow();
      return;
    }
    this.#queue.push(item);
    this.#wake();
  }

  #overflow(): void {
    if (this.#closed) return;
    void this.return();
    this.#options.onOverflow();
  }

  #fail(error: unknown): void {
    if (this.#closed) return;
    this.#failure = error;
    this.#wake();
  }

  #roomInQueue(): Promise<void> {
    if (this.#queue.length < this.#options.maxQueue / 2 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#wakeWriter = () => {
        this.#wakeWriter = undefined;
        resolve();
      };
    });
  }

  /** Ends the stream; `last` (e.g. an error result saying why) is the final value the consumer reads. */
  async end(last?: T): Promise<void> {
    if (this.#closed) return;
    if (last !== undefined) this.#last = { value: last };
    await this.return();
  }

  #finished(): IteratorResult<T> {
    const last = this.#last;
    this.#last = undefined;
    return last ? { done: false, value: last.value } : { done: true, value: undefined };
  }

  /**
   * The next value when one is ready now, or undefined when the stream has to wait for an event. A
   * failure is thrown once the stream is ended; an ended stream answers its `end(last)` value, then done.
   */
  async #take(): Promise<IteratorResult<T> | undefined> {
    for (;;) {
      if (this.#failure) {
        const failure = this.#failure;
        await this.return();
        throw failure;
      }
      const item = this.#queue.shift();
      if (!item) return this.#closed ? this.#finished() : undefined;
      if (this.#queue.length < this.#options.maxQueue / 2) this.#wakeWriter?.();
      const value = await this.#options.render(item);
      if (value === SKIP) continue;
      if (this.#closed) return this.#finished();
      return { done: false, value };
    }
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      const result = await this.#take();
      if (result) return result;
      await new Promise<void>((resolve) => {
        this.#wakeReader = () => {
          this.#wakeReader = undefined;
          resolve();
        };
      });
    }
  }

  /**
   * Hands each value to `write` as soon as it is rendered, in order, until the stream ends (its
   * `end(last)` value included; then the promise resolves) or fails (then it rejects). Call it once,
   * instead of iterating. An idle stream fed this way holds no pending promise: iterated, each of
   * thousands of subscribers waited for its next event (about a second apart) on a fresh promise
   * and async frame that outlived the young generation's collections, so every push left ~1.2 KB in
   * the old generation and major collections ran on a heap of 10,000 connections ever more often.
   */
  pump(write: (value: T) => void): Promise<void> {
    if (this.#sink) throw new Error('LiveStream.pump: already pumping');
    return new Promise<void>((resolve, reject) => {
      this.#sink = { write, done: resolve, fail: reject };
      this.#wake();
    });
  }

  /** Moves what is ready to the sink; the one running drain picks up what is queued meanwhile. */
  async #drain(sink: Sink<T>): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (;;) {
        const result = await this.#take();
        if (result?.done) return sink.done();
        if (result) sink.write(result.value);
        // Idle: the next event, failure or end drains again (checked here, in the same turn as leaving).
        else if (this.#queue.length === 0 && !this.#closed && !this.#failure) return;
      }
    } catch (error) {
      sink.fail(error);
    } finally {
      this.#draining = false;
    }
  }

  /** Something is ready (an item, a failure, the end): wakes the pump's drain or the waiting `next()`. */
  #wake(): void {
    if (this.#sink) void this.#drain(this.#sink);
    else this.#wakeReader?.();
  }

  async return(): Promise<IteratorResult<T>> {
    if (!this.#closed) {
      this.#closed = true;
      this.#queue.length = 0;
      this.#buffer = [];
      this.#unlisten?.();
      this.#lease?.release();
      this.#wake();
      this.#wakeWriter?.();
    }
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
