/**
 * Billing against a real HTTP server that speaks Stripe's API (test/stripe-fake), the `stripe`
 * client pointed at it with STRIPE_API_BASE, webhooks signed with Stripe's scheme. Seed 003's flow:
 * setup intent → card saved → a deposit retried concurrently is one charge → the succeeded event
 * delivered 100 times concurrently credits once; a bad signature posts nothing; refunds, disputes,
 * declines, automatic top-ups, plans and credit packages.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../kernel/logger.ts';
import { TopupRunner } from '../../subgraphs/billing/topups.ts';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { type FakeStripe, startFakeStripe } from '../stripe-fake/server.ts';
import { directBilling, usageEvent } from './support.ts';

const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';
let fake: FakeStripe;
let platform: TestPlatform;
let direct: Awaited<ReturnType<typeof directBilling>>;

beforeAll(async () => {
  fake = await startFakeStripe();
  const env = {
    STRIPE_SECRET_KEY: fake.secretKey,
    STRIPE_PUBLISHABLE_KEY: 'pk_test_trellis',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: fake.url,
    STRIPE_PLAN_PRICES: 'pro=price_pro,team=price_team,enterprise=price_enterprise',
    TRELLIS_BILLING_AUTO_TOPUP_COOLDOWN_SECONDS: '2',
  };
  platform = await startTestPlatform(env);
  direct = await directBilling(platform.databaseUrl, env);
});
afterAll(async () => {
  await direct?.close();
  await closeAll();
  await fake?.close();
});

const sign = (payload: string, timestamp?: number) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, ...(timestamp ? { timestamp } : {}) });

function deliver(event: Json, signature?: string) {
  const payload = JSON.stringify(event);
  return platform.rest('POST', '/v1/billing/webhook', {
    rawBody: payload,
    headers: { 'stripe-signature': signature ?? sign(payload), 'content-type': 'application/json; charset=utf-8' },
  });
}

const balanceOf = async (user: TestUser) => {
  const res = await platform.rest('GET', `/v1/orgs/${user.orgId}/billing/balance`, { token: user.token });
  return res.body.data as { availableCents: number; availableMicros: number; recentEntries: Json[] };
};

const lastEvent = (type: string, match: (object: Json) => boolean = () => true) =>
  [...fake.events].reverse().find((e: Json) => e.type === type && match(e.data.object)) as Json;

/** An organization with a saved card (the SetupIntent flow); `last4` 0002 is a card that declines. */
async function orgWithCard(name: string, last4 = '4242') {
  const user = await platform.signup(name);
  const setup = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/setup-intent`, { token: user.token });
  expect(setup.status).toBe(200);
  const { event, paymentMethod } = fake.confirmSetupIntent(setup.body.data.setupIntentId, last4);
  expect((await deliver(event)).status).toBe(200);
  return { user, setup: setup.body.data, paymentMethodId: String(paymentMethod.id) };
}

describe("seed 003's flow", () => {
  it('saves a card, charges a deposit once for 5 concurrent retries, credits once for 100 concurrent deliveries', async () => {
    const { user, setup } = await orgWithCard('Deposit Org');
    expect(setup.clientSecret).toMatch(/_secret_/);
    expect(setup.publishableKey).toBe('pk_test_trellis');

    const cards = await platform.rest('GET', `/v1/orgs/${user.orgId}/billing/payment-methods`, { token: user.token });
    expect(cards.body.data).toEqual([
      { id: expect.any(String), brand: 'visa', last4: '4242', expMonth: 12, expYear: 2034, isDefault: true },
    ]);

    const before = fake.paymentIntentsCreated();
    const deposits = await Promise.all(
      Array.from({ length: 5 }, () =>
        platform.rest('POST', `/v1/orgs/${user.orgId}/billing/deposit`, {
          token: user.token,
          body: { amountCents: 2_500, idempotencyKey: 'deposit-retry-1' },
        }),
      ),
    );
    expect(deposits.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(deposits.map((d) => d.body.data.paymentIntentId)).size).toBe(1);
    expect(deposits[0]?.body.data).toMatchObject({ status: 'succeeded', amountCents: 2_500, requiresAction: false });
    expect(fake.paymentIntentsCreated() - before).toBe(1);
    // The response never credits: the webhook does.
    expect((await balanceOf(user)).availableCents).toBe(0);

    const paymentIntentId = deposits[0]?.body.data.paymentIntentId;
    const succeeded = lastEvent('payment_intent.succeeded', (pi) => pi.id === paymentIntentId);
    const deliveries = await Promise.all(Array.from({ length: 100 }, () => deliver(succeeded)));
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    expect(deliveries.filter((d) => d.body.data.duplicate === false)).toHaveLength(1);
    const balance = await balanceOf(user);
    expect(balance.availableCents).toBe(2_500);
    expect(balance.recentEntries).toEqual([
      expect.objectContaining({
        kind: 'deposit',
        amountCents: 2_500,
        cause: { type: 'stripe_payment_intent', id: paymentIntentId },
      }),
    ]);
    // The same payment announced under another event id (Stripe retries with the same id, but never mind) posts nothing.
    await deliver({ ...succeeded, id: 'evt_other_delivery_of_the_same_payment' });
    expect((await balanceOf(user)).availableCents).toBe(2_500);
  }, 120_000); // 100 concurrent deliveries on a shared 2-core machine

  it('refuses a bad or stale signature with 400 and posts nothing', async () => {
    const { user } = await orgWithCard('Forged Org');
    const deposit = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/deposit`, {
      token: user.token,
      body: { amountCents: 1_000 },
    });
    const event = lastEvent('payment_intent.succeeded', (pi) => pi.id === deposit.body.data.paymentIntentId);
    const payload = JSON.stringify(event);
    const forged = sign(payload).replace(/v1=[0-9a-f]{4}/, 'v1=0000');
    const stale = sign(payload, Math.floor(Date.now() / 1000) - 400);
    for (const signature of [forged, stale, 'garbage']) {
      const res = await deliver(event, signature);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('webhook_signature_invalid');
    }
    const tampered = await platform.rest('POST', '/v1/billing/webhook', {
      rawBody: payload.replace('"amount":1000', '"amount":100000'),
      headers: { 'stripe-signature': sign(payload), 'content-type': 'application/json' },
    });
    expect(tampered.status).toBe(400);
    const missing = await platform.rest('POST', '/v1/billing/webhook', { rawBody: payload });
    expect(missing.status).toBe(400);
    expect((await balanceOf(user)).availableCents).toBe(0);
    const seen = await direct.query('select id from stripe_events where id = ?', [event.id]);
    expect(seen).toEqual([]);
  });
});

