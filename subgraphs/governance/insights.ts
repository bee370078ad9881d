/**
 * The organization read side: status (budgets, rate, limits, time to
 * exhaustion from the recent burn rate), quota (usage per API key) and the
 * dashboard payload. Aggregates in SQL, one statement each.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { boundWorkflowOf } from '../../kernel/authz.ts';
import { invalidField } from '../../kernel/errors.ts';
import { encodeTime } from '../../kernel/ids.ts';
import type { Principal } from '../../kernel/principal.ts';
import { type AlertView, alertFromRow } from './alerts.ts';
import { type ApprovalView, approvalFromRow } from './approvals.ts';
import { effectiveDailySpent, effectiveSpent, WORKFLOW_COLUMNS } from './budget-sql.ts';
import { type ExecutionView, executionFromRow } from './executions.ts';
import { MAX_TRACK_BATCH } from './sdk.ts';
import { dateOrNull, num, numOrNull, query, queryOne, type Row, sql, strOrNull } from './sql.ts';
import type { GovernanceState } from './state.ts';
import { type WorkflowView, workflowFromRow } from './workflows.ts';

/** The smallest execution id created at or after `time` (ids are ULIDs: time-ordered). */
const executionIdFloor = (time: number) => `exe_${encodeTime(time)}`;

export interface OrgStatusView {
  orgId: string;
  budget: {
    workflowBudgetMicros: number;
    workflowSpentMicros: number;
    workflowReservedMicros: number;
    workflowRemainingMicros: number;
    totalSpentMicros: number;
    dailyBudgetMicros: number | null;
    dailySpentMicros: number | null;
    dailyReservedMicros: number | null;
    dailyRemainingMicros: number | null;
  };
  rate: {
    windowMinutes: number;
    callsInWindow: number;
    trackedEventsInWindow: number;
    spendInWindowMicros: number;
    burnRateMicrosPerHour: number;
    callsPerMinute: number;
  };
  limits: {
    apiKeyRequestsPerMinute: number;
    maxTrackBatchSize: number;
    reservationTtlSeconds: number;
    approvalTtlSeconds: number;
    alertThresholds: number[];
  };
  workflows: { active: number; paused: number; killed: number };
  timeToExhaustionSeconds: number | null;
  activeAlerts: number;
  pendingApprovals: number;
  generatedAt: Date;
}

export class InsightService {
  private readonly em: EntityManager;
  private readonly state: GovernanceState;

  constructor(em: EntityManager, state: GovernanceState) {
    this.em = em;
    this.state = state;
  }

