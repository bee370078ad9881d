/**
 * The ledger, credits and metering without Stripe: postings are balanced, append-only and posted
 * once per idempotency key under any concurrency; running totals reconcile with the postings;
 * concurrent consumes never overdraw; a usage event debits once and crossing zero is announced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../kernel/ids.ts';
import { post, postMany, reconcile } from '../../subgraphs/billing/ledger.ts';
import { balanceCents, roundedCents } from '../../subgraphs/billing/money.ts';
import { meterUsages } from '../../subgraphs/billing/usage.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { directBilling, ownerPrincipal, usageEvent } from './support.ts';

let platform: TestPlatform;
let direct: Awaited<ReturnType<typeof directBilling>>;
let user: TestUser;

beforeAll(async () => {
  platform = await startTestPlatform();
  direct = await directBilling(platform.databaseUrl);
  user = await platform.signup('Ledger Org');
});
afterAll(async () => {
  await direct?.close();
  await closeAll();
});

const deposit = (orgId: string, micros: number, key = newId('k')) =>
  direct.orm.em.fork().transactional((tx) =>
    post(tx, {
      orgId,
      idempotencyKey: key,
      kind: 'deposit',
      legs: [
        { account: 'prepaid', amount: micros },
        { account: 'stripe_clearing', amount: -micros },
      ],
    }),
  );

describe('money', () => {
  it('converts cents exactly and rounds micros by the documented rules', () => {
    expect(balanceCents(19_999)).toBe(1);
    expect(balanceCents(-5_000)).toBe(-1);
    expect(balanceCents(-10_000)).toBe(-1);
    expect(roundedCents(5_000)).toBe(1);
    expect(roundedCents(4_999)).toBe(0);
    expect(roundedCents(-5_000)).toBe(-1);
  });
});

describe('postings', () => {
  it('posts one transaction per idempotency key, whatever the concurrency', async () => {
    const org = await platform.signup('Once Org');
    const key = newId('dep');
    const results = await Promise.all(Array.from({ length: 20 }, () => deposit(org.orgId, 7_000_000, key)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.transactionId)).size).toBe(1);
    const view = await direct.services().ledger.balance(org.orgId);
    expect(view).toMatchObject({ availableMicros: 7_000_000, availableCents: 700 });
    const [count] = await direct.query<{ n: string }>('select count(*) as n from ledger_postings where org_id = ?', [
      org.orgId,
    ]);
    expect(Number(count?.n)).toBe(2);
  });

  it('refuses an unbalanced transaction at commit, and edits of posted rows', async () => {
    await expect(
      direct.orm.em.fork().transactional(async (tx) => {
        await tx.execute(
          "insert into ledger_transactions (id, org_id, idempotency_key, kind) values ('ltx_bad', ?, 'bad', 'deposit')",
          [user.orgId],
        );
        await tx.execute(
          "insert into ledger_accounts (org_id, kind, unit, balance) values (?, 'prepaid', 'usd_micros', 5) on conflict do nothing",
          [user.orgId],
        );
        await tx.execute(
          `insert into ledger_postings (transaction_id, org_id, account_kind, unit, amount, balance_after)
           values ('ltx_bad', ?, 'prepaid', 'usd_micros', 5, 5)`,
          [user.orgId],
        );
      }),
    ).rejects.toThrow(/does not balance/);
    await deposit(user.orgId, 1_000_000);
    await expect(direct.query('update ledger_postings set amount = 1 where org_id = ?', [user.orgId])).rejects.toThrow(
      /append-only/,
    );
    await expect(direct.query('delete from ledger_transactions where org_id = ?', [user.orgId])).rejects.toThrow(
      /append-only/,
    );
    await expect(
      post(direct.orm.em.fork(), {
        orgId: user.orgId,
        idempotencyKey: 'x',
        kind: 'deposit',
        legs: [{ account: 'prepaid', amount: 5 }],
      }),
    ).rejects.toThrow(/does not balance/);
  });

  it('keeps running totals equal to the sum of postings under concurrent mixed postings', async () => {
    const org = await platform.signup('Reconcile Org');
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0 ? deposit(org.orgId, 1_000_000 + i) : direct.meter(usageEvent(org.orgId, 10_000 + i)),
      ),
    );
    expect(await reconcile(direct.orm.em.fork(), org.orgId)).toEqual([]);
    expect(await reconcile(direct.orm.em.fork())).toEqual([]);
    const [sum] = await direct.query<{ total: string }>(
      "select sum(amount) as total from ledger_postings where org_id = ? and account_kind = 'prepaid'",
      [org.orgId],
    );
    expect((await direct.services().ledger.balance(org.orgId)).availableMicros).toBe(Number(sum?.total));
  });
});

describe('credits', () => {
  it('concurrent consumes never take the balance below zero', async () => {
    const org = await platform.signup('Credits Org');
    await direct.grantCredits(org.orgId, 100);
    const principal = ownerPrincipal(org);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        direct.services().credits.consume(principal, org.orgId, { amount: 10, action: 'render', referenceId: `r${i}` }),
      ),
    );
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const r of refused) expect((r as PromiseRejectedResult).reason.code).toBe('insufficient_credits');
    expect((await direct.services().credits.balance(org.orgId)).credits).toBe(0);
  });

  it('a consume retried with its referenceId consumes once', async () => {
    const org = await platform.signup('Credits Retry Org');
    await direct.grantCredits(org.orgId, 50);
    const principal = ownerPrincipal(org);
    const input = { amount: 20, action: 'export', referenceId: 'job-42' };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => direct.services().credits.consume(principal, org.orgId, input)),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect((await direct.services().credits.balance(org.orgId)).credits).toBe(30);
    const page = await direct.services().credits.transactions(org.orgId, { limit: 1 });
    expect(page.items[0]).toMatchObject({ type: 'consume', amount: -20, balanceAfter: 30, referenceId: 'job-42' });
    expect(page.nextCursor).toBeTruthy();
    const next = await direct.services().credits.transactions(org.orgId, { limit: 5, cursor: page.nextCursor });
    expect(next.items.map((t) => t.type)).toEqual(['grant']);
  });

  it('answers 402 insufficient_credits over REST-facing GraphQL with the balance', async () => {
    const org = await platform.signup('Credits GraphQL Org');
    const res = await platform.graphql(
      'mutation($orgId: ID!) { consumeCredits(orgId: $orgId, input: { amount: 5, action: "x" }) { balance } }',
      { orgId: org.orgId },
      { token: org.token },
    );
    expect(res.body.errors[0].extensions).toMatchObject({
      code: 'insufficient_credits',
      details: { balance: 0, requested: 5 },
    });
  });
});

describe('metering', () => {
  it('debits each usage event once, keeps the record, and announces depletion and restoration once', async () => {
    const org = await platform.signup('Metering Org');
    await deposit(org.orgId, 1_000_000);
    const event = usageEvent(org.orgId, 600_000);
    const first = await Promise.all(Array.from({ length: 10 }, () => direct.meter(event)));
    expect(first.filter((r) => r === 'metered')).toHaveLength(1);
    expect((await direct.services().ledger.balance(org.orgId)).availableMicros).toBe(400_000);
    await direct.meter(usageEvent(org.orgId, 400_000)); // exactly zero: depleted
    await direct.meter(usageEvent(org.orgId, 1)); // already depleted: no second event
    await deposit(org.orgId, 2_000_000); // restored
    const events = await direct.query<{ type: string; data: { balanceMicros: number } }>(
      "select type, data from outbox where org_id = ? and type like 'billing.balance_%' order by relay_seq",
      [org.orgId],
    );
    expect(events.map((e) => e.type)).toEqual([
      'billing.balance_restored',
      'billing.balance_depleted',
      'billing.balance_restored',
    ]);
    expect(events[1]?.data.balanceMicros).toBe(0);
    const records = await direct.services().usage.records(org.orgId, {});
    expect(records.items).toHaveLength(3);
    const current = await direct.services().usage.current(org.orgId);
    expect(current).toMatchObject({ totalMicros: 1_000_001, totalCents: 100, gpuHours: 0.05 });
    expect(current.byGpu).toEqual([
      expect.objectContaining({ gpuModelId: 'rtx-4090', tier: 'standard', amountMicros: 1_000_001 }),
    ]);
  });

  it('meters a batch in one go: each event once, balances after each posting in order, one depletion', async () => {
    const org = await platform.signup('Batch Org');
    const other = await platform.signup('Batch Other Org');
    await deposit(org.orgId, 1_000_000);
    const seen = usageEvent(org.orgId, 100_000);
    expect(await direct.meter(seen)).toBe('metered');
    const batch = [
      usageEvent(org.orgId, 300_000),
      seen, // metered before: a duplicate
      usageEvent(other.orgId, 50_000),
      usageEvent(org.orgId, -1), // malformed: skipped
      usageEvent(org.orgId, 0), // recorded, nothing to post
      usageEvent(org.orgId, 600_000), // exactly zero: depleted
      usageEvent(org.orgId, 200_000),
    ];
    const outcomes = await direct.orm.em.fork().transactional((tx) => meterUsages(tx, batch));
    expect(outcomes).toEqual([
      'metered',
      'duplicate',
      'metered',
      expect.stringMatching(/amountMicros/),
      'metered',
      'metered',
      'metered',
    ]);
    expect((await direct.services().ledger.balance(org.orgId)).availableMicros).toBe(-200_000);
    expect((await direct.services().ledger.balance(other.orgId)).availableMicros).toBe(-50_000);
    const postings = await direct.query<{ amount: string; balance_after: string }>(
      "select amount, balance_after from ledger_postings where org_id = ? and account_kind = 'prepaid' order by id",
      [org.orgId],
    );
    expect(postings.map((p) => [Number(p.amount), Number(p.balance_after)])).toEqual([
      [1_000_000, 1_000_000],
      [-100_000, 900_000],
      [-300_000, 600_000],
      [-600_000, 0],
      [-200_000, -200_000],
    ]);
    const depleted = await direct.query<{ data: { balanceMicros: number } }>(
      "select data from outbox where org_id = ? and type = 'billing.balance_depleted'",
      [org.orgId],
    );
    expect(depleted.map((e) => e.data.balanceMicros)).toEqual([0]);
    // Replayed whole (a redelivered batch): nothing moves.
    const again = await direct.orm.em.fork().transactional((tx) => meterUsages(tx, batch));
    expect(again.filter((o) => o === 'metered')).toEqual([]);
    expect((await direct.services().ledger.balance(org.orgId)).availableMicros).toBe(-200_000);
    expect(await reconcile(direct.orm.em.fork(), org.orgId)).toEqual([]);
    expect((await direct.services().usage.records(org.orgId, {})).items).toHaveLength(5);
  });

  it('posts a key given twice in one batch once', async () => {
    const org = await platform.signup('Twice Org');
    const key = newId('dep');
    const input = {
      orgId: org.orgId,
      idempotencyKey: key,
      kind: 'deposit' as const,
      legs: [
        { account: 'prepaid' as const, amount: 500 },
        { account: 'stripe_clearing' as const, amount: -500 },
      ],
    };
    const [first, second] = await direct.orm.em.fork().transactional((tx) => postMany(tx, [input, input]));
    expect(first).toMatchObject({ duplicate: false, balances: { prepaid: 500, stripe_clearing: -500 } });
    expect(second).toMatchObject({ duplicate: true, transactionId: first?.transactionId });
    expect((await direct.services().ledger.balance(org.orgId)).availableMicros).toBe(500);
  });

  it('makes a top-up claim statement only for organizations with an enabled auto-recharge', async () => {
    const plain = await platform.signup('No Recharge Org');
    const recharging = await platform.signup('Recharge Org');
    const disabled = await platform.signup('Disabled Recharge Org');
    await direct.query(
      `insert into auto_topups (org_id, target, enabled, threshold, amount_cents)
       values (?, 'prepaid', true, 0, 1000), (?, 'prepaid', false, 0, 1000)`,
      [recharging.orgId, disabled.orgId],
    );
    const claims: unknown[][] = [];
    await direct.orm.em.fork().transactional((tx) => {
      const execute = tx.execute.bind(tx);
      tx.execute = ((sql: string, params?: unknown[], ...rest: unknown[]) => {
        if (/update auto_topups/.test(sql)) claims.push(params ?? []);
        return (execute as (...args: unknown[]) => unknown)(sql, params, ...rest);
      }) as typeof tx.execute;
      return meterUsages(tx, [
        usageEvent(plain.orgId, 100_000),
        usageEvent(recharging.orgId, 100_000),
        usageEvent(disabled.orgId, 100_000),
      ]);
    });
    // The recharging organization's balance (-0.1 USD) is below its threshold (0): its claim is tried.
    expect(claims).toHaveLength(1);
    expect(claims[0]).toContain(recharging.orgId);
  });

  it('skips a malformed usage event without posting', async () => {
    const org = await platform.signup('Malformed Org');
    const outcome = await direct.meter(usageEvent(org.orgId, -5));
    expect(outcome).toMatch(/amountMicros/);
    expect((await direct.services().ledger.balance(org.orgId)).availableMicros).toBe(0);
  });
});

describe('manual adjustments', () => {
  it('only platform administrators post them, once per key, audited', async () => {
    const org = await platform.signup('Adjusted Org');
    const input = { amountMicros: 2_500_000, reason: 'goodwill credit', idempotencyKey: 'adj-1' };
    await expect(direct.services().ledger.adjust(ownerPrincipal(org), org.orgId, input)).rejects.toMatchObject({
      code: 'forbidden',
    });
    const admin = { ...ownerPrincipal(user), platformAdmin: true };
    const [a, b] = await Promise.all([
      direct.services().ledger.adjust(admin, org.orgId, input),
      direct.services().ledger.adjust(admin, org.orgId, input),
    ]);
    expect(a?.id).toBe(b?.id);
    expect((await direct.services().ledger.balance(org.orgId)).availableMicros).toBe(2_500_000);
    const audit = await direct.query<{ actor_id: string }>(
      "select actor_id from outbox where org_id = ? and type = 'billing.adjustment_posted'",
      [org.orgId],
    );
    expect(audit).toEqual([{ actor_id: user.userId }]);
  });
});

describe('without Stripe configured', () => {
  it('answers 503 billing_not_configured where Stripe is needed; balance, usage, credits and plans still work', async () => {
    const org = await platform.signup('No Stripe Org');
    for (const [method, path, body] of [
      ['POST', 'setup-intent', undefined],
      ['POST', 'deposit', { amountCents: 1_000 }],
      ['GET', 'payment-methods', undefined],
      ['POST', 'checkout', { tier: 'pro' }],
      ['POST', 'portal', undefined],
      ['PUT', 'auto-recharge', { enabled: true, thresholdCents: 500, amountCents: 1_000 }],
    ] as const) {
      const res = await platform.rest(method, `/v1/orgs/${org.orgId}/billing/${path}`, { token: org.token, body });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.body.error.code).toBe('billing_not_configured');
    }
    const off = await platform.rest('PUT', `/v1/orgs/${org.orgId}/billing/auto-recharge`, {
      token: org.token,
      body: { enabled: false, thresholdCents: 500, amountCents: 1_000 },
    });
    expect(off.body.data).toMatchObject({ enabled: false, thresholdCents: 500, amountCents: 1_000 });
    const bounds = await platform.rest('POST', `/v1/orgs/${org.orgId}/billing/deposit`, {
      token: org.token,
      body: { amountCents: 999 },
    });
    expect(bounds.status).toBe(422);
    expect(bounds.body.error.field).toBe('amountCents');
    for (const path of [
      'billing/balance',
      'usage/current',
      'billing/credits/balance',
      'billing/subscription',
      'billing/plan-summary',
    ]) {
      const res = await platform.rest('GET', `/v1/orgs/${org.orgId}/${path}`, { token: org.token });
      expect(res.status, path).toBe(200);
    }
    const webhook = await platform.rest('POST', '/v1/billing/webhook', {
      rawBody: '{"id":"evt_1"}',
      headers: { 'stripe-signature': 't=1,v1=00' },
    });
    expect(webhook.status).toBe(400);
    expect(webhook.body.error.code).toBe('webhook_signature_invalid');
  });

  it("reads usage over REST: summary, records (cursor), a job's roll-up and the org check of jobUsage", async () => {
    const org = await platform.signup('Usage Org');
    const other = await platform.signup('Other Usage Org');
    // A real job: the roll-up asks compute for it too, so an unknown job (or another org's) is not found.
    const submitted = await platform.graphql(
      'mutation($o: ID!) { submitJob(input: { orgId: $o, type: "usage" }) { job { id } } }',
      { o: org.orgId },
      { token: org.token },
    );
    const jobId = submitted.body.data.submitJob.job.id as string;
    for (let i = 0; i < 3; i++)
      await direct.meter(usageEvent(org.orgId, 1_000_000, { source: 'job', jobId, resourceType: 'job' }));
    await direct.meter(
      usageEvent(org.orgId, 20_000, {
        source: 'ai',
        unit: 'token',
        quantity: 1200,
        model: 'gpt-4o',
        gpuModelId: undefined,
        tier: undefined,
      }),
    );
    const summary = await platform.rest('GET', `/v1/organizations/${org.orgId}/usage`, { token: org.token });
    expect(summary.body.data.total).toMatchObject({ records: 4, amountMicros: 3_020_000, amountCents: 302 });
    expect(summary.body.data.bySource).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'job', records: 3 }),
        expect.objectContaining({ source: 'ai', records: 1 }),
      ]),
    );
    const page = await platform.rest('GET', `/v1/organizations/${org.orgId}/usage/records?limit=3`, {
      token: org.token,
    });
    expect(page.body.data.items).toHaveLength(3);
    const rest = await platform.rest(
      'GET',
      `/v1/organizations/${org.orgId}/usage/records?limit=3&cursor=${page.body.data.nextCursor}`,
      {
        token: org.token,
      },
    );
    expect(rest.body.data.items).toHaveLength(1);
    expect(rest.body.data.nextCursor).toBeUndefined();
    const job = await platform.rest('GET', `/v1/jobs/${jobId}/usage?orgId=${org.orgId}`, { token: org.token });
    expect(job.body.data).toMatchObject({ jobId, records: 3, amountCents: 300 });
    // Another organization: A's job is not found, whichever organization it names.
    const foreign = await platform.rest('GET', `/v1/jobs/${jobId}/usage?orgId=${org.orgId}`, { token: other.token });
    expect(foreign.status).toBe(404);
    const own = await platform.rest('GET', `/v1/jobs/${jobId}/usage?orgId=${other.orgId}`, { token: other.token });
    expect(own.status).toBe(404);
    const unknown = await platform.rest('GET', `/v1/jobs/job_1/usage?orgId=${org.orgId}`, { token: org.token });
    expect(unknown.status).toBe(404);
  });
});
