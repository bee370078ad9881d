/**
 * The tracks of a group (group-commit.ts) as one set-based statement, like the reservations
 * (reserve-group.ts): one INSERT of the usage events, one of their outbox rows, one UPDATE of the
 * settled executions, one UPDATE per workflow (and of the organization's daily budget) by the
 * group's totals. A track run alone updates the workflow row once per call, and inside one
 * transaction every such update adds a row version the next one walks past: 32 tracks of a group
 * cost ~0.5 ms each under the row lock. Here the row is updated once per group.
 *
 * Each call's answer is the one its lone statement (`trackStatement` in sdk.ts) would give in
 * arrival order: the same columns, the workflow and organization as they stood after this call
 * (running totals over the calls before it), nothing for a call that was not recorded. This holds
 * because the calls of one set never touch the same execution or event id (group-commit.ts keeps
 * a repeat for after the set): each call's outcome (found, duplicate of a stored event, execution
 * already settled) then depends on the stored rows only, never on another call of the set.
 */

import { snakeCaseKeys } from '../../kernel/snake-case.ts';
import { dailyRollSet, rollSet } from './budget-sql.ts';
import type { GroupKey } from './group-commit.ts';
import { json, Sql, sql } from './sql.ts';

/** One track of a group: what its lone statement would write. */
export interface TrackItem {
  eventId: string;
  executionId: string | null;
  /** The workflow the call names (its scope), not the execution's. */
  workflowId: string | null;
  /** No event id of its own: records nothing once the execution is settled. */
  settlesOnce: boolean;
  apiKeyId: string | null;
  model: string | null;
  provider: string | null;
  cost: number;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number | null;
  tags: readonly string[];
  metadata: Record<string, unknown> | null;
  occurredAt: string | null;
  /** The id of its usage.recorded outbox row. */
  usageEventId: string;
  actorType: string;
  actorId: string;
  requestId: string | null;
}

const raw = (text: string) => new Sql(text, []);

