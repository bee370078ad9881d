/** Executions: the record of every execute call (allowed, denied or held for approval) and its settlement. */
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { conflict, invalidField, notFound } from '../../kernel/errors.ts';
import { decodeCursor, type Page, pageSize, toPage } from '../../kernel/pagination.ts';
import type { Principal } from '../../kernel/principal.ts';
import { assertOrgRole, requireObjectAccess } from './access.ts';
import { date, dateOrNull, num, numOrNull, query, queryOne, type Row, sql, strOrNull, textArray } from './sql.ts';

export interface ExecutionView {
  id: string;
  orgId: string;
  workflowId: string | null;
  apiKeyId: string | null;
  principalId: string | null;
  model: string | null;
  provider: string | null;
  tags: string[];
  metadata: Record<string, unknown> | null;
  decision: string;
  status: string;
  reason: string | null;
  policyId: string | null;
  approvalId: string | null;
  estimatedCostMicros: number;
  reservedMicros: number;
  actualCostMicros: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number | null;
  expiresAt: Date | null;
  settledAt: Date | null;
  startedAt: Date | null;
  createdAt: Date;
}

export const executionFromRow = (row: Row): ExecutionView => ({
  id: String(row.id),
  orgId: String(row.org_id),
  workflowId: strOrNull(row.workflow_id),
  apiKeyId: strOrNull(row.api_key_id),
  principalId: strOrNull(row.principal_id),
  model: strOrNull(row.model),
  provider: strOrNull(row.provider),
  tags: (row.tags as string[] | null) ?? [],
  metadata: (row.metadata as Record<string, unknown> | null) ?? null,
  decision: String(row.decision),
  status: String(row.status),
  reason: strOrNull(row.reason),
  policyId: strOrNull(row.policy_id),
  approvalId: strOrNull(row.approval_id),
  estimatedCostMicros: num(row.estimated_cost_micros),
  reservedMicros: num(row.reserved_micros),
  actualCostMicros: numOrNull(row.actual_cost_micros),
  inputTokens: numOrNull(row.input_tokens),
  outputTokens: numOrNull(row.output_tokens),
  latencyMs: numOrNull(row.latency_ms),
  expiresAt: dateOrNull(row.expires_at),
  settledAt: dateOrNull(row.settled_at),
  startedAt: dateOrNull(row.started_at),
  createdAt: date(row.created_at),
});

export interface ExecutionFilters {
  workflowId?: string | null;
  status?: string | null;
  decision?: string | null;
  model?: string | null;
  provider?: string | null;
  apiKeyId?: string | null;
  since?: Date | string | null;
  until?: Date | string | null;
  limit?: number | null;
  cursor?: string | null;
}

function time(value: Date | string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw invalidField(field, `${field} must be an RFC 3339 time`);
  return d.toISOString();
}

export class ExecutionService {
  private readonly em: EntityManager;

  constructor(em: EntityManager) {
    this.em = em;
  }

  async list(principal: Principal, orgId: string, f: ExecutionFilters): Promise<Page<ExecutionView>> {
    const limit = pageSize(f.limit);
    const after = decodeCursor(f.cursor, { i: 'text' })?.i ?? null;
    // A key bound to a workflow sees that workflow's executions only.
    const workflowId = principal.workflowId ?? f.workflowId ?? null;
    const since = time(f.since, 'since');
    const until = time(f.until, 'until');
    const rows = await query(
      this.em,
      sql`select * from executions
          where org_id = ${orgId}
            and (${workflowId}::text is null or workflow_id = ${workflowId})
            and (${f.status?.toLowerCase() ?? null}::text is null or status = ${f.status?.toLowerCase() ?? null})
            and (${f.decision?.toLowerCase() ?? null}::text is null or decision = ${f.decision?.toLowerCase() ?? null})
            and (${f.model ?? null}::text is null or model = ${f.model ?? null})
            and (${f.provider ?? null}::text is null or provider = ${f.provider ?? null})
            and (${f.apiKeyId ?? null}::text is null or api_key_id = ${f.apiKeyId ?? null})
            and (${since}::timestamptz is null or created_at >= ${since}::timestamptz)
            and (${until}::timestamptz is null or created_at < ${until}::timestamptz)
            and (${after}::text is null or id collate "C" < ${after}::text)
          order by id collate "C" desc
          limit ${limit + 1}`,
    );
    return toPage(rows.map(executionFromRow), limit, (e) => ({ i: e.id }));
  }

  async get(principal: Principal, id: string, orgId?: string | null): Promise<ExecutionView | null> {
    if (orgId) assertOrgRole(principal, orgId);
    const row = await queryOne(this.em, sql`select * from executions where id = ${id}`);
    if (!row || (principal.workflowId && row.workflow_id !== principal.workflowId)) {
      if (orgId) throw notFound('Execution');
      return null;
    }
    const execution = executionFromRow(row);
    requireObjectAccess(principal, execution.orgId, 'Execution', { orgId });
    return execution;
  }

  /**
   * Starts the call an approved held execution admitted, once: the caller who made it (and only while
   * its reservation stands) gets the execution back; a second start — another resume of the same id, at
   * once or after the call ran — is a conflict, so the call reaches its upstream once.
   */
  async startHeld(principal: Principal, id: string): Promise<ExecutionView> {
    const execution = await this.get(principal, id);
    if (!execution?.approvalId || execution.principalId !== principal.id) throw notFound('Execution');
    const row = await queryOne(
      this.em,
      sql`update executions set started_at = now()
          where id = ${id} and status = 'reserved' and started_at is null
          returning *`,
    );
    if (!row)
      throw conflict(
        execution.status === 'pending_approval'
          ? `Execution ${id} is not approved yet`
          : `Execution ${id} already started, or its approval ended (${execution.status})`,
      );
    return executionFromRow(row);
  }

  /** `Approval.execution` of one request, batched: one query for every approval of the level. */
  readonly #byId = new DataLoader<string, ExecutionView | null>(
    async (ids) => {
      const rows = await query(this.em, sql`select * from executions where id = any(${textArray(ids)}::text[])`);
      const byId = new Map(rows.map((row) => [String(row.id), executionFromRow(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { cache: false },
  );

  /** An execution for a nested field (batched; no access check: its parent was checked). */
  load(id: string): Promise<ExecutionView | null> {
    return this.#byId.load(id);
  }

  /** Loads by id without access checks (for nested fields of objects already checked). */
  async find(id: string): Promise<ExecutionView | null> {
    const row = await queryOne(this.em, sql`select * from executions where id = ${id}`);
    return row ? executionFromRow(row) : null;
  }
}
