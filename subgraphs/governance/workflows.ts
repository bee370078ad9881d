/**
 * Workflows: budgeted units of agent work, with a small state machine
 * (active ⇄ paused, either → killed; killed is terminal). Every change is a
 * `workflow.*` event in the same transaction (→ StateChange pushes).
 */

import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { boundWorkflowOf } from '../../kernel/authz.ts';
import { conflict, invalidField, notFound } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { decodeCursor, type Page, pageSize, toPage } from '../../kernel/pagination.ts';
import { roleFor } from '../../kernel/permissions.ts';
import type { Principal, Role } from '../../kernel/principal.ts';
import { assertOrgRole, requireObjectAccess } from './access.ts';
import { WORKFLOW_COLUMNS } from './budget-sql.ts';
import { date, dateOrNull, num, numOrNull, query, queryOne, type Row, sql, strOrNull, textArray } from './sql.ts';
import type { GovernanceState } from './state.ts';

export type WorkflowStatusValue = 'active' | 'paused' | 'killed';
export type BudgetPeriodValue = 'none' | 'daily' | 'monthly';

export interface WorkflowView {
  id: string;
  orgId: string;
  name: string;
  status: WorkflowStatusValue;
  budgetMicros: number | null;
  budgetPeriod: BudgetPeriodValue;
  spentMicros: number;
  reservedMicros: number;
  remainingMicros: number | null;
  previousPeriodSpentMicros: number;
  periodStartedAt: Date | null;
  periodEndsAt: Date | null;
  statusReason: string | null;
  pausedAt: Date | null;
  killedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function remainingOf(budget: number | null, spent: number, reserved: number): number | null {
  return budget === null ? null : Math.max(0, budget - spent - reserved);
}

export function workflowFromRow(row: Row): WorkflowView {
  const budgetMicros = numOrNull(row.budget_micros);
  const spentMicros = num(row.spent_micros);
  const reservedMicros = num(row.reserved_micros);
  return {
    id: String(row.id),
    orgId: String(row.org_id),
    name: String(row.name),
    status: row.status as WorkflowStatusValue,
    budgetMicros,
    budgetPeriod: (row.budget_period as BudgetPeriodValue) ?? 'none',
    spentMicros,
    reservedMicros,
    remainingMicros: remainingOf(budgetMicros, spentMicros, reservedMicros),
    previousPeriodSpentMicros: num(row.previous_period_spent_micros),
    periodStartedAt: dateOrNull(row.period_started_at),
    periodEndsAt: dateOrNull(row.period_ends_at),
    statusReason: strOrNull(row.status_reason),
    pausedAt: dateOrNull(row.paused_at),
    killedAt: dateOrNull(row.killed_at),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

/** The `workflow.*` event payload (the contract the events subgraph turns into StateChange). */
export function workflowEventData(workflow: WorkflowView, previousStatus: WorkflowStatusValue | null) {
  return {
    workflowId: workflow.id,
    name: workflow.name,
    status: workflow.status,
    previousStatus,
    budgetMicros: workflow.budgetMicros,
    spentMicros: workflow.spentMicros,
    reservedMicros: workflow.reservedMicros,
    budgetPeriod: workflow.budgetPeriod,
    reason: workflow.statusReason,
  };
}

const PERIODS: readonly string[] = ['none', 'daily', 'monthly'];

function validateName(name: string | null | undefined, field: string): string {
  const trimmed = (name ?? '').trim();
  if (trimmed.length < 1 || trimmed.length > 200) throw invalidField(field, 'name must be 1 to 200 characters');
  return trimmed;
}

function validateBudget(budget: number | null | undefined, field: string): number | null {
  if (budget === null || budget === undefined) return null;
  if (!Number.isSafeInteger(budget) || budget < 0) throw invalidField(field, 'budgetMicros must be an integer ≥ 0');
  return budget;
}

function validatePeriod(period: string | null | undefined, field: string): BudgetPeriodValue {
  const value = (period ?? 'none').toLowerCase();
  if (!PERIODS.includes(value)) throw invalidField(field, 'budgetPeriod must be NONE, DAILY or MONTHLY');
  return value as BudgetPeriodValue;
}

function validateReason(reason: string | null | undefined): string | null {
  if (reason == null) return null;
  const trimmed = reason.trim();
  if (trimmed.length > 500) throw invalidField('reason', 'reason must be at most 500 characters');
  return trimmed || null;
}

const BY_ORG_LIMIT = 100;

export class WorkflowService {
  private readonly em: EntityManager;
  private readonly state: GovernanceState;

  constructor(em: EntityManager, state: GovernanceState) {
    this.em = em;
    this.state = state;
  }

  async create(
    principal: Principal,
    orgId: string,
    input: { name: string; budgetMicros?: number | null; budgetPeriod?: string | null },
    requestId?: string,
  ): Promise<WorkflowView> {
    const name = validateName(input.name, 'input.name');
    const budget = validateBudget(input.budgetMicros, 'input.budgetMicros');
    const period = validatePeriod(input.budgetPeriod, 'input.budgetPeriod');
    const id = newId('wf');
    return this.em.transactional(async (tx) => {
      const row = await queryOne(
        tx,
        sql`insert into workflows as w (id, org_id, name, status, budget_micros, spent_micros, budget_period,
              period_started_at, period_ends_at, reset_announced_at, created_at, updated_at)
            values (${id}, ${orgId}, ${name}, 'active', ${budget}, 0, ${period},
              period_start(${period}, now()), period_end(${period}, now()), period_start(${period}, now()), now(), now())
            returning ${WORKFLOW_COLUMNS}`,
      );
      const workflow = workflowFromRow(row as Row);
      recordEvent(tx, {
        orgId,
        type: 'workflow.created',
        subject: { type: 'workflow', id },
        data: workflowEventData(workflow, null),
        actor: principal,
        requestId,
      });
      return workflow;
    });
  }

  /** Reads without access checks (callers check). */
  /**
   * Nested fields (`Execution.workflow`, `BudgetAlert.workflow`, burn rate, `Organization.workflows`)
   * of one request are batched: one query per field and level, not one per parent. No cache across
   * calls (cache: false): a later mutation in the same request reads fresh rows.
   */
  readonly #byId = new DataLoader<string, WorkflowView | null>(
    async (ids) => {
      const rows = await query(
        this.em,
        sql`select ${WORKFLOW_COLUMNS} from workflows w where w.id = any(${textArray(ids)}::text[])`,
      );
      const byId = new Map(rows.map((row) => [String(row.id), workflowFromRow(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { cache: false },
  );

  /** A workflow for a nested field (batched with the other parents of the request; no access check). */
  load(id: string): Promise<WorkflowView | null> {
    return this.#byId.load(id);
  }

  async find(id: string, em: EntityManager = this.em): Promise<WorkflowView | null> {
    const row = await queryOne(em, sql`select ${WORKFLOW_COLUMNS} from workflows w where w.id = ${id}`);
    return row ? workflowFromRow(row) : null;
  }

  async get(principal: Principal, id: string, orgId?: string | null): Promise<WorkflowView | null> {
    if (orgId) assertOrgRole(principal, orgId);
    const workflow = await this.find(id);
    if (!workflow) {
      if (orgId) throw notFound('Workflow');
      return null;
    }
    requireObjectAccess(principal, workflow.orgId, 'Workflow', { orgId, workflowId: workflow.id });
    return workflow;
  }

  /** The organization's workflows; a workflow-bound caller's own only. */
  async list(
    principal: Principal,
    orgId: string,
    args: { status?: string | null; limit?: number | null; cursor?: string | null },
  ): Promise<Page<WorkflowView>> {
    const limit = pageSize(args.limit);
    // Ids are ULIDs: ordering by id is ordering by creation time.
    const after = decodeCursor(args.cursor, { i: 'text' })?.i ?? null;
    const status = args.status ? args.status.toLowerCase() : null;
    const bound = boundWorkflowOf(principal);
    const rows = await query(
      this.em,
      sql`select ${WORKFLOW_COLUMNS} from workflows w
          where w.org_id = ${orgId}
            and (${bound}::text is null or w.id = ${bound})
            and (${status}::text is null or w.status = ${status})
            and (${after}::text is null or w.id collate "C" < ${after}::text)
          order by w.id collate "C" desc
          limit ${limit + 1}`,
    );
    return toPage(rows.map(workflowFromRow), limit, (w) => ({ i: w.id }));
  }

  /** Up to 100 workflows per organization, newest first, for `Organization.workflows` (batched per request). */
  async listByOrg(principal: Principal, orgId: string): Promise<WorkflowView[]> {
    let loader = this.#byOrg.get(principal);
    if (!loader) {
      const bound = boundWorkflowOf(principal);
      loader = new DataLoader<string, WorkflowView[]>(
        async (orgIds) => {
          const rows = await query(
            this.em,
            sql`select * from (
                  select ${WORKFLOW_COLUMNS}, row_number() over (partition by w.org_id order by w.id collate "C" desc) as rank
                  from workflows w
                  where w.org_id = any(${textArray(orgIds)}::text[])
                    and (${bound}::text is null or w.id = ${bound})) ranked
                where ranked.rank <= ${BY_ORG_LIMIT}
                order by ranked.id collate "C" desc`,
          );
          const byOrg = new Map<string, WorkflowView[]>(orgIds.map((id) => [id, []]));
          for (const row of rows) byOrg.get(String(row.org_id))?.push(workflowFromRow(row));
          return orgIds.map((id) => byOrg.get(id) ?? []);
        },
        { cache: false },
      );
      this.#byOrg.set(principal, loader);
    }
    return loader.load(orgId);
  }

  readonly #byOrg = new WeakMap<Principal, DataLoader<string, WorkflowView[]>>();

  async update(
    principal: Principal,
    id: string,
    orgId: string | null | undefined,
    input: { name?: string | null; budgetMicros?: number | null; budgetPeriod?: string | null },
    requestId?: string,
  ): Promise<WorkflowView> {
    const name = input.name === undefined || input.name === null ? null : validateName(input.name, 'input.name');
    const setBudget = Object.hasOwn(input, 'budgetMicros') && input.budgetMicros !== undefined;
    const budget = validateBudget(input.budgetMicros, 'input.budgetMicros');
    const period = input.budgetPeriod ? validatePeriod(input.budgetPeriod, 'input.budgetPeriod') : null;
    return this.em.transactional(async (tx) => {
      const current = await this.#lock(tx, principal, id, orgId, roleFor('workflows:write'));
      if (current.status === 'killed') throw conflict('A killed workflow cannot be changed');
      const periodChanged = period !== null && period !== current.budgetPeriod;
      const row = await queryOne(
        tx,
        sql`update workflows w set
              name = coalesce(${name}, w.name),
              budget_micros = case when ${setBudget} then ${budget}::bigint else w.budget_micros end,
              budget_period = coalesce(${period}, w.budget_period),
              period_started_at = case when ${periodChanged} then period_start(${period}, now()) else w.period_started_at end,
              period_ends_at = case when ${periodChanged} then period_end(${period}, now()) else w.period_ends_at end,
              reset_announced_at = case when ${periodChanged} then period_start(${period}, now()) else w.reset_announced_at end,
              updated_at = now()
            where w.id = ${id}
            returning ${WORKFLOW_COLUMNS}`,
      );
      const workflow = workflowFromRow(row as Row);
      recordEvent(tx, {
        orgId: workflow.orgId,
        type: 'workflow.updated',
        subject: { type: 'workflow', id },
        data: {
          ...workflowEventData(workflow, current.status),
          changes: {
            ...(name !== null && name !== current.name ? { name: { from: current.name, to: name } } : {}),
            ...(setBudget && budget !== current.budgetMicros
              ? { budgetMicros: { from: current.budgetMicros, to: budget } }
              : {}),
            ...(periodChanged ? { budgetPeriod: { from: current.budgetPeriod, to: period } } : {}),
          },
        },
        actor: principal,
        requestId,
      });
      return workflow;
    });
  }

  pause(
    principal: Principal,
    id: string,
    orgId: string | null | undefined,
    reason?: string | null,
    requestId?: string,
  ) {
    return this.#transition(principal, id, orgId, 'paused', validateReason(reason), requestId);
  }

  resume(principal: Principal, id: string, orgId: string | null | undefined, requestId?: string) {
    return this.#transition(principal, id, orgId, 'active', null, requestId);
  }

  kill(principal: Principal, id: string, orgId: string | null | undefined, reason?: string | null, requestId?: string) {
    return this.#transition(principal, id, orgId, 'killed', validateReason(reason), requestId);
  }

  /** Locks the row (SELECT … FOR UPDATE) after the access checks. */
  async #lock(
    tx: EntityManager,
    principal: Principal,
    id: string,
    orgId: string | null | undefined,
    minimum: Role,
  ): Promise<WorkflowView> {
    if (orgId) assertOrgRole(principal, orgId);
    const row = await queryOne(tx, sql`select ${WORKFLOW_COLUMNS} from workflows w where w.id = ${id} for update`);
    if (!row) throw notFound('Workflow');
    const workflow = workflowFromRow(row);
    requireObjectAccess(principal, workflow.orgId, 'Workflow', { orgId, minimum, workflowId: workflow.id });
    return workflow;
  }

  async #transition(
    principal: Principal,
    id: string,
    orgId: string | null | undefined,
    target: WorkflowStatusValue,
    reason: string | null,
    requestId?: string,
  ): Promise<WorkflowView> {
    return this.em.transactional(async (tx) => {
      const current = await this.#lock(tx, principal, id, orgId, roleFor('workflows:write'));
      if (current.status === target) return current; // idempotent: no change, no event
      if (current.status === 'killed')
        throw conflict(
          `Workflow ${id} was killed; a killed workflow cannot be ${target === 'active' ? 'resumed' : 'paused'}`,
        );
      const row = await queryOne(
        tx,
        sql`update workflows w set
              status = ${target},
              status_reason = case when ${target} = 'active' then null else ${reason} end,
              paused_at = case when ${target} = 'paused' then now() when ${target} = 'active' then null else w.paused_at end,
              killed_at = case when ${target} = 'killed' then now() else w.killed_at end,
              updated_at = now()
            where w.id = ${id}
            returning ${WORKFLOW_COLUMNS}`,
      );
      const workflow = workflowFromRow(row as Row);
      const type =
        target === 'active' ? 'workflow.resumed' : target === 'paused' ? 'workflow.paused' : 'workflow.killed';
      recordEvent(tx, {
        orgId: workflow.orgId,
        type,
        subject: { type: 'workflow', id },
        data: workflowEventData(workflow, current.status),
        actor: principal,
        requestId,
      });
      return workflow;
    });
  }

  /** Spend rate over the burn window (micro-dollars per hour) and the time left at that rate. */
  /** Spend over the burn window per workflow: one query for every workflow of the request. */
  readonly #recentSpend = new DataLoader<WorkflowView, number>(
    async (workflows) => {
      const minutes = this.state.config.burnWindowMinutes;
      const rows = await query(
        this.em,
        sql`select u.workflow_id, coalesce(sum(u.cost_micros), 0) as cost
            from unnest(${textArray(workflows.map((w) => w.id))}::text[], ${textArray(workflows.map((w) => w.orgId))}::text[])
              as wanted(workflow_id, org_id)
            join usage_events u on u.workflow_id = wanted.workflow_id and u.org_id = wanted.org_id
            where u.recorded_at > now() - make_interval(mins => ${minutes})
            group by u.workflow_id`,
      );
      const costs = new Map(rows.map((row) => [String(row.workflow_id), num(row.cost)]));
      return workflows.map((w) => costs.get(w.id) ?? 0);
    },
    { cache: false },
  );

  async burn(
    workflow: WorkflowView,
  ): Promise<{ burnRateMicrosPerHour: number; timeToExhaustionSeconds: number | null }> {
    const minutes = this.state.config.burnWindowMinutes;
    const cost = await this.#recentSpend.load(workflow);
    const perSecond = cost / (minutes * 60);
    const burnRateMicrosPerHour = Math.round(perSecond * 3600);
    const remaining = workflow.remainingMicros;
    const timeToExhaustionSeconds =
      remaining === null || perSecond <= 0 || workflow.status !== 'active' ? null : Math.floor(remaining / perSecond);
    return { burnRateMicrosPerHour, timeToExhaustionSeconds };
  }
}
