/** The compute subgraph: GPU catalog, VMs, clusters, jobs and runs. */
import type { BaseContext, SubgraphDefinition } from '../../kernel/subgraph.ts';
import { computeEntities } from './entities.ts';
import { InitialCompute } from './migrations/0001_initial.ts';
import { resolvers } from './resolvers.ts';
import { VmService } from './vms.ts';

export interface ComputeContext extends BaseContext {
  vms: VmService;
}

export const compute: SubgraphDefinition<ComputeContext> = {
  name: 'compute',
  schemaFile: new URL('./compute.graphql', import.meta.url),
  entities: computeEntities,
  migrations: [{ name: '0001_initial', class: InitialCompute }],
  resolvers,
  context: (base) => ({ ...base, vms: new VmService(base.em) }),
};
