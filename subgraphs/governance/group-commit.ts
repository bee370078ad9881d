/**
 * Group commit for the SDK hot path's budget statements (execute's reservation, track's
 * settlement). Every such statement updates its workflow's one row, and the row stays locked
 * until the statement's transaction commits — including the WAL flush — so one hot workflow
 * served one request per commit (a few hundred per second, whatever the hardware around it).
 *
 * Here the statements of one workflow that arrive while one of its transactions is in flight wait,
 * and the next transaction runs all of them, in arrival order, one after another on one connection:
 * one lock wait and one commit per group instead of per request. Each statement is exactly the one
 * a lone request runs (same SQL, same conditional UPDATE), and within the transaction each sees the
 * effects of those before it, so a group grants and settles exactly what the same requests would
 * one by one: never-overspend, idempotent events and settle-once hold as they are. A lone request
 * (no group waiting) runs as before, in its own statement.
 *
 * Replicas each group their own requests; the row lock serialises their groups. A group takes its
 * locks up front in the platform's order (docs/governance.md): the executions its tracks settle (by
 * id), then the workflow row; its statements then lock nothing new but org settings (last in that
 * order) and the executions they insert, so a group cannot deadlock with another group, a lone
 * track or the sweeper.
 *
 * A failing statement aborts its transaction: the group is rolled back and every request in it
 * runs again on its own, so one bad request fails alone. Results are handed out only after COMMIT.
 */
import type { EntityManager, PostgreSqlConnection } from '@mikro-orm/postgresql';
import { type ReservationItem, reserveGroupStatement } from './reserve-group.ts';
import { preparedConfig, queryPreparedOne, type Row, type Sql, sqlState, withRetry } from './sql.ts';

/** Statements per transaction, at most: bounds how long one group holds the row. */
export const MAX_GROUP = 64;

const LOCK_EXECUTIONS = 'select 1 from executions where id = any($1::text[]) and org_id = $2 order by id for update';
const LOCK_WORKFLOW = 'select 1 from workflows where id = $1 and org_id = $2 for update';

/** The workflow whose row a statement locks, with the organization of the call. */
export interface GroupKey {
  orgId: string;
  workflowId: string;
}

type PreparedQuery = NonNullable<ReturnType<typeof preparedConfig>>;

interface Pending {
  statement: Sql;
  /** The statement as a prepared query (built once, when it is queued). */
  query: PreparedQuery;
  /** The execution the statement settles (a track's), locked before the workflow. */
  executionId: string | null;
  /** A plain reservation (an execute): the group reserves all of its own in one statement. */
  reservation: ReservationItem | null;
  resolve(row: Row | undefined): void;
  reject(error: unknown): void;
}

/** The requests of one workflow waiting for the group in flight. */
interface Lane {
  waiting: Pending[];
}

export class GroupCommit {
  /**
   * Committed groups of more than one statement, the statements they held, and the reservations
   * among them made by one set-based statement (shows grouping in tests and benches).
   */
  readonly stats = { groups: 0, statements: 0, setReservations: 0 };
  readonly #lanes = new Map<string, Lane>();
  readonly #maxGroup: number;

  constructor(maxGroup = MAX_GROUP) {
    this.#maxGroup = maxGroup;
  }

