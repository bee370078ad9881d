/**
 * The contract between identity (which changes credentials and memberships)
 * and every gateway replica (which caches resolved credentials): identity
 * publishes on this channel after commit; gateways drop matching entries.
 */
import type { MessageBus } from './bus.ts';

export const AUTH_INVALIDATION_CHANNEL = 'auth:invalidate';

export interface AuthInvalidation {
  keyIds?: string[];
  userIds?: string[];
  sessionIds?: string[];
}

/**
 * Also returned to the gateway that carried the request, in this response
 * header, so the caller's very next request never sees a stale principal.
 */
export const AUTH_INVALIDATION_HEADER = 'x-trellis-auth-invalidate';

export type PublishAuthInvalidation = (event: AuthInvalidation) => Promise<void>;

export const authInvalidationPublisher =
  (bus: MessageBus, responseHeaders: Map<string, string>): PublishAuthInvalidation =>
  async (event) => {
    const previous = responseHeaders.get(AUTH_INVALIDATION_HEADER);
    const merged: AuthInvalidation = previous ? JSON.parse(previous) : {};
    for (const key of ['keyIds', 'userIds', 'sessionIds'] as const)
      if (event[key]) merged[key] = [...(merged[key] ?? []), ...event[key]];
    responseHeaders.set(AUTH_INVALIDATION_HEADER, JSON.stringify(merged));
    await bus.publish(AUTH_INVALIDATION_CHANNEL, JSON.stringify(event));
  };
