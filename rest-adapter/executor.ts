/**
 * How the REST adapter runs a GraphQL operation as the caller:
 * - in-process (default): straight into the gateway's Apollo Server, no network hop;
 * - remote (standalone adapter): POST to the gateway's `/graphql`, carrying the
 *   principal the adapter already authenticated, signed for the gateway's
 *   audience and for exactly this body (kernel/principal.ts).
 */
import type { ApolloServer } from '@apollo/server';
import type { GatewayContext } from '../gateway/gateway.ts';
import { TrellisError } from '../kernel/errors.ts';
import { PRINCIPAL_HEADER, type Principal, signAdapterPrincipal } from '../kernel/principal.ts';
import { type RequestMeta, traceparentOf } from '../kernel/request-meta.ts';

export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface OperationRequest {
  query: string;
  operationName?: string;
  variables: Record<string, unknown>;
  principal: Principal;
  meta: RequestMeta;
}

export type Executor = (request: OperationRequest) => Promise<GraphQLResult>;

export function inProcessExecutor(apollo: ApolloServer<GatewayContext>): Executor {
  return async ({ query, operationName, variables, principal, meta }) => {
    const response = await apollo.executeOperation(
      { query, operationName, variables },
      { contextValue: { principal, meta } },
    );
    if (response.body.kind !== 'single') throw new TrellisError('internal', 'Incremental delivery is not supported');
    return response.body.singleResult as GraphQLResult;
  };
}

export function remoteExecutor(gatewayUrl: string, internalSecret: string): Executor {
  const endpoint = new URL('/graphql', gatewayUrl).toString();
  return async ({ query, operationName, variables, principal, meta }) => {
    const body = JSON.stringify({ query, operationName, variables });
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        [PRINCIPAL_HEADER]: signAdapterPrincipal(internalSecret, principal, body, meta),
        'x-request-id': meta.requestId,
        traceparent: traceparentOf(meta),
      },
      body,
    }).catch((error: Error) => {
      throw new TrellisError('service_unavailable', 'The gateway is unreachable', { cause: error });
    });
    const result = (await response.json().catch(() => null)) as GraphQLResult | null;
    if (!result)
      throw new TrellisError('bad_gateway', `The gateway answered ${response.status} without a GraphQL body`);
    return result;
  };
}
