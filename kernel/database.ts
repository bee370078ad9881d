/**
 * One MikroORM instance per subgraph, bound to that subgraph's own PostgreSQL
 * schema. Migrations are listed explicitly (no file discovery) and run at
 * start-up, tracked in `<schema>.mikro_orm_migrations`.
 */
import type { EntitySchema } from '@mikro-orm/core';
import { type Migration, Migrator } from '@mikro-orm/migrations';
import {
  type EntityManager,
  MikroORM,
  type PostgreSqlConnection,
  type PostgreSqlPlatform,
} from '@mikro-orm/postgresql';
import pg from 'pg';

export type { EntityManager };
export type Orm = MikroORM;

/**
 * The `pg` pool under `em`'s connection, for the hot paths that send named prepared statements with
 * real parameters (the ORM inlines values) or pipeline them.
 */
export const nativePool = (em: EntityManager): Promise<NativePool> =>
  (em.getConnection() as PostgreSqlConnection).getNativeClient();

/** The `pg` pool `nativePool` resolves to. */
export type NativePool = Awaited<ReturnType<PostgreSqlConnection['getNativeClient']>>;

export interface MigrationEntry {
  name: string;
  class: new (...args: ConstructorParameters<typeof Migration>) => Migration;
}

export interface OrmOptions {
  schema: string;
  url: string;
  entities: EntitySchema[];
  migrations: MigrationEntry[];
  poolMax: number;
  debug?: boolean;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** The parts of a pooled `pg` client this module touches (MikroORM brings its own copy of pg). */
interface PooledClient {
  release: (err?: Error | boolean) => void;
  once(event: 'end', listener: () => void): unknown;
  off(event: 'end', listener: () => void): unknown;
}

/**
 * kysely 0.29 (under MikroORM) never releases a pooled connection whose BEGIN, COMMIT or ROLLBACK
 * failed (kysely-org/kysely#1990). A PostgreSQL outage breaks connections exactly there, and each
 * one stays checked out forever: after `poolMax` of them the subgraph hangs until restarted, and
 * closing it waits forever. So a connection that ends while checked out is released here, with an
 * error so the pool drops it; the holder's own release afterwards does nothing.
 */
function releaseConnectionsThatDie(pool: { on(event: 'acquire', listener: (client: PooledClient) => void): unknown }) {
  pool.on('acquire', (client) => {
    // pg-pool assigns `client.release` right after emitting 'acquire'; wrap it once that is done.
    queueMicrotask(() => {
      const release = client.release;
      let released = false;
      const releaseOnce = (err?: Error | boolean) => {
        if (released) return;
        released = true;
        client.off('end', onEnd);
        release(err);
      };
      const onEnd = () => releaseOnce(new Error('connection ended while checked out'));
      client.release = releaseOnce;
      client.once('end', onEnd);
    });
  });
}

/**
 * How long an unused pooled connection stays open (pg's default is 10 s). Longer than the idle process's
 * polls (15 s lease checks, 30 s driver poll), so each one reuses a connection instead of opening a new one
 * (a PostgreSQL backend started and torn down per poll).
 */
const POOL_IDLE_TIMEOUT_MS = 60_000;

/**
 * A string as a PostgreSQL literal, exactly as MikroORM's `escapeLiteral` writes it (libpq's rules:
 * quotes doubled, backslashes doubled and the literal marked ` E'…'`). MikroORM builds the literal
 * one character at a time, and each `+=` leaves V8 a rope node (~32 bytes) per character: billing's
 * usage consumer inlines its batch as a JSON parameter of 16–33 KB, so one batch made up to a megabyte
 * of garbage (16 of the 144 KB allocated per execute+track call at 1,000 req/s, issue #16).
 */
export function escapeLiteral(value: string): string {
  const quoted = `'${value.replaceAll("'", "''").replaceAll('\\', '\\\\')}'`;
  return value.includes('\\') ? ` E${quoted}` : quoted;
}

/**
 * Every `em.execute` parameter is inlined through its ORM's one platform's `escape`: strings go to
 * `literal`, everything else (dates, buffers, arrays of them) as MikroORM escapes it.
 */
export function escapeStringsWith(platform: PostgreSqlPlatform, literal: (value: string) => string): void {
  const escapeOther = platform.escape.bind(platform);
  platform.escape = (value: unknown) => (typeof value === 'string' ? literal(value) : escapeOther(value));
}

export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  if (!SCHEMA_NAME.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
  const orm = await MikroORM.init({
    clientUrl: options.url,
    driverOptions: {
      // Raw SQL (aggregates, conditional updates) resolves unqualified names in the subgraph's own schema.
      options: `-c search_path=${options.schema}`,
      // Names the subgraph in pg_stat_activity (and its backends' CPU, per subgraph, for operators).
      application_name: `trellis-${options.schema}`,
      onPoolCreated: releaseConnectionsThatDie,
    },
    schema: options.schema,
    entities: options.entities,
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations,
      schema: options.schema,
      tableName: 'mikro_orm_migrations',
      silent: true,
      transactional: true,
      allOrNothing: true,
      // Migrations are hand-written SQL; no schema snapshots are written to disk.
      snapshot: false,
      snapshotOnMigrate: false,
    },
    pool: { min: 0, max: options.poolMax, idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS },
    debug: options.debug ?? false,
    // Entities are plain schemas; no metadata cache or reflection is needed.
    discovery: { warnWhenNoEntities: false },
    ensureDatabase: false,
  });
  escapeStringsWith(orm.em.getPlatform() as PostgreSqlPlatform, escapeLiteral);
  return orm;
}

/** Creates the schema and applies pending migrations; returns the names applied. */
export async function migrate(orm: MikroORM, url: string, schema: string): Promise<string[]> {
  // Several replicas may start at once: a session-level advisory lock, held on
  // its own connection, lets exactly one of them migrate each schema.
  const lock = new pg.Client({ connectionString: url });
  lock.on('error', () => undefined); // a dropped lock connection surfaces through the query that awaits it
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [`trellis:migrate:${schema}`]);
    await lock.query(`create schema if not exists "${schema}"`);
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await lock.end();
  }
}

/** The SQLSTATE of a database error (on it or a cause), or undefined for any other failure. */
export function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown): boolean => sqlState(error) === '23505';

const TRANSIENT = new Set(['40P01', '40001']); // deadlock detected, serialization failure

/** Runs `fn` again (up to `attempts` runs in all) when PostgreSQL aborted it for a deadlock or a serialization failure. */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= attempts || !state || !TRANSIENT.has(state)) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 5 + Math.random() * 10));
    }
  }
}
