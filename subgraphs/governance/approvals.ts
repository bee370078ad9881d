/**
 * Approval gates (seed 002): a REQUIRE_APPROVAL decision holds the call's
 * reservation and opens a pending approval. Approving turns the execution into
 * an ordinary reservation (decision ALLOW); denying (or expiry, see the
 * sweeper) denies it and returns the reservation. Each decision is an
 * `approval.*` event.
 *
 * Locks are taken executions → approvals → workflows → org_settings, the
 * order the sweeper uses too.
 */

import type { EntityManager } from '@mikro-orm/postgresql';
import { boundWorkflowOf } from '../../kernel/authz.ts';
import { conflict, invalidField, notFound } from '../../kernel/errors.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { decodeCursor, type Page, pageSize, toPage } from '../../kernel/pagination.ts';
import { roleFor } from '../../kernel/permissions.ts';
import type { Principal } from '../../kernel/principal.ts';
import { actorIdOf, assertOrgRole, requireObjectAccess } from './access.ts';
import { date, dateOrNull, num, query, queryOne, type Row, sql, strOrNull, withRetry } from './sql.ts';
import type { GovernanceState } from './state.ts';

export type ApprovalStatusValue = 'pending' | 'approved' | 'denied' | 'expired';

export interface ApprovalView {
  id: string;
  orgId: string;
  /** The SDK execution held, or null for a run's approval node. */
  executionId: string | null;
  runId: string | null;
  nodeId: string | null;
  message: string | null;
  workflowId: string | null;
  policyId: string | null;
  status: ApprovalStatusValue;
  amountMicros: number;
  model: string | null;
  requestedBy: string | null;
  decidedBy: string | null;
  note: string | null;
  expiresAt: Date;
  decidedAt: Date | null;
  createdAt: Date;
}

export const approvalFromRow = (row: Row): ApprovalView => ({
  id: String(row.id),
  orgId: String(row.org_id),
  executionId: strOrNull(row.execution_id),
  runId: strOrNull(row.run_id),
  nodeId: strOrNull(row.node_id),
  message: strOrNull(row.message),
  workflowId: strOrNull(row.workflow_id),
  policyId: strOrNull(row.policy_id),
  status: row.status as ApprovalStatusValue,
  amountMicros: num(row.amount_micros),
  model: strOrNull(row.model),
  requestedBy: strOrNull(row.requested_by),
  decidedBy: strOrNull(row.decided_by),
  note: strOrNull(row.note),
  expiresAt: date(row.expires_at),
  decidedAt: dateOrNull(row.decided_at),
  createdAt: date(row.created_at),
});

export const approvalEventData = (approval: ApprovalView, decision: string) => ({
  approvalId: approval.id,
  executionId: approval.executionId,
  runId: approval.runId,
  nodeId: approval.nodeId,
  workflowId: approval.workflowId,
  policyId: approval.policyId,
  status: approval.status,
  decision,
  amountMicros: approval.amountMicros,
  decidedBy: approval.decidedBy,
  note: approval.note,
});

export class ApprovalService {
  private readonly em: EntityManager;
  private readonly state: GovernanceState;

  constructor(em: EntityManager, state: GovernanceState) {
    this.em = em;
    this.state = state;
  }

