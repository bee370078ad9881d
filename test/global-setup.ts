/**
 * Gives every test file a PostgreSQL server: the one in DATABASE_URL when set
 * (CI), otherwise an embedded one started here for the whole run, so the
 * suite also passes on the embedded default. It also migrates one template
 * database per run; each test platform's database is a copy of it
 * (`CREATE DATABASE … TEMPLATE`, ~0.1 s instead of ~2 s of migrations per platform).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateEdge, migrateSubgraphs } from '../bin/migrate.ts';
import { SERVICE_NAMES } from '../kernel/config.ts';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../kernel/embedded-postgres.ts';
import { createLogger } from '../kernel/logger.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    /** A database with every migration applied, to copy test databases from. */
    templateDatabase: string;
  }
}

let embedded: EmbeddedPostgres | undefined;
let dataDir: string | undefined;
let template: { adminUrl: string; name: string } | undefined;

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createTemplateDatabase(adminUrl: string): Promise<string> {
  const name = `trellis_template_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  template = { adminUrl, name };
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const logger = createLogger('warn');
  await migrateSubgraphs(SERVICE_NAMES, () => url.toString(), logger);
  await migrateEdge(url.toString(), logger);
  return name;
}

export async function setup(project: TestProject): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'trellis-test-pg-'));
    embedded = await startEmbeddedPostgres(dataDir, 0, createLogger('warn'));
    url = embedded.url;
  }
  project.provide('adminDatabaseUrl', url);
  project.provide('templateDatabase', await createTemplateDatabase(url));
}

export async function teardown(): Promise<void> {
  if (template) await adminQuery(template.adminUrl, `drop database if exists ${template.name} with (force)`);
  await embedded?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
