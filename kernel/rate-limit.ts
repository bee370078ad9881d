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
  /**
   * With Redis: points taken from the shared counter per round trip and spent locally (1: every
   * request asks Redis). Replicas together still never grant more than `points` per window — each
   * spends only what Redis counted for it — but a replica may hold up to `localBudget - 1` unspent
   * points when the window ends, so a key can be refused that many points early per replica.
   */
  localBudget?: number;
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
    consume: (key, points = 1) =>
      either(
        () => redis.consume(key, points),
        () => memory.consume(key, points),
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
  const refuse = (limit: RateLimitInfo, details?: Record<string, unknown>) =>
    new TrellisError('rate_limited', options.message ?? 'Too many requests; retry later', {
      retryAfter: limit.resetSeconds,
      rateLimit: limit,
      details: { limiter: options.name, ...details },
    });
  const leaseSize = platform.redis ? Math.max(1, Math.floor(options.localBudget ?? 1)) : 1;
  const leases = leaseSize > 1 ? new LocalLeases(backend, () => points, leaseSize) : undefined;
  return {
    name: options.name,
    get points() {
      return points;
    },
    async consume(key, details) {
      refreshPoints();
      if (leases) {
        const limit = await leases.consume(key);
        if (limit.granted) return limit.info;
        throw refuse(limit.info, details);
      }
      try {
        return info(await backend.consume(key));
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        throw refuse(info(rejection), details);
      }
    },
    async reset(key) {
      leases?.forget(key);
      await backend.delete(key);
    },
  };
}

interface Lease {
  /** Points of this lease not spent yet. */
  left: number;
  /** What the shared counter had left for everyone else when the lease was taken. */
  othersLeft: number;
  endsAt: number;
}

/**
 * Points taken from the shared counter `size` at a time and spent in this process: one Redis
 * round trip per `size` requests of a key instead of one per request. Exact at the limit: a lease
 * that crossed it keeps only the points that were still within it (the counter's increment is
 * atomic, so each replica learns its own share), and concurrent requests of one key wait for the
 * lease in flight instead of each taking one.
 */
class LocalLeases {
  readonly #leases = new Map<string, Lease>();
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #backend: Backend;
  /** The allowance per window, read per call: a configuration reload may change it. */
  readonly #pointsNow: () => number;
  readonly #size: number;

  constructor(backend: Backend, points: () => number, size: number) {
    this.#backend = backend;
    this.#pointsNow = points;
    this.#size = size;
  }

  forget(key: string): void {
    this.#leases.delete(key);
  }

  async consume(key: string): Promise<{ granted: boolean; info: RateLimitInfo }> {
    // A lease just taken is spent from even if its window ends this very millisecond (no retake loop).
    let fresh: Lease | undefined;
    for (;;) {
      const now = Date.now();
      const lease = this.#leases.get(key);
      if (lease && (lease.endsAt > now || lease === fresh)) {
        const resetSeconds = Math.max(1, Math.ceil((lease.endsAt - now) / 1000));
        if (lease.left > 0) {
          lease.left--;
          return {
            granted: true,
            info: { limit: this.#pointsNow(), remaining: lease.othersLeft + lease.left, resetSeconds },
          };
        }
        // This process spent its share; the window's count is used up unless others left some.
        if (lease.othersLeft <= 0)
          return { granted: false, info: { limit: this.#pointsNow(), remaining: 0, resetSeconds } };
      }
      const pending = this.#inFlight.get(key);
      if (pending) {
        await pending;
        continue;
      }
      const taking = this.#take(key).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, taking);
      await taking;
      fresh = this.#leases.get(key);
    }
  }

  async #take(key: string): Promise<void> {
    if (this.#leases.size > 10_000) {
      const now = Date.now();
      for (const [k, lease] of this.#leases) if (lease.endsAt <= now) this.#leases.delete(k);
    }
    const size = Math.min(this.#size, this.#pointsNow());
    try {
      const res = await this.#backend.consume(key, size);
      this.#leases.set(key, { left: size, othersLeft: res.remainingPoints, endsAt: Date.now() + res.msBeforeNext });
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // The counter went past the limit by (consumed - points): the rest of this lease is ours.
      const within = Math.max(0, size - Math.max(0, rejection.consumedPoints - this.#pointsNow()));
      this.#leases.set(key, { left: within, othersLeft: 0, endsAt: Date.now() + Math.max(1, rejection.msBeforeNext) });
    }
  }
}
