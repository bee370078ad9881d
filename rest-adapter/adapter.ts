/**
 * Mounts the route table under `/v1`: authenticate (HMAC over the exact body
 * bytes), check the request against the route's shape and map it onto the
 * operation's variables, execute it as the caller (once per Idempotency-Key),
 * and answer in the envelope with the registry's status for the first error,
 * its field named as the client sent it. Unknown paths are an enveloped 404,
 * known paths with another method a 405 with `Allow`, malformed JSON a 400.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Authenticator } from '../gateway/authenticate.ts';
import type { Gateway, SubgraphOperation } from '../gateway/gateway.ts';
import { checkVariables } from '../gateway/input-checks.ts';
import type { LiveStreams } from '../gateway/live-streams.ts';
import { type ErrorCode, errorHeaders, errorRegistry, isErrorCode, TrellisError } from '../kernel/errors.ts';
import { codeOfFrameworkError } from '../kernel/http-service.ts';
import type { Platform } from '../kernel/platform.ts';
import { ANONYMOUS, type Principal } from '../kernel/principal.ts';
import { isUnavailable, serviceUnavailable } from '../kernel/unavailable.ts';
import { type Envelope, envelope, errorEnvelope, type RestResponse } from './envelope.ts';
import type { Executor, GraphQLResult } from './executor.ts';
import { fragmentDefinitionsOf } from './fragments.ts';
import { fingerprintOf, type IdempotencyStore, idempotencyKeyOf } from './idempotency.ts';
import { type OutputNode, outputTree, restValue } from './output.ts';
import { type RequestShape, requestShape } from './request-shape.ts';
import { restFieldError } from './rest-errors.ts';
import { type RouteOperation, routeOperation } from './route-operation.ts';
import type { HandlerContext, HandlerRoute, HttpMethod, OperationRoute, Route, RouteInput } from './route-table.ts';
import { buildVariables } from './variables.ts';

export interface RestAdapterOptions {
  routes: Route[];
  schema: GraphQLSchema;
  executor: Executor;
  authenticator: Authenticator;
  /** Where SSE streams register to be re-authorized and closed on shutdown. */
  liveStreams: LiveStreams;
  platform: Platform;
  /** The OpenAPI document served at `/openapi.json`: its JSON bytes. */
  openapi: Buffer;
  /** Where Idempotency-Key responses are kept (shared by every replica). */
  idempotency: IdempotencyStore;
  /** The gateway's direct subgraph calls (in-process adapter); `HandlerContext.executeOn` goes through `executor` without. */
  subgraphOperation?: SubgraphOperation;
  /** The subgraph that answers a route's document alone (in-process adapter): its mutations skip the gateway's pipeline. */
  subgraphOwner?: Gateway['subgraphOwner'];
}

interface CompiledRoute {
  route: OperationRoute;
  operation: RouteOperation;
  shape: RequestShape;
  /** The response tree: enum values and field names in REST form (`output.ts`). */
  output: OutputNode | undefined;
  idempotent: boolean;
}

/** Routes that honour Idempotency-Key: every POST with a caller to scope the key to, unless a route opts out. */
export const isIdempotent = (route: Route): boolean =>
  route.kind !== 'handler' && (route.idempotent ?? (route.method === 'POST' && !route.public));

function compile(route: OperationRoute, schema: GraphQLSchema): CompiledRoute {
  if (route.idempotent && route.public)
    throw new Error(`${route.method} ${route.path}: a public route has no caller to scope Idempotency-Key to`);
  const operation = routeOperation(route, schema);
  return {
    route,
    operation,
    shape: requestShape(route, schema),
    output: outputTree(schema, operation.operation, fragmentDefinitionsOf(operation.ast)),
    idempotent: isIdempotent(route),
  };
}

/** `/v1/orgs/{orgId}` → `/orgs/:orgId` (relative to the `/v1` prefix). */
export const fastifyPath = (path: string): string => path.replace(/^\/v1/, '').replace(/\{(\w+)\}/g, ':$1') || '/';

function dig(data: Record<string, unknown>, path: string): unknown {
  let value: unknown = data;
  for (const key of path.split('.')) value = value && typeof value === 'object' ? (value as never)[key] : undefined;
  return value;
}

