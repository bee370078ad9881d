/**
 * One formatter for GraphQL errors everywhere (gateway and subgraphs): every
 * error leaves with a registry code in `extensions.code`; an unreachable
 * dependency (kernel/unavailable.ts) is `service_unavailable` with
 * `retryAfter`, logged once as a warning; anything else unexpected is logged
 * and replaced by a generic `internal` error so internals never leak.
 */
import { HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { type ErrorCode, errorHeaders, errorRegistry, isErrorCode, TrellisError } from './errors.ts';
import type { Logger } from './logger.ts';
import { isUnavailable, serviceUnavailable } from './unavailable.ts';

const APOLLO_CODES: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'invalid_query',
  GRAPHQL_VALIDATION_FAILED: 'invalid_query',
  OPERATION_RESOLUTION_FAILURE: 'invalid_query',
  BAD_REQUEST: 'invalid_request',
  BAD_USER_INPUT: 'invalid_request',
  PERSISTED_QUERY_NOT_FOUND: 'invalid_request',
  PERSISTED_QUERY_NOT_SUPPORTED: 'invalid_request',
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
};

/**
 * A PostgreSQL data exception (SQLSTATE class 22: invalid text representation, string too long,
 * numeric out of range…), as pg or MikroORM raise it, but not division by zero (a bug, not input).
 */
function isDataException(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, hops = 0; e && hops < 4; hops++) {
    if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code)) return e.code !== '22012';
    e = e.cause as typeof e;
  }
  return false;
}

export function createErrorFormatter(logger: Logger, exposeStack: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const { stacktrace, ...extensions } = formatted.extensions ?? {};
    // A client mistake carries no stack trace, even in development: it only shows where it was refused.
    const keep = (finalCode: ErrorCode, message = formatted.message): GraphQLFormattedError => ({
      ...formatted,
      message,
      extensions: { ...extensions, code: finalCode },
    });
    if (isErrorCode(code)) return keep(code);
    // Apollo re-wraps validation errors with its own code; our rules' errors keep theirs.
    // (Duck-typed: Apollo may hold another copy of graphql-js, so instanceof is unreliable.)
    const original = (error as { originalError?: { name?: string; code?: unknown } } | null)?.originalError;
    if (original?.name === 'TrellisError' && isErrorCode(original.code)) return keep(original.code);
    if (code === 'GRAPHQL_PARSE_FAILED' && formatted.message.includes('tokens. Parsing aborted'))
      return keep('query_too_complex');
    if (code === 'BAD_REQUEST' && formatted.message.includes('Cross-Site Request Forgery'))
      return keep('csrf_rejected');
    const mapped = typeof code === 'string' ? APOLLO_CODES[code] : undefined;
    if (mapped) return keep(mapped);
    if (isUnavailable(error)) {
      const unavailable = serviceUnavailable();
      logger.warn({ err: unwrapResolverError(error), path: formatted.path }, 'dependency unavailable');
      return {
        message: unavailable.message,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { ...unavailable.extensions },
      };
    }
    // Defence in depth, not the fix: input is validated at the edge (kernel/json-limits.ts, the gateway's
    // scalars) and by each resolver; a value the database still refuses as data is the client's 422,
    // logged so the missing check gets added.
    if (isDataException(unwrapResolverError(error))) {
      logger.warn({ err: unwrapResolverError(error), path: formatted.path }, 'database refused a value as data');
      return {
        message: errorRegistry.validation_failed.message,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'validation_failed' },
      };
    }
    logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected GraphQL error');
    return {
      message: errorRegistry.internal.message,
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: 'internal', ...(exposeStack && stacktrace ? { stacktrace } : {}) },
    };
  };
}

/** Converts an edge failure into the GraphQLError shape Apollo turns into an HTTP status (and headers). */
export function toHttpGraphQLError(error: unknown): GraphQLError {
  if (!(error instanceof TrellisError)) return error as GraphQLError;
  const headers = new HeaderMap(errorHeaders(error.extensions));
  return new GraphQLError(error.message, {
    extensions: { ...error.extensions, http: { status: error.status, headers } },
  });
}
