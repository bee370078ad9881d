/** Compute's `/v1` routes (routes.tsv rows owned by compute). */
import { defineRoutes } from '../route-table.ts';

const owner = 'compute';

// biome-ignore format: a table, one route a line or two
export const computeRoutes = defineRoutes([
  { method: 'POST', path: '/v1/orgs/{orgId}/vms/create', owner, body: 'input', status: 201, mutation: 'createVm(orgId: $orgId, input: $input)',
    summary: 'Create a VM' },
  { method: 'GET', path: '/v1/vms/{id}', owner, query: 'vm(id: $id)', summary: 'Get a VM by id' },
]);
