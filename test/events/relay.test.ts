/**
 * The transactional outbox and its relay: events recorded with a change reach the log exactly
 * once even when the relay dies between the log's commit and marking the outbox, in the order
 * they were recorded; the log's ingest is idempotent by event id under concurrent redelivery.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativePool, type Orm } from '../../kernel/database.ts';
import { newId } from '../../kernel/ids.ts';
import { createLogger } from '../../kernel/logger.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import {
  type DeliverBatch,
  deliveryMarks,
  httpIngest,
  OutboxRelay,
  type RelayedEvent,
  serviceUrl,
  wakeOutboxRelay,
} from '../../kernel/outbox-relay.ts';
import { pipelined, pipelinedTransaction } from '../../kernel/pipelined-transaction.ts';
import { PRINCIPAL_HEADER, signPrincipal } from '../../kernel/principal.ts';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { planNodes } from '../query-plans.ts';
import { kernelTablesSchema, logOf } from './helpers.ts';

let platform: TestPlatform;
const orms: Orm[] = [];
const relays: OutboxRelay[] = [];
const logger = createLogger('silent');

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await Promise.allSettled(relays.map((r) => r.stop()));
  await Promise.allSettled(orms.map((o) => o.close()));
  await closeAll();
});

/** A schema of its own with the kernel's outbox tables, so no running subgraph relays it. */
async function outboxSchema(): Promise<{ schema: string; orm: Orm }> {
  const made = await kernelTablesSchema(platform.databaseUrl, { prefix: 'relay', poolMax: 4 });
  orms.push(made.orm);
  return made;
}

async function record(orm: Orm, user: TestUser, count: number, type = 'test.recorded'): Promise<string[]> {
  const em = orm.em.fork();
  const ids: string[] = [];
  for (let n = 0; n < count; n++)
    ids.push(
      recordEvent(em, {
        orgId: user.orgId,
        type,
        subject: { type: 'test', id: `t${n}` },
        data: { n },
        actor: { kind: 'user', id: user.userId, memberships: [], scopes: [] },
      }),
    );
  await em.flush();
  return ids;
}

async function pending(orm: Orm): Promise<number> {
  const [row] = await orm.em
    .fork()
    .execute<{ n: string }[]>('select count(*) as n from outbox where delivered_at is null');
  return Number(row?.n);
}

function relay(orm: Orm, schema: string, deliver?: DeliverBatch): OutboxRelay {
  const r = new OutboxRelay({
    name: schema,
    orm,
    platform: platform.app.platform,
    logger,
    deliver,
    wakeOnFlush: false,
    pollMs: 50,
    maxBackoffMs: 300,
  });
  relays.push(r);
  return r;
}

function expectExactlyOnce(log: { id: string; seq: number }[], ids: string[]) {
  const logged = log.filter((e) => ids.includes(e.id));
  expect(logged.map((e) => e.id)).toEqual(ids); // once each, in recorded order
  const seqs = logged.map((e) => e.seq);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => (seqs[0] as number) + i));
}

