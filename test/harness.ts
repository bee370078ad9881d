/**
 * Boots the whole platform in-process for a test file, on its own fresh
 * database and random ports, and offers small clients for GraphQL and REST.
 * Every platform started here is closed by `closeAll()` (call it in afterAll).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { type AllInOne, startAllInOne } from '../bin/platform.ts';
import { startStandaloneRestAdapter } from '../gateway/extensions.ts';
import { loadConfig, type RawEnv } from '../kernel/config.ts';
import { type Closer, Lifecycle } from '../kernel/lifecycle.ts';
import { createLogger, type Logger } from '../kernel/logger.ts';
import { createPlatform } from '../kernel/platform.ts';
import type { RunningService, SubgraphDefinition } from '../kernel/subgraph.ts';

// biome-ignore lint/suspicious/noExplicitAny: each definition has its own context type
type AllInOneSubgraphs = Record<import('../kernel/config.ts').SubgraphName, SubgraphDefinition<any>>;

/** Response bodies in tests are asserted field by field, so they are loosely typed on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = any;

export interface HttpResult<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body`. */
  rawBody?: string;
}

export interface TestUser {
  token: string;
  userId: string;
  email: string;
  orgId: string;
}

export interface TestPlatform {
  app: AllInOne;
  url: string;
  databaseUrl: string;
  graphql<T = Json>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<HttpResult<T>>;
  rest<T = Json>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  /** Registers a user (unique email) and creates an organization it owns. */
  signup(name?: string): Promise<TestUser>;
  /** Mints an API key in `orgId` with the given scopes (default `*`). */
  apiKey(user: TestUser, scopes?: string[]): Promise<{ id: string; key: string; signingSecret: string }>;
  close(): Promise<void>;
}

const started: TestPlatform[] = [];

/** A fresh database, copied from the run's pre-migrated template (test/global-setup.ts). */
export async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `trellis_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('templateDatabase')}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/**
 * `env` may depend on the test database's URL (e.g. a subgraph's own database behind a fault
 * proxy); `options.logger` replaces the silent test logger (e.g. to count log lines);
 * `options.subgraphs` replaces the subgraph definitions (e.g. one with an extra test consumer).
 */
export async function startTestPlatform(
  env: RawEnv | ((databaseUrl: string) => RawEnv) = {},
  options: { logger?: Logger; subgraphs?: AllInOneSubgraphs } = {},
): Promise<TestPlatform> {
  const database = await createDatabase(inject('adminDatabaseUrl'));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'trellis-test-'));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: process.env.REDIS_URL,
      TRELLIS_REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}`,
      TRELLIS_DATA_DIR: dataDir,
      TRELLIS_LOG_LEVEL: process.env.TRELLIS_TEST_LOG_LEVEL ?? 'silent',
      TRELLIS_PORT: '0',
      TRELLIS_IDENTITY_PORT: '0',
      TRELLIS_GOVERNANCE_PORT: '0',
      TRELLIS_COMPUTE_PORT: '0',
      TRELLIS_BILLING_PORT: '0',
      TRELLIS_EVENTS_PORT: '0',
      TRELLIS_INTERNAL_SECRET: randomBytes(32).toString('hex'),
      TRELLIS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      // The embedded node agent (on by default for users) costs every platform a node
      // registration and an agent loop; tests that run VMs on it ask for it by name.
      TRELLIS_LOCAL_NODE: 'off',
      ...(typeof env === 'function' ? env(database.url) : env),
    },
    { allInOne: true },
  );
  const logger = options.logger ?? createLogger(config.logLevel);
  const lifecycle = new Lifecycle(logger, 10_000);
  const closers: { add(c: Closer): void } = lifecycle;
  const app = await startAllInOne(config, logger, closers, options.subgraphs);
  const url = app.gateway.url;

  async function request(method: string, target: string, options: RequestOptions = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${target}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  const platform: TestPlatform = {
    app,
    url,
    databaseUrl: database.url,
    graphql: (query, variables, options = {}) =>
      request('POST', '/graphql', { ...options, body: { query, variables } }),
    rest: (method, target, options) => request(method, target, options),
    async signup(name = 'Test Org') {
      const email = `user-${randomBytes(5).toString('hex')}@example.com`;
      const registered = await platform.graphql(
        'mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }',
        { input: { email, password: 'correct horse battery', name: 'Test User' } },
      );
      if (!registered.body.data) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
      const { token, user } = registered.body.data.register;
      const org = await platform.graphql(
        'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
        {
          input: { name, slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomBytes(3).toString('hex')}` },
        },
        { token },
      );
      if (!org.body.data) throw new Error(`createOrganization failed: ${JSON.stringify(org.body)}`);
      return { token, userId: user.id, email, orgId: org.body.data.createOrganization.id };
    },
    async apiKey(user, scopes) {
      const created = await platform.graphql(
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key signingSecret apiKey { id } } }',
        { input: { orgId: user.orgId, name: 'test key', scopes } },
        { token: user.token },
      );
      if (!created.body.data) throw new Error(`createApiKey failed: ${JSON.stringify(created.body)}`);
      const { key, signingSecret, apiKey } = created.body.data.createApiKey;
      return { id: apiKey.id, key, signingSecret };
    },
    async close() {
      await lifecycle.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  started.push(platform);
  return platform;
}

/** Closes every platform this file started. */
const adapters: RunningService[] = [];

/**
 * A standalone REST adapter (`serve rest-adapter`: another front end, as in production) in front of
 * `platform`'s gateway, sharing its internal secret. `sharedDatabase` gives it the platform's
 * PostgreSQL (replica-shared state such as Idempotency-Key records). Closed by `closeAll()`.
 */
export async function startStandaloneAdapter(
  platform: TestPlatform,
  options: { env?: RawEnv; sharedDatabase?: boolean } = {},
): Promise<RunningService> {
  const identityUrl = platform.app.subgraphs.find((s) => s.name === 'identity')?.url as string;
  const config = loadConfig({
    NODE_ENV: 'test',
    TRELLIS_REST_MODE: 'standalone',
    TRELLIS_REST_PORT: '0',
    TRELLIS_REST_GATEWAY_URL: platform.url,
    TRELLIS_IDENTITY_URL: identityUrl,
    TRELLIS_INTERNAL_SECRET: platform.app.platform.internalSecret,
    TRELLIS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    TRELLIS_LOG_LEVEL: 'silent',
    ...options.env,
  });
  const shared = await createPlatform(
    config,
    createLogger('silent'),
    options.sharedDatabase ? platform.databaseUrl : undefined,
  );
  const adapter = await startStandaloneRestAdapter(shared);
  const running: RunningService = {
    ...adapter,
    async close() {
      await adapter.close();
      await shared.close();
    },
  };
  adapters.push(running);
  return running;
}

/** Closes every adapter and platform this file started (adapters first: they call the platforms). */
export async function closeAll(): Promise<void> {
  await Promise.all(adapters.splice(0).map((a) => a.close()));
  await Promise.all(started.splice(0).map((p) => p.close()));
}
