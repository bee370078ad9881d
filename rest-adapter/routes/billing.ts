/** Billing's `/v1` routes (routes.tsv rows owned by billing). */
import { defineRoutes } from '../route-table.ts';

const owner = 'billing';

// biome-ignore format: a table, one route a line or two
export const billingRoutes = defineRoutes([
  { method: 'GET', path: '/v1/orgs/{orgId}/billing/balance', owner, query: 'organization(id: $orgId).balance',
    select: '...BalanceFields recentEntries(limit: $limit) { ...LedgerEntryFields }', summary: 'Org balance + recent transactions' },
]);
