/** Shared by the identity tests: GraphQL snippets, HMAC signing, database access, a mail catcher. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { hmacSha256Hex, sha256Hex } from '../../kernel/secrets.ts';
import { type IdentityMail, setMailer } from '../../subgraphs/identity/support.ts';
import { closeAll, type HttpResult, type TestPlatform, type TestUser } from '../harness.ts';

export const PASSWORD = 'correct horse battery';

export const KEY_FIELDS = /* GraphQL */ `
  id name prefix scopes role workflowId status organizationId createdAt expiresAt disabledAt revokedAt
  previousKeyExpiresAt lastUsedAt usageCount
`;

export const uniqueEmail = (label = 'user') => `${label}-${randomBytes(5).toString('hex')}@example.com`;

/** The first error's code (or undefined). */
export const codeOf = (result: HttpResult) => result.body?.errors?.[0]?.extensions?.code as string | undefined;

/** Throws with the body when the GraphQL call failed: setup steps must not fail silently. */
// biome-ignore lint/suspicious/noExplicitAny: responses are untyped JSON, as in the harness
export async function ok<T = any>(promise: Promise<HttpResult>): Promise<T> {
  const result = await promise;
  if (result.body?.errors?.length || !result.body?.data)
    throw new Error(`GraphQL call failed (${result.status}): ${JSON.stringify(result.body)}`);
  return result.body.data as T;
}

export async function register(platform: TestPlatform, email = uniqueEmail(), name = 'Test User') {
  const data = await ok(
    platform.graphql('mutation($input: RegisterInput!) { register(input: $input) { token user { id email } } }', {
      input: { email, password: PASSWORD, name },
    }),
  );
  return { token: data.register.token as string, userId: data.register.user.id as string, email };
}

export async function createKey(
  platform: TestPlatform,
  user: Pick<TestUser, 'token' | 'orgId'>,
  input: Record<string, unknown> = {},
): Promise<{ id: string; key: string; signingSecret: string; prefix: string }> {
  const data = await ok(
    platform.graphql(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key signingSecret apiKey { id prefix } } }',
      { input: { orgId: user.orgId, name: 'test key', ...input } },
      { token: user.token },
    ),
  );
  const created = data.createApiKey;
  return {
    id: created.apiKey.id,
    key: created.key,
    signingSecret: created.signingSecret,
    prefix: created.apiKey.prefix,
  };
}

/** `X-Signature` headers per the brief, over exactly `body`. */
export function signedHeaders(
  key: string,
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = hmacSha256Hex(secret, `${timestamp}:${key}:${sha256Hex(body)}`);
  return {
    'x-api-key': key,
    'x-signature': signature,
    'x-signature-timestamp': String(timestamp),
    'content-type': 'application/json',
  };
}

/** A signed GraphQL request with the exact body bytes the signature covers. */
export function signedGraphql(
  platform: TestPlatform,
  key: string,
  secret: string,
  query: string,
  variables: Record<string, unknown> = {},
  timestamp?: number,
) {
  const rawBody = JSON.stringify({ query, variables });
  return platform.rest('POST', '/graphql', { rawBody, headers: signedHeaders(key, secret, rawBody, timestamp) });
}

export async function withDb<T>(
  platform: Pick<TestPlatform, 'databaseUrl'>,
  run: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Every identity event recorded so far (the outbox of the identity schema). */
export const identityEvents = (platform: TestPlatform) =>
  withDb(platform, async (db) => {
    const { rows } = await db.query('select type, org_id, data from identity.outbox order by occurred_at, id');
    return rows as { type: string; org_id: string; data: Record<string, unknown> }[];
  });

/** Catches what identity would email (reset and invitation tokens). */
export function catchMail(): { mails: IdentityMail[]; stop(): void } {
  const mails: IdentityMail[] = [];
  setMailer({
    async send(mail) {
      mails.push(mail);
    },
  });
  return { mails, stop: () => setMailer(undefined) };
}

/**
 * Waits (up to 5 s) until every subgraph's outbox has been relayed, so that
 * closing the platform does not race an in-flight delivery to the events
 * service (see the report: its close can otherwise wait on that request).
 */
export async function settle(platform: Pick<TestPlatform, 'databaseUrl'>): Promise<void> {
  const deadline = Date.now() + 5_000;
  await withDb(platform, async (db) => {
    const { rows } = await db.query(
      "select table_schema from information_schema.tables where table_name = 'outbox' and table_type = 'BASE TABLE'",
    );
    while (Date.now() < deadline) {
      let pending = 0;
      for (const { table_schema } of rows)
        pending += Number(
          (await db.query(`select count(*)::int as n from "${table_schema}".outbox where delivered_at is null`)).rows[0]
            .n,
        );
      if (pending === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

/** afterAll for files that start platforms with the harness. */
export async function settleAndCloseAll(...platforms: TestPlatform[]): Promise<void> {
  await Promise.all(platforms.filter(Boolean).map((p) => settle(p).catch(() => undefined)));
  await closeAll();
}
