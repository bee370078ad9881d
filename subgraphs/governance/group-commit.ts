/**
 * Group commit for the SDK hot path's budget statements (execute's reservation, track's
 * settlement). Every such statement updates its workflow's one row, and the row stays locked
 * until the statement's transaction commits — including the WAL flush — so one hot workflow
 * served one request per commit (a few hundred per second, whatever the hardware around it).
 *
 * Here the statements of one workflow that arrive while one of its transactions is in flight wait,
 * and the next transaction runs all of them on one connection: one lock wait and one commit per
 * group instead of per request. The group's plain reservations run as one set-based statement
 * (reserve-group.ts), its tracks as another (track-group.ts), each answering every call what its
 * lone statement would in arrival order; other statements are exactly the one a lone request runs.
 * Within the transaction each statement sees the effects of those before it, so a group grants and
 * settles exactly what the same requests would one by one in the order it serves them:
 * never-overspend, idempotent events and settle-once hold as they are. A lone request (no group
 * waiting) runs as before, in its own statement.
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
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PoolClient } from 'pg';
import { nativePool } from '../../kernel/database.ts';
import { type Answer, KEYED_PLANNING, type PreparedStatement, pipelined } from '../../kernel/pipelined-transaction.ts';
import { type ReservationItem, reserveGroupStatement } from './reserve-group.ts';
import { preparedConfig, queryPreparedOne, type Row, type Sql, withRetry } from './sql.ts';
import { type TrackItem, trackGroupStatement } from './track-group.ts';

/** Statements per transaction, at most: bounds how long one group holds the row. */
export const MAX_GROUP = 64;

/**
 * The organization is a filter, not an index condition: see `ofOrg` (sql.ts). One primary-key look-up
 * per id, in id order: `id = any($1)`'s generic plan, cached while the table was small, scanned every
 * execution.
 */
export const LOCK_EXECUTIONS = `select 1 from (select distinct id from unnest($1::text[]) as ids(id) order by id) ids
  cross join lateral (select 1 from executions e where e.id = ids.id and (e.org_id = $2) is true for update of e) l`;
const LOCK_WORKFLOW = 'select 1 from workflows where id = $1 and org_id = $2 for update';

/** The workflow whose row a statement locks, with the organization of the call. */
export interface GroupKey {
  orgId: string;
  workflowId: string;
}

interface Pending {
  statement: Sql;
  /** The statement as a prepared query (built once, when it is queued). */
  query: PreparedStatement;
  /** The execution the statement settles (a track's), locked before the workflow. */
  executionId: string | null;
  /** A plain reservation (an execute): the group reserves all of its own in one statement. */
  reservation: ReservationItem | null;
  /** A track: the group settles its tracks in one statement (those repeating an execution or event id after it). */
  track: TrackItem | null;
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
   * and tracks among them made by set-based statements (shows grouping in tests and benches).
   */
  readonly stats = { groups: 0, statements: 0, setReservations: 0, setTracks: 0 };
  readonly #lanes = new Map<string, Lane>();
  readonly #maxGroup: number;

  constructor(maxGroup = MAX_GROUP) {
    this.#maxGroup = maxGroup;
  }

