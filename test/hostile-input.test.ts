/**
 * Hostile input from outside, over HTTP: every finding of issue 8 item 1 (and
 * item 4's media-type parameters) reproduced against the whole platform. A
 * client mistake is a 4xx in the envelope (REST) or with a registry code
 * (GraphQL), never a 5xx; what cannot be served is refused before GraphQL work,
 * and the platform keeps answering meanwhile.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { errorRegistry } from '../kernel/errors.ts';
import { closeClients, wsUrl } from './events/ws-client.ts';
import { eventually } from './eventually.ts';
import {
  closeAll,
  type HttpResult,
  type Json,
  startTestPlatform,
  type TestPlatform,
  type TestUser,
} from './harness.ts';

let platform: TestPlatform;
let alice: TestUser;
let workflowId: string;
let apiKey: string;
let webhookId: string;

beforeAll(async () => {
  // Refused bodies never reach the register resolver; the valid registrations below would hit the default limit.
  // A webhook (for its deliveries list) needs a target; this machine resolves no public name.
  platform = await startTestPlatform({
    TRELLIS_RATE_LIMIT_AUTH_PER_15_MINUTES: '1000',
    TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  });
  alice = await platform.signup('Hostile Org');
  const created = await platform.rest('POST', `/v1/orgs/${alice.orgId}/workflows`, {
    token: alice.token,
    body: { name: 'agent', budgetMicros: 1000 },
  });
  workflowId = created.body.data.id;
  apiKey = (await platform.apiKey(alice)).key;
  const webhook = await platform.graphql(
    'mutation($o: ID!) { createWebhook(orgId: $o, input: { name: "w", url: "http://127.0.0.1:9/hook" }) { webhook { id } } }',
    { o: alice.orgId },
    { token: alice.token },
  );
  if (!webhook.body.data) throw new Error(JSON.stringify(webhook.body));
  webhookId = webhook.body.data.createWebhook.webhook.id;
});
afterAll(async () => {
  await closeClients();
  await closeAll();
});

const ENVELOPE_KEYS = ['context', 'data', 'error', 'links', 'meta'];

/** A REST answer: the given 4xx, in the envelope, with the code's registry status. */
function expectRestError(response: HttpResult, code: keyof typeof errorRegistry, field?: RegExp) {
  expect(response.status, JSON.stringify(response.body)).toBe(errorRegistry[code].status);
  expect(Object.keys(response.body).sort()).toEqual(ENVELOPE_KEYS);
  expect(response.body.error.code).toBe(code);
  if (field) expect(response.body.error.field).toMatch(field);
}

/** A GraphQL answer: the registry code and its status. */
function expectGraphQLError(response: HttpResult, code: keyof typeof errorRegistry, field?: RegExp) {
  expect(response.status, JSON.stringify(response.body)).toBe(errorRegistry[code].status);
  expect(response.body.errors[0].extensions.code).toBe(code);
  if (field) expect(response.body.errors[0].extensions.field).toMatch(field);
}

const manyKeys = (count: number, base: Record<string, unknown> = {}) => {
  const body: Record<string, unknown> = { ...base };
  for (let i = 0; i < count; i++) body[`k${i}`] = i;
  return body;
};

/** Sends a request and, 50 ms later, a liveness probe; both durations. */
async function withLivenessProbe(send: () => Promise<HttpResult>) {
  const started = performance.now();
  const pending = send().then((response) => ({ response, ms: performance.now() - started }));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const probeStarted = performance.now();
  const live = await fetch(`${platform.url}/health/live`, { signal: AbortSignal.timeout(5000) });
  const liveMs = performance.now() - probeStarted;
  return { ...(await pending), liveStatus: live.status, liveMs };
}

