/**
 * The gate's budget read, batched across requests. A gate is one read (the workflow's status and
 * budget, the organization's daily budget), and on this path the read's client side — a socket write
 * that wakes PostgreSQL, the driver's parsing, a pool checkout — was a quarter of the gate's CPU. The
 * gates whose requests were read from the sockets in one turn of the event loop now share one
 * statement: a lone gate waits one `setImmediate` (no timer), and under load, when requests queue
 * behind the event loop, the batch grows with the queue and the read's cost per gate falls.
 *
 * Each key reads its own workflow in its own organization: a batch mixes organizations, and a
 * workflow id sent by another organization finds nothing, as the lone read did.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { nativePool } from '../../kernel/database.ts';
import type { PreparedStatement } from '../../kernel/pipelined-transaction.ts';
import { effectiveDailySpent, effectiveSpent } from './budget-sql.ts';
import type { Row } from './sql.ts';

export interface GateReadKey {
  /** Any manager of the subgraph's ORM outside a transaction: the read takes a pooled connection. */
  em: EntityManager;
  orgId: string;
  /** Null: the organization alone (the legacy check). */
  workflowId: string | null;
}

/** Gates per statement, at most (a longer queue is read in several). */
const MAX_GATE_BATCH = 256;

/**
 * One row per key, in key order (`n`). A look-up by primary key per key: as plain joins (the planner
 * flattens a lateral subquery without a LIMIT into one), a plan cached while the tables were young
 * hashed a scan of every workflow and every organization's settings (the plan test). The organization
 * stays a filter (`ofOrg`, sql.ts), so no plan reads the organization's rows to find one.
 */
export const GATE_READ: Omit<PreparedStatement, 'values'> = {
  name: 'gov_gate_read',
  text: `select k.n, w.status, w.budget_micros, w.spent_micros, w.reserved_micros,
      o.daily_budget_micros, o.daily_spent_micros, o.daily_reserved_micros
    from unnest($1::text[], $2::text[]) with ordinality as k(workflow_id, org_id, n)
    left join lateral (
      select w.status, w.budget_micros, ${effectiveSpent('w').text} as spent_micros, w.reserved_micros
        from workflows w where w.id = k.workflow_id and (w.org_id = k.org_id) is true limit 1
    ) w on true
    left join lateral (
      select o.daily_budget_micros, ${effectiveDailySpent('o').text} as daily_spent_micros, o.daily_reserved_micros
        from org_settings o where o.org_id = k.org_id and o.daily_budget_micros is not null limit 1
    ) o on true
    order by k.n`,
};

async function readBatch(keys: readonly GateReadKey[]): Promise<Row[]> {
  const pool = await nativePool((keys[0] as GateReadKey).em);
  const { rows } = await pool.query({
    ...GATE_READ,
    values: [keys.map((key) => key.workflowId), keys.map((key) => key.orgId)],
  });
  return rows as Row[];
}

/** The gate reads of one subgraph process (GovernanceState.gateReads). */
export function gateReader(): DataLoader<GateReadKey, Row> {
  return new DataLoader<GateReadKey, Row>(readBatch, {
    cache: false,
    maxBatchSize: MAX_GATE_BATCH,
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
  });
}