describe('outbox relay', () => {
  it('delivers once when the relay fails after the log committed, and again after restart', async () => {
    const user = await platform.signup('Crash Org');
    const { schema, orm } = await outboxSchema();
    const ids = await record(orm, user, 25);
    const real = httpIngest(platform.app.platform, schema);

    // First relay: the log commits the batch, then the relay "dies" before marking the outbox.
    const crashing = relay(orm, schema, async (batch) => {
      await real(batch);
      throw new Error('killed after the events service acknowledged');
    });
    const first = await crashing.drainOnce();
    expect(first.failed).toBe(true);
    expect(await pending(orm)).toBe(25);
    expect((await logOf(platform, user)).filter((e) => ids.includes(e.id))).toHaveLength(25);

    // Restart: a fresh relay redelivers; the log deduplicates by id.
    relay(orm, schema, real).start();
    await eventually(async () => (await pending(orm)) === 0);
    expectExactlyOnce(await logOf(platform, user), ids);
  });

  it('loses nothing when the relay process is killed (SIGKILL) between commit and delivery', async () => {
    const user = await platform.signup('Kill Org');
    const { schema, orm } = await outboxSchema();
    const ids = await record(orm, user, 10);
    const child = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/relay-killed.ts', import.meta.url))], {
      env: {
        ...process.env,
        DATABASE_URL: platform.databaseUrl,
        RELAY_SCHEMA: schema,
        EVENTS_URL: serviceUrl(platform.app.platform, 'events'),
        TRELLIS_INTERNAL_SECRET: platform.app.platform.internalSecret,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const signal = await new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal, output).toBe('SIGKILL');
    expect(output).toContain('acknowledged 10');
    // Killed inside its transaction: the outbox still holds every row as pending.
    await eventually(async () => (await pending(orm)) === 10);

    relay(orm, schema, httpIngest(platform.app.platform, schema)).start();
    await eventually(async () => (await pending(orm)) === 0);
    expectExactlyOnce(await logOf(platform, user), ids);
  });

  it('sends an event inserted by a hand-written statement at once when woken, not at the next poll', async () => {
    const user = await platform.signup('Wake Org');
    const { schema, orm } = await outboxSchema();
    const r = new OutboxRelay({ name: schema, orm, platform: platform.app.platform, logger, pollMs: 60_000 });
    relays.push(r);
    r.start();
    // Let the first (idle) pass finish: the relay now sleeps for the 60 s poll.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const em = orm.em.fork();
    const id = newId('evt');
    await em.execute(
      `insert into outbox (id, org_id, type, data, occurred_at, next_attempt_at)
       values (?, ?, 'test.handwritten', '{}'::jsonb, now(), now())`,
      [id, user.orgId],
    );
    wakeOutboxRelay(em);
    await eventually(async () => (await pending(orm)) === 0, 5_000);
    expect((await logOf(platform, user)).map((e) => e.id)).toContain(id);
  });

  it('keeps the recorded order of events written in the same millisecond', async () => {
    const user = await platform.signup('Order Org');
    const { schema, orm } = await outboxSchema();
    const ids = await record(orm, user, 60);
    relay(orm, schema).start();
    await eventually(async () => (await pending(orm)) === 0);
    expectExactlyOnce(await logOf(platform, user), ids);
  });

  it('marks delivered rows by key, however young the outbox was when the mark was planned', async () => {
    const user = await platform.signup('Young Outbox Org');
    const { orm } = await outboxSchema();
    // No analyze during the test: it would re-plan the statement with the grown table's statistics.
    await orm.em.fork().execute('alter table outbox set (autovacuum_enabled = false)');
    const ids = await record(orm, user, 30);
    const client = await (await nativePool(orm.em)).connect();
    const marks = (accepted: string[], rejected: string[]) =>
      deliveryMarks({ accepted, duplicates: [], rejected: rejected.map((id) => ({ id, reason: 'malformed' })) });
    try {
      // A generic plan, made on this connection while the outbox holds 30 rows (what a fresh database meets).
      await client.query('set plan_cache_mode = force_generic_plan');
      await pipelined(client, ['begin', ...marks(ids.slice(0, 10), [ids[10] as string]), 'commit']);
      await client.query(
        `insert into outbox (id, org_id, type, data, occurred_at, next_attempt_at, delivered_at)
         select 'evt_old_' || lpad(g::text, 6, '0'), $1, 'test.old', '{}', now(), now(), now()
         from generate_series(1, 20000) g`,
        [user.orgId],
      );
      // Later passes: every statement of the marks as the relay sends them, the mark of delivered rows explained.
      const later = marks(ids.slice(11, 20), [ids[20] as string]);
      const delivered = later.findIndex((statement) => statement.name === 'outbox_relay_delivered');
      await client.query('begin');
      for (const statement of later.slice(0, delivered)) await client.query(statement);
      const explained = await client.query(
        `explain (analyze, format json) execute outbox_relay_delivered('{${ids.slice(11, 20).join(',')}}')`,
      );
      for (const statement of later.slice(delivered + 1)) await client.query(statement);
      await client.query('commit');
      // A look-up by the primary key (an index or bitmap scan of outbox_pkey), no scan of the table.
      const nodes = planNodes(explained.rows[0]['QUERY PLAN'][0].Plan);
      expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
      expect(nodes.filter((node) => node['Index Name'] === 'outbox_pkey')).toEqual([
        expect.objectContaining({ 'Index Cond': expect.any(String) }),
      ]);
      const marked = await client.query<{ id: string; last_error: string | null }>(
        `select id, last_error from outbox where delivered_at is not null and type <> 'test.old' order by id`,
      );
      expect(marked.rows.map((row) => row.id)).toEqual(ids.slice(0, 21).sort());
      expect(marked.rows.filter((row) => row.last_error === 'rejected: malformed').map((row) => row.id)).toEqual(
        [ids[10], ids[20]].sort(),
      );
    } finally {
      // Its session settings and prepared statements go with it.
      client.release(new Error('test connection, not reused'));
    }
  });

  it('commits its marks without waiting for the WAL flush, and leaves the connection durable', async () => {
    const user = await platform.signup('Async Mark Org');
    const { orm } = await outboxSchema();
    const ids = await record(orm, user, 3);
    const client = await (await nativePool(orm.em)).connect();
    const setting = { name: undefined, text: "select current_setting('synchronous_commit') as value", values: [] };
    try {
      const answers = await pipelined(client, [
        'begin',
        ...deliveryMarks({ accepted: ids, duplicates: [], rejected: [] }),
        setting,
        'commit',
      ]);
      // In the marks' transaction: off, so its COMMIT returns before the flush (a lost mark is a redelivery
      // the log deduplicates) ...
      expect(answers.at(-2)?.rows).toEqual([{ value: 'off' }]);
      // ... and only there: the next transaction on the pooled connection commits durably again.
      expect((await client.query(setting.text)).rows).toEqual([{ value: 'on' }]);
      expect(await pending(orm)).toBe(0);
    } finally {
      client.release();
    }
  });

  it('retries a batch the events service did not take, before anything newer', async () => {
    const user = await platform.signup('Retry Org');
    const { schema, orm } = await outboxSchema();
    const real = httpIngest(platform.app.platform, schema);
    let refusals = 2;
    const seen: string[][] = [];
    const flaky: DeliverBatch = async (batch) => {
      seen.push(batch.map((e) => e.id));
      if (refusals-- > 0) throw new Error('events service unavailable');
      return real(batch);
    };
    const first = await record(orm, user, 3);
    const r = relay(orm, schema, flaky).start();
    await eventually(() => seen.length >= 1);
    const second = await record(orm, user, 3);
    await eventually(async () => (await pending(orm)) === 0);
    await r.stop();
    expect(seen[0]).toEqual(first);
    expect(seen[1]?.slice(0, 3)).toEqual(first);
    expectExactlyOnce(await logOf(platform, user), [...first, ...second]);
  });
});

