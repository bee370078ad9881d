/**
 * The gateway: composes the subgraphs from the checked-in supergraph,
 * authenticates every caller once, forwards a signed principal to subgraphs,
 * enforces query limits and serves GraphQL over HTTP on `/graphql`.
 */

import './apollo-telemetry.ts';
import { readFile } from 'node:fs/promises';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { FastifyInstance } from 'fastify';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { AUTH_INVALIDATION_HEADER, type AuthInvalidation } from '../kernel/auth-invalidation.ts';
import type { SubgraphName } from '../kernel/config.ts';
import { registerCors } from '../kernel/cors.ts';
import { SingleFlightDocumentStore } from '../kernel/document-store.ts';
import { TrellisError } from '../kernel/errors.ts';
import { createErrorFormatter, toHttpGraphQLError } from '../kernel/graphql-errors.ts';
import { registerGraphQLRoute } from '../kernel/graphql-http.ts';
import { operationMetricsPlugin } from '../kernel/graphql-metrics.ts';
import { createHttpService, type DependencyCheck, observabilityAccess } from '../kernel/http-service.ts';
import { ServiceMetrics } from '../kernel/metrics.ts';
import { type Platform, platformDependencies } from '../kernel/platform.ts';
import {
  PRINCIPAL_HEADER,
  type Principal,
  principalInProcess,
  signPrincipal,
  verifyAdapterPrincipal,
} from '../kernel/principal.ts';
import { keepRawJsonBody } from '../kernel/raw-body.ts';
import { newSpanId, type RequestMeta, traceparentOf } from '../kernel/request-meta.ts';
import { parseScalarInputs } from '../kernel/scalars.ts';
import type { InProcessFetch, RunningService } from '../kernel/subgraph.ts';
import { RETRY_AFTER_SECONDS, serviceUnavailable } from '../kernel/unavailable.ts';
import { admissionFor, admissionPlugin, closeAdmission, mutationRootFields } from './admission.ts';
import { type Authenticator, startAuthenticator } from './authenticate.ts';
import { registerDashboard } from './dashboard.ts';
import { inputChecksPlugin, literalValuesRule } from './input-checks.ts';
import { type QueryLimits, queryCostPlugin, queryLimitsRule } from './limits.ts';
import { LiveStreams } from './live-streams.ts';
import { installOperationCache } from './operation-cache.ts';
import { installFastResultShaping } from './result-shaping.ts';
import { type SupergraphJoins, singleOwner, supergraphJoins } from './single-owner.ts';
import { SubgraphDataSources } from './subgraph-fetch.ts';
import { joinsTrellisSubgraphs, subgraphRoute, subgraphsOf, supergraphSource } from './supergraph.ts';
import { registerVersionRoute, schemaHashOf } from './version.ts';

/** How long the gateway's close lets in-flight requests finish before it closes their connections. */
const CLOSE_GRACE_MS = 1500;

export { SUPERGRAPH_FILE } from './supergraph.ts';
export const API_SCHEMA_FILE = new URL('../schema/api.graphql', import.meta.url);

export interface GatewayContext {
  principal: Principal;
  meta: RequestMeta;
  /** Signed principal header, computed once per request and reused for every subgraph fetch. */
  signedPrincipal?: string;
  /** Who subgraph answers are for (in-flight de-duplication key), computed once per request. */
  audience?: string;
}

