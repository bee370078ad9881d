/**
 * Query limits: cost counts the page sizes a request asks for (literal, variable, nested, on
 * connection-style pages), and introspection works for tools whenever it is enabled, bounded by
 * its shape instead of depth and cost.
 */
import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  getOperationAST,
  type IntrospectionQuery,
  parse,
  printSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCHEMA_FILE } from '../gateway/gateway.ts';
import { costError, operationCost } from '../gateway/limits.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../kernel/pagination.ts';
import { routeOperation } from '../rest-adapter/route-operation.ts';
import { routes } from '../rest-adapter/routes/index.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from './harness.ts';

const apiSchema = buildSchema(readFileSync(API_SCHEMA_FILE, 'utf8'));
const costOf = (query: string, variables?: Record<string, unknown>) => {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return operationCost(apiSchema, document, operation, variables);
};

describe('cost counts page sizes', () => {
  it('multiplies a connection page by its literal limit, or by the default page size', () => {
    // workflows 1 + items (1 + size × id 1)
    expect(costOf('{ workflows(orgId: "o", limit: 200) { items { id } nextCursor } }')).toBe(1 + 1 + 200 + 1);
    expect(costOf('{ workflows(orgId: "o", limit: 3) { items { id } } }')).toBe(1 + 1 + 3);
    expect(costOf('{ workflows(orgId: "o") { items { id } } }')).toBe(1 + 1 + DEFAULT_PAGE_SIZE);
  });

  it('reads the limit from a variable, its default, or the default page size', () => {
    const query = 'query($n: Int) { workflows(orgId: "o", limit: $n) { items { id } } }';
    expect(costOf(query, { n: 200 })).toBe(202);
    expect(costOf(query, { n: 7 })).toBe(9);
    expect(costOf(query, {})).toBe(2 + DEFAULT_PAGE_SIZE);
    expect(costOf('query($n: Int = 30) { workflows(orgId: "o", limit: $n) { items { id } } }', {})).toBe(32);
    // A value the field will refuse does not lower the estimate.
    for (const n of [-1000, 0, 1.5, '200', null]) expect(costOf(query, { n }), String(n)).toBe(2 + DEFAULT_PAGE_SIZE);
  });

  it('multiplies at every level and through fragments', () => {
    // webhooks 1 + items (1 + 3 × (deliveries 1 + items (1 + 4 × id 1)))
    const nested =
      'query($a: Int, $b: Int) { webhooks(orgId: "o", limit: $a) { items { deliveries(limit: $b) { items { id } } } } }';
    expect(costOf(nested, { a: 3, b: 4 })).toBe(1 + 1 + 3 * (1 + 1 + 4));
    expect(costOf(nested, { a: 200, b: 200 })).toBe(1 + 1 + 200 * (1 + 1 + 200));
    const fragments = `query($a: Int) { webhooks(orgId: "o", limit: $a) { ...Page } }
      fragment Page on WebhookPage { items { ...Hook } }
      fragment Hook on Webhook { id name }`;
    expect(costOf(fragments, { a: 100 })).toBe(1 + 1 + 100 * 2);
  });

  it('keeps lists without a page argument at a fixed estimate and uses argument defaults', () => {
    // organization 1 + vms (1 + 10 × id 1)
    expect(costOf('{ organization(id: "o") { vms { id } } }')).toBe(1 + 1 + 10);
    // `recentEntries(limit: Int = 10)`: the schema's default
    const balance = '{ organization(id: "o") { balance { recentEntries { id } } } }';
    expect(costOf(balance)).toBe(1 + 1 + 1 + 10);
  });

  it('lets every REST route ask for the largest page', () => {
    const maxCost = 20_000; // the default TRELLIS_MAX_QUERY_COST
    for (const route of routes) {
      if (route.kind === 'handler') continue;
      const variables = { limit: MAX_PAGE_SIZE, first: MAX_PAGE_SIZE };
      const { document } = routeOperation(route, apiSchema);
      expect(costOf(document, variables), `${route.method} ${route.path}`).toBeLessThanOrEqual(maxCost);
    }
  });

  it('measures a fragment spread many times once', () => {
    const chain = Array.from({ length: 60 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
    const query = `{ ...F0 } ${chain.join(' ')} fragment F60 on Query { me { kind } }`;
    const started = performance.now();
    expect(costOf(query)).toBeGreaterThan(20_000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

let platform: TestPlatform;
let user: TestUser;
beforeAll(async () => {
  platform = await startTestPlatform();
  user = await platform.signup('Limits Org');
});
afterAll(closeAll);

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${platform.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('the cost of a repeated query', () => {
  // The same parsed document comes back for every request of a query (Apollo's document store):
  // a variable-free one is measured once, but never across a schema or an introspection setting.
  const limits = { maxDepth: 20, maxAliases: 20, maxCost: 20, introspection: true };
  const document = parse('{ items { id } }');
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  const schemaWithPages = (size: number) =>
    buildSchema(`type Query { items(first: Int = ${size}): [Item] } type Item { id: ID }`);

  it('follows the schema and the limit of each request, not the first measurement', () => {
    const small = schemaWithPages(5);
    const large = schemaWithPages(50);
    expect(costError(small, document, operation, undefined, limits)).toBeUndefined();
    expect(costError(small, document, operation, undefined, limits)).toBeUndefined();
    expect(costError(large, document, operation, undefined, limits)?.extensions.details).toMatchObject({
      value: 51,
      max: 20,
    });
    expect(costError(large, document, operation, undefined, { ...limits, maxCost: 60 })).toBeUndefined();
    expect(
      costError(small, document, operation, undefined, { ...limits, maxCost: 5 })?.extensions.details,
    ).toMatchObject({
      value: 6,
    });
  });

  it('exempts introspection only while it is enabled', () => {
    const introspection = parse('{ __schema { types { fields { name } } } }');
    const op = getOperationAST(introspection);
    if (!op) throw new Error('no operation');
    const schema = schemaWithPages(5);
    expect(costError(schema, introspection, op, undefined, { ...limits, maxCost: 1 })).toBeUndefined();
    expect(
      costError(schema, introspection, op, undefined, { ...limits, maxCost: 1, introspection: false }),
    ).toBeDefined();
  });
});

describe('cost limit over HTTP', () => {
  const nested = `query($orgId: ID!, $n: Int) {
    webhooks(orgId: $orgId, limit: $n) { items { id deliveries(limit: $n) { items { id status } } } }
  }`;

  it('refuses nested pages of 200 asked for by a variable, and accepts small ones', async () => {
    const big = await post(
      { query: nested, variables: { orgId: user.orgId, n: 200 } },
      { authorization: `Bearer ${user.token}` },
    );
    expect(big.status).toBe(400);
    const error = ((await big.json()) as Json).errors[0];
    expect(error.extensions).toMatchObject({ code: 'query_too_complex', details: { limit: 'cost', max: 20000 } });
    expect(error.extensions.details.value).toBe(1 + 1 + 200 * (1 + 1 + 1 + 200 * 2));
    const small = await post(
      { query: nested, variables: { orgId: user.orgId, n: 5 } },
      { authorization: `Bearer ${user.token}` },
    );
    expect(small.status).toBe(200);
    expect(((await small.json()) as Json).data.webhooks.items).toEqual([]);
  });

  it('refuses nested pages of 200 given as literals', async () => {
    const literal = nested.replaceAll('$n', '200').replace(', 200: Int', '');
    const response = await post(
      { query: literal, variables: { orgId: user.orgId } },
      { authorization: `Bearer ${user.token}` },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).errors[0].extensions.code).toBe('query_too_complex');
  });

  it('applies to REST routes with the same error code', async () => {
    // The REST list routes ask for at most one page of 200: within the limit.
    const listed = await platform.rest('GET', `/v1/orgs/${user.orgId}/workflows?limit=200`, { token: user.token });
    expect(listed.status).toBe(200);
  });
});

describe('introspection', () => {
  const options = {
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    inputValueDeprecation: true,
    schemaDescription: true,
  };

  it('answers the standard introspection query, and a client schema can be built from it', async () => {
    for (const query of [getIntrospectionQuery(), getIntrospectionQuery(options)]) {
      const response = await post({ query });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: IntrospectionQuery; errors?: unknown };
      expect(body.errors).toBeUndefined();
      const schema = buildClientSchema(body.data);
      expect(schema.getQueryType()?.getFields().workflows).toBeDefined();
      expect(printSchema(schema)).toContain('type WorkflowPage');
    }
  });

  it('lets codegen generate types from the URL', async () => {
    const [output] = await generate(
      {
        schema: `${platform.url}/graphql`,
        silent: true,
        generates: { 'types.ts': { plugins: ['typescript'] } },
      },
      false,
    );
    expect(output?.content).toContain('export type WorkflowPage');
  });

  it('refuses hostile introspection: deep ofType chains, nested lists, copies of the whole schema', async () => {
    const deep = `{ __schema { types { ${'ofType { '.repeat(100)}name${' }'.repeat(100)} } } }`;
    const leaf = 'name type { kind name }';
    const aliased = Array.from({ length: 29 }, (_, i) => `f${i}: fields { ${leaf} }`).join(' ');
    const wide = `{ __schema { types { fields { type { ${aliased} } } } } }`;
    const body = getIntrospectionQuery(options)
      .replace(/^\s*query IntrospectionQuery \{/, '')
      .replace(/\}\s*fragment[\s\S]*$/, '');
    const fragments = getIntrospectionQuery(options).slice(getIntrospectionQuery(options).indexOf('fragment'));
    const copies = `{ a: ${body.trim()} b: ${body.trim()} }\n${fragments}`;
    for (const [query, limit] of [
      [deep, 'introspection ofType nesting'],
      [wide, 'introspection cost'],
      [copies, 'introspection cost'],
    ]) {
      const response = await post({ query });
      expect(response.status, limit).toBe(400);
      const errors = ((await response.json()) as Json).errors;
      expect(errors[0].extensions, limit).toMatchObject({ code: 'query_too_complex', details: { limit } });
    }
    // graphql-js bounds nested `fields` itself.
    const nested =
      '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }';
    const refused = await post({ query: nested });
    expect(refused.status).toBe(400);
  });

  it('keeps depth and cost for operations that mix introspection with product fields', async () => {
    const ofTypes = `${'ofType { '.repeat(9)}name${' }'.repeat(9)}`;
    const document = `{ me { kind } __schema { types { fields { type { ${ofTypes} } } } } }`;
    const response = await post({ query: document }, { authorization: `Bearer ${user.token}` });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).errors[0].extensions.code).toBe('query_too_complex');
  });

  it('stays refused when introspection is disabled', async () => {
    const closed = await startTestPlatform({ TRELLIS_INTROSPECTION: 'false' });
    const response = await fetch(`${closed.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: getIntrospectionQuery() }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Json;
    expect(body.data).toBeUndefined();
    expect(body.errors.length).toBeGreaterThan(0);
  });
});
