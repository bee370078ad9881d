/**
 * A short transaction on one pooled connection in two round trips fewer: BEGIN travels with its
 * first statement and COMMIT with its last, in one simple-protocol message each (`begin; …` and
 * `…; commit`). Every round trip is a socket write and read on both ends — on the AI gateway's path
 * a quarter of the process's CPU — and the background pipelines (outbox relay, event ingest) run
 * short transactions of two or three statements, where BEGIN and COMMIT were half the round trips.
 *
 * Parameters (`?`) are inlined exactly as the ORM's `execute` inlines them (it sends a simple query
 * too), so a statement behaves as it does through `em.execute`. In a message of several statements
 * PostgreSQL stops at the first error: the transaction is then open and aborted, and is rolled
 * back here before the connection goes back to the pool (a connection that broke is discarded).
 *
 * Statements that run on every pass and need no other's answer go the other way, with node-postgres'
 * pipeline mode (`prepared`, and `pipelined` for the governance group commit): prepared (parsed and
 * planned once per connection, values never inlined) and all written at once. A simple-protocol
 * message is planned afresh each time: the event log's append spent 0.55 ms of PostgreSQL's CPU per
 * batch planning its statement, with its organization's counter row locked.
 */
import type { PoolClient } from 'pg';
import { type EntityManager, nativePool, sqlState } from './database.ts';

type Row = Record<string, unknown>;

export interface PipelinedTransaction {
  /**
   * Runs `sql` (`?` parameters) in the transaction; the first statement carries BEGIN. `sql` may be
   * several statements (`;`-separated), sent in the same message — each still takes its own snapshot
   * (READ COMMITTED) once the one before it finished — and answers the last one's rows.
   */
  execute<T extends object = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs `sql` and COMMIT in one round trip: once it resolves, the transaction committed. */
  commitWith<T extends object = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Runs `statements` (prepared: `$n` parameters, a fixed name per text) in the transaction, all
   * written at once — with BEGIN when none ran before, with COMMIT when `commit` — and answers each
   * one's rows. None may need another's answer; each still takes its own snapshot once the one
   * before it finished (READ COMMITTED), as in one message of several statements.
   */
  prepared<T extends object = Row>(
    statements: readonly PreparedStatement[],
    options?: { commit?: boolean },
  ): Promise<T[][]>;
}

/**
 * A statement with `$n` parameters; with a name, prepared: parsed and planned once per connection
 * (PostgreSQL then reuses its plan), without one, parsed and planned each time.
 */
export interface PreparedStatement {
  name: string | undefined;
  text: string;
  values: unknown[];
}

/**
 * Sent before a prepared statement that must find its rows by key, in the same transaction: for the
 * rest of the transaction the planner uses index look-ups and nested loops only. A prepared plan is
 * made once per connection and kept until its table is next analyzed; made while the table was young
 * (a fresh database, a new deployment) a scan of the whole table is the cheapest plan, and it stays
 * cached as the table grows (the outbox relay's mark of delivered rows, `id = any($1)`, scanned
 * ~1,000 rows per pass, 1.1-1.6 ms, a minute into a benchmark). Every
 * planning of such a statement, the first and any re-plan, then happens under these settings.
 */
export const KEYED_PLANNING: PreparedStatement = {
  name: 'keyed_planning',
  text: "select set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)",
  values: [],
};

/**
 * Sent in a transaction whose loss in a database crash costs only a redelivery that its receiver
 * deduplicates — a progress mark of at-least-once delivery (the outbox relay's delivered rows, a
 * consumer's done deliveries), never a write a client was answered about or money: its COMMIT
 * returns without waiting for the WAL flush. A crash may then forget the last ~200 ms of such marks
 * (`wal_writer_delay`) and nothing else; any later durable commit flushes them too. Each flush these
 * marks skip is one the durable commits on the call path (a reservation, a settlement) no longer queue
 * behind: at 200 model calls a second PostgreSQL flushed ~400-700 times a second at 0.8-1.2 ms each
 * (bench/RESULTS.md, floor). Local to the transaction: the pooled connection keeps its durable default.
 */
export const ASYNC_COMMIT: PreparedStatement = {
  name: 'async_commit',
  text: "select set_config('synchronous_commit', 'off', true)",
  values: [],
};

