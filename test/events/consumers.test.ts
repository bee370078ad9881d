/**
 * Durable event consumers end to end: an event recorded in governance's outbox reaches a consumer
 * in billing through relay → log → consumer delivery → `_consumeEvents`, with its effects exactly
 * once — under redelivery, while billing is unreachable, when the handler throws, and when the
 * delivering process is killed (SIGKILL) between the consumer's commit and the acknowledgement.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrm, type Orm } from '../../kernel/database.ts';
import {
  type ConsumedEvent,
  type ConsumerSubscription,
  consumeBatch,
  consumerRegistry,
  type EventConsumer,
  postConsumeBatch,
} from '../../kernel/event-consumers.ts';
import { createLogger } from '../../kernel/logger.ts';
import { OutboxEvent, recordEvent } from '../../kernel/outbox.ts';
import { announceServiceUrl, serviceUrl } from '../../kernel/outbox-relay.ts';
import { PRINCIPAL_HEADER, signPrincipal } from '../../kernel/principal.ts';
import { ConsumerDelivery, MARK_DONE } from '../../subgraphs/events/consumer-delivery.ts';
import { WebhookDispatcher } from '../../subgraphs/events/dispatcher.ts';
import { subgraphs } from '../../subgraphs/index.ts';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

const MAX_ATTEMPTS = 3;
/** Per event id: how many more times the probe throws before it succeeds. */
const failuresLeft = new Map<string, number>();
const handledOrder: string[] = [];

const probe: EventConsumer = {
  name: 'billing.test_probe',
  types: ['probe.*'],
  async handle(tx, event) {
    const left = failuresLeft.get(event.id) ?? Number(event.data.failTimes ?? 0);
    if (left > 0) {
      failuresLeft.set(event.id, left - 1);
      throw new Error(`probe refuses ${event.id} (${left} left)`);
    }
    // No unique constraint on purpose: handling an event twice would show as two rows.
    await tx.execute('insert into probe_effects (event_id, org_id, seq, type) values (?, ?, ?, ?)', [
      event.id,
      event.orgId,
      event.seq,
      event.type,
    ]);
    handledOrder.push(event.id);
  },
};

let platform: TestPlatform;
let governanceOutbox: Orm;
let db: pg.Client;
let registry: ConsumerSubscription[];

beforeAll(async () => {
  const definitions = { ...subgraphs, billing: { ...subgraphs.billing, consumers: [probe] } };
  registry = consumerRegistry(Object.values(definitions));
  platform = await startTestPlatform(
    {
      TRELLIS_OUTBOX_POLL_MS: '100',
      TRELLIS_OUTBOX_MAX_BACKOFF_MS: '200',
      TRELLIS_EVENT_CONSUMER_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    },
    { subgraphs: definitions },
  );
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  await db.query(
    'create table billing.probe_effects (event_id text not null, org_id text not null, seq bigint, type text)',
  );
  // Governance's own outbox, written as governance's services do: its relay delivers it.
  governanceOutbox = await createOrm({
    schema: 'governance',
    url: platform.databaseUrl,
    entities: [OutboxEvent],
    migrations: [],
    poolMax: 2,
  });
});

afterAll(async () => {
  await governanceOutbox?.close();
  await db?.end();
  await closeAll();
});

async function record(user: TestUser, count: number, data: Record<string, unknown> = {}, type = 'probe.recorded') {
  const em = governanceOutbox.em.fork();
  const ids: string[] = [];
  for (let n = 0; n < count; n++)
    ids.push(
      recordEvent(em, { orgId: user.orgId, type, subject: { type: 'probe', id: `p${n}` }, data: { n, ...data } }),
    );
  await em.flush();
  return ids;
}

async function effects(ids: string[]): Promise<string[]> {
  const { rows } = await db.query<{ event_id: string }>(
    'select event_id from billing.probe_effects where event_id = any($1) order by seq',
    [ids],
  );
  return rows.map((r) => r.event_id);
}

async function deliveries(ids: string[]) {
  const { rows } = await db.query<{ event_id: string; status: string; attempts: number; last_error: string | null }>(
    `select event_id, status, attempts, last_error from events.consumer_deliveries
      where consumer = 'billing.test_probe' and event_id = any($1) order by event_seq`,
    [ids],
  );
  return rows;
}

