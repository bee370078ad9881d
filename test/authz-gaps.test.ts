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
import WebSocket from 'ws';
import { PRINCIPAL_HEADER, type Principal, servicePrincipal, signPrincipal } from '../kernel/principal.ts';
import { connect, wsUrl } from './events/ws-client.ts';
import { eventually } from './eventually.ts';
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

/** The events /v1/events/ws replays from the start of an organization's log (within a second of `ready`). */
function socketEvents(platform: TestPlatform, token: string, orgId: string): Promise<Json[]> {
  const url = `${wsUrl(platform.url, '/v1/events/ws')}?orgId=${orgId}&since=0&access_token=${token}`;
  const socket = new WebSocket(url);
  const events: Json[] = [];
  return new Promise((resolve, reject) => {
    const done = () => {
      socket.close();
      resolve(events);
    };
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.type === 'event') events.push(frame.event);
      if (frame.type === 'ready') setTimeout(done, 1000);
      if (frame.type === 'error') reject(new Error(JSON.stringify(frame)));
    });
    socket.on('error', reject);
  });
}

describe('X-Workflow-Id binds an org-wide key to a workflow', () => {
  it('denies gate/execute on a killed workflow named only by the header, and reserves against the named one', async () => {
    const key = await createKey(lenient, owner);
    const killed = await workflow(lenient, owner, 'killed');
    await ok(
      lenient.graphql(
        'mutation($id: ID!) { killWorkflow(id: $id) { status } }',
        { id: killed },
        { token: owner.token },
      ),
    );
    const headers = { 'x-api-key': key.key, 'x-workflow-id': killed };
    const gate = await send(lenient, 'POST', '/v1/gate', headers, '{}');
    expect(gate.status).toBe(200);
    expect(gate.body.data).toMatchObject({ allowed: false, reason: 'workflow_killed', workflowId: killed });
    const exec = await send(lenient, 'POST', '/v1/execute', headers, '{"estimatedCostMicros":10}');
    expect(exec.body.data).toMatchObject({ allowed: false, reason: 'workflow_killed', reservedMicros: 0 });

    const active = await workflow(lenient, owner, 'active', 1000);
    const reserved = await send(
      lenient,
      'POST',
      '/v1/execute',
      { 'x-api-key': key.key, 'x-workflow-id': active },
      '{"estimatedCostMicros":600}',
    );
    expect(reserved.body.data).toMatchObject({ allowed: true, workflowId: active, reservedMicros: 600 });
    const read = await ok(
      lenient.graphql(
        'query($id: ID!) { workflow(id: $id) { reservedMicros } }',
        { id: active },
        { token: owner.token },
      ),
    );
    expect(read.workflow.reservedMicros).toBe(600);
    // The budget it reserved against is enforced: the next call no longer fits.
    const over = await send(
      lenient,
      'POST',
      '/v1/execute',
      { 'x-api-key': key.key, 'x-workflow-id': active },
      '{"estimatedCostMicros":600}',
    );
    expect(over.body.data).toMatchObject({ allowed: false, reason: 'budget_exceeded' });
  });

  it('fails closed when no workflow is named, and refuses a body naming another workflow than the header', async () => {
    const key = await createKey(lenient, owner);
    for (const path of ['/v1/gate', '/v1/execute']) {
      const none = await send(lenient, 'POST', path, { 'x-api-key': key.key }, '{"estimatedCostMicros":1}');
      expect(none.status, path).toBe(422);
      expect(none.body.error).toMatchObject({ code: 'validation_failed' });
      expect(none.body.error.field).toMatch(/workflowId$/);
    }
    const gql = await lenient.graphql(
      'mutation { gate(input: { estimatedCostMicros: 1 }) { allowed } }',
      {},
      { token: owner.token },
    );
    expect(code(gql)).toBe('validation_failed');

    const a = await workflow(lenient, owner, 'a');
    const b = await workflow(lenient, owner, 'b');
    const clash = await send(
      lenient,
      'POST',
      '/v1/gate',
      { 'x-api-key': key.key, 'x-workflow-id': a },
      JSON.stringify({ workflowId: b }),
    );
    expect(clash.status).toBe(403);
    expect(code(clash)).toBe('forbidden');
    const same = await send(
      lenient,
      'POST',
      '/v1/gate',
      { 'x-api-key': key.key, 'x-workflow-id': a },
      JSON.stringify({ workflowId: a }),
    );
    expect(same.body.data).toMatchObject({ allowed: true, workflowId: a });
    const malformed = await send(lenient, 'POST', '/v1/gate', { 'x-api-key': key.key, 'x-workflow-id': 'x y' }, '{}');
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.field).toBe('X-Workflow-Id');
  });
});

