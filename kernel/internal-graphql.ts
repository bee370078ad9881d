/**
 * One Trellis service calling another's internal GraphQL fields (credential
 * resolution, event ingestion, event-log reads) as a signed service principal,
 * with a deadline so a hung peer fails the call instead of stalling it.
 */
import { PRINCIPAL_HEADER, servicePrincipal, signPrincipal } from './principal.ts';
import type { InProcessFetch } from './subgraph.ts';

export interface InternalGraphQLTarget {
  url: string;
  secret: string;
  /** Who is calling: signed as `svc_<service>`. */
  service: string;
  /** An in-process transport to the target (all-in-one); global fetch otherwise. */
  fetch?: InProcessFetch;
  timeoutMs?: number;
}

export interface InternalGraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Rejects on a transport failure or timeout; GraphQL errors come back in the result. */
export async function internalGraphQL<T>(
  target: InternalGraphQLTarget,
  query: string,
  variables: Record<string, unknown>,
): Promise<InternalGraphQLResult<T>> {
  const init = {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [PRINCIPAL_HEADER]: signPrincipal(target.secret, servicePrincipal(target.service)),
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(target.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  };
  const response = await (target.fetch ? target.fetch(target.url, init) : fetch(target.url, init));
  const body = (await response.json().catch(() => ({}))) as Omit<InternalGraphQLResult<T>, 'status'>;
  return { ...body, status: response.status };
}
