import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_HEADER, servicePrincipal, signPrincipal } from '../kernel/principal.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from './harness.ts';

// Every TCP connection the platform opens during this file is recorded: nothing may leave loopback.
const connections: string[] = [];
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const [first] = args;
  const host =
    typeof first === 'object' && first !== null ? ((first as net.TcpNetConnectOpts).host ?? 'localhost') : args[1];
  if (typeof first === 'object' && first !== null && 'path' in first && (first as { path?: string }).path) {
    connections.push('unix');
  } else connections.push(String(host ?? 'localhost'));
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

let platform: TestPlatform;
let user: TestUser;
beforeAll(async () => {
  platform = await startTestPlatform();
  user = await platform.signup('HTTP Org');
});
afterAll(async () => {
  await closeAll();
  net.Socket.prototype.connect = originalConnect;
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${platform.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('GraphQL over HTTP at the gateway', () => {
  it('answers GET queries and POST with the media type the client accepts', async () => {
    const get = await fetch(`${platform.url}/graphql?query=${encodeURIComponent('{ me { kind } }')}`, {
      headers: { authorization: `Bearer ${user.token}`, accept: 'application/graphql-response+json' },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toContain('application/graphql-response+json');
    expect(await json(get)).toEqual({ data: { me: { kind: 'user' } } });
    const legacy = await post({ query: '{ me { kind } }' }, { authorization: `Bearer ${user.token}` });
    expect(legacy.headers.get('content-type')).toContain('application/json');
  });

  it('rejects an invalid document with 400 and a registry code', async () => {
    const response = await post({ query: '{ nope }' }, { accept: 'application/graphql-response+json' });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.errors[0].extensions.code).toBe('invalid_query');
    expect(body.errors[0].extensions.stacktrace).toBeUndefined();
  });

  it('refuses mutations over GET and simple cross-site requests (CSRF)', async () => {
    const mutationOverGet = await fetch(
      `${platform.url}/graphql?query=${encodeURIComponent('mutation { login(email: "a@b.c", password: "x") { token } }')}`,
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    expect(mutationOverGet.status).toBe(405);
    const simple = await fetch(`${platform.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(simple.status).toBe(400);
    expect((await json(simple)).errors[0].extensions.code).toBe('csrf_rejected');
  });

  it('enforces depth, alias, cost and token limits', async () => {
    // A workflow's organization lists its workflows: product types nest without end.
    const deep = `{ organization(id: "org_x") { ${'workflows { organization { '.repeat(6)}id${' } }'.repeat(6)} } }`;
    const depth = await json(await post({ query: deep }, { authorization: `Bearer ${user.token}` }));
    expect(depth.errors[0].extensions.code).toBe('query_too_complex');
    expect(depth.errors[0].message).toMatch(/depth/);
    const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const alias = await json(await post({ query: aliases }));
    expect(alias.errors[0].extensions.code).toBe('query_too_complex');
    const tokens = `{ ${Array.from({ length: 6000 }, () => '__typename').join(' ')} }`;
    const token = await json(await post({ query: tokens }));
    expect(token.errors[0].extensions.code).toBe('query_too_complex');
    // Shallow but wide: every page multiplies its selection by its size.
    const costly = '{ webhooks(orgId: "org_x", limit: 200) { items { deliveries(limit: 200) { items { id } } } } }';
    const cost = await json(await post({ query: costly }));
    expect(cost.errors[0].extensions.code).toBe('query_too_complex');
    expect(cost.errors[0].message).toMatch(/cost/);
  });

  it('answers 401 for a malformed or unknown credential', async () => {
    const response = await post({ query: '{ me { kind } }' }, { authorization: 'Bearer trs_unknown' });
    expect(response.status).toBe(401);
    expect((await json(response)).errors[0].extensions.code).toBe('unauthenticated');
  });
});

describe('subgraphs trust only the gateway', () => {
  const subgraphUrl = () => platform.app.subgraphs.find((s) => s.name === 'governance')?.url as string;
  const query = { query: '{ _service { sdl } }' };

  it('refuses a request without a signed principal', async () => {
    const response = await fetch(subgraphUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(query),
    });
    expect(response.status).toBe(401);
  });

  it('refuses a principal signed with another secret, or expired', async () => {
    for (const header of [
      signPrincipal('not-the-secret-but-long-enough-000000', servicePrincipal('attacker')),
      signPrincipal(
        platform.app.platform.internalSecret,
        servicePrincipal('gateway'),
        undefined,
        Date.now() - 3_600_000,
      ),
    ]) {
      const response = await fetch(subgraphUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: header },
        body: JSON.stringify(query),
      });
      expect(response.status).toBe(401);
    }
  });

  it('accepts a correctly signed principal', async () => {
    const response = await fetch(subgraphUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [PRINCIPAL_HEADER]: signPrincipal(platform.app.platform.internalSecret, servicePrincipal('gateway')),
      },
      body: JSON.stringify(query),
    });
    expect(response.status).toBe(200);
  });
});

describe('health and metrics', () => {
  it('serves every health endpoint and Prometheus metrics on the gateway and each subgraph', async () => {
    const bases = [platform.url, ...platform.app.subgraphs.map((s) => s.url.replace(/\/graphql$/, ''))];
    for (const base of bases) {
      for (const path of ['/health', '/healthz', '/health/live', '/health/ready', '/health/startup', '/readyz']) {
        const response = await fetch(`${base}${path}`);
        expect(response.status, `${base}${path}`).toBe(200);
      }
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('trellis_http_requests_total');
      expect(metrics).toContain('process_cpu_user_seconds_total');
    }
    const gatewayMetrics = await (await fetch(`${platform.url}/metrics`)).text();
    expect(gatewayMetrics).toMatch(/trellis_graphql_operation_duration_seconds_bucket\{[^}]*operation="anonymous"/);
  });
});

describe('nothing leaves the machine', () => {
  it('opened connections only to loopback', () => {
    expect(connections.length).toBeGreaterThan(0);
    const outside = connections.filter((h) => !['127.0.0.1', '::1', 'localhost', 'unix'].includes(h));
    expect(outside).toEqual([]);
  });
});
