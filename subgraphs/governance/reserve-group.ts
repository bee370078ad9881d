/**
 * The reservations of a group (group-commit.ts) as one set-based statement: the workflow row is
 * locked once, a recursive walk over the calls in arrival order grants each call that still fits
 * (`spent + reserved-so-far + cost <= budget`, the very check of `withinBudget`), one UPDATE adds
 * the granted total and one INSERT records every execution. A group of 64 executes is then one
 * statement instead of 64 round trips on the locked row.
 *
 * Only plain reservations take this path (a workflow, a verdict that reserves, no daily organization
 * budget, no approval); every other execute runs its own statement (`executeStatement`). The result
 * has one row per call with the columns `executeStatement` returns (plus `id`), so the caller reads
 * both alike: cur_* is the workflow as the call found it, res_* after it.
 */

import { snakeCaseKeys } from '../../kernel/snake-case.ts';
import { effectiveSpent, rollSet } from './budget-sql.ts';
import type { GroupKey } from './group-commit.ts';
import { json, Sql, sql } from './sql.ts';

/** One execute of a group: what `executeStatement` would insert for it. */
export interface ReservationItem {
  id: string;
  apiKeyId: string | null;
  principalId: string;
  model: string | null;
  provider: string | null;
  tags: readonly string[];
  metadata: Record<string, unknown> | null;
  /** The verdict's decision and reason, kept when the reservation is granted. */
  decision: string;
  reason: string | null;
  policyId: string | null;
  cost: number;
  ttlSeconds: number;
}

const STATUS_REASON = new Sql(
  `case c.status when 'killed' then 'workflow_killed' when 'paused' then 'workflow_paused' else null end`,
  [],
);

export function reserveGroupStatement(key: GroupKey, items: readonly ReservationItem[]): Sql {
  const payload = json(items.map((item, i) => ({ n: i + 1, ...snakeCaseKeys(item) })));
  return sql`with recursive
    items as materialized (
      select * from jsonb_to_recordset(${payload}::jsonb) as i(n int, id text, api_key_id text, principal_id text,
        model text, provider text, tags text[], metadata jsonb, decision text, reason text, policy_id text,
        cost bigint, ttl_seconds int)
    ),
    cur as materialized (
      select w.status, w.budget_micros, ${effectiveSpent('w')} as spent_micros, w.reserved_micros
      from workflows w where w.id = ${key.workflowId} and w.org_id = ${key.orgId}
      for update
    ),
    -- Arrival order: call n sees the reservations granted to calls 1..n-1 (before → after).
    walk (n, before, after, ok) as (
      select 0, c.reserved_micros, c.reserved_micros, false from cur c
      union all
      select i.n, k.after, k.after + case when f.ok then i.cost else 0 end, f.ok
      from walk k join items i on i.n = k.n + 1 cross join cur c
      cross join lateral (select c.status = 'active' and (c.budget_micros is null
        or (c.spent_micros + k.after + i.cost <= c.budget_micros
            and (i.cost > 0 or c.spent_micros + k.after < c.budget_micros))) as ok) f
    ),
    res as (
      update workflows w set ${rollSet('w')},
        reserved_micros = w.reserved_micros + (select coalesce(sum(i.cost), 0) from walk k join items i using (n) where k.ok)
      where w.id = ${key.workflowId} and w.org_id = ${key.orgId} and exists (select 1 from walk where ok)
      returning 1
    ),
    ins as (
      insert into executions (id, org_id, workflow_id, api_key_id, principal_id, model, provider, tags, metadata,
        decision, status, reason, policy_id, approval_id, estimated_cost_micros, reserved_micros, org_reserved,
        expires_at, created_at)
      select i.id, ${key.orgId}, ${key.workflowId}, i.api_key_id, i.principal_id, i.model, i.provider,
        coalesce(i.tags, '{}'), i.metadata,
        case when k.ok then i.decision else 'deny' end,
        case when k.ok then 'reserved' else 'denied' end,
        case when k.ok then i.reason else coalesce(${STATUS_REASON}, 'budget_exceeded') end,
        i.policy_id, null, i.cost, case when k.ok then i.cost else 0 end, false,
        case when k.ok then now() + make_interval(secs => i.ttl_seconds) end, now()
      from items i join walk k using (n) cross join cur c
      returning id, decision, status, reason, expires_at
    )
    select ins.id, c.status as wf_status, c.budget_micros as cur_budget, c.spent_micros as cur_spent,
      k.before as cur_reserved, c.budget_micros as res_budget, c.spent_micros as res_spent, k.after as res_reserved,
      null as org_budget, ins.decision as exec_decision, ins.status as exec_status, ins.reason as exec_reason,
      ins.expires_at as exec_expires_at, 0 as approvals, (select count(*) from res)::int as updated
    from ins join items i on i.id = ins.id join walk k on k.n = i.n cross join cur c
    order by i.n`;
}
