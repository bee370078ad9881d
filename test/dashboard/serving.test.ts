/**
 * gateway/dashboard.ts on a bare Fastify app (no platform): GraphiQL only when introspection is on,
 * the endpoint's own page otherwise; compressed variants by Accept-Encoding; the not-built answer.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APP_CSP, GRAPHIQL_CSP, registerDashboard } from '../../gateway/dashboard.ts';
import type { Config } from '../../kernel/config.ts';
import { createLogger } from '../../kernel/logger.ts';
import { ensureDashboardBuilt } from '../../scripts/build-dashboard.ts';

const HTML = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8';
const apps: FastifyInstance[] = [];

async function appWith(introspection: boolean): Promise<FastifyInstance> {
  const app = Fastify();
  apps.push(app);
  const config = { graphql: { introspection } } as Config;
  await registerDashboard(app, config, createLogger('silent'));
  app.get('/graphql', async () => 'the endpoint answered');
  await app.ready();
  return app;
}

beforeAll(async () => {
  await ensureDashboardBuilt();
}, 240_000);
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('GraphiQL at GET /graphql', () => {
  it('is served to browsers when introspection is on, with its CSP', async () => {
    const app = await appWith(true);
    const page = await app.inject({ url: '/graphql', headers: { accept: HTML } });
    expect(page.body).toContain('id="graphiql"');
    expect(page.headers['content-security-policy']).toBe(GRAPHIQL_CSP);
    expect(page.headers['cache-control']).toBe('no-cache');
    // GraphQL clients and queries in the URL still reach the endpoint.
    expect((await app.inject({ url: '/graphql', headers: { accept: 'application/json' } })).body).toBe(
      'the endpoint answered',
    );
    expect((await app.inject({ url: '/graphql?query=%7B__typename%7D', headers: { accept: HTML } })).body).toBe(
      'the endpoint answered',
    );
  });

  it('is not served when introspection is off: the endpoint answers browsers itself', async () => {
    const app = await appWith(false);
    const page = await app.inject({ url: '/graphql', headers: { accept: HTML } });
    expect(page.body).toBe('the endpoint answered');
  });
});

describe('the app at /', () => {
  it('sends brotli, gzip or identity as accepted, with the app CSP', async () => {
    const app = await appWith(true);
    const br = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-security-policy']).toBe(APP_CSP);
    const gzip = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const plain = await app.inject({ url: '/' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('<div id="root">');
    expect(plain.headers.vary).toBe('accept-encoding');
    const head = await app.inject({ method: 'HEAD', url: '/' });
    expect(head.statusCode).toBe(200);
  });
});
