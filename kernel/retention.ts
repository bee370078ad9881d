/**
 * Retention of the kernel's tables in every subgraph schema (docs/events.md): without it they only
 * grow — every model call leaves rows in governance's and compute's outboxes, tens of millions a day
 * at 200 calls a second, and every consumed event a row in its consumer's `consumed_events`.
 *
 * - `outbox`: a row the event log acknowledged more than TRELLIS_OUTBOX_RETENTION_HOURS ago (the log
 *   is the record, with its own retention). A pending row is never removed, however old.
 * - `consumed_events`: the exactly-once record of a consumed event, a day longer than the log keeps
 *   events (TRELLIS_EVENT_RETENTION_DAYS): an event no longer in the log cannot be delivered again.
 *
 * One WorkerLoop per subgraph, beside its outbox relay (never in a delivery's way): a pass every
 * minute removes up to a chunk of each, oldest first by index, and repeats at once while a chunk
 * came back full.
 */
import type { Orm } from './database.ts';
import { encodeTime } from './ids.ts';
import type { Logger } from './logger.ts';
import type { Platform } from './platform.ts';
import { WorkerLoop } from './worker-loop.ts';

/** Rows per statement: short transactions, a pass repeats while chunks come back full. */
export const RETENTION_CHUNK = 1000;
const EVERY_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * The id bound ends the primary-key scan at the cutoff (ids are time-ordered, kernel/ids.ts) instead
 * of walking every row kept; the delivered_at test keeps what is pending and what was delivered later.
 */
const PRUNE_OUTBOX = `delete from outbox where id in (
    select id from outbox where id < ? and delivered_at < clock_timestamp() - (? * interval '1 hour')
     order by id limit ?)`;
const PRUNE_CONSUMED = `delete from consumed_events where (consumer, event_id) in (
    select consumer, event_id from consumed_events where consumed_at < clock_timestamp() - (? * interval '1 day')
     order by consumed_at limit ?)`;

export interface RetentionPass {
  outbox: number;
  consumedEvents: number;
}

export class KernelRetention {
  readonly name: string;
  readonly #orm: Orm;
  readonly #platform: Platform;
  readonly #loop: WorkerLoop;

  constructor(options: { name: string; orm: Orm; platform: Platform; logger: Logger }) {
    this.name = `retention:${options.name}`;
    this.#orm = options.orm;
    this.#platform = options.platform;
    this.#loop = new WorkerLoop({
      name: this.name,
      logger: options.logger.child({ worker: 'retention' }),
      pollMs: EVERY_MS,
      maxBackoffMs: options.platform.config.outbox.maxBackoffMs,
      pass: async () => {
        const removed = await this.pruneOnce();
        return { again: removed.outbox >= RETENTION_CHUNK || removed.consumedEvents >= RETENTION_CHUNK };
      },
    });
  }

  start(): this {
    this.#loop.start();
    return this;
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Removes up to a chunk of each table's expired rows; answers how many. The loop calls it; so can tests. */
  async pruneOnce(now = Date.now()): Promise<RetentionPass> {
    const hours = this.#platform.config.outbox.retentionHours;
    const connection = this.#orm.em.fork().getConnection();
    const removed = async (query: string, params: unknown[]) =>
      ((await connection.execute(query, params, 'run')) as { affectedRows?: number }).affectedRows ?? 0;
    return {
      outbox: await removed(PRUNE_OUTBOX, [`evt_${encodeTime(now - hours * HOUR_MS)}`, hours, RETENTION_CHUNK]),
      consumedEvents: await removed(PRUNE_CONSUMED, [this.#platform.config.events.retentionDays + 1, RETENTION_CHUNK]),
    };
  }
}
