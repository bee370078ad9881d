/**
 * The governance sweeper (a worker): returns the budget held by reservations
 * that were never settled, expires approvals nobody decided, rolls budget
 * periods over and announces each reset (`workflow.budget_reset`), and drops
 * finished rate-limit windows. One replica sweeps at a time (advisory lock);
 * every step is an atomic statement in its own short transaction (row locks on
 * hot workflows are held for one statement, not the whole sweep), safe against
 * concurrent track calls.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../kernel/logger.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { type ApprovalView, approvalEventData, approvalFromRow } from './approvals.ts';
import { rollSet } from './budget-sql.ts';
import { expireRunApprovals, RUN_APPROVALS_EXPIRED } from './run-approvals.ts';
import { join, num, query, queryOne, type Row, sql, withRetry } from './sql.ts';
import { workflowEventData, workflowFromRow } from './workflows.ts';

const BATCH = 1000;

export interface SweepResult {
  expiredReservations: number;
  expiredApprovals: number;
  budgetResets: number;
}

const LOCK = sql`select pg_try_advisory_xact_lock(hashtext('trellis:governance:sweeper')) as ok`;

// What each step looks for (`from … where …`): the steps change these rows, `anythingDue` asks in one
// read whether any exists, so an idle sweep is one statement instead of six transactions (18 round trips).
const EXPIRED = sql`from executions where status in ('reserved', 'pending_approval') and expires_at <= now()`;
const PERIOD_ENDED = sql`from workflows where period_ends_at <= now()`;
const RESET_UNANNOUNCED = sql`from workflows where budget_period <> 'none' and period_started_at is not null
  and reset_announced_at is distinct from period_started_at`;
const DAY_ENDED = sql`from org_settings where day_ends_at <= now()`;
const RATE_WINDOWS_DONE = sql`from rate_counters where window_ends_at < now() - interval '1 minute'`;

/** True when some step of the sweep has work now (one read, no transaction, no lock). */
export async function anythingDue(em: EntityManager): Promise<boolean> {
  const due = [EXPIRED, PERIOD_ENDED, RESET_UNANNOUNCED, RUN_APPROVALS_EXPIRED, DAY_ENDED, RATE_WINDOWS_DONE];
  const row = await queryOne(
    em.fork(),
    sql`select ${join(
      due.map((from) => sql`exists (select 1 ${from})`),
      ' or ',
    )} as due`,
  );
  return Boolean(row?.due);
}

/**
 * One step of the sweep in its own short transaction, under the sweeper's lock (undefined when
 * another replica holds it). Short, because each step locks the rows it changes — hot workflow
 * and organization rows among them — and execute/track wait on those locks until the commit.
 */
function step<T>(em: EntityManager, fn: (tx: EntityManager) => Promise<T>): Promise<T | undefined> {
  return withRetry(() =>
    em.fork().transactional(async (tx) => {
      const lock = await queryOne(tx, LOCK);
      return lock?.ok ? fn(tx) : undefined;
    }),
  );
}

