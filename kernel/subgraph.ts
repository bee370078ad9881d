/**
 * Runs one subgraph: its MikroORM instance and migrations, its Apollo subgraph
 * schema (SDL file + resolvers, with `@authz` applied), the principal check on
 * every request, health and metrics, and its background workers.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';

import type { EntitySchema } from '@mikro-orm/core';
import type { FastifyInstance } from 'fastify';
import { type DocumentNode, parse } from 'graphql';
import { applyAuthz, SHARED_SDL_FILE } from './authz.ts';
import type { SubgraphName } from './config.ts';
import { createOrm, type EntityManager, type MigrationEntry, migrate, type Orm } from './database.ts';
import { SingleFlightDocumentStore } from './document-store.ts';
import { internalEnumDefaults } from './enum-defaults.ts';
import { errorRegistry } from './errors.ts';
import {
  type ConsumerSubscription,
  consumedEventsMigrationEntry,
  consumerRegistry,
  consumerResolvers,
  type EventConsumer,
  readConsumersSdl,
} from './event-consumers.ts';
import { createErrorFormatter } from './graphql-errors.ts';
import { answerGraphQLPost, registerGraphQLRoute } from './graphql-http.ts';
import { operationMetricsPlugin } from './graphql-metrics.ts';
import { createHttpService, observabilityAccess } from './http-service.ts';
import { InFlight } from './in-flight.ts';
import type { Logger } from './logger.ts';
import { assertMailConfigured } from './mail.ts';
import { ServiceMetrics } from './metrics.ts';
import { OutboxEvent, outboxMigrationEntry } from './outbox.ts';
import { announceServiceUrl, outboxRelayMigrationEntry, startOutboxRelay } from './outbox-relay.ts';
import { type Platform, platformDependencies } from './platform.ts';
import {
  isPrincipalInProcess,
  PRINCIPAL_HEADER,
  type Principal,
  type PrincipalInProcess,
  verifyPrincipal,
} from './principal.ts';
import { type RequestMeta, requestIdFrom, traceFrom } from './request-meta.ts';
import { KernelRetention } from './retention.ts';
import { scalarResolvers } from './scalars.ts';

/** What every resolver receives; subgraphs extend it with their services. */
export interface BaseContext {
  principal: Principal;
  meta: RequestMeta;
  /** A fresh identity map for this request. */
  em: EntityManager;
  log: Logger;
  /** Headers to add to this request's HTTP response (read by the gateway). */
  responseHeaders: Map<string, string>;
}

/** A long-running task owned by a subgraph (outbox relay, reservation sweeper…). */
export interface Worker {
  name: string;
  stop(): Promise<void>;
}

export interface SubgraphRuntime {
  platform: Platform;
  orm: Orm;
  /** The subgraph's own database (for engines that hold their own pool, e.g. compute's job queue). */
  databaseUrl: string;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Every subgraph's event consumers (what the events subgraph fans appended events out to). */
  consumers: readonly ConsumerSubscription[];
}

export interface SubgraphDefinition<TContext extends BaseContext = BaseContext> {
  name: SubgraphName;
  /**
   * The subgraph's SDL: one file, or several (a main file and feature files that
   * `extend type Query`); the source of truth for composition and codegen.
   */
  schemaFile: URL | readonly URL[];
  entities: EntitySchema[];
  migrations: MigrationEntry[];
  /** Resolver map, typed by each subgraph with its codegen `Resolvers` type. */
  resolvers: object;
  /** Builds the per-request context from the base one (wires domain services). */
  context(base: BaseContext, runtime: SubgraphRuntime): TContext;
  /** Background workers started once migrations are done. */
  workers?(runtime: SubgraphRuntime): Worker[];
  /** Durable consumers of other subgraphs' events (kernel/event-consumers.ts, docs/events.md). */
  consumers?: EventConsumer[];
  /** Sends email (kernel/mail.ts): refuses to start in production without TRELLIS_SMTP_URL. */
  sendsMail?: boolean;
}

/**
 * A subgraph's SDL, preceded by the shared directives and scalars of `kernel/shared.graphql` and
 * followed by the kernel's internal fields every subgraph serves (`_consumeEvents`).
 */
