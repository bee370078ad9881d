/** Governance's tables (schema `governance`). */
import { defineEntity, p } from '@mikro-orm/core';

export const Workflow = defineEntity({
  name: 'Workflow',
  tableName: 'workflows',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    name: p.string(),
    status: p.string(),
    /** Integer micro-dollars; null means unlimited. */
    budgetMicros: p.bigint('number').nullable(),
    spentMicros: p.bigint('number'),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export const governanceEntities = [Workflow];
