/**
 * Every long-lived stream an edge process serves on a caller's credential —
 * graphql-ws connections, `/v1/events/ws` sockets, SSE streams — registered
 * in one place, for two jobs:
 *
 * - **Re-authorization.** When identity invalidates a credential or a
 *   membership (the authenticator hears it from the bus, a response header or
 *   the revocation log), every stream opened with a concerned credential
 *   resolves it afresh: if it no longer authenticates the stream is told
 *   `revoked()` (WebSocket close 4403, SSE `event: error`); otherwise
 *   `reauthorize(principal)` re-checks the stream's own authorization with the
 *   principal as it is now (a removed member's stream ends). When identity
 *   cannot answer, the check is retried until it can.
 * - **Shutdown.** `closeAll()` ends every stream (close 1001, a final SSE
 *   comment) before the HTTP server closes, so a deploy never waits out the
 *   shutdown deadline on a client that would stay connected forever.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthInvalidation } from '../kernel/auth-invalidation.ts';
import { TrellisError } from '../kernel/errors.ts';
import type { Logger } from '../kernel/logger.ts';
import type { Principal } from '../kernel/principal.ts';
import { type Authenticator, concernsPrincipal } from './authenticate.ts';

export interface WatchedStream {
  /** The principal the stream was authorized for (updated after each successful re-check). */
  principal: Principal;
  /** The headers that carried the credential (signature headers are ignored on re-checks). */
  credentialHeaders: IncomingHttpHeaders;
  /** The credential still authenticates: re-check the stream's authorization with `principal`. */
  reauthorize(principal: Principal): Promise<void>;
  /** The credential no longer authenticates (revoked, disabled, expired, logged out). */
  revoked(): void;
  /** The process is shutting down. */
  shutdown(): void;
}

const RETRY_MS = 1_000;

export class LiveStreams {
  readonly #streams = new Set<WatchedStream>();
  readonly #authenticator: Authenticator;
  readonly #logger: Logger;
  readonly #off: () => void;
  readonly #retries = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(authenticator: Authenticator, logger: Logger) {
    this.#authenticator = authenticator;
    this.#logger = logger;
    this.#off = authenticator.onInvalidation((event) => this.#invalidated(event));
  }

  get size(): number {
    return this.#streams.size;
  }

  /** Registers a stream; the returned function unregisters it (call it when the stream ends). */
  add(stream: WatchedStream): () => void {
    if (this.#closed) {
      stream.shutdown();
      return () => undefined;
    }
    this.#streams.add(stream);
    return () => this.#streams.delete(stream);
  }

  /** Ends every stream for shutdown; later registrations end at once. */
  closeAll(): void {
    this.#closed = true;
    this.#off();
    for (const timer of this.#retries) clearTimeout(timer);
    this.#retries.clear();
    const streams = [...this.#streams];
    this.#streams.clear();
    for (const stream of streams) {
      try {
        stream.shutdown();
      } catch (err) {
        this.#logger.warn({ err }, 'live stream shutdown failed');
      }
    }
  }

  #invalidated(event: AuthInvalidation | 'all'): void {
    const concerned = [...this.#streams].filter((s) => concernsPrincipal(event, s.principal));
    // One resolution per credential, however many streams it opened.
    const byCredential = new Map<string, WatchedStream[]>();
    for (const stream of concerned) {
      const key = String(stream.credentialHeaders.authorization ?? stream.credentialHeaders['x-api-key'] ?? '');
      byCredential.set(key, [...(byCredential.get(key) ?? []), stream]);
    }
    for (const streams of byCredential.values()) void this.#recheck(streams);
  }

  async #recheck(streams: WatchedStream[]): Promise<void> {
    const live = streams.filter((s) => this.#streams.has(s));
    const first = live[0];
    if (!first || this.#closed) return;
    let principal: Principal;
    try {
      principal = await this.#authenticator.reauthenticate(first.credentialHeaders);
    } catch (error) {
      if (error instanceof TrellisError && error.code !== 'service_unavailable') {
        for (const stream of live) this.#end(stream, () => stream.revoked());
        return;
      }
      // Identity cannot tell now: keep the streams and ask again shortly.
      this.#logger.warn({ err: error }, 'live stream re-check postponed');
      const timer = setTimeout(() => {
        this.#retries.delete(timer);
        void this.#recheck(live);
      }, RETRY_MS);
      timer.unref();
      this.#retries.add(timer);
      return;
    }
    await Promise.all(
      live.map(async (stream) => {
        stream.principal = principal;
        try {
          await stream.reauthorize(principal);
        } catch (err) {
          this.#logger.warn({ err }, 'live stream re-authorization failed');
        }
      }),
    );
  }

  #end(stream: WatchedStream, how: () => void): void {
    this.#streams.delete(stream);
    try {
      how();
    } catch (err) {
      this.#logger.warn({ err }, 'ending a live stream failed');
    }
  }
}
