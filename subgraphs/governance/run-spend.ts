/**
 * Spend of pipeline runs beyond their jobs (docs/pipelines.md §Governance): compute's `run.node_completed` with
 * a `costMicros` (an http node's configured per-call cost; not a provider node's, `costTracked`, which its
 * governed model call tracked already) is tracked against the run's governance workflow by
 * the one track implementation (sdk.ts), as a usage event `run:<runId>:<nodeId>` — so a redelivery counts once,
 * and the workflow's status, budget alerts and insights show it like any other spend.
 */
import type { EventConsumer } from '../../kernel/event-consumers.ts';
import type { Platform } from '../../kernel/platform.ts';
import type { Principal } from '../../kernel/principal.ts';
import { AlertService } from './alerts.ts';
import { SdkService } from './sdk.ts';
import type { GovernanceState } from './state.ts';

/** `stateOf`: the governance state of the process's running subgraph (absent before it started: retried). */
export function runSpendTracking(stateOf: (platform: Platform) => GovernanceState | undefined): EventConsumer {
  return {
    name: 'governance.run-spend',
    types: ['run.node_completed'],
    async handle(tx, event, context) {
      const data = event.data as Record<string, unknown>;
      const cost = Number(data.costMicros);
      if (!Number.isSafeInteger(cost) || cost <= 0) return;
      // A provider node's governed model call tracked its own cost (its execution): counting it here would be twice.
      if (data.costTracked === true) return;
      const runId = typeof data.runId === 'string' ? data.runId : null;
      const nodeId = typeof data.nodeId === 'string' ? data.nodeId : null;
      if (!runId || !nodeId) return;
      const state = stateOf(context.platform);
      if (!state) throw new Error('governance is not started in this process yet');
      // The run acts for its organization; compute bound it to its workflow when it was admitted.
      const principal: Principal = {
        kind: 'service',
        id: 'svc_pipelines',
        memberships: [{ orgId: event.orgId, role: 'member' }],
        scopes: ['executions:write'],
      };
      const sdk = new SdkService(tx, state, new AlertService(tx, state, context.platform.secretBox), context.logger);
      await sdk.track(principal, {
        orgId: event.orgId,
        workflowId: typeof data.workflowId === 'string' ? data.workflowId : null,
        eventId: `run:${runId}:${nodeId}`,
        costMicros: cost,
        occurredAt: event.occurredAt,
        tags: ['pipeline'],
        metadata: { runId, nodeId },
      });
    },
  };
}
