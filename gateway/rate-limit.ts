/**
 * The gateway's per-API-key limit: TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE
 * requests per key per minute, counted in Redis across every gateway replica
 * when REDIS_URL is set (in memory otherwise) — taken from Redis in local leases of ~2 % of the
 * limit, so a request costs no Redis round trip until its gateway's lease is spent. Sessions are not limited here;
 * register, login and forgot-password have their own per IP + email limit in
 * identity. Over the limit, authentication throws `rate_limited` (429) with
 * `Retry-After` and `RateLimit-Limit/Remaining/Reset`.
 */
import type { Platform } from '../kernel/platform.ts';
import { createRateLimiter, type RateLimiter } from '../kernel/rate-limit.ts';

export function createApiKeyRateLimiter(platform: Pick<Platform, 'redis' | 'config'>): RateLimiter {
  return createRateLimiter(platform, {
    name: 'api-key',
    // Read per request: TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE is reloadable.
    points: () => platform.config.rateLimits.apiKeyPerMinute,
    durationSeconds: 60,
    message: 'This API key has exceeded its request rate; retry later',
    // One Redis round trip per ~2 % of the limit (at most 1,000) rather than per request.
    localBudget: Math.min(1_000, Math.floor(platform.config.rateLimits.apiKeyPerMinute / 50)),
  });
}