/** What one statement of a pipeline answered: its rows, or the error that ended it. */
export type Answer = { rows: Row[]; error?: undefined } | { rows?: undefined; error: unknown };

/**
 * Writes every statement before reading any answer (node-postgres' pipeline mode: one write, one
 * round trip, one Sync per statement) and collects each one's answer. After the first failing
 * statement PostgreSQL refuses the rest of an open transaction and turns its COMMIT into a rollback.
 * Throws only when the connection itself failed (no SQL state): then no answer can be trusted. The
 * client leaves pipeline mode before it returns.
 */
export async function pipelined(
  client: PoolClient,
  statements: readonly (string | PreparedStatement)[],
): Promise<Answer[]> {
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

interface QueryResultLike {
  rows: unknown[];
}

/**
 * Runs `work` in a transaction on one connection of `em`'s pool. Commits when `work` returns
 * (with its last statement when it used `commitWith`, else with a COMMIT of its own), rolls back
 * when it throws.
 */
export async function pipelinedTransaction<T>(
  em: EntityManager,
  work: (tx: PipelinedTransaction) => Promise<T>,
): Promise<T> {
  const pool = await nativePool(em);
  const platform = em.getPlatform();
  const client = await pool.connect();
  /** In an object: the statements' closures move it on, out of the compiler's sight. */
  const at: { state: 'idle' | 'open' | 'ended' } = { state: 'idle' };
  /** Sends `statements` in one message; answers the rows of the last one, or of the one before COMMIT. */
  const send = async (statements: string[], commits: boolean): Promise<unknown[]> => {
    const result = (await client.query(statements.join(';\n'))) as unknown as QueryResultLike | QueryResultLike[];
    return (Array.isArray(result) ? result.at(commits ? -2 : -1) : result)?.rows ?? [];
  };
  const format = (sql: string, params: readonly unknown[]) => platform.formatQuery(sql, [...params]);
  let broken: Error | undefined;
  const tx: PipelinedTransaction = {
    async execute<R>(sql: string, params: readonly unknown[] = []) {
      if (at.state === 'ended') throw new Error('pipelinedTransaction: the transaction has ended');
      if (at.state === 'open') return (await send([format(sql, params)], false)) as R[];
      at.state = 'open';
      return (await send(['begin', format(sql, params)], false)) as R[];
    },
    async commitWith<R>(sql: string, params: readonly unknown[] = []) {
      if (at.state === 'ended') throw new Error('pipelinedTransaction: the transaction has ended');
      const begin = at.state === 'idle';
      at.state = 'open';
      const rows = await send([...(begin ? ['begin'] : []), format(sql, params), 'commit'], true);
      at.state = 'ended';
      return rows as R[];
    },
    async prepared<R>(statements: readonly PreparedStatement[], options: { commit?: boolean } = {}) {
      if (at.state === 'ended') throw new Error('pipelinedTransaction: the transaction has ended');
      const begin = at.state === 'idle';
      at.state = 'open';
      const first = begin ? 1 : 0;
      let answers: Answer[];
      try {
        answers = await pipelined(client, [
          ...(begin ? ['begin'] : []),
          ...statements,
          ...(options.commit ? ['commit'] : []),
        ]);
      } catch (error) {
        // The connection failed with the statements on the wire: it is discarded, not rolled back.
        broken = error instanceof Error ? error : new Error(String(error));
        at.state = 'ended';
        throw error;
      }
      const failed = answers.find((answer) => answer.error !== undefined);
      // A COMMIT that ran (or that an earlier error turned into a rollback) left no transaction open.
      if (options.commit && (!failed || client.getTransactionStatus() === 'I')) at.state = 'ended';
      if (failed) throw failed.error;
      return answers.slice(first, first + statements.length).map((answer) => answer.rows as R[]);
    },
  };
  try {
    const value = await work(tx);
    if (at.state === 'open') {
      at.state = 'ended';
      await client.query('commit');
    }
    return value;
  } catch (error) {
    // A connection that cannot even roll back is broken: it does not go back to the pool.
    if (at.state === 'open')
      await client.query('rollback').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
    throw error;
  } finally {
    client.release(broken);
  }
}