  async status(orgId: string): Promise<OrgStatusView> {
    const minutes = this.state.config.burnWindowMinutes;
    const windowStart = Date.now() - minutes * 60_000;
    const [row, org] = await Promise.all([
      queryOne(
        this.em,
        sql`with burn as (
              select workflow_id, coalesce(sum(cost_micros), 0) as cost, count(*) as events
              from usage_events where org_id = ${orgId} and recorded_at > now() - make_interval(mins => ${minutes})
              group by workflow_id
            ),
            wf as (
              select w.status, w.budget_micros, ${effectiveSpent('w')} as spent, w.reserved_micros as reserved,
                coalesce(b.cost, 0) as burn
              from workflows w left join burn b on b.workflow_id = w.id
              where w.org_id = ${orgId}
            )
            select
              (select count(*) from wf where status = 'active') as active,
              (select count(*) from wf where status = 'paused') as paused,
              (select count(*) from wf where status = 'killed') as killed,
              (select coalesce(sum(budget_micros), 0) from wf where budget_micros is not null) as wf_budget,
              (select coalesce(sum(spent), 0) from wf where budget_micros is not null) as wf_spent,
              (select coalesce(sum(reserved), 0) from wf where budget_micros is not null) as wf_reserved,
              (select coalesce(sum(greatest(budget_micros - spent - reserved, 0)), 0) from wf
                where budget_micros is not null and status <> 'killed') as wf_remaining,
              (select coalesce(sum(spent), 0) from wf) as total_spent,
              (select min(greatest(budget_micros - spent - reserved, 0)::float8 / burn)
                 from wf where budget_micros is not null and status = 'active' and burn > 0) as wf_exhaust_windows,
              (select coalesce(sum(cost), 0) from burn) as burn_cost,
              (select coalesce(sum(events), 0) from burn) as burn_events,
              (select count(*) from executions where org_id = ${orgId}
                 and id collate "C" >= ${executionIdFloor(windowStart)}) as calls,
              (select daily_budget_micros from org_settings s where s.org_id = ${orgId}) as daily_budget,
              (select ${effectiveDailySpent('s')} from org_settings s where s.org_id = ${orgId}) as daily_spent,
              (select daily_reserved_micros from org_settings s where s.org_id = ${orgId}) as daily_reserved,
              (select count(*) from alerts where org_id = ${orgId} and dismissed_at is null) as alerts,
              (select count(*) from approvals where org_id = ${orgId} and status = 'pending') as approvals`,
      ),
      this.state.forOrg(this.em, orgId),
    ]);
    const r = row as Row;
    const windowSeconds = minutes * 60;
    const burnCost = num(r.burn_cost);
    const perSecond = burnCost / windowSeconds;
    const dailyBudget = numOrNull(r.daily_budget);
    const dailySpent = dailyBudget === null ? null : num(r.daily_spent);
    const dailyReserved = dailyBudget === null ? null : num(r.daily_reserved);
    const dailyRemaining =
      dailyBudget === null ? null : Math.max(0, dailyBudget - (dailySpent ?? 0) - (dailyReserved ?? 0));
    // Each budgeted workflow runs out at its own burn rate; the organization's daily budget at the total one.
    const candidates: number[] = [];
    const wfWindows = numOrNull(r.wf_exhaust_windows);
    if (wfWindows !== null) candidates.push(wfWindows * windowSeconds);
    if (dailyRemaining !== null && perSecond > 0) candidates.push(dailyRemaining / perSecond);
    const calls = num(r.calls);
    return {
      orgId,
      budget: {
        workflowBudgetMicros: num(r.wf_budget),
        workflowSpentMicros: num(r.wf_spent),
        workflowReservedMicros: num(r.wf_reserved),
        workflowRemainingMicros: num(r.wf_remaining),
        totalSpentMicros: num(r.total_spent),
        dailyBudgetMicros: dailyBudget,
        dailySpentMicros: dailySpent,
        dailyReservedMicros: dailyReserved,
        dailyRemainingMicros: dailyRemaining,
      },
      rate: {
        windowMinutes: minutes,
        callsInWindow: calls,
        trackedEventsInWindow: num(r.burn_events),
        spendInWindowMicros: burnCost,
        burnRateMicrosPerHour: Math.round(perSecond * 3600),
        callsPerMinute: Math.round((calls / minutes) * 100) / 100,
      },
      limits: {
        apiKeyRequestsPerMinute: this.state.config.apiKeyPerMinute,
        maxTrackBatchSize: MAX_TRACK_BATCH,
        reservationTtlSeconds: this.state.config.reservationTtlSeconds,
        approvalTtlSeconds: this.state.config.approvalTtlSeconds,
        alertThresholds: org.alertThresholds,
      },
      workflows: { active: num(r.active), paused: num(r.paused), killed: num(r.killed) },
      timeToExhaustionSeconds: candidates.length ? Math.floor(Math.min(...candidates)) : null,
      activeAlerts: num(r.alerts),
      pendingApprovals: num(r.approvals),
      generatedAt: new Date(),
    };
  }

