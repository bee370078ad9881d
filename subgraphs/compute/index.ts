/** The compute subgraph: GPU catalog, VMs, clusters, jobs and runs. */
import type { BaseContext, SubgraphDefinition } from '../../kernel/subgraph.ts';
import { aiEntities } from './ai/entities.ts';
import { AiGatewayMigration } from './ai/migrations/0001_ai_gateway.ts';
import { AiRecords, startRequestLogSweeper } from './ai/records.ts';
import { aiResolvers } from './ai/resolvers.ts';
import { computeEntities } from './entities.ts';
import { InitialCompute } from './migrations/0001_initial.ts';
import { resolvers } from './resolvers.ts';
import { VmService } from './vms.ts';

export interface ComputeContext extends BaseContext {
  vms: VmService;
  /** The AI gateway's call records, proxy settings and usage (ai/records.ts). */
  ai: AiRecords;
}

export const compute: SubgraphDefinition<ComputeContext> = {
  name: 'compute',
  schemaFile: new URL('./compute.graphql', import.meta.url),
  entities: [...computeEntities, ...aiEntities],
  migrations: [
    { name: '0001_initial', class: InitialCompute },
    { name: '0100_ai_gateway', class: AiGatewayMigration },
  ],
  resolvers: {
    ...resolvers,
    Query: { ...resolvers.Query, ...aiResolvers.Query },
    Mutation: { ...resolvers.Mutation, ...aiResolvers.Mutation },
  },
  context: (base, runtime) => ({
    ...base,
    vms: new VmService(base.em),
    ai: new AiRecords(base.em, runtime.platform.internalSecret, runtime.platform.config.ai.publicBaseUrl),
  }),
  workers: (runtime) => [startRequestLogSweeper(runtime.orm.em.fork(), runtime.logger)],
};
