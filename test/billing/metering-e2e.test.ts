/**
 * Metering end to end through the durable consumers: governance's track records `usage.recorded`
 * in the same statement as the tracked event (only for a newly recorded one); the relay appends it
 * to the log; the events subgraph delivers it to billing's `billing.metering` consumer, which
 * debits the prepaid balance once per event id. The ledger's sum equals the independent sum of the
 * tracked costs, and retried tracks add nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { directBilling, ownerPrincipal } from './support.ts';

let platform: TestPlatform;
let direct: Awaited<ReturnType<typeof directBilling>>;
let user: TestUser;
let key: string;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_OUTBOX_POLL_MS: '100' });
  direct = await directBilling(platform.databaseUrl);
  user = await platform.signup('Metered Org');
  key = (await platform.apiKey(user)).key;
});
afterAll(async () => {
  await direct?.close();
  await closeAll();
});

it('tracked AI spend is debited from the prepaid balance exactly once per tracked event', async () => {
  const admin = { ...ownerPrincipal(user), platformAdmin: true };
  await direct.services().ledger.adjust(admin, user.orgId, {
    amountMicros: 5_000_000,
    reason: 'test funding',
    idempotencyKey: 'fund-1',
  });
  const workflow = await platform.rest('POST', `/v1/orgs/${user.orgId}/workflows`, {
    token: user.token,
    body: { name: 'metered', budgetMicros: 100_000_000 },
  });
  const workflowId = workflow.body.data.id;
  const events = Array.from({ length: 30 }, (_, i) => ({
    eventId: `m-${i}`,
    workflowId,
    costMicros: 1_000 + i * 37,
    inputTokens: i % 3 === 0 ? 0 : 100 + i,
    outputTokens: i % 3 === 0 ? 0 : 20,
    model: 'gpt-4o',
  }));
  const expected = events.reduce((sum, e) => sum + e.costMicros, 0);
  const first = await platform.rest('POST', '/v1/track/batch', { token: key, body: { events: events.slice(0, 20) } });
  expect(first.body.data).toMatchObject({ recorded: 20 });
  // Retries (whole batch again, and overlapping) record nothing new and emit nothing.
  const again = await platform.rest('POST', '/v1/track/batch', { token: key, body: { events: events.slice(10) } });
  expect(again.body.data).toMatchObject({ recorded: 10, duplicates: 10 });

  const records = () =>
    direct.query<{ n: string; total: string }>(
      'select count(*) as n, coalesce(sum(amount_micros), 0) as total from usage_records where org_id = ?',
      [user.orgId],
    );
  const [metered] = await eventually(async () => {
    const rows = await records();
    return Number(rows[0]?.n) >= 30 ? rows : undefined;
  }, 20_000);
  await new Promise((resolve) => setTimeout(resolve, 500)); // anything extra would have arrived
  const [settled] = await records();
  expect(Number(settled?.n)).toBe(30);
  expect(Number(metered?.total)).toBe(expected);
  const balance = await direct.services().ledger.balance(user.orgId);
  expect(balance.availableMicros).toBe(5_000_000 - expected);
  const [ledger] = await direct.query<{ total: string }>(
    "select sum(-amount) as total from ledger_postings where org_id = ? and account_kind = 'prepaid' and amount < 0",
    [user.orgId],
  );
  expect(Number(ledger?.total)).toBe(expected);
  const summary = await platform.rest('GET', `/v1/organizations/${user.orgId}/usage`, { token: user.token });
  expect(summary.body.data.bySource).toEqual([
    expect.objectContaining({ source: 'ai', records: 30, amountMicros: expected }),
  ]);
  expect(summary.body.data.byUnit).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ unit: 'call', records: 10 }),
      expect.objectContaining({ unit: 'token', records: 20 }),
    ]),
  );
}, 60_000);
