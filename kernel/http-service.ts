/**
 * The HTTP shell every Trellis service shares: request and trace ids, health
 * endpoints, Prometheus metrics, body limits and an orderly close. Services add
 * their own routes to the returned Fastify instance.
 */

import type { Socket } from 'node:net';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { type ErrorCode, errorHeaders, errorRegistry, TrellisError } from './errors.ts';
import { requestStarted } from './foreground.ts';
import { textProblem } from './json-limits.ts';
import { type Logger, lazyChildLoggerFactory } from './logger.ts';
import type { ServiceMetrics } from './metrics.ts';
import { type RequestMeta, requestIdFrom, traceFrom } from './request-meta.ts';
import { safeEqual } from './secrets.ts';

/** The body of an error answer for one request (see `errorBodies`). */
export type ErrorBodyRenderer = (req: FastifyRequest, error: TrellisError) => unknown;

declare module 'fastify' {
  interface FastifyRequest {
    meta: RequestMeta;
  }
  interface FastifyInstance {
    /**
     * Error bodies by path prefix: a mount claims its paths (the REST adapter's envelope under `/v1/`);
     * everything else answers GraphQL's `{ errors: [{ message, extensions: { code } }] }`. A mount that
     * sets `unknownPath` also answers requests whose path never reached this process (see answerClientError).
     */
    errorBodies: { prefix: string; render: ErrorBodyRenderer; unknownPath?: boolean }[];
  }
}

/**
 * A dependency readiness reports. Only a `required` one (what this process cannot serve anything
 * without: a subgraph's own database) makes `/health/ready` 503; the others (Redis, the bus, a
 * gateway's subgraphs) are listed under `degraded` when down, so a load balancer never turns a
 * partial outage into a full one by pulling every replica.
 */
export interface DependencyCheck {
  name: string;
  required?: boolean;
  check(): Promise<void>;
}

export interface HttpServiceOptions {
  name: string;
  logger: Logger;
  metrics: ServiceMetrics;
  dependencies: DependencyCheck[];
  bodyLimit: number;
  /** Who may read `/metrics` and readiness details (`observabilityAccess`); the public default when absent. */
  access?: ObservabilityAccess;
}

/** Who may read `/metrics` and the dependency errors of `/health/ready` on one port. */
export interface ObservabilityAccess {
  /** TRELLIS_METRICS_TOKEN: when set, `Authorization: Bearer <token>` is required for both, on every port. */
  token?: string;
  /** Without a token: `/metrics` is served (internal ports; the public one outside production). */
  metricsWithoutToken: boolean;
  /** Without a token: dependency error text is shown (internal ports only: it can name hosts and users). */
  detailsWithoutToken: boolean;
}

/** The gateway and the standalone REST adapter are `public`; subgraph ports are `internal`. */
export function observabilityAccess(
  config: { production: boolean; metricsToken?: string },
  exposure: 'public' | 'internal',
): ObservabilityAccess {
  return {
    token: config.metricsToken,
    metricsWithoutToken: exposure === 'internal' || !config.production,
    detailsWithoutToken: exposure === 'internal',
  };
}

const PUBLIC_ACCESS: ObservabilityAccess = { metricsWithoutToken: true, detailsWithoutToken: false };

/** Maps Fastify's own failures (bad JSON, oversized body, wrong media type) onto registry codes. */
export function codeOfFrameworkError(error: { code?: string; statusCode?: number }): ErrorCode {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'invalid_json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'unsupported_media_type';
    case 'FST_ERR_BAD_URL':
      return 'invalid_request';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'uri_too_long';
  }
  if (error.statusCode === 400) return 'invalid_request';
  if (error.statusCode === 413) return 'payload_too_large';
  if (error.statusCode === 414) return 'uri_too_long';
  if (error.statusCode === 415) return 'unsupported_media_type';
  return 'internal';
}

/** A TrellisError as is; anything else (Fastify's own failures) mapped onto the registry. */
export function asTrellisError(error: unknown): TrellisError {
  if (error instanceof TrellisError) return error;
  const code = codeOfFrameworkError(error as { code?: string; statusCode?: number });
  if (code === 'internal') return new TrellisError('internal', undefined, { cause: error });
  const message =
    (error as { code?: string }).code === 'FST_ERR_BAD_URL'
      ? 'The path is not valid percent-encoded UTF-8'
      : (error as { code?: string }).code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'A path segment is too long'
        : undefined;
  return new TrellisError(code, message, { cause: error });
}