export interface Gateway extends RunningService {
  app: FastifyInstance;
  apollo: ApolloServer<GatewayContext>;
  authenticator: Authenticator;
  /** Flips `/health/startup` and `/health/ready` to started (with `deferStarted`; otherwise already done). */
  markStarted(): void;
  /** Every open subscription, event socket and SSE stream: re-authorized on credential changes, closed first on shutdown. */
  liveStreams: LiveStreams;
  metrics: ServiceMetrics;
  /** Where each subgraph is served (the subscription server reads the event log directly). */
  subgraphUrls: Record<SubgraphName, string>;
  /** The supergraph the gateway serves (the subscription server plans payload queries on it). */
  supergraphSdl: string;
  /** The client-facing API schema (`schema/api.graphql`): REST variable coercion, subscription planning. */
  apiSchema: GraphQLSchema;
  /** The served supergraph joins the five Trellis subgraphs (the REST adapter and subscriptions need them). */
  joinsTrellis: boolean;
  subgraphOperation: SubgraphOperation;
  /** The one subgraph that answers a document alone, if any (single-owner.ts), for the served supergraph. */
  subgraphOwner(document: DocumentNode): SubgraphName | undefined;
  /** In-process transports to the subgraphs sharing this process (subscription payloads use them too). */
  subgraphFetchers?: Partial<Record<SubgraphName, InProcessFetch>>;
}

/**
 * Runs an operation of one subgraph's own schema straight on that subgraph, as the context's caller:
 * the gateway's transport, deadline and signed principal and its admission control (a paused
 * platform refuses an admitting mutation with `admission_paused`), without its request pipeline and
 * query planning. For internal operations whose every field one subgraph owns (the AI gateway's
 * `execute`, `track`, `recordAiCall`). Rejects on a transport failure or a refused admission.
 */
export type SubgraphOperation = (
  subgraph: SubgraphName,
  request: { query: string; variables: Record<string, unknown> },
  context: GatewayContext,
) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly unknown[] }>;

export interface StartGatewayOptions {
  port: number;
  host: string;
  /** Where each subgraph is served; defaults come from configuration. */
  subgraphUrls: Record<SubgraphName, string>;
  /** In-process transports to subgraphs running in this process (all-in-one): no sockets, same checks. */
  subgraphFetchers?: Partial<Record<SubgraphName, InProcessFetch>>;
  /** Mount extra routes (REST adapter, subscriptions) before the server starts listening. */
  extend?: (gateway: Omit<Gateway, 'close' | 'url' | 'markStarted'>) => Promise<(() => Promise<void>) | void>;
  /**
   * Leave `/health/startup` and `/health/ready` at 503 until the caller's `markStarted` (the all-in-one
   * process: once its embedded node agent has registered, so ready means the start-up work is done).
   */
  deferStarted?: boolean;
}

/**
 * A GraphQL response with no data whose every error is an unreachable dependency is an HTTP 503
 * with `Retry-After`, as on REST (partial data stays a 200 with the errors beside it).
 */
const unavailableStatusPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        if (data != null || !errors?.length) return;
        if (!errors.every((e) => e.extensions?.code === 'service_unavailable')) return;
        response.http.status = 503;
        response.http.headers.set('retry-after', String(errors[0]?.extensions?.retryAfter ?? RETRY_AFTER_SECONDS));
      },
    };
  },
};
export async function startGateway(platform: Platform, options: StartGatewayOptions): Promise<Gateway> {
  const { config } = platform;
  const logger = platform.logger.child({ service: 'gateway' });
  const metrics = new ServiceMetrics('gateway');
  const source = supergraphSource(config);
  const supergraphSdl = await readFile(source.file, 'utf8');
  const joined = subgraphsOf(supergraphSdl);
  const joinsTrellis = joinsTrellisSubgraphs(joined.map((s) => s.name));

  const internalSecret = platform.internalSecret;
  const admission = await admissionFor(platform);
  const authenticator = await startAuthenticator(platform, logger, {
    url: options.subgraphUrls.identity,
    fetch: options.subgraphFetchers?.identity,
  });
  // The deadline is read per request: a configuration reload changes the next one's.
  const dataSources = new SubgraphDataSources<GatewayContext>(() => platform.config.graphql.subgraphTimeoutMs, {
    headers(context): Record<string, string> {
      if (!context.principal) return {};
      context.signedPrincipal ??= signPrincipal(internalSecret, context.principal, context.meta);
      return {
        [PRINCIPAL_HEADER]: context.signedPrincipal,
        'x-request-id': context.meta.requestId,
        traceparent: traceparentOf({ traceId: context.meta.traceId, spanId: newSpanId() }),
      };
    },
    // What a subgraph's answer may depend on: the principal and the client IP it is signed with.
    audience(context) {
      if (!context.principal || !config.graphql.shareInflight) return undefined;
      context.audience ??= `${JSON.stringify(context.principal)}\n${context.meta.clientIp ?? ''}`;
      return context.audience;
    },
    inProcess(context) {
      if (!context.principal) return undefined;
      return {
        principal: principalInProcess(context.principal, context.meta.clientIp),
        requestId: context.meta.requestId,
        traceparent: traceparentOf({ traceId: context.meta.traceId, spanId: newSpanId() }),
      };
    },
    onResponse(headers) {
      const invalidation = headers[AUTH_INVALIDATION_HEADER];
      if (typeof invalidation === 'string') authenticator.invalidate(JSON.parse(invalidation) as AuthInvalidation);
    },
  });
  // The supergraph is handed over through Apollo's update hook, so an operator reload
  // (POST /v1/gateway/reload) can swap it in place without dropping a connection.
  installFastResultShaping();
  installOperationCache();
  let updateSupergraph: ((sdl: string) => void) | undefined;
  let servedSupergraph = supergraphSdl;
  // The latest data source of each subgraph (Apollo builds them again on a supergraph reload).
  const sources = new Map<string, ReturnType<typeof dataSources.build>>();
  const subgraphOperation: SubgraphOperation = async (subgraph, request, context) => {
    const source = sources.get(subgraph);
    if (!source) throw serviceUnavailable(`The ${subgraph} subgraph is not part of the served supergraph`);
    // The same admission control as the pipeline's (admissionPlugin): `execute` is refused while paused.
    await admission.assertAdmits(mutationRootFields(request.query));
    return source.operation(request, context);
  };
  // Read from the served supergraph when first asked, and again after a reload.
  let owners:
    | { sdl: string; joins: SupergraphJoins; byDocument: WeakMap<DocumentNode, SubgraphName | null> }
    | undefined;
  const subgraphOwner = (document: DocumentNode): SubgraphName | undefined => {
    if (owners?.sdl !== servedSupergraph)
      owners = { sdl: servedSupergraph, joins: supergraphJoins(servedSupergraph), byDocument: new WeakMap() };
    let owner = owners.byDocument.get(document);
    if (owner === undefined) {
      owner = (singleOwner(owners.joins, document) as SubgraphName | undefined) ?? null;
      owners.byDocument.set(document, owner);
    }
    return owner ?? undefined;
  };
  const gateway = new ApolloGateway({
    supergraphSdl: async ({ update }) => {
      updateSupergraph = update;
      return { supergraphSdl };
    },
    buildService: ({ name, url }) => {
      const route = subgraphRoute(name, url, {
        overrides: config.graphql.subgraphUrls,
        trellisUrls: options.subgraphUrls,
        inProcess: options.subgraphFetchers,
      });
      const source = dataSources.build(route.url, route.inProcess);
      sources.set(name, source);
      return source;
    },
    logger,
  });
  const exposeStack = config.env === 'development';
  const queryLimits: QueryLimits = {
    maxDepth: config.graphql.maxDepth,
    maxAliases: config.graphql.maxAliases,
    maxCost: config.graphql.maxCost,
    introspection: config.graphql.introspection,
  };
  const apollo = new ApolloServer<GatewayContext>({
    // Our Lifecycle stops servers in order on SIGINT/SIGTERM; Apollo's own handler would stop them at once
    // and fail the requests still in flight.
    stopOnTerminationSignals: false,
    gateway,
    documentStore: new SingleFlightDocumentStore(),
    introspection: config.graphql.introspection,
    // Credentials travel only in headers that force a browser preflight, so they count as CSRF-safe too.
    csrfPrevention: {
      requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization', 'x-api-key'],
    },
    includeStacktraceInErrorResponses: exposeStack,
    formatError: createErrorFormatter(logger, exposeStack),
    parseOptions: { maxTokens: config.graphql.maxTokens },
    validationRules: [queryLimitsRule(queryLimits), literalValuesRule],
    plugins: [
      queryCostPlugin(queryLimits),
      operationMetricsPlugin(metrics),
      unavailableStatusPlugin,
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      inputChecksPlugin(config.json),
      admissionPlugin(admission),
    ],
  });
  // The API schema the gateway derives from the supergraph (the one the REST adapter and subscriptions
  // share: a process builds it once) has custom scalars that accept anything until given their parsing.
  let loadedApiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    loadedApiSchema = parseScalarInputs(apiSchema);
  });
  await apollo.start();

  // Subgraphs and Redis are reported (`degraded`), but do not make the gateway itself unready:
  // it still serves everything that does not need the missing piece.
  const servedTrellisUrls = Object.entries(options.subgraphUrls).filter(
    ([name]) => joined.some((s) => s.name === name) && !config.graphql.subgraphUrls[name],
  );
  const subgraphReady: DependencyCheck[] = servedTrellisUrls.map(([name, url]) => ({
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
    access: observabilityAccess(config, 'public'),
    dependencies: [...subgraphReady, ...platformDependencies(platform)],
  });
  const liveStreams = new LiveStreams(authenticator, logger);
  registerVersionRoute(http.app, config, () => servedSupergraph);
  const stopReloading = admission.onReload(async () => {
    const next = await readFile(source.file, 'utf8');
    if (next !== servedSupergraph) {
      updateSupergraph?.(next);
      servedSupergraph = next;
    }
    return { reloaded: ['supergraph'], schemaHash: schemaHashOf(servedSupergraph) };
  });
  keepRawJsonBody(http.app, config.json);
  await registerCors(http.app, () => platform.config.corsOrigins);
  registerGraphQLRoute(http.app, apollo, async (req) => {
    try {
      // Only the standalone REST adapter may forward a caller it authenticated: its own audience and key,
      // a few seconds, this exact body. Anything else in this header (one captured between the gateway and
      // subgraphs, a service principal, a forgery) is refused, never trusted.
      const forwarded = req.headers[PRINCIPAL_HEADER];
      if (forwarded !== undefined) {
        const verified = verifyAdapterPrincipal(internalSecret, String(forwarded), req.rawBody ?? '');
        if (!verified.ok) throw new TrellisError('unauthenticated', 'Invalid internal principal');
        return { principal: verified.claims.principal, meta: { ...req.meta, clientIp: verified.claims.clientIp } };
      }
      const principal = await authenticator.authenticate({
        headers: req.headers,
        rawBody: req.rawBody,
        method: req.method,
        url: req.url,
      });
      return { principal, meta: req.meta };
    } catch (error) {
      throw toHttpGraphQLError(error);
    }
  });
  await registerDashboard(http.app, config, logger);

  const parts = {
    name: 'gateway',
    app: http.app,
    apollo,
    authenticator,
    liveStreams,
    metrics,
    subgraphUrls: options.subgraphUrls,
    supergraphSdl,
    apiSchema: loadedApiSchema as GraphQLSchema,
    joinsTrellis,
    subgraphOperation,
    subgraphOwner,
    subgraphFetchers: options.subgraphFetchers,
  };
  const closeExtensions = (await options.extend?.(parts)) ?? undefined;
  await http.app.listen({ port: options.port, host: options.host });
  if (!options.deferStarted) http.markStarted();
  const address = http.app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    ...parts,
    url: `http://${options.host}:${port}`,
    markStarted: http.markStarted,
    async close() {
      // Live streams first: the HTTP server's close waits for them, and they never end by themselves.
      liveStreams.closeAll();
      await closeExtensions?.();
      // In-flight requests get a short grace; a request still parked after it (an agent's long poll
      // whose client went away) must not hold the shutdown until the deadline.
      const grace = setTimeout(() => http.app.server.closeAllConnections(), CLOSE_GRACE_MS);
      await http.app.close();
      clearTimeout(grace);
      await authenticator.stop();
      await apollo.stop();
      dataSources.close();
      stopReloading();
      await closeAdmission(platform);
    },
  };
}
