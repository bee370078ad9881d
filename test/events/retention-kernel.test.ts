/**
 * Retention of the kernel's tables in a subgraph schema (kernel/retention.ts): delivered outbox rows
 * past TRELLIS_OUTBOX_RETENTION_HOURS and consumed-event records a day past the log's retention are
 * removed, a chunk per statement; pending outbox rows and anything younger are kept.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Orm } from '../../kernel/database.ts';
import { encodeTime, newId } from '../../kernel/ids.ts';
import { createLogger } from '../../kernel/logger.ts';
import { KernelRetention, RETENTION_CHUNK } from '../../kernel/retention.ts';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform } from '../harness.ts';
import { kernelTablesSchema } from './helpers.ts';

const HOUR = 3_600_000;
let platform: TestPlatform;
const orms: Orm[] = [];
const workers: KernelRetention[] = [];

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.stop()));
  await Promise.allSettled(orms.map((o) => o.close()));
  await closeAll();
});

/** A schema of its own with the kernel's tables, so no running subgraph's worker touches it. */
async function kernelSchema(): Promise<{ orm: Orm; retention: KernelRetention }> {
  const { schema, orm } = await kernelTablesSchema(platform.databaseUrl, {
    prefix: 'retention',
    poolMax: 2,
    consumedEvents: true,
  });
  orms.push(orm);
  const retention = new KernelRetention({
    name: schema,
    orm,
    platform: platform.app.platform,
    logger: createLogger('silent'),
  });
  workers.push(retention);
  return { orm, retention };
}

/** An id made `ago` ms before now (ids are time-ordered), with a random tail. */
const idMadeAgo = (ago: number) => `evt_${encodeTime(Date.now() - ago)}${randomBytes(8).toString('hex').toUpperCase()}`;

async function insertOutbox(orm: Orm, rows: { id: string; deliveredHoursAgo: number | null }[]): Promise<void> {
  for (const row of rows)
    await orm.em.fork().execute(
      `insert into outbox (id, org_id, type, data, occurred_at, next_attempt_at, delivered_at)
       values (?, 'org_retention', 'test.kept', '{}', now(), now(),
               case when ?::int is null then null else now() - (?::int * interval '1 hour') end)`,
      [row.id, row.deliveredHoursAgo, row.deliveredHoursAgo],
    );
}

/** `count` outbox rows made 40 hours ago and delivered 30 hours ago: all past the retention. */
async function insertExpired(orm: Orm, count: number): Promise<void> {
  await orm.em.fork().execute(
    `insert into outbox (id, org_id, type, data, occurred_at, next_attempt_at, delivered_at)
     select ? || lpad(g::text, 16, '0'), 'org_retention', 'test.kept', '{}', now(), now(), now() - interval '30 hours'
       from generate_series(1, ?) g`,
    [`evt_${encodeTime(Date.now() - 40 * HOUR)}`, count],
  );
}

const outboxIds = async (orm: Orm) =>
  (await orm.em.fork().execute<{ id: string }[]>('select id from outbox order by id')).map((row) => row.id);

const consumed = async (orm: Orm) =>
  (await orm.em.fork().execute<{ event_id: string }[]>('select event_id from consumed_events order by event_id')).map(
    (row) => row.event_id,
  );

describe('kernel table retention', () => {
  it('removes outbox rows delivered more than the retention ago, and never a pending one however old', async () => {
    const { orm, retention } = await kernelSchema();
    expect(platform.app.platform.config.outbox.retentionHours).toBe(24);
    const expired = [idMadeAgo(50 * HOUR), idMadeAgo(49 * HOUR), idMadeAgo(48 * HOUR)];
    const oldPending = idMadeAgo(72 * HOUR);
    const deliveredLately = idMadeAgo(30 * HOUR);
    const fresh = newId('evt');
    await insertOutbox(orm, [
      ...expired.map((id) => ({ id, deliveredHoursAgo: 26 })),
      { id: oldPending, deliveredHoursAgo: null },
      { id: deliveredLately, deliveredHoursAgo: 2 },
      { id: fresh, deliveredHoursAgo: 0 },
    ]);
    expect(await retention.pruneOnce()).toEqual({ outbox: 3, consumedEvents: 0 });
    expect(await outboxIds(orm)).toEqual([oldPending, deliveredLately, fresh].sort());
    expect((await retention.pruneOnce()).outbox).toBe(0);
  });

  it('removes consumed-event records a day past the log’s retention, and keeps younger ones', async () => {
    const { orm, retention } = await kernelSchema();
    const days = platform.app.platform.config.events.retentionDays;
    await orm.em.fork().execute(
      `insert into consumed_events (consumer, event_id, consumed_at) values
         ('billing.usage', 'evt_old', now() - (? * interval '1 day') - interval '1 hour'),
         ('billing.usage', 'evt_within', now() - (? * interval '1 day')),
         ('billing.usage', 'evt_new', now())`,
      [days + 1, days],
    );
    expect(await retention.pruneOnce()).toEqual({ outbox: 0, consumedEvents: 1 });
    expect(await consumed(orm)).toEqual(['evt_new', 'evt_within']);
  });

  it('removes a chunk per statement, so a pass repeats until a chunk comes back short', async () => {
    const { orm, retention } = await kernelSchema();
    await insertExpired(orm, RETENTION_CHUNK + 5);
    expect((await retention.pruneOnce()).outbox).toBe(RETENTION_CHUNK);
    expect((await retention.pruneOnce()).outbox).toBe(5);
    expect(await outboxIds(orm)).toEqual([]);
  });

  it('a started worker prunes on its own, through more than one chunk', async () => {
    const { orm, retention } = await kernelSchema();
    await insertExpired(orm, RETENTION_CHUNK + 1);
    retention.start();
    await eventually(async () => (await outboxIds(orm)).length === 0);
  });

  it('every subgraph of the platform runs one', () => {
    const names = platform.app.subgraphs.flatMap((subgraph) => subgraph.workerNames);
    for (const subgraph of ['identity', 'governance', 'compute', 'billing', 'events'])
      expect(names).toContain(`retention:${subgraph}`);
  });
});
