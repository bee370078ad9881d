/** Billing resolvers: translate GraphQL to service calls. */
import { requireOrgAccess } from '../../kernel/authz.ts';
import { invalidField } from '../../kernel/errors.ts';
import type { Resolvers } from './generated/resolvers.ts';

export const resolvers: Resolvers = {
  Organization: {
    __resolveReference: (ref) => ({ id: ref.id }),
    balance: (org, _, ctx) => ctx.ledger.balance(org.id),
  },
  Balance: {
    recentEntries: (balance, args, ctx) => ctx.ledger.recent(balance.orgId, args.limit),
  },
  Query: {
    billingTiers: (_, __, ctx) => [...ctx.plans.tiers()],
    billingPricing: (_, __, ctx) => {
      const pricing = ctx.plans.pricing();
      return { ...pricing, tiers: [...pricing.tiers], creditPackages: [...pricing.creditPackages] };
    },
    paymentMethods: (_, args, ctx) => ctx.payments.paymentMethods(args.orgId),
    autoRecharge: (_, args, ctx) => ctx.topups.autoRecharge(args.orgId),
    creditAutoTopup: async (_, args, ctx) => {
      const view = await ctx.topups.creditAutoTopup(args.orgId);
      return { ...view, packages: [...view.packages] };
    },
    creditBalance: (_, args, ctx) => ctx.credits.balance(args.orgId),
    creditTransactions: (_, args, ctx) => ctx.credits.transactions(args.orgId, args),
    subscription: (_, args, ctx) => ctx.plans.subscription(args.orgId),
    planSummary: (_, args, ctx) => ctx.plans.summary(args.orgId),
    usageSummary: (_, args, ctx) => ctx.usage.summary(args.orgId, args),
    usageRecords: (_, args, ctx) => ctx.usage.records(args.orgId, args),
    jobUsage: (_, args, ctx) => {
      const orgId = args.orgId ?? ctx.principal.orgId;
      if (!orgId) throw invalidField('orgId', 'orgId is required (the API key’s organization by default)');
      requireOrgAccess(ctx.principal, orgId, 'Job', 'admin');
      return ctx.usage.job(orgId, args.jobId);
    },
    apiKeyUsage: (_, args, ctx) => ctx.usage.records(args.orgId, { ...args, apiKeyId: args.apiKeyId }),
    currentUsage: (_, args, ctx) => ctx.usage.current(args.orgId),
  },
  Mutation: {
    createSetupIntent: (_, args, ctx) => ctx.payments.createSetupIntent(args.orgId),
    removePaymentMethod: (_, args, ctx) => ctx.payments.removePaymentMethod(args.orgId, args.paymentMethodId),
    deposit: (_, args, ctx) => ctx.payments.deposit(ctx.principal, args.orgId, args.input, ctx.meta.requestId),
    setAutoRecharge: (_, args, ctx) => ctx.topups.setAutoRecharge(args.orgId, args.input),
    setCreditAutoTopup: async (_, args, ctx) => {
      const view = await ctx.topups.setCreditAutoTopup(args.orgId, args.input);
      return { ...view, packages: [...view.packages] };
    },
    consumeCredits: (_, args, ctx) => ctx.credits.consume(ctx.principal, args.orgId, args.input, ctx.meta.requestId),
    createCreditPaymentIntent: (_, args, ctx) => ctx.payments.createCreditPaymentIntent(args.orgId, args.input),
    createCheckoutSession: (_, args, ctx) => ctx.plans.checkout(args.orgId, args.input.tier),
    createPortalSession: (_, args, ctx) => ctx.plans.portal(args.orgId),
    changePlan: (_, args, ctx) => ctx.plans.changePlan(args.orgId, args.input.tier),
    validateDowngrade: (_, args, ctx) => ctx.plans.validateDowngrade(args.orgId, args.input.tier),
    postLedgerAdjustment: (_, args, ctx) =>
      ctx.ledger.adjust(ctx.principal, args.orgId, args.input, ctx.meta.requestId),
    receiveStripeWebhook: (_, args, ctx) => ctx.payments.receiveWebhook(args.payload, args.signature),
  },
};
