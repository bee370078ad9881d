/** The governance subgraph: budgeted workflows, policies and the SDK hot path. */
import type { BaseContext, SubgraphDefinition } from '../../kernel/subgraph.ts';
import { governanceEntities } from './entities.ts';
import { InitialGovernance } from './migrations/0001_initial.ts';
import { resolvers } from './resolvers.ts';
import { WorkflowService } from './workflows.ts';

export interface GovernanceContext extends BaseContext {
  workflows: WorkflowService;
}

export const governance: SubgraphDefinition<GovernanceContext> = {
  name: 'governance',
  schemaFile: new URL('./governance.graphql', import.meta.url),
  entities: governanceEntities,
  migrations: [{ name: '0001_initial', class: InitialGovernance }],
  resolvers,
  context: (base) => ({ ...base, workflows: new WorkflowService(base.em) }),
};
