/**
 * Issue #13's acceptance: "killing the billing process mid-stream of usage events and restarting posts
 * each event once (ledger sum equals the independent calculation)". Billing runs as its own process
 * (`trellis serve billing`, what docker-compose runs) and the events service delivers `usage.recorded`
 * to it; while a stream of events is being metered the process is killed with SIGKILL (no shutdown:
 * batches in flight die between billing's commit and the acknowledgement), then started again on the
 * same port. Every event ends up debited exactly once and the ledger's sum equals the test's own sum.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrm, type Orm } from '../../kernel/database.ts';
import { OutboxEvent, recordEvent } from '../../kernel/outbox.ts';
import { announceServiceUrl } from '../../kernel/outbox-relay.ts';
import { freePort } from '../../kernel/ports.ts';
import { eventually } from '../eventually.ts';
import { type FaultProxy, startFaultProxy } from '../fault-proxy.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { directBilling, ownerPrincipal } from './support.ts';

const EVENTS = 300;
const FUNDING_MICROS = 1_000_000_000;
const secrets = {
  TRELLIS_INTERNAL_SECRET: randomBytes(32).toString('hex'),
  TRELLIS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
};

let platform: TestPlatform;
let direct: Awaited<ReturnType<typeof directBilling>>;
let computeOutbox: Orm;
let db: pg.Client;
let user: TestUser;
let port: number;
let proxy: FaultProxy;
const children: ChildProcess[] = [];

/** `trellis serve billing` on `port`, resolved once it listens. */
async function startBillingProcess(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('../../bin/trellis.ts', import.meta.url)), 'serve', 'billing'],
    {
      env: {
        ...process.env,
        ...secrets,
        NODE_ENV: 'test',
        DATABASE_URL: platform.databaseUrl,
        TRELLIS_BILLING_PORT: String(port),
        TRELLIS_HOST: '127.0.0.1',
        TRELLIS_LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`billing did not start: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('billing listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code, signal) => reject(new Error(`billing exited (${code ?? signal}): ${output}`)));
  });
  return child;
}

beforeAll(async () => {
  platform = await startTestPlatform({
    ...secrets,
    TRELLIS_LOCAL_NODE: 'off',
    TRELLIS_OUTBOX_POLL_MS: '50',
    TRELLIS_OUTBOX_MAX_BACKOFF_MS: '200',
  });
  direct = await directBilling(platform.databaseUrl);
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  // Usage is recorded as compute records it: in compute's outbox, relayed to the log.
  computeOutbox = await createOrm({
    schema: 'compute',
    url: platform.databaseUrl,
    entities: [OutboxEvent],
    migrations: [],
    poolMax: 2,
  });
  user = await platform.signup('Killed Billing Org');
  port = await freePort();
  await startBillingProcess();
  proxy = await startFaultProxy({ host: '127.0.0.1', port });
  announceServiceUrl(platform.app.platform, 'billing', proxy.urlFor(`http://127.0.0.1:${port}/graphql`));
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await computeOutbox?.close();
  await db?.end();
  await direct?.close();
  await closeAll();
});

/** Records `count` usage.recorded events with varied amounts; returns their ids and amounts. */
async function recordUsage(first: number, count: number): Promise<[string, number][]> {
  const em = computeOutbox.em.fork();
  const recorded: [string, number][] = [];
  for (let n = first; n < first + count; n++) {
    const amountMicros = 1_000 + ((n * 7_919) % 50_000);
    const end = new Date(Date.UTC(2026, 10, 1, 0, 0, n + 1));
    const id = recordEvent(em, {
      orgId: user.orgId,
      type: 'usage.recorded',
      subject: { type: 'vm', id: 'vm_stream' },
      data: {
        usageId: `use_stream_${n}`,
        source: 'vm',
        resourceType: 'vm',
        resourceId: 'vm_stream',
        quantity: 1,
        unit: 'gpu_second',
        amountMicros,
        currency: 'usd',
        gpuModelId: 'rtx-4090',
        tier: 'community',
        gpuCount: 1,
        periodStart: new Date(end.getTime() - 1_000).toISOString(),
        periodEnd: end.toISOString(),
      },
    });
    recorded.push([id, amountMicros]);
  }
  await em.flush();
  return recorded;
}

const meteredCount = async () =>
  Number((await db.query('select count(*) as n from billing.usage_records where org_id = $1', [user.orgId])).rows[0].n);

/** Events billing has metered (committed) and events whose delivery the events service marked done. */
async function progress(): Promise<{ metered: number; done: number }> {
  const { rows } = await db.query(
    `select (select count(*) from billing.usage_records where org_id = $1) as metered,
            (select count(*) from events.consumer_deliveries
              where consumer = 'billing.metering' and status = 'done' and org_id = $1) as done`,
    [user.orgId],
  );
  return { metered: Number(rows[0].metered), done: Number(rows[0].done) };
}

