/**
 * Telling "a dependency is unreachable" apart from a bug. A refused or reset
 * connection, a timeout, PostgreSQL shutting down or out of connections, a
 * pool that cannot hand out a connection: these are `503 service_unavailable`
 * with `Retry-After` (the client may retry, the operator sees one warning),
 * never `500 internal`. One classification for every process: the gateway's
 * subgraph fetches and every subgraph's database calls.
 */
import { TrellisError } from './errors.ts';

/** What a client is told to wait before retrying a request that failed on an unreachable dependency. */
export const RETRY_AFTER_SECONDS = 5;

/** Socket-level failures (Node, undici, minipass-fetch) that mean "the peer is not there (now)". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/**
 * PostgreSQL SQLSTATEs of an unavailable server: class 08 (connection exception),
 * 53300 too_many_connections, 57P01 admin_shutdown, 57P02 crash_shutdown,
 * 57P03 cannot_connect_now (starting up or in recovery).
 */
const isUnavailableSqlState = (code: string) =>
  /^08[0-9A-Z]{3}$/.test(code) || code === '53300' || /^57P0[123]$/.test(code);

/** pg / pg-pool / the gateway's deadline, which carry no code. */
const UNAVAILABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /Client has encountered a connection error/i,
];

function ownReason(error: object): boolean {
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || isUnavailableSqlState(code))) return true;
  if (name === 'TimeoutError' || name === 'ConnectionException') return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/** True when `error` (or anything it wraps: `cause`, `originalError`, an AggregateError's errors) is an outage. */
export function isUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 8) return false;
  if (error instanceof TrellisError) return error.code === 'service_unavailable';
  if (ownReason(error)) return true;
  const { cause, originalError, errors } = error as { cause?: unknown; originalError?: unknown; errors?: unknown };
  if (isUnavailable(cause, depth + 1) || isUnavailable(originalError, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((e) => isUnavailable(e, depth + 1));
}

/** The one error an outage becomes: 503 `service_unavailable` with `Retry-After`. */
export const serviceUnavailable = (message = 'A dependency is temporarily unreachable; retry later', cause?: unknown) =>
  new TrellisError('service_unavailable', message, { retryAfter: RETRY_AFTER_SECONDS, cause });
