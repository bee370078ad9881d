/**
 * Applies pending migrations of the named subgraphs (and, for a full run, the edge's own schema)
 * without starting any server: `trellis migrate`, and the test suite's pre-migrated template
 * database (test/global-setup.ts), which every test platform's database is copied from.
 */
import { openEdgeDatabase } from '../gateway/edge-database.ts';
import type { SubgraphName } from '../kernel/config.ts';
import { migrate } from '../kernel/database.ts';
import type { Logger } from '../kernel/logger.ts';
import { createSubgraphOrm } from '../kernel/subgraph.ts';
import { subgraphs } from '../subgraphs/index.ts';

export async function migrateSubgraphs(
  names: readonly SubgraphName[],
  urlFor: (name: SubgraphName) => string,
  logger: Logger,
): Promise<void> {
  for (const name of names) {
    const url = urlFor(name);
    const orm = await createSubgraphOrm(subgraphs[name], url, 2);
    try {
      const applied = await migrate(orm, url, name);
      logger.info({ service: name, applied }, applied.length ? 'migrations applied' : 'schema up to date');
    } finally {
      await orm.close();
    }
  }
}

/** The edge's schema (Idempotency-Key records, admission state): part of every full run. */
export async function migrateEdge(url: string, logger: Logger): Promise<void> {
  await (await openEdgeDatabase(url, logger)).close();
}
