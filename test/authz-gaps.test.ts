/**
 * Issue 8, item 8: the authorization gaps found from outside, one test each
 * (every one of them failed before its fix):
 * - X-Workflow-Id binds an org-wide key's call to that workflow; gate/execute name a workflow or fail;
 * - with signatures required, an unsigned verify does not hand out the signing secret;
 * - v2 signatures cover method, path and a one-time nonce; a deployment can refuse v1;
 * - a filter does not widen what a role reads (viewers and the audit trail); a workflow-bound key
 *   reads its workflow only;
 * - the public gateway refuses a forwarded principal unless the REST adapter signed it for the gateway;
 * - unknown scopes are refused at key creation, with the valid list;
 * - readiness details and metrics need TRELLIS_METRICS_TOKEN when it is set.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_HEADER, type Principal, servicePrincipal, signPrincipal } from '../kernel/principal.ts';
import { eventually } from './events/helpers.ts';
import { type HttpResult, type Json, startTestPlatform, type TestPlatform, type TestUser } from './harness.ts';
import { createKey, ok, settleAndCloseAll } from './identity/support.ts';

const METRICS_TOKEN = randomBytes(24).toString('hex');

let lenient: TestPlatform; // development defaults: signatures optional, v1 accepted
let strict: TestPlatform; // production-like: signatures required, v2 only, a metrics token
let owner: TestUser;
let strictOwner: TestUser;

beforeAll(async () => {
  [lenient, strict] = await Promise.all([
    startTestPlatform(),
    startTestPlatform({
      TRELLIS_HMAC_REQUIRED: 'true',
      TRELLIS_HMAC_MIN_VERSION: '2',
      TRELLIS_METRICS_TOKEN: METRICS_TOKEN,
    }),
  ]);
  [owner, strictOwner] = await Promise.all([lenient.signup('Gaps Org'), strict.signup('Strict Gaps Org')]);
});
afterAll(() => settleAndCloseAll(lenient, strict));

const code = (result: HttpResult) => result.body?.error?.code ?? result.body?.errors?.[0]?.extensions?.code;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** v1 (seed 000), computed independently of the server's helper. */
function v1Headers(key: { key: string; signingSecret: string }, body: string, ts = Math.floor(Date.now() / 1000)) {
  const signature = createHmac('sha256', key.signingSecret)
    .update(`${ts}:${key.key}:${sha256(body)}`)
    .digest('hex');
  return { 'x-api-key': key.key, 'x-signature': signature, 'x-signature-timestamp': String(ts) };
}

/** v2: also covers the method, the path with its query and a one-time nonce. */
function v2Headers(
  key: { key: string; signingSecret: string },
  method: string,
  pathWithQuery: string,
  body: string,
  nonce = randomBytes(16).toString('hex'),
  ts = Math.floor(Date.now() / 1000),
) {
  const base = `v2:${ts}:${nonce}:${method}:${pathWithQuery}:${key.key}:${sha256(body)}`;
  return {
    'x-api-key': key.key,
    'x-signature': createHmac('sha256', key.signingSecret).update(base).digest('hex'),
    'x-signature-timestamp': String(ts),
    'x-signature-version': '2',
    'x-signature-nonce': nonce,
  };
}

function send(platform: TestPlatform, method: string, path: string, headers: Record<string, string>, body?: string) {
  return platform.rest(method, path, {
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { rawBody: body }),
  });
}

async function workflow(platform: TestPlatform, user: TestUser, name: string, budgetMicros: number | null = 1000) {
  const data = await ok(
    platform.graphql(
      'mutation($o: ID!, $i: CreateWorkflowInput!) { createWorkflow(orgId: $o, input: $i) { id } }',
      { o: user.orgId, i: { name, budgetMicros } },
      { token: user.token },
    ),
  );
  return data.createWorkflow.id as string;
}

describe('the public gateway does not trust a forwarded principal', () => {
  const ownerPrincipal = (): Principal => ({
    kind: 'user',
    id: owner.userId,
    userId: owner.userId,
    memberships: [{ orgId: owner.orgId, role: 'owner' }],
    scopes: ['*'],
  });
  const ME = JSON.stringify({ query: '{ me { principalId } }' });

  it('refuses a principal signed for subgraphs (captured inside) and a service principal', async () => {
    const secret = lenient.app.platform.internalSecret;
    for (const header of [
      signPrincipal(secret, ownerPrincipal()),
      signPrincipal(secret, servicePrincipal('gateway')),
    ]) {
      const graphql = await send(lenient, 'POST', '/graphql', { [PRINCIPAL_HEADER]: header }, ME);
      expect(graphql.status).toBe(401);
      expect(graphql.body.data ?? null).toBeNull();
      const rest = await send(lenient, 'GET', '/v1/me', { [PRINCIPAL_HEADER]: header });
      expect(rest.status).toBe(401);
    }
  });

  it('signs principals with keys derived per purpose, never with the internal secret itself', async () => {
    const secret = lenient.app.platform.internalSecret;
    const payload = Buffer.from(
      JSON.stringify({ principal: ownerPrincipal(), exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString('base64url');
    const raw = `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
    const subgraph = lenient.app.subgraphs.find((s) => s.name === 'identity')?.url as string;
    const response = await fetch(subgraph, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: raw },
      body: JSON.stringify({ query: '{ me { principalId } }' }),
    });
    expect(response.status).toBe(401);
  });
});