const graphqlErrorBody: ErrorBodyRenderer = (_req, error) => {
  const { code, field, details } = error.extensions as { code: ErrorCode; field?: string; details?: unknown };
  const message = code === 'internal' ? errorRegistry.internal.message : error.message;
  return { errors: [{ message, extensions: { code, ...(field ? { field } : {}), ...(details ? { details } : {}) } }] };
};

/** Answers an error with its registry status, `Retry-After`/`RateLimit-*` headers and the body its path calls for. */
function sendError(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, error: TrellisError) {
  const path = req.url;
  const render = app.errorBodies.find(({ prefix }) => path.startsWith(prefix))?.render ?? graphqlErrorBody;
  for (const [name, value] of errorHeaders(error.extensions)) reply.header(name, value);
  return reply.code(error.status).send(render(req, error));
}

/** A body the connection may still read off the wire after answering early, at most this many times the body limit. */
const DRAIN_FACTOR = 8;

/**
 * An answer sent while the request's body is still arriving: a 413 from the body parser (which Fastify
 * marks `Connection: close`), or any answer decided before the body is read (routing, a hook, the REST
 * scope's own error handler). Closing with the rest of an upload unread makes the kernel reset the
 * connection, and a client still writing its body then meets EPIPE or ECONNRESET instead of the answer
 * (the edge fuzz saw it under load). A body whose Content-Length bounds it, and not too far over the
 * limit, is read off the wire and discarded and the connection kept, like nginx's lingering close;
 * anything else (larger, or chunked with no end in sight) is answered with `Connection: close`.
 * Called from the one `onSend` hook, so every scope and error handler gets the same policy.
 */
function settleUnreadBody(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply): void {
  if (req.raw.complete) return;
  const declared = Number(req.headers['content-length']);
  const bounded = req.headers['transfer-encoding'] === undefined && Number.isSafeInteger(declared);
  if (!bounded || declared > DRAIN_FACTOR * (app.initialConfig.bodyLimit ?? 0)) {
    reply.header('connection', 'close');
    return;
  }
  reply.removeHeader('connection');
  // Node discards an unread body once the answer is sent, but not one a handler piped and stopped
  // reading (an upload whose storage failed): whoever read it is done, so read the rest away here.
  req.raw.unpipe();
  req.raw.removeAllListeners('data');
  req.raw.resume();
}

/**
 * Path parameters and query values reach SQL as text: refuse what PostgreSQL cannot store (NUL, lone
 * surrogates) as a 400 naming the parameter. The one check for path and query (bodies: kernel/raw-body.ts).
 */
function checkPathAndQuery(req: FastifyRequest): void {
  for (const source of [req.params, req.query] as unknown[]) {
    if (!source || typeof source !== 'object') continue;
    for (const [name, value] of Object.entries(source)) {
      for (const text of [name, ...(Array.isArray(value) ? value : [value])]) {
        const problem = typeof text === 'string' ? textProblem(text) : null;
        if (problem) throw new TrellisError('invalid_request', `${name} ${problem}`, { field: name });
      }
    }
  }
}

const metaOf = (req: FastifyRequest): RequestMeta => ({
  requestId: req.id,
  ...traceFrom(req.headers.traceparent),
  clientIp: req.ip,
});

