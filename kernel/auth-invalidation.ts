/**
 * The contract between identity (which changes credentials and memberships)
 * and every gateway replica (which caches resolved credentials and keeps live
 * streams open on them): after commit, identity appends the invalidation to
 * its revocation log (durable, numbered `seq`) and then publishes it on this
 * channel; gateways drop matching entries and re-check matching streams.
 * The bus is the fast path only: a gateway that missed a message (bus down,
 * message lost) reads the log after the bus comes back and periodically.
 */
import type { MessageBus } from './bus.ts';
import type { Logger } from './logger.ts';

export const AUTH_INVALIDATION_CHANNEL = 'auth:invalidate';

export interface AuthInvalidation {
  keyIds?: string[];
  userIds?: string[];
  sessionIds?: string[];
  /** Position in identity's revocation log (absent only on the response header). */
  seq?: number;
}

/** What a gateway reads from the revocation log (identity's internal `_authInvalidations`). */
export interface AuthInvalidationLog {
  /** The newest `seq` written. */
  head: number;
  /** The invalidations after the reader's position, oldest first. */
  events: (AuthInvalidation & { seq: number })[];
  /** The reader is too far behind (pruned or more than a page): drop every cached credential. */
  reset: boolean;
}

/**
 * Also returned to the gateway that carried the request, in this response
 * header, so the caller's very next request never sees a stale principal.
 */
export const AUTH_INVALIDATION_HEADER = 'x-trellis-auth-invalidate';

export type PublishAuthInvalidation = (event: AuthInvalidation) => Promise<void>;

/**
 * Records `event` in the revocation log, tells the carrying gateway, and broadcasts it. A broadcast
 * that fails is logged, not raised: the other gateways catch up from the log. A log write that fails
 * (the database went away right after the change committed) still broadcasts, then fails the
 * request, which is safe to retry: every change re-publishes its invalidation.
 */
export const authInvalidationPublisher =
  (
    bus: MessageBus,
    responseHeaders: Map<string, string>,
    record: (event: AuthInvalidation) => Promise<number>,
    logger: Logger,
  ): PublishAuthInvalidation =>
  async (event) => {
    let seq: number | undefined;
    try {
      seq = await record(event);
    } finally {
      const previous = responseHeaders.get(AUTH_INVALIDATION_HEADER);
      const merged: AuthInvalidation = previous ? JSON.parse(previous) : {};
      for (const key of ['keyIds', 'userIds', 'sessionIds'] as const)
        if (event[key]) merged[key] = [...(merged[key] ?? []), ...event[key]];
      responseHeaders.set(AUTH_INVALIDATION_HEADER, JSON.stringify(merged));
      await bus
        .publish(AUTH_INVALIDATION_CHANNEL, JSON.stringify({ ...event, seq }))
        .catch((err) =>
          logger.warn({ err, seq }, 'auth invalidation broadcast failed; gateways catch up from the log'),
        );
    }
  };
