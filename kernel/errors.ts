/**
 * The one error registry. Every error Trellis returns — REST envelope `error.code`,
 * GraphQL `extensions.code`, WebSocket close reasons — comes from this table.
 * Codes are stable API: never rename or reuse one; add a new code instead.
 * `docs/errors.md` documents each code and a test keeps the two in step.
 */
import { GraphQLError } from 'graphql';

export const errorRegistry = {
  invalid_request: { status: 400, message: 'The request is malformed' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON' },
  invalid_query: { status: 400, message: 'The GraphQL document is invalid' },
  query_too_complex: { status: 400, message: 'The query exceeds a depth, cost, alias or token limit' },
  csrf_rejected: { status: 400, message: 'The request looks like a cross-site request forgery' },
  unauthenticated: { status: 401, message: 'Missing or invalid credentials' },
  invalid_signature: { status: 401, message: 'The request signature is missing, stale or does not match' },
  budget_exhausted: { status: 402, message: 'The budget cannot cover this call’s estimated cost' },
  webhook_signature_invalid: { status: 400, message: 'The webhook signature is missing, stale or does not match' },
  payment_failed: { status: 402, message: 'The payment was declined or could not be completed' },
  insufficient_credits: { status: 402, message: 'Not enough credits for this action' },
  forbidden: { status: 403, message: 'You do not have permission to do this' },
  insufficient_scope: { status: 403, message: 'The API key lacks the scope this operation needs' },
  org_mismatch: { status: 403, message: 'The organization named in the request is not the caller’s' },
  call_denied: { status: 403, message: 'Governance refused this call (workflow state, a policy or an approval)' },
  not_found: { status: 404, message: 'The resource does not exist' },
  model_not_found: { status: 404, message: 'No configured provider serves this model' },
  route_not_found: { status: 404, message: 'No route matches this path' },
  method_not_allowed: { status: 405, message: 'This path does not support this method' },
  not_acceptable: { status: 406, message: 'None of the accepted media types can be produced' },
  insufficient_balance: { status: 402, message: 'The organization’s prepaid balance is used up; top it up first' },
  conflict: { status: 409, message: 'The resource is in a state that does not allow this' },
  already_exists: { status: 409, message: 'A resource with this identity already exists' },
  resync_required: { status: 409, message: 'The requested event position is no longer retained; fetch state again' },
  idempotency_conflict: { status: 409, message: 'This Idempotency-Key was used with another request' },
  idempotency_in_progress: { status: 409, message: 'A request with this Idempotency-Key is still in progress' },
  payload_too_large: { status: 413, message: 'The request body is too large' },
  uri_too_long: { status: 414, message: 'The request path is too long' },
  unsupported_media_type: { status: 415, message: 'The request content type is not supported' },
  validation_failed: { status: 422, message: 'The request is well-formed but a value is invalid' },
  configuration_invalid: {
    status: 422,
    message: 'The configuration to reload is invalid; the running configuration stays',
  },
  plan_limits_exceeded: { status: 422, message: 'Current usage exceeds the limits of the requested plan' },
  rate_limited: { status: 429, message: 'Too many requests; retry after the indicated delay' },
  headers_too_large: { status: 431, message: 'The request line or headers are too large' },
  internal: { status: 500, message: 'Internal error' },
  bad_gateway: { status: 502, message: 'An upstream service returned an invalid response' },
  provider_unavailable: { status: 503, message: 'No model provider is configured or reachable for this call' },
  telegram_not_configured: { status: 503, message: 'No Telegram bot is configured on this installation' },
  service_unavailable: { status: 503, message: 'A dependency is not configured or not reachable' },
  billing_not_configured: { status: 503, message: 'Payments are not configured on this server (STRIPE_SECRET_KEY)' },
  admission_paused: {
    status: 503,
    message: 'The platform operator paused admission of new runs and executions; reads are served',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorRegistry;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorRegistry, value);
}

export function statusOf(code: string | undefined): number {
  return isErrorCode(code) ? errorRegistry[code].status : 500;
}

export interface TrellisErrorOptions {
  /** The input field at fault, as a dotted path (`input.budgetMicros`). */
  field?: string;
  /** Extra machine-readable detail, safe to show to the caller. */
  details?: Record<string, unknown>;
  /** Seconds the caller should wait (429). */
  retryAfter?: number;
  /** The limit that was hit, for `RateLimit-Limit/Remaining/Reset` headers (429). */
  rateLimit?: RateLimitInfo;
  cause?: unknown;
}

export interface RateLimitInfo {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/**
 * The HTTP headers an error's extensions call for: `Retry-After` and
 * `RateLimit-Limit/Remaining/Reset`. One mapping for GraphQL and REST responses.
 */
export function errorHeaders(extensions: Record<string, unknown> | undefined): [string, string][] {
  const headers: [string, string][] = [];
  if (typeof extensions?.retryAfter === 'number')
    headers.push(['retry-after', String(Math.ceil(extensions.retryAfter))]);
  const limit = extensions?.rateLimit as Partial<RateLimitInfo> | undefined;
  if (limit?.limit !== undefined) headers.push(['ratelimit-limit', String(limit.limit)]);
  if (limit?.remaining !== undefined) headers.push(['ratelimit-remaining', String(limit.remaining)]);
  if (limit?.resetSeconds !== undefined) headers.push(['ratelimit-reset', String(Math.ceil(limit.resetSeconds))]);
  return headers;
}

/**
 * A GraphQLError whose `extensions.code` is a registry code, so the same object
 * serves GraphQL responses and the REST envelope without translation.
 */
export class TrellisError extends GraphQLError {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message?: string, options: TrellisErrorOptions = {}) {
    const extensions: Record<string, unknown> = { code };
    if (options.field) extensions.field = options.field;
    if (options.details) extensions.details = options.details;
    if (options.retryAfter !== undefined) extensions.retryAfter = options.retryAfter;
    if (options.rateLimit) extensions.rateLimit = options.rateLimit;
    super(message ?? errorRegistry[code].message, {
      extensions,
      originalError: options.cause instanceof Error ? options.cause : undefined,
    });
    this.name = 'TrellisError';
    this.code = code;
    this.status = errorRegistry[code].status;
  }
}

export const notFound = (what: string) => new TrellisError('not_found', `${what} not found`);
export const invalidField = (field: string, message: string) =>
  new TrellisError('validation_failed', message, { field });
export const conflict = (message: string) => new TrellisError('conflict', message);
