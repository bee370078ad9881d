/** The billing subgraph: the double-entry ledger, metering, Stripe, automatic top-ups, plans and credits. */
import type { BaseContext, SubgraphDefinition, SubgraphRuntime } from '../../kernel/subgraph.ts';
import { CreditService } from './credits.ts';
import { billingEntities } from './entities.ts';
import { LedgerService } from './ledger.ts';
import { InitialBilling } from './migrations/0001_initial.ts';
import { BillingLedger } from './migrations/0002_ledger.ts';
import { PaymentService } from './payments.ts';
import { PlanService } from './plans.ts';
import { resolvers } from './resolvers.ts';
import { createStripeSettings, type StripeSettings } from './stripe.ts';
import { TopupRunner, TopupService } from './topups.ts';
import { meterUsage, meterUsages, UsageService } from './usage.ts';

export interface BillingContext extends BaseContext {
  ledger: LedgerService;
  payments: PaymentService;
  topups: TopupService;
  credits: CreditService;
  usage: UsageService;
  plans: PlanService;
}

/** What one running billing subgraph shares between requests and workers. */
interface BillingState {
  stripe: StripeSettings | null;
  webhookSecret: string | null;
  cooldownSeconds: number;
  runner: TopupRunner | null;
}

const states = new WeakMap<SubgraphRuntime, BillingState>();

function billingState(runtime: SubgraphRuntime): BillingState {
  let state = states.get(runtime);
  if (!state) {
    const config = runtime.platform.config.billing;
    state = {
      stripe: createStripeSettings(config),
      webhookSecret: config.webhookSecret,
      cooldownSeconds: config.autoTopupCooldownSeconds,
      runner: null,
    };
    states.set(runtime, state);
  }
  return state;
}

/** The services of one request (or one worker pass) on `em`. */
export function billingServices(em: BaseContext['em'], runtime: SubgraphRuntime) {
  const state = billingState(runtime);
  const topups = new TopupService(em, state.stripe, state.cooldownSeconds);
  const usage = new UsageService(em);
  return {
    ledger: new LedgerService(em),
    payments: new PaymentService(em, state.stripe, state.webhookSecret, runtime.logger),
    topups,
    credits: new CreditService(em, topups),
    usage,
    plans: new PlanService(em, state.stripe, usage),
  };
}

export const billing: SubgraphDefinition<BillingContext> = {
  name: 'billing',
  schemaFile: new URL('./billing.graphql', import.meta.url),
  entities: billingEntities,
  migrations: [
    { name: '0001_initial', class: InitialBilling },
    { name: '0002_ledger', class: BillingLedger },
  ],
  resolvers,
  consumers: [
    {
      // usage.recorded (compute, governance's track) → one usage record and one debit per event id.
      name: 'billing.metering',
      types: ['usage.recorded'],
      // Rows and ledger postings only: a batch of calls' usage commits together.
      sharedTransaction: true,
      async handle(tx, event) {
        await meterUsage(tx, event);
      },
      // A batch's records and debits in a fixed number of statements (not three or four per event).
      async handleMany(tx, events) {
        await meterUsages(tx, events);
      },
    },
  ],
  context: (base, runtime) => ({ ...base, ...billingServices(base.em, runtime) }),
  workers: (runtime) => {
    const state = billingState(runtime);
    const payments = billingServices(runtime.orm.em.fork(), runtime).payments;
    state.runner = new TopupRunner(runtime.orm.em.fork(), payments.chargeClaim, runtime.logger).start();
    return [state.runner];
  },
};
