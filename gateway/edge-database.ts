/**
 * The edge's own PostgreSQL schema (`edge`): state the gateway and the REST
 * adapter share across replicas, with PostgreSQL as the source of truth so it
 * survives a Redis outage. Same conventions as a subgraph's schema: explicit
 * migrations, applied at start-up under an advisory lock.
 */
import { createOrm, type MigrationEntry, migrate, type Orm } from '../kernel/database.ts';
import type { Logger } from '../kernel/logger.ts';
import { IdempotencyKeys } from './migrations/0001_idempotency_keys.ts';
import { AdmissionState } from './migrations/0002_admission_state.ts';

export const EDGE_SCHEMA = 'edge';

export const edgeMigrations: MigrationEntry[] = [
  { name: '0001_idempotency_keys', class: IdempotencyKeys },
  { name: '0002_admission_state', class: AdmissionState },
];

/** A small pool: the edge runs a statement or two per request that asks for one. */
const EDGE_POOL_MAX = 4;

export async function openEdgeDatabase(url: string, logger: Logger): Promise<Orm> {
  const orm = await createOrm({
    schema: EDGE_SCHEMA,
    url,
    entities: [],
    migrations: edgeMigrations,
    poolMax: EDGE_POOL_MAX,
  });
  try {
    const applied = await migrate(orm, url, EDGE_SCHEMA);
    if (applied.length > 0) logger.info({ applied }, 'edge migrations applied');
    return orm;
  } catch (error) {
    await orm.close();
    throw error;
  }
}
