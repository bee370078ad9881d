/**
 * gateway/dashboard.ts on a bare Fastify app (no platform): GraphiQL only when introspection is on,
 * the endpoint's own page otherwise; compressed variants by Accept-Encoding; the not-built answer.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APP_CSP, APP_CSP_WITH_STRIPE, GRAPHIQL_CSP, registerDashboard } from '../../gateway/dashboard.ts';
import type { Config } from '../../kernel/config.ts';
import { createLogger } from '../../kernel/logger.ts';
import { ensureDashboardBuilt } from '../../scripts/build-dashboard.ts';

const HTML = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8';
const apps: FastifyInstance[] = [];

async function appWith(introspection: boolean, publishableKey: string | null = null): Promise<FastifyInstance> {
  const app = Fastify();
  apps.push(app);
  const stripe = publishableKey ? { secretKey: 'sk_test_x', publishableKey, webhookSecret: null, apiBase: null } : null;
  const config = { graphql: { introspection }, billing: { stripe } } as unknown as Config;
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

/** The CSP as a map of directive → sources. */
function directives(csp: string | string[] | number | undefined): Map<string, string[]> {
  return new Map(
    String(csp)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

describe('the CSP and Stripe', () => {
  it('without Stripe, the app allows nothing third-party', async () => {
    const app = await appWith(true);
    const csp = directives((await app.inject({ url: '/' })).headers['content-security-policy']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-src')).toBeUndefined(); // default-src 'self'
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(String((await app.inject({ url: '/' })).headers['content-security-policy'])).not.toContain('stripe');
  });

  it('with a publishable key, the app admits Stripe.js, its frames and its API — and nothing else changes', async () => {
    const app = await appWith(true, 'pk_test_123');
    const header = (await app.inject({ url: '/' })).headers['content-security-policy'];
    expect(header).toBe(APP_CSP_WITH_STRIPE);
    const csp = directives(header);
    expect(csp.get('script-src')).toEqual(["'self'", 'https://js.stripe.com']);
    expect(csp.get('frame-src')).toEqual(["'self'", 'https://js.stripe.com', 'https://hooks.stripe.com']);
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://api.stripe.com']);
    const strict = directives(APP_CSP);
    for (const [name, sources] of strict)
      if (!['script-src', 'connect-src'].includes(name)) expect(csp.get(name), name).toEqual(sources);
    // GraphiQL never loads Stripe.
    const graphiql = await app.inject({ url: '/graphql', headers: { accept: HTML } });
    expect(graphiql.headers['content-security-policy']).toBe(GRAPHIQL_CSP);
    expect(GRAPHIQL_CSP).not.toContain('stripe');
  });
});
