/**
 * The gateway builds a query's federation operation once per parsed document (operation-cache.ts):
 * the same definitions give the same operation, anything else is built afresh, validated calls are
 * never cached, and the installed builder is the one @apollo/gateway's executor calls.
 */
import { createRequire } from 'node:module';
import { type DocumentNode, Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cachedOperationFromDocument, installOperationCache } from '../../gateway/operation-cache.ts';

const require = createRequire(import.meta.url);
type Build = (
  schema: unknown,
  document: DocumentNode,
  options?: { validate?: boolean; operationName?: string },
) => object;
const internals = require('@apollo/federation-internals') as { buildSchema(sdl: string): object };
const operations = require('@apollo/federation-internals/dist/operations.js') as { operationFromDocument: Build };

const sdl = 'type Query { product(id: ID!): Product } type Product { id: ID! name: String }';
const schema = internals.buildSchema(sdl);

/** Counts the real builder's calls behind the cache. */
function counted() {
  const original = operations.operationFromDocument;
  let builds = 0;
  const cached = cachedOperationFromDocument((...args) => {
    builds++;
    return original(...args);
  });
  return { cached, builds: () => builds };
}

/** The document the executor hands over: the parsed operation first, then its fragments. */
const executorDocument = (parsed: DocumentNode): DocumentNode => ({
  kind: Kind.DOCUMENT,
  definitions: [
    ...parsed.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION),
    ...parsed.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION),
  ],
});

describe('operation cache', () => {
  const parsed = parse('query P($id: ID!) { product(id: $id) { ...F } } fragment F on Product { id name }');

  it('builds once for the same parsed definitions, even in a new document object', () => {
    const { cached, builds } = counted();
    const first = cached(schema, executorDocument(parsed), { validate: false });
    const second = cached(schema, executorDocument(parsed), { validate: false });
    // Identity, compared as a boolean: a failing toBe would pretty-print two schema-sized object graphs.
    expect(second === first).toBe(true);
    expect(builds()).toBe(1);
  });

  it('builds again for the same text parsed again, another schema, or other fragments', () => {
    const { cached, builds } = counted();
    const first = cached(schema, executorDocument(parsed), { validate: false });
    const reparsed = executorDocument(parse(`${parsed.loc?.source.body}`));
    expect(cached(schema, reparsed, { validate: false }) === first).toBe(false);
    expect(cached(internals.buildSchema(sdl), executorDocument(parsed), { validate: false }) === first).toBe(false);
    const [operation] = parsed.definitions;
    const otherFragment = parse('fragment F on Product { id }').definitions;
    const mixed = { kind: Kind.DOCUMENT, definitions: [operation, ...otherFragment] } as DocumentNode;
    expect(cached(schema, mixed, { validate: false }) === first).toBe(false);
    expect(builds()).toBe(4);
  });

  it('never caches a validated build (its errors are reported on every call)', () => {
    const { cached, builds } = counted();
    cached(schema, executorDocument(parsed));
    cached(schema, executorDocument(parsed));
    expect(builds()).toBe(2);
    const invalid = parse('{ product(id: "1") { price } }');
    expect(() => cached(schema, invalid)).toThrow(/price/);
    expect(() => cached(schema, invalid)).toThrow(/price/);
  });

  it('is what @apollo/gateway calls once installed', () => {
    installOperationCache();
    const gatewayRequire = createRequire(require.resolve('@apollo/gateway'));
    const viaGateway = gatewayRequire('@apollo/federation-internals') as { operationFromDocument: Build };
    const document = executorDocument(parsed);
    const first = viaGateway.operationFromDocument(schema, document, { validate: false });
    expect(viaGateway.operationFromDocument(schema, executorDocument(parsed), { validate: false }) === first).toBe(
      true,
    );
  });
});
