/**
 * Compute's copy of governance workflow states (compute never reads governance's tables): every
 * `workflow.*` event carrying a `status` (created, paused, resumed, killed, updated) sets the row, newer
 * events only. New jobs bound to a paused or killed workflow are refused (`JobService.refuseWhenHalted`).
 */
import type { EventConsumer } from '../../../kernel/event-consumers.ts';

const STATES = new Set(['active', 'paused', 'killed']);

export const workflowStatesConsumer: EventConsumer = {
  name: 'compute.workflow_states',
  types: ['workflow.*'],
  async handle(tx, event) {
    const workflowId = event.data.workflowId;
    const status = event.data.status;
    if (typeof workflowId !== 'string' || typeof status !== 'string' || !STATES.has(status)) return;
    const at = new Date(event.occurredAt);
    await tx.execute(
      `insert into workflow_states (workflow_id, org_id, status, updated_at) values (?, ?, ?, ?)
       on conflict (workflow_id) do update set status = excluded.status, updated_at = excluded.updated_at
       where workflow_states.updated_at <= excluded.updated_at and workflow_states.status <> 'killed'`,
      [workflowId, event.orgId, status, at],
    );
  },
};
