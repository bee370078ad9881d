/**
 * SQL fragments for budgets with periods. A periodic budget rolls over lazily:
 * every statement that writes a workflow (reserve, settle, sweeper) applies the
 * rollover first when `period_ends_at` has passed, and every read shows the
 * rolled-over values, so a reset is exact to the second even between sweeps.
 * The sweeper announces resets (workflow.budget_reset) and rolls idle rows.
 */
import { memoText, Sql } from './sql.ts';

const raw = (text: string) => new Sql(text, []);

/** True when the row's period has ended (null for budgets without a period). */

/** The spend of the current period, as if the rollover had happened. */
export const effectiveSpent = (a: string) =>
  raw(
    memoText(
      `effectiveSpent\u0000${a}`,
      () => `(case when ${a}.period_ends_at <= now() then 0 else ${a}.spent_micros end)`,
    ),
  );

/** SET assignments applying a due rollover; `extraSpend` is added to the (rolled) spend. */
export function rollSet(a: string, extraSpend?: Sql): Sql {
  const extra = extraSpend ? ` + ${extraSpend.text}` : '';
  const text = memoText(`rollSet\u0000${a}\u0000${extra}`, () => {
    const spent = effectiveSpent(a).text + extra;
    return `spent_micros = ${spent},
     previous_period_spent_micros = case when ${a}.period_ends_at <= now() then ${a}.spent_micros else ${a}.previous_period_spent_micros end,
     period_started_at = case when ${a}.period_ends_at <= now() then period_start(${a}.budget_period, now()) else ${a}.period_started_at end,
     period_ends_at = case when ${a}.period_ends_at <= now() then period_end(${a}.budget_period, now()) else ${a}.period_ends_at end`;
  });
  return new Sql(text, extraSpend ? extraSpend.params : []);
}

/**
 * The budget check: `spent + reserved + cost <= budget`; a zero-cost call is
 * refused only once nothing is left. Always true for an unlimited budget.
 */
export function withinBudget(a: string, cost: number): Sql {
  const text = memoText(`withinBudget\u0000${a}`, () => {
    const spent = effectiveSpent(a).text;
    return `(${a}.budget_micros is null or (${spent} + ${a}.reserved_micros + ?::bigint <= ${a}.budget_micros
       and (?::bigint > 0 or ${spent} + ${a}.reserved_micros < ${a}.budget_micros)))`;
  });
  return new Sql(text, [cost, cost]);
}

/** The organization's daily spend, as if the day had rolled over. */
export const effectiveDailySpent = (a: string) =>
  raw(
    memoText(
      `effectiveDailySpent\u0000${a}`,
      () => `(case when ${a}.day_ends_at <= now() then 0 else ${a}.daily_spent_micros end)`,
    ),
  );

export function dailyRollSet(a: string, extraSpend?: Sql): Sql {
  const extra = extraSpend ? ` + ${extraSpend.text}` : '';
  const text = memoText(`dailyRollSet\u0000${a}\u0000${extra}`, () => {
    const spent = effectiveDailySpent(a).text;
    return `daily_spent_micros = ${spent}${extra},
     day_ends_at = case when ${a}.day_ends_at <= now() or ${a}.day_ends_at is null then period_end('daily', now()) else ${a}.day_ends_at end`;
  });
  return new Sql(text, extraSpend ? extraSpend.params : []);
}

export function withinDailyBudget(a: string, cost: number): Sql {
  const text = memoText(`withinDailyBudget\u0000${a}`, () => {
    const spent = effectiveDailySpent(a).text;
    return `(${a}.daily_budget_micros is null or (${spent} + ${a}.daily_reserved_micros + ?::bigint <= ${a}.daily_budget_micros
       and (?::bigint > 0 or ${spent} + ${a}.daily_reserved_micros < ${a}.daily_budget_micros)))`;
  });
  return new Sql(text, [cost, cost]);
}

/** Columns of a workflow as readers see it (rollover applied). */
export const WORKFLOW_COLUMNS = raw(`w.id, w.org_id, w.name, w.status, w.budget_micros, w.budget_period,
  case when w.period_ends_at <= now() then 0 else w.spent_micros end as spent_micros,
  w.reserved_micros,
  case when w.period_ends_at <= now() then w.spent_micros else w.previous_period_spent_micros end as previous_period_spent_micros,
  case when w.period_ends_at <= now() then period_start(w.budget_period, now()) else w.period_started_at end as period_started_at,
  case when w.period_ends_at <= now() then period_end(w.budget_period, now()) else w.period_ends_at end as period_ends_at,
  w.status_reason, w.paused_at, w.killed_at, w.created_at, w.updated_at`);
