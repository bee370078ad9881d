/**
 * Retention: removes events recorded more than TRELLIS_EVENT_RETENTION_DAYS
 * ago (and finished webhook deliveries as old), once shortly after start and
 * then hourly. Per organization it remembers the newest sequence removed, so
 * a consumer resuming from before it is told to resync rather than silently
 * missing events.
 */
import type { Orm } from '../../kernel/database.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { Platform } from '../../kernel/platform.ts';
import { EventLogService } from './log.ts';

const FIRST_RUN_MS = 30_000;
const INTERVAL_MS = 60 * 60 * 1000;

export class RetentionWorker {
  readonly name = 'event-retention';
  readonly #orm: Orm;
  readonly #platform: Platform;
  readonly #logger: Logger;
  #timer?: NodeJS.Timeout;
  #running?: Promise<unknown>;

  constructor(orm: Orm, platform: Platform, logger: Logger) {
    this.#orm = orm;
    this.#platform = platform;
    this.#logger = logger.child({ worker: 'event-retention' });
  }

  start(): this {
    const schedule = (ms: number) => {
      this.#timer = setTimeout(async () => {
        this.#running = this.runOnce().catch((err) => this.#logger.warn({ err }, 'event retention pass failed'));
        await this.#running;
        schedule(INTERVAL_MS);
      }, ms);
      this.#timer.unref();
    };
    schedule(FIRST_RUN_MS);
    return this;
  }

  /** One pass; returns the number of events removed. */
  async runOnce(): Promise<number> {
    const log = new EventLogService(this.#orm.em.fork(), this.#platform);
    const removed = await log.prune(this.#platform.config.events.retentionDays);
    if (removed > 0) this.#logger.info({ removed }, 'expired events removed');
    return removed;
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#running;
  }
}
