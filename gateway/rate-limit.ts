/**
 * The gateway's per-API-key limit: TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE
 * requests per key per minute, counted in Redis across every gateway replica
 * when REDIS_URL is set (in memory otherwise). Sessions are not limited here;
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
  });
}