/** One sweep; returns what it did. Exposed for tests and operators. */
export async function sweep(em: EntityManager): Promise<SweepResult> {
  if (!(await anythingDue(em))) return { expiredReservations: 0, expiredApprovals: 0, budgetResets: 0 };
  // 1. Reservations and approvals past their expiry: mark them, give the budget back, and record
  //    approval.expired — one transaction, so the events go out exactly when the expiry commits.
  const expired = await step(em, async (tx) => {
    const row = await queryOne(
      tx,
      sql`with ex as (
            update executions e set
              status = case when e.status = 'reserved' then 'expired' else 'denied' end,
              decision = case when e.status = 'pending_approval' then 'deny' else e.decision end,
              reason = case when e.status = 'pending_approval' then 'approval_expired' else e.reason end
            where e.id in (
              select id ${EXPIRED}
              order by expires_at limit ${BATCH}
              for update skip locked)
            returning e.id, e.org_id, e.workflow_id, e.reserved_micros, e.org_reserved, e.status
          ),
          wsum as (
            select workflow_id, sum(reserved_micros) as amount from ex where workflow_id is not null group by workflow_id
          ),
          w as (
            update workflows w set reserved_micros = w.reserved_micros - wsum.amount
            from wsum where w.id = wsum.workflow_id returning w.id
          ),
          osum as (select org_id, sum(reserved_micros) as amount from ex where org_reserved group by org_id),
          o as (
            update org_settings o set daily_reserved_micros = greatest(0, o.daily_reserved_micros - osum.amount)
            from osum where o.org_id = osum.org_id returning o.org_id
          ),
          ap as (
            update approvals a set status = 'expired', decided_at = now()
            from ex where a.execution_id = ex.id and ex.status = 'denied' and a.status = 'pending'
            returning a.*
          )
          select (select count(*) from ex where status = 'expired') as reservations,
            (select coalesce(json_agg(ap), '[]'::json) from ap) as approvals,
            (select count(*) from w) + (select count(*) from o) as budgets`,
    );
    const approvals = ((row?.approvals as Row[]) ?? []).map(approvalFromRow) as ApprovalView[];
    for (const approval of approvals)
      recordEvent(tx, {
        orgId: approval.orgId,
        type: 'approval.expired',
        subject: { type: 'approval', id: approval.id },
        data: approvalEventData(approval, 'deny'),
      });
    return { reservations: num(row?.reservations), approvals: approvals.length };
  });
  if (!expired) return { expiredReservations: 0, expiredApprovals: 0, budgetResets: 0 };

  // 2. Budget periods that ended on idle workflows roll over here (busy ones already did, lazily).
  await step(em, (tx) =>
    query(
      tx,
      sql`update workflows w set ${rollSet('w')}
          where w.id in (select id ${PERIOD_ENDED} limit ${BATCH} for update skip locked)`,
    ),
  );
  // 3. Announce every reset not announced yet (the announcement and its event commit together).
  const resets =
    (await step(em, async (tx) => {
      const rows = await query(
        tx,
        sql`update workflows w set reset_announced_at = w.period_started_at
            where w.id in (select id ${RESET_UNANNOUNCED} limit ${BATCH} for update skip locked)
            returning w.*`,
      );
      for (const row of rows) {
        const workflow = workflowFromRow(row);
        recordEvent(tx, {
          orgId: workflow.orgId,
          type: 'workflow.budget_reset',
          subject: { type: 'workflow', id: workflow.id },
          data: {
            ...workflowEventData(workflow, workflow.status),
            previousPeriodSpentMicros: workflow.previousPeriodSpentMicros,
            periodStartedAt: workflow.periodStartedAt?.toISOString() ?? null,
            periodEndsAt: workflow.periodEndsAt?.toISOString() ?? null,
          },
        });
      }
      return rows.length;
    })) ?? 0;

  // 4. Pipeline runs' approval gates past their deadline (a denial for the run).
  const expiredRunApprovals = (await step(em, (tx) => expireRunApprovals(tx as never, BATCH))) ?? 0;

  // 5. Organization days that ended, and finished rate-limit windows: one statement each.
  await step(em, (tx) =>
    query(
      tx,
      sql`update org_settings s set daily_spent_micros = 0, day_ends_at = period_end('daily', now())
          where s.org_id in (select org_id ${DAY_ENDED})`,
    ),
  );
  await step(em, (tx) => query(tx, sql`delete ${RATE_WINDOWS_DONE}`));

  return {
    expiredReservations: expired.reservations,
    expiredApprovals: expired.approvals + expiredRunApprovals,
    budgetResets: resets,
  };
}

export interface SweeperHandle {
  name: string;
  stop(): Promise<void>;
}

/** Runs `sweep` every `intervalMs` (never two at once in this process). */
export function startSweeper(em: EntityManager, intervalMs: number, log: Logger): SweeperHandle {
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = sweep(em)
      .then((result) => {
        if (result.expiredReservations || result.expiredApprovals || result.budgetResets)
          log.debug({ ...result }, 'governance sweep');
      })
      .catch((error) => log.warn({ err: error }, 'governance sweep failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    name: 'governance-sweeper',
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