export function firstErrorCode(result: GraphQLResult): ErrorCode | undefined {
  const code = result.errors?.[0]?.extensions?.code;
  if (result.errors?.length) return isErrorCode(code) ? code : 'internal';
  return undefined;
}

interface Failure {
  code: ErrorCode;
  message?: string;
  extensions?: Record<string, unknown>;
  /** What went wrong, logged (never sent) when the code is `internal`. */
  cause?: unknown;
}

const failureOf = (error: unknown): Failure => {
  const trellis =
    error instanceof TrellisError
      ? error
      : new TrellisError(codeOfFrameworkError(error as { code?: string; statusCode?: number }));
  return { code: trellis.code, message: trellis.message, extensions: trellis.extensions, cause: error };
};

/** The envelope for a failure: the registry's status, headers from the extensions, internals never shown. */
function errorResponse(
  req: FastifyRequest,
  failure: Failure,
  context: { principal?: Principal; organizationId?: string | null } = {},
): RestResponse {
  if (failure.code === 'internal') req.log.error({ err: failure.cause }, 'REST request failed');
  const details = failure.extensions?.details;
  const body = errorEnvelope(req.meta, failure.code, failure.code === 'internal' ? undefined : failure.message, {
    ...context,
    field: failure.extensions?.field as string | undefined,
    ...(details !== undefined && failure.code !== 'internal' ? { details } : {}),
  });
  // Retry-After and RateLimit-* from the error's extensions (set by rate limiters).
  return jsonResponse(errorRegistry[failure.code].status, body, Object.fromEntries(errorHeaders(failure.extensions)));
}

const jsonResponse = (status: number, body: Envelope, headers: Record<string, string> = {}): RestResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

function send(reply: FastifyReply, response: RestResponse) {
  reply.code(response.status).headers(response.headers);
  return response.body === undefined ? reply.send() : reply.send(response.body);
}

const sendError = (
  reply: FastifyReply,
  req: FastifyRequest,
  failure: Failure,
  context?: { principal?: Principal; organizationId?: string | null },
) => send(reply, errorResponse(req, failure, context));

