/**
 * The background worker loop: run a pass, then sleep until the pass says when
 * work is next due (or the poll interval), unless woken. A pass that throws is
 * logged and retried with exponential backoff. Workers that poll the database
 * (event consumer delivery, …) are a `pass` function on this loop, so waking,
 * stopping and backoff behave the same everywhere — and so does yielding: a
 * pass waits, boundedly, for the requests the process is answering
 * (kernel/foreground.ts).
 */
import { requestsAnswered } from './foreground.ts';
import type { Logger } from './logger.ts';

export interface PassResult {
  /** More work is ready now: run the next pass without sleeping. */
  again?: boolean;
  /** When the earliest pending work is due (ms); the loop sleeps at most `maxWaitMs`. */
  waitMs?: number;
}

export interface WorkerLoopOptions {
  name: string;
  logger: Logger;
  pollMs: number;
  /** Longest sleep a pass's `waitMs` may ask for (default `pollMs`: the poll bounds every sleep). */
  maxWaitMs?: number;
  maxBackoffMs: number;
  /**
   * A wake runs the next pass this much later (0: at once) — a wake while the loop sleeps, and one
   * during a pass alike — so the work of the wakes that follow within it is done by one pass (the
   * outbox relay: one delivery for many calls).
   */
  wakeDelayMs?: number;
  pass: () => Promise<PassResult>;
}

/** 250 ms × 2ⁿ with ±20 % jitter, capped: the one retry schedule of the kernel's workers. */
export function backoffMs(attempts: number, maxBackoffMs: number): number {
  const base = Math.min(maxBackoffMs, 250 * 2 ** Math.min(Math.max(attempts, 0), 20));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export class WorkerLoop {
  readonly name: string;
  readonly #options: WorkerLoopOptions;
  #stopped = false;
  #wakeRequested = false;
  #loop?: Promise<void>;
  #wakeSleep?: () => void;
  #wakeTimer?: NodeJS.Timeout;

  constructor(options: WorkerLoopOptions) {
    this.name = options.name;
    this.#options = options;
  }

  start(): this {
    this.#loop ??= this.#run();
    return this;
  }

  /** Run a pass now rather than at the next poll (or once more right after the pass in progress). */
  wake(): void {
    this.#wakeRequested = true;
    const delay = this.#options.wakeDelayMs ?? 0;
    if (delay <= 0) this.#wakeSleep?.();
    // The timer belongs to the sleep in progress: a sleep that ends clears it.
    else if (this.#wakeSleep && !this.#wakeTimer) this.#wakeTimer = setTimeout(() => this.#wakeSleep?.(), delay);
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeSleep?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    let consecutiveErrors = 0;
    while (!this.#stopped) {
      const { pollMs, maxBackoffMs, maxWaitMs = pollMs } = this.#options;
      let waitMs = pollMs;
      this.#wakeRequested = false;
      // Requests first: the pass waits (boundedly) for those this process is answering.
      const answered = requestsAnswered();
      if (answered) await answered;
      if (this.#stopped) break;
      try {
        const result = await this.#options.pass();
        consecutiveErrors = 0;
        if (result.again) continue;
        if (result.waitMs !== undefined) waitMs = Math.max(10, Math.min(result.waitMs, maxWaitMs));
      } catch (error) {
        consecutiveErrors++;
        if (!this.#stopped) this.#options.logger.warn({ err: error, worker: this.name }, 'worker pass failed');
        waitMs = backoffMs(consecutiveErrors, maxBackoffMs);
      }
      if (this.#stopped) break;
      // Woken during the pass (work it could not see yet): go again once the wake delay has passed
      // (at once without one), so under steady load the passes also come at most one per delay and
      // each serves every wake of its window — not one pass per commit as fast as they complete.
      const wakeDelayMs = this.#options.wakeDelayMs ?? 0;
      if (!this.#wakeRequested || consecutiveErrors > 0) await this.#sleep(waitMs);
      else if (wakeDelayMs > 0) await this.#sleep(wakeDelayMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        clearTimeout(this.#wakeTimer);
        this.#wakeTimer = undefined;
        this.#wakeSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakeSleep = done;
    });
  }
}
