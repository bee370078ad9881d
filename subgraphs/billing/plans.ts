/**
 * Plans (seed 004): the tier catalog, the organization's subscription (as Stripe's webhooks last
 * described it), Checkout and the customer portal, plan changes with Stripe's proration, and the
 * downgrade check against this month's usage (docs/billing.md#plans).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { TrellisError } from '../../kernel/errors.ts';
import { CREDIT_LIST_PRICE_MICROS, CREDIT_PACKAGES, FREE_TIER, PLAN_TIERS, type PlanTier, tierOf } from './catalog.ts';
import { accountBalance } from './ledger.ts';
import { roundedCents } from './money.ts';
import { callStripe, ensureCustomer, requireStripe, type StripeSettings } from './stripe.ts';
import { currentMonth, type MonthTotals, type UsageService } from './usage.ts';

type Row = Record<string, unknown>;

export interface SubscriptionView {
  orgId: string;
  tier: string;
  status: string;
  stripeSubscriptionId: string | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

export interface Violation {
  limit: string;
  allowed: number;
  current: number;
}

const ACTIVE = new Set(['active', 'trialing', 'past_due']);
const epoch = (value: unknown): Date | null => (typeof value === 'number' ? new Date(value * 1000) : null);

/** Applies a Checkout or subscription event (webhook) to the organization's subscription row. */
export async function syncSubscription(tx: EntityManager, type: string, object: Record<string, unknown>) {
  const metadata = (object.metadata ?? {}) as Record<string, string>;
  const orgId = metadata.orgId;
  if (!orgId) return null;
  const tier = PLAN_TIERS.find((t) => t.slug === metadata.tier)?.slug ?? null;
  if (type === 'checkout.session.completed') {
    if (object.mode !== 'subscription' || typeof object.subscription !== 'string' || !tier) return orgId;
    await upsert(tx, orgId, { tier, status: 'active', id: object.subscription, start: null, end: null, cancel: false });
    return orgId;
  }
  const status = type === 'customer.subscription.deleted' ? 'canceled' : String(object.status ?? 'active');
  const item = ((object.items as { data?: Row[] } | undefined)?.data ?? [])[0];
  await upsert(tx, orgId, {
    tier: status === 'canceled' ? FREE_TIER.slug : (tier ?? FREE_TIER.slug),
    status,
    id: typeof object.id === 'string' ? object.id : null,
    start: epoch(object.current_period_start ?? item?.current_period_start),
    end: epoch(object.current_period_end ?? item?.current_period_end),
    cancel: object.cancel_at_period_end === true,
  });
  return orgId;
}

async function upsert(
  em: EntityManager,
  orgId: string,
  s: { tier: string; status: string; id: string | null; start: Date | null; end: Date | null; cancel: boolean },
) {
  await em.execute(
    `insert into subscriptions (org_id, tier, status, stripe_subscription_id, current_period_start, current_period_end,
       cancel_at_period_end)
     values (?, ?, ?, ?, ?, ?, ?)
     on conflict (org_id) do update set tier = excluded.tier, status = excluded.status,
       stripe_subscription_id = coalesce(excluded.stripe_subscription_id, subscriptions.stripe_subscription_id),
       current_period_start = coalesce(excluded.current_period_start, subscriptions.current_period_start),
       current_period_end = coalesce(excluded.current_period_end, subscriptions.current_period_end),
       cancel_at_period_end = excluded.cancel_at_period_end, updated_at = now()`,
    [orgId, s.tier, s.status, s.id, s.start, s.end, s.cancel],
  );
}

/** Where this month's usage exceeds a tier's limits. */
export function violationsOf(tier: PlanTier, usage: MonthTotals): Violation[] {
  const violations: Violation[] = [];
  const check = (limit: string, allowed: number | null, current: number) => {
    if (allowed !== null && current > allowed) violations.push({ limit, allowed, current });
  };
  check('monthlyUsageCents', tier.limits.monthlyUsageCents, roundedCents(usage.amountMicros));
  check('gpuHours', tier.limits.gpuHours, Math.ceil(usage.gpuSeconds / 3600));
  check('aiCalls', tier.limits.aiCalls, usage.aiCalls);
  return violations;
}

export class PlanService {
  private readonly em: EntityManager;
  private readonly stripe: StripeSettings | null;
  private readonly usage: UsageService;

  constructor(em: EntityManager, stripe: StripeSettings | null, usage: UsageService) {
    this.em = em;
    this.stripe = stripe;
    this.usage = usage;
  }

  tiers() {
    return PLAN_TIERS;
  }

  pricing() {
    return {
      currency: 'usd',
      tiers: PLAN_TIERS,
      creditPackages: CREDIT_PACKAGES,
      creditListPriceMicros: CREDIT_LIST_PRICE_MICROS,
      depositMinCents: 1_000,
      depositMaxCents: 50_000,
    };
  }

  async subscription(orgId: string): Promise<SubscriptionView> {
    const rows = (await this.em.execute('select * from subscriptions where org_id = ?', [orgId])) as Row[];
    const r = rows[0];
    if (!r)
      return {
        orgId,
        tier: FREE_TIER.slug,
        status: 'none',
        stripeSubscriptionId: null,
        currentPeriodStart: null,
        currentPeriodEnd: null,
        cancelAtPeriodEnd: false,
      };
    return {
      orgId,
      tier: String(r.tier),
      status: String(r.status),
      stripeSubscriptionId: (r.stripe_subscription_id as string | null) ?? null,
      currentPeriodStart: r.current_period_start ? new Date(r.current_period_start as string) : null,
      currentPeriodEnd: r.current_period_end ? new Date(r.current_period_end as string) : null,
      cancelAtPeriodEnd: Boolean(r.cancel_at_period_end),
    };
  }