it('killing the billing process (SIGKILL) mid-stream and restarting it debits every usage event exactly once', async () => {
  const started = Date.now();
  const admin = { ...ownerPrincipal(user), platformAdmin: true };
  await direct.services().ledger.adjust(admin, user.orgId, {
    amountMicros: FUNDING_MICROS,
    reason: 'test funding',
    idempotencyKey: 'killed-billing-fund',
  });

  // The stream: batches of events recorded while billing meters them. The test drives it, so the kill
  // always has events still to come (a stream raced by the kill loop could end first on a loaded machine).
  const recorded: [string, number][] = [];
  const record = async (count: number) => {
    recorded.push(...(await recordUsage(recorded.length, Math.min(count, EVENTS - recorded.length))));
  };
  while (recorded.length < 100) {
    await record(20);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The kill lands when billing has committed events the events service has not yet heard back about
  // (their redelivery after the restart must post nothing). Billing commits and answers a batch within
  // milliseconds, so the test widens that window: billing's answers are held on the way back (the proxy
  // between the events service and billing), a new batch is recorded, billing commits it, and the kill
  // lands while its answer waits. Should nothing be held, billing is restarted and killed again.
  let atKill = { metered: 0, done: 0 };
  let kills = 0;
  while (atKill.metered === atKill.done && kills < 3) {
    // Billing meters (again, after a restart): new events are metered.
    await record(20);
    await eventually(async () => ((await progress()).metered > atKill.metered ? true : undefined), 20_000);
    proxy.holdReplies();
    await record(20);
    await eventually(async () => {
      const { metered, done } = await progress();
      return metered > done ? true : undefined;
    }, 20_000);
    const child = children.at(-1) as ChildProcess;
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    kills++;
    expect(await exited).toBe('SIGKILL');
    // Answers that made it out before the kill are recorded by now; nothing more is metered meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 500));
    atKill = await progress();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await progress()).toEqual(atKill);
    await proxy.restore();
    await startBillingProcess();
  }
  expect(atKill.metered, 'a kill landed between commit and acknowledgement').toBeGreaterThan(atKill.done);
  expect(atKill.metered).toBeLessThan(EVENTS);
  // The rest of the stream, metered by the restarted process.
  while (recorded.length < EVENTS) {
    await record(20);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { rows: parked } = await db.query(
    "select count(*) as n from events.consumer_deliveries where consumer = 'billing.metering' and status = 'parked' and org_id = $1",
    [user.orgId],
  );
  expect(Number(parked[0].n)).toBe(0);

  const ids = recorded.map(([id]) => id);
  await eventually(async () => (await meteredCount()) >= EVENTS, 30_000);
  await eventually(async () => {
    const { rows } = await db.query(
      `select count(*) filter (where status = 'done') as done, count(*) as n from events.consumer_deliveries
        where consumer = 'billing.metering' and event_id = any($1)`,
      [ids],
    );
    return Number(rows[0].done) === EVENTS && Number(rows[0].n) === EVENTS;
  }, 20_000);

  const independent = recorded.reduce((sum, [, amount]) => sum + BigInt(amount), 0n);
  const { rows: records } = await db.query<{ event_id: string; amount_micros: string }>(
    'select event_id, amount_micros from billing.usage_records where org_id = $1',
    [user.orgId],
  );
  expect(records.map((r) => r.event_id).sort()).toEqual([...ids].sort());
  const { rows: debits } = await db.query<{ cause_id: string; debits: string; total: string }>(
    `select t.cause_id, count(distinct t.id) as debits, sum(-p.amount) as total
       from billing.ledger_transactions t join billing.ledger_postings p on p.transaction_id = t.id
      where t.org_id = $1 and t.kind = 'usage' and p.account_kind = 'prepaid'
      group by t.cause_id`,
    [user.orgId],
  );
  expect(debits.map((d) => d.cause_id).sort()).toEqual([...ids].sort());
  expect(debits.filter((d) => Number(d.debits) !== 1)).toEqual([]);
  const ledgerSum = debits.reduce((sum, d) => sum + BigInt(d.total), 0n);
  expect(ledgerSum).toBe(independent);
  const balance = await direct.services().ledger.balance(user.orgId);
  expect(BigInt(balance.availableMicros)).toBe(BigInt(FUNDING_MICROS) - independent);
  const { rows: retried } = await db.query(
    `select count(*) filter (where attempts > 1) as retried from events.consumer_deliveries
      where consumer = 'billing.metering' and event_id = any($1)`,
    [ids],
  );
  console.info(
    `metering-killed: ${EVENTS} events; ${kills} kill(s), the last with ${atKill.metered} metered of which ${atKill.metered - atKill.done} ` +
      `committed but unacknowledged (redelivered after the restart); ${retried[0].retried} deliveries with attempts > 1; ` +
      `ledger ${ledgerSum} µ$ = independent ${independent} µ$, ${Date.now() - started} ms`,
  );
}, 90_000);