export function trackGroupStatement(key: GroupKey, items: readonly TrackItem[]): Sql {
  const payload = json(items.map((item, i) => ({ n: i + 1, ...snakeCaseKeys(item) })));
  const org = key.orgId;
  // The organization's spend and release of the calls that touch its row (see `org` below).
  const orgMoves = raw('from moves m where o.daily_budget_micros is not null or m.org_reserved');
  return sql`with
    items as materialized (
      select * from jsonb_to_recordset(${payload}::jsonb) as i(n int, event_id text, execution_id text,
        workflow_id text, settles_once boolean, api_key_id text, model text, provider text, cost bigint,
        input_tokens bigint, output_tokens bigint, latency_ms int, tags text[], metadata jsonb,
        occurred_at timestamptz, usage_event_id text, actor_type text, actor_id text, request_id text)
    ),
    target as materialized (
      select i.n, e.workflow_id as exec_wf, e.model as exec_model, e.provider as exec_provider, e.settled_at,
        (e.id is not null) as exec_found,
        exists (select 1 from workflows w where w.id = i.workflow_id and w.org_id = ${org}) as wf_found
      -- One primary-key look-up per call (a join would let the planner, expecting 100 calls from
      -- jsonb_to_recordset, scan every execution instead: 3 ms at 6,400 rows).
      from items i left join lateral (
        select e.* from executions e where e.id = i.execution_id and (e.org_id = ${org}) is true limit 1
      ) e on true
    ),
    ev as (
      insert into usage_events (org_id, event_id, execution_id, workflow_id, api_key_id, model, provider,
        cost_micros, input_tokens, output_tokens, latency_ms, tags, metadata, occurred_at, recorded_at)
      select ${org}, i.event_id, case when t.exec_found then i.execution_id end,
        coalesce(t.exec_wf, case when t.wf_found then i.workflow_id end),
        i.api_key_id, coalesce(i.model, t.exec_model), coalesce(i.provider, t.exec_provider), i.cost,
        i.input_tokens, i.output_tokens, i.latency_ms, coalesce(i.tags, '{}'), i.metadata,
        coalesce(i.occurred_at, now()), now()
      from items i join target t using (n)
      where (i.execution_id is null or t.exec_found)
        and (i.workflow_id is null or t.wf_found or t.exec_found)
        and not (i.settles_once and t.settled_at is not null)
      order by i.n
      on conflict (org_id, event_id) do nothing
      returning event_id, workflow_id, execution_id, api_key_id, model, occurred_at
    ),
    rec as materialized (
      select i.*, ev.workflow_id as ev_workflow_id, ev.execution_id as ev_execution_id,
        ev.api_key_id as ev_api_key_id, ev.model as ev_model, ev.occurred_at as ev_occurred_at
      from ev join items i on i.event_id = ev.event_id
    ),
    -- usage.recorded for billing (docs/events.md), as the lone statement writes it.
    usage_out as (
      insert into outbox (id, org_id, type, subject_type, subject_id, actor_type, actor_id, request_id, data,
        occurred_at, next_attempt_at)
      select r.usage_event_id, ${org}, 'usage.recorded',
        case when r.ev_execution_id is null then 'usage_event' else 'execution' end,
        coalesce(r.ev_execution_id, r.event_id), r.actor_type, r.actor_id, r.request_id,
        jsonb_build_object(
          'usageId', r.event_id, 'source', 'ai',
          'resourceType', case when r.ev_execution_id is null then 'usage_event' else 'execution' end,
          'resourceId', coalesce(r.ev_execution_id, r.event_id),
          'quantity', case when r.input_tokens + r.output_tokens > 0 then r.input_tokens + r.output_tokens else 1 end,
          'unit', case when r.input_tokens + r.output_tokens > 0 then 'token' else 'call' end,
          'amountMicros', r.cost, 'currency', 'usd',
          'workflowId', r.ev_workflow_id, 'apiKeyId', r.ev_api_key_id, 'model', r.ev_model,
          'periodStart', to_char(r.ev_occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'periodEnd', to_char(r.ev_occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        now(), now()
      from rec r
      order by r.n
      returning 1
    ),
    -- A primary-key look-up per call here too: a join's plan, cached with the prepared statement while
    -- the table was small, scanned every execution (28 ms per group at ~20,000 executions).
    ex as materialized (
      select r.n, e.id, e.status, e.reserved_micros, e.org_reserved, e.policy_id,
        e.model, e.provider, e.tags, e.metadata, e.api_key_id, e.workflow_id
      from rec r cross join lateral (
        select e.* from executions e where e.id = r.ev_execution_id and (e.org_id = ${org}) is true
        limit 1 for update of e
      ) e
    ),
    exu as (
      update executions e set
        status = case when ex.status in ('reserved', 'expired') then 'settled' else e.status end,
        actual_cost_micros = coalesce(e.actual_cost_micros, 0) + r.cost,
        input_tokens = coalesce(e.input_tokens, 0) + r.input_tokens,
        output_tokens = coalesce(e.output_tokens, 0) + r.output_tokens,
        latency_ms = coalesce(r.latency_ms, e.latency_ms),
        settled_at = coalesce(e.settled_at, now())
      from ex join rec r using (n) where e.id = ex.id
      returning ex.n
    ),
    -- What each recorded call moves: spend, and the reservation it releases (workflow, organization).
    moves as materialized (
      select r.n, r.ev_workflow_id as workflow_id, r.cost,
        case when ex.status = 'reserved' then ex.reserved_micros else 0 end as released,
        case when ex.status = 'reserved' and ex.org_reserved then ex.reserved_micros else 0 end as org_released,
        coalesce(ex.org_reserved, false) as org_reserved
      from rec r left join ex using (n)
    ),
    wf_totals as (
      select workflow_id, sum(cost)::bigint as cost, sum(released)::bigint as released
      from moves where workflow_id is not null group by workflow_id
    ),
    wf as (
      update workflows w set ${rollSet('w', raw('t.cost'))}, reserved_micros = w.reserved_micros - t.released
      from wf_totals t
      where w.id = t.workflow_id and w.org_id = ${org}
      returning w.id, w.budget_micros, w.spent_micros, w.reserved_micros, w.period_started_at
    ),
    -- Each call sees the row as it stood after it: the final values less what the later calls moved.
    wf_after as (
      select m.n, wf.id, wf.budget_micros, wf.period_started_at,
        wf.spent_micros - coalesce(sum(m.cost) over later, 0) as spent_micros,
        wf.reserved_micros + coalesce(sum(m.released) over later, 0) as reserved_micros
      from moves m join wf on wf.id = m.workflow_id
      window later as (partition by m.workflow_id order by m.n rows between 1 following and unbounded following)
    ),
    org_before as materialized (
      select o.daily_reserved_micros from org_settings o where o.org_id = ${org}
    ),
    org as (
      update org_settings o set
        ${dailyRollSet('o', raw(`(select coalesce(sum(m.cost), 0)::bigint ${orgMoves.text})`))},
        daily_reserved_micros = greatest(0, o.daily_reserved_micros
          - (select coalesce(sum(m.org_released), 0)::bigint ${orgMoves}))
      where o.org_id = ${org}
        and exists (select 1 ${orgMoves})
      returning o.daily_budget_micros, o.daily_spent_micros, o.daily_reserved_micros, o.day_ends_at
    ),
    org_after as (
      select m.n, org.daily_budget_micros, org.day_ends_at,
        org.daily_spent_micros - coalesce(sum(m.cost) over later, 0) as daily_spent_micros,
        greatest(0, (select daily_reserved_micros from org_before) - sum(m.org_released) over upto) as daily_reserved_micros
      from moves m cross join org
      where org.daily_budget_micros is not null or m.org_reserved
      window later as (order by m.n rows between 1 following and unbounded following),
        upto as (order by m.n rows between unbounded preceding and current row)
    )
    select i.n, t.exec_found, t.wf_found,
      (r.n is not null)::int as recorded,
      r.ev_workflow_id as event_workflow_id,
      ex.status as prev_status,
      ex.policy_id,
      (select row_to_json(x) from (select ex.id, ex.status, ex.reserved_micros, ex.org_reserved, ex.policy_id,
        ex.model, ex.provider, ex.tags, ex.metadata, ex.api_key_id, ex.workflow_id) x where ex.n is not null) as execution,
      (select count(*) from exu where exu.n = i.n)::int as exec_updated,
      wa.id as wf_id, wa.budget_micros, wa.spent_micros, wa.reserved_micros, wa.period_started_at,
      oa.daily_budget_micros, oa.daily_spent_micros, oa.daily_reserved_micros, oa.day_ends_at
    from items i join target t using (n)
      left join rec r on r.n = i.n
      left join ex on ex.n = i.n
      left join wf_after wa on wa.n = i.n
      left join org_after oa on oa.n = i.n
    order by i.n`;
}