describe('event log ingest', () => {
  const batchFor = (user: TestUser, count: number): RelayedEvent[] =>
    Array.from({ length: count }, (_, n) => ({
      id: newId('evt'),
      orgId: user.orgId,
      type: 'test.ingested',
      subject: null,
      actor: null,
      requestId: null,
      data: { n },
      occurredAt: new Date().toISOString(),
      source: 'test',
    }));

  it('appends a batch delivered concurrently several times exactly once, with contiguous sequences', async () => {
    const user = await platform.signup('Idempotent Org');
    const deliver = httpIngest(platform.app.platform, 'test');
    const batch = batchFor(user, 15);
    const results = await Promise.all(Array.from({ length: 5 }, () => deliver(batch)));
    const accepted = results.flatMap((r) => r.accepted);
    expect([...accepted].sort()).toEqual(batch.map((e) => e.id).sort());
    for (const r of results) expect(r.accepted.length + r.duplicates.length).toBe(15);
    expectExactlyOnce(
      await logOf(platform, user),
      batch.map((e) => e.id),
    );
  });

  it('rejects malformed events without blocking the rest of the batch', async () => {
    const user = await platform.signup('Reject Org');
    const deliver = httpIngest(platform.app.platform, 'test');
    const [good] = batchFor(user, 1);
    const bad = { ...batchFor(user, 1)[0], type: 'Not A Type' } as RelayedEvent;
    const result = await deliver([bad, good as RelayedEvent]);
    expect(result.rejected).toEqual([{ id: bad.id, reason: expect.stringContaining('type') }]);
    expect(result.accepted).toEqual([good?.id]);
  });

  it('is internal: not in the public API, and refused to anyone but a service on the subgraph', async () => {
    const user = await platform.signup('Internal Org');
    const viaGateway = await platform.graphql('mutation { _ingestEvents(events: []) }', {}, { token: user.token });
    expect(viaGateway.body.errors[0].extensions.code).toBe('invalid_query');
    const direct = await fetch(serviceUrl(platform.app.platform, 'events') as string, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [PRINCIPAL_HEADER]: signPrincipal(platform.app.platform.internalSecret, {
          kind: 'user',
          id: user.userId,
          userId: user.userId,
          memberships: [{ orgId: user.orgId, role: 'owner' }],
          scopes: ['*'],
        }),
      },
      body: JSON.stringify({ query: 'mutation($e: JSON!) { _ingestEvents(events: $e) }', variables: { e: [] } }),
    });
    const body = (await direct.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('forbidden');
  });
});

