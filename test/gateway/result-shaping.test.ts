/**
 * The gateway's fast result shaping gives exactly what @apollo/gateway's own `computeResponse`
 * gives — data, key order and errors — on the same operation and merged subgraph data.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { type ComputeResponse, type ComputeResponseArgs, fastComputeResponse } from '../../gateway/result-shaping.ts';

const require = createRequire(import.meta.url);
const internals = require('@apollo/federation-internals') as {
  buildSchema(sdl: string): unknown;
  operationFromDocument(schema: unknown, document: unknown, options?: object): ComputeResponseArgs['operation'];
};
const apollo = require('@apollo/gateway/dist/resultShaping.js') as { computeResponse: ComputeResponse };
// The module's export may already be the fast one (another test installed it): keep Apollo's own.
const original = apollo.computeResponse;
const fast = fastComputeResponse(original);

const schema = internals.buildSchema(`
  type Query { products(first: Int): [Product!]! product(id: ID!): Product search: [Result] }
  enum Status { ACTIVE ARCHIVED }
  scalar JSON
  type Product { id: ID! name: String! price: Int status: Status meta: JSON weight: Float reviews: [Review!] }
  type Review { id: ID! stars: Int! author: User }
  type User { id: ID! name: String }
  union Result = Product | User
`);

const shape = (query: string, input: unknown, variables: Record<string, unknown> = {}) => {
  const operation = internals.operationFromDocument(schema, parse(query));
  const args = { operation, variables, input: input as Record<string, unknown>, introspectionHandling: () => null };
  return { apollo: original(args), fast: fast(args) };
};

/** Same data, same key order, same errors. */
const same = (query: string, input: unknown, variables?: Record<string, unknown>) => {
  const { apollo: a, fast: f } = shape(query, input, variables);
  expect(JSON.stringify(f)).toBe(JSON.stringify(a));
};

const product = (i: number) => ({
  __typename: 'Product',
  id: `p${i}`,
  name: `P${i}`,
  price: i * 10,
  status: 'ACTIVE',
  meta: { any: ['thing'] },
  weight: 1.5,
  extra: 'fetched for a key, not asked for',
  reviews: [{ id: `r${i}`, stars: 5, author: { id: 'u1', name: 'Ada', __typename: 'User' } }],
});

describe('fast result shaping matches Apollo', () => {
  it('on plain nested selections, aliases, __typename and fragments on the same type', () => {
    const query = `{
      products { __typename name id alias: price status meta weight
        ... on Product { reviews { stars author { name kind: __typename } } } }
    }`;
    same(query, { products: [product(1), product(2)] });
  });

  it('on nulls in nullable positions and absent keys', () => {
    same('{ product(id: "1") { id price status reviews { id author { name } } } }', {
      product: { id: 'p1', price: null, reviews: [{ id: 'r', author: null }] },
    });
    same('{ product(id: "1") { id } }', { product: null });
  });

  it('on what only Apollo handles: null in a non-null field, wrong leaves, unions, @include, __typename mismatch', () => {
    same('{ products { id name } }', { products: [{ id: 'p1', name: null }] });
    same('{ product(id: "1") { id price } }', { product: { id: 'p1', price: 1.5 } });
    same('{ product(id: "1") { id status } }', { product: { id: 'p1', status: 'NOPE' } });
    same('{ search { ... on Product { id } ... on User { name } } }', {
      search: [
        { __typename: 'Product', id: 'p1' },
        { __typename: 'User', name: 'Ada' },
      ],
    });
    same(
      'query ($x: Boolean!) { product(id: "1") { id name @include(if: $x) } }',
      { product: product(1) },
      { x: false },
    );
    same('{ product(id: "1") { id } }', { product: { __typename: 'User', id: 'p1' } });
  });

  it('takes the fast path for the plain case (and Apollo’s for the rest)', () => {
    let calls = 0;
    const counting = fastComputeResponse((args) => {
      calls++;
      return original(args);
    });
    const run = (query: string, input: unknown) =>
      counting({
        operation: internals.operationFromDocument(schema, parse(query)),
        variables: {},
        input: input as Record<string, unknown>,
        introspectionHandling: () => null,
      });
    run('{ products { id name } }', { products: [product(1)] });
    expect(calls).toBe(0);
    run('{ products { id name } }', { products: [{ id: 'p1', name: null }] });
    expect(calls).toBe(1);
  });

  it('reuses one operation across calls (operation-cache.ts): each call shapes its own data, the fast/slow choice holds', () => {
    let calls = 0;
    const counting = fastComputeResponse((args) => {
      calls++;
      return original(args);
    });
    const plain = internals.operationFromDocument(schema, parse('{ products { id name } }'));
    const union = internals.operationFromDocument(schema, parse('{ search { ... on Product { id } } }'));
    const run = (operation: ComputeResponseArgs['operation'], input: unknown) =>
      counting({
        operation,
        variables: {},
        input: input as Record<string, unknown>,
        introspectionHandling: () => null,
      });
    expect(run(plain, { products: [product(1)] }).data).toEqual({ products: [{ id: 'p1', name: 'P1' }] });
    expect(run(plain, { products: [product(2), product(3)] }).data).toEqual({
      products: [
        { id: 'p2', name: 'P2' },
        { id: 'p3', name: 'P3' },
      ],
    });
    expect(calls).toBe(0);
    const search = { search: [{ __typename: 'Product', id: 'p4' }] };
    expect(JSON.stringify(run(union, search))).toBe(
      JSON.stringify(original({ operation: union, variables: {}, input: search, introspectionHandling: () => null })),
    );
    run(union, search);
    expect(calls).toBe(2);
  });

  it('on any data a subgraph may send for a fixed selection', () => {
    const leaf = fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.double(),
      fc.string(),
      fc.boolean(),
      fc.constant('ACTIVE'),
    );
    const review = fc.record({
      id: leaf,
      stars: leaf,
      author: fc.oneof(fc.constant(null), fc.record({ id: leaf, name: leaf })),
    });
    const item = fc.record(
      {
        id: leaf,
        name: leaf,
        price: leaf,
        status: leaf,
        weight: leaf,
        reviews: fc.oneof(fc.constant(null), fc.array(review, { maxLength: 3 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 4 }), (products) => {
        same('{ products { id name price status weight reviews { id stars author { id name } } } }', { products });
      }),
      { numRuns: 300 },
    );
  });
});
