/** Billing's `/v1` routes (routes.tsv rows owned by billing). */
import { defineRoutes } from '../route-table.ts';

export const billingRoutes = defineRoutes([
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/billing/balance',
    owner: 'billing',
    summary: 'Org balance + recent transactions',
    operation: /* GraphQL */ `
      query GetBalance($orgId: ID!, $limit: Int) {
        organization(id: $orgId) {
          balance {
            availableCents
            currency
            recentEntries(limit: $limit) { id amountCents kind description createdAt }
          }
        }
      }
    `,
    result: 'organization.balance',
  },
]);