describe('JSON bodies are bounded before any GraphQL work', () => {
  it('refuses 50,000 unknown keys on the anonymous register within a second, and stays live', async () => {
    const body = manyKeys(50_000, { email: 'many@example.com', password: 'correct horse battery' });
    const { response, ms, liveStatus, liveMs } = await withLivenessProbe(() =>
      platform.rest('POST', '/v1/auth/register', { body }),
    );
    expectRestError(response, 'payload_too_large');
    expect(response.body.error.message).toMatch(/keys/);
    expect(ms).toBeLessThan(1000);
    expect(liveStatus).toBe(200);
    expect(liveMs).toBeLessThan(1000);
  });

  it('refuses the same over /graphql, and unknown keys under the limit are answered quickly', async () => {
    const query = 'mutation($input: RegisterInput!) { register(input: $input) { token } }';
    const huge = await platform.graphql(query, {
      input: manyKeys(50_000, { email: 'many@example.com', password: 'correct horse battery' }),
    });
    expectGraphQLError(huge, 'payload_too_large');
    // 900 unknown keys are under the per-object limit: coercion stops at its first errors instead of
    // inspecting the whole object once per key (quadratic).
    const started = performance.now();
    const some = await platform.graphql(query, {
      input: manyKeys(900, { email: 'some@example.com', password: 'correct horse battery' }),
    });
    expect(performance.now() - started).toBeLessThan(500);
    expectGraphQLError(some, 'validation_failed', /^input\.k0$/);
  });

  it('refuses 100,000-element arrays (track/batch, alert thresholds) at once', async () => {
    const events = Array.from({ length: 100_000 }, () => ({}));
    const { response, ms, liveMs } = await withLivenessProbe(() =>
      platform.rest('POST', '/v1/track/batch', { token: apiKey, body: { events } }),
    );
    expectRestError(response, 'payload_too_large', /^events$/);
    expect(ms).toBeLessThan(1000);
    expect(liveMs).toBeLessThan(1000);
    const thresholds = await platform.rest('PATCH', `/v1/orgs/${alice.orgId}/notification-settings`, {
      token: alice.token,
      body: { alertThresholds: Array.from({ length: 100_000 }, (_, i) => i) },
    });
    expectRestError(thresholds, 'payload_too_large', /^alertThresholds$/);
  });

  it('refuses a 5,000-deep body cleanly (REST and GraphQL), JSON scalar metadata included', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const rest = await platform.rest('POST', `/v1/orgs/${alice.orgId}/workflows`, {
      token: alice.token,
      rawBody: `{"name":"deep","x":${deep}}`,
    });
    expectRestError(rest, 'payload_too_large');
    expect(rest.body.error.message).toMatch(/deep/);
    const metadata = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const gate = await platform.rest('POST', '/v1/gate', {
      token: apiKey,
      rawBody: `{"workflowId":"${workflowId}","metadata":${metadata}}`,
    });
    expectRestError(gate, 'payload_too_large');
    const graphql = await platform.graphql('', undefined, {
      token: apiKey,
      rawBody: `{"query":"mutation($i: GateInput!) { gate(input: $i) { allowed } }","variables":{"i":{"workflowId":"${workflowId}","metadata":${metadata}}}}`,
    });
    expectGraphQLError(graphql, 'payload_too_large');
    // At the limit (64 levels: the body and 63 of metadata) it is served, over REST where the body becomes $input.
    const atLimit = `${'{"a":'.repeat(62)}{}${'}'.repeat(62)}`;
    const served = await platform.rest('POST', '/v1/gate', {
      token: apiKey,
      rawBody: `{"workflowId":"${workflowId}","metadata":${atLimit}}`,
    });
    expect(served.status, JSON.stringify(served.body)).toBe(200);
  });

  it('answers a body just under the limit with a 4xx, not the subgraph’s own limit as a 500', async () => {
    const prefix = '{"name":"big","action":"DENY","description":"';
    const description = 'x'.repeat(1_048_446 - prefix.length - 2);
    const rawBody = `${prefix}${description}"}`;
    expect(rawBody.length).toBe(1_048_446);
    const response = await platform.rest('POST', `/v1/orgs/${alice.orgId}/policies`, {
      token: alice.token,
      rawBody,
    });
    expectRestError(response, 'validation_failed', /description/);
  });

  it('refuses a __proto__ key anywhere in a body, JSON metadata included', async () => {
    const response = await platform.rest('POST', '/v1/gate', {
      token: apiKey,
      rawBody: `{"workflowId":"${workflowId}","metadata":{"a":{"__proto__":{"polluted":true}}}}`,
    });
    expectRestError(response, 'validation_failed', /^metadata\.a\.__proto__$/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('numbers and custom scalars are parsed at the gateway', () => {
  it('refuses 1e309 (Infinity) instead of storing an unlimited budget', async () => {
    const create = await platform.rest('POST', `/v1/orgs/${alice.orgId}/workflows`, {
      token: alice.token,
      rawBody: '{"name":"infinite","budgetMicros":1e309}',
    });
    expectRestError(create, 'validation_failed', /^budgetMicros$/);
    const patch = await platform.rest('PATCH', `/v1/orgs/${alice.orgId}/workflows/${workflowId}`, {
      token: alice.token,
      rawBody: '{"budgetMicros":1e309}',
    });
    expectRestError(patch, 'validation_failed', /^budgetMicros$/);
    const gate = await platform.rest('POST', '/v1/gate', {
      token: apiKey,
      rawBody: `{"workflowId":"${workflowId}","estimatedCostMicros":1e309}`,
    });
    expectRestError(gate, 'validation_failed', /^estimatedCostMicros$/);
    const graphql = await platform.graphql('', undefined, {
      token: alice.token,
      rawBody: `{"query":"mutation($o: ID!, $i: CreateWorkflowInput!) { createWorkflow(orgId: $o, input: $i) { id } }","variables":{"o":"${alice.orgId}","i":{"name":"inf","budgetMicros":-1e400}}}`,
    });
    expectGraphQLError(graphql, 'validation_failed', /budgetMicros$/);
    const read = await platform.rest('GET', `/v1/orgs/${alice.orgId}/workflows/${workflowId}`, { token: alice.token });
    expect(read.body.data.budgetMicros).toBe(1000);
  });

  it('refuses a wrong type on SafeInt and DateTime with 422 naming the field', async () => {
    for (const budgetMicros of ['"5"', '1.5', '9007199254740993', 'true', '{"a":1}']) {
      const response = await platform.rest('POST', `/v1/orgs/${alice.orgId}/workflows`, {
        token: alice.token,
        rawBody: `{"name":"typed","budgetMicros":${budgetMicros}}`,
      });
      expectRestError(response, 'validation_failed', /budgetMicros$/);
    }
    const track = await platform.rest('POST', '/v1/track', {
      token: apiKey,
      body: { workflowId, costMicros: 1, occurredAt: 'x' },
    });
    expectRestError(track, 'validation_failed', /occurredAt$/);
    const key = await platform.rest('POST', `/v1/orgs/${alice.orgId}/api-keys`, {
      token: alice.token,
      body: { name: 'k', expiresAt: 'tomorrow' },
    });
    expectRestError(key, 'validation_failed', /expiresAt$/);
  });

  it('refuses wrong scalar values over GraphQL, as variables and as literals', async () => {
    const variables = await platform.graphql(
      'mutation($o: ID!, $i: CreateWorkflowInput!) { createWorkflow(orgId: $o, input: $i) { id } }',
      { o: alice.orgId, i: { name: 'x', budgetMicros: '5' } },
      { token: alice.token },
    );
    expectGraphQLError(variables, 'validation_failed', /^i\.budgetMicros$/);
    const literal = await platform.graphql(
      `mutation { createWorkflow(orgId: "${alice.orgId}", input: { name: "x", budgetMicros: 9007199254740993 }) { id } }`,
      {},
      { token: alice.token },
    );
    expect(literal.status).toBeGreaterThanOrEqual(400);
    expect(literal.status).toBeLessThan(500);
    expect(literal.body.errors[0].extensions.code).toBe('invalid_query');
    const expires = await platform.graphql(
      `mutation { createApiKey(input: { orgId: "${alice.orgId}", name: "k", expiresAt: "tomorrow" }) { key } }`,
      {},
      { token: alice.token },
    );
    expect(expires.status).toBe(400);
    expect(expires.body.errors[0].extensions.code).toBe('invalid_query');
  });
});

describe('strings that PostgreSQL cannot store are refused at the edge', () => {
  it('refuses NUL and lone surrogates in body strings with 422 naming the field', async () => {
    const org = await platform.rest('POST', '/v1/orgs', { token: alice.token, rawBody: '{"name":"a\\u0000b"}' });
    expectRestError(org, 'validation_failed', /^name$/);
    const surrogate = await platform.rest('POST', '/v1/orgs', { token: alice.token, rawBody: '{"name":"a\\ud800b"}' });
    expectRestError(surrogate, 'validation_failed', /^name$/);
    const vm = await platform.rest('POST', `/v1/orgs/${alice.orgId}/vms/create`, {
      token: alice.token,
      rawBody: '{"name":"vm\\udc00","gpuModelId":"h100-80gb","gpuCount":1}',
    });
    expectRestError(vm, 'validation_failed', /^name$/);
    const login = await platform.rest('POST', '/v1/auth/login', {
      rawBody: '{"email":"a\\u0000@example.com","password":"x"}',
    });
    expectRestError(login, 'validation_failed', /^email$/);
    const key = await platform.rest('POST', '/v1/gate', {
      token: apiKey,
      rawBody: `{"workflowId":"${workflowId}","metadata":{"k\\u0000":1}}`,
    });
    expectRestError(key, 'validation_failed', /^metadata/);
  });

  it('refuses them in GraphQL variables (POST and GET) and literals', async () => {
    const post = await platform.graphql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
      { i: { name: 'a\u0000b', slug: 'nul-org' } },
      { token: alice.token },
    );
    expectGraphQLError(post, 'validation_failed', /name$/);
    const query = 'query($id: ID!) { workflow(id: $id) { id } }';
    const get = await fetch(
      `${platform.url}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent('{"id":"wf_\\u0000"}')}`,
      { headers: { authorization: `Bearer ${alice.token}` } },
    );
    expect(get.status).toBe(422);
    expect(((await get.json()) as Json).errors[0].extensions).toMatchObject({ code: 'validation_failed', field: 'id' });
    const literal = await platform.graphql(
      'mutation { createOrganization(input: { name: "a\\u0000b", slug: "nul-literal" }) { id } }',
      {},
      { token: alice.token },
    );
    expectGraphQLError(literal, 'invalid_query');
  });

  it('answers NUL in a path id or query parameter with a 4xx, never a 500', async () => {
    const path = await platform.rest('GET', `/v1/orgs/${alice.orgId}/workflows/%00`, { token: alice.token });
    expectRestError(path, 'invalid_request', /^workflowId$/);
    const invite = await platform.rest('GET', '/v1/invites/%00');
    expectRestError(invite, 'invalid_request', /^token$/);
    const queryParam = await platform.rest('GET', `/v1/orgs/${alice.orgId}/executions?model=%00`, {
      token: alice.token,
    });
    expectRestError(queryParam, 'invalid_request', /^model$/);
  });
});

describe('cursors are validated', () => {
  // The first decodes to {"c":{"$gt":1},"i":[1]} (an invalid date, an array id); then a number id (text < integer
  // in SQL), query operators in every field (accepted as a filter before), and text that is not a cursor at all.
  const GARBAGE = [
    'eyJjIjp7IiRndCI6MX0sImkiOlsxXX0',
    Buffer.from('{"i":1}').toString('base64url'),
    Buffer.from('{"c":{"$ne":null},"n":{"$ne":null},"i":{"$ne":null},"p":{"$gt":0},"s":{"$gt":0}}').toString(
      'base64url',
    ),
    'not-a-cursor',
  ];
  const listRoutes = () => [
    `/v1/orgs/${alice.orgId}/webhooks`,
    `/v1/orgs/${alice.orgId}/webhooks/${webhookId}/deliveries`,
    `/v1/orgs/${alice.orgId}/audit-log`,
    `/v1/organizations/${alice.orgId}/audit-logs`,
    `/v1/audit-logs?orgId=${alice.orgId}`,
    `/v1/orgs/${alice.orgId}/workflows`,
    `/v1/orgs/${alice.orgId}/policies`,
    `/v1/orgs/${alice.orgId}/executions`,
    `/v1/orgs/${alice.orgId}/alerts`,
    `/v1/organizations/${alice.orgId}/members`,
    `/v1/orgs/${alice.orgId}/members`,
    `/v1/organizations/${alice.orgId}/teams`,
    `/v1/api-keys?orgId=${alice.orgId}`,
    `/v1/orgs/${alice.orgId}/api-keys`,
    `/v1/workflows/${workflowId}/api-keys`,
  ];

  it('answers a garbage cursor on every list route with 400 invalid_request naming cursor', async () => {
    for (const route of listRoutes()) {
      for (const cursor of GARBAGE) {
        const response = await platform.rest('GET', `${route}${route.includes('?') ? '&' : '?'}cursor=${cursor}`, {
          token: alice.token,
        });
        expectRestError(response, 'invalid_request', /^cursor$/);
      }
    }
  });

  it('still pages with the cursors it hands out', async () => {
    for (const name of ['p1', 'p2', 'p3'])
      await platform.rest('POST', `/v1/orgs/${alice.orgId}/workflows`, { token: alice.token, body: { name } });
    const first = await platform.rest('GET', `/v1/orgs/${alice.orgId}/workflows?limit=2`, { token: alice.token });
    const next = await platform.rest('GET', first.body.links.next, { token: alice.token });
    expect(next.status).toBe(200);
    expect(next.body.data.items.length).toBeGreaterThan(0);
  });
});

describe('malformed requests answer in the envelope with registry codes', () => {
  it('answers malformed JSON to /graphql with 400 invalid_json', async () => {
    const response = await platform.graphql('', undefined, { rawBody: '{"query": ' });
    expectGraphQLError(response, 'invalid_json');
  });

  it('answers a malformed percent-encoding and an over-long path id in the envelope', async () => {
    const badUrl = await platform.rest('GET', `/v1/orgs/${alice.orgId}/workflows/%ff%fe`, { token: alice.token });
    expectRestError(badUrl, 'invalid_request');
    const long = await platform.rest('GET', `/v1/orgs/${alice.orgId}/workflows/${'w'.repeat(101)}`, {
      token: alice.token,
    });
    expectRestError(long, 'uri_too_long');
    const graphql = await fetch(`${platform.url}/graphql/%ff`);
    expect(graphql.status).toBe(400);
  });

  it('answers a request line past Node’s header limit (a 20 KB query) in the envelope, not a bare 431', async () => {
    const huge = await platform.rest('GET', `/v1/orgs/${alice.orgId}/workflows?cursor=${'x'.repeat(20_000)}`, {
      token: alice.token,
    });
    expect(huge.status).toBe(431);
    expect(huge.body.error.code).toBe('headers_too_large');
    expect(huge.body.meta.request_id).toEqual(expect.any(String));
    expect((await platform.rest('GET', '/health/live')).status).toBe(200);
  });

  it('answers such a request line in the envelope when it arrives in parts (the parser keeps only the last read)', async () => {
    const { port } = new URL(platform.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`GET /v1/orgs/${alice.orgId}/workflows?cursor=${'x'.repeat(8_000)}`);
        // Past the first read: the request line is no longer in the packet the parser refuses.
        setTimeout(() => socket.write(`${'x'.repeat(12_000)} HTTP/1.1\r\nhost: localhost\r\n\r\n`), 100);
      });
      let text = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        text += chunk;
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    const parsed = JSON.parse(body);
    expect(parsed.error.code).toBe('headers_too_large');
    expect(parsed.meta.request_id).toEqual(expect.any(String));
    expect(parsed).not.toHaveProperty('errors');
  });
});

describe('media-type parameters (GraphQL over HTTP and REST)', () => {
  it('accepts application/json; charset=utf-8 on /graphql and /v1', async () => {
    const graphql = await platform.graphql('{ me { kind } }', undefined, {
      token: alice.token,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(graphql.status).toBe(200);
    expect(graphql.body.data.me.kind).toBe('user');
    const rest = await platform.rest('POST', `/v1/orgs/${alice.orgId}/workflows`, {
      token: alice.token,
      headers: { 'content-type': 'application/json;charset="UTF-8"' },
      body: { name: 'charset' },
    });
    expect(rest.status).toBe(201);
  });

  it('refuses another charset with 415', async () => {
    const graphql = await platform.graphql('{ me { kind } }', undefined, {
      token: alice.token,
      headers: { 'content-type': 'application/json; charset=latin1' },
    });
    expectGraphQLError(graphql, 'unsupported_media_type');
    const rest = await platform.rest('POST', `/v1/orgs/${alice.orgId}/workflows`, {
      token: alice.token,
      headers: { 'content-type': 'application/json; charset=utf-16' },
      body: { name: 'utf16' },
    });
    expectRestError(rest, 'unsupported_media_type');
  });
});

describe('subscription variables over graphql-ws', () => {
  const EVENTS =
    'subscription($orgId: ID!, $types: [String!], $since: SafeInt) { events(orgId: $orgId, types: $types, since: $since) { seq } }';

  /**
   * Subscribes over a raw graphql-transport-ws socket with the variables given as JSON text (a client
   * library cannot even serialize some of them) and returns the extensions of the first error.
   */
  async function refusal(variables: string) {
    const socket = new WebSocket(wsUrl(platform.url), 'graphql-transport-ws');
    const messages: Json[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { apiKey } }));
    await eventually(() => messages.some((m) => m.type === 'connection_ack'), 5000);
    socket.send(`{"type":"subscribe","id":"1","payload":{"query":${JSON.stringify(EVENTS)},"variables":${variables}}}`);
    const error = await eventually(() => messages.find((m) => m.type === 'error' && m.id === '1'), 5000);
    socket.close();
    return error.payload[0].extensions;
  }

  it('refuses over-deep variables and NUL in a variable with the registry code', async () => {
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    expect(await refusal(`{"orgId":"${alice.orgId}","since":${deep}}`)).toMatchObject({ code: 'payload_too_large' });
    const nul = await refusal(`{"orgId":"${alice.orgId}","types":["workflow.\\u0000"]}`);
    expect(nul.code).toBe('validation_failed');
    expect(nul.field).toMatch(/types\[0\]$/);
  });
});
