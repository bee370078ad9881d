/**
 * The promises of work still running, so a stop can wait for them as a server's close waits for its
 * requests: a subgraph's in-process calls (they skip its HTTP server), the pipelines driver's advances.
 */
export class InFlight {
  readonly #running = new Set<Promise<unknown>>();

  /** Counts `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    const forget = () => this.#running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves once nothing tracked is running, including work tracked while waiting. */
  async drained(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
