/**
 * The per-API-key limit counted in Redis through local leases: replicas together grant exactly
 * the limit per window, and a gateway asks Redis once per lease rather than once per request.
 * A private Redis (test/redis-server.ts); no platform.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../kernel/config.ts';
import { TrellisError } from '../../kernel/errors.ts';
import { createRateLimiter } from '../../kernel/rate-limit.ts';
import { startTestRedis, type TestRedis } from '../redis-server.ts';

let server: TestRedis;
const clients: Redis[] = [];

beforeAll(async () => {
  server = await startTestRedis();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

/** One gateway replica: its own Redis connection, the same counter family. */
async function replica(name: string, points: number, localBudget: number) {
  const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  clients.push(redis);
  // The limiter never waits for a Redis that is not ready (it counts in memory meanwhile).
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  const config = loadConfig({}, { allInOne: true });
  return createRateLimiter({ config, redis } as never, { name, points, durationSeconds: 60, localBudget });
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'granted' as const,
    (error: unknown) => {
      if (error instanceof TrellisError && error.code === 'rate_limited') return 'refused' as const;
      throw error;
    },
  );

describe('API-key rate limit with local leases', () => {
  it('takes points from Redis a lease at a time: three requests cost one round trip of four points', async () => {
    const name = `lease-${Date.now()}`;
    const limiter = await replica(name, 100, 4);
    const answers = await Promise.all([limiter.consume('k'), limiter.consume('k'), limiter.consume('k')]);
    expect(answers.map((a) => a.remaining)).toEqual([99, 98, 97]);
    const probe = new Redis(server.url);
    clients.push(probe);
    const config = loadConfig({}, { allInOne: true });
    expect(await probe.get(`${config.redisPrefix}:rl:${name}:k`)).toBe('4');
  });

  it('grants exactly the limit across replicas racing for the same key, then refuses', async () => {
    const name = `race-${Date.now()}`;
    const replicas = await Promise.all([replica(name, 10, 4), replica(name, 10, 4), replica(name, 10, 4)]);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => outcome((replicas[i % 3] as (typeof replicas)[0]).consume('k'))),
    );
    expect(results.filter((r) => r === 'granted')).toHaveLength(10);
    expect(await outcome((replicas[0] as (typeof replicas)[0]).consume('k'))).toBe('refused');
  });
});