async function consumedEvents(ids: string[]): Promise<ConsumedEvent[]> {
  const { rows } = await db.query(
    `select id, org_id, seq, type, subject_type, subject_id, data, occurred_at from events.event_log
      where id = any($1) order by seq`,
    [ids],
  );
  return rows.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    seq: Number(r.seq),
    type: r.type,
    subject: { type: r.subject_type, id: r.subject_id },
    actor: null,
    data: r.data,
    occurredAt: new Date(r.occurred_at).toISOString(),
  }));
}

const billingUrl = () => serviceUrl(platform.app.platform, 'billing') as string;
const target = (): ConsumerSubscription => registry.find((r) => r.consumer === probe.name) as ConsumerSubscription;

describe('durable event consumers', () => {
  it('delivers an event recorded in governance to a consumer in billing exactly once, in log order', async () => {
    const user = await platform.signup('Consumer Org');
    const ids = await record(user, 20);
    await eventually(async () => (await effects(ids)).length === 20);
    expect(await effects(ids)).toEqual(ids);
    await eventually(async () => (await deliveries(ids)).every((d) => d.status === 'done'));
    // Events nobody consumes create no deliveries.
    const other = await record(user, 1, {}, 'unrelated.recorded');
    await eventually(async () => (await consumedEvents(other)).length === 1);
    expect(await deliveries(other)).toEqual([]);
  });

  it('a redelivered batch has no effect twice (the consumer acknowledges it as processed)', async () => {
    const user = await platform.signup('Redelivery Org');
    const ids = await record(user, 5);
    await eventually(async () => (await effects(ids)).length === 5);
    const again = await postConsumeBatch(
      billingUrl(),
      platform.app.platform.internalSecret,
      target(),
      await consumedEvents(ids),
      5000,
    );
    expect(again).toEqual({ processed: ids, failed: [] });
    // And through the worker: the events service forgets it delivered them.
    await db.query(
      `update events.consumer_deliveries set status = 'pending', completed_at = null
        where consumer = 'billing.test_probe' and event_id = any($1)`,
      [ids],
    );
    await eventually(async () => (await deliveries(ids)).every((d) => d.status === 'done'));
    expect(await effects(ids)).toEqual(ids);
  });

  it("marks a batch done by primary key, not by reading the consumer's every delivery", async () => {
    await db.query('begin');
    try {
      // A young copy (never analyzed) holding one consumer's 20,000 deliveries.
      await db.query(
        'create temp table consumer_deliveries (like events.consumer_deliveries including all) on commit drop',
      );
      await db.query(
        `insert into pg_temp.consumer_deliveries (id, consumer, subgraph, org_id, event_id, event_seq, event_type)
         select g, 'billing.metering', 'billing', 'org_young', 'evt_' || g, g, 'usage.recorded'
         from generate_series(1, 20000) g`,
      );
      const ids = Array.from({ length: 100 }, (_, i) => 5_000 + i);
      const statement = MARK_DONE.replace('(?)', `(${ids.join(', ')})`);
      const plan = JSON.stringify((await db.query(`explain (analyze, format json) ${statement}`)).rows[0]);
      expect(plan).toContain('"Index Name":"consumer_deliveries_pkey"');
      expect(plan).toMatch(/"Actual Rows":100,/);
      expect(plan).not.toMatch(/Rows Removed by (Index )?(Recheck|Filter)":[1-9]/);
      const done = await db.query("select count(*)::int as n from pg_temp.consumer_deliveries where status = 'done'");
      expect(done.rows[0].n).toBe(100);
    } finally {
      await db.query('rollback');
    }
  });

  it('refuses _consumeEvents to anyone but a service, and keeps it out of the API', async () => {
    const user = await platform.signup('Outsider Org');
    const viaGateway = await platform.graphql(
      'mutation { _consumeEvents(consumer: "billing.test_probe", events: []) }',
      {},
      { token: user.token },
    );
    expect(viaGateway.body.errors?.[0]?.message).toMatch(/_consumeEvents/);
    const direct = await fetch(billingUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [PRINCIPAL_HEADER]: signPrincipal(platform.app.platform.internalSecret, {
          kind: 'user',
          id: user.userId,
          memberships: [{ orgId: user.orgId, role: 'owner' }],
          scopes: ['*'],
        } as never),
      },
      body: JSON.stringify({ query: 'mutation { _consumeEvents(consumer: "billing.test_probe", events: []) }' }),
    }).then((r) => r.json() as Promise<Json>);
    expect(direct.errors?.[0]?.extensions?.code).toBe('forbidden');
  });

  it('catches up once the consuming subgraph is reachable again, counting no attempts meanwhile', async () => {
    const user = await platform.signup('Outage Org');
    const real = billingUrl();
    announceServiceUrl(platform.app.platform, 'billing', 'http://127.0.0.1:9/graphql');
    try {
      const ids = await record(user, 4);
      await eventually(async () => {
        const rows = await deliveries(ids);
        return rows.length === 4 && rows.every((d) => d.last_error?.startsWith('unavailable:'));
      });
      expect(await effects(ids)).toEqual([]);
      announceServiceUrl(platform.app.platform, 'billing', real);
      await eventually(async () => (await effects(ids)).length === 4);
      expect(await effects(ids)).toEqual(ids);
      // The consumer committed before the events service recorded its answer: wait for that too.
      await eventually(async () => (await deliveries(ids)).every((d) => d.status === 'done'));
      const rows = await deliveries(ids);
      expect(rows.map((d) => [d.status, d.attempts])).toEqual(ids.map(() => ['done', 1]));
    } finally {
      announceServiceUrl(platform.app.platform, 'billing', real);
    }
  });

  it('retries a failing handler with backoff, holding back its organization only, then succeeds', async () => {
    const [a, b] = [await platform.signup('Flaky Org'), await platform.signup('Steady Org')];
    const flaky = await record(a, 1, { failTimes: 2 });
    const later = await record(a, 2);
    const steady = await record(b, 2);
    await eventually(async () => (await effects(steady)).length === 2);
    await eventually(async () => (await effects([...flaky, ...later])).length === 3);
    // The organization's order held: the failing event first, then the ones behind it.
    expect(await effects([...flaky, ...later])).toEqual([...flaky, ...later]);
    expect(handledOrder.indexOf(flaky[0] as string)).toBeLessThan(handledOrder.indexOf(later[0] as string));
    // The consumer committed before the events service recorded its answer: wait for that too.
    await eventually(async () => (await deliveries(flaky))[0]?.status === 'done');
    const [first] = await deliveries(flaky);
    expect(first).toMatchObject({ status: 'done', attempts: 3 });
  });

  it('parks an event after the maximum attempts (visible, not lost) and lets the rest through', async () => {
    const user = await platform.signup('Parked Org');
    const doomed = await record(user, 1, { failTimes: 100 });
    const next = await record(user, 1);
    await eventually(async () => (await deliveries(doomed))[0]?.status === 'parked');
    const [parked] = await deliveries(doomed);
    expect(parked?.attempts).toBe(MAX_ATTEMPTS);
    expect(parked?.last_error).toContain('probe refuses');
    await eventually(async () => (await effects(next)).length === 1);
    expect(await effects(doomed)).toEqual([]);
    const eventsMetrics = (serviceUrl(platform.app.platform, 'events') as string).replace(/\/graphql$/, '/metrics');
    const metrics = await fetch(eventsMetrics).then((r) => r.text());
    expect(metrics).toMatch(/trellis_event_consumer_parked_total\{[^}]*consumer="billing.test_probe"[^}]*\} 1/);
  });

  it('loses nothing and doubles nothing when the deliverer is killed (SIGKILL) after the consumer committed', async () => {
    const user = await platform.signup('Kill Consumer Org');
    const real = billingUrl();
    // This process's worker cannot reach billing: the child process delivers first.
    announceServiceUrl(platform.app.platform, 'billing', 'http://127.0.0.1:9/graphql');
    let ids: string[] = [];
    try {
      ids = await record(user, 6);
      await eventually(async () => (await deliveries(ids)).length === 6);
      const child = spawn(
        process.execPath,
        [fileURLToPath(new URL('./fixtures/consumer-killed.ts', import.meta.url))],
        {
          env: {
            ...process.env,
            DATABASE_URL: platform.databaseUrl,
            BILLING_URL: real,
            TRELLIS_INTERNAL_SECRET: platform.app.platform.internalSecret,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      const signal = await new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
      expect(signal, output).toBe('SIGKILL');
      expect(output).toContain('processed 6');
      // The consumer committed; the events service never heard back.
      expect(await effects(ids)).toEqual(ids);
      expect((await deliveries(ids)).every((d) => d.status === 'pending')).toBe(true);
    } finally {
      announceServiceUrl(platform.app.platform, 'billing', real);
    }
    await eventually(async () => (await deliveries(ids)).every((d) => d.status === 'done'), 20_000);
    expect(await effects(ids)).toEqual(ids);
  }, 90_000); // a child process start-up under load
});

describe('a consumer whose batches share one transaction', () => {
  let billingOrm: Orm;
  /** Events whose handling throws, while they are in here. */
  const refuse = new Set<string>();
  const shared: EventConsumer = {
    name: 'billing.shared_probe',
    types: ['shared.*'],
    sharedTransaction: true,
    async handle(tx, event) {
      if (refuse.has(event.id)) throw new Error(`shared probe refuses ${event.id}`);
      await tx.execute('insert into shared_effects (event_id, txid) values (?, txid_current())', [event.id]);
    },
  };
  const context = () => ({ platform: platform.app.platform, logger: createLogger('silent') });
  const event = (id: string, orgId: string, seq: number): ConsumedEvent => ({
    id,
    orgId,
    type: 'shared.recorded',
    subject: null,
    actor: null,
    data: {},
    occurredAt: new Date().toISOString(),
    seq,
  });
  const sharedEffects = async (ids: string[]) =>
    (
      await db.query<{ event_id: string; txid: string }>(
        'select event_id, txid from billing.shared_effects where event_id = any($1) order by event_id',
        [ids],
      )
    ).rows;

  beforeAll(async () => {
    await db.query('create table billing.shared_effects (event_id text not null, txid bigint not null)');
    billingOrm = await createOrm({
      schema: 'billing',
      url: platform.databaseUrl,
      entities: [OutboxEvent],
      migrations: [],
      poolMax: 2,
    });
  });
  afterAll(() => billingOrm?.close());

  it('handles a batch in one transaction, each event once, and acknowledges a redelivery without effects', async () => {
    const batch = ['sh_a1', 'sh_b1', 'sh_a2', 'sh_b2'].map((id, i) => event(id, `org_${id[3]}`, i + 1));
    const ids = batch.map((e) => e.id);
    expect(await consumeBatch(billingOrm, shared, batch, context())).toEqual({ processed: ids, failed: [] });
    const rows = await sharedEffects(ids);
    expect(rows.map((r) => r.event_id)).toEqual([...ids].sort());
    expect(new Set(rows.map((r) => r.txid)).size).toBe(1);
    const outcomes: string[] = [];
    const again = await consumeBatch(billingOrm, shared, batch, context(), (o) => outcomes.push(o));
    expect(again).toEqual({ processed: ids, failed: [] });
    expect(outcomes).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(await sharedEffects(ids)).toHaveLength(4);
  });

  it('when one event throws, commits nothing of the shared attempt and runs the batch event by event', async () => {
    const batch = ['sf_a1', 'sf_b1', 'sf_a2', 'sf_b2', 'sf_a3'].map((id, i) => event(id, `org_${id[3]}`, i + 1));
    refuse.add('sf_a2');
    const result = await consumeBatch(billingOrm, shared, batch, context());
    // org_a is held from its failing event on; org_b's events go through; nothing is handled twice.
    expect(result.processed).toEqual(['sf_a1', 'sf_b1', 'sf_b2']);
    expect(result.failed.map((f) => f.id)).toEqual(['sf_a2']);
    const rows = await sharedEffects(batch.map((e) => e.id));
    expect(rows.map((r) => r.event_id)).toEqual(['sf_a1', 'sf_b1', 'sf_b2']);
    // The redelivery (the failing event succeeds now) completes the organization, still once each.
    refuse.delete('sf_a2');
    expect(await consumeBatch(billingOrm, shared, batch, context())).toEqual({
      processed: batch.map((e) => e.id),
      failed: [],
    });
    expect((await sharedEffects(batch.map((e) => e.id))).map((r) => r.event_id)).toEqual([
      'sf_a1',
      'sf_a2',
      'sf_a3',
      'sf_b1',
      'sf_b2',
    ]);
  });
});

describe('consumer registry', () => {
  const handle = async () => undefined;
  it('refuses duplicate names, bad names and patterns that match nothing', () => {
    expect(() =>
      consumerRegistry([
        { name: 'billing', consumers: [{ name: 'billing.x', types: ['a.b'], handle }] },
        { name: 'compute', consumers: [{ name: 'billing.x', types: ['a.b'], handle }] },
      ]),
    ).toThrow(/defined twice/);
    expect(() =>
      consumerRegistry([{ name: 'billing', consumers: [{ name: 'Metering', types: ['a.b'], handle }] }]),
    ).toThrow(/must look like/);
    expect(() =>
      consumerRegistry([{ name: 'billing', consumers: [{ name: 'billing.x', types: ['*'], handle }] }]),
    ).toThrow(/not an event type/);
    expect(
      consumerRegistry([{ name: 'billing', consumers: [{ name: 'billing.x', types: ['usage.recorded'], handle }] }]),
    ).toEqual([{ consumer: 'billing.x', subgraph: 'billing', types: ['usage.recorded'] }]);
  });
});

describe('idle workers', () => {
  // A consumer of its own: rows are written by hand, and nothing may be delivered to it.
  const idleTarget: ConsumerSubscription = { consumer: 'billing.idle_probe', subgraph: 'billing', types: ['idle.*'] };
  let eventsOrm: Orm;
  const sent: string[] = [];
  const delivery = () =>
    new ConsumerDelivery({
      orm: eventsOrm,
      platform: platform.app.platform,
      logger: createLogger('silent'),
      registry: [idleTarget],
      deliver: async (_target, events) => {
        sent.push(...events.map((e) => e.id));
        return { processed: events.map((e) => e.id), failed: [] };
      },
    });

  beforeAll(async () => {
    eventsOrm = await createOrm({
      schema: 'events',
      url: platform.databaseUrl,
      entities: [],
      migrations: [],
      poolMax: 2,
    });
  });
  afterAll(async () => {
    await eventsOrm?.close();
  });

  it('with nothing pending, a consumer pass and a webhook pass ask for no early wake-up (the poll bounds the sleep)', async () => {
    // PostgreSQL's GREATEST skips NULL: "no pending row" once read as "due now" and spun the loops every 10 ms.
    expect((await delivery().deliverOnce(idleTarget)).waitMs).toBeUndefined();
    const dispatcher = new WebhookDispatcher({
      orm: eventsOrm,
      platform: platform.app.platform,
      logger: createLogger('silent'),
    });
    expect(await dispatcher.pass()).toEqual({ waitMs: undefined });
  });

  it('an event held back behind its organization’s retrying event waits for that retry, not 10 ms', async () => {
    const org = `org_idle_${Date.now()}`;
    await db.query(
      `insert into events.consumer_deliveries (consumer, subgraph, org_id, event_id, event_seq, event_type, attempts, next_attempt_at)
       values ($1, 'billing', $2, $3, 1, 'idle.x', 1, clock_timestamp() + interval '60 seconds'),
              ($1, 'billing', $2, $4, 2, 'idle.x', 0, clock_timestamp())`,
      [idleTarget.consumer, org, `${org}_a`, `${org}_b`],
    );
    try {
      const result = await delivery().deliverOnce(idleTarget);
      expect(result.sent).toBe(0);
      expect(sent).toEqual([]);
      expect(result.waitMs).toBeGreaterThan(50_000);
    } finally {
      await db.query('delete from events.consumer_deliveries where org_id = $1', [org]);
    }
  });
});
