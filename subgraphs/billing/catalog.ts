/**
 * The plan catalog (seed 004): subscription tiers with their monthly price and limits, and the
 * token-credit packages sold one at a time. Static data: a change ships with the code, and the
 * Stripe price of each paid tier comes from `STRIPE_PLAN_PRICES`.
 */
import { invalidField } from '../../kernel/errors.ts';

/** What a tier allows per calendar month (UTC); null means unlimited. */
export interface PlanLimits {
  /** Metered usage (GPU time, AI spend, jobs), in cents. */
  monthlyUsageCents: number | null;
  gpuHours: number | null;
  aiCalls: number | null;
}

export interface PlanTier {
  slug: string;
  name: string;
  /** Rank: a lower rank is a downgrade. */
  rank: number;
  priceCentsPerMonth: number;
  includedCreditsPerMonth: number;
  limits: PlanLimits;
  features: string[];
}

export interface CreditPackage {
  slug: string;
  name: string;
  credits: number;
  priceCents: number;
  bonusCredits: number;
}

export const PLAN_TIERS: readonly PlanTier[] = [
  {
    slug: 'free',
    name: 'Free',
    rank: 0,
    priceCentsPerMonth: 0,
    includedCreditsPerMonth: 1_000,
    limits: { monthlyUsageCents: 5_000, gpuHours: 10, aiCalls: 10_000 },
    features: ['Prepaid GPU compute', 'Governed AI calls', 'Community support'],
  },
  {
    slug: 'pro',
    name: 'Pro',
    rank: 1,
    priceCentsPerMonth: 2_900,
    includedCreditsPerMonth: 20_000,
    limits: { monthlyUsageCents: 100_000, gpuHours: 500, aiCalls: 1_000_000 },
    features: ['Everything in Free', 'Auto-recharge', 'Email support'],
  },
  {
    slug: 'team',
    name: 'Team',
    rank: 2,
    priceCentsPerMonth: 9_900,
    includedCreditsPerMonth: 100_000,
    limits: { monthlyUsageCents: 1_000_000, gpuHours: 5_000, aiCalls: 10_000_000 },
    features: ['Everything in Pro', 'Teams and audit log', 'Priority support'],
  },
  {
    slug: 'enterprise',
    name: 'Enterprise',
    rank: 3,
    priceCentsPerMonth: 49_900,
    includedCreditsPerMonth: 500_000,
    limits: { monthlyUsageCents: null, gpuHours: null, aiCalls: null },
    features: ['Everything in Team', 'Unlimited usage', 'Dedicated support'],
  },
];

export const CREDIT_PACKAGES: readonly CreditPackage[] = [
  { slug: 'starter', name: 'Starter', credits: 10_000, priceCents: 1_000, bonusCredits: 0 },
  { slug: 'growth', name: 'Growth', credits: 50_000, priceCents: 5_000, bonusCredits: 10_000 },
  { slug: 'scale', name: 'Scale', credits: 100_000, priceCents: 10_000, bonusCredits: 50_000 },
];

/** What one credit is worth when bought at list price (Starter): $0.001. */
export const CREDIT_LIST_PRICE_MICROS = 1_000;

export const FREE_TIER = PLAN_TIERS[0] as PlanTier;

export function tierOf(slug: string, field: string): PlanTier {
  const tier = PLAN_TIERS.find((t) => t.slug === slug.toLowerCase());
  if (!tier) throw invalidField(field, `tier must be one of ${PLAN_TIERS.map((t) => t.slug).join(', ')}`);
  return tier;
}

export function packageOf(slug: string, field: string): CreditPackage {
  const found = CREDIT_PACKAGES.find((p) => p.slug === slug.toLowerCase());
  if (!found) throw invalidField(field, `packageSlug must be one of ${CREDIT_PACKAGES.map((p) => p.slug).join(', ')}`);
  return found;
}