  /**
   * Runs `statement` (one that locks workflow `workflowId`'s row and, for a track, the row of
   * execution `executionId` before it) in the next group of that workflow; resolves with its first
   * row once the group committed. A plain reservation also passes its `reservation`: a group's
   * reservations run as one set-based statement (reserve-group.ts), and a track passes its `track`:
   * its tracks as another (track-group.ts); its other statements after them.
   * Inside an ORM transaction, or for a statement that cannot be prepared, it runs alone on the
   * caller's connection.
   */
  run(
    em: EntityManager,
    key: GroupKey,
    statement: Sql,
    options: { executionId?: string | null; reservation?: ReservationItem; track?: TrackItem } = {},
  ): Promise<Row | undefined> {
    const query = em.isInTransaction() ? null : preparedConfig(statement);
    if (query === null) return runAlone(em, statement);
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        statement,
        query,
        executionId: options.executionId ?? null,
        reservation: options.reservation ?? null,
        track: options.track ?? null,
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
    let sets: { setReservations: number; setTracks: number };
    try {
      ({ rows, ...sets } = await runGroup(connection, key, group));
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
    this.stats.setReservations += sets.setReservations;
    this.stats.setTracks += sets.setTracks;
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
      const pool = await nativePool(this.#em);
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

/**
 * BEGIN, lock the group's executions and workflow, its reservations in one statement, its tracks in
 * another, its other statements in order, COMMIT — on one pooled connection, in one round trip.
 * Reserving first, then settling, is one of the orders the same concurrent calls could have been
 * served in (none has been answered yet); each set keeps its calls' arrival order. A track that
 * repeats an execution or event id of an earlier track of the group runs after the set, on its own
 * statement, so it sees what the earlier one did (a duplicate, an execution already settled).
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
): Promise<{ rows: (Row | undefined)[]; setReservations: number; setTracks: number }> {
  const client = await connection.client();
  const executionIds = [...new Set(group.map((item) => item.executionId).filter((id) => id !== null))];
  const reservations = group.filter((item) => item.reservation !== null);
  const tracks = distinctTracks(group);
  // Two or more of a kind settle in one set-based statement; a lone one keeps its own statement.
  const setOf = <T>(items: readonly T[], build: (key: GroupKey, items: readonly T[]) => Sql) =>
    items.length > 1 ? setStatement(build(key, items)) : null;
  const reserveAll = setOf(
    reservations.map((item) => item.reservation as ReservationItem),
    reserveGroupStatement,
  );
  const trackAll = setOf(
    tracks.map((item) => item.track as TrackItem),
    trackGroupStatement,
  );
  const inSet = new Set([...(reserveAll ? reservations : []), ...(trackAll ? tracks : [])]);
  const singles = group.filter((item) => !inSet.has(item));
  const statements: (string | PreparedStatement)[] = [
    'begin',
    ...(executionIds.length > 0
      ? [{ name: 'gov_group_lock_executions', text: LOCK_EXECUTIONS, values: [executionIds, key.orgId] }]
      : []),
    { name: 'gov_group_lock_workflow', text: LOCK_WORKFLOW, values: [key.workflowId, key.orgId] },
    ...(reserveAll ? [reserveAll] : []),
    // The track set (track-group.ts) finds every row it touches by key, but its UPDATE of the executions
    // joins them (`update … from`), and no lateral look-up can be written there. Made while the table was
    // young (a fresh database, a new deployment), its cached prepared plan hashed a scan of every
    // execution: 5.4 of the statement's 8 ms at ~5,000 executions, 19 of 26 ms at ~20,000 (with
    // sequential scans off alone, it walked the whole primary-key index instead). So the group runs it
    // after KEYED_PLANNING (kernel/pipelined-transaction.ts): nested loops over index look-ups only, the
    // plan a set of at most MAX_GROUP calls needs at any table size. The set's lateral look-ups stay: they
    // keep executions the inner side of each loop, probed by key (a plain join walked the index as the
    // outer side).
    ...(trackAll ? [KEYED_PLANNING, trackAll] : []),
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
  const answerOf = (statement: PreparedStatement) => answers[statements.indexOf(statement)]?.rows ?? [];
  if (reserveAll) {
    const byId = new Map(answerOf(reserveAll).map((row) => [String(row.id), row]));
    for (const item of reservations) rows.set(item, byId.get((item.reservation as ReservationItem).id));
  }
  if (trackAll) {
    // Rows come with the call's position in the set (n, from 1).
    const byN = new Map(answerOf(trackAll).map((row) => [Number(row.n), row]));
    tracks.forEach((item, i) => {
      rows.set(item, byN.get(i + 1));
    });
  }
  for (const item of singles) rows.set(item, answerOf(item.query)[0]);
  return {
    rows: group.map((item) => rows.get(item)),
    setReservations: reserveAll ? reservations.length : 0,
    setTracks: trackAll ? tracks.length : 0,
  };
}

/** A set-based statement as a prepared query; it always can be one (its values are one JSON text). */
function setStatement(statement: Sql): PreparedStatement {
  const query = preparedConfig(statement);
  if (query === null) throw new Error('group commit: a set-based statement cannot be prepared');
  return query;
}

/**
 * The group's tracks that go into its set: each the first of the group with its execution and its
 * event id. Within the set no call then depends on another's outcome (track-group.ts).
 */
function distinctTracks(group: Pending[]): Pending[] {
  const executions = new Set<string>();
  const events = new Set<string>();
  const tracks: Pending[] = [];
  for (const item of group) {
    const track = item.track;
    if (track === null) continue;
    if (events.has(track.eventId) || (track.executionId !== null && executions.has(track.executionId))) continue;
    events.add(track.eventId);
    if (track.executionId !== null) executions.add(track.executionId);
    tracks.push(item);
  }
  return tracks;
}
