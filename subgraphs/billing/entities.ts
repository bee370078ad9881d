/** Billing's tables (schema `billing`). The ledger is append-only: balances are sums. */
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const LedgerEntry = defineEntity({
  name: 'LedgerEntry',
  tableName: 'ledger_entries',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    amountCents: p.bigint('number'),
    kind: p.string(),
    description: p.string().nullable(),
    /** Makes retried credits (e.g. a Stripe webhook) land exactly once. */
    idempotencyKey: p.string().nullable().unique(),
    createdAt: p.datetime(),
  },
});

export const billingEntities = [LedgerEntry];

export type LedgerEntryRow = InferEntity<typeof LedgerEntry>;
