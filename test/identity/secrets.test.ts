/**
 * Plaintext credentials never come to rest: after every flow that mints or
 * uses one (register, login, API keys minted/rolled/rotated, signing secrets
 * rotated, password reset, invitation accept), no database row in any schema,
 * no log line (captured at trace level) and no later response contains any of them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AllInOne, startAllInOne } from '../../bin/platform.ts';
import { loadConfig } from '../../kernel/config.ts';
import { Lifecycle } from '../../kernel/lifecycle.ts';
import { REDACTED_PATHS } from '../../kernel/logger.ts';
import { catchMail, PASSWORD, settle, signedHeaders, uniqueEmail } from './support.ts';

const lines: string[] = [];
let app: AllInOne;
let lifecycle: Lifecycle;
let databaseUrl: string;
let dataDir: string;
let dbName: string;
let mail: ReturnType<typeof catchMail>;
const secrets: { label: string; value: string }[] = [];
/** What the last test reads with, after every flow. */
const after = { session: '', orgId: '', keyId: '', key: '' };

async function call(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${app.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: responses are untyped JSON, as in the harness
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const keep = (label: string, value: string) => {
  secrets.push({ label, value });
  return value;
};

beforeAll(async () => {
  mail = catchMail();
  const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await admin.connect();
  dbName = `trellis_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(inject('adminDatabaseUrl'));
  url.pathname = `/${dbName}`;
  databaseUrl = url.toString();
  dataDir = await mkdtemp(path.join(tmpdir(), 'trellis-secrets-'));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL,
      TRELLIS_REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}`,
      TRELLIS_DATA_DIR: dataDir,
      TRELLIS_PORT: '0',
      TRELLIS_IDENTITY_PORT: '0',
      TRELLIS_GOVERNANCE_PORT: '0',
      TRELLIS_COMPUTE_PORT: '0',
      TRELLIS_BILLING_PORT: '0',
      TRELLIS_EVENTS_PORT: '0',
      TRELLIS_INTERNAL_SECRET: randomBytes(32).toString('hex'),
      TRELLIS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    },
    { allInOne: true },
  );
  // Every log line at trace level, with the production redaction rules.
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'trace', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
  lifecycle = new Lifecycle(logger, 10_000);
  app = await startAllInOne(config, logger, lifecycle);

  // --- flows that mint and use every kind of credential ---
  const email = uniqueEmail('secret');
  keep('password', PASSWORD);
  const registered = await call('mutation($i: RegisterInput!) { register(input: $i) { token } }', {
    i: { email, password: PASSWORD },
  });
  const session = keep('register session', registered.register.token);
  const login = await call('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
    e: email,
    p: PASSWORD,
  });
  keep('login session', login.login.token);
  const org = await call('mutation { createOrganization(input: { name: "Secret Keeping" }) { id } }', {}, session);
  const orgId = org.createOrganization.id;
  const created = await call(
    'mutation($o: ID!) { createApiKey(input: { orgId: $o, name: "k", scopes: ["*"] }) { key signingSecret apiKey { id } } }',
    { o: orgId },
    session,
  );
  const keyId = created.createApiKey.apiKey.id;
  const key = keep('api key', created.createApiKey.key);
  const secret = keep('signing secret', created.createApiKey.signingSecret);
  // A signed call and an unsigned one, so usage and signatures pass through the logs.
  const rawBody = JSON.stringify({ query: '{ me { principalId } }' });
  await fetch(`${app.gateway.url}/graphql`, {
    method: 'POST',
    headers: signedHeaders(key, secret, rawBody),
    body: rawBody,
  });
  await call('{ verifyApiKey { keyId } }', {}, key);
  const rotatedSecret = await call(
    'mutation($k: ID!) { rotateApiKeySecret(id: $k, graceSeconds: 60) { signingSecret } }',
    { k: keyId },
    session,
  );
  keep('rotated signing secret', rotatedSecret.rotateApiKeySecret.signingSecret);
  const rotated = await call('mutation($k: ID!) { rotateApiKey(id: $k) { key } }', { k: keyId }, session);
  keep('rotated key', rotated.rotateApiKey.key);
  const rolled = await call('mutation($k: ID!) { rollApiKey(id: $k) { key signingSecret } }', { k: keyId }, session);
  keep('rolled key', rolled.rollApiKey.key);
  keep('rolled signing secret', rolled.rollApiKey.signingSecret);
  await call('{ me { principalId } }', {}, rolled.rollApiKey.key);
  await app.gateway.authenticator.flushUsage();

  const invite = await call(
    'mutation($o: ID!, $e: String!) { createInvitation(input: { orgId: $o, email: $e }) { token } }',
    { o: orgId, e: uniqueEmail('invitee') },
    session,
  );
  const inviteToken = keep('invitation token', invite.createInvitation.token);
  const inviteePassword = keep('invitee password', 'invitee password 123');
  const accepted = await call(
    'mutation($t: String!, $p: String!) { acceptInvitation(token: $t, input: { password: $p }) { session { token } } }',
    { t: inviteToken, p: inviteePassword },
  );
  keep('invitee session', accepted.acceptInvitation.session.token);

  await call('mutation($e: String!) { forgotPassword(email: $e) }', { e: email });
  const resetToken = keep('reset token', mail.mails.find((m) => m.kind === 'password_reset')?.token as string);
  const newPassword = keep('new password', 'a completely new password');
  await call('mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }', {
    t: resetToken,
    p: newPassword,
  });
  // A failed login with a wrong password must not log it either.
  const wrong = keep('wrong password', 'wrong password attempt 42');
  await fetch(`${app.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      variables: { e: email, p: wrong },
    }),
  });
  const relogin = await call('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
    e: email,
    p: newPassword,
  });
  Object.assign(after, { session: relogin.login.token, orgId, keyId, key: rolled.rollApiKey.key });
});

afterAll(async () => {
  mail.stop();
  await settle({ databaseUrl }).catch(() => undefined);
  await lifecycle.close();
  const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
  await rm(dataDir, { recursive: true, force: true });
});

const found = (text: string) => secrets.filter((s) => text.includes(s.value)).map((s) => s.label);

describe('plaintext credentials at rest', () => {
  it('collected every kind of credential', () => {
    expect(secrets.map((s) => s.label)).toHaveLength(15);
    for (const s of secrets) expect(s.value, s.label).toBeTruthy();
  });

  it('appear in no row of any table in any schema', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows: tables } = await client.query(
        `select table_schema, table_name from information_schema.tables
          where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
      );
      expect(tables.some((t) => t.table_schema === 'identity' && t.table_name === 'api_keys')).toBe(true);
      const hits: string[] = [];
      let rowsScanned = 0;
      for (const { table_schema, table_name } of tables) {
        const { rows } = await client.query(
          `select row_to_json(t)::text as row from "${table_schema}"."${table_name}" t`,
        );
        rowsScanned += rows.length;
        for (const { row } of rows)
          for (const label of found(row)) hits.push(`${table_schema}.${table_name}: ${label}`);
      }
      expect(rowsScanned).toBeGreaterThan(10);
      expect(hits).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('appear in no log line', () => {
    expect(lines.length).toBeGreaterThan(0);
    const hits = lines.flatMap((line) => found(line).map((label) => `${label}: ${line.slice(0, 200)}`));
    expect(hits).toEqual([]);
  });

  it('appear in no later response (lists, reads, me, events)', async () => {
    const { session, orgId, keyId } = after;
    const later = await call(
      `query($o: ID!, $k: ID!) {
        me { principalId user { id email } organizations { id } permissions { permissions } }
        organization(id: $o) {
          name
          members { items { userId user { email } } }
          invitations { items { id email status } }
          apiKeys(includeRevoked: true) { items { id prefix name status lastUsedAt usageCount } }
        }
        apiKey(id: $k) { id prefix usageCount usage { requests } }
      }`,
      { o: orgId, k: keyId },
      session,
    );
    expect(later.apiKey.usageCount).toBeGreaterThan(0);
    expect(found(JSON.stringify(later))).toEqual([]);
    const rest = await fetch(`${app.gateway.url}/v1/orgs/${orgId}/api-keys`, {
      headers: { authorization: `Bearer ${session}` },
    });
    expect(found(await rest.text())).toEqual([]);
    // Control: the scanner does see a secret where one is meant to be (verify returns the signing secret).
    const verify = await call('{ verifyApiKey { signingSecret } }', {}, after.key);
    expect(found(JSON.stringify(verify))).toEqual(['rolled signing secret']);
  });
});
