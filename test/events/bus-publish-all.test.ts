/**
 * A batch of bus messages (the event log's publish after an ingest batch) arrives whole and in
 * order on every bus kind the test environment has: PostgreSQL sends it as one pg_notify statement.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryBus, type MessageBus, PostgresBus } from '../../kernel/bus.ts';
import { createLogger } from '../../kernel/logger.ts';

const buses: MessageBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

async function received(bus: MessageBus, channels: string[], count: number, send: () => Promise<void>) {
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
