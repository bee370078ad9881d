/** The governance subgraph: budgeted workflows, policies, the SDK hot path, approvals, alerts and the read side. */
import type { BaseContext, SubgraphDefinition, SubgraphRuntime, Worker } from '../../kernel/subgraph.ts';
import { AgentEfficiencyService, agentEfficiencyFeed } from './agent-efficiency.ts';
import { alertRouting } from './alert-routing.ts';
import { AlertService } from './alerts.ts';
import { ApprovalService } from './approvals.ts';
import { governanceEntities } from './entities.ts';
import { ExecutionService } from './executions.ts';
import { InsightService } from './insights.ts';
import { InitialGovernance } from './migrations/0001_initial.ts';
import { GovernanceCore } from './migrations/0002_governance.ts';
import { AlertDelivery } from './migrations/0003_alert_delivery.ts';
import { RunApprovals } from './migrations/0004_run_approvals.ts';
import { AgentEfficiency } from './migrations/0005_agent_efficiency.ts';
import { ExecutionStarted } from './migrations/0006_execution_started.ts';
import { PolicyService } from './policies.ts';
import { resolvers } from './resolvers.ts';
import { runApprovalRequests } from './run-approvals.ts';
import { runSpendTracking } from './run-spend.ts';
import { SdkService } from './sdk.ts';
import { GovernanceState, INVALIDATION_CHANNEL } from './state.ts';
import { startSweeper } from './sweeper.ts';
import { userErasure } from './user-erasure.ts';
import { WorkflowService } from './workflows.ts';

export interface GovernanceContext extends BaseContext {
  state: GovernanceState;
  workflows: WorkflowService;
  policies: PolicyService;
  sdk: SdkService;
  executions: ExecutionService;
  approvals: ApprovalService;
  alerts: AlertService;
  insights: InsightService;
  agentEfficiency: AgentEfficiencyService;
}

/** One state (policy cache, configuration) per running subgraph, shared by its requests and workers. */
const states = new WeakMap<SubgraphRuntime, GovernanceState>();
/** The same states by platform, for event consumers (they are given the platform, not the runtime). */
const statesByPlatform = new WeakMap<SubgraphRuntime['platform'], GovernanceState>();

export function governanceState(runtime: SubgraphRuntime): GovernanceState {
  let state = states.get(runtime);
  if (!state) {
    const { config, bus } = runtime.platform;
    state = new GovernanceState(
      {
        ...config.governance,
        apiKeyPerMinute: config.rateLimits.apiKeyPerMinute,
        production: config.production,
        allowPrivateTargets: config.webhooks.allowPrivateTargets,
      },
      bus,
      runtime.logger,
    );
    states.set(runtime, state);
    statesByPlatform.set(runtime.platform, state);
  }
  return state;
}

export const governance: SubgraphDefinition<GovernanceContext> = {
  name: 'governance',
  schemaFile: [
    new URL('./governance.graphql', import.meta.url),
    new URL('./agent-efficiency.graphql', import.meta.url),
  ],
  entities: governanceEntities,
  migrations: [
    { name: '0001_initial', class: InitialGovernance },
    { name: '0002_governance', class: GovernanceCore },
    { name: '0003_alert_delivery', class: AlertDelivery },
    { name: '0004_run_approvals', class: RunApprovals },
    { name: '0005_agent_efficiency', class: AgentEfficiency },
    { name: '0006_execution_started', class: ExecutionStarted },
  ],
  // Alerting events of every subgraph become notification requests routed by channels and settings.
  // Compute's agent and task events feed the agent-efficiency dashboard.
  // Pipeline nodes' costs are tracked against their runs' workflows.
  consumers: [
    alertRouting,
    userErasure,
    runApprovalRequests,
    agentEfficiencyFeed,
    runSpendTracking((platform) => statesByPlatform.get(platform)),
  ],
  resolvers,
  context: (base, runtime) => {
    const state = governanceState(runtime);
    const alerts = new AlertService(base.em, state, runtime.platform.secretBox);
    return {
      ...base,
      state,
      workflows: new WorkflowService(base.em, state),
      policies: new PolicyService(base.em, state),
      sdk: new SdkService(base.em, state, alerts, base.log),
      executions: new ExecutionService(base.em),
      approvals: new ApprovalService(base.em, state),
      alerts,
      insights: new InsightService(base.em, state),
      agentEfficiency: new AgentEfficiencyService(base.em),
    };
  },
  workers: (runtime) => {
    const state = governanceState(runtime);
    const sweeper = startSweeper(runtime.orm.em.fork(), state.config.sweepIntervalMs, runtime.logger);
    let unsubscribe: (() => Promise<void>) | undefined;
    let closed = false;
    state.bus
      .subscribe(INVALIDATION_CHANNEL, (message) => state.onInvalidation(message))
      .then((off) => {
        if (closed) void off();
        else unsubscribe = off;
      })
      .catch((error) => runtime.logger.warn({ err: error }, 'governance: cache invalidation subscription failed'));
    const invalidation: Worker = {
      name: 'governance-policy-cache',
      async stop() {
        closed = true;
        await unsubscribe?.();
      },
    };
    return [sweeper, invalidation];
  },
};
