/**
 * CORS: listed origins get preflights answered and responses readable with credentials; any
 * other origin gets no CORS header at all; no origins configured means same-origin only.
 * Covers the gateway (/graphql, /v1, /openapi.json) and the standalone REST adapter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../kernel/config.ts';
import type { RunningService } from '../kernel/subgraph.ts';
import {
  closeAll,
  type Json,
  startStandaloneAdapter,
  startTestPlatform,
  type TestPlatform,
  type TestUser,
} from './harness.ts';

const LISTED = 'https://app.example.com';
const ALSO_LISTED = 'http://localhost:5173';
const UNLISTED = 'https://evil.example.net';

let platform: TestPlatform;
let user: TestUser;
let adapter: RunningService;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_CORS_ORIGINS: `${LISTED}, ${ALSO_LISTED}/` });
  user = await platform.signup('CORS Org');
  adapter = await startStandaloneAdapter(platform, { env: { TRELLIS_CORS_ORIGINS: LISTED } });
});
afterAll(closeAll);

const preflight = (url: string, origin: string, method = 'POST', headers = 'content-type, authorization') =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

const corsHeaders = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));

describe('preflight', () => {
  it('answers 204 with the allowed methods and headers for a listed origin', async () => {
    for (const [url, method] of [
      [`${platform.url}/graphql`, 'POST'],
      [`${platform.url}/v1/orgs/${user.orgId}/workflows`, 'POST'],
      [`${platform.url}/v1/orgs/${user.orgId}/workflows/wf_x`, 'DELETE'],
      [`${platform.url}/openapi.json`, 'GET'],
      [`${adapter.url}/v1/me`, 'GET'],
    ] as const) {
      const response = await preflight(url, LISTED, method, 'authorization, x-api-key, idempotency-key');
      expect(response.status, url).toBe(204);
      const headers = corsHeaders(response);
      expect(headers['access-control-allow-origin'], url).toBe(LISTED);
      expect(headers['access-control-allow-credentials'], url).toBe('true');
      expect(headers['access-control-allow-methods'], url).toContain(method);
      for (const header of [
        'authorization',
        'content-type',
        'x-api-key',
        'x-signature',
        'x-signature-timestamp',
        'x-signature-version',
        'x-signature-nonce',
        'x-workflow-id',
        'idempotency-key',
        'apollo-require-preflight',
        'x-apollo-operation-name',
        'traceparent',
      ])
        expect(headers['access-control-allow-headers'], url).toContain(header);
      expect(response.headers.get('vary')).toMatch(/origin/i);
    }
    const normalized = await preflight(`${platform.url}/graphql`, ALSO_LISTED);
    expect(corsHeaders(normalized)['access-control-allow-origin']).toBe(ALSO_LISTED);
  });

  it('gives an unlisted origin no CORS header, in the error envelope', async () => {
    for (const url of [
      `${platform.url}/graphql`,
      `${platform.url}/v1/orgs/${user.orgId}/workflows`,
      `${adapter.url}/v1/me`,
    ]) {
      const response = await preflight(url, UNLISTED);
      expect(corsHeaders(response), url).toEqual({});
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(response.status, url).toBeLessThan(500);
    }
    const v1 = await preflight(`${platform.url}/v1/orgs/${user.orgId}/workflows`, UNLISTED);
    expect(((await v1.json()) as Json).error.code).toMatch(/^(method_not_allowed|route_not_found)$/);
    // An origin that merely starts like a listed one is another origin.
    const lookalike = await preflight(`${platform.url}/graphql`, `${LISTED}.evil.net`);
    expect(corsHeaders(lookalike)).toEqual({});
  });
});

describe('actual requests', () => {
  it('lets a listed origin read responses with credentials and the headers clients need', async () => {
    const graphql = await fetch(`${platform.url}/graphql`, {
      method: 'POST',
      headers: { origin: LISTED, 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query: '{ me { kind } }' }),
    });
    expect(graphql.status).toBe(200);
    expect(graphql.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(graphql.headers.get('access-control-allow-credentials')).toBe('true');
    const exposed = graphql.headers.get('access-control-expose-headers') ?? '';
    for (const header of [
      'x-request-id',
      'retry-after',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
      'idempotent-replayed',
    ])
      expect(exposed).toContain(header);

    for (const url of [`${platform.url}/v1/me`, `${adapter.url}/v1/me`]) {
      const rest = await fetch(url, { headers: { origin: LISTED, authorization: `Bearer ${user.token}` } });
      expect(rest.status, url).toBe(200);
      expect(rest.headers.get('access-control-allow-origin'), url).toBe(LISTED);
      expect(rest.headers.get('access-control-allow-credentials'), url).toBe('true');
    }
    // Errors are readable too (a browser app must see 401s and 429s).
    const unauthenticated = await fetch(`${platform.url}/v1/me`, { headers: { origin: LISTED } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('access-control-allow-origin')).toBe(LISTED);
  });

  it('gives an unlisted origin, or no origin, neither allow-origin nor credentials', async () => {
    for (const headers of [{ origin: UNLISTED }, {}] as Record<string, string>[]) {
      const response = await fetch(`${platform.url}/v1/me`, {
        headers: { ...headers, authorization: `Bearer ${user.token}` },
      });
      expect(response.status).toBe(200);
      expect(corsHeaders(response)).toEqual({});
    }
  });

  it('keeps CSRF prevention: a simple cross-site GET without a preflight header is refused', async () => {
    const simple = await fetch(`${platform.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { origin: LISTED },
    });
    expect(simple.status).toBe(400);
    expect(((await simple.json()) as Json).errors[0].extensions.code).toBe('csrf_rejected');
    const preflighted = await fetch(`${platform.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { origin: LISTED, 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.status).toBe(200);
    expect(preflighted.headers.get('access-control-allow-origin')).toBe(LISTED);
  });
});

describe('configuration', () => {
  it('is same-origin only when no origin is listed', async () => {
    const closed = await startTestPlatform();
    const response = await preflight(`${closed.url}/graphql`, LISTED);
    expect(corsHeaders(response)).toEqual({});
    const actual = await fetch(`${closed.url}/health`, { headers: { origin: LISTED } });
    expect(corsHeaders(actual)).toEqual({});
  });

  it('refuses values that are not origins', () => {
    for (const value of ['*', 'app.example.com', 'https://app.example.com/path', 'ftp://files.example.com', 'null'])
      expect(() => loadConfig({ TRELLIS_CORS_ORIGINS: value }, { allInOne: true }), value).toThrow(ConfigError);
    const config = loadConfig(
      { TRELLIS_CORS_ORIGINS: 'https://App.Example.com:443/, http://localhost:5173' },
      { allInOne: true },
    );
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });
});