export async function mountRestAdapter(app: FastifyInstance, options: RestAdapterOptions): Promise<void> {
  const { authenticator, executor, platform, idempotency } = options;
  const operationRoutes = options.routes.filter((r): r is OperationRoute => r.kind !== 'handler');
  const compiled = new Map<OperationRoute, CompiledRoute>(operationRoutes.map((r) => [r, compile(r, options.schema)]));
  // For 405s: each path pattern (compiled once) with the methods it serves.
  const methodsByPath = new Map<string, { pattern: RegExp; methods: Set<HttpMethod> }>();
  for (const route of options.routes) {
    const key = fastifyPath(route.path);
    const entry = methodsByPath.get(key) ?? {
      pattern: new RegExp(`^/v1${key.replace(/:\w+/g, '[^/]+')}/?$`),
      methods: new Set<HttpMethod>(),
    };
    entry.methods.add(route.method);
    methodsByPath.set(key, entry);
  }

  const authenticate = async (req: FastifyRequest, route: Route): Promise<Principal> => {
    const principal = await authenticator.authenticate({
      headers: req.headers,
      rawBody: req.rawBody,
      method: req.method,
      url: req.url,
    });
    if (!route.public && principal === ANONYMOUS) throw new TrellisError('unauthenticated', 'Authentication required');
    return principal;
  };
  const organizationOf = (params: Record<string, string>, principal: Principal) =>
    params.orgId ?? principal.orgId ?? null;

  app.get('/openapi.json', async (_req, reply) => reply.type('application/json; charset=utf-8').send(options.openapi));
  // Errors raised outside a `/v1` route (the router's: malformed percent-encoding, over-long segments) wear the envelope
  // too, as do requests the HTTP parser refused before their path was known (an over-long query string read in parts).
  app.errorBodies.push({
    prefix: '/v1/',
    unknownPath: true,
    render: (req, error) =>
      errorEnvelope(req.meta, error.code, error.code === 'internal' ? undefined : error.message, {
        field: error.extensions.field as string | undefined,
      }),
  });

  await app.register(
    async (v1) => {
      v1.setErrorHandler((error, req, reply) => sendError(reply, req, failureOf(error)));
      const notFound = (req: FastifyRequest, reply: FastifyReply) => {
        const path = req.url.split('?')[0] ?? '';
        const allowed = [...methodsByPath.values()].find(({ pattern }) => pattern.test(path));
        if (allowed) {
          reply.header('allow', [...allowed.methods].join(', '));
          return reply.code(405).send(errorEnvelope(req.meta, 'method_not_allowed'));
        }
        return reply.code(404).send(errorEnvelope(req.meta, 'route_not_found', `No route for ${req.method} ${path}`));
      };
      v1.setNotFoundHandler(notFound);
      // CORS (kernel/cors.ts) answers preflights from listed origins in a hook and sends every other
      // OPTIONS to a catch-all route outside /v1; this keeps them on the envelope's 404/405.
      v1.options('/*', notFound);

      const mount = (scope: FastifyInstance, route: Route) =>
        scope.route({
          method: route.method,
          url: fastifyPath(route.path),
          handler: async (req, reply) => {
            let principal: Principal | undefined;
            try {
              principal = await authenticate(req, route);
              if (route.kind === 'handler') return await runHandler(route, req, reply, principal);
              return send(reply, await serveOperation(compiled.get(route) as CompiledRoute, req, principal));
            } catch (error) {
              return sendError(reply, req, failureOf(error), { principal });
            }
          },
        });
      const streamed = (route: Route) => route.kind === 'handler' && route.streamedBody !== undefined;
      for (const route of options.routes) if (!streamed(route)) mount(v1, route);
      // Uploads: in their own scope, every media type is accepted and left unread for the handler to stream.
      await v1.register(async (uploads) => {
        uploads.removeAllContentTypeParsers();
        uploads.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
        for (const route of options.routes) if (streamed(route)) mount(uploads, route);
      });
    },
    { prefix: '/v1' },
  );

  async function runHandler(route: HandlerRoute, req: FastifyRequest, reply: FastifyReply, principal: Principal) {
    const executeAs =
      (caller: Principal): HandlerContext['execute'] =>
      (query, variables = {}) =>
        executor({ query, variables, principal: caller, meta: req.meta });
    const { subgraphOperation } = options;
    // One context for every direct call of the request: the principal is signed once.
    const direct = subgraphOperation ? { principal, meta: req.meta } : undefined;
    return route.handler(req, reply, {
      principal,
      meta: req.meta,
      platform,
      execute: executeAs(principal),
      executeOn: (subgraph, query, variables = {}) =>
        subgraphOperation && direct
          ? subgraphOperation(subgraph, { query, variables }, direct)
          : executor({ query, variables, principal, meta: req.meta }),
      watch: (stream) =>
        options.liveStreams.add({
          principal,
          credentialHeaders: req.headers,
          reauthorize: (current) => stream.reauthorize(executeAs(current)),
          revoked: () => stream.revoked(),
          shutdown: () => stream.shutdown(),
        }),
    });
  }

  /**
   * A mutation one subgraph answers alone (gateway/single-owner.ts) goes straight to that subgraph:
   * the gateway's transport, signed principal and admission check, without its request pipeline and
   * planner (issue #16: half of `/v1/gate`'s CPU). Only once its variables pass the checks the
   * gateway's pipeline makes (kernel/json-limits.ts, gateway/input-checks.ts): a request they refuse,
   * and every other operation, goes through the gateway, which answers it exactly as before.
   */
  async function runGraphQL(
    c: CompiledRoute,
    variables: Record<string, unknown>,
    principal: Principal,
    meta: FastifyRequest['meta'],
  ): Promise<GraphQLResult> {
    const owner = directOwner(c, variables);
    if (!owner || !options.subgraphOperation)
      return executor({
        query: c.operation.document,
        operationName: c.operation.operationName,
        variables,
        principal,
        meta,
      });
    try {
      const request = { query: c.operation.document, variables };
      return (await options.subgraphOperation(owner, request, { principal, meta })) as GraphQLResult;
    } catch (error) {
      // What the gateway would have answered: its refusal (admission), or an unreachable subgraph.
      const failure = error instanceof TrellisError ? error : isUnavailable(error) ? serviceUnavailable() : undefined;
      if (!failure) throw error;
      return { errors: [{ message: failure.message, extensions: { ...failure.extensions } }] };
    }
  }

  /** The subgraph to send a route's mutation to directly, when one owns it and the gateway would accept the variables. */
  function directOwner(c: CompiledRoute, variables: Record<string, unknown>) {
    if (!options.subgraphOwner || c.operation.operation.operation !== 'mutation') return undefined;
    const owner = options.subgraphOwner(c.operation.ast);
    if (!owner) return undefined;
    try {
      checkVariables(options.schema, c.operation.operation.variableDefinitions ?? [], variables, platform.config.json);
      return owner;
    } catch {
      return undefined; // refused: through the gateway, for its exact answer
    }
  }

  /** Checks the request, then runs it — once per Idempotency-Key when the route honours one. */
  async function serveOperation(c: CompiledRoute, req: FastifyRequest, principal: Principal): Promise<RestResponse> {
    const key = c.idempotent ? idempotencyKeyOf(req.headers) : undefined;
    const input: RouteInput = {
      params: req.params as Record<string, string>,
      query: req.query as RouteInput['query'],
      body: req.body,
      principal,
    };
    // A request that does not fit is refused before a key is claimed: fixing it and retrying with the key works.
    const variables = buildVariables(c.shape, input);
    const run = () => runOperation(c, req, input, variables);
    if (key === undefined) return run();
    const scope = `${principal.kind}:${principal.id} ${req.method} ${req.url.split('?')[0]}`;
    return idempotency.run({ scope, key, fingerprint: fingerprintOf(req.body) }, run);
  }

  async function runOperation(
    c: CompiledRoute,
    req: FastifyRequest,
    input: RouteInput,
    variables: Record<string, unknown>,
  ): Promise<RestResponse> {
    const { principal } = input;
    const result = await runGraphQL(c, variables, principal, req.meta);
    const organizationId = organizationOf(input.params, principal);
    const code = firstErrorCode(result);
    if (code) {
      const first = result.errors?.[0];
      const rest = restFieldError(first?.message ?? '', first?.extensions?.field, c.shape, {
        body: input.body,
        query: input.query,
      });
      const failure: Failure = rest.coercion
        ? {
            code: 'validation_failed',
            message: rest.message,
            // Like the adapter's own check: the request did not fit its shape.
            extensions: { field: rest.field, details: { errors: [{ field: rest.field, message: rest.message }] } },
            cause: result.errors,
          }
        : {
            code,
            message: rest.message,
            extensions: { ...first?.extensions, field: rest.field },
            cause: result.errors,
          };
      return errorResponse(req, failure, { principal, organizationId });
    }
    const data = restValue(result.data ?? {}, c.output) as Record<string, unknown>;
    const value = typeof c.route.result === 'function' ? c.route.result(data) : dig(data, c.operation.resultPath);
    if ((value === null || value === undefined) && c.route.method === 'GET')
      return errorResponse(req, { code: 'not_found' }, { principal, organizationId });
    const status = c.route.acceptedWhen?.(value) ? 202 : (c.route.statusOf?.(data) ?? c.route.status ?? 200);
    if (status === 204) return { status, headers: {} };
    const links: Record<string, string> = { self: req.url };
    const page = c.route.paginated ? (value as { nextCursor?: string | null } | null) : null;
    if (page?.nextCursor) {
      const next = new URL(req.url, 'http://trellis.invalid');
      next.searchParams.set('cursor', page.nextCursor);
      links.next = `${next.pathname}${next.search}`;
    }
    // On the last page `nextCursor` is absent rather than null.
    const body = page && page.nextCursor === null ? { ...(page as object), nextCursor: undefined } : value;
    return jsonResponse(
      status,
      envelope({ meta: req.meta, status, principal, organizationId, data: body ?? null, links }),
    );
  }
}
