/** Billing resolvers: translate GraphQL to service calls. */
import type { BillingContext } from './index.ts';

export const resolvers = {
  Organization: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    balance: async (org: { id: string }, _: unknown, ctx: BillingContext) => ({
      orgId: org.id,
      availableCents: await ctx.ledger.balanceCents(org.id),
      currency: 'usd',
    }),
  },
  Balance: {
    recentEntries: (balance: { orgId: string }, args: { limit: number }, ctx: BillingContext) =>
      ctx.ledger.recent(balance.orgId, args.limit),
  },
};
