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
 * The governance hot path's group commit (subgraphs/governance/group-commit.ts) saves round trips
 * the other way, with node-postgres' pipeline mode: its statements are prepared (plans reused, values
 * never inlined) and none depends on another's answer, so all go out at once. Here a statement may
 * need the previous one's rows, and the statements are the ORM's `?` SQL, which only the ORM formats.
 */
import type { PostgreSqlConnection } from '@mikro-orm/postgresql';
import type { EntityManager } from './database.ts';

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
  const pool = await (em.getConnection() as PostgreSqlConnection).getNativeClient();
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
  };
  let broken: Error | undefined;
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
