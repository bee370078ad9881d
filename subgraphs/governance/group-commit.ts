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
import type { PoolClient } from 'pg';
import { type ReservationItem, reserveGroupStatement } from './reserve-group.ts';
import { preparedConfig, queryPreparedOne, type Row, type Sql, sqlState, withRetry } from './sql.ts';

/** Statements per transaction, at most: bounds how long one group holds the row. */
export const MAX_GROUP = 64;

/** The organization is a filter, not an index condition: see `ofOrg` (sql.ts). */
export const LOCK_EXECUTIONS =
  'select 1 from executions where id = any($1::text[]) and (org_id = $2) is true order by id for update';
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
    const connection = new LaneConnection(em);
    try {
      while (lane.waiting.length > 0) {
        const group = lane.waiting.splice(0, this.#maxGroup);
        await (group.length === 1 ? settleAlone(em, group[0] as Pending) : this.#commit(em, connection, key, group));
      }
    } finally {
      this.#lanes.delete(name);
      connection.release();
    }
  }

  /** One transaction for the group; on failure, each request again on its own. Never throws. */
  async #commit(em: EntityManager, connection: LaneConnection, key: GroupKey, group: Pending[]): Promise<void> {
    let rows: (Row | undefined)[];
    let setReservations: number;
    try {
      ({ rows, setReservations } = await runGroup(connection, key, group));
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

/**
 * The pooled connection a lane's groups run on: checked out for the first group and kept while the
 * lane has groups waiting (one checkout per busy spell instead of one per group, which took 3-5 ms
 * of the lane's turn under load); a connection that failed is discarded and the next group takes another.
 */
class LaneConnection {
  readonly #em: EntityManager;
  #client: PoolClient | undefined;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  async client(): Promise<PoolClient> {
    if (!this.#client) {
      const pool = await (this.#em.getConnection() as PostgreSqlConnection).getNativeClient();
      this.#client = await pool.connect();
    }
    return this.#client;
  }

  /** Back to the pool; with `error`, the pool closes it instead. */
  release(error?: Error): void {
    this.#client?.release(error);
    this.#client = undefined;
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

/** What one statement of a pipelined group answered: its rows, or the error that ended it. */
type Answer = { rows: Row[]; error?: undefined } | { rows?: undefined; error: unknown };

/**
 * BEGIN, lock the group's executions and workflow, its reservations in one statement, its other
 * statements in order, COMMIT — on one pooled connection, in one round trip. Reserving first is one
 * of the orders the same concurrent calls could have been served in (none has been answered yet);
 * the reservations keep their arrival order among themselves.
 *
 * No statement of a group depends on another's answer, so all of them are written at once
 * (node-postgres' pipeline mode, one Sync per statement): the row lock is then held for the time
 * PostgreSQL takes to run them, not for one round trip through this process's event loop per
 * statement. After the first failing statement PostgreSQL refuses the rest (the transaction is
 * aborted) and turns COMMIT into a rollback, so a group either commits whole or not at all.
 */
async function runGroup(
  connection: LaneConnection,
  key: GroupKey,
  group: Pending[],
): Promise<{ rows: (Row | undefined)[]; setReservations: number }> {
  const client = await connection.client();
  const executionIds = [...new Set(group.map((item) => item.executionId).filter((id) => id !== null))];
  const reservations = group.filter((item) => item.reservation !== null);
  const together = reservations.length > 1;
  const reserveAll = together
    ? preparedConfig(
        reserveGroupStatement(
          key,
          reservations.map((item) => item.reservation as ReservationItem),
        ),
      )
    : null;
  if (together && reserveAll === null) throw new Error('group commit: the reservation statement cannot be prepared');
  const singles = together ? group.filter((item) => item.reservation === null) : group;
  const statements: (string | PreparedQuery)[] = [
    'begin',
    ...(executionIds.length > 0
      ? [{ name: 'gov_group_lock_executions', text: LOCK_EXECUTIONS, values: [executionIds, key.orgId] }]
      : []),
    { name: 'gov_group_lock_workflow', text: LOCK_WORKFLOW, values: [key.workflowId, key.orgId] },
    ...(reserveAll ? [reserveAll] : []),
    ...singles.map((item) => item.query),
    'commit',
  ];
  let answers: Answer[];
  try {
    answers = await pipelined(client, statements);
  } catch (error) {
    // The connection failed with statements (COMMIT among them) on the wire: the outcome is unknown.
    connection.release(error instanceof Error ? error : new Error(String(error)));
    throw new CommitOutcomeUnknown('group commit: connection lost during the group', { cause: error });
  }
  const failed = answers.find((answer) => answer.error !== undefined);
  if (failed) {
    // A failed COMMIT or an aborted transaction leaves the connection idle; roll back if it is not.
    if (client.getTransactionStatus() !== 'I')
      await client.query('rollback').catch((error: Error) => connection.release(error));
    throw failed.error;
  }
  const rows = new Map<Pending, Row | undefined>();
  if (reserveAll) {
    const answer = answers[statements.indexOf(reserveAll)] as Answer;
    const byId = new Map((answer.rows ?? []).map((row) => [String(row.id), row]));
    for (const item of reservations) rows.set(item, byId.get((item.reservation as ReservationItem).id));
  }
  for (const item of singles) rows.set(item, answers[statements.indexOf(item.query)]?.rows?.[0]);
  return { rows: group.map((item) => rows.get(item)), setReservations: together ? reservations.length : 0 };
}

/**
 * Writes every statement before reading any answer (one write, one round trip) and collects each
 * one's answer. Throws only when the connection itself failed (no SQL state): then no answer can be
 * trusted. The client leaves pipeline mode before it returns to the pool.
 */
async function pipelined(client: PoolClient, statements: (string | PreparedQuery)[]): Promise<Answer[]> {
  const stream = (client as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection.stream;
  const pipelineClient = client as unknown as { pipeline: boolean };
  pipelineClient.pipeline = true;
  stream.cork();
  let answers: Promise<Answer>[];
  try {
    answers = statements.map((statement) =>
      (typeof statement === 'string' ? client.query(statement) : client.query(statement)).then(
        (result) => ({ rows: result.rows as Row[] }),
        (error: unknown) => ({ error }),
      ),
    );
  } finally {
    stream.uncork();
  }
  try {
    const settled = await Promise.all(answers);
    const lost = settled.find((answer) => answer.error !== undefined && sqlState(answer.error) === undefined);
    if (lost) throw lost.error;
    return settled;
  } finally {
    pipelineClient.pipeline = false;
  }
}