export const readSdl = (file: URL | readonly URL[]): string => {
  const files = Array.isArray(file) ? file : [file as URL];
  const own = files.map((each) => readFileSync(each, 'utf8')).join('\n');
  return `${readFileSync(SHARED_SDL_FILE, 'utf8')}\n${own}\n${readConsumersSdl()}`;
};
export const loadSdl = (file: URL | readonly URL[], options?: { noLocation?: boolean }): DocumentNode =>
  parse(readSdl(file), options);

export interface RunningService {
  name: string;
  url: string;
  close(): Promise<void>;
}

type InProcessInit = { method?: string; headers?: Record<string, string>; body?: string | Buffer };

/** A subgraph's answer to an in-process call as plain values: lower-case header names, the body as text. */
export interface InProcessAnswer {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GraphQL operation's outcome as plain values: what the route's JSON body would hold, unserialised. */
export interface InProcessResult {
  status: number;
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  /** Headers the operation set on its answer (lower-case names; credential invalidation). */
  headers?: Record<string, string>;
}

/**
 * A GraphQL operation run in process from values, with the route's principal check, Apollo pass
 * (formatted errors, operation metrics) and request metric, but no JSON text either way: for
 * internal callers (kernel/internal-graphql.ts) that build the variables and only read the answer.
 */
export type InProcessOperation = (
  /** A signed principal (the header's value), or one this process established (`principalInProcess`). */
  principal: string | PrincipalInProcess,
  operation: { query: string; variables: Record<string, unknown> },
  /** The caller's request id and trace (`traceparent`), continued as a request on the route would be. */
  request?: { requestId?: string; traceparent?: string },
) => Promise<InProcessResult>;

/**
 * A fetch-compatible function (Apollo's `Fetcher` shape). `answer`, when present, is the same call
 * answered as an `InProcessAnswer`: the gateway's per-request transport uses it, since building a
 * WHATWG `Response` (headers list, body stream) only to read it back cost more than the call itself.
 * `operation`, when present, runs a GraphQL operation from values (`InProcessOperation`).
 */
export type InProcessFetch = ((url: string, init?: InProcessInit) => Promise<Response>) & {
  answer?: (url: string, init?: InProcessInit) => Promise<InProcessAnswer>;
  operation?: InProcessOperation;
};

export interface RunningSubgraph extends RunningService {
  /**
   * Serves a request without a socket, through the same Fastify routes and
   * principal check: the all-in-one gateway's transport to this subgraph.
   */
  fetch: InProcessFetch;
  /**
   * Stops the subgraph's background workers (its outbox relay, kernel retention and the definition's own), waiting for
   * their pass in flight; `close()` does it too. The all-in-one stops the events service's delivery
   * workers first, so none calls a subgraph that has already closed.
   */
  stopWorkers(): Promise<void>;
  /** The names of its background workers (its outbox relay, kernel retention and the definition's own). */
  workerNames: readonly string[];
}

/**
 * The subgraph's MikroORM instance on its own schema, with the kernel's tables
 * (outbox) ahead of the subgraph's own entities and migrations.
 */
export function createSubgraphOrm(
  definition: Pick<SubgraphDefinition, 'name' | 'entities' | 'migrations'>,
  url: string,
  poolMax: number,
): Promise<Orm> {
  return createOrm({
    schema: definition.name,
    url,
    entities: [OutboxEvent, ...definition.entities],
    migrations: [
      outboxMigrationEntry,
      outboxRelayMigrationEntry,
      consumedEventsMigrationEntry,
      ...definition.migrations,
    ],
    poolMax,
  });
}

/**
 * A subgraph accepts whatever the gateway may forward for one client body of
 * `maxBodyBytes`, or a valid client request becomes a 500: the client's
 * variables re-serialized — a number grows at most from `1e20` (4 characters)
 * to `100000000000000000000` (21), so ×6 — plus the subgraph query, entity
 * representations and headroom. Subgraphs are reached only with a signed principal.
 */
export const subgraphBodyLimit = (maxBodyBytes: number): number => maxBodyBytes * 6 + 1_048_576;

export interface StartSubgraphOptions {
  databaseUrl: string;
  port: number;
  host: string;
  /**
   * Every subgraph's consumers (`consumerRegistry(all definitions)`): the events subgraph records
   * deliveries for them. Defaults to this definition's own consumers.
   */
  consumerRegistry?: readonly ConsumerSubscription[];
}

export async function startSubgraph<TContext extends BaseContext>(
  definition: SubgraphDefinition<TContext>,
  platform: Platform,
  options: StartSubgraphOptions,
): Promise<RunningSubgraph> {
  const { config } = platform;
  const name = definition.name;
  if (definition.sendsMail) assertMailConfigured(config, name);
  const logger = platform.logger.child({ service: name });
  const metrics = new ServiceMetrics(name);
  const orm = await createSubgraphOrm(definition, options.databaseUrl, config.database.poolMax);
  const runtime: SubgraphRuntime = {
    platform,
    orm,
    databaseUrl: options.databaseUrl,
    logger,
    metrics,
    consumers: options.consumerRegistry ?? consumerRegistry([definition]),
  };
  const consumerFields = consumerResolvers(definition.consumers ?? [], orm, { platform, logger }, (consumer, outcome) =>
    metrics.consumedEvents.inc({ consumer, outcome }),
  );
  const http = createHttpService({
    name,
    logger,
    metrics,
    bodyLimit: subgraphBodyLimit(config.graphql.maxBodyBytes),
    access: observabilityAccess(config, 'internal'),
    // Ready means "this subgraph can serve": its own database. Redis and the bus are only reported.
    dependencies: [
      {
        name: 'postgres',
        required: true,
        check: async () => void (await orm.em.getConnection().execute('select 1')),
      },
      ...platformDependencies(platform),
    ],
  });

  const schema = applyAuthz(
    internalEnumDefaults(
      buildSubgraphSchema([
        {
          // Without locations: the schema keeps its AST, and a located AST keeps every token of the SDL
          // (~50,000 objects for the five subgraphs) for the life of the process.
          typeDefs: loadSdl(definition.schemaFile, { noLocation: true }),
          resolvers: {
            ...scalarResolvers,
            ...definition.resolvers,
            Mutation: { ...(definition.resolvers as { Mutation?: object }).Mutation, ...consumerFields },
          } as never,
        },
      ]),
    ),
  );
  const apollo = new ApolloServer<TContext>({
    // Our Lifecycle stops servers in order on SIGINT/SIGTERM; Apollo's own handler would stop them at once
    // and fail the requests still in flight.
    stopOnTerminationSignals: false,
    schema,
    documentStore: new SingleFlightDocumentStore(),
    // Subgraphs are reached only through the gateway (signed principal), which enforces limits.
    introspection: true,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: config.env === 'development',
    formatError: createErrorFormatter(logger, config.env === 'development'),
    // Inline traces (ftv1) are for Apollo's hosted reporting, which Trellis never uses.
    plugins: [
      operationMetricsPlugin(metrics),
      ApolloServerPluginInlineTraceDisabled(),
      // No schema declares cache hints, so every answer was `no-store`; the default plugin still
      // wrapped every resolver of every request to collect hints (issue #16 profile of /v1/gate).
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ contextValue, response }) {
              response.http.headers.set('cache-control', 'no-store');
              for (const [key, value] of contextValue.responseHeaders) response.http.headers.set(key, value);
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  // The principal check runs before GraphQL: an unsigned request never reaches a resolver.
  const principalOf = (header: string | undefined, meta: RequestMeta): Principal | undefined => {
    const verified = verifyPrincipal(platform.internalSecret, header);
    if (!verified.ok) {
      logger.warn({ reason: verified.reason, requestId: meta.requestId }, 'refused request without a valid principal');
      return undefined;
    }
    // The end client's address as the gateway saw it (this hop's peer is the gateway itself).
    meta.clientIp = verified.claims.clientIp;
    return verified.claims.principal;
  };
  // A value this process's gateway or services established needs no signature; anything else is refused.
  const principalFrom = (given: string | PrincipalInProcess, meta: RequestMeta): Principal | undefined => {
    if (typeof given === 'string') return principalOf(given, meta);
    if (!isPrincipalInProcess(given)) {
      logger.warn({ requestId: meta.requestId }, 'refused an in-process call with a principal not made in process');
      return undefined;
    }
    meta.clientIp = given.clientIp;
    return given.principal;
  };
  const contextOf = async (principal: Principal, meta: RequestMeta) =>
    definition.context({ principal, meta, em: orm.em.fork(), log: logger, responseHeaders: new Map() }, runtime);
  http.app.addHook('preHandler', async (req, reply) => {
    if (req.routeOptions.url !== GRAPHQL_PATH) return;
    const principal = principalOf(req.headers[PRINCIPAL_HEADER] as string | undefined, req.meta);
    if (!principal) return reply.code(401).type('application/json; charset=utf-8').send(UNSIGNED_ANSWER);
    (req as unknown as { principal: Principal }).principal = principal;
  });
  registerGraphQLRoute(http.app, apollo, async (req) =>
    contextOf((req as unknown as { principal: Principal }).principal, req.meta),
  );
  const bodyLimit = subgraphBodyLimit(config.graphql.maxBodyBytes);
  // In-process calls skip the HTTP server, whose close waits for its requests: close waits for these.
  const inFlight = new InFlight();
  // Once closing, in-process calls are refused as the closed listener refuses connections: a 503 the
  // caller retries later, never an operation reaching an Apollo server that is stopping.
  let closing = false;
  const graphqlInProcess: InProcessGraphQL = (headers, body) => inFlight.track(answerInProcess(headers, body));
  const answerInProcess = async (...[headers, body]: Parameters<InProcessGraphQL>) => {
    if (closing)
      return {
        status: 503,
        statusText: STATUS_CODES[503] as string,
        headers: { 'content-type': JSON_TYPE },
        body: CLOSING_ANSWER,
      };
    // Over the limit: Fastify's own 413, through the routes (bytes counted only when it could matter).
    if (body.length > bodyLimit || (body.length * 3 > bodyLimit && Buffer.byteLength(body) > bodyLimit))
      return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined; // Fastify's own 400, through the routes
    }
    const started = performance.now();
    const meta: RequestMeta = {
      requestId: requestIdFrom(headers['x-request-id']),
      ...traceFrom(headers.traceparent),
      clientIp: '127.0.0.1',
    };
    const principal = principalOf(headers[PRINCIPAL_HEADER], meta);
    const answer = principal
      ? await answerGraphQLPost(apollo, headers, parsed, () => contextOf(principal, meta))
      : { status: 401, headers: { 'content-type': JSON_TYPE }, body: UNSIGNED_ANSWER };
    answer.headers['x-request-id'] = meta.requestId;
    answer.headers['x-trace-id'] = meta.traceId;
    metrics.observeHttpRequest('POST', GRAPHQL_PATH, answer.status, (performance.now() - started) / 1000);
    return { ...answer, statusText: STATUS_CODES[answer.status] ?? '' };
  };
  // No body means no body limit: the caller is code of this process holding a service principal.
  const operationInProcess: InProcessOperation = (given, operation, request) =>
    inFlight.track(outsideAnyCall(runOperation, given, operation, request));
  const runOperation: InProcessOperation = async (given, operation, request) => {
    if (closing) return { status: 503, ...(JSON.parse(CLOSING_ANSWER) as Omit<InProcessResult, 'status'>) };
    const started = performance.now();
    const meta: RequestMeta = {
      requestId: requestIdFrom(request?.requestId),
      ...traceFrom(request?.traceparent),
      clientIp: '127.0.0.1',
    };
    const principal = principalFrom(given, meta);
    let result: InProcessResult;
    if (!principal) result = { status: 401, ...(JSON.parse(UNSIGNED_ANSWER) as Omit<InProcessResult, 'status'>) };
    else {
      const response = await apollo.executeOperation(operation, { contextValue: await contextOf(principal, meta) });
      // Subgraph operations never @defer: incremental delivery exists only on the route.
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not supported in process');
      const { data, errors } = response.body.singleResult;
      const headers: Record<string, string> = Object.fromEntries(response.http.headers);
      headers['x-request-id'] = meta.requestId;
      headers['x-trace-id'] = meta.traceId;
      result = { status: response.http.status ?? 200, data, errors: errors as InProcessResult['errors'], headers };
    }
    metrics.observeHttpRequest('POST', GRAPHQL_PATH, result.status, (performance.now() - started) / 1000);
    return result;
  };

  const applied = await migrate(orm, options.databaseUrl, name);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  // Every subgraph relays its own outbox to the event log (kernel/outbox-relay.ts) and keeps its
  // kernel tables (outbox, consumed_events) within their retention (kernel/retention.ts).
  const workers: Worker[] = [
    startOutboxRelay({ name, orm, platform, logger }),
    new KernelRetention({ name, orm, platform, logger }).start(),
    ...(definition.workers?.(runtime) ?? []),
  ];
  await http.app.listen({ port: options.port, host: options.host });
  http.markStarted();
  const address = http.app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const fetch = inProcessFetch(http.app, graphqlInProcess);
  fetch.operation = operationInProcess;
  announceServiceUrl(platform, name, `http://${options.host}:${port}/graphql`, fetch);
  let workersStopped: Promise<void> | undefined;
  let closed: Promise<void> | undefined;
  const stopWorkers = () => {
    workersStopped ??= Promise.allSettled(workers.map((w) => w.stop())).then(() => undefined);
    return workersStopped;
  };

  return {
    name,
    url: `http://${options.host}:${port}/graphql`,
    fetch,
    stopWorkers,
    workerNames: workers.map((worker) => worker.name),
    close() {
      closing = true;
      closed ??= (async () => {
        await http.app.close();
        await stopWorkers();
        await inFlight.drained();
        await apollo.stop();
        await orm.close();
      })();
      return closed;
    },
  };
}

const GRAPHQL_PATH = '/graphql';
/**
 * The async context outside any request or transaction, taken at load: an in-process operation
 * runs in it, as a request arriving on a socket would. In the caller's context the callee's
 * MikroORM would find the caller's transaction (its context is keyed by name, not by ORM) and
 * write through it, in the caller's schema.
 */
const outsideAnyCall = AsyncLocalStorage.snapshot();
const JSON_TYPE = 'application/json; charset=utf-8';
const CLOSING_ANSWER = JSON.stringify({
  errors: [{ message: 'The service is shutting down', extensions: { code: 'service_unavailable' } }],
});
const UNSIGNED_ANSWER = JSON.stringify({
  errors: [{ message: errorRegistry.unauthenticated.message, extensions: { code: 'unauthenticated' } }],
});

/**
 * A subgraph's `POST /graphql` called in process with a JSON body: what its route does after
 * Fastify (principal check, Apollo, request metrics), or undefined to leave the call to the routes.
 */
type InProcessGraphQL = (headers: Record<string, string>, body: string) => Promise<InProcessAnswer | undefined>;

/**
 * The subgraph's routes without a socket: as a fetch (`app.inject`), and answered as plain values.
 * A GraphQL POST skips Fastify altogether when `graphql` is given: light-my-request's fake request
 * and response and the route's hooks cost more than the subgraph's own Apollo pass on a small
 * query (issue #16 profile of `/v1/gate`), and every in-process call of the gateway is one.
 */
export function inProcessFetch(app: FastifyInstance, graphql?: InProcessGraphQL): InProcessFetch {
  const inject = (url: string, init: InProcessInit) => {
    const target = new URL(url);
    return app.inject({
      method: (init.method ?? 'GET') as 'GET' | 'POST',
      url: `${target.pathname}${target.search}`,
      headers: init.headers,
      payload: init.body,
    });
  };
  const fetch: InProcessFetch = async (url, init = {}) => {
    const response = await inject(url, init);
    return new Response(response.rawPayload, {
      status: response.statusCode,
      headers: Object.entries(response.headers).flatMap(([k, v]) =>
        v === undefined ? [] : Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, String(v)]],
      ),
    });
  };
  fetch.answer = async (url, init = {}) => {
    if (graphql && init.method === 'POST' && typeof init.body === 'string' && url.endsWith(GRAPHQL_PATH)) {
      const direct = await graphql(init.headers ?? {}, init.body);
      if (direct) return direct;
    }
    const response = await inject(url, init);
    const headers: InProcessAnswer['headers'] = {};
    for (const [name, value] of Object.entries(response.headers))
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String) : String(value);
    return { status: response.statusCode, statusText: response.statusMessage, headers, body: response.payload };
  };
  return fetch;
}
