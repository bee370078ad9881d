/**
 * A batch of bus messages (the event log's publish after an ingest batch) arrives whole and in
 * order on every bus kind the test environment has: PostgreSQL sends it as one pg_notify statement,
 * Redis as one pipeline (one socket write).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryBus, type MessageBus, PostgresBus, RedisBus } from '../../kernel/bus.ts';
import { createLogger } from '../../kernel/logger.ts';
import { eventually } from '../eventually.ts';

const buses: MessageBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

async function received(bus: MessageBus, channels: string[], count: number, send: () => Promise<void>) {
  // Redis publishes on a connection of its own that fails at once until it is up (no offline queue);
  // under a loaded machine it can come up after the subscriber, so wait until a publish goes through.
  await eventually(() => bus.publish('bus-test-warm-up', 'ping').then(() => true), 10_000, 'the bus to publish');
  const seen: string[] = [];
  let done = () => {};
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  for (const channel of channels)
    await bus.subscribe(channel, (message) => {
      seen.push(`${channel}:${message}`);
      if (seen.length === count) done();
    });
  await send();
  await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  return seen;
}

const kinds: [string, () => MessageBus][] = [['memory', () => new InMemoryBus()]];
if (process.env.DATABASE_URL)
  kinds.push(['postgres', () => new PostgresBus(process.env.DATABASE_URL as string, createLogger('silent'))]);
if (process.env.REDIS_URL)
  kinds.push([
    'redis',
    () => new RedisBus(process.env.REDIS_URL as string, `test-bus-${process.pid}`, createLogger('silent')),
  ]);

describe.each(kinds)('publishAll on the %s bus', (_kind, create) => {
  it('delivers every message of the batch in order, across channels', async () => {
    const bus = create();
    buses.push(bus);
    const batch = Array.from({ length: 7 }, (_, i) => ({ channel: i % 3 === 0 ? 'org:a' : 'org:b', message: `m${i}` }));
    const seen = await received(bus, ['org:a', 'org:b'], batch.length, () => bus.publishAll(batch));
    expect(seen).toEqual(batch.map(({ channel, message }) => `${channel}:${message}`));
  });

  it('publishes a single message and an empty batch', async () => {
    const bus = create();
    buses.push(bus);
    await bus.publishAll([]);
    expect(await received(bus, ['org:c'], 1, () => bus.publishAll([{ channel: 'org:c', message: 'one' }]))).toEqual([
      'org:c:one',
    ]);
  });
});

describe.runIf(process.env.REDIS_URL)('publishAll on the redis bus', () => {
  it('sends a batch to Redis in one socket write', async () => {
    const url = new URL(process.env.REDIS_URL as string);
    const port = Number(url.port || 6379);
    const bus = new RedisBus(process.env.REDIS_URL as string, `test-bus-${process.pid}`, createLogger('silent'));
    buses.push(bus);
    const batch = Array.from({ length: 5 }, (_, i) => ({ channel: 'org:w', message: `w${i}` }));
    // Subscribed (and so connected) before counting: only the batch's writes are counted.
    await received(bus, ['org:w'], 1, () => bus.publish('org:w', 'ready'));
    const write = net.Socket.prototype.write;
    let writes = 0;
    net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
      if (this.remotePort === port) writes++;
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof write;
    try {
      await bus.publishAll(batch);
    } finally {
      net.Socket.prototype.write = write;
    }
    expect(writes).toBe(1);
  });
});