export interface HttpService {
  app: FastifyInstance;
  /** Flip `/health/startup` to 200: call once migrations and warm-up are done. */
  markStarted(): void;
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them: a request line or headers past
 * Node's limit (16 KiB: a URL with long query values) or bytes that are not HTTP. Answer those too
 * with a registry code and the error body of the path the request line names, then close.
 *
 * The parser hands over only the read it failed on (`rawPacket`): when the request arrived in several
 * reads (a client writing its request line in parts, a slow link), the request line is gone. Such a
 * request is then answered in the body of the mount that claims unknown paths (the REST envelope on
 * the gateway): what overflows in practice is a long REST query string, as GraphQL clients POST their
 * documents.
 */
function answerClientError(
  app: FastifyInstance,
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
) {
  if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const code: ErrorCode = error.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'invalid_request';
  const url = /^[A-Z]+ (\/\S*)/.exec(
    Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1', 0, 256) : '',
  )?.[1];
  const req = {
    url: url ?? '/',
    meta: { requestId: requestIdFrom(undefined), ...traceFrom(undefined) },
  } as FastifyRequest;
  const mount =
    url === undefined
      ? app.errorBodies.find(({ unknownPath }) => unknownPath)
      : app.errorBodies.find(({ prefix }) => url.startsWith(prefix));
  const render = mount?.render ?? graphqlErrorBody;
  const body = JSON.stringify(render(req, new TrellisError(code)));
  socket.end(
    `HTTP/1.1 ${errorRegistry[code].status} ${code === 'headers_too_large' ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${req.meta.requestId}\r\nconnection: close\r\n\r\n${body}`,
  );
}

const CHECK_TIMEOUT_MS = 2000;

async function runCheck(dep: DependencyCheck): Promise<{ name: string; status: 'up' | 'down'; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      dep.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { name: dep.name, status: 'up' };
  } catch (error) {
    return { name: dep.name, status: 'down', error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function createHttpService(options: HttpServiceOptions): HttpService {
  const { name, logger, metrics } = options;
  let started = false;
  const app: FastifyInstance = Fastify({
    loggerInstance: logger as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // `req.log` is bound to the request id only when a line is written (kernel/logger.ts).
    childLoggerFactory: (logger, bindings, options) =>
      lazyChildLoggerFactory(logger as unknown as Logger, bindings, options) as unknown as FastifyBaseLogger,
    bodyLimit: options.bodyLimit,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
    // Malformed percent-encoding and over-long path segments fail in the router, before any hook:
    // answer them like every other error (registry code, the path's error body).
    clientErrorHandler: (error, socket) => answerClientError(app, error, socket),
    frameworkErrors: (error, req, reply) => {
      req.meta = metaOf(req);
      reply.header('x-request-id', req.meta.requestId);
      reply.header('x-trace-id', req.meta.traceId);
      return sendError(app, req, reply, asTrellisError(error));
    },
  });
  app.decorate('errorBodies', []);

  app.setErrorHandler((error, req, reply) => {
    const trellis = asTrellisError(error);
    if (trellis.code === 'internal') req.log.error({ err: error }, 'unhandled error');
    return sendError(app, req, reply, trellis);
  });

  // Closing: in-flight requests finish, but a keep-alive connection that was busy when close()
  // began would otherwise linger until its keep-alive timeout. Answer with `Connection: close`
  // and keep closing connections as they fall idle.
  let closing = false;
  let idleSweep: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    closing = true;
    idleSweep = setInterval(() => app.server.closeIdleConnections(), 50);
    idleSweep.unref();
  });
  app.addHook('onClose', async () => clearInterval(idleSweep));
  app.addHook('onSend', async (req, reply, payload) => {
    settleUnreadBody(app, req, reply);
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  app.decorateRequest('meta', null as unknown as RequestMeta);
  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    // Background passes wait for it (kernel/foreground.ts); 'close' comes once it is answered or gone.
    reply.raw.once('close', requestStarted(reply.raw));
    req.meta = metaOf(req);
    reply.header('x-request-id', req.meta.requestId);
    reply.header('x-trace-id', req.meta.traceId);
    checkPathAndQuery(req);
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.observeHttpRequest(
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  const live = async () => ({ status: 'ok', service: name });
  for (const path of ['/health', '/healthz', '/health/live']) app.get(path, live);

  const access = options.access ?? PUBLIC_ACCESS;
  const hasToken = (req: FastifyRequest) => {
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    return access.token !== undefined && given !== undefined && safeEqual(given, access.token);
  };
  // Dependency errors can name hosts, users and ports: publicly only up/down per dependency.
  const details = (req: FastifyRequest) => (access.token ? hasToken(req) : access.detailsWithoutToken);
  const ready = async (req: FastifyRequest, reply: FastifyReply) => {
    const checks = await Promise.all(options.dependencies.map(runCheck));
    const required = new Set(options.dependencies.filter((d) => d.required).map((d) => d.name));
    const ok = started && checks.every((c) => c.status === 'up' || !required.has(c.name));
    const degraded = checks.filter((c) => c.status === 'down' && !required.has(c.name));
    reply.code(ok ? 200 : 503);
    const hide = details(req)
      ? <T>(c: T) => c
      : <T extends { name: string; status: string }>({ name, status }: T) => ({ name, status });
    return {
      status: ok ? 'ok' : 'unavailable',
      service: name,
      started,
      checks: checks.map(hide),
      degraded: degraded.map(hide),
    };
  };
  app.get('/health/ready', ready);
  app.get('/readyz', ready);
  app.get('/health/startup', async (_req, reply) => {
    reply.code(started ? 200 : 503);
    return { status: started ? 'ok' : 'starting', service: name };
  });
  // With a token configured /metrics needs it; without one it is not served where metricsWithoutToken is off.
  if (access.token || access.metricsWithoutToken)
    app.get('/metrics', async (req, reply) => {
      if (access.token && !hasToken(req)) {
        reply.code(401).header('www-authenticate', 'Bearer realm="metrics"');
        return {
          errors: [{ message: errorRegistry.unauthenticated.message, extensions: { code: 'unauthenticated' } }],
        };
      }
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    });

  return {
    app,
    markStarted: () => {
      started = true;
    },
  };
}
