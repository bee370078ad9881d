/**
 * The SDK hot path: gate (pre-flight), execute (policy evaluation + budget
 * reservation), track (settle actual spend, idempotent by event id — or, without
 * one, once per execution), track batches and the legacy advisory check.
 *
 * Each call is one SQL statement (plus a cached policy lookup): budgets are
 * enforced by conditional UPDATEs (`spent + reserved + cost <= budget`) inside
 * that statement, never by reading and writing back from JavaScript, so any
 * number of concurrent calls against one workflow grant exactly what fits.
 * Concurrent execute and track statements of one workflow share transactions
 * (group-commit.ts): one row lock and one commit per group, not per call.
 * No outbox event is written per call — only approvals and alerts (state
 * changes) produce events.
 */

import type { EntityManager } from '@mikro-orm/postgresql';
import { requireOrgAccess } from '../../kernel/authz.ts';
import { invalidField, notFound, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import type { Logger } from '../../kernel/logger.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { wakeOutboxRelay } from '../../kernel/outbox-relay.ts';
import { roleFor } from '../../kernel/permissions.ts';
import type { Principal, Role } from '../../kernel/principal.ts';
import { apiKeyIdOf, assertOrgRole } from './access.ts';
import type { AlertService, Crossing } from './alerts.ts';
import { dailyRollSet, effectiveSpent, rollSet, withinBudget, withinDailyBudget } from './budget-sql.ts';
import {
  type CallContext,
  type DecisionValue,
  evaluate,
  type PolicyRecord,
  rateSubject,
  type Verdict,
} from './policy-engine.ts';
import type { ReservationItem } from './reserve-group.ts';
import {
  dateOrNull,
  join,
  json,
  num,
  numOrNull,
  ofOrg,
  query,
  queryOne,
  queryPreparedOne,
  type Row,
  Sql,
  sql,
  textArray,
  withRetry,
} from './sql.ts';
import type { GovernanceState, OrgGovernance } from './state.ts';
import type { WorkflowStatusValue } from './workflows.ts';

export const MAX_TRACK_BATCH = 100;
const BATCH_CONCURRENCY = 4;
const MAX_TAGS = 32;
const MAX_METADATA_BYTES = 8192;
const EVENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

interface CallInput {
  workflowId?: string | null;
  orgId?: string | null;
  model?: string | null;
  provider?: string | null;
  tags?: string[] | null;
  metadata?: unknown;
}

export interface GateInput extends CallInput {
  estimatedCostMicros?: number | null;
}

export interface ExecuteInput extends CallInput {
  estimatedCostMicros: number;
  estimatedTokens?: number | null;
  ttlSeconds?: number | null;
}

export interface TrackInput extends CallInput {
  eventId?: string | null;
  executionId?: string | null;
  costMicros: number;
  inputTokens?: number | null;
  outputTokens?: number | null;
  latencyMs?: number | null;
  occurredAt?: Date | string | null;
}

export interface GateResult {
  allowed: boolean;
  decision: DecisionValue;
  reason: string | null;
  message: string | null;
  workflowId: string | null;
  workflowStatus: WorkflowStatusValue | null;
  budgetMicros: number | null;
  spentMicros: number | null;
  remainingMicros: number | null;
  policyId: string | null;
}

export interface ExecuteResult {
  executionId: string;
  allowed: boolean;
  decision: DecisionValue;
  status: string;
  reason: string | null;
  message: string | null;
  policyId: string | null;
  approvalId: string | null;
  workflowId: string | null;
  reservedMicros: number;
  remainingMicros: number | null;
  expiresAt: Date | null;
  retryAfterSeconds: number | null;
}

export interface TrackResult {
  eventId: string;
  recorded: boolean;
  duplicate: boolean;
  executionId: string | null;
  workflowId: string | null;
  settled: boolean;
  spentMicros: number | null;
  remainingMicros: number | null;
}

const MESSAGES: Record<string, string> = {
  workflow_paused: 'The workflow is paused',
  workflow_killed: 'The workflow was killed',
  budget_exceeded: 'The workflow budget does not cover this call',
  org_budget_exceeded: "The organization's daily budget does not cover this call",
  rate_limited: 'A rate-limit policy is exhausted for this window',
  approval_required: 'This call needs an approval',
};

const minOf = (...values: (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? Math.min(...present) : null;
};

const remaining = (budget: number | null, spent: number, reserved: number): number | null =>
  budget === null ? null : Math.max(0, budget - spent - reserved);

function nonNegativeInt(value: number | null | undefined, field: string, fallback = 0): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0)
    throw invalidField(field, `${field.split('.').pop()} must be an integer ≥ 0`);
  return value;
}

function shortText(value: string | null | undefined, field: string, max = 200): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length > max) throw invalidField(field, `must be at most ${max} characters`);
  return trimmed || null;
}

function tagsOf(tags: string[] | null | undefined, field: string): string[] {
  if (!tags) return [];
  if (tags.length > MAX_TAGS) throw invalidField(field, `at most ${MAX_TAGS} tags`);
  for (const tag of tags)
    if (tag.length < 1 || tag.length > 64) throw invalidField(field, 'tags must be 1 to 64 characters');
  return [...new Set(tags)];
}