describe('pipelined transactions (BEGIN with the first statement, COMMIT with the last)', () => {
  async function scratch(): Promise<Orm> {
    const { orm } = await outboxSchema();
    await orm.em.fork().execute('create table scratch (id int primary key, note text)');
    return orm;
  }
  const ids = async (orm: Orm) =>
    (await orm.em.fork().execute<{ id: number }[]>('select id from scratch order by id')).map((r) => r.id);
  /** Every connection of the pool (four) went back usable: outside any transaction, out of pipeline mode. */
  async function expectPoolUsable(orm: Orm) {
    await Promise.all(
      [20, 21, 22, 23, 24, 25].map((id) =>
        pipelinedTransaction(orm.em.fork(), (tx) => tx.commitWith('insert into scratch values (?, ?)', [id, 'ok'])),
      ),
    );
    expect(await ids(orm)).toEqual([20, 21, 22, 23, 24, 25]);
  }

  it('commits what its statements wrote, answering each statement its own rows', async () => {
    const orm = await scratch();
    const answers = await pipelinedTransaction(orm.em.fork(), async (tx) => {
      const first = await tx.execute<{ id: number }>('insert into scratch values (?, ?) returning id', [1, "it's"]);
      const middle = await tx.execute<{ n: string }>('select count(*) as n from scratch');
      const last = await tx.commitWith<{ id: number }>('insert into scratch values (?, ?) returning id', [2, null]);
      return { first, middle, last };
    });
    expect(answers).toEqual({ first: [{ id: 1 }], middle: [{ n: '1' }], last: [{ id: 2 }] });
    expect(await ids(orm)).toEqual([1, 2]);
    // Without commitWith the transaction commits on its own when the work returns.
    await pipelinedTransaction(orm.em.fork(), (tx) => tx.execute('insert into scratch values (?, ?)', [3, 'x']));
    expect(await ids(orm)).toEqual([1, 2, 3]);
  });

  it('rolls everything back when the statement carried with COMMIT fails, or the work throws', async () => {
    const orm = await scratch();
    await expect(
      pipelinedTransaction(orm.em.fork(), async (tx) => {
        await tx.execute('insert into scratch values (?, ?)', [10, 'kept only if committed']);
        await tx.commitWith('insert into scratch values (?, ?)', [10, 'duplicate key']);
      }),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      pipelinedTransaction(orm.em.fork(), async (tx) => {
        await tx.execute('insert into scratch values (?, ?)', [11, 'rolled back']);
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await ids(orm)).toEqual([]);
    await expectPoolUsable(orm);
  });

  const insert = (id: number, note: string | null) => ({
    name: 'scratch_insert',
    text: 'insert into scratch values ($1::int, $2::text) returning id',
    values: [id, note],
  });

  it('sends prepared statements at once, with BEGIN and COMMIT, parsed once per connection', async () => {
    const orm = await scratch();
    const answers = await pipelinedTransaction(orm.em.fork(), async (tx) => {
      const first = await tx.prepared<{ id: number }>([insert(1, "it's"), insert(2, null)]);
      const statements = await tx.execute<{ name: string }>(
        "select name from pg_prepared_statements where name = 'scratch_insert'",
      );
      const last = await tx.prepared<{ id: number }>([insert(3, 'x')], { commit: true });
      return { first, statements, last };
    });
    expect(answers).toEqual({
      first: [[{ id: 1 }], [{ id: 2 }]],
      statements: [{ name: 'scratch_insert' }],
      last: [[{ id: 3 }]],
    });
    expect(await ids(orm)).toEqual([1, 2, 3]);
    // Alone, and without `commit`: the transaction commits when the work returns.
    await pipelinedTransaction(orm.em.fork(), (tx) => tx.prepared([insert(4, 'y')]));
    expect(await ids(orm)).toEqual([1, 2, 3, 4]);
  });

  it('rolls back every prepared statement of the transaction when one fails, with or without COMMIT', async () => {
    const orm = await scratch();
    await expect(
      pipelinedTransaction(orm.em.fork(), (tx) =>
        tx.prepared([insert(10, 'a'), insert(10, 'duplicate'), insert(11, 'b')], { commit: true }),
      ),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      pipelinedTransaction(orm.em.fork(), async (tx) => {
        await tx.prepared([insert(12, 'c')]);
        await tx.prepared([insert(12, 'duplicate')]);
      }),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      pipelinedTransaction(orm.em.fork(), async (tx) => {
        await tx.prepared([insert(13, 'd')]);
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await ids(orm)).toEqual([]);
    await expectPoolUsable(orm);
  });
});
