/**
 * Requests first: a background pass waits for the requests this process is answering.
 *
 * One event loop runs a process's requests and its background workers (outbox relays, event
 * consumers, webhook and notification delivery, sweepers: every `WorkerLoop`). A pass that starts
 * while a request waits for its next turn — its reservation answered, its upstream's first bytes
 * arrived — puts the pass's CPU and its socket writes (each one wakes another process) in the
 * request's way: at 50 streamed model calls a second, passes run as each call's events are relayed,
 * and they cost the next call's time to first token about 1.5 ms at p50 (bench/RESULTS.md, ai).
 *
 * So a pass waits until no request is in flight, but never longer than TRELLIS_BACKGROUND_YIELD_MS:
 * between requests it runs at once; under steady load it runs at that bound, with the batch that grew
 * meanwhile; a request that itself waits for background work (an event to be relayed) waits at most
 * that much longer. A request counts until its response's head is written: a stream (SSE) that has
 * started does not hold passes back for as long as it stays open.
 *
 * Process-wide on purpose: what requests and workers share is the process's one event loop, whichever
 * platform in the process they belong to.
 */

/** What the tracker needs of a response: whether its head has been written. */
interface ResponseHead {
  readonly headersSent: boolean;
}

const inFlight = new Set<ResponseHead>();
const waiters = new Set<() => void>();
let yieldMs = 0;

/** The longest a background pass waits for requests in flight (TRELLIS_BACKGROUND_YIELD_MS; 0: never). */
export function setBackgroundYield(ms: number): void {
  yieldMs = ms;
}

/**
 * Whether a request still holds passes back: in flight, and its response not begun. A begun one is
 * dropped as it is met (it never counts again, and its close finds nothing to do), so open streams
 * are looked at once, not on every check.
 */
function waitingForRequests(): boolean {
  for (const response of inFlight) {
    if (!response.headersSent) return true;
    inFlight.delete(response);
  }
  return false;
}

/**
 * Counts a request in flight until the function returned is called (once it is answered or its
 * connection closed; calling it again does nothing).
 */
export function requestStarted(response: ResponseHead): () => void {
  inFlight.add(response);
  return () => {
    if (!inFlight.delete(response) || waiters.size === 0 || waitingForRequests()) return;
    for (const release of waiters) release();
  };
}

/**
 * Resolves when no request holds passes back, or after the yield bound, whichever comes first;
 * undefined (nothing to wait for) when none does now or the bound is 0.
 */
export function requestsAnswered(): Promise<void> | undefined {
  if (yieldMs <= 0 || inFlight.size === 0 || !waitingForRequests()) return undefined;
  return new Promise((resolve) => {
    const release = () => {
      clearTimeout(timer);
      waiters.delete(release);
      resolve();
    };
    const timer = setTimeout(release, yieldMs);
    waiters.add(release);
  });
}
