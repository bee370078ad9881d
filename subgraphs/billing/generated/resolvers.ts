import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { BalanceView } from '../ledger.ts';
import type { OrganizationRef } from '../../../kernel/federation.ts';
import type { BillingContext } from '../index.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** RFC 3339 UTC timestamp. */
  DateTime: { input: Date | string; output: Date | string; }
  /** Arbitrary JSON value. */
  JSON: { input: unknown; output: unknown; }
  /** Integer in the IEEE-754 safe range (±9,007,199,254,740,991): money in cents or micro-dollars. */
  SafeInt: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** Seed 003's auto-recharge: charge the saved card when the available balance drops below the threshold. */
export type AutoRecharge = {
  __typename?: 'AutoRecharge';
  amountCents: Scalars['SafeInt']['output'];
  enabled: Scalars['Boolean']['output'];
  /** A charge is in flight (at most one per organization). */
  inFlight: Scalars['Boolean']['output'];
  lastFailedAt?: Maybe<Scalars['DateTime']['output']>;
  lastFailureReason?: Maybe<Scalars['String']['output']>;
  lastSucceededAt?: Maybe<Scalars['DateTime']['output']>;
  thresholdCents: Scalars['SafeInt']['output'];
};

export type AutoRechargeInput = {
  /** Amount charged per recharge, within the deposit bounds (1000–50000 cents). */
  amountCents: Scalars['SafeInt']['input'];
  enabled: Scalars['Boolean']['input'];
  /** Recharge fires when the available balance drops below this (0–10,000,000 cents). */
  thresholdCents: Scalars['SafeInt']['input'];
};

/** Prepaid balance, derived from the append-only ledger. */
export type Balance = {
  __typename?: 'Balance';
  /** Available balance in cents, rounded down (never shows money the organization does not have). */
  availableCents: Scalars['SafeInt']['output'];
  availableMicros: Scalars['SafeInt']['output'];
  currency: Scalars['String']['output'];
  /** Most recent transactions of the prepaid account with their cause, newest first (1–100). */
  recentEntries: Array<LedgerEntry>;
};


/** Prepaid balance, derived from the append-only ledger. */
export type BalanceRecentEntriesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

export type ChangePlanResult = {
  __typename?: 'ChangePlanResult';
  checkoutUrl?: Maybe<Scalars['String']['output']>;
  /** Stripe prorated the change. */
  prorated: Scalars['Boolean']['output'];
  /** changed, checkout_required, cancels_at_period_end or unchanged */
  status: Scalars['String']['output'];
  subscription: PlanSubscription;
};

export type CheckoutSession = {
  __typename?: 'CheckoutSession';
  sessionId: Scalars['ID']['output'];
  tier: Scalars['String']['output'];
  url: Scalars['String']['output'];
};

export type ConsumeCreditsInput = {
  /** What they pay for (1–100 characters). */
  action: Scalars['String']['input'];
  /** Credits to consume (1–1,000,000,000). */
  amount: Scalars['SafeInt']['input'];
  /** The caller's id of this consume: a retry with the same one consumes once. */
  referenceId?: InputMaybe<Scalars['String']['input']>;
};

export type ConsumeCreditsResult = {
  __typename?: 'ConsumeCreditsResult';
  /** Credits left. */
  balance: Scalars['SafeInt']['output'];
  consumed: Scalars['SafeInt']['output'];
  /** This referenceId was consumed before: nothing was consumed again. */
  duplicate: Scalars['Boolean']['output'];
  referenceId: Scalars['String']['output'];
  transactionId: Scalars['ID']['output'];
};

/** Seed 004's credit auto top-up: buy a package when credits drop below the threshold. */
export type CreditAutoTopup = {
  __typename?: 'CreditAutoTopup';
  enabled: Scalars['Boolean']['output'];
  inFlight: Scalars['Boolean']['output'];
  lastFailedAt?: Maybe<Scalars['DateTime']['output']>;
  lastFailureReason?: Maybe<Scalars['String']['output']>;
  lastSucceededAt?: Maybe<Scalars['DateTime']['output']>;
  maxMonthlyTopups?: Maybe<Scalars['Int']['output']>;
  packageSlug?: Maybe<Scalars['String']['output']>;
  /** The packages one can choose. */
  packages: Array<CreditPackage>;
  thresholdCredits: Scalars['SafeInt']['output'];
  topupsThisMonth: Scalars['Int']['output'];
};

export type CreditAutoTopupInput = {
  enabled: Scalars['Boolean']['input'];
  /** At most this many top-ups per calendar month (1–1000); null: no cap. */
  maxMonthlyTopups?: InputMaybe<Scalars['Int']['input']>;
  packageSlug: Scalars['String']['input'];
  thresholdCredits: Scalars['SafeInt']['input'];
};

export type CreditBalance = {
  __typename?: 'CreditBalance';
  credits: Scalars['SafeInt']['output'];
};

/** A token-credit package sold one at a time. */
export type CreditPackage = {
  __typename?: 'CreditPackage';
  bonusCredits: Scalars['SafeInt']['output'];
  credits: Scalars['SafeInt']['output'];
  name: Scalars['String']['output'];
  priceCents: Scalars['SafeInt']['output'];
  slug: Scalars['String']['output'];
};

export type CreditPaymentIntent = {
  __typename?: 'CreditPaymentIntent';
  amountCents: Scalars['SafeInt']['output'];
  clientSecret: Scalars['String']['output'];
  credits: Scalars['SafeInt']['output'];
  idempotencyKey: Scalars['String']['output'];
  packageSlug: Scalars['String']['output'];
  paymentIntentId: Scalars['ID']['output'];
  publishableKey?: Maybe<Scalars['String']['output']>;
};

export type CreditPaymentIntentInput = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  packageSlug: Scalars['String']['input'];
};

