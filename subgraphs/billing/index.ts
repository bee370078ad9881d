/** The billing subgraph: prepaid ledger, Stripe, usage and plans. */
import type { BaseContext, SubgraphDefinition } from '../../kernel/subgraph.ts';
import { billingEntities } from './entities.ts';
import { LedgerService } from './ledger.ts';
import { InitialBilling } from './migrations/0001_initial.ts';
import { resolvers } from './resolvers.ts';

export interface BillingContext extends BaseContext {
  ledger: LedgerService;
}

export const billing: SubgraphDefinition<BillingContext> = {
  name: 'billing',
  schemaFile: new URL('./billing.graphql', import.meta.url),
  entities: billingEntities,
  migrations: [{ name: '0001_initial', class: InitialBilling }],
  resolvers,
  context: (base) => ({ ...base, ledger: new LedgerService(base.em) }),
};
