/**
 * Billing's tables (schema `billing`, migrations/) are written with hand-written SQL rather than
 * entities: every money movement is one statement (the transaction row, the running totals under
 * their row locks and the postings together, see ledger.ts), which a unit of work cannot express.
 */
import type { EntitySchema } from '@mikro-orm/core';

export const billingEntities: EntitySchema[] = [];
