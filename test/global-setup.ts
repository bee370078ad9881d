/**
 * Gives every test file a PostgreSQL server: the one in DATABASE_URL when set
 * (CI), otherwise an embedded one started here for the whole run, so the
 * suite also passes on the embedded default.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../kernel/embedded-postgres.ts';
import { createLogger } from '../kernel/logger.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

let embedded: EmbeddedPostgres | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'trellis-test-pg-'));
    embedded = await startEmbeddedPostgres(dataDir, 0, createLogger('warn'));
    url = embedded.url;
  }
  project.provide('adminDatabaseUrl', url);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
