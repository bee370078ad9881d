/**
 * Issue #13's acceptance: "a VM running for a measured time debits exactly its rated cost". A real VM
 * on the embedded local node agent runs for a few seconds with a 1-second usage interval, then stops.
 * The test rebuilds the expected charge on its own — from the VM's running interval (compute's
 * `started_at`, the instants around the stop request) and the catalog's price per GPU-hour, with the
 * documented formula per interval — and checks the ledger debited exactly that, once per
 * `usage.recorded` event in the log.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { directBilling, ownerPrincipal } from './support.ts';

let platform: TestPlatform;
let direct: Awaited<ReturnType<typeof directBilling>>;
let db: pg.Client;
let user: TestUser;
let key: string;

const FUNDING_MICROS = 10_000_000;

beforeAll(async () => {
  platform = await startTestPlatform({
    TRELLIS_LOCAL_NODE: 'rtx-4090:2',
    TRELLIS_USAGE_INTERVAL_SECONDS: '1',
    TRELLIS_COMPUTE_WORKER_INTERVAL_MS: '200',
    TRELLIS_OUTBOX_POLL_MS: '100',
  });
  direct = await directBilling(platform.databaseUrl);
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  user = await platform.signup('VM Metering Org');
  key = (await platform.apiKey(user, ['vms:write', 'billing:read'])).key;
}, 60_000);
afterAll(async () => {
  await db?.end();
  await direct?.close();
  await closeAll();
});

/** The documented rating, independently: round_half_up(gpuSeconds × cents/GPU-hour × 10_000 / 3_600). */
function rated(gpuSeconds: number, centsPerGpuHour: number): bigint {
  const numerator = BigInt(gpuSeconds) * BigInt(centsPerGpuHour) * 10_000n;
  const quotient = numerator / 3_600n;
  return numerator % 3_600n >= 1_800n ? quotient + 1n : quotient;
}

const vmStatus = async (vmId: string) =>
  (await platform.rest('GET', `/v1/vms/${vmId}`, { token: key })).body.data.status as string;

it('a VM running for a measured time debits exactly its rated cost, once per usage event', async () => {
  const admin = { ...ownerPrincipal(user), platformAdmin: true };
  await direct.services().ledger.adjust(admin, user.orgId, {
    amountMicros: FUNDING_MICROS,
    reason: 'test funding',
    idempotencyKey: 'vm-metering-fund',
  });
  const pricing = await platform.rest('GET', '/v1/pricing', { token: key });
  const GPU_COUNT = 2;
  const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
    token: key,
    body: { name: 'metered-vm', gpuModelId: 'rtx-4090', gpuCount: GPU_COUNT },
  });
  expect(created.status, JSON.stringify(created.body.error)).toBe(200);
  const vmId = created.body.data.id as string;
  const tier = created.body.data.tier as string;
  const centsPerGpuHour = pricing.body.data.gpus.find((p: Json) => p.gpuModelId === 'rtx-4090' && p.tier === tier)
    .pricePerGpuHourCents as number;
  expect(centsPerGpuHour).toBeGreaterThan(0);
  await eventually(async () => ((await vmStatus(vmId)) === 'running' ? true : undefined), 20_000);

  await new Promise((resolve) => setTimeout(resolve, 4_500)); // let it run: several 1-second intervals
  const beforeStop = Date.now();
  const stop = await platform.rest('POST', `/v1/vms/${vmId}/stop`, { token: key });
  const afterStop = Date.now();
  expect(stop.status).toBe(200);
  await eventually(async () => ((await vmStatus(vmId)) === 'stopped' ? true : undefined), 20_000);

  // The running interval as compute recorded it.
  const {
    rows: [vm],
  } = await db.query<{ started_at: Date; metered_until: Date }>(
    'select started_at, metered_until from compute.vms where id = $1',
    [vmId],
  );
  const startedAt = (vm as { started_at: Date }).started_at.getTime();
  const ranMs = [beforeStop - startedAt, afterStop - startedAt];
  expect(ranMs[0]).toBeGreaterThan(4_000);

  // Every usage.recorded event of this VM that reached the log.
  const events = await eventually(async () => {
    const { rows } = await db.query<{ id: string; data: Json }>(
      `select id, data from events.event_log
        where org_id = $1 and type = 'usage.recorded' and subject_id = $2 order by seq`,
      [user.orgId, vmId],
    );
    const last = rows.at(-1);
    return last && Date.parse(last.data.periodEnd) >= beforeStop - 1_000 - 1 ? rows : undefined;
  }, 20_000);
  expect(events.length).toBeGreaterThanOrEqual(3); // the worker metered while it ran, and the stop did

  // Intervals are contiguous from the start, whole seconds, and cover the run to within a second.
  let cursor = startedAt;
  let expected = 0n;
  let gpuSeconds = 0;
  for (const { data } of events) {
    const from = Date.parse(data.periodStart);
    const to = Date.parse(data.periodEnd);
    expect(from).toBe(cursor);
    const seconds = (to - from) / 1000;
    expect(Number.isInteger(seconds) && seconds > 0).toBe(true);
    expect(data).toMatchObject({
      source: 'vm',
      unit: 'gpu_second',
      gpuCount: GPU_COUNT,
      quantity: seconds * GPU_COUNT,
    });
    expected += rated(seconds * GPU_COUNT, centsPerGpuHour);
    gpuSeconds += seconds * GPU_COUNT;
    cursor = to;
  }
  const meteredSeconds = (cursor - startedAt) / 1000;
  expect(meteredSeconds).toBeGreaterThanOrEqual(Math.floor((ranMs[0] as number) / 1000));
  expect(meteredSeconds).toBeLessThanOrEqual(Math.floor((ranMs[1] as number) / 1000));
  expect((vm as { metered_until: Date }).metered_until.getTime()).toBe(cursor);

  // Billing: one usage record and one debit per event, summing to the independent figure.
  const ids = events.map((e) => e.id);
  const records = await eventually(async () => {
    const { rows } = await db.query<{ event_id: string; amount_micros: string }>(
      'select event_id, amount_micros from billing.usage_records where org_id = $1 and resource_id = $2',
      [user.orgId, vmId],
    );
    return rows.length >= ids.length ? rows : undefined;
  }, 20_000);
  expect(records.map((r) => r.event_id).sort()).toEqual([...ids].sort());
  const { rows: debits } = await db.query<{ cause_id: string; debits: string; total: string }>(
    `select t.cause_id, count(*) as debits, sum(-p.amount) as total
       from billing.ledger_transactions t join billing.ledger_postings p on p.transaction_id = t.id
      where t.org_id = $1 and t.kind = 'usage' and p.account_kind = 'prepaid' and t.cause_id = any($2)
      group by t.cause_id`,
    [user.orgId, ids],
  );
  expect(debits.map((d) => d.cause_id).sort()).toEqual([...ids].sort());
  expect(debits.every((d) => Number(d.debits) === 1)).toBe(true);
  const debited = debits.reduce((sum, d) => sum + BigInt(d.total), 0n);
  expect(debited).toBe(expected);
  const balance = await direct.services().ledger.balance(user.orgId);
  expect(BigInt(balance.availableMicros)).toBe(BigInt(FUNDING_MICROS) - expected);
  console.info(
    `vm-metering: ran ${ranMs[0]}–${ranMs[1]} ms, ${events.length} events, ${gpuSeconds} GPU-seconds at ${centsPerGpuHour} ¢/GPU-h → ${expected} µ$ debited`,
  );
}, 60_000);
