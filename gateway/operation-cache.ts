/**
 * One federation `Operation` per parsed operation (issue #16, `/v1/gate` CPU).
 *
 * @apollo/gateway caches its query plans, but before shaping each result `executeQueryPlan` builds
 * the operation again from the request's document — `operationFromDocument(apiSchema, { operation,
 * ...fragments }, { validate: false })`, a walk of the whole query that allocates a selection tree
 * per request. Apollo Server's document store hands every request of the same query the same parsed
 * document, so the same definition nodes: the operation built for them is kept here (per API schema,
 * weakly, so a supergraph reload or an evicted document frees it) and reused. Built without
 * validation, it depends on the schema and the definitions only, never on variables; federation
 * `Operation`s are not mutated once built (Apollo keeps them in its own plan cache too).
 *
 * Installed by replacing the export Apollo's executor reads at each call, like result-shaping.ts;
 * `installOperationCache` refuses another @apollo/gateway version than the one this was checked against.
 */
import type { DefinitionNode, DocumentNode } from 'graphql';
import { gatewayInternal } from './apollo-internals.ts';

type OperationFromDocument = (
  schema: object,
  document: DocumentNode,
  options?: { operationName?: string; validate?: boolean },
) => object;

interface CachedOperation {
  /** The fragment definitions the operation was built with (the same parsed document's, by identity). */
  fragments: readonly DefinitionNode[];
  operation: object;
}

function sameNodes(a: readonly DefinitionNode[], b: readonly DefinitionNode[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `operationFromDocument` that builds an unvalidated single-operation document's operation once. */
export function cachedOperationFromDocument(original: OperationFromDocument): OperationFromDocument {
  const bySchema = new WeakMap<object, WeakMap<DefinitionNode, CachedOperation>>();
  return (schema, document, options) => {
    const [first, ...fragments] = document.definitions;
    // Only the executor's call (validate: false, one operation first): validated calls report errors each time.
    if (options?.validate !== false || options.operationName !== undefined || first?.kind !== 'OperationDefinition')
      return original(schema, document, options);
    let byNode = bySchema.get(schema);
    if (!byNode) {
      byNode = new WeakMap();
      bySchema.set(schema, byNode);
    }
    const cached = byNode.get(first);
    if (cached && sameNodes(cached.fragments, fragments)) return cached.operation;
    const operation = original(schema, document, options);
    byNode.set(first, { fragments, operation });
    return operation;
  };
}

let installed = false;

/** Puts `cachedOperationFromDocument` in front of federation-internals' builder, once per process. */
export function installOperationCache(): void {
  if (installed) return;
  // The module the gateway's own `@apollo/federation-internals` import re-exports (read through a getter at each call).
  const operations = gatewayInternal<{ operationFromDocument: OperationFromDocument }>(
    '@apollo/federation-internals/dist/operations.js',
    "gateway/operation-cache.ts (executeQueryPlan's operationFromDocument call)",
  );
  operations.operationFromDocument = cachedOperationFromDocument(operations.operationFromDocument);
  installed = true;
}