describe('/v1/auth/verify with signatures required', () => {
  it('does not hand the signing secret to an unsigned request', async () => {
    const key = await createKey(strict, strictOwner);
    const rest = await send(strict, 'POST', '/v1/auth/verify', { 'x-api-key': key.key }, '{}');
    expect(rest.status).toBe(401);
    expect(code(rest)).toBe('invalid_signature');
    expect(JSON.stringify(rest.body)).not.toContain(key.signingSecret);
    const gql = await strict.graphql('{ verifyApiKey { signingSecret } }', {}, { token: key.key });
    expect(gql.status).toBe(401);
    expect(JSON.stringify(gql.body)).not.toContain(key.signingSecret);
    // Signed, it answers (the SDK already holds the secret it was shown at creation).
    const signed = await send(strict, 'POST', '/v1/auth/verify', v2Headers(key, 'POST', '/v1/auth/verify', '{}'), '{}');
    expect(signed.status).toBe(200);
    expect(signed.body.data.signingSecret).toBe(key.signingSecret);
  });
});

describe('v2 signatures: method, path and a one-time nonce', () => {
  it('refuses a v1 signature where v2 is required: a signature captured from GET /v1/me deletes no key', async () => {
    const attacker = await createKey(strict, strictOwner);
    const victim = await createKey(strict, strictOwner);
    const captured = v1Headers(attacker, '');
    const replayed = await send(strict, 'DELETE', `/v1/orgs/${strictOwner.orgId}/api-keys/${victim.id}`, captured);
    expect(replayed.status).toBe(401);
    expect(code(replayed)).toBe('invalid_signature');
    const me = await send(strict, 'GET', '/v1/me', v2Headers(victim, 'GET', '/v1/me', ''));
    expect(me.status).toBe(200);
  });

  it('binds the signature to its method, path and query, and accepts each nonce once', async () => {
    const key = await createKey(strict, strictOwner);
    const other = await createKey(strict, strictOwner);
    const headers = v2Headers(key, 'GET', '/v1/me', '');
    expect((await send(strict, 'GET', '/v1/me', headers)).status).toBe(200);
    const replay = await send(strict, 'GET', '/v1/me', headers);
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/nonce/i);

    const forMe = v2Headers(key, 'GET', '/v1/me', '');
    const elsewhere = await send(strict, 'DELETE', `/v1/orgs/${strictOwner.orgId}/api-keys/${other.id}`, forMe);
    expect(elsewhere.status).toBe(401);
    expect((await send(strict, 'GET', '/v1/me', v2Headers(other, 'GET', '/v1/me', ''))).status).toBe(200);

    const list = `/v1/orgs/${strictOwner.orgId}/api-keys?limit=1`;
    expect((await send(strict, 'GET', list, v2Headers(key, 'GET', list, ''))).status).toBe(200);
    const withoutQuery = v2Headers(key, 'GET', `/v1/orgs/${strictOwner.orgId}/api-keys`, '');
    expect((await send(strict, 'GET', list, withoutQuery)).status).toBe(401);

    const body = JSON.stringify({ query: '{ me { principalId } }' });
    const gql = await send(strict, 'POST', '/graphql', v2Headers(key, 'POST', '/graphql', body), body);
    expect(gql.status).toBe(200);
    expect(gql.body.data.me.principalId).toBe(key.id);

    const noNonce = v2Headers(key, 'GET', '/v1/me', '');
    const { 'x-signature-nonce': _, ...withoutNonce } = noNonce;
    expect((await send(strict, 'GET', '/v1/me', withoutNonce)).status).toBe(401);
  });

  it('signs WebSocket connections too: GET and the upgrade path', async () => {
    const key = await createKey(strict, strictOwner);
    const v2 = v2Headers(key, 'GET', '/graphql', '');
    const signed = connect(strict.url, {
      apiKey: key.key,
      signature: v2['x-signature'],
      timestamp: v2['x-signature-timestamp'],
      signatureVersion: '2',
      nonce: v2['x-signature-nonce'],
    });
    // From the start of the log: the organization's first events arrive once the connection is accepted.
    const events = signed.subscribe('subscription($o: ID!) { events(orgId: $o, since: 0) { type } }', {
      o: strictOwner.orgId,
    });
    await eventually(() => events.messages.some((m) => m.data?.events?.type));
    const v1 = v1Headers(key, '');
    const refused = connect(strict.url, {
      apiKey: key.key,
      signature: v1['x-signature'],
      timestamp: v1['x-signature-timestamp'],
    });
    refused.subscribe('subscription($o: ID!) { events(orgId: $o) { type } }', { o: strictOwner.orgId });
    await eventually(() => refused.closed?.code === 4403);
    await Promise.all([signed.dispose(), refused.dispose()]);
  });

  it('accepts v1 and v2 where v1 is still allowed (the default outside production)', async () => {
    const key = await createKey(lenient, owner);
    expect((await send(lenient, 'GET', '/v1/me', v1Headers(key, ''))).status).toBe(200);
    const headers = v2Headers(key, 'GET', '/v1/me', '');
    expect((await send(lenient, 'GET', '/v1/me', headers)).status).toBe(200);
    expect((await send(lenient, 'GET', '/v1/me', headers)).status).toBe(401);
  });
});