  /**
   * Runs `statement` (one that locks workflow `workflowId`'s row and, for a track, the row of
   * execution `executionId` before it) in the next group of that workflow; resolves with its first
   * row once the group committed. A plain reservation also passes its `reservation`: a group's
   * reservations run as one set-based statement (reserve-group.ts), its other statements after it.
   * Inside an ORM transaction, or for a statement that cannot be prepared, it runs alone on the
   * caller's connection.
   */
  run(
    em: EntityManager,
    key: GroupKey,
    statement: Sql,
    options: { executionId?: string | null; reservation?: ReservationItem } = {},
  ): Promise<Row | undefined> {
    const query = em.isInTransaction() ? null : preparedConfig(statement);
    if (query === null) return runAlone(em, statement);
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        statement,
        query,
        executionId: options.executionId ?? null,
        reservation: options.reservation ?? null,
        resolve,
        reject,
      };
      const name = `${key.orgId}/${key.workflowId}`;
      const lane = this.#lanes.get(name);
      if (lane) {
        lane.waiting.push(pending);
        return;
      }
      const fresh: Lane = { waiting: [pending] };
      this.#lanes.set(name, fresh);
      // Requests read from the sockets in this same turn of the event loop join the first group.
      setImmediate(() => void this.#drain(em, name, key, fresh));
    });
  }

  async #drain(em: EntityManager, name: string, key: GroupKey, lane: Lane): Promise<void> {
    try {
      while (lane.waiting.length > 0) {
        const group = lane.waiting.splice(0, this.#maxGroup);
        await (group.length === 1 ? settleAlone(em, group[0] as Pending) : this.#commit(em, key, group));
      }
    } finally {
      this.#lanes.delete(name);
    }
  }

  /** One transaction for the group; on failure, each request again on its own. Never throws. */
  async #commit(em: EntityManager, key: GroupKey, group: Pending[]): Promise<void> {
    let rows: (Row | undefined)[];
    let setReservations: number;
    try {
      ({ rows, setReservations } = await runGroup(em, key, group));
    } catch (error) {
      if (error instanceof CommitOutcomeUnknown) {
        for (const item of group) item.reject(error.cause);
        return;
      }
      await Promise.all(group.map((item) => settleAlone(em, item)));
      return;
    }
    this.stats.groups++;
    this.stats.statements += group.length;
    this.stats.setReservations += setReservations;
    group.forEach((item, i) => {
      item.resolve(rows[i]);
    });
  }
}

/** The connection broke after COMMIT was sent: the group may or may not have committed. */
class CommitOutcomeUnknown extends Error {}

const runAlone = (em: EntityManager, statement: Sql) => withRetry(() => queryPreparedOne(em, statement));

async function settleAlone(em: EntityManager, item: Pending): Promise<void> {
  try {
    item.resolve(await runAlone(em, item.statement));
  } catch (error) {
    item.reject(error);
  }
}

/**
 * BEGIN, lock the group's executions and workflow, its reservations in one statement, its other
 * statements in order, COMMIT — on one pooled connection. Reserving first is one of the orders the
 * same concurrent calls could have been served in (none has been answered yet); the reservations
 * keep their arrival order among themselves.
 */
async function runGroup(
  em: EntityManager,
  key: GroupKey,
  group: Pending[],
): Promise<{ rows: (Row | undefined)[]; setReservations: number }> {
  const pool = await (em.getConnection() as PostgreSqlConnection).getNativeClient();
  const client = await pool.connect();
  let broken: Error | undefined;
  let committing = false;
  try {
    await client.query('begin');
    const executionIds = [...new Set(group.map((item) => item.executionId).filter((id) => id !== null))];
    if (executionIds.length > 0)
      await client.query({
        name: 'gov_group_lock_executions',
        text: LOCK_EXECUTIONS,
        values: [executionIds, key.orgId],
      });
    await client.query({ name: 'gov_group_lock_workflow', text: LOCK_WORKFLOW, values: [key.workflowId, key.orgId] });
    const rows = new Map<Pending, Row | undefined>();
    const reservations = group.filter((item) => item.reservation !== null);
    const together = reservations.length > 1;
    if (together) {
      const items = reservations.map((item) => item.reservation as ReservationItem);
      const config = preparedConfig(reserveGroupStatement(key, items));
      if (config === null) throw new Error('group commit: the reservation statement cannot be prepared');
      const byId = new Map((await client.query(config)).rows.map((row: Row) => [String(row.id), row]));
      for (const item of reservations) rows.set(item, byId.get((item.reservation as ReservationItem).id));
    }
    for (const item of group) {
      if (rows.has(item)) continue;
      rows.set(item, (await client.query(item.query)).rows[0] as Row | undefined);
    }
    committing = true;
    await client.query('commit');
    return { rows: group.map((item) => rows.get(item)), setReservations: together ? reservations.length : 0 };
  } catch (error) {
    // Without an SQL state the connection itself failed; after COMMIT was sent its outcome is unknown.
    if (sqlState(error) === undefined) {
      broken = error instanceof Error ? error : new Error(String(error));
      if (committing) throw new CommitOutcomeUnknown('group commit: connection lost during COMMIT', { cause: error });
    } else await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release(broken);
  }
}
