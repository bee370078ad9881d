/** Compute's `/v1` routes (routes.tsv rows owned by compute). */
import { defineRoutes } from '../route-table.ts';

export const computeRoutes = defineRoutes([
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/vms/create',
    owner: 'compute',
    summary: 'Create a VM',
    body: 'input',
    status: 201,
    operation: /* GraphQL */ `
      mutation CreateVm($orgId: ID!, $input: CreateVmInput!) {
        createVm(orgId: $orgId, input: $input) { id name gpuModel gpuCount status createdAt }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/vms/{id}',
    owner: 'compute',
    summary: 'Get a VM by id',
    operation: /* GraphQL */ `
      query GetVm($id: ID!) {
        vm(id: $id) { id name gpuModel gpuCount status createdAt organization { id } }
      }
    `,
  },
]);