describe('a filter does not widen what a role reads', () => {
  it('keeps the audit trail (actors, actor filters) from viewers', async () => {
    const viewer = await lenient.signup('Viewer Home');
    await ok(
      lenient.graphql(
        'mutation($o: ID!, $i: AddMemberInput!) { addMember(orgId: $o, input: $i) { userId } }',
        { o: owner.orgId, i: { email: viewer.email, role: 'VIEWER' } },
        { token: owner.token },
      ),
    );
    await workflow(lenient, owner, 'audited');
    const EVENTS = `query($o: ID!, $f: EventFilter) {
      events(orgId: $o, filter: $f, limit: 200) { items { type actor { type id } } }
    }`;
    const ownerView = await eventually(async () => {
      const data = await ok(
        lenient.graphql(EVENTS, { o: owner.orgId, f: { actorType: 'user' } }, { token: owner.token }),
      );
      return data.events.items.some((e: Json) => e.type === 'workflow.created') ? data.events.items : undefined;
    });
    expect(ownerView[0].actor).toMatchObject({ type: 'user', id: owner.userId });

    for (const filter of [{ actorType: 'user' }, { actorId: owner.userId }]) {
      const filtered = await lenient.graphql(EVENTS, { o: owner.orgId, f: filter }, { token: viewer.token });
      expect(code(filtered), JSON.stringify(filter)).toBe('forbidden');
      expect(filtered.body.data?.events ?? null).toBeNull();
    }
    const plain = await ok(lenient.graphql(EVENTS, { o: owner.orgId }, { token: viewer.token }));
    expect(plain.events.items.length).toBeGreaterThan(0);
    expect(plain.events.items.every((e: Json) => e.actor === null)).toBe(true);
    // The live stream (/v1/events/ws) shows the log as the query does.
    for (const [reader, actors] of [
      [viewer, false],
      [owner, true],
    ] as const) {
      const frames = await socketEvents(lenient, reader.token, owner.orgId);
      expect(frames.length).toBeGreaterThan(0);
      expect(frames.some((e: Json) => e.actor !== null)).toBe(actors);
    }
    const audit = await lenient.graphql(
      'query($o: ID!) { auditLog(orgId: $o) { items { type } } }',
      { o: owner.orgId },
      {
        token: viewer.token,
      },
    );
    expect(code(audit)).toBe('forbidden');
  });

  it('lets a workflow-bound key read its own workflow only', async () => {
    const mine = await workflow(lenient, owner, 'mine');
    const theirs = await workflow(lenient, owner, 'theirs');
    const bound = await createKey(lenient, owner, { workflowId: mine, scopes: ['workflows:read', 'executions:read'] });
    const list = await ok(
      lenient.graphql(
        'query($o: ID!) { workflows(orgId: $o, limit: 200) { items { id } } }',
        { o: owner.orgId },
        {
          token: bound.key,
        },
      ),
    );
    expect(list.workflows.items.map((w: Json) => w.id)).toEqual([mine]);
    // Like another organization's workflow: not found, nothing of it shown.
    const one = await lenient.graphql(
      'query($id: ID!) { workflow(id: $id) { id name } }',
      { id: theirs },
      {
        token: bound.key,
      },
    );
    expect(code(one)).toBe('not_found');
    expect(one.body.data?.workflow ?? null).toBeNull();
    const rest = await lenient.rest('GET', `/v1/orgs/${owner.orgId}/workflows/${theirs}`, { token: bound.key });
    expect(rest.status).toBe(404);
    expect(JSON.stringify(rest.body)).not.toContain('theirs');
    const restList = await lenient.rest('GET', `/v1/orgs/${owner.orgId}/workflows`, { token: bound.key });
    expect(restList.body.data.items.map((w: Json) => w.id)).toEqual([mine]);
    const org = await ok(
      lenient.graphql(
        'query($id: ID!) { organization(id: $id) { workflows { id } } }',
        { id: owner.orgId },
        {
          token: bound.key,
        },
      ),
    );
    expect(org.organization.workflows.map((w: Json) => w.id)).toEqual([mine]);
    const dashboard = await ok(
      lenient.graphql(
        'query($o: ID!) { governanceDashboard(orgId: $o) { topWorkflows { id } } }',
        { o: owner.orgId },
        {
          token: bound.key,
        },
      ),
    );
    expect(dashboard.governanceDashboard.topWorkflows.map((w: Json) => w.id)).toEqual([mine]);
    // The org-wide key still reads both.
    const wide = await createKey(lenient, owner);
    const all = await ok(
      lenient.graphql(
        'query($o: ID!) { workflows(orgId: $o, limit: 200) { items { id } } }',
        { o: owner.orgId },
        {
          token: wide.key,
        },
      ),
    );
    expect(all.workflows.items.map((w: Json) => w.id)).toEqual(expect.arrayContaining([mine, theirs]));
  });
});

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

