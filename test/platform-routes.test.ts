/**
 * Platform routes: `/version`, `/v1/public/health`, and operator admission control
 * (`POST /v1/gateway/pause|resume|reload`, platform administrators only): paused → SDK `gate` and
 * `execute` refused with 503 `admission_paused` while reads are served; the paused state is shared
 * through PostgreSQL by another front end (a standalone REST adapter); reload swaps the supergraph
 * without closing an open WebSocket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeAll, type HttpResult, startStandaloneAdapter, startTestPlatform, type TestPlatform } from './harness.ts';
import { PASSWORD, uniqueEmail } from './identity/support.ts';

let platform: TestPlatform;
let admin: { token: string };
let owner: { token: string; orgId: string; key: string };
let workflowId: string;

const err = (response: HttpResult) => ({ status: response.status, ...response.body?.error });

async function register() {
  const response = await platform.rest('POST', '/v1/auth/register', {
    body: { email: uniqueEmail('platform'), password: PASSWORD },
  });
  expect(response.status).toBe(201);
  const data = response.body.data;
  return { token: data.token as string, orgId: data.organization.id as string, key: data.apiKey.key as string };
}

const gate = () =>
  platform.rest('POST', '/v1/gate', {
    headers: { 'x-api-key': owner.key },
    body: { workflowId, estimatedCostMicros: 1000 },
  });
const execute = () =>
  platform.rest('POST', '/v1/execute', {
    headers: { 'x-api-key': owner.key },
    body: { workflowId, model: 'gpt-4o', estimatedCostMicros: 1000 },
  });

beforeAll(async () => {
  platform = await startTestPlatform();
  admin = await register(); // first account: platform administrator
  owner = await register();
  const workflow = await platform.rest('POST', `/v1/orgs/${owner.orgId}/workflows`, {
    token: owner.token,
    body: { name: 'paused-agent', budgetMicros: 5_000_000 },
  });
  expect(workflow.status, JSON.stringify(workflow.body)).toBe(201);
  workflowId = workflow.body.data.id;
});
afterAll(async () => {
  // Leave the shared state as found, whatever a failed test did.
  await platform.rest('POST', '/v1/gateway/resume', { token: admin.token, body: {} });
  await closeAll();
});

describe('GET /version and /v1/public/health', () => {
  it('report the version, commit, schema hash and uptime without credentials', async () => {
    const version = await platform.rest('GET', '/version');
    expect(version.status).toBe(200);
    expect(version.body).toMatchObject({ version: expect.any(String), commit: 'unknown' });
    expect(version.body.schemaHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Number.isInteger(version.body.uptimeSeconds)).toBe(true);
    const health = await platform.rest('GET', '/v1/public/health');
    expect(health.status).toBe(200);
    expect(health.body.data).toMatchObject({ status: 'ok', version: version.body.version });
  });
});

describe('operator admission control', () => {
  it('is for platform administrators only: 401 without credentials, 403 for others and for API keys', async () => {
    for (const action of ['pause', 'resume', 'reload']) {
      expect(err(await platform.rest('POST', `/v1/gateway/${action}`, { body: {} }))).toMatchObject({ status: 401 });
      expect(err(await platform.rest('POST', `/v1/gateway/${action}`, { token: owner.token, body: {} }))).toMatchObject(
        {
          status: 403,
          code: 'forbidden',
        },
      );
      expect(
        err(await platform.rest('POST', `/v1/gateway/${action}`, { headers: { 'x-api-key': owner.key }, body: {} })),
      ).toMatchObject({ status: 403 });
    }
    const bad = await platform.rest('POST', '/v1/gateway/pause', { token: admin.token, body: { reason: 5 } });
    expect(err(bad)).toMatchObject({ status: 422, field: 'reason' });
    const unknown = await platform.rest('POST', '/v1/gateway/pause', { token: admin.token, body: { colour: 'red' } });
    expect(err(unknown)).toMatchObject({ status: 422, field: 'colour' });
  });

  it('pause refuses gate and execute with admission_paused, serves reads; resume admits again', async () => {
    expect((await gate()).status).toBe(200);
    const paused = await platform.rest('POST', '/v1/gateway/pause', {
      token: admin.token,
      body: { reason: 'maintenance' },
    });
    expect(paused.status).toBe(200);
    expect(paused.body.data).toMatchObject({ paused: true, reason: 'maintenance' });
    for (const call of [gate, execute]) {
      const refused = await call();
      expect(err(refused)).toMatchObject({ status: 503, code: 'admission_paused' });
      expect(refused.headers.get('retry-after')).toBe('30');
    }
    // Over GraphQL too, with the same code.
    const graphql = await platform.graphql(
      'mutation($input: GateInput!) { gate(input: $input) { allowed } }',
      { input: { workflowId, estimatedCostMicros: 1000 } },
      { headers: { 'x-api-key': owner.key } },
    );
    expect(graphql.body.errors[0].extensions.code).toBe('admission_paused');
    // Reads still served.
    const read = await platform.rest('GET', `/v1/orgs/${owner.orgId}/workflows/${workflowId}`, { token: owner.token });
    expect(read.status).toBe(200);
    expect((await platform.rest('GET', '/v1/me', { token: owner.token })).status).toBe(200);
    const resumed = await platform.rest('POST', '/v1/gateway/resume', { token: admin.token, body: {} });
    expect(resumed.body.data).toMatchObject({ paused: false });
    expect((await gate()).status).toBe(200);
    expect((await execute()).status).toBe(200);
  });

  it('the paused state is shared: a standalone REST adapter pauses, this gateway refuses', async () => {
    const adapter = await startStandaloneAdapter(platform, { sharedDatabase: true });
    const paused = await fetch(`${adapter.url}/v1/gateway/pause`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(paused.status).toBe(200);
    // Other processes learn it from the bus at once, or from PostgreSQL within the 1 s cache window.
    const deadline = Date.now() + 3_000;
    let refused = await gate();
    while (refused.status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      refused = await gate();
    }
    expect(err(refused)).toMatchObject({ status: 503, code: 'admission_paused' });
    await platform.rest('POST', '/v1/gateway/resume', { token: admin.token, body: {} });
    expect((await gate()).status).toBe(200);
  });

  it('reload re-reads the supergraph without closing an open WebSocket', async () => {
    const socket = new WebSocket(`${platform.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: { type: string }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${owner.token}` } }));
    await expect.poll(() => messages.some((m) => m.type === 'connection_ack')).toBe(true);
    const reloaded = await platform.rest('POST', '/v1/gateway/reload', { token: admin.token, body: {} });
    expect(reloaded.status).toBe(200);
    expect(reloaded.body.data.reloaded).toContain('supergraph');
    expect(reloaded.body.data.schemaHash).toBe((await platform.rest('GET', '/version')).body.schemaHash);
    socket.send(JSON.stringify({ type: 'ping' }));
    await expect.poll(() => messages.some((m) => m.type === 'pong')).toBe(true);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect((await platform.rest('GET', '/v1/me', { token: owner.token })).status).toBe(200);
    socket.close();
  });
});
