/**
 * Platform routes: `/version`, `/v1/public/health`, and operator admission control
 * (`POST /v1/gateway/pause|resume|reload`, platform administrators only): paused → SDK `gate` and
 * `execute` refused with 503 `admission_paused` while reads are served; the paused state is shared
 * through PostgreSQL by another front end (a standalone REST adapter); reload swaps the supergraph
 * and the configuration (TRELLIS_ENV_FILE) without closing an open WebSocket or keep-alive connection.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PostgreSqlConnection } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { admissionFor, STATE_CACHE_MS } from '../gateway/admission.ts';
import { CONFIG_VARIABLES } from '../kernel/config.ts';
import { closeAll, type HttpResult, startStandaloneAdapter, startTestPlatform, type TestPlatform } from './harness.ts';
import { PASSWORD, uniqueEmail } from './identity/support.ts';

let platform: TestPlatform;
let admin: { token: string };
let owner: { token: string; orgId: string; key: string };
let workflowId: string;
/** The platform's TRELLIS_ENV_FILE: what reload re-reads. */
let envFile: string;
const BOOT_ENV_FILE = 'TRELLIS_CORS_ORIGINS=https://one.example.com\nTRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE=1000\n';

// biome-ignore lint/suspicious/noExplicitAny: responses are untyped JSON, as in the harness
type Json = any;
/** Variables in the order kernel/config.ts declares them (the order reload reports them in). */
const byVariableOrder = (a: string, b: string) => CONFIG_VARIABLES.indexOf(a) - CONFIG_VARIABLES.indexOf(b);

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
  envFile = path.join(await mkdtemp(path.join(tmpdir(), 'trellis-env-')), 'trellis.env');
  writeFileSync(envFile, BOOT_ENV_FILE);
  platform = await startTestPlatform({ TRELLIS_ENV_FILE: envFile });
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
  writeFileSync(envFile, BOOT_ENV_FILE);
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

  it('requests that find the cached state stale share one read of it', async () => {
    const control = await admissionFor(platform.app.platform);
    const execute = vi.spyOn(PostgreSqlConnection.prototype, 'execute');
    try {
      await new Promise((resolve) => setTimeout(resolve, STATE_CACHE_MS + 50));
      const states = Array.from({ length: 20 }, () => control.state());
      expect(new Set(states).size).toBe(1);
      expect((await Promise.all(states)).every((state) => state.paused === false)).toBe(true);
      const reads = execute.mock.calls.filter(([query]) => String(query).includes('from admission_state'));
      expect(reads).toHaveLength(1);
      // Fresh again: answered from the cache, no read.
      await control.state();
      expect(execute.mock.calls.filter(([query]) => String(query).includes('from admission_state'))).toHaveLength(1);
    } finally {
      execute.mockRestore();
    }
  });

  it('a pause while a read is in flight is not hidden by that read', async () => {
    const control = await admissionFor(platform.app.platform);
    await new Promise((resolve) => setTimeout(resolve, STATE_CACHE_MS + 50));
    const before = control.state();
    const paused = await platform.rest('POST', '/v1/gateway/pause', { token: admin.token, body: {} });
    expect(paused.body.data).toMatchObject({ paused: true });
    await before;
    expect((await control.state()).paused).toBe(true);
    expect(err(await gate())).toMatchObject({ status: 503, code: 'admission_paused' });
    await platform.rest('POST', '/v1/gateway/resume', { token: admin.token, body: {} });
    expect((await control.state()).paused).toBe(false);
    expect((await gate()).status).toBe(200);
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

  it('reload applies a changed env file in place over the same keep-alive connection; an invalid one is 422 and changes nothing', async () => {
    // One keep-alive connection for every request below: reloading must not drop it.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const send = (method: string, target: string, headers: Record<string, string> = {}, body?: unknown) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Json }>((resolve, reject) => {
        const request = http.request(
          new URL(target, platform.url),
          { method, agent, headers: { 'content-type': 'application/json', ...headers } },
          (response) => {
            sockets.add(response.socket);
            let text = '';
            response.on('data', (chunk) => {
              text += chunk;
            });
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: text ? JSON.parse(text) : null,
              }),
            );
          },
        );
        request.on('error', reject);
        request.end(body === undefined ? undefined : JSON.stringify(body));
      });
    const allowedOrigin = async (origin: string) =>
      (await send('GET', '/v1/public/health', { origin })).headers['access-control-allow-origin'];
    const reload = () => send('POST', '/v1/gateway/reload', { authorization: `Bearer ${admin.token}` }, {});
    try {
      expect(await allowedOrigin('https://one.example.com')).toBe('https://one.example.com');
      expect(await allowedOrigin('https://two.example.com')).toBeUndefined();

      writeFileSync(
        envFile,
        [
          '# edited while running',
          'TRELLIS_CORS_ORIGINS=https://two.example.com',
          'TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE=3',
          'TRELLIS_LOG_LEVEL=warn',
          'TRELLIS_DB_POOL_MAX=7',
        ].join('\n'),
      );
      const reloaded = await reload();
      expect(reloaded.status, JSON.stringify(reloaded.body)).toBe(200);
      expect(reloaded.body.data.reloaded).toEqual(expect.arrayContaining(['supergraph', 'configuration']));
      expect(reloaded.body.data.configuration).toEqual({
        changed: [
          'TRELLIS_DB_POOL_MAX',
          'TRELLIS_LOG_LEVEL',
          'TRELLIS_CORS_ORIGINS',
          'TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE',
        ].sort(byVariableOrder),
        applied: ['TRELLIS_LOG_LEVEL', 'TRELLIS_CORS_ORIGINS', 'TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE'].sort(
          byVariableOrder,
        ),
        restartRequired: ['TRELLIS_DB_POOL_MAX'],
      });
      // The new behaviour, on the connection that was open before.
      expect(await allowedOrigin('https://two.example.com')).toBe('https://two.example.com');
      expect(await allowedOrigin('https://one.example.com')).toBeUndefined();
      expect(platform.app.platform.logger.level).toBe('warn');
      expect(platform.app.platform.config.database.poolMax).not.toBe(7);
      const fresh = await register();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await send('GET', '/v1/me', { 'x-api-key': fresh.key })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);

      // Invalid: 422 naming the variable, and the running configuration stays.
      writeFileSync(envFile, 'TRELLIS_CORS_ORIGINS=not a url\nTRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE=0\n');
      const refused = await reload();
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('configuration_invalid');
      expect(refused.body.error.details.problems.join('\n')).toMatch(/TRELLIS_CORS_ORIGINS/);
      expect(refused.body.error.details.problems.join('\n')).toMatch(/TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE/);
      expect(await allowedOrigin('https://two.example.com')).toBe('https://two.example.com');
      expect(platform.app.platform.config.rateLimits.apiKeyPerMinute).toBe(3);
      expect(sockets.size, 'every request above used one connection').toBe(1);
    } finally {
      writeFileSync(envFile, BOOT_ENV_FILE);
      await reload();
      platform.app.platform.logger.level = 'silent';
      agent.destroy();
    }
  });
});
