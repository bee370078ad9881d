/**
 * Compute's reactions to governance (docs/events.md §Event contracts), as durable consumers: each handler runs
 * once per event id inside a compute transaction (kernel/event-consumers.ts). Compute never reads
 * governance's tables.
 *
 * - `compute.run-workflows`: the state of each governance workflow (active, paused, killed) as compute's own
 *   copy: a paused or killed workflow admits no new run; a killed one stops its runs at their next node.
 * - `compute.run-approvals`: the decision on a run's approval gate (approved, denied, expired) completes or
 *   fails the waiting approval node and makes the run due again.
 */
import type { EventConsumer } from '../../../kernel/event-consumers.ts';
import { settleWaitingNode } from './driver.ts';

const STATE_OF: Record<string, string> = {
  'workflow.created': 'active',
  'workflow.resumed': 'active',
  'workflow.paused': 'paused',
  'workflow.killed': 'killed',
};

export const runWorkflowsConsumer: EventConsumer = {
  name: 'compute.run-workflows',
  types: Object.keys(STATE_OF),
  async handle(tx, event) {
    const workflowId = event.subject?.id;
    const status = STATE_OF[event.type];
    if (!workflowId || !status) return;
    const at = new Date(event.occurredAt);
    await tx.execute(
      `insert into run_workflow_states (workflow_id, org_id, status, updated_at) values (?, ?, ?, ?)
       on conflict (workflow_id) do update set status = case when run_workflow_states.status = 'killed' then 'killed' else excluded.status end,
         updated_at = excluded.updated_at
       where run_workflow_states.updated_at <= excluded.updated_at`,
      [workflowId, event.orgId, status, at],
    );
    if (status === 'killed')
      // Waiting runs stop now rather than when their approval or job returns.
      await tx.execute(
        `update workflow_runs set status = 'running', wake_at = now(), updated_at = now()
         where workflow_id = ? and org_id = ? and status in ('waiting', 'paused_at_breakpoint', 'running')`,
        [workflowId, event.orgId],
      );
  },
};

export const runApprovalsConsumer: EventConsumer = {
  name: 'compute.run-approvals',
  types: ['approval.approved', 'approval.denied', 'approval.expired'],
  async handle(tx, event) {
    const { runId, nodeId, decidedBy, note } = event.data as Record<string, string | null | undefined>;
    if (!runId || !nodeId) return; // an approval of an SDK execution, not of a run
    const decision = event.type.slice('approval.'.length);
    const output = {
      decision,
      approvalId: event.subject?.id ?? null,
      decidedBy: decidedBy ?? null,
      note: note ?? null,
    };
    await settleWaitingNode(
      tx as never,
      runId,
      nodeId,
      decision === 'approved' ? { ok: true, output } : { ok: false, error: `approval_${decision}`, output },
    );
  },
};
