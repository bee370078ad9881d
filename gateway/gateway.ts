/**
 * The gateway: composes the subgraphs from the checked-in supergraph,
 * authenticates every caller once, forwards a signed principal to subgraphs,
 * enforces query limits and serves GraphQL over HTTP on `/graphql`.
 */

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ApolloGateway, type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { FastifyInstance } from 'fastify';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { AUTH_INVALIDATION_HEADER, type AuthInvalidation } from '../kernel/auth-invalidation.ts';
import type { SubgraphName } from '../kernel/config.ts';
import { errorHeaders, TrellisError } from '../kernel/errors.ts';
import { createErrorFormatter } from '../kernel/graphql-errors.ts';
import { registerGraphQLRoute } from '../kernel/graphql-http.ts';
import { operationMetricsPlugin } from '../kernel/graphql-metrics.ts';
import { createHttpService, type DependencyCheck } from '../kernel/http-service.ts';
import { ServiceMetrics } from '../kernel/metrics.ts';
import type { Platform } from '../kernel/platform.ts';
import { PRINCIPAL_HEADER, type Principal, signPrincipal, verifyPrincipal } from '../kernel/principal.ts';
import { keepRawJsonBody } from '../kernel/raw-body.ts';
import { type RequestMeta, traceparentOf } from '../kernel/request-meta.ts';
import { buildApiSchema } from '../kernel/scalars.ts';
import type { InProcessFetch, RunningService } from '../kernel/subgraph.ts';
import { type Authenticator, startAuthenticator } from './authenticate.ts';
import { queryLimitsRule } from './limits.ts';

// @apollo/gateway reports usage to Apollo by default; Trellis sends nothing off the machine.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

export const SUPERGRAPH_FILE = new URL('../schema/supergraph.graphql', import.meta.url);
export const API_SCHEMA_FILE = new URL('../schema/api.graphql', import.meta.url);

export interface GatewayContext {
  principal: Principal;
  meta: RequestMeta;
  /** Signed principal header, computed once per request and reused for every subgraph fetch. */
  signedPrincipal?: string;
}

export interface Gateway extends RunningService {
  app: FastifyInstance;
  apollo: ApolloServer<GatewayContext>;
  authenticator: Authenticator;
  metrics: ServiceMetrics;
  /** Where each subgraph is served (the subscription server reads the event log directly). */
  subgraphUrls: Record<SubgraphName, string>;
  /** The supergraph the gateway serves (the subscription server plans payload queries on it). */
  supergraphSdl: string;
  /** The client-facing API schema (`schema/api.graphql`): REST variable coercion, subscription planning. */
  apiSchema: GraphQLSchema;
}

export interface StartGatewayOptions {
  port: number;
  host: string;
  /** Where each subgraph is served; defaults come from configuration. */
  subgraphUrls: Record<SubgraphName, string>;
  /** In-process transports to subgraphs running in this process (all-in-one): no sockets, same checks. */
  subgraphFetchers?: Partial<Record<SubgraphName, InProcessFetch>>;
  /** Mount extra routes (REST adapter, subscriptions) before the server starts listening. */
  extend?: (gateway: Omit<Gateway, 'close' | 'url'>) => Promise<(() => Promise<void>) | void>;
}

/** Converts an edge failure into the GraphQLError shape Apollo turns into an HTTP status. */
export function toHttpGraphQLError(error: unknown): GraphQLError {
  if (!(error instanceof TrellisError)) return error as GraphQLError;
  const headers = new HeaderMap(errorHeaders(error.extensions));
  return new GraphQLError(error.message, {
    extensions: { ...error.extensions, http: { status: error.status, headers } },
  });
}