function metadataOf(metadata: unknown, field: string): Record<string, unknown> | null {
  if (metadata === null || metadata === undefined) return null;
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw invalidField(field, 'metadata must be an object');
  if (JSON.stringify(metadata).length > MAX_METADATA_BYTES)
    throw invalidField(field, `metadata must be at most ${MAX_METADATA_BYTES} bytes of JSON`);
  return metadata as Record<string, unknown>;
}

interface Scope {
  orgId: string;
  workflowId: string | null;
}

export class SdkService {
  private readonly em: EntityManager;
  private readonly state: GovernanceState;
  private readonly alerts: AlertService;
  private readonly log: Logger;

  constructor(em: EntityManager, state: GovernanceState, alerts: AlertService, log: Logger) {
    this.em = em;
    this.state = state;
    this.alerts = alerts;
    this.log = log;
  }

  /**
   * The call's organization and workflow: the workflow from the input or the
   * key's binding, the organization from the API key, the input, or the
   * workflow (sessions).
   */
  async #scope(principal: Principal, input: CallInput, minimum: Role): Promise<Scope> {
    const workflowId = shortText(input.workflowId, 'input.workflowId', 100) ?? principal.workflowId ?? null;
    if (principal.workflowId && workflowId !== principal.workflowId)
      throw new TrellisError('forbidden', 'This call is bound to another workflow (its API key or X-Workflow-Id)', {
        field: 'input.workflowId',
      });
    if (principal.kind === 'api_key' && principal.orgId) {
      if (input.orgId && input.orgId !== principal.orgId)
        throw new TrellisError('org_mismatch', undefined, { field: 'input.orgId' });
      assertOrgRole(principal, principal.orgId, minimum);
      return { orgId: principal.orgId, workflowId };
    }
    if (input.orgId) {
      assertOrgRole(principal, input.orgId, minimum, 'input.orgId');
      return { orgId: input.orgId, workflowId };
    }
    if (!workflowId) throw invalidField('input.orgId', 'orgId or workflowId is required');
    const row = await queryPreparedOne(this.em, sql`select org_id from workflows where id = ${workflowId}`);
    if (!row) throw notFound('Workflow');
    requireOrgAccess(principal, String(row.org_id), 'Workflow', minimum);
    return { orgId: String(row.org_id), workflowId };
  }

  /**
   * gate and execute fail closed: a call naming no workflow (body, key binding or X-Workflow-Id) would be
   * checked against no workflow's status or budget and answer `allowed: true`.
   */
  #requireWorkflow(principal: Principal, input: CallInput): void {
    if (!shortText(input.workflowId, 'input.workflowId', 100) && !principal.workflowId)
      throw invalidField('input.workflowId', 'workflowId is required (in the body or the X-Workflow-Id header)');
  }

  #call(scope: Scope, principal: Principal, input: CallInput, estimatedCostMicros: number): CallContext {
    return {
      workflowId: scope.workflowId,
      model: shortText(input.model, 'input.model'),
      provider: shortText(input.provider, 'input.provider'),
      apiKeyId: apiKeyIdOf(principal),
      tags: tagsOf(input.tags, 'input.tags'),
      metadata: metadataOf(input.metadata, 'input.metadata'),
      estimatedCostMicros,
    };
  }

  // ------------------------------------------------------------------------------------------
  // gate / check
  // ------------------------------------------------------------------------------------------

  async gate(principal: Principal, input: GateInput): Promise<GateResult> {
    this.#requireWorkflow(principal, input);
    return this.#preflight(principal, input, roleFor('executions:write'));
  }

  /** The gate's answer; the legacy check may ask it about the organization alone (advisory). */
  async #preflight(principal: Principal, input: GateInput, minimum: Role): Promise<GateResult> {
    const cost = nonNegativeInt(input.estimatedCostMicros, 'input.estimatedCostMicros');
    const scope = await this.#scope(principal, input, minimum);
    const call = this.#call(scope, principal, input, cost);
    const org = await this.state.forOrg(this.em, scope.orgId);
    const verdict = evaluate(org.policies, call);
    const row = await this.state.gateReads.load({ em: this.em, orgId: scope.orgId, workflowId: scope.workflowId });
    if (scope.workflowId && !row?.status) throw notFound('Workflow');
    const status = (row?.status as WorkflowStatusValue | undefined) ?? null;
    const budget = numOrNull(row?.budget_micros);
    const spent = row?.status ? num(row.spent_micros) : null;
    const wfRemaining = row?.status ? remaining(budget, num(row.spent_micros), num(row.reserved_micros)) : null;
    const dailyBudget = numOrNull(row?.daily_budget_micros);
    const dailyRemaining = remaining(dailyBudget, num(row?.daily_spent_micros), num(row?.daily_reserved_micros));
    const fits = (left: number | null) => left === null || (cost > 0 ? cost <= left : left > 0);

    let decision: DecisionValue = verdict.decision;
    let reason = verdict.reason;
    let message = verdict.message;
    let policyId = verdict.policyId;
    const deny = (why: string) => {
      decision = 'deny';
      reason = why;
      message = MESSAGES[why] ?? why;
      policyId = null;
    };
    if (status === 'killed') deny('workflow_killed');
    else if (status === 'paused') deny('workflow_paused');
    else if (verdict.decision !== 'deny') {
      if (!fits(wfRemaining)) deny('budget_exceeded');
      else if (!fits(dailyRemaining)) deny('org_budget_exceeded');
    }
    return {
      allowed: decision !== 'deny',
      decision,
      reason,
      message,
      workflowId: scope.workflowId,
      workflowStatus: status,
      budgetMicros: budget,
      spentMicros: spent,
      remainingMicros: minOf(wfRemaining, dailyRemaining),
      policyId,
    };
  }

  /** Legacy pre-flight: the gate's answer, marked advisory; any authenticated caller may ask. */
  async check(principal: Principal, input: GateInput) {
    const result = await this.#preflight(principal, input, 'viewer');
    return {
      allowed: result.allowed,
      advisory: true,
      decision: result.decision,
      reason: result.reason,
      message: result.message,
      remainingMicros: result.remainingMicros,
    };
  }

  // ------------------------------------------------------------------------------------------
  // execute
  // ------------------------------------------------------------------------------------------

  async execute(principal: Principal, input: ExecuteInput, requestId?: string): Promise<ExecuteResult> {
    const cost = nonNegativeInt(input.estimatedCostMicros, 'input.estimatedCostMicros');
    const estimatedTokens = nonNegativeInt(input.estimatedTokens, 'input.estimatedTokens');
    const config = this.state.config;
    if (
      input.ttlSeconds != null &&
      (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds < 1 || input.ttlSeconds > 86_400)
    )
      throw invalidField('input.ttlSeconds', 'ttlSeconds must be between 1 and 86400');
    this.#requireWorkflow(principal, input);
    const scope = await this.#scope(principal, input, roleFor('executions:write'));
    const call = this.#call(scope, principal, input, cost);
    const org = await this.state.forOrg(this.em, scope.orgId);
    let verdict: Verdict = evaluate(org.policies, call);
    let retryAfterSeconds: number | null = null;
    if (verdict.decision !== 'deny') {
      for (const policy of verdict.rateLimits) {
        const limited = await this.#consumeRate(policy, call, principal, estimatedTokens);
        if (limited !== null) {
          verdict = {
            decision: 'deny',
            reason: 'rate_limited',
            message: `Rate limit of policy "${policy.name}" reached; retry in ${limited} s`,
            policyId: policy.id,
            rateLimits: [],
          };
          retryAfterSeconds = limited;
          break;
        }
      }
    }

    const approval = verdict.decision === 'require_approval';
    const plan: ExecutePlan = {
      id: newId('exe'),
      orgId: scope.orgId,
      workflowId: scope.workflowId,
      apiKeyId: call.apiKeyId,
      principalId: principal.id,
      call,
      cost,
      verdict,
      reserve: verdict.decision !== 'deny',
      useOrgBudget: org.dailyBudgetMicros !== null && verdict.decision !== 'deny',
      approvalId: approval ? newId('apr') : null,
      ttlSeconds: approval ? config.approvalTtlSeconds : (input.ttlSeconds ?? config.reservationTtlSeconds),
    };
    const statement = executeStatement(plan);
    const row = approval
      ? await withRetry(() =>
          this.em.transactional(async (tx) => {
            const result = await queryOne(tx, statement);
            if (result?.exec_status === 'pending_approval')
              recordEvent(tx, {
                orgId: plan.orgId,
                type: 'approval.requested',
                subject: { type: 'approval', id: plan.approvalId as string },
                data: {
                  approvalId: plan.approvalId,
                  executionId: plan.id,
                  workflowId: plan.workflowId,
                  policyId: verdict.policyId,
                  status: 'pending',
                  decision: 'require_approval',
                  amountMicros: cost,
                  model: call.model,
                },
                actor: principal,
                requestId,
              });
            return result;
          }),
        )
      : plan.workflowId
        ? await this.state.commits.run(this.em, { orgId: plan.orgId, workflowId: plan.workflowId }, statement, {
            reservation: reservationOf(plan),
          })
        : await withRetry(() => queryPreparedOne(this.em, statement));
    if (!row) throw notFound('Workflow');

    const status = String(row.exec_status);
    const ok = status === 'reserved' || status === 'pending_approval';
    if (ok && plan.workflowId) this.state.recentExecutions.remember(plan.id, plan.orgId, plan.workflowId);
    const reason = (row.exec_reason as string | null) ?? null;
    const wfRemaining = row.wf_status
      ? ok && row.res_spent !== null && row.res_spent !== undefined
        ? remaining(numOrNull(row.res_budget), num(row.res_spent), num(row.res_reserved))
        : remaining(numOrNull(row.cur_budget), num(row.cur_spent), num(row.cur_reserved))
      : null;
    const orgRemaining =
      row.org_budget !== null && row.org_budget !== undefined
        ? remaining(num(row.org_budget), num(row.org_spent), num(row.org_reserved))
        : null;
    const decision = row.exec_decision as DecisionValue;
    return {
      executionId: plan.id,
      allowed: status === 'reserved',
      decision,
      status,
      reason,
      message:
        decision === 'deny'
          ? reason === verdict.reason
            ? verdict.message
            : (MESSAGES[reason ?? ''] ?? null)
          : verdict.message,
      policyId: decision === 'deny' && reason !== verdict.reason ? null : verdict.policyId,
      approvalId: status === 'pending_approval' ? plan.approvalId : null,
      workflowId: plan.workflowId,
      reservedMicros: ok ? cost : 0,
      remainingMicros: minOf(wfRemaining, orgRemaining),
      expiresAt: dateOrNull(row.exec_expires_at),
      retryAfterSeconds,
    };
  }

  /** Counts one call (or checks tokens) against a RATE_LIMIT policy; returns seconds to wait when exceeded. */
  async #consumeRate(
    policy: PolicyRecord,
    call: CallContext,
    principal: Principal,
    estimatedTokens: number,
  ): Promise<number | null> {
    const limit = policy.rateLimit;
    if (!limit) return null;
    const subject = rateSubject(policy, call, principal.id);
    const window = limit.windowSeconds;
    const retryAfter = () => Math.max(1, window - (Math.floor(Date.now() / 1000) % window));
    if (limit.unit === 'calls') {
      const row = await queryPreparedOne(
        this.em,
        sql`insert into rate_counters as c (policy_id, subject, window_start, window_ends_at, calls, tokens)
            select ${policy.id}, ${subject}, x.ws, x.ws + make_interval(secs => ${window}), 1, 0
            from (select to_timestamp(floor(extract(epoch from now()) / ${window}) * ${window}) as ws) x
            on conflict (policy_id, subject, window_start) do update set calls = c.calls + 1 where c.calls < ${limit.limit}
            returning calls`,
      );
      return row ? null : retryAfter();
    }
    const row = await queryPreparedOne(
      this.em,
      sql`select coalesce(sum(tokens), 0) as tokens from rate_counters
          where policy_id = ${policy.id} and subject = ${subject}
            and window_start = to_timestamp(floor(extract(epoch from now()) / ${window}) * ${window})`,
    );
    // Tokens are counted when tracked; a call is refused once the window's tokens reach the limit
    // or its own estimate would not fit.
    const used = num(row?.tokens);
    return used >= limit.limit || used + estimatedTokens > limit.limit ? retryAfter() : null;
  }

  // ------------------------------------------------------------------------------------------
  // track
  // ------------------------------------------------------------------------------------------

  async track(principal: Principal, input: TrackInput, requestId?: string, field = 'input'): Promise<TrackResult> {
    const cost = nonNegativeInt(input.costMicros, `${field}.costMicros`);
    const inputTokens = nonNegativeInt(input.inputTokens, `${field}.inputTokens`);
    const outputTokens = nonNegativeInt(input.outputTokens, `${field}.outputTokens`);
    const latencyMs = input.latencyMs == null ? null : nonNegativeInt(input.latencyMs, `${field}.latencyMs`);
    const executionId = shortText(input.executionId, `${field}.executionId`, 100);
    // Without an event id, a track settles its execution once: a retry of it (or of any track that
    // already settled the execution) is a duplicate, not more spend. More spend needs distinct event ids.
    const settlesOnce = !input.eventId && executionId !== null;
    const eventId = input.eventId ?? executionId ?? newId('use');
    if (!EVENT_ID.test(eventId)) {
      if (settlesOnce) throw notFound('Execution'); // no execution id looks like that
      throw invalidField(`${field}.eventId`, 'eventId must be 1 to 128 of A-Z a-z 0-9 . _ : -');
    }
    let occurredAt: string | null = null;
    if (input.occurredAt) {
      const d = input.occurredAt instanceof Date ? input.occurredAt : new Date(input.occurredAt);
      if (Number.isNaN(d.getTime())) throw invalidField(`${field}.occurredAt`, 'occurredAt must be an RFC 3339 time');
      occurredAt = d.toISOString();
    }
    // Sessions may name just the execution: its organization is then the one it belongs to.
    let scopeInput: CallInput = input;
    if (!input.orgId && !input.workflowId && !principal.workflowId && principal.kind !== 'api_key' && executionId) {
      const owner = await queryOne(this.em, sql`select org_id from executions where id = ${executionId}`);
      if (!owner) throw notFound('Execution');
      scopeInput = { ...input, orgId: String(owner.org_id) };
    }
    const scope = await this.#scope(principal, scopeInput, roleFor('executions:write'));
    const call = this.#call(scope, principal, input, cost);
    const org = await this.state.forOrg(this.em, scope.orgId);
    const usageEventId = newId('evt');
    const tokens = inputTokens + outputTokens;

    const statement = sql`
      with settling as materialized (
        -- The execution's row, locked first: concurrent tracks of one execution queue here, and each
        -- sees whether an earlier one settled it.
        select e.settled_at from executions e
        where e.id = ${executionId} and ${ofOrg('e', scope.orgId)}
        for update
      ),
      target as materialized (
        select e.workflow_id as exec_wf, e.model as exec_model, e.provider as exec_provider,
          (e.id is not null) as exec_found,
          exists (select 1 from workflows w where w.id = ${scope.workflowId} and w.org_id = ${scope.orgId}) as wf_found
        from (select 1) as one
        left join executions e on e.id = ${executionId} and ${ofOrg('e', scope.orgId)}
      ),
      ev as (
        insert into usage_events (org_id, event_id, execution_id, workflow_id, api_key_id, model, provider,
          cost_micros, input_tokens, output_tokens, latency_ms, tags, metadata, occurred_at, recorded_at)
        select ${scope.orgId}, ${eventId}, case when t.exec_found then ${executionId} end,
          coalesce(t.exec_wf, case when t.wf_found then ${scope.workflowId} end),
          ${call.apiKeyId}, coalesce(${call.model}, t.exec_model), coalesce(${call.provider}, t.exec_provider), ${cost}, ${inputTokens}, ${outputTokens}, ${latencyMs}::int,
          ${textArray(call.tags)}::text[], ${json(call.metadata)}::jsonb, coalesce(${occurredAt}::timestamptz, now()), now()
        from target t
        where (${executionId}::text is null or t.exec_found)
          and (${scope.workflowId}::text is null or t.wf_found or t.exec_found)
          and not (${settlesOnce}::boolean and exists (select 1 from settling where settled_at is not null))
        on conflict (org_id, event_id) do nothing
        returning workflow_id, execution_id, api_key_id, model, occurred_at
      ),
      -- usage.recorded for billing (docs/events.md), in the same statement: only for a newly recorded event.
      usage_out as (
        insert into outbox (id, org_id, type, subject_type, subject_id, actor_type, actor_id, request_id, data,
          occurred_at, next_attempt_at)
        select ${usageEventId}, ${scope.orgId}, 'usage.recorded',
          case when ev.execution_id is null then 'usage_event' else 'execution' end,
          coalesce(ev.execution_id, ${eventId}::text), ${principal.kind}::text, ${principal.id}::text, ${requestId ?? null}::text,
          jsonb_build_object(
            'usageId', ${eventId}::text, 'source', 'ai',
            'resourceType', case when ev.execution_id is null then 'usage_event' else 'execution' end,
            'resourceId', coalesce(ev.execution_id, ${eventId}::text),
            'quantity', case when ${tokens}::bigint > 0 then ${tokens}::bigint else 1 end,
            'unit', case when ${tokens}::bigint > 0 then 'token' else 'call' end,
            'amountMicros', ${cost}::bigint, 'currency', 'usd',
            'workflowId', ev.workflow_id, 'apiKeyId', ev.api_key_id, 'model', ev.model,
            'periodStart', to_char(ev.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'periodEnd', to_char(ev.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
          now(), now()
        from ev
        returning 1
      ),
      ex as materialized (
        select e.id, e.status, e.reserved_micros, e.org_reserved, e.policy_id,
          e.model, e.provider, e.tags, e.metadata, e.api_key_id, e.workflow_id from executions e
        where e.id = ${executionId} and ${ofOrg('e', scope.orgId)} and exists (select 1 from ev)
        for update
      ),
      exu as (
        update executions e set
          status = case when ex.status in ('reserved', 'expired') then 'settled' else e.status end,
          actual_cost_micros = coalesce(e.actual_cost_micros, 0) + ${cost},
          input_tokens = coalesce(e.input_tokens, 0) + ${inputTokens},
          output_tokens = coalesce(e.output_tokens, 0) + ${outputTokens},
          latency_ms = coalesce(${latencyMs}::int, e.latency_ms),
          settled_at = coalesce(e.settled_at, now())
        from ex where e.id = ex.id
        returning e.id
      ),
      wf as (
        update workflows w set ${rollSet('w', sql`${cost}::bigint`)},
          reserved_micros = w.reserved_micros - coalesce((select ex.reserved_micros from ex where ex.status = 'reserved'), 0)
        where w.id = (select workflow_id from ev) and w.org_id = ${scope.orgId}
        returning w.id, w.budget_micros, w.spent_micros, w.reserved_micros, w.period_started_at
      ),
      org as (
        update org_settings o set ${dailyRollSet('o', sql`${cost}::bigint`)},
          daily_reserved_micros = greatest(0, o.daily_reserved_micros
            - coalesce((select ex.reserved_micros from ex where ex.status = 'reserved' and ex.org_reserved), 0))
        where o.org_id = ${scope.orgId}
          and exists (select 1 from ev)
          and (o.daily_budget_micros is not null or exists (select 1 from ex where ex.org_reserved))
        returning o.daily_budget_micros, o.daily_spent_micros, o.daily_reserved_micros, o.day_ends_at
      )
      select t.exec_found, t.wf_found,
        (select count(*) from ev)::int as recorded,
        (select workflow_id from ev) as event_workflow_id,
        (select status from ex) as prev_status,
        (select policy_id from ex) as policy_id,
        (select row_to_json(ex) from ex) as execution,
        (select count(*) from exu)::int as exec_updated,
        wf.id as wf_id, wf.budget_micros, wf.spent_micros, wf.reserved_micros, wf.period_started_at,
        org.daily_budget_micros, org.daily_spent_micros, org.daily_reserved_micros, org.day_ends_at
      from target t left join wf on true left join org on true`;
    const workflowId =
      scope.workflowId ??
      (executionId ? this.state.recentExecutions.take(executionId, scope.orgId) : undefined) ??
      (await this.#workflowOfExecution(scope.orgId, executionId));
    const row = (
      workflowId
        ? await this.state.commits.run(this.em, { orgId: scope.orgId, workflowId }, statement, {
            executionId,
            track: {
              eventId,
              executionId,
              workflowId: scope.workflowId,
              settlesOnce,
              apiKeyId: call.apiKeyId,
              model: call.model,
              provider: call.provider,
              cost,
              inputTokens,
              outputTokens,
              latencyMs,
              tags: call.tags,
              metadata: call.metadata,
              occurredAt,
              usageEventId,
              actorType: principal.kind,
              actorId: principal.id,
              requestId: requestId ?? null,
            },
          })
        : await withRetry(() => queryPreparedOne(this.em, statement))
    ) as Row;
    if (executionId && !row.exec_found) throw notFound('Execution');
    if (scope.workflowId && !row.wf_found && !row.exec_found) throw notFound('Workflow');
    const recorded = num(row.recorded) === 1;
    const budget = numOrNull(row.budget_micros);
    const spent = row.wf_id ? num(row.spent_micros) : null;
    const result: TrackResult = {
      eventId,
      recorded,
      duplicate: !recorded,
      executionId: row.exec_found ? executionId : null,
      workflowId: (row.event_workflow_id as string | null) ?? (row.exec_found ? null : scope.workflowId),
      settled: row.prev_status === 'reserved',
      spentMicros: spent,
      remainingMicros: row.wf_id ? remaining(budget, num(row.spent_micros), num(row.reserved_micros)) : null,
    };
    if (!recorded) return result;
    // The statement wrote usage.recorded to the outbox by hand (no ORM flush to wake the relay).
    wakeOutboxRelay(this.em);

    await this.#afterTrack(principal, scope, call, org, row, cost, inputTokens + outputTokens, requestId);
    return result;
  }

  /** The workflow a track settles on when its call names none: the execution's (groups it with that workflow's statements). */
  async #workflowOfExecution(orgId: string, executionId: string | null): Promise<string | null> {
    if (!executionId) return null;
    const row = await queryPreparedOne(
      this.em,
      sql`select e.workflow_id from executions e where e.id = ${executionId} and ${ofOrg('e', orgId)}`,
    );
    return (row?.workflow_id as string | null | undefined) ?? null;
  }

  /** Budget alerts crossed by this spend, and token rate-limit counting. */
  async #afterTrack(
    principal: Principal,
    scope: Scope,
    call: CallContext,
    org: OrgGovernance,
    row: Row,
    cost: number,
    tokens: number,
    requestId?: string,
  ): Promise<void> {
    const crossings: Crossing[] = [];
    if (cost > 0 && row.wf_id && row.budget_micros !== null) {
      const budget = num(row.budget_micros);
      const after = num(row.spent_micros);
      const periodStart = dateOrNull(row.period_started_at);
      for (const threshold of crossed(org.alertThresholds, budget, after - cost, after))
        crossings.push({
          kind: 'workflow_budget',
          workflowId: String(row.wf_id),
          thresholdPercent: threshold,
          periodKey: periodStart ? periodStart.toISOString() : 'all',
          budgetMicros: budget,
          spentMicros: after,
        });
    }
    if (cost > 0 && row.daily_budget_micros !== null && row.daily_budget_micros !== undefined) {
      const budget = num(row.daily_budget_micros);
      const after = num(row.daily_spent_micros);
      const dayEnds = dateOrNull(row.day_ends_at);
      const day = dayEnds ? new Date(dayEnds.getTime() - 86_400_000).toISOString().slice(0, 10) : 'today';
      for (const threshold of crossed(org.alertThresholds, budget, after - cost, after))
        crossings.push({
          kind: 'org_daily_budget',
          workflowId: null,
          thresholdPercent: threshold,
          periodKey: day,
          budgetMicros: budget,
          spentMicros: after,
        });
    }
    if (crossings.length > 0) await this.alerts.raise(principal, scope.orgId, crossings, requestId);

    if (org.hasTokenLimits && tokens > 0) {
      // The call as its execution described it, where the track event leaves something out.
      const execution = row.execution as Row | null;
      const context: CallContext = execution
        ? {
            workflowId: (execution.workflow_id as string | null) ?? call.workflowId,
            model: call.model ?? ((execution.model as string | null) || null),
            provider: call.provider ?? ((execution.provider as string | null) || null),
            apiKeyId: (execution.api_key_id as string | null) ?? call.apiKeyId,
            tags: call.tags.length ? call.tags : ((execution.tags as string[] | null) ?? []),
            metadata: call.metadata ?? (execution.metadata as Record<string, unknown> | null) ?? null,
            estimatedCostMicros: call.estimatedCostMicros,
          }
        : call;
      const limits = evaluate(org.policies, context).rateLimits.filter((p) => p.rateLimit?.unit === 'tokens');
      for (const policy of limits) {
        const limit = policy.rateLimit;
        if (limit?.unit !== 'tokens') continue;
        const subject = rateSubject(policy, context, principal.id);
        await query(
          this.em,
          sql`insert into rate_counters as c (policy_id, subject, window_start, window_ends_at, calls, tokens)
            select ${policy.id}, ${subject}, x.ws, x.ws + make_interval(secs => ${limit.windowSeconds}), 0, ${tokens}
            from (select to_timestamp(floor(extract(epoch from now()) / ${limit.windowSeconds}) * ${limit.windowSeconds}) as ws) x
            on conflict (policy_id, subject, window_start) do update set tokens = c.tokens + ${tokens}`,
        );
      }
    }
  }

  async trackBatch(principal: Principal, input: { events: TrackInput[] }, requestId?: string) {
    const events = input.events ?? [];
    if (events.length > MAX_TRACK_BATCH)
      throw invalidField('input.events', `a batch holds at most ${MAX_TRACK_BATCH} events`);
    const results: {
      index: number;
      eventId: string | null;
      ok: boolean;
      result: TrackResult | null;
      error: { code: string; message: string; field: string | null } | null;
    }[] = new Array(events.length);
    let next = 0;
    const worker = async () => {
      while (next < events.length) {
        const index = next++;
        const event = events[index] as TrackInput;
        try {
          const result = await this.track(principal, event, requestId, `input.events.${index}`);
          results[index] = { index, eventId: result.eventId, ok: true, result, error: null };
        } catch (error) {
          const known = error instanceof TrellisError;
          if (!known) this.log.error({ err: error, index }, 'track batch item failed');
          results[index] = {
            index,
            eventId: event.eventId ?? null,
            ok: false,
            result: null,
            error: {
              code: known ? error.code : 'internal',
              message: known ? error.message : 'Internal error',
              field: known ? ((error.extensions.field as string | undefined) ?? null) : null,
            },
          };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, events.length) }, worker));
    return {
      results,
      recorded: results.filter((r) => r.result?.recorded).length,
      duplicates: results.filter((r) => r.result?.duplicate).length,
      failed: results.filter((r) => !r.ok).length,
    };
  }
}

