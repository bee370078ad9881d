/**
 * Compute's reactions to governance (docs/events.md §Event contracts), as durable consumers: each handler runs
 * once per event id inside a compute transaction (kernel/event-consumers.ts). Compute never reads
 * governance's tables.
 *
 * - `compute.run-kills`: a killed workflow stops its runs at their next node (admission of new runs reads
 *   `workflow_states`, kept by jobs' `compute.workflow_states`).
 * - `compute.run-approvals`: the decision on a run's approval gate (approved, denied, expired) completes or
 *   fails the waiting approval node and makes the run due again.
 */
import type { EventConsumer } from '../../../kernel/event-consumers.ts';
import { settleWaitingNode } from './driver.ts';
import { runQueueOf } from './run-queue.ts';

/**
 * A killed workflow's runs stop at their next node: waiting runs (on an approval, a job, input, a breakpoint)
 * are made due now so the driver ends them (`workflow_killed`) instead of when their wait ends. It records the
 * state too (as `compute.workflow_states` does, same rule), so the driver sees it whichever consumer runs first.
 */
export const runKillsConsumer: EventConsumer = {
  name: 'compute.run-kills',
  types: ['workflow.killed'],
  async handle(tx, event, context) {
    const workflowId = event.subject?.id ?? (event.data.workflowId as string | undefined);
    if (!workflowId) return;
    await tx.execute(
      `insert into workflow_states (workflow_id, org_id, status, updated_at) values (?, ?, 'killed', ?)
       on conflict (workflow_id) do update set status = 'killed', updated_at = greatest(workflow_states.updated_at, excluded.updated_at)`,
      [workflowId, event.orgId, new Date(event.occurredAt)],
    );
    const due = await tx.execute<{ id: string }[]>(
      `update workflow_runs set status = 'running', wake_at = now(), updated_at = now()
       where workflow_id = ? and org_id = ? and status in ('waiting', 'paused_at_breakpoint', 'running') returning id`,
      [workflowId, event.orgId],
    );
    const queue = due.length > 0 ? runQueueOf(context.platform) : undefined;
    for (const run of due) await queue?.due(tx as never, String(run.id));
  },
};

export const runApprovalsConsumer: EventConsumer = {
  name: 'compute.run-approvals',
  types: ['approval.approved', 'approval.denied', 'approval.expired'],
  async handle(tx, event, context) {
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
      runQueueOf(context.platform),
      runId,
      nodeId,
      decision === 'approved' ? { ok: true, output } : { ok: false, error: `approval_${decision}`, output },
    );
  },
};

/**
 * `compute.run-jobs`: a job node's job ended (`job.succeeded|failed|cancelled` with `origin`): the node completes
 * with the job's result (`{ jobId, result }`) or fails with its error, and the run is due again.
 */
export const runJobsConsumer: EventConsumer = {
  name: 'compute.run-jobs',
  types: ['job.succeeded', 'job.failed', 'job.cancelled'],
  async handle(tx, event, context) {
    const data = event.data as {
      jobId?: string;
      result?: unknown;
      error?: unknown;
      origin?: { runId?: string; nodeId?: string };
    };
    const runId = data.origin?.runId;
    const nodeId = data.origin?.nodeId;
    if (!runId || !nodeId) return; // a job no run waits on
    const output = { jobId: data.jobId ?? null, result: data.result ?? null };
    await settleWaitingNode(
      tx as never,
      runQueueOf(context.platform),
      runId,
      nodeId,
      event.type === 'job.succeeded'
        ? { ok: true, output }
        : {
            ok: false,
            error:
              `job ${data.jobId} ${event.type.slice(4)}: ${typeof data.error === 'string' ? data.error : JSON.stringify(data.error ?? null)}`.slice(
                0,
                1000,
              ),
            output,
          },
    );
  },
};