export async function startGateway(platform: Platform, options: StartGatewayOptions): Promise<Gateway> {
  const { config } = platform;
  const logger = platform.logger.child({ service: 'gateway' });
  const metrics = new ServiceMetrics('gateway');
  const [supergraphSdl, apiSdl] = await Promise.all([
    readFile(SUPERGRAPH_FILE, 'utf8'),
    readFile(API_SCHEMA_FILE, 'utf8'),
  ]);

  const internalSecret = platform.internalSecret;
  const authenticator = await startAuthenticator(platform, logger, {
    url: options.subgraphUrls.identity,
    fetch: options.subgraphFetchers?.identity,
  });
  class SignedSubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
    override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
      const headers = request.http?.headers;
      if (!headers || !context.principal) return;
      context.signedPrincipal ??= signPrincipal(internalSecret, context.principal, context.meta);
      headers.set(PRINCIPAL_HEADER, context.signedPrincipal);
      headers.set('x-request-id', context.meta.requestId);
      headers.set(
        'traceparent',
        traceparentOf({ traceId: context.meta.traceId, spanId: randomBytes(8).toString('hex') }),
      );
    }

    override async didReceiveResponse({
      response,
    }: Parameters<NonNullable<RemoteGraphQLDataSource['didReceiveResponse']>>[0]) {
      const invalidation = response.http?.headers.get(AUTH_INVALIDATION_HEADER);
      if (invalidation) authenticator.invalidate(JSON.parse(invalidation) as AuthInvalidation);
      return response;
    }
  }
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const fetcher = options.subgraphFetchers?.[name as SubgraphName];
      return new SignedSubgraphDataSource({
        url: options.subgraphUrls[name as SubgraphName] ?? url,
        ...(fetcher ? { fetcher: fetcher as never } : {}),
      });
    },
    logger,
  });
  const exposeStack = config.env === 'development';
  const apollo = new ApolloServer<GatewayContext>({
    // Our Lifecycle stops servers in order on SIGINT/SIGTERM; Apollo's own handler would stop them at once
    // and fail the requests still in flight.
    stopOnTerminationSignals: false,
    gateway,
    introspection: config.graphql.introspection,
    // Credentials travel only in headers that force a browser preflight, so they count as CSRF-safe too.
    csrfPrevention: {
      requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization', 'x-api-key'],
    },
    includeStacktraceInErrorResponses: exposeStack,
    formatError: createErrorFormatter(logger, exposeStack),
    parseOptions: { maxTokens: config.graphql.maxTokens },
    validationRules: [
      queryLimitsRule({
        maxDepth: config.graphql.maxDepth,
        maxAliases: config.graphql.maxAliases,
        maxCost: config.graphql.maxCost,
      }),
    ],
    plugins: [
      operationMetricsPlugin(metrics),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  const subgraphReady: DependencyCheck[] = Object.entries(options.subgraphUrls).map(([name, url]) => ({
    name,
    check: async () => {
      const response = await fetch(new URL('/health/ready', url));
      if (!response.ok) throw new Error(`status ${response.status}`);
    },
  }));
  const http = createHttpService({
    name: 'gateway',
    logger,
    metrics,
    bodyLimit: config.graphql.maxBodyBytes,
    dependencies: [
      ...subgraphReady,
      ...(platform.redis ? [{ name: 'redis', check: async () => void (await platform.redis?.ping()) }] : []),
    ],
  });
  keepRawJsonBody(http.app);
  registerGraphQLRoute(http.app, apollo, async (req) => {
    try {
      // A standalone REST adapter has already authenticated the caller and forwards a signed principal.
      const forwarded = req.headers[PRINCIPAL_HEADER];
      if (typeof forwarded === 'string') {
        const verified = verifyPrincipal(internalSecret, forwarded);
        if (!verified.ok) throw new TrellisError('unauthenticated', 'Invalid internal principal');
        return { principal: verified.claims.principal, meta: { ...req.meta, clientIp: verified.claims.clientIp } };
      }
      const principal = await authenticator.authenticate({
        headers: req.headers,
        rawBody: req.rawBody,
        body: req.body,
      });
      return { principal, meta: req.meta };
    } catch (error) {
      throw toHttpGraphQLError(error);
    }
  });

  const parts = {
    name: 'gateway',
    app: http.app,
    apollo,
    authenticator,
    metrics,
    subgraphUrls: options.subgraphUrls,
    supergraphSdl,
    apiSchema: buildApiSchema(apiSdl),
  };
  const closeExtensions = (await options.extend?.(parts)) ?? undefined;
  await http.app.listen({ port: options.port, host: options.host });
  http.markStarted();
  const address = http.app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    ...parts,
    url: `http://${options.host}:${port}`,
    async close() {
      await closeExtensions?.();
      await http.app.close();
      await authenticator.stop();
      await apollo.stop();
    },
  };
}