  async quota(orgId: string, args: { since?: Date | string | null; until?: Date | string | null }) {
    const now = new Date();
    const since = args.since ? new Date(args.since) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)); // start of the UTC month
    const until = args.until ? new Date(args.until) : now;
    if (Number.isNaN(since.getTime())) throw invalidField('since', 'since must be an RFC 3339 time');
    if (Number.isNaN(until.getTime())) throw invalidField('until', 'until must be an RFC 3339 time');
    if (until < since) throw invalidField('until', 'until must not be before since');
    const rows = await query(
      this.em,
      sql`with ex as (
            select coalesce(api_key_id, '') as k, count(*) as executions, count(*) filter (where decision = 'deny') as denied,
              max(created_at) as last_at
            from executions
            where org_id = ${orgId} and created_at >= ${since.toISOString()}::timestamptz
              and created_at < ${until.toISOString()}::timestamptz
            group by 1
          ),
          ev as (
            select coalesce(api_key_id, '') as k, count(*) as events, coalesce(sum(cost_micros), 0) as cost,
              coalesce(sum(input_tokens), 0) as input_tokens, coalesce(sum(output_tokens), 0) as output_tokens,
              max(recorded_at) as last_at
            from usage_events
            where org_id = ${orgId} and recorded_at >= ${since.toISOString()}::timestamptz
              and recorded_at < ${until.toISOString()}::timestamptz
            group by 1
          )
          select nullif(coalesce(ex.k, ev.k), '') as api_key_id,
            coalesce(ex.executions, 0) as executions, coalesce(ex.denied, 0) as denied,
            coalesce(ev.events, 0) as events, coalesce(ev.cost, 0) as cost,
            coalesce(ev.input_tokens, 0) as input_tokens, coalesce(ev.output_tokens, 0) as output_tokens,
            greatest(ex.last_at, ev.last_at) as last_at
          from ex full join ev on ex.k = ev.k
          order by cost desc, executions desc`,
    );
    const keys = rows.map((r) => ({
      apiKeyId: strOrNull(r.api_key_id),
      executions: num(r.executions),
      deniedExecutions: num(r.denied),
      trackedEvents: num(r.events),
      costMicros: num(r.cost),
      inputTokens: num(r.input_tokens),
      outputTokens: num(r.output_tokens),
      lastUsedAt: dateOrNull(r.last_at),
    }));
    return {
      orgId,
      since,
      until,
      apiKeyRequestsPerMinute: this.state.config.apiKeyPerMinute,
      totalCostMicros: keys.reduce((sum, k) => sum + k.costMicros, 0),
      totalExecutions: keys.reduce((sum, k) => sum + k.executions, 0),
      keys,
    };
  }

  /** The dashboard; a workflow-bound caller's lists show its workflow only (the totals stay the organization's). */
  async dashboard(principal: Principal, orgId: string) {
    const bound = boundWorkflowOf(principal);
    const [status, row] = await Promise.all([
      this.status(orgId),
      queryOne(
        this.em,
        sql`select
          (select coalesce(json_agg(t), '[]'::json) from (
             select ${WORKFLOW_COLUMNS} from workflows w where w.org_id = ${orgId}
               and (${bound}::text is null or w.id = ${bound})
             order by ${effectiveSpent('w')} desc, w.id collate "C" desc limit 5) t) as workflows,
          (select coalesce(json_agg(t), '[]'::json) from (
             select * from executions where org_id = ${orgId} and (${bound}::text is null or workflow_id = ${bound})
             order by id collate "C" desc limit 10) t) as executions,
          (select coalesce(json_agg(t), '[]'::json) from (
             select * from alerts where org_id = ${orgId} and dismissed_at is null
               and (${bound}::text is null or workflow_id is null or workflow_id = ${bound})
             order by id collate "C" desc limit 10) t) as alerts,
          (select coalesce(json_agg(t), '[]'::json) from (
             select * from approvals where org_id = ${orgId} and status = 'pending'
               and (${bound}::text is null or workflow_id = ${bound})
             order by id collate "C" desc limit 10) t) as approvals,
          (select coalesce(json_agg(t order by t.day), '[]'::json) from (
             select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(sum(u.cost_micros), 0) as cost, count(u.event_id) as events
             from generate_series(period_start('daily', now()) - interval '29 days', period_start('daily', now()), interval '1 day') as d(day)
             left join usage_events u on u.org_id = ${orgId} and u.recorded_at >= d.day and u.recorded_at < d.day + interval '1 day'
             group by d.day) t) as by_day,
          (select coalesce(json_agg(t), '[]'::json) from (
             select model, coalesce(sum(cost_micros), 0) as cost, count(*) as events from usage_events
             where org_id = ${orgId} and recorded_at >= period_start('daily', now()) - interval '29 days'
             group by model order by 2 desc limit 10) t) as by_model`,
      ),
    ]);
    const r = row as Row;
    const rowsOf = (value: unknown) => (value as Row[]) ?? [];
    return {
      status,
      topWorkflows: rowsOf(r.workflows).map(workflowFromRow) as WorkflowView[],
      recentExecutions: rowsOf(r.executions).map(executionFromRow) as ExecutionView[],
      activeAlerts: rowsOf(r.alerts).map(alertFromRow) as AlertView[],
      pendingApprovals: rowsOf(r.approvals).map(approvalFromRow) as ApprovalView[],
      spendByDay: rowsOf(r.by_day).map((d) => ({ day: String(d.day), costMicros: num(d.cost), events: num(d.events) })),
      spendByModel: rowsOf(r.by_model).map((m) => ({
        model: strOrNull(m.model),
        costMicros: num(m.cost),
        events: num(m.events),
      })),
    };
  }
}
