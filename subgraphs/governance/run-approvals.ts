/**
 * Approval gates of pipeline runs (docs/pipelines.md §Approvals): compute's `run.approval_requested` opens a
 * governance approval (one per run and node; a redelivery finds it there). Deciding it (approve/deny routes,
 * `approveWorkflowRun`) or letting it expire (the sweeper) records `approval.approved|denied|expired` with
 * `runId` and `nodeId`, which compute's `compute.run-approvals` consumer turns into the node's outcome.
 */
import type { EventConsumer } from '../../kernel/event-consumers.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { approvalEventData, approvalFromRow } from './approvals.ts';
import { query, queryOne, type Row, sql } from './sql.ts';

const MAX_TIMEOUT_SECONDS = 30 * 24 * 3600;

export const runApprovalRequests: EventConsumer = {
  name: 'governance.run-approvals',
  types: ['run.approval_requested'],
  async handle(tx, event) {
    const data = event.data as Record<string, unknown>;
    const runId = typeof data.runId === 'string' ? data.runId : null;
    const nodeId = typeof data.nodeId === 'string' ? data.nodeId : null;
    if (!runId || !nodeId) return;
    const requested = Number(data.timeoutSeconds);
    const timeout =
      Number.isSafeInteger(requested) && requested > 0 ? Math.min(requested, MAX_TIMEOUT_SECONDS) : 86_400;
    const message = typeof data.message === 'string' ? data.message.slice(0, 2000) : null;
    const row = await queryOne(
      tx,
      sql`insert into approvals (id, org_id, execution_id, run_id, node_id, message, workflow_id, policy_id, status,
            amount_micros, requested_by, expires_at, created_at)
          values (${newId('apr')}, ${event.orgId}, null, ${runId}, ${nodeId}, ${message},
            ${typeof data.workflowId === 'string' ? data.workflowId : null}, null, 'pending', 0, ${`run:${runId}`},
            ${new Date(event.occurredAt)}::timestamptz + make_interval(secs => ${timeout}), now())
          on conflict (run_id, node_id) where run_id is not null do nothing
          returning *`,
    );
    if (!row) return;
    const approval = approvalFromRow(row as Row);
    recordEvent(tx, {
      orgId: approval.orgId,
      type: 'approval.requested',
      subject: { type: 'approval', id: approval.id },
      data: { ...approvalEventData(approval, 'require_approval'), message },
    });
  },
};

/** Run approvals past their deadline become `expired` (a denial for the run). Called by the sweeper. */
/** Run approvals past their deadline (`from … where …`; the sweeper also asks whether any exists). */
export const RUN_APPROVALS_EXPIRED = sql`from approvals where run_id is not null and status = 'pending' and expires_at <= now()`;

export async function expireRunApprovals(tx: Parameters<EventConsumer['handle']>[0], limit: number): Promise<number> {
  const expired = await query(
    tx,
    sql`update approvals set status = 'expired', decided_at = now()
        where id in (select id ${RUN_APPROVALS_EXPIRED} order by expires_at limit ${limit} for update skip locked)
        returning *`,
  );
  for (const row of expired) {
    const approval = approvalFromRow(row);
    recordEvent(tx, {
      orgId: approval.orgId,
      type: 'approval.expired',
      subject: { type: 'approval', id: approval.id },
      data: approvalEventData(approval, 'deny'),
    });
  }
  return expired.length;
}
