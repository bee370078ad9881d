/**
 * Cross-process fan-out: Redis pub/sub when REDIS_URL is set, PostgreSQL
 * LISTEN/NOTIFY otherwise, in-memory for a single process with neither.
 * Messages are small JSON strings; the bus is best-effort and carries
 * notifications, never the only copy of anything (the event log is durable).
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Logger } from './logger.ts';

export type BusHandler = (message: string) => void;

export interface MessageBus {
  readonly kind: 'redis' | 'postgres' | 'memory';
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active; the returned function unsubscribes. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Shared bookkeeping: one upstream subscription per channel, many local handlers. */
abstract class FanOutBus {
  protected readonly local = new EventEmitter().setMaxListeners(0);
  readonly #counts = new Map<string, number>();

  protected abstract listen(channel: string): Promise<void>;
  protected abstract unlisten(channel: string): Promise<void>;

  protected deliver(channel: string, message: string): void {
    this.local.emit(channel, message);
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    const count = this.#counts.get(channel) ?? 0;
    this.#counts.set(channel, count + 1);
    this.local.on(channel, handler);
    if (count === 0) await this.listen(channel);
    let active = true;
    return async () => {
      if (!active) return;
      active = false;
      this.local.off(channel, handler);
      const remaining = (this.#counts.get(channel) ?? 1) - 1;
      if (remaining === 0) {
        this.#counts.delete(channel);
        await this.unlisten(channel);
      } else this.#counts.set(channel, remaining);
    };
  }
}

export class InMemoryBus extends FanOutBus implements MessageBus {
  readonly kind = 'memory' as const;
  protected async listen(): Promise<void> {}
  protected async unlisten(): Promise<void> {}
  async publish(channel: string, message: string): Promise<void> {
    // Asynchronous like the real buses, so callers never depend on re-entrancy.
    queueMicrotask(() => this.deliver(channel, message));
  }
  async close(): Promise<void> {
    this.local.removeAllListeners();
  }
}

export class RedisBus extends FanOutBus implements MessageBus {
  readonly kind = 'redis' as const;
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #prefix: string;

  /** Channels are namespaced `<prefix>:<channel>` so deployments can share a Redis server. */
  constructor(url: string, prefix: string, logger: Logger) {
    super();
    this.#prefix = `${prefix}:`;
    this.#pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.#sub = new Redis(url, { lazyConnect: false });
    for (const client of [this.#pub, this.#sub]) client.on('error', (err) => logger.warn({ err }, 'redis bus error'));
    this.#sub.on('message', (channel: string, message: string) =>
      this.deliver(channel.slice(this.#prefix.length), message),
    );
  }
  protected async listen(channel: string): Promise<void> {
    await this.#sub.subscribe(this.#prefix + channel);
  }
  protected async unlisten(channel: string): Promise<void> {
    await this.#sub.unsubscribe(this.#prefix + channel);
  }
  async publish(channel: string, message: string): Promise<void> {
    await this.#pub.publish(this.#prefix + channel, message);
  }
  async close(): Promise<void> {
    this.local.removeAllListeners();
    await Promise.allSettled([this.#pub.quit(), this.#sub.quit()]);
  }
}

/** LISTEN/NOTIFY: channel names are hashed into identifiers; payloads must stay under 8000 bytes. */
export class PostgresBus extends FanOutBus implements MessageBus {
  readonly kind = 'postgres' as const;
  readonly #listener: pg.Client;
  readonly #pool: pg.Pool;
  readonly #names = new Map<string, string>();
  #connected: Promise<void>;
  #queue: Promise<void> = Promise.resolve();

  constructor(url: string, logger: Logger) {
    super();
    this.#listener = new pg.Client({ connectionString: url });
    this.#pool = new pg.Pool({ connectionString: url, max: 4 });
    this.#listener.on('error', (err) => logger.warn({ err }, 'postgres bus listener error'));
    this.#pool.on('error', (err) => logger.warn({ err }, 'postgres bus pool error'));
    this.#listener.on('notification', (n) => {
      const channel = [...this.#names].find(([, id]) => id === n.channel)?.[0];
      if (channel && n.payload !== undefined) this.deliver(channel, n.payload);
    });
    this.#connected = this.#listener.connect().then(() => undefined);
  }

  #identifier(channel: string): string {
    let id = this.#names.get(channel);
    if (!id) {
      id = `trellis_${createHash('sha256').update(channel).digest('hex').slice(0, 40)}`;
      this.#names.set(channel, id);
    }
    return id;
  }
  /** One query at a time on the listening connection: pg does not queue concurrent queries safely. */
  #serially(sql: string): Promise<void> {
    const run = this.#queue.then(async () => {
      await this.#connected;
      await this.#listener.query(sql);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  protected listen(channel: string): Promise<void> {
    return this.#serially(`listen "${this.#identifier(channel)}"`);
  }
  protected unlisten(channel: string): Promise<void> {
    return this.#serially(`unlisten "${this.#identifier(channel)}"`);
  }
  async publish(channel: string, message: string): Promise<void> {
    await this.#pool.query('select pg_notify($1, $2)', [this.#identifier(channel), message]);
  }
  async close(): Promise<void> {
    this.local.removeAllListeners();
    await Promise.allSettled([this.#listener.end(), this.#pool.end()]);
  }
}