describe('API-key scopes', () => {
  it('refuses scopes that do not exist, listing the valid ones; accepts seed 003 compute and billing scopes', async () => {
    for (const scopes of [['workflow:read'], ['members:read', 'vm:write'], ['nothing:*']]) {
      const result = await lenient.graphql(
        'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }',
        { i: { orgId: owner.orgId, name: 'bad', scopes } },
        { token: owner.token },
      );
      const error = result.body.errors?.[0];
      expect(error?.extensions?.code, JSON.stringify(scopes)).toBe('validation_failed');
      expect(error?.extensions?.field).toBe('input.scopes');
      expect(error?.message).toContain(JSON.stringify(scopes.at(-1)));
      expect(error?.message).toMatch(/workflows, .*vms/);
      expect(error?.extensions?.details?.validScopes).toEqual(
        expect.arrayContaining(['*', 'workflows:read', 'vms:write']),
      );
    }
    const rest = await lenient.rest('POST', `/v1/orgs/${owner.orgId}/api-keys`, {
      token: owner.token,
      body: { name: 'bad', scopes: ['workflow:read'] },
    });
    expect(rest.status).toBe(422);
    expect(rest.body.error.code).toBe('validation_failed');
    expect(rest.body.error.field).toMatch(/scopes$/);
    const seed003 = await createKey(lenient, owner, { scopes: ['clusters:read', 'vms:write', 'billing:read'] });
    expect(seed003.key).toMatch(/^trl_/);
  });
});

describe('readiness details and metrics', () => {
  it('needs TRELLIS_METRICS_TOKEN for /metrics and dependency details when it is set', async () => {
    const bare = await fetch(`${strict.url}/metrics`);
    expect(bare.status).toBe(401);
    const wrong = await fetch(`${strict.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const scraped = await fetch(`${strict.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('trellis_http_requests_total');
    const ready = (await (await fetch(`${strict.url}/health/ready`)).json()) as Json;
    for (const check of ready.checks) expect(Object.keys(check).sort()).toEqual(['name', 'status']);
  });
});
