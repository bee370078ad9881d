/**
 * Orderly shutdown on SIGINT/SIGTERM/SIGHUP: run the registered closers in reverse
 * start order (stop accepting, finish in-flight work, close pools, stop the
 * embedded database), then exit 0 — or 1 if the deadline passes first.
 */
import type { Logger } from './logger.ts';

export type Closer = { name: string; close(): Promise<void> };

/** A closer still running after this long is named in a warning (a hung close says where it hangs). */
const SLOW_CLOSE_MS = 10_000;

export class Lifecycle {
  readonly #closers: Closer[] = [];
  #closing?: Promise<void>;
  /** The closer running now, while `close()` is in progress. */
  #closingNow?: string;
  readonly #logger: Logger;
  readonly #timeoutMs: number;

  constructor(logger: Logger, timeoutMs: number) {
    this.#logger = logger;
    this.#timeoutMs = timeoutMs;
  }

  /** Registers something to close; the last registered closes first. */
  add(closer: Closer): void {
    this.#closers.push(closer);
  }

  /** The closer running now, while `close()` is in progress (for a caller whose deadline passed). */
  get closingNow(): string | undefined {
    return this.#closingNow;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const closer of [...this.#closers].reverse()) {
        const started = Date.now();
        this.#closingNow = closer.name;
        const slow = setTimeout(
          () => this.#logger.warn({ closer: closer.name, ms: Date.now() - started }, 'still closing'),
          SLOW_CLOSE_MS,
        );
        slow.unref();
        try {
          await closer.close();
          this.#logger.debug({ closer: closer.name, ms: Date.now() - started }, 'closed');
        } catch (error) {
          this.#logger.error({ err: error, closer: closer.name }, 'error while closing');
        } finally {
          clearTimeout(slow);
        }
      }
      this.#closingNow = undefined;
    })();
    return this.#closing;
  }

  /**
   * Exits the process after a clean close on SIGINT/SIGTERM, and on SIGHUP:
   * closing the terminal must not leave the embedded PostgreSQL (its own
   * process group, so it gets no SIGHUP) running. Ctrl-C under `npm start`
   * delivers the signal twice (terminal and npm), so only a signal arriving
   * more than a second after the first forces an exit.
   */
  handleSignals(): void {
    let firstSignalAt = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (firstSignalAt) {
        if (Date.now() - firstSignalAt < 1000) return;
        this.#logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      firstSignalAt = Date.now();
      this.#logger.info({ signal }, 'shutting down');
      const deadline = setTimeout(() => {
        this.#logger.error({ timeoutMs: this.#timeoutMs, closer: this.#closingNow }, 'shutdown deadline passed');
        process.exit(1);
      }, this.#timeoutMs);
      deadline.unref();
      this.close().then(() => {
        this.#logger.info('stopped cleanly');
        process.exit(0);
      });
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  }
}
