/**
 * The seed-001 envelope every `/v1` response wears:
 *   { meta: { request_id, trace_id, timestamp, status, version }, context: { principal_id,
 *     organization_id, team_id }, data, error: { code, message, field?, details? } | null, links }
 */
import { type ErrorCode, errorRegistry } from '../kernel/errors.ts';
import type { Principal } from '../kernel/principal.ts';
import type { RequestMeta } from '../kernel/request-meta.ts';

export const API_VERSION = '1.0';

export interface EnvelopeError {
  code: string;
  message: string;
  field?: string;
  details?: unknown;
}

export interface Envelope {
  meta: { request_id: string; trace_id: string; timestamp: string; status: number; version: string };
  context: { principal_id: string | null; organization_id: string | null; team_id: string | null };
  data: unknown;
  error: EnvelopeError | null;
  links: Record<string, string>;
}

/** A response as the adapter sends it (and as an Idempotency-Key replay sends it again). */
export interface RestResponse {
  status: number;
  headers: Record<string, string>;
  /** The serialized envelope; absent for 204. */
  body?: string;
}

export interface EnvelopeInput {
  meta: RequestMeta;
  status: number;
  principal?: Principal;
  organizationId?: string | null;
  data?: unknown;
  error?: EnvelopeError | null;
  links?: Record<string, string>;
}

export function envelope(input: EnvelopeInput): Envelope {
  const principal = input.principal;
  return {
    meta: {
      request_id: input.meta.requestId,
      trace_id: input.meta.traceId,
      timestamp: new Date().toISOString(),
      status: input.status,
      version: API_VERSION,
    },
    context: {
      principal_id: principal && principal.kind !== 'anonymous' ? principal.id : null,
      organization_id: input.organizationId ?? principal?.orgId ?? null,
      team_id: null,
    },
    data: input.error ? null : (input.data ?? null),
    error: input.error ?? null,
    links: input.links ?? {},
  };
}

export function errorEnvelope(
  meta: RequestMeta,
  code: ErrorCode,
  message?: string,
  extra: Partial<EnvelopeInput> & { field?: string; details?: unknown } = {},
): Envelope {
  const { field, details, ...rest } = extra;
  return envelope({
    ...rest,
    meta,
    status: errorRegistry[code].status,
    error: {
      code,
      message: message ?? errorRegistry[code].message,
      ...(field ? { field } : {}),
      ...(details !== undefined ? { details } : {}),
    },
  });
}
