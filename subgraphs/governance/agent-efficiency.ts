/**
 * The agent-efficiency dashboard (seed 004 `/dashboard/agent-efficiency`, docs/governance.md §Agent efficiency).
 *
 * Agents live in compute; governance never reads compute's tables. The `governance.agent-efficiency` consumer
 * keeps what the dashboard needs from compute's events, exactly once per event (the consumer's dedupe):
 * - `agent.*` → `agent_directory` (name, budget workflow, desired state; the latest event wins — a consumer
 *   sees one organization's events in log order);
 * - `job.succeeded|failed|cancelled` with an `agentId` → `agent_task_days` (outcomes per agent and UTC day).
 * The KPIs join those with the spend tracked on each agent's workflow (`usage_events`) over a window of whole
 * UTC days, in one statement.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { boundWorkflowOf } from '../../kernel/authz.ts';
import { invalidField } from '../../kernel/errors.ts';
import type { EventConsumer } from '../../kernel/event-consumers.ts';
import type { Principal } from '../../kernel/principal.ts';
import { num, numOrNull, query, Sql, sql, strOrNull } from './sql.ts';

export const DEFAULT_WINDOW_DAYS = 30;
export const MAX_WINDOW_DAYS = 365;
/** The most agents one answer lists (the best first). */
export const MAX_AGENTS = 500;

const OUTCOME_COLUMN: Record<string, string> = {
  'job.succeeded': 'completed',
  'job.failed': 'failed',
  'job.cancelled': 'cancelled',
};

const text = (value: unknown, max: number) =>
  typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null;

export const agentEfficiencyFeed: EventConsumer = {
  name: 'governance.agent-efficiency',
  types: ['agent.*', 'job.succeeded', 'job.failed', 'job.cancelled'],
  async handle(tx, event) {
    const data = event.data;
    const agentId = text(data.agentId, 200);
    if (!agentId) return;
    if (event.type.startsWith('agent.')) {
      await query(
        tx,
        sql`insert into agent_directory (agent_id, org_id, name, workflow_id, desired_state, updated_at)
            values (${agentId}, ${event.orgId}, ${text(data.name, 200) ?? agentId}, ${text(data.workflowId, 200)},
              ${text(data.desiredState, 40)}, ${new Date(event.occurredAt)})
            on conflict (agent_id) do update set name = excluded.name, workflow_id = excluded.workflow_id,
              desired_state = excluded.desired_state, updated_at = excluded.updated_at
            where agent_directory.org_id = excluded.org_id`,
      );
      return;
    }
    const column = OUTCOME_COLUMN[event.type];
    if (!column) return;
    // One of three fixed column names (never client input), spliced as SQL text.
    const target = new Sql(column, []);
    await query(
      tx,
      sql`insert into agent_task_days (org_id, agent_id, day, ${target})
          values (${event.orgId}, ${agentId}, (${new Date(event.occurredAt)}::timestamptz at time zone 'UTC')::date, 1)
          on conflict (org_id, agent_id, day) do update set ${target} = agent_task_days.${target} + 1`,
    );
  },
};

export interface AgentEfficiencyView {
  agentId: string;
  name: string;
  workflowId: string | null;
  deactivated: boolean;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costMicros: number;
  trackedEvents: number;
  tasksCompleted: number;
  tasksFailed: number;
  tasksCancelled: number;
  /** Completed tasks per 1,000 tokens; null when the window has no tokens. */
  tasksPer1kTokens: number | null;
  /** Cost per completed task (rounded); null when no task completed. */
  costPerTaskMicros: number | null;
}

/** `days` as given (1–365) or the default. */
export function windowDays(days: number | null | undefined): number {
  if (days === null || days === undefined) return DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS)
    throw invalidField('days', `days must be a whole number from 1 to ${MAX_WINDOW_DAYS}`);
  return days;
}

export class AgentEfficiencyService {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  /**
   * Per agent over the last `days` UTC days (today included): tokens and cost tracked on its workflow, task
   * outcomes, tasks per 1k tokens — sorted by tasks per 1k tokens (agents without tokens last). A
   * workflow-bound caller sees the agents of its workflow only.
   */
  async list(principal: Principal, orgId: string, args: { days?: number | null }): Promise<AgentEfficiencyView[]> {
    const days = windowDays(args.days);
    const bound = boundWorkflowOf(principal);
    const rows = await query(
      this.#em,
      sql`with win as (select period_start('daily', now()) - make_interval(days => ${days - 1}) as since),
        agents as (
          select * from agent_directory where org_id = ${orgId} and (${bound}::text is null or workflow_id = ${bound})),
        tasks as (
          select agent_id, sum(completed) as completed, sum(failed) as failed, sum(cancelled) as cancelled
          from agent_task_days
          where org_id = ${orgId} and day >= ((select since from win) at time zone 'UTC')::date
            and agent_id in (select agent_id from agents)
          group by agent_id),
        spend as (
          select workflow_id, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
            sum(cost_micros) as cost, count(*) as events
          from usage_events
          where org_id = ${orgId} and recorded_at >= (select since from win)
            and workflow_id in (select workflow_id from agents where workflow_id is not null)
          group by workflow_id),
        kpis as (
          select a.agent_id, a.name, a.workflow_id, a.desired_state = 'deactivated' as deactivated,
            coalesce(s.input_tokens, 0) as input_tokens, coalesce(s.output_tokens, 0) as output_tokens,
            coalesce(s.input_tokens, 0) + coalesce(s.output_tokens, 0) as total_tokens,
            coalesce(s.cost, 0) as cost, coalesce(s.events, 0) as events,
            coalesce(t.completed, 0) as completed, coalesce(t.failed, 0) as failed,
            coalesce(t.cancelled, 0) as cancelled
          from agents a left join tasks t on t.agent_id = a.agent_id left join spend s on s.workflow_id = a.workflow_id)
        select *,
          case when total_tokens > 0 then completed * 1000.0 / total_tokens end as per_1k,
          case when completed > 0 then round(cost::numeric / completed) end as cost_per_task
        from kpis
        order by per_1k desc nulls last, completed desc, name, agent_id collate "C"
        limit ${MAX_AGENTS}`,
    );
    return rows.map((r) => ({
      agentId: String(r.agent_id),
      name: String(r.name),
      workflowId: strOrNull(r.workflow_id),
      deactivated: r.deactivated === true,
      inputTokens: num(r.input_tokens),
      outputTokens: num(r.output_tokens),
      totalTokens: num(r.total_tokens),
      costMicros: num(r.cost),
      trackedEvents: num(r.events),
      tasksCompleted: num(r.completed),
      tasksFailed: num(r.failed),
      tasksCancelled: num(r.cancelled),
      tasksPer1kTokens: r.per_1k === null || r.per_1k === undefined ? null : Number(r.per_1k),
      costPerTaskMicros: numOrNull(r.cost_per_task),
    }));
  }
}