/** Thresholds (percent of `budget`) that spend crossed going from `before` to `after`. */
export function crossed(thresholds: readonly number[], budget: number, before: number, after: number): number[] {
  if (budget <= 0) return [];
  const b = BigInt(budget);
  return thresholds.filter(
    (t) => BigInt(Math.max(0, before)) * 100n < BigInt(t) * b && BigInt(after) * 100n >= BigInt(t) * b,
  );
}

/** The plan as one reservation of a group (reserve-group.ts), when it is a plain one. */
function reservationOf(plan: ExecutePlan): ReservationItem | undefined {
  if (!plan.workflowId || !plan.reserve || plan.useOrgBudget || plan.approvalId) return undefined;
  return {
    id: plan.id,
    apiKeyId: plan.apiKeyId,
    principalId: plan.principalId,
    model: plan.call.model,
    provider: plan.call.provider,
    tags: plan.call.tags,
    metadata: plan.call.metadata,
    decision: plan.verdict.decision,
    reason: plan.verdict.reason,
    policyId: plan.verdict.policyId,
    cost: plan.cost,
    ttlSeconds: plan.ttlSeconds,
  };
}

interface ExecutePlan {
  id: string;
  orgId: string;
  workflowId: string | null;
  apiKeyId: string | null;
  principalId: string;
  call: CallContext;
  cost: number;
  verdict: Verdict;
  reserve: boolean;
  useOrgBudget: boolean;
  approvalId: string | null;
  ttlSeconds: number;
}

