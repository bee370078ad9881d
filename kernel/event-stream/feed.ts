/**
 * An ordered live feed of one organization's events: bus messages for speed,
 * the log for truth. It hands events to `onEvent` strictly in sequence order,
 * each once: a message older than the feed's position is dropped; a message
 * that skips ahead (publishers racing, a dropped or truncated message) makes
 * the feed read the missing range from the log first. `notifyHead` lets an
 * owner report the log's head (periodic poll) so a lost last message is
 * caught up too.
 *
 * Used by the gateway's subscription hub (one feed per organization) and by
 * every SSE stream.
 */
import type { MessageBus } from '../bus.ts';
import { decodeBusMessage, type EventEnvelope, orgChannel } from './envelope.ts';

export interface FeedSource {
  /** Events with `seq > afterSeq`, in sequence order, at most `limit`. */
  fetchAfter(orgId: string, afterSeq: number, limit: number): Promise<EventEnvelope[]>;
}

export interface OrgFeedOptions {
  bus: MessageBus;
  orgId: string;
  source: FeedSource;
  /** Position to start after: events with a greater `seq` are delivered (replayed from the log first). */
  after: number;
  onEvent(event: EventEnvelope): void;
  onError?(error: unknown): void;
  pageSize?: number;
}

const RETRY_MS = 1000;

export class OrgFeed {
  readonly orgId: string;
  readonly #options: OrgFeedOptions;
  readonly #pending = new Map<number, EventEnvelope>();
  #cursor: number;
  #unsubscribe?: () => Promise<void>;
  #closed = false;
  #catchingUp?: Promise<void>;
  #again = false;
  #retryTimer?: NodeJS.Timeout;

  constructor(options: OrgFeedOptions) {
    this.orgId = options.orgId;
    this.#options = options;
    this.#cursor = options.after;
  }

  /** The sequence of the last event delivered. */
  get cursor(): number {
    return this.#cursor;
  }

  /** Subscribes to the bus, then delivers everything after the start position from the log. */
  async start(): Promise<void> {
    this.#unsubscribe = await this.#options.bus.subscribe(orgChannel(this.orgId), (message) =>
      this.#onMessage(message),
    );
    await this.catchUp();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#pending.clear();
    await this.#unsubscribe?.();
  }

  /** The log's head is `headSeq`: read whatever this feed has not delivered yet. */
  notifyHead(headSeq: number): void {
    if (headSeq > this.#cursor) void this.catchUp();
  }

  #onMessage(message: string): void {
    if (this.#closed) return;
    let buffered = false;
    for (const decoded of decodeBusMessage(message)) {
      if (decoded.orgId !== this.orgId || decoded.seq <= this.#cursor) continue;
      if ('truncated' in decoded) {
        // The log has it (and whatever follows it in this message): read from there.
        void this.catchUp();
        return;
      }
      this.#pending.set(decoded.seq, decoded);
      buffered = true;
    }
    if (buffered) this.#flush();
  }

  /**
   * Delivers buffered messages that continue the sequence. A gap is read from
   * the log; a gap the log cannot fill either (just after a catch-up) is
   * skipped rather than waited for forever.
   */
  #flush(afterCatchUp = false): void {
    if (this.#catchingUp) return; // the running catch-up flushes when done
    for (const seq of this.#pending.keys()) if (seq <= this.#cursor) this.#pending.delete(seq);
    while (this.#pending.size > 0 && !this.#closed) {
      let next = this.#pending.get(this.#cursor + 1);
      if (!next) {
        if (!afterCatchUp) {
          void this.catchUp();
          return;
        }
        next = this.#pending.get(Math.min(...this.#pending.keys()));
        if (!next) return;
      }
      this.#pending.delete(next.seq);
      this.#deliver(next);
    }
  }

  #deliver(event: EventEnvelope): void {
    this.#cursor = event.seq;
    try {
      this.#options.onEvent(event);
    } catch (error) {
      this.#options.onError?.(error);
    }
  }

  /** Reads the log after the current position until caught up, then flushes buffered messages. */
  catchUp(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#catchingUp) {
      this.#again = true;
      return this.#catchingUp;
    }
    this.#catchingUp = (async () => {
      const pageSize = this.#options.pageSize ?? 500;
      let ok = false;
      try {
        do {
          this.#again = false;
          for (;;) {
            const events = await this.#options.source.fetchAfter(this.orgId, this.#cursor, pageSize);
            for (const event of events) {
              if (this.#closed) return;
              if (event.seq > this.#cursor) this.#deliver(event);
            }
            if (events.length < pageSize) break;
          }
        } while (this.#again && !this.#closed);
        ok = true;
      } catch (error) {
        this.#options.onError?.(error);
        clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => void this.catchUp(), RETRY_MS);
        this.#retryTimer.unref?.();
      } finally {
        this.#catchingUp = undefined;
      }
      // After a failed read the retry will flush; never skip a gap the log may still fill.
      if (ok && !this.#closed) this.#flush(true);
    })();
    return this.#catchingUp;
  }
}