describe('declines, refunds and disputes', () => {
  it('a declined card is 402 payment_failed, recorded and announced; nothing is credited', async () => {
    const { user } = await orgWithCard('Declined Org', '0002');
    const res = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/deposit`, {
      token: user.token,
      body: { amountCents: 1_500 },
    });
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ code: 'payment_failed', details: { declineCode: 'generic_decline' } });
    const events = await direct.query<{ type: string }>(
      "select type from outbox where org_id = ? and type like 'billing.%'",
      [user.orgId],
    );
    expect(events.map((e) => e.type)).toEqual(['billing.payment_failed']);
    expect((await balanceOf(user)).availableCents).toBe(0);
  });

  it('refunds and disputes post reversing entries, each once', async () => {
    const { user } = await orgWithCard('Refund Org');
    const deposit = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/deposit`, {
      token: user.token,
      body: { amountCents: 5_000 },
    });
    const pi = lastEvent('payment_intent.succeeded', (o) => o.id === deposit.body.data.paymentIntentId);
    await deliver(pi);
    const charge = fake.objects.get(String(pi.data.object.latest_charge)) as Json;
    const refunded = fake.eventFor('charge.refunded', { ...charge, amount_refunded: 1_000, refunded: false });
    await Promise.all([deliver(refunded), deliver(refunded)]);
    expect((await balanceOf(user)).availableCents).toBe(4_000);
    // Cumulative: a second refund to 3,000 reverses 2,000 more.
    await deliver(fake.eventFor('charge.refunded', { ...charge, amount_refunded: 3_000 }));
    expect((await balanceOf(user)).availableCents).toBe(2_000);
    const dispute = {
      id: 'dp_1',
      object: 'dispute',
      amount: 2_000,
      charge: charge.id,
      payment_intent: pi.data.object.id,
    };
    await deliver(fake.eventFor('charge.dispute.created', { ...dispute, status: 'needs_response' }));
    expect((await balanceOf(user)).availableCents).toBe(0);
    await deliver(fake.eventFor('charge.dispute.closed', { ...dispute, status: 'won' }));
    expect((await balanceOf(user)).availableCents).toBe(2_000);
    const kinds = (await balanceOf(user)).recentEntries.map((e: Json) => e.kind);
    expect(kinds).toEqual(['dispute_won', 'dispute', 'refund', 'refund', 'deposit']);
    expect(await direct.query('select 1 from ledger_accounts where balance <> 0 and false')).toEqual([]);
  });

  it("removes a saved card; another organization's card is not found", async () => {
    const a = await orgWithCard('Card Owner Org');
    const b = await orgWithCard('Card Thief Org');
    const theft = await platform.rest(
      'DELETE',
      `/v1/orgs/${b.user.orgId}/billing/payment-methods/${a.paymentMethodId}`,
      {
        token: b.user.token,
      },
    );
    expect(theft.status).toBe(404);
    const foreignOrg = await platform.rest(
      'DELETE',
      `/v1/orgs/${a.user.orgId}/billing/payment-methods/${a.paymentMethodId}`,
      {
        token: b.user.token,
      },
    );
    expect(foreignOrg.status).toBe(403);
    const removed = await platform.rest(
      'DELETE',
      `/v1/orgs/${a.user.orgId}/billing/payment-methods/${a.paymentMethodId}`,
      {
        token: a.user.token,
      },
    );
    expect(removed.status).toBe(204);
    const cards = await platform.rest('GET', `/v1/orgs/${a.user.orgId}/billing/payment-methods`, {
      token: a.user.token,
    });
    expect(cards.body.data).toEqual([]);
  });
});