/**
 * One statement: reserve the estimate on the workflow (and the organization's
 * daily budget when one is set) with conditional UPDATEs, record the execution
 * with the decision that follows, and open an approval when one is required.
 *
 * Result columns: wf_status, cur_* (workflow before), res_* (after reserving),
 * org_* (daily budget after reserving), exec_decision, exec_status,
 * exec_reason, exec_expires_at. No row: the workflow does not exist.
 */
export function executeStatement(plan: ExecutePlan): Sql {
  const { cost, verdict } = plan;
  const hasWf = plan.workflowId !== null;
  const okStatus = verdict.decision === 'require_approval' ? 'pending_approval' : 'reserved';
  const ctes: Sql[] = [];

  if (hasWf && !plan.useOrgBudget) {
    ctes.push(sql`cur as materialized (
      select w.status, w.budget_micros, ${effectiveSpent('w')} as spent_micros, w.reserved_micros
      from workflows w where w.id = ${plan.workflowId} and w.org_id = ${plan.orgId})`);
    if (plan.reserve) {
      ctes.push(sql`res as (
        update workflows w set ${rollSet('w')}, reserved_micros = w.reserved_micros + ${cost}::bigint
        where w.id = ${plan.workflowId} and w.org_id = ${plan.orgId} and w.status = 'active' and ${withinBudget('w', cost)}
        returning w.budget_micros, w.spent_micros, w.reserved_micros)`);
      ctes.push(sql`ok as (select exists (select 1 from res) as ok, false as org_failed)`);
    } else ctes.push(sql`ok as (select false as ok, false as org_failed)`);
  } else if (hasWf) {
    // Daily organization budget too: lock the workflow row first (its check is then stable),
    // reserve on the organization only if the workflow fits, then on the workflow.
    ctes.push(sql`cur as materialized (
      select w.status, w.budget_micros, ${effectiveSpent('w')} as spent_micros, w.reserved_micros,
        (w.status = 'active' and ${withinBudget('w', cost)}) as fits
      from workflows w where w.id = ${plan.workflowId} and w.org_id = ${plan.orgId}
      for update)`);
    ctes.push(sql`ores as (
      update org_settings o set ${dailyRollSet('o')}, daily_reserved_micros = o.daily_reserved_micros + ${cost}::bigint
      where o.org_id = ${plan.orgId} and coalesce((select fits from cur), false) and ${withinDailyBudget('o', cost)}
      returning o.daily_budget_micros, o.daily_spent_micros, o.daily_reserved_micros)`);
    ctes.push(sql`res as (
      update workflows w set ${rollSet('w')}, reserved_micros = w.reserved_micros + ${cost}::bigint
      where w.id = ${plan.workflowId} and exists (select 1 from ores)
      returning w.budget_micros, w.spent_micros, w.reserved_micros)`);
    ctes.push(sql`ok as (select exists (select 1 from res) as ok,
      (coalesce((select fits from cur), false) and not exists (select 1 from ores)) as org_failed)`);
  } else if (plan.useOrgBudget) {
    ctes.push(sql`ores as (
      update org_settings o set ${dailyRollSet('o')}, daily_reserved_micros = o.daily_reserved_micros + ${cost}::bigint
      where o.org_id = ${plan.orgId} and ${withinDailyBudget('o', cost)}
      returning o.daily_budget_micros, o.daily_spent_micros, o.daily_reserved_micros)`);
    ctes.push(sql`ok as (select exists (select 1 from ores) as ok, not exists (select 1 from ores) as org_failed)`);
  } else {
    ctes.push(sql`ok as (select ${plan.reserve}::boolean as ok, false as org_failed)`);
  }

  const statusReason = hasWf
    ? new Sql(
        `case cur.status when 'killed' then 'workflow_killed' when 'paused' then 'workflow_paused' else null end`,
        [],
      )
    : new Sql('null', []);
  const denyReason = plan.reserve
    ? sql`coalesce(${statusReason}, case when ok.org_failed then 'org_budget_exceeded' else 'budget_exceeded' end)`
    : sql`coalesce(${statusReason}, ${verdict.reason})`;
  const from = hasWf ? new Sql('from ok cross join cur', []) : new Sql('from ok', []);

  ctes.push(sql`ins as (
    insert into executions (id, org_id, workflow_id, api_key_id, principal_id, model, provider, tags, metadata,
      decision, status, reason, policy_id, approval_id, estimated_cost_micros, reserved_micros, org_reserved,
      expires_at, created_at)
    select ${plan.id}, ${plan.orgId}, ${plan.workflowId}, ${plan.apiKeyId}, ${plan.principalId},
      ${plan.call.model}, ${plan.call.provider}, ${textArray(plan.call.tags)}::text[], ${json(plan.call.metadata)}::jsonb,
      case when ok.ok then ${verdict.decision}::text else 'deny' end,
      case when ok.ok then ${okStatus}::text else 'denied' end,
      case when ok.ok then ${verdict.reason}::text else ${denyReason} end,
      ${verdict.policyId},
      case when ok.ok then ${plan.approvalId}::text end,
      ${cost}::bigint, case when ok.ok then ${cost}::bigint else 0 end, ok.ok and ${plan.useOrgBudget}::boolean,
      case when ok.ok then now() + make_interval(secs => ${plan.ttlSeconds}) end, now()
    ${from}
    returning decision, status, reason, expires_at)`);
  if (plan.approvalId)
    ctes.push(sql`apr as (
      insert into approvals (id, org_id, execution_id, workflow_id, policy_id, status, amount_micros, model,
        requested_by, expires_at, created_at)
      select ${plan.approvalId}, ${plan.orgId}, ${plan.id}, ${plan.workflowId}, ${verdict.policyId}, 'pending', ${cost},
        ${plan.call.model}, ${plan.principalId}, now() + make_interval(secs => ${plan.ttlSeconds}), now()
      from ok where ok.ok
      returning id)`);

  const hasRes = hasWf && plan.reserve;
  const hasOres = plan.useOrgBudget;
  const columns = new Sql(
    [
      hasWf
        ? 'cur.status as wf_status, cur.budget_micros as cur_budget, cur.spent_micros as cur_spent, cur.reserved_micros as cur_reserved'
        : 'null as wf_status',
      hasRes
        ? 'res.budget_micros as res_budget, res.spent_micros as res_spent, res.reserved_micros as res_reserved'
        : 'null as res_spent',
      hasOres
        ? 'ores.daily_budget_micros as org_budget, ores.daily_spent_micros as org_spent, ores.daily_reserved_micros as org_reserved'
        : 'null as org_budget',
      'ins.decision as exec_decision, ins.status as exec_status, ins.reason as exec_reason, ins.expires_at as exec_expires_at',
      plan.approvalId ? '(select count(*) from apr)::int as approvals' : '0 as approvals',
    ].join(', '),
    [],
  );
  const joins = new Sql(
    [
      hasWf ? 'from cur cross join ins' : 'from ins',
      hasRes ? 'left join res on true' : '',
      hasOres ? 'left join ores on true' : '',
    ].join(' '),
    [],
  );
  const withClause = ctes.length ? sql`with ${join(ctes, ',\n')}` : join([]);
  return sql`${withClause} select ${columns} ${joins}`;
}
