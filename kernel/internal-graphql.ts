/**
 * One Trellis service calling another's internal GraphQL fields (credential
 * resolution, event ingestion, event-log reads) as a signed service principal,
 * with a deadline so a hung peer fails the call instead of stalling it.
 *
 * A target in this process (all-in-one) runs the operation from values: the caller
 * builds the variables and only reads the answer, so the JSON text each way (and
 * the fake request around it) would be work for nothing, and so would sealing the
 * principal for a hop that stays in the process: it goes as a value
 * (`principalInProcess`), which the subgraph accepts only from this process.
 */
import { PRINCIPAL_HEADER, principalInProcess, servicePrincipal, signPrincipal } from './principal.ts';
import type { InProcessFetch } from './subgraph.ts';

export interface InternalGraphQLTarget {
  url: string;
  secret: string;
  /** Who is calling: signed as `svc_<service>`. */
  service: string;
  /** An in-process transport to the target (all-in-one; its `operation` when it has one); global fetch otherwise. */
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
  if (target.fetch?.operation)
    return withDeadline(
      target.fetch.operation(principalInProcess(servicePrincipal(target.service)), {
        query,
        variables,
      }) as Promise<InternalGraphQLResult<T>>,
      target.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
  const principal = signPrincipal(target.secret, servicePrincipal(target.service));
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: principal },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(target.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  };
  const response = await (target.fetch ? target.fetch(target.url, init) : fetch(target.url, init));
  const body = (await response.json().catch(() => ({}))) as Omit<InternalGraphQLResult<T>, 'status'>;
  return { ...body, status: response.status };
}

/** The in-process call's deadline: it rejects as fetch's timeout would (the work itself cannot be cancelled). */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