export type CreditTransaction = {
  __typename?: 'CreditTransaction';
  /** Positive for credits added, negative for credits consumed. */
  amount: Scalars['SafeInt']['output'];
  balanceAfter: Scalars['SafeInt']['output'];
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  referenceId?: Maybe<Scalars['String']['output']>;
  /** consume, purchase, bonus, grant, refund */
  type: Scalars['String']['output'];
};

export type CreditTransactionPage = {
  __typename?: 'CreditTransactionPage';
  items: Array<CreditTransaction>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type CurrentUsage = {
  __typename?: 'CurrentUsage';
  byGpu: Array<GpuUsage>;
  gpuHours: Scalars['Float']['output'];
  periodEnd: Scalars['DateTime']['output'];
  periodStart: Scalars['DateTime']['output'];
  totalCents: Scalars['SafeInt']['output'];
  totalMicros: Scalars['SafeInt']['output'];
};

export type DepositInput = {
  /** Amount to charge the saved card, in cents ($10–$500: 1000–50000). */
  amountCents: Scalars['SafeInt']['input'];
  /** Client-generated id of this logical deposit, reused verbatim on retry (Stripe's idempotency key). */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
};

/** A charge's outcome. The balance rises when Stripe confirms the payment (webhook), not with this answer. */
export type DepositResult = {
  __typename?: 'DepositResult';
  amountCents: Scalars['SafeInt']['output'];
  clientSecret?: Maybe<Scalars['String']['output']>;
  idempotencyKey: Scalars['String']['output'];
  paymentIntentId: Scalars['ID']['output'];
  /** The card needs the customer (3-D Secure): confirm with clientSecret in the browser. */
  requiresAction: Scalars['Boolean']['output'];
  /** Stripe's PaymentIntent status: succeeded, processing, requires_action, … */
  status: Scalars['String']['output'];
};

export type DowngradeCheck = {
  __typename?: 'DowngradeCheck';
  allowed: Scalars['Boolean']['output'];
  tier: Scalars['String']['output'];
  violations: Array<LimitViolation>;
};

export type GpuUsage = {
  __typename?: 'GpuUsage';
  amountMicros: Scalars['SafeInt']['output'];
  cents: Scalars['SafeInt']['output'];
  gpuModelId: Scalars['String']['output'];
  hours: Scalars['Float']['output'];
  tier?: Maybe<Scalars['String']['output']>;
};

export type JobUsage = {
  __typename?: 'JobUsage';
  amountCents: Scalars['SafeInt']['output'];
  amountMicros: Scalars['SafeInt']['output'];
  firstAt?: Maybe<Scalars['DateTime']['output']>;
  gpuHours: Scalars['Float']['output'];
  gpuSeconds: Scalars['SafeInt']['output'];
  jobId: Scalars['ID']['output'];
  lastAt?: Maybe<Scalars['DateTime']['output']>;
  records: Scalars['SafeInt']['output'];
};

export type LedgerAdjustmentInput = {
  /** Added to the prepaid balance (negative to take away); non-zero. */
  amountMicros: Scalars['SafeInt']['input'];
  /** A retry with the same key posts once. */
  idempotencyKey: Scalars['String']['input'];
  /** Why (3–500 characters); kept with the transaction and in the audit trail. */
  reason: Scalars['String']['input'];
};

export type LedgerCause = {
  __typename?: 'LedgerCause';
  id: Scalars['String']['output'];
  type: Scalars['String']['output'];
};

/** One ledger transaction as it moved the prepaid balance. */
export type LedgerEntry = {
  __typename?: 'LedgerEntry';
  /** Positive for credits (deposits), negative for debits (usage, refunds, disputes); truncated to whole cents. */
  amountCents: Scalars['SafeInt']['output'];
  amountMicros: Scalars['SafeInt']['output'];
  /** What caused it: a Stripe payment, a usage event, a manual adjustment. */
  cause?: Maybe<LedgerCause>;
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** deposit, usage, refund, dispute, dispute_won, adjustment */
  kind: Scalars['String']['output'];
};

export type LimitViolation = {
  __typename?: 'LimitViolation';
  allowed: Scalars['SafeInt']['output'];
  current: Scalars['SafeInt']['output'];
  limit: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Internal: handle a batch for one of this subgraph's event consumers; answers { processed, failed }. */
  _consumeEvents?: Maybe<Scalars['JSON']['output']>;
  /** 422 plan_limits_exceeded when this month's usage exceeds the target's limits. */
  changePlan: ChangePlanResult;
  /** Atomic: 402 insufficient_credits when the balance is short, never below zero. */
  consumeCredits: ConsumeCreditsResult;
  createCheckoutSession: CheckoutSession;
  createCreditPaymentIntent: CreditPaymentIntent;
  createPortalSession: PortalSession;
  createSetupIntent: SetupIntentResult;
  deposit: DepositResult;
  /** Platform administrators only: a manual, audited correction of an organization's prepaid balance. */
  postLedgerAdjustment: LedgerEntry;
  /** Stripe's webhook (public; the Stripe-Signature over the raw body is the credential). */
  receiveStripeWebhook: WebhookReceipt;
  removePaymentMethod: Scalars['Boolean']['output'];
  setAutoRecharge: AutoRecharge;
  setCreditAutoTopup: CreditAutoTopup;
  validateDowngrade: DowngradeCheck;
};


export type Mutation_ConsumeEventsArgs = {
  consumer: Scalars['String']['input'];
  events: Scalars['JSON']['input'];
};


export type MutationChangePlanArgs = {
  input: PlanTierInput;
  orgId: Scalars['ID']['input'];
};


export type MutationConsumeCreditsArgs = {
  input: ConsumeCreditsInput;
  orgId: Scalars['ID']['input'];
};


export type MutationCreateCheckoutSessionArgs = {
  input: PlanTierInput;
  orgId: Scalars['ID']['input'];
};


export type MutationCreateCreditPaymentIntentArgs = {
  input: CreditPaymentIntentInput;
  orgId: Scalars['ID']['input'];
};


export type MutationCreatePortalSessionArgs = {
  orgId: Scalars['ID']['input'];
};


export type MutationCreateSetupIntentArgs = {
  orgId: Scalars['ID']['input'];
};


export type MutationDepositArgs = {
  input: DepositInput;
  orgId: Scalars['ID']['input'];
};


export type MutationPostLedgerAdjustmentArgs = {
  input: LedgerAdjustmentInput;
  orgId: Scalars['ID']['input'];
};


export type MutationReceiveStripeWebhookArgs = {
  payload: Scalars['String']['input'];
  signature: Scalars['String']['input'];
};


export type MutationRemovePaymentMethodArgs = {
  orgId: Scalars['ID']['input'];
  paymentMethodId: Scalars['ID']['input'];
};


export type MutationSetAutoRechargeArgs = {
  input: AutoRechargeInput;
  orgId: Scalars['ID']['input'];
};


export type MutationSetCreditAutoTopupArgs = {
  input: CreditAutoTopupInput;
  orgId: Scalars['ID']['input'];
};


export type MutationValidateDowngradeArgs = {
  input: PlanTierInput;
  orgId: Scalars['ID']['input'];
};

export type Organization = {
  __typename?: 'Organization';
  balance: Balance;
  id: Scalars['ID']['output'];
};

/** A saved card: brand, last four digits and expiry only. */
export type PaymentMethod = {
  __typename?: 'PaymentMethod';
  brand: Scalars['String']['output'];
  expMonth: Scalars['Int']['output'];
  expYear: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  /** The card deposits and automatic top-ups charge. */
  isDefault: Scalars['Boolean']['output'];
  last4: Scalars['String']['output'];
};

export type PlanLimits = {
  __typename?: 'PlanLimits';
  aiCalls?: Maybe<Scalars['SafeInt']['output']>;
  gpuHours?: Maybe<Scalars['Int']['output']>;
  /** Metered usage per month in cents; null: unlimited. */
  monthlyUsageCents?: Maybe<Scalars['SafeInt']['output']>;
};

export type PlanPricing = {
  __typename?: 'PlanPricing';
  /** What one credit costs at list price (the smallest package). */
  creditListPriceMicros: Scalars['SafeInt']['output'];
  creditPackages: Array<CreditPackage>;
  currency: Scalars['String']['output'];
  depositMaxCents: Scalars['SafeInt']['output'];
  depositMinCents: Scalars['SafeInt']['output'];
  tiers: Array<PlanTier>;
};

export type PlanSubscription = {
  __typename?: 'PlanSubscription';
  cancelAtPeriodEnd: Scalars['Boolean']['output'];
  currentPeriodEnd?: Maybe<Scalars['DateTime']['output']>;
  currentPeriodStart?: Maybe<Scalars['DateTime']['output']>;
  /** Stripe's status (active, trialing, past_due, canceled, …) or none (the free plan). */
  status: Scalars['String']['output'];
  stripeSubscriptionId?: Maybe<Scalars['String']['output']>;
  tier: Scalars['String']['output'];
};

export type PlanSummary = {
  __typename?: 'PlanSummary';
  credits: Scalars['SafeInt']['output'];
  periodEnd: Scalars['DateTime']['output'];
  periodStart: Scalars['DateTime']['output'];
  status: Scalars['String']['output'];
  tier: PlanTier;
  usage: PlanUsage;
  /** Limits this month's usage already exceeds. */
  violations: Array<LimitViolation>;
};

export type PlanTier = {
  __typename?: 'PlanTier';
  features: Array<Scalars['String']['output']>;
  includedCreditsPerMonth: Scalars['SafeInt']['output'];
  limits: PlanLimits;
  name: Scalars['String']['output'];
  priceCentsPerMonth: Scalars['SafeInt']['output'];
  slug: Scalars['String']['output'];
};

export type PlanTierInput = {
  /** free, pro, team or enterprise */
  tier: Scalars['String']['input'];
};

export type PlanUsage = {
  __typename?: 'PlanUsage';
  aiCalls: Scalars['SafeInt']['output'];
  gpuHours: Scalars['Float']['output'];
  monthlyUsageCents: Scalars['SafeInt']['output'];
};

export type PortalSession = {
  __typename?: 'PortalSession';
  url: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Usage records attributed to one API key, newest first. */
  apiKeyUsage: UsageRecordPage;
  autoRecharge: AutoRecharge;
  /** Tiers, credit packages and deposit bounds (public). */
  billingPricing: PlanPricing;
  /** Subscription tiers (public). */
  billingTiers: Array<PlanTier>;
  creditAutoTopup: CreditAutoTopup;
  creditBalance: CreditBalance;
  /** Newest first; type: consume, purchase, bonus, grant or refund. */
  creditTransactions: CreditTransactionPage;
  /** This calendar month (UTC): cents, GPU hours and the breakdown per GPU model and tier. */
  currentUsage: CurrentUsage;
  /** A job's cost roll-up over its usage records (orgId defaults to the API key's organization). */
  jobUsage: JobUsage;
  paymentMethods: Array<PaymentMethod>;
  planSummary: PlanSummary;
  subscription: PlanSubscription;
  /** Usage records, newest first. */
  usageRecords: UsageRecordPage;
  /** Usage over [from, to) (default: this calendar month, UTC) with breakdowns. */
  usageSummary: UsageSummary;
};


export type QueryApiKeyUsageArgs = {
  apiKeyId: Scalars['ID']['input'];
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryAutoRechargeArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryCreditAutoTopupArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryCreditBalanceArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryCreditTransactionsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  type?: InputMaybe<Scalars['String']['input']>;
};


export type QueryCurrentUsageArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryJobUsageArgs = {
  jobId: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryPaymentMethodsArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryPlanSummaryArgs = {
  orgId: Scalars['ID']['input'];
};


export type QuerySubscriptionArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryUsageRecordsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  source?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryUsageSummaryArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  orgId: Scalars['ID']['input'];
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

/** Membership roles, weakest first. */
export type Role =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER'
  | 'VIEWER';

/** Start saving a card with Stripe Elements. */
export type SetupIntentResult = {
  __typename?: 'SetupIntentResult';
  clientSecret: Scalars['String']['output'];
  publishableKey?: Maybe<Scalars['String']['output']>;
  setupIntentId: Scalars['ID']['output'];
};

export type UsageByModel = {
  __typename?: 'UsageByModel';
  amountCents: Scalars['SafeInt']['output'];
  amountMicros: Scalars['SafeInt']['output'];
  /** The AI model, or the GPU model. */
  model?: Maybe<Scalars['String']['output']>;
  quantity: Scalars['SafeInt']['output'];
  records: Scalars['SafeInt']['output'];
  source: Scalars['String']['output'];
  tier?: Maybe<Scalars['String']['output']>;
};

export type UsageBySource = {
  __typename?: 'UsageBySource';
  amountCents: Scalars['SafeInt']['output'];
  amountMicros: Scalars['SafeInt']['output'];
  quantity: Scalars['SafeInt']['output'];
  records: Scalars['SafeInt']['output'];
  source: Scalars['String']['output'];
};

export type UsageByUnit = {
  __typename?: 'UsageByUnit';
  amountCents: Scalars['SafeInt']['output'];
  amountMicros: Scalars['SafeInt']['output'];
  quantity: Scalars['SafeInt']['output'];
  records: Scalars['SafeInt']['output'];
  unit: Scalars['String']['output'];
};

export type UsageLine = {
  __typename?: 'UsageLine';
  amountCents: Scalars['SafeInt']['output'];
  amountMicros: Scalars['SafeInt']['output'];
  quantity: Scalars['SafeInt']['output'];
  records: Scalars['SafeInt']['output'];
};

/** One metered usage event (usage.recorded). */
export type UsageRecord = {
  __typename?: 'UsageRecord';
  amountCents: Scalars['SafeInt']['output'];
  amountMicros: Scalars['SafeInt']['output'];
  apiKeyId?: Maybe<Scalars['String']['output']>;
  gpuCount?: Maybe<Scalars['Int']['output']>;
  gpuModelId?: Maybe<Scalars['String']['output']>;
  /** The usage event's id. */
  id: Scalars['ID']['output'];
  jobId?: Maybe<Scalars['String']['output']>;
  model?: Maybe<Scalars['String']['output']>;
  periodEnd: Scalars['DateTime']['output'];
  periodStart: Scalars['DateTime']['output'];
  quantity: Scalars['SafeInt']['output'];
  recordedAt: Scalars['DateTime']['output'];
  resourceId: Scalars['String']['output'];
  resourceType: Scalars['String']['output'];
  /** vm, replica, job or ai */
  source: Scalars['String']['output'];
  tier?: Maybe<Scalars['String']['output']>;
  /** gpu_second, second, token or call */
  unit: Scalars['String']['output'];
  usageId: Scalars['String']['output'];
  workflowId?: Maybe<Scalars['String']['output']>;
};

export type UsageRecordPage = {
  __typename?: 'UsageRecordPage';
  items: Array<UsageRecord>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type UsageSummary = {
  __typename?: 'UsageSummary';
  byModel: Array<UsageByModel>;
  bySource: Array<UsageBySource>;
  byUnit: Array<UsageByUnit>;
  from: Scalars['DateTime']['output'];
  to: Scalars['DateTime']['output'];
  total: UsageLine;
};

export type WebhookReceipt = {
  __typename?: 'WebhookReceipt';
  /** This event id was processed before: nothing was done again. */
  duplicate: Scalars['Boolean']['output'];
  eventId: Scalars['String']['output'];
  received: Scalars['Boolean']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Organization: Organization;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Organization:
    ( { __typename: 'Organization' }
    & GraphQLRecursivePick<FederationTypes['Organization'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AutoRecharge: ResolverTypeWrapper<Partial<AutoRecharge>>;
  Boolean: ResolverTypeWrapper<Partial<Scalars['Boolean']['output']>>;
  AutoRechargeInput: ResolverTypeWrapper<Partial<AutoRechargeInput>>;
  Balance: ResolverTypeWrapper<BalanceView>;
  Int: ResolverTypeWrapper<Partial<Scalars['Int']['output']>>;
  ChangePlanResult: ResolverTypeWrapper<Partial<ChangePlanResult>>;
  CheckoutSession: ResolverTypeWrapper<Partial<CheckoutSession>>;
  ID: ResolverTypeWrapper<Partial<Scalars['ID']['output']>>;
  ConsumeCreditsInput: ResolverTypeWrapper<Partial<ConsumeCreditsInput>>;
  ConsumeCreditsResult: ResolverTypeWrapper<Partial<ConsumeCreditsResult>>;
  CreditAutoTopup: ResolverTypeWrapper<Partial<CreditAutoTopup>>;
  CreditAutoTopupInput: ResolverTypeWrapper<Partial<CreditAutoTopupInput>>;
  CreditBalance: ResolverTypeWrapper<Partial<CreditBalance>>;
  CreditPackage: ResolverTypeWrapper<Partial<CreditPackage>>;
  CreditPaymentIntent: ResolverTypeWrapper<Partial<CreditPaymentIntent>>;
  CreditPaymentIntentInput: ResolverTypeWrapper<Partial<CreditPaymentIntentInput>>;
  CreditTransaction: ResolverTypeWrapper<Partial<CreditTransaction>>;
  CreditTransactionPage: ResolverTypeWrapper<Partial<CreditTransactionPage>>;
  CurrentUsage: ResolverTypeWrapper<Partial<CurrentUsage>>;
  Float: ResolverTypeWrapper<Partial<Scalars['Float']['output']>>;
  DateTime: ResolverTypeWrapper<Partial<Scalars['DateTime']['output']>>;
  DepositInput: ResolverTypeWrapper<Partial<DepositInput>>;
  DepositResult: ResolverTypeWrapper<Partial<DepositResult>>;
  DowngradeCheck: ResolverTypeWrapper<Partial<DowngradeCheck>>;
  GpuUsage: ResolverTypeWrapper<Partial<GpuUsage>>;
  JSON: ResolverTypeWrapper<Partial<Scalars['JSON']['output']>>;
  JobUsage: ResolverTypeWrapper<Partial<JobUsage>>;
  LedgerAdjustmentInput: ResolverTypeWrapper<Partial<LedgerAdjustmentInput>>;
  LedgerCause: ResolverTypeWrapper<Partial<LedgerCause>>;
  LedgerEntry: ResolverTypeWrapper<Partial<LedgerEntry>>;
  LimitViolation: ResolverTypeWrapper<Partial<LimitViolation>>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Organization: ResolverTypeWrapper<OrganizationRef>;
  PaymentMethod: ResolverTypeWrapper<Partial<PaymentMethod>>;
  PlanLimits: ResolverTypeWrapper<Partial<PlanLimits>>;
  PlanPricing: ResolverTypeWrapper<Partial<PlanPricing>>;
  PlanSubscription: ResolverTypeWrapper<Partial<PlanSubscription>>;
  PlanSummary: ResolverTypeWrapper<Partial<PlanSummary>>;
  PlanTier: ResolverTypeWrapper<Partial<PlanTier>>;
  PlanTierInput: ResolverTypeWrapper<Partial<PlanTierInput>>;
  PlanUsage: ResolverTypeWrapper<Partial<PlanUsage>>;
  PortalSession: ResolverTypeWrapper<Partial<PortalSession>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Role: ResolverTypeWrapper<Partial<Role>>;
  SafeInt: ResolverTypeWrapper<Partial<Scalars['SafeInt']['output']>>;
  SetupIntentResult: ResolverTypeWrapper<Partial<SetupIntentResult>>;
  UsageByModel: ResolverTypeWrapper<Partial<UsageByModel>>;
  UsageBySource: ResolverTypeWrapper<Partial<UsageBySource>>;
  UsageByUnit: ResolverTypeWrapper<Partial<UsageByUnit>>;
  UsageLine: ResolverTypeWrapper<Partial<UsageLine>>;
  UsageRecord: ResolverTypeWrapper<Partial<UsageRecord>>;
  UsageRecordPage: ResolverTypeWrapper<Partial<UsageRecordPage>>;
  UsageSummary: ResolverTypeWrapper<Partial<UsageSummary>>;
  WebhookReceipt: ResolverTypeWrapper<Partial<WebhookReceipt>>;
  String: ResolverTypeWrapper<Partial<Scalars['String']['output']>>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AutoRecharge: Partial<AutoRecharge>;
  Boolean: Partial<Scalars['Boolean']['output']>;
  AutoRechargeInput: Partial<AutoRechargeInput>;
  Balance: BalanceView;
  Int: Partial<Scalars['Int']['output']>;
  ChangePlanResult: Partial<ChangePlanResult>;
  CheckoutSession: Partial<CheckoutSession>;
  ID: Partial<Scalars['ID']['output']>;
  ConsumeCreditsInput: Partial<ConsumeCreditsInput>;
  ConsumeCreditsResult: Partial<ConsumeCreditsResult>;
  CreditAutoTopup: Partial<CreditAutoTopup>;
  CreditAutoTopupInput: Partial<CreditAutoTopupInput>;
  CreditBalance: Partial<CreditBalance>;
  CreditPackage: Partial<CreditPackage>;
  CreditPaymentIntent: Partial<CreditPaymentIntent>;
  CreditPaymentIntentInput: Partial<CreditPaymentIntentInput>;
  CreditTransaction: Partial<CreditTransaction>;
  CreditTransactionPage: Partial<CreditTransactionPage>;
  CurrentUsage: Partial<CurrentUsage>;
  Float: Partial<Scalars['Float']['output']>;
  DateTime: Partial<Scalars['DateTime']['output']>;
  DepositInput: Partial<DepositInput>;
  DepositResult: Partial<DepositResult>;
  DowngradeCheck: Partial<DowngradeCheck>;
  GpuUsage: Partial<GpuUsage>;
  JSON: Partial<Scalars['JSON']['output']>;
  JobUsage: Partial<JobUsage>;
  LedgerAdjustmentInput: Partial<LedgerAdjustmentInput>;
  LedgerCause: Partial<LedgerCause>;
  LedgerEntry: Partial<LedgerEntry>;
  LimitViolation: Partial<LimitViolation>;
  Mutation: Record<PropertyKey, never>;
  Organization: OrganizationRef;
  PaymentMethod: Partial<PaymentMethod>;
  PlanLimits: Partial<PlanLimits>;
  PlanPricing: Partial<PlanPricing>;
  PlanSubscription: Partial<PlanSubscription>;
  PlanSummary: Partial<PlanSummary>;
  PlanTier: Partial<PlanTier>;
  PlanTierInput: Partial<PlanTierInput>;
  PlanUsage: Partial<PlanUsage>;
  PortalSession: Partial<PortalSession>;
  Query: Record<PropertyKey, never>;
  SafeInt: Partial<Scalars['SafeInt']['output']>;
  SetupIntentResult: Partial<SetupIntentResult>;
  UsageByModel: Partial<UsageByModel>;
  UsageBySource: Partial<UsageBySource>;
  UsageByUnit: Partial<UsageByUnit>;
  UsageLine: Partial<UsageLine>;
  UsageRecord: Partial<UsageRecord>;
  UsageRecordPage: Partial<UsageRecordPage>;
  UsageSummary: Partial<UsageSummary>;
  WebhookReceipt: Partial<WebhookReceipt>;
  String: Partial<Scalars['String']['output']>;
}>;

export type AuthzDirectiveArgs = {
  org?: Maybe<Scalars['String']['input']>;
  permission?: Maybe<Scalars['String']['input']>;
  workflow?: Maybe<Scalars['String']['input']>;
};

export type AuthzDirectiveResolver<Result, Parent, ContextType = BillingContext, Args = AuthzDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type PublicDirectiveArgs = { };

export type PublicDirectiveResolver<Result, Parent, ContextType = BillingContext, Args = PublicDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AutoRechargeResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['AutoRecharge'] = ResolversParentTypes['AutoRecharge']> = ResolversObject<{
  amountCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  inFlight?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  lastFailedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lastFailureReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastSucceededAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  thresholdCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type BalanceResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['Balance'] = ResolversParentTypes['Balance']> = ResolversObject<{
  availableCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  availableMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  recentEntries?: Resolver<Array<ResolversTypes['LedgerEntry']>, ParentType, ContextType, RequireFields<BalanceRecentEntriesArgs, 'limit'>>;
}>;

export type ChangePlanResultResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['ChangePlanResult'] = ResolversParentTypes['ChangePlanResult']> = ResolversObject<{
  checkoutUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  prorated?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  subscription?: Resolver<ResolversTypes['PlanSubscription'], ParentType, ContextType>;
}>;

export type CheckoutSessionResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['CheckoutSession'] = ResolversParentTypes['CheckoutSession']> = ResolversObject<{
  sessionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ConsumeCreditsResultResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['ConsumeCreditsResult'] = ResolversParentTypes['ConsumeCreditsResult']> = ResolversObject<{
  balance?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  consumed?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  duplicate?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  referenceId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  transactionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type CreditAutoTopupResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['CreditAutoTopup'] = ResolversParentTypes['CreditAutoTopup']> = ResolversObject<{
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  inFlight?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  lastFailedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lastFailureReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastSucceededAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  maxMonthlyTopups?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  packageSlug?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  packages?: Resolver<Array<ResolversTypes['CreditPackage']>, ParentType, ContextType>;
  thresholdCredits?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  topupsThisMonth?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type CreditBalanceResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['CreditBalance'] = ResolversParentTypes['CreditBalance']> = ResolversObject<{
  credits?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type CreditPackageResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['CreditPackage'] = ResolversParentTypes['CreditPackage']> = ResolversObject<{
  bonusCredits?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  credits?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  priceCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  slug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CreditPaymentIntentResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['CreditPaymentIntent'] = ResolversParentTypes['CreditPaymentIntent']> = ResolversObject<{
  amountCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  clientSecret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  credits?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  idempotencyKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  packageSlug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  paymentIntentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  publishableKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type CreditTransactionResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['CreditTransaction'] = ResolversParentTypes['CreditTransaction']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  balanceAfter?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  referenceId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CreditTransactionPageResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['CreditTransactionPage'] = ResolversParentTypes['CreditTransactionPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['CreditTransaction']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type CurrentUsageResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['CurrentUsage'] = ResolversParentTypes['CurrentUsage']> = ResolversObject<{
  byGpu?: Resolver<Array<ResolversTypes['GpuUsage']>, ParentType, ContextType>;
  gpuHours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  periodEnd?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  periodStart?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  totalCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  totalMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DepositResultResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['DepositResult'] = ResolversParentTypes['DepositResult']> = ResolversObject<{
  amountCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  clientSecret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  idempotencyKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  paymentIntentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  requiresAction?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type DowngradeCheckResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['DowngradeCheck'] = ResolversParentTypes['DowngradeCheck']> = ResolversObject<{
  allowed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  violations?: Resolver<Array<ResolversTypes['LimitViolation']>, ParentType, ContextType>;
}>;

export type GpuUsageResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['GpuUsage'] = ResolversParentTypes['GpuUsage']> = ResolversObject<{
  amountMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  cents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  gpuModelId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  hours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  tier?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type JobUsageResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['JobUsage'] = ResolversParentTypes['JobUsage']> = ResolversObject<{
  amountCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  amountMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  firstAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  gpuHours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  gpuSeconds?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  jobId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  records?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type LedgerCauseResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['LedgerCause'] = ResolversParentTypes['LedgerCause']> = ResolversObject<{
  id?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type LedgerEntryResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['LedgerEntry'] = ResolversParentTypes['LedgerEntry']> = ResolversObject<{
  amountCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  amountMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  cause?: Resolver<Maybe<ResolversTypes['LedgerCause']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type LimitViolationResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['LimitViolation'] = ResolversParentTypes['LimitViolation']> = ResolversObject<{
  allowed?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  current?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  limit?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  _consumeEvents?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Mutation_ConsumeEventsArgs, 'consumer' | 'events'>>;
  changePlan?: Resolver<ResolversTypes['ChangePlanResult'], ParentType, ContextType, RequireFields<MutationChangePlanArgs, 'input' | 'orgId'>>;
  consumeCredits?: Resolver<ResolversTypes['ConsumeCreditsResult'], ParentType, ContextType, RequireFields<MutationConsumeCreditsArgs, 'input' | 'orgId'>>;
  createCheckoutSession?: Resolver<ResolversTypes['CheckoutSession'], ParentType, ContextType, RequireFields<MutationCreateCheckoutSessionArgs, 'input' | 'orgId'>>;
  createCreditPaymentIntent?: Resolver<ResolversTypes['CreditPaymentIntent'], ParentType, ContextType, RequireFields<MutationCreateCreditPaymentIntentArgs, 'input' | 'orgId'>>;
  createPortalSession?: Resolver<ResolversTypes['PortalSession'], ParentType, ContextType, RequireFields<MutationCreatePortalSessionArgs, 'orgId'>>;
  createSetupIntent?: Resolver<ResolversTypes['SetupIntentResult'], ParentType, ContextType, RequireFields<MutationCreateSetupIntentArgs, 'orgId'>>;
  deposit?: Resolver<ResolversTypes['DepositResult'], ParentType, ContextType, RequireFields<MutationDepositArgs, 'input' | 'orgId'>>;
  postLedgerAdjustment?: Resolver<ResolversTypes['LedgerEntry'], ParentType, ContextType, RequireFields<MutationPostLedgerAdjustmentArgs, 'input' | 'orgId'>>;
  receiveStripeWebhook?: Resolver<ResolversTypes['WebhookReceipt'], ParentType, ContextType, RequireFields<MutationReceiveStripeWebhookArgs, 'payload' | 'signature'>>;
  removePaymentMethod?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRemovePaymentMethodArgs, 'orgId' | 'paymentMethodId'>>;
  setAutoRecharge?: Resolver<ResolversTypes['AutoRecharge'], ParentType, ContextType, RequireFields<MutationSetAutoRechargeArgs, 'input' | 'orgId'>>;
  setCreditAutoTopup?: Resolver<ResolversTypes['CreditAutoTopup'], ParentType, ContextType, RequireFields<MutationSetCreditAutoTopupArgs, 'input' | 'orgId'>>;
  validateDowngrade?: Resolver<ResolversTypes['DowngradeCheck'], ParentType, ContextType, RequireFields<MutationValidateDowngradeArgs, 'input' | 'orgId'>>;
}>;

export type OrganizationResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  balance?: Resolver<ResolversTypes['Balance'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type PaymentMethodResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['PaymentMethod'] = ResolversParentTypes['PaymentMethod']> = ResolversObject<{
  brand?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expMonth?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  expYear?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isDefault?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  last4?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PlanLimitsResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['PlanLimits'] = ResolversParentTypes['PlanLimits']> = ResolversObject<{
  aiCalls?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  gpuHours?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  monthlyUsageCents?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
}>;

export type PlanPricingResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['PlanPricing'] = ResolversParentTypes['PlanPricing']> = ResolversObject<{
  creditListPriceMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  creditPackages?: Resolver<Array<ResolversTypes['CreditPackage']>, ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  depositMaxCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  depositMinCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  tiers?: Resolver<Array<ResolversTypes['PlanTier']>, ParentType, ContextType>;
}>;

export type PlanSubscriptionResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['PlanSubscription'] = ResolversParentTypes['PlanSubscription']> = ResolversObject<{
  cancelAtPeriodEnd?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  currentPeriodEnd?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  currentPeriodStart?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  stripeSubscriptionId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PlanSummaryResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['PlanSummary'] = ResolversParentTypes['PlanSummary']> = ResolversObject<{
  credits?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  periodEnd?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  periodStart?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['PlanTier'], ParentType, ContextType>;
  usage?: Resolver<ResolversTypes['PlanUsage'], ParentType, ContextType>;
  violations?: Resolver<Array<ResolversTypes['LimitViolation']>, ParentType, ContextType>;
}>;

export type PlanTierResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['PlanTier'] = ResolversParentTypes['PlanTier']> = ResolversObject<{
  features?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  includedCreditsPerMonth?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  limits?: Resolver<ResolversTypes['PlanLimits'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  priceCentsPerMonth?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  slug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PlanUsageResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['PlanUsage'] = ResolversParentTypes['PlanUsage']> = ResolversObject<{
  aiCalls?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  gpuHours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  monthlyUsageCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type PortalSessionResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['PortalSession'] = ResolversParentTypes['PortalSession']> = ResolversObject<{
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  apiKeyUsage?: Resolver<ResolversTypes['UsageRecordPage'], ParentType, ContextType, RequireFields<QueryApiKeyUsageArgs, 'apiKeyId' | 'orgId'>>;
  autoRecharge?: Resolver<ResolversTypes['AutoRecharge'], ParentType, ContextType, RequireFields<QueryAutoRechargeArgs, 'orgId'>>;
  billingPricing?: Resolver<ResolversTypes['PlanPricing'], ParentType, ContextType>;
  billingTiers?: Resolver<Array<ResolversTypes['PlanTier']>, ParentType, ContextType>;
  creditAutoTopup?: Resolver<ResolversTypes['CreditAutoTopup'], ParentType, ContextType, RequireFields<QueryCreditAutoTopupArgs, 'orgId'>>;
  creditBalance?: Resolver<ResolversTypes['CreditBalance'], ParentType, ContextType, RequireFields<QueryCreditBalanceArgs, 'orgId'>>;
  creditTransactions?: Resolver<ResolversTypes['CreditTransactionPage'], ParentType, ContextType, RequireFields<QueryCreditTransactionsArgs, 'orgId'>>;
  currentUsage?: Resolver<ResolversTypes['CurrentUsage'], ParentType, ContextType, RequireFields<QueryCurrentUsageArgs, 'orgId'>>;
  jobUsage?: Resolver<ResolversTypes['JobUsage'], ParentType, ContextType, RequireFields<QueryJobUsageArgs, 'jobId'>>;
  paymentMethods?: Resolver<Array<ResolversTypes['PaymentMethod']>, ParentType, ContextType, RequireFields<QueryPaymentMethodsArgs, 'orgId'>>;
  planSummary?: Resolver<ResolversTypes['PlanSummary'], ParentType, ContextType, RequireFields<QueryPlanSummaryArgs, 'orgId'>>;
  subscription?: Resolver<ResolversTypes['PlanSubscription'], ParentType, ContextType, RequireFields<QuerySubscriptionArgs, 'orgId'>>;
  usageRecords?: Resolver<ResolversTypes['UsageRecordPage'], ParentType, ContextType, RequireFields<QueryUsageRecordsArgs, 'orgId'>>;
  usageSummary?: Resolver<ResolversTypes['UsageSummary'], ParentType, ContextType, RequireFields<QueryUsageSummaryArgs, 'orgId'>>;
}>;

export interface SafeIntScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['SafeInt'], any> {
  name: 'SafeInt';
}

export type SetupIntentResultResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['SetupIntentResult'] = ResolversParentTypes['SetupIntentResult']> = ResolversObject<{
  clientSecret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  publishableKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  setupIntentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type UsageByModelResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['UsageByModel'] = ResolversParentTypes['UsageByModel']> = ResolversObject<{
  amountCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  amountMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  records?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tier?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type UsageBySourceResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['UsageBySource'] = ResolversParentTypes['UsageBySource']> = ResolversObject<{
  amountCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  amountMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  records?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type UsageByUnitResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['UsageByUnit'] = ResolversParentTypes['UsageByUnit']> = ResolversObject<{
  amountCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  amountMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  records?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  unit?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type UsageLineResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['UsageLine'] = ResolversParentTypes['UsageLine']> = ResolversObject<{
  amountCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  amountMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  records?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type UsageRecordResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['UsageRecord'] = ResolversParentTypes['UsageRecord']> = ResolversObject<{
  amountCents?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  amountMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  apiKeyId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  gpuCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  gpuModelId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  jobId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  periodEnd?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  periodStart?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  recordedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  resourceId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  resourceType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tier?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  unit?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  usageId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type UsageRecordPageResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['UsageRecordPage'] = ResolversParentTypes['UsageRecordPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['UsageRecord']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type UsageSummaryResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['UsageSummary'] = ResolversParentTypes['UsageSummary']> = ResolversObject<{
  byModel?: Resolver<Array<ResolversTypes['UsageByModel']>, ParentType, ContextType>;
  bySource?: Resolver<Array<ResolversTypes['UsageBySource']>, ParentType, ContextType>;
  byUnit?: Resolver<Array<ResolversTypes['UsageByUnit']>, ParentType, ContextType>;
  from?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['UsageLine'], ParentType, ContextType>;
}>;

export type WebhookReceiptResolvers<ContextType = BillingContext, ParentType extends ResolversParentTypes['WebhookReceipt'] = ResolversParentTypes['WebhookReceipt']> = ResolversObject<{
  duplicate?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  received?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = BillingContext> = ResolversObject<{
  AutoRecharge?: AutoRechargeResolvers<ContextType>;
  Balance?: BalanceResolvers<ContextType>;
  ChangePlanResult?: ChangePlanResultResolvers<ContextType>;
  CheckoutSession?: CheckoutSessionResolvers<ContextType>;
  ConsumeCreditsResult?: ConsumeCreditsResultResolvers<ContextType>;
  CreditAutoTopup?: CreditAutoTopupResolvers<ContextType>;
  CreditBalance?: CreditBalanceResolvers<ContextType>;
  CreditPackage?: CreditPackageResolvers<ContextType>;
  CreditPaymentIntent?: CreditPaymentIntentResolvers<ContextType>;
  CreditTransaction?: CreditTransactionResolvers<ContextType>;
  CreditTransactionPage?: CreditTransactionPageResolvers<ContextType>;
  CurrentUsage?: CurrentUsageResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DepositResult?: DepositResultResolvers<ContextType>;
  DowngradeCheck?: DowngradeCheckResolvers<ContextType>;
  GpuUsage?: GpuUsageResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  JobUsage?: JobUsageResolvers<ContextType>;
  LedgerCause?: LedgerCauseResolvers<ContextType>;
  LedgerEntry?: LedgerEntryResolvers<ContextType>;
  LimitViolation?: LimitViolationResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  PaymentMethod?: PaymentMethodResolvers<ContextType>;
  PlanLimits?: PlanLimitsResolvers<ContextType>;
  PlanPricing?: PlanPricingResolvers<ContextType>;
  PlanSubscription?: PlanSubscriptionResolvers<ContextType>;
  PlanSummary?: PlanSummaryResolvers<ContextType>;
  PlanTier?: PlanTierResolvers<ContextType>;
  PlanUsage?: PlanUsageResolvers<ContextType>;
  PortalSession?: PortalSessionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SafeInt?: GraphQLScalarType;
  SetupIntentResult?: SetupIntentResultResolvers<ContextType>;
  UsageByModel?: UsageByModelResolvers<ContextType>;
  UsageBySource?: UsageBySourceResolvers<ContextType>;
  UsageByUnit?: UsageByUnitResolvers<ContextType>;
  UsageLine?: UsageLineResolvers<ContextType>;
  UsageRecord?: UsageRecordResolvers<ContextType>;
  UsageRecordPage?: UsageRecordPageResolvers<ContextType>;
  UsageSummary?: UsageSummaryResolvers<ContextType>;
  WebhookReceipt?: WebhookReceiptResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = BillingContext> = ResolversObject<{
  authz?: AuthzDirectiveResolver<any, any, ContextType>;
  public?: PublicDirectiveResolver<any, any, ContextType>;
}>;
