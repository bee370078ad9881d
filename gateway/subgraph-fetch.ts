/**
 * How the gateway reaches a subgraph: the in-process transport (all-in-one)
 * or global fetch, with a deadline (TRELLIS_SUBGRAPH_TIMEOUT_MS) on every
 * request. A subgraph that hangs fails the call with a TimeoutError, which
 * the error formatter reports as 503 `service_unavailable` like a refused
 * connection (kernel/unavailable.ts), instead of holding the client forever.
 */
import type { InProcessFetch } from '../kernel/subgraph.ts';

type FetchInit = Parameters<InProcessFetch>[1] & { signal?: AbortSignal };

/** A fetcher for `RemoteGraphQLDataSource` that gives up after `timeoutMs`. */
/** `timeoutMs` may be a function: read on every request, so a configuration reload applies to the next one. */
export function subgraphFetcher(timeoutMs: number | (() => number), transport?: InProcessFetch) {
  const send = (transport ?? fetch) as (url: string, init?: FetchInit) => Promise<Response>;
  const deadlineMs = typeof timeoutMs === 'function' ? timeoutMs : () => timeoutMs;
  return (url: string, init: FetchInit = {}): Promise<Response> => {
    const signal = AbortSignal.timeout(deadlineMs());
    // The race also bounds the in-process transport, which does not observe the signal.
    const deadline = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
    );
    return Promise.race([send(url, { ...init, signal }), deadline]);
  };
}
