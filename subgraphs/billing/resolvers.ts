/** Billing resolvers: translate GraphQL to service calls. */
import type { Resolvers } from './generated/resolvers.ts';

export const resolvers: Resolvers = {
  Organization: {
    __resolveReference: (ref) => ({ id: ref.id }),
    balance: (org, _, ctx) => ctx.ledger.balance(org.id),
  },
  Balance: {
    recentEntries: (balance, args, ctx) => ctx.ledger.recent(balance.orgId, args.limit),
  },
};
