/**
 * CORS for browser clients on other origins (the gateway's `/graphql`, `/v1`
 * and `/openapi.json`, and the standalone REST adapter), through
 * `@fastify/cors`. Only the configured origins get CORS headers — with
 * credentials, so a browser may send the session's `Authorization` header;
 * any other origin gets none, so its browser refuses to read the response.
 * With no origins configured nothing is registered: same-origin only.
 *
 * Apollo's CSRF prevention is unaffected: a cross-origin request that carries
 * credentials or JSON is preflighted, which is exactly what it asks for.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** Request headers clients send: credentials, HMAC signing, workflow binding, retries, Apollo, tracing. */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-api-key',
  'x-signature',
  'x-signature-timestamp',
  'x-signature-version',
  'x-signature-nonce',
  'x-workflow-id',
  'idempotency-key',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'traceparent',
  'x-request-id',
];

/** Response headers a browser script may read. */
export const CORS_EXPOSED_HEADERS = [
  'x-request-id',
  'x-trace-id',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'idempotent-replayed',
  'allow',
];

/** How long a browser may cache a preflight answer (seconds). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * `origins` is read on every request, so a configuration reload changes the list in place; whether
 * CORS is registered at all is decided by the list at start (turning it on or off needs a restart).
 */
export async function registerCors(app: FastifyInstance, origins: () => readonly string[]): Promise<void> {
  if (origins().length === 0) return;
  let list = origins();
  let allowed = new Set(list);
  const isAllowed = (origin: string) => {
    const now = origins();
    if (now !== list) {
      list = now;
      allowed = new Set(now);
    }
    return allowed.has(origin);
  };
  await app.register(cors, {
    // Reflect a listed origin; `false` for any other turns CORS off for that request (no headers at all).
    origin: (origin, callback) => callback(null, origin !== undefined && isAllowed(origin) ? origin : false),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    // A bare OPTIONS from a listed origin is answered like a preflight rather than with a plain-text 400.
    strictPreflight: false,
  });
}
