/** Identity's `/v1` routes (routes.tsv rows owned by identity). */
import { defineRoutes } from '../route-table.ts';

export const identityRoutes = defineRoutes([
  {
    method: 'GET',
    path: '/v1/organizations/{id}',
    owner: 'identity',
    summary: 'Get organization, with its workflows, VMs, balance and webhooks (one query across all five subgraphs)',
    operation: /* GraphQL */ `
      query GetOrganization($id: ID!) {
        organization(id: $id) {
          id
          name
          slug
          createdAt
          viewerRole
          workflows { id name status budgetMicros spentMicros }
          vms { id name gpuModel gpuCount status }
          balance { availableCents currency }
          webhooks { id name url events enabled }
        }
      }
    `,
  },
]);