  private priceOf(stripe: StripeSettings, tier: PlanTier): string {
    const price = stripe.planPrices[tier.slug];
    if (!price)
      throw new TrellisError('billing_not_configured', `No Stripe price is configured for the ${tier.slug} plan`, {
        details: { variable: 'STRIPE_PLAN_PRICES', tier: tier.slug },
      });
    return price;
  }

  async checkout(orgId: string, tierSlug: string) {
    const tier = tierOf(tierSlug, 'input.tier');
    if (tier.priceCentsPerMonth === 0)
      throw new TrellisError('validation_failed', 'The free plan needs no checkout', { field: 'input.tier' });
    const stripe = requireStripe(this.stripe);
    const price = this.priceOf(stripe, tier);
    const customer = await ensureCustomer(this.em, stripe, orgId);
    const session = await callStripe(() =>
      stripe.client.checkout.sessions.create({
        mode: 'subscription',
        customer,
        client_reference_id: orgId,
        line_items: [{ price, quantity: 1 }],
        success_url: `${stripe.returnUrl}?checkout=success`,
        cancel_url: `${stripe.returnUrl}?checkout=cancel`,
        metadata: { orgId, tier: tier.slug },
        subscription_data: { metadata: { orgId, tier: tier.slug } },
      }),
    );
    return { sessionId: session.id, url: session.url ?? '', tier: tier.slug };
  }

  async portal(orgId: string) {
    const stripe = requireStripe(this.stripe);
    const customer = await ensureCustomer(this.em, stripe, orgId);
    const session = await callStripe(() =>
      stripe.client.billingPortal.sessions.create({ customer, return_url: stripe.returnUrl }),
    );
    return { url: session.url };
  }

  async validateDowngrade(orgId: string, tierSlug: string) {
    const tier = tierOf(tierSlug, 'input.tier');
    const usage = await this.usage.monthTotals(orgId);
    const violations = violationsOf(tier, usage);
    return { tier: tier.slug, allowed: violations.length === 0, violations };
  }

  /**
   * Changes the plan: refused (422) while this month's usage exceeds the target's limits; without a
   * paid subscription, a paid target answers a Checkout session; between paid tiers Stripe prorates;
   * the free tier cancels at the period's end.
   */
  async changePlan(orgId: string, tierSlug: string) {
    const tier = tierOf(tierSlug, 'input.tier');
    const check = await this.validateDowngrade(orgId, tier.slug);
    if (!check.allowed)
      throw new TrellisError('plan_limits_exceeded', `This month's usage exceeds the ${tier.name} plan's limits`, {
        field: 'input.tier',
        details: { violations: check.violations },
      });
    const stripe = requireStripe(this.stripe);
    const current = await this.subscription(orgId);
    const subscriptionId = ACTIVE.has(current.status) ? current.stripeSubscriptionId : null;
    if (!subscriptionId) {
      if (tier.priceCentsPerMonth === 0)
        return { status: 'unchanged', subscription: current, checkoutUrl: null, prorated: false };
      const session = await this.checkout(orgId, tier.slug);
      return { status: 'checkout_required', subscription: current, checkoutUrl: session.url, prorated: false };
    }
    if (tier.priceCentsPerMonth === 0) {
      const updated = await callStripe(() =>
        stripe.client.subscriptions.update(subscriptionId, { cancel_at_period_end: true }),
      );
      await syncSubscription(this.em, 'customer.subscription.updated', {
        ...(updated as unknown as Row),
        metadata: { orgId, tier: current.tier },
      });
      return {
        status: 'cancels_at_period_end',
        subscription: await this.subscription(orgId),
        checkoutUrl: null,
        prorated: false,
      };
    }
    const existing = await callStripe(() => stripe.client.subscriptions.retrieve(subscriptionId));
    const item = existing.items.data[0];
    if (!item) throw new TrellisError('conflict', 'The subscription has no item to change');
    const updated = await callStripe(() =>
      stripe.client.subscriptions.update(subscriptionId, {
        items: [{ id: item.id, price: this.priceOf(stripe, tier) }],
        proration_behavior: 'create_prorations',
        cancel_at_period_end: false,
        metadata: { orgId, tier: tier.slug },
      }),
    );
    await syncSubscription(this.em, 'customer.subscription.updated', {
      ...(updated as unknown as Row),
      metadata: { orgId, tier: tier.slug },
    });
    return { status: 'changed', subscription: await this.subscription(orgId), checkoutUrl: null, prorated: true };
  }

  async summary(orgId: string) {
    const subscription = await this.subscription(orgId);
    const tier = PLAN_TIERS.find((t) => t.slug === subscription.tier) ?? FREE_TIER;
    const usage = await this.usage.monthTotals(orgId);
    const month = currentMonth();
    return {
      orgId,
      tier,
      status: subscription.status,
      periodStart: month.start,
      periodEnd: month.end,
      usage: {
        monthlyUsageCents: roundedCents(usage.amountMicros),
        gpuHours: usage.gpuSeconds / 3600,
        aiCalls: usage.aiCalls,
      },
      violations: violationsOf(tier, usage),
      credits: await accountBalance(this.em, orgId, 'credits'),
    };
  }
}