  /** The organization's approvals; a workflow-bound caller's workflow's only. */
  async list(
    principal: Principal,
    orgId: string,
    args: { status?: string | null; limit?: number | null; cursor?: string | null },
  ): Promise<Page<ApprovalView>> {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { i: 'text' })?.i ?? null;
    const status = (args.status ?? 'pending').toLowerCase();
    const bound = boundWorkflowOf(principal);
    const rows = await query(
      this.em,
      sql`select * from approvals
          where org_id = ${orgId} and status = ${status}
            and (${bound}::text is null or workflow_id = ${bound}::text)
            and (${after}::text is null or id collate "C" < ${after}::text)
          order by id collate "C" desc
          limit ${limit + 1}`,
    );
    return toPage(rows.map(approvalFromRow), limit, (a) => ({ i: a.id }));
  }

  async get(principal: Principal, id: string, orgId?: string | null): Promise<ApprovalView | null> {
    if (orgId) assertOrgRole(principal, orgId);
    const row = await queryOne(this.em, sql`select * from approvals where id = ${id}`);
    if (!row) {
      if (orgId) throw notFound('Approval');
      return null;
    }
    const approval = approvalFromRow(row);
    requireObjectAccess(principal, approval.orgId, 'Approval', { orgId, workflowId: approval.workflowId });
    return approval;
  }

  approve(
    principal: Principal,
    id: string,
    orgId: string | null | undefined,
    note?: string | null,
    requestId?: string,
  ) {
    return this.#decide(principal, id, orgId, 'approved', note, requestId);
  }

  deny(principal: Principal, id: string, orgId: string | null | undefined, note?: string | null, requestId?: string) {
    return this.#decide(principal, id, orgId, 'denied', note, requestId);
  }

  /**
   * Decides the pending approval gate of a pipeline run (seed 002 `/runs/:id/approve|deny`): 404 when the
   * run is not the caller's or has no pending gate (its existence is not revealed to another org).
   */
  async decideRun(
    principal: Principal,
    runId: string,
    orgId: string | null | undefined,
    outcome: 'approved' | 'denied',
    note?: string | null,
    requestId?: string,
  ): Promise<ApprovalView> {
    const row = await queryOne(
      this.em,
      sql`select id, org_id from approvals where run_id = ${runId} and status = 'pending' order by created_at limit 1`,
    );
    if (!row) throw notFound('Pending approval of this workflow run');
    requireObjectAccess(principal, String(row.org_id), 'Pending approval of this workflow run', { orgId });
    return this.#decide(principal, String(row.id), orgId, outcome, note, requestId);
  }

  async #decide(
    principal: Principal,
    id: string,
    orgId: string | null | undefined,
    outcome: 'approved' | 'denied',
    note: string | null | undefined,
    requestId?: string,
  ): Promise<ApprovalView> {
    const trimmed = note?.trim() || null;
    if (trimmed && trimmed.length > 2000) throw invalidField('note', 'note must be at most 2000 characters');
    const first = await this.get(principal, id, orgId);
    if (!first) throw notFound('Approval');
    requireObjectAccess(principal, first.orgId, 'Approval', { orgId, minimum: roleFor('approvals:write') });
    return withRetry(() =>
      this.em.transactional(async (tx) => {
        const exec = first.executionId
          ? await queryOne(
              tx,
              sql`select status from executions where id = ${first.executionId} and org_id = ${first.orgId} for update`,
            )
          : null;
        const locked = await queryOne(tx, sql`select * from approvals where id = ${id} for update`);
        const current = approvalFromRow(locked as Row);
        if (current.status !== 'pending') throw conflict(`Approval ${id} is already ${current.status}`);
        if (current.expiresAt.getTime() <= Date.now() || (current.executionId && exec?.status !== 'pending_approval'))
          throw conflict(`Approval ${id} has expired`);
        if (!current.executionId) {
          // A run's approval node: the decision event resumes (or fails) the run in compute.
        } else if (outcome === 'approved') {
          await query(
            tx,
            sql`update executions set decision = 'allow', status = 'reserved', reason = null,
                  expires_at = now() + make_interval(secs => ${this.state.config.reservationTtlSeconds})
                where id = ${current.executionId}`,
          );
        } else {
          await query(
            tx,
            sql`with e as (
                  update executions set decision = 'deny', status = 'denied', reason = 'approval_denied', expires_at = null
                  where id = ${current.executionId}
                  returning workflow_id, org_id, reserved_micros, org_reserved
                ),
                w as (
                  update workflows w set reserved_micros = w.reserved_micros - e.reserved_micros
                  from e where w.id = e.workflow_id returning w.id
                )
                update org_settings o set daily_reserved_micros = greatest(0, o.daily_reserved_micros - e.reserved_micros)
                from e where o.org_id = e.org_id and e.org_reserved`,
          );
        }
        const row = await queryOne(
          tx,
          sql`update approvals set status = ${outcome}, decided_by = ${actorIdOf(principal)}, decided_at = now(),
                note = ${trimmed}
              where id = ${id} returning *`,
        );
        const approval = approvalFromRow(row as Row);
        recordEvent(tx, {
          orgId: approval.orgId,
          type: `approval.${outcome}`,
          subject: { type: 'approval', id },
          data: approvalEventData(approval, outcome === 'approved' ? 'allow' : 'deny'),
          actor: principal,
          requestId,
        });
        return approval;
      }),
    );
  }
}
