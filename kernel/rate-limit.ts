/**
 * Fixed-window rate limits on rate-limiter-flexible: `RateLimiterRedis` on the
 * shared Redis connection when REDIS_URL is set (so every replica counts
 * together), `RateLimiterMemory` otherwise. A Redis outage falls back to an
 * in-process limiter rather than failing requests or letting them all through,
 * and at once: the limiter does not call a Redis that is not connected
 * (`rejectIfRedisNotReady`), the shared connection neither queues commands nor
 * waits past TRELLIS_REDIS_COMMAND_TIMEOUT_MS (kernel/platform.ts), and after a
 * failure Redis is left alone for a while (2 s, doubling up to 30 s while it
 * keeps failing). rate-limiter-flexible's own `insuranceLimiter` would ask —
 * and wait for — a stalled Redis on every call.
 *
 * A rejected call throws `TrellisError('rate_limited')` with `retryAfter`
 * (seconds) and `extensions.rateLimit { limit, remaining, resetSeconds }`, from
 * which HTTP layers set `Retry-After` and `RateLimit-*` headers.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { type RateLimitInfo, TrellisError } from './errors.ts';
import type { Platform } from './platform.ts';

export interface RateLimitOptions {
  /** Names the counter family: the Redis key prefix is `<redisPrefix>:rl:<name>`. */
  name: string;
  /** Requests allowed per window; a function is read on every request (a configuration reload applies at once). */
  points: number | (() => number);
  /** Window length in seconds. */
  durationSeconds: number;
  /** The message of the 429. */
  message?: string;
}

export interface RateLimiter {
  readonly name: string;
  readonly points: number;
  /** Counts one request for `key`; throws rate_limited when the window is used up. */
  consume(key: string, details?: Record<string, unknown>): Promise<RateLimitInfo>;
  /** Forgets `key` (e.g. after a successful login). */
  reset(key: string): Promise<void>;
}

type Backend = Pick<RateLimiterMemory, 'consume' | 'delete'>;

/** How long a Redis that failed (down, or stalled past the command timeout) is left alone, at first and at most. */
const REDIS_RETRY_MS = 2_000;
const REDIS_MAX_RETRY_MS = 30_000;

/** Counts in Redis while it answers, in memory (this process only) while it does not. */
function redisWithFallback(redis: RateLimiterRedis, memory: RateLimiterMemory): Backend {
  let skipRedisUntil = 0;
  let backoff = REDIS_RETRY_MS;
  async function either<T>(inRedis: () => Promise<T>, inMemory: () => Promise<T>): Promise<T> {
    if (Date.now() >= skipRedisUntil) {
      try {
        const answer = await inRedis();
        backoff = REDIS_RETRY_MS;
        return answer;
      } catch (error) {
        if (error instanceof RateLimiterRes) throw error; // over the limit: an answer, not a failure
        skipRedisUntil = Date.now() + backoff;
        backoff = Math.min(backoff * 2, REDIS_MAX_RETRY_MS);
      }
    }
    return inMemory();
  }
  return {
    consume: (key) =>
      either(
        () => redis.consume(key),
        () => memory.consume(key),
      ),
    delete: async (key) => {
      await memory.delete(key);
      return either(
        () => redis.delete(key),
        async () => false,
      );
    },
  };
}

export function createRateLimiter(
  platform: Pick<Platform, 'redis' | 'config'>,
  options: RateLimitOptions,
): RateLimiter {
  const pointsNow = typeof options.points === 'function' ? options.points : () => options.points as number;
  let points = pointsNow();
  const base = { points, duration: options.durationSeconds };
  const keyPrefix = `${platform.config.redisPrefix}:rl:${options.name}`;
  const memory = new RateLimiterMemory({ ...base, keyPrefix });
  const redis = platform.redis
    ? new RateLimiterRedis({ ...base, storeClient: platform.redis, keyPrefix, rejectIfRedisNotReady: true })
    : undefined;
  const backend: Backend = redis ? redisWithFallback(redis, memory) : memory;
  /** Follows a changed limit: counts so far stay, the allowance per window is the new one. */
  const refreshPoints = () => {
    const now = pointsNow();
    if (now === points) return;
    points = now;
    memory.points = now;
    if (redis) redis.points = now;
  };
  const info = (res: RateLimiterRes): RateLimitInfo => ({
    limit: points,
    remaining: Math.max(0, res.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  });
  return {
    name: options.name,
    get points() {
      return points;
    },
    async consume(key, details) {
      refreshPoints();
      try {
        return info(await backend.consume(key));
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const limit = info(rejection);
        throw new TrellisError('rate_limited', options.message ?? 'Too many requests; retry later', {
          retryAfter: limit.resetSeconds,
          rateLimit: limit,
          details: { limiter: options.name, ...details },
        });
      }
    },
    async reset(key) {
      await backend.delete(key);
    },
  };
}