describe('auto-recharge', () => {
  it('50 concurrent debits crossing the threshold charge exactly once; the webhook credits and releases', async () => {
    const { user } = await orgWithCard('Recharge Org');
    const set = await platform.rest('PUT', `/v1/orgs/${user.orgId}/billing/auto-recharge`, {
      token: user.token,
      body: { enabled: true, thresholdCents: 1_000, amountCents: 2_000 },
    });
    expect(set.body.data).toMatchObject({ enabled: true, thresholdCents: 1_000, amountCents: 2_000, inFlight: false });
    const deposit = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/deposit`, {
      token: user.token,
      body: { amountCents: 1_500 },
    });
    await deliver(lastEvent('payment_intent.succeeded', (o) => o.id === deposit.body.data.paymentIntentId));
    const intentsOf = () =>
      [...fake.objects.values()].filter(
        (o: Json) =>
          o.object === 'payment_intent' && o.metadata?.orgId === user.orgId && o.metadata?.purpose === 'auto_recharge',
      );
    // $15 − 50 × $0.20 = $5: every debit after the 25th is below the $10 threshold.
    await Promise.all(Array.from({ length: 50 }, () => direct.meter(usageEvent(user.orgId, 200_000))));
    const charged = await eventually(() => (intentsOf().length > 0 ? intentsOf() : undefined));
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // a second charge would have started by now
    expect(intentsOf()).toHaveLength(1);
    expect(charged[0]).toMatchObject({ amount: 2_000 });
    const inFlight = await platform.rest('GET', `/v1/orgs/${user.orgId}/billing/auto-recharge`, { token: user.token });
    expect(inFlight.body.data.inFlight).toBe(true);
    await deliver(lastEvent('payment_intent.succeeded', (o) => o.id === charged[0]?.id));
    expect((await balanceOf(user)).availableCents).toBe(500 + 2_000);
    const after = await platform.rest('GET', `/v1/orgs/${user.orgId}/billing/auto-recharge`, { token: user.token });
    expect(after.body.data).toMatchObject({ inFlight: false, lastSucceededAt: expect.any(String) });
  }, 60_000);

  it('a failed recharge is recorded with its reason and an event, and retried on the next drop after the cool-down', async () => {
    const { user } = await orgWithCard('Failing Recharge Org', '0002');
    await platform.rest('PUT', `/v1/orgs/${user.orgId}/billing/auto-recharge`, {
      token: user.token,
      body: { enabled: true, thresholdCents: 1_000, amountCents: 1_000 },
    });
    const attempts = () =>
      [...fake.objects.values()].filter((o: Json) => o.object === 'payment_intent' && o.metadata?.orgId === user.orgId)
        .length;
    await direct.meter(usageEvent(user.orgId, 10_000));
    const failed = await eventually(async () => {
      const r = await platform.rest('GET', `/v1/orgs/${user.orgId}/billing/auto-recharge`, { token: user.token });
      return r.body.data.lastFailedAt ? r : undefined;
    });
    expect(failed.body.data).toMatchObject({ inFlight: false, lastFailureReason: 'Your card was declined.' });
    expect(attempts()).toBe(1);
    const events = await direct.query<{ data: Json }>(
      "select data from outbox where org_id = ? and type = 'billing.auto_recharge_failed'",
      [user.orgId],
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({
      target: 'prepaid',
      reason: 'Your card was declined.',
      message: expect.any(String),
    });
    // Within the cool-down: another drop does not retry.
    await direct.meter(usageEvent(user.orgId, 10_000));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(attempts()).toBe(1);
    // After it: the next drop does.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await direct.meter(usageEvent(user.orgId, 10_000));
    await eventually(() => attempts() === 2);
    expect(attempts()).toBe(2);
  }, 60_000);
});

describe('the top-up runner', () => {
  it('is woken by the commit of a claim made in its process, not only by its poll', async () => {
    const { user } = await orgWithCard('Woken Runner Org');
    await platform.rest('PUT', `/v1/orgs/${user.orgId}/billing/auto-recharge`, {
      token: user.token,
      body: { enabled: true, thresholdCents: 1_000, amountCents: 1_000 },
    });
    // A runner whose poll is an hour away: only a wake makes it look for claims. It charges nothing (the
    // platform's own runner, woken the same way, does).
    const passes: number[] = [];
    class CountingRunner extends TopupRunner {
      override async runDue(): Promise<number> {
        passes.push(Date.now());
        return 0;
      }
    }
    const runner = new CountingRunner(direct.orm.em.fork(), async () => {}, createLogger('silent'), 3_600_000).start();
    try {
      await direct.meter(usageEvent(user.orgId, 10_000));
      const claimed = await direct.query<{ in_flight_id: string | null }>(
        'select in_flight_id from auto_topups where org_id = ?',
        [user.orgId],
      );
      expect(claimed[0]?.in_flight_id).toBeTruthy();
      expect(await eventually(() => passes.length || undefined, 15_000, 'a runner pass')).toBeGreaterThan(0);
    } finally {
      await runner.stop();
    }
  }, 60_000);
});

describe('credit auto top-up', () => {
  it('a consume that leaves credits below the threshold buys the package once; the webhook adds its credits', async () => {
    const { user } = await orgWithCard('Credit Topup Org');
    const set = await platform.rest('PUT', `/v1/orgs/${user.orgId}/billing/credits/auto-topup`, {
      token: user.token,
      body: { enabled: true, threshold_tokens: 500, package_slug: 'starter', max_monthly_topups: 3 },
    });
    expect(set.body.data).toMatchObject({
      enabled: true,
      thresholdCredits: 500,
      packageSlug: 'starter',
      maxMonthlyTopups: 3,
    });
    await direct.grantCredits(user.orgId, 600);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        platform.rest('POST', `/v1/orgs/${user.orgId}/billing/credits/consume`, {
          token: user.token,
          body: { amount: 20, action: 'render', referenceId: `c-${i}` },
        }),
      ),
    );
    const topups = () =>
      [...fake.objects.values()].filter(
        (o: Json) =>
          o.object === 'payment_intent' &&
          o.metadata?.orgId === user.orgId &&
          o.metadata?.purpose === 'credit_auto_topup',
      );
    const charged = await eventually(() => (topups().length > 0 ? topups() : undefined));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(topups()).toHaveLength(1);
    expect(charged[0]).toMatchObject({ amount: 1_000, metadata: { credits: '10000' } });
    await deliver(lastEvent('payment_intent.succeeded', (o) => o.id === charged[0]?.id));
    const balance = await platform.rest('GET', `/v1/orgs/${user.orgId}/billing/credits/balance`, { token: user.token });
    expect(balance.body.data).toEqual({ credits: 400 + 10_000 });
    const after = await platform.rest('GET', `/v1/orgs/${user.orgId}/billing/credits/auto-topup`, {
      token: user.token,
    });
    expect(after.body.data).toMatchObject({ inFlight: false, topupsThisMonth: 1 });
  }, 60_000);
});

describe('plans, checkout, portal and credit packages', () => {
  it('serves tiers and pricing publicly', async () => {
    const tiers = await platform.rest('GET', '/v1/billing/tiers');
    expect(tiers.status).toBe(200);
    expect(tiers.body.data.map((t: Json) => t.slug)).toEqual(['free', 'pro', 'team', 'enterprise']);
    const pricing = await platform.rest('GET', '/v1/billing/pricing');
    expect(pricing.body.data).toMatchObject({ currency: 'usd', depositMinCents: 1_000, depositMaxCents: 50_000 });
    expect(pricing.body.data.creditPackages).toHaveLength(3);
  });

  it('checkout → subscription; change plan with proration; downgrade refused while usage exceeds the lower tier', async () => {
    const user = await platform.signup('Plan Org');
    const checkout = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/checkout`, {
      token: user.token,
      body: { tier: 'pro' },
    });
    expect(checkout.status).toBe(200);
    expect(checkout.body.data.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const completed = await fetch(`${fake.url}/_fake/checkout/${checkout.body.data.sessionId}/complete`, {
      method: 'POST',
    });
    const { session, subscription } = (await completed.json()) as Json;
    await deliver(session);
    await deliver(subscription);
    const sub = await platform.rest('GET', `/v1/orgs/${user.orgId}/billing/subscription`, { token: user.token });
    expect(sub.body.data).toMatchObject({
      tier: 'pro',
      status: 'active',
      stripeSubscriptionId: subscription.data.object.id,
    });

    const changed = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/change-plan`, {
      token: user.token,
      body: { tier: 'team' },
    });
    expect(changed.body.data).toMatchObject({ status: 'changed', prorated: true, subscription: { tier: 'team' } });
    const stripeSub = fake.objects.get(subscription.data.object.id) as Json;
    expect(stripeSub.items.data[0].price.id).toBe('price_team');
    expect(stripeSub.last_proration_behavior).toBe('create_prorations');

    // $60 of usage this month: more than the free tier's $50.
    await direct.meter(usageEvent(user.orgId, 60_000_000));
    const check = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/validate-downgrade`, {
      token: user.token,
      body: { tier: 'free' },
    });
    expect(check.body.data).toMatchObject({
      allowed: false,
      violations: [{ limit: 'monthlyUsageCents', allowed: 5_000, current: 6_000 }],
    });
    const refused = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/change-plan`, {
      token: user.token,
      body: { tier: 'free' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'plan_limits_exceeded', field: 'tier' });
    const summary = await platform.rest('GET', `/v1/orgs/${user.orgId}/billing/plan-summary`, { token: user.token });
    expect(summary.body.data).toMatchObject({ tier: { slug: 'team' }, usage: { monthlyUsageCents: 6_000 } });
    const portal = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/portal`, { token: user.token });
    expect(portal.body.data.url).toMatch(/^https:\/\/billing\.stripe\.test\//);
  });

  it('a credit package paid through a PaymentIntent adds its credits (and bonus) once', async () => {
    const user = await platform.signup('Credit Package Org');
    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/payment-intent`, {
      token: user.token,
      body: { package_slug: 'growth', idempotency_key: 'buy-growth-1' },
    });
    expect(created.body.data).toMatchObject({ amountCents: 5_000, credits: 60_000, publishableKey: 'pk_test_trellis' });
    const intent = fake.objects.get(created.body.data.paymentIntentId) as Json;
    const succeeded = fake.eventFor('payment_intent.succeeded', {
      ...intent,
      status: 'succeeded',
      amount_received: 5_000,
    });
    await Promise.all(Array.from({ length: 10 }, () => deliver(succeeded)));
    const balance = await platform.rest('GET', `/v1/orgs/${user.orgId}/billing/credits/balance`, { token: user.token });
    expect(balance.body.data).toEqual({ credits: 60_000 });
    const consumed = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/credits/consume`, {
      token: user.token,
      body: { amount: 59_000, action: 'batch export', reference_id: 'exp-1' },
    });
    expect(consumed.body.data).toMatchObject({ consumed: 59_000, balance: 1_000, duplicate: false });
    const short = await platform.rest('POST', `/v1/orgs/${user.orgId}/billing/credits/consume`, {
      token: user.token,
      body: { amount: 1_001, action: 'batch export' },
    });
    expect(short.status).toBe(402);
    expect(short.body.error.code).toBe('insufficient_credits');
  });
});
