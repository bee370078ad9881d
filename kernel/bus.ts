/**
 * Cross-process fan-out: Redis pub/sub when REDIS_URL is set, PostgreSQL
 * LISTEN/NOTIFY otherwise, in-memory for a single process with neither.
 * Messages are small JSON strings; the bus is best-effort and carries
 * notifications, never the only copy of anything (the event log and the
 * revocation log are durable).
 *
 * Health: a bus is healthy while its receiving connection is up. Messages
 * published while it was down are lost to this process, so consumers that
 * cache (the authenticator) stop trusting their cache when it goes down and
 * catch up from the durable copy when it comes back (`onHealthChange`).
 * Publishing never waits for a connection that is down: it fails at once.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

export type BusHandler = (message: string) => void;

export interface BusMessage {
  channel: string;
  message: string;
}

export interface MessageBus {
  readonly kind: 'redis' | 'postgres' | 'memory';
  publish(channel: string, message: string): Promise<void>;
  /** Publishes each message in order, in one round trip where the bus allows (an ingest batch's events). */
  publishAll(messages: readonly BusMessage[]): Promise<void>;
  /** Resolves once the subscription is active; the returned function unsubscribes. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  /** True while messages published elsewhere reach this process. */
  healthy(): boolean;
  /** Called on every transition (down, then up again once reconnected and resubscribed); returns an unsubscribe. */
  onHealthChange(listener: (healthy: boolean) => void): () => void;
  close(): Promise<void>;
}

/** Shared bookkeeping: one upstream subscription per channel, many local handlers, health transitions. */
abstract class FanOutBus {
  protected readonly local = new EventEmitter().setMaxListeners(0);
  readonly #counts = new Map<string, number>();
  readonly #health = new EventEmitter().setMaxListeners(0);
  #healthy = false;

  healthy(): boolean {
    return this.#healthy;
  }

  onHealthChange(listener: (healthy: boolean) => void): () => void {
    this.#health.on('change', listener);
    return () => this.#health.off('change', listener);
  }

  protected setHealthy(healthy: boolean): void {
    if (healthy === this.#healthy) return;
    this.#healthy = healthy;
    this.#health.emit('change', healthy);
  }

  /** Channels with at least one local handler (re-listened after a reconnect). */
  protected channels(): string[] {
    return [...this.#counts.keys()];
  }

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
  constructor() {
    super();
    this.setHealthy(true);
  }
  protected async listen(): Promise<void> {}
  protected async unlisten(): Promise<void> {}
  async publish(channel: string, message: string): Promise<void> {
    // Asynchronous like the real buses, so callers never depend on re-entrancy.
    queueMicrotask(() => this.deliver(channel, message));
  }
  async publishAll(messages: readonly BusMessage[]): Promise<void> {
    for (const { channel, message } of messages) await this.publish(channel, message);
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

  /**
   * Channels are namespaced `<prefix>:<channel>` so deployments can share a Redis server.
   * Publishing fails at once while Redis is down (no offline queue) or stalled (`commandTimeoutMs`);
   * the subscriber keeps its queue so subscriptions made during an outage start once it is back,
   * and ioredis resubscribes every channel on reconnect before `ready`.
   */
  constructor(url: string, prefix: string, logger: Logger, commandTimeoutMs = 1000) {
    super();
    this.#prefix = `${prefix}:`;
    this.#pub = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: commandTimeoutMs,
    });
    this.#sub = new Redis(url, { lazyConnect: false });
    let reported = false;
    for (const client of [this.#pub, this.#sub])
      client.on('error', (err) => {
        // One line per outage, not one per reconnection attempt.
        if (!reported) logger.warn({ err }, 'redis bus error');
        reported = true;
      });
    this.#sub.on('ready', () => {
      reported = false;
      // 'ready' fires before ioredis resubscribes: our own SUBSCRIBE queues behind its, so the bus is
      // reported up only once every channel is listened to again.
      const channels = this.channels().map((c) => this.#prefix + c);
      if (channels.length === 0) return this.setHealthy(true);
      this.#sub.subscribe(...channels).then(
        () => this.setHealthy(true),
        () => undefined, // the connection dropped again; the next 'ready' retries
      );
    });
    this.#sub.on('close', () => this.setHealthy(false));
    this.#sub.on('message', (channel: string, message: string) =>
      this.deliver(channel.slice(this.#prefix.length), message),
    );
  }
  protected async listen(channel: string): Promise<void> {
    await this.#sub.subscribe(this.#prefix + channel);
  }
  protected async unlisten(channel: string): Promise<void> {
    const unsubscribed = this.#sub.unsubscribe(this.#prefix + channel).catch(() => undefined);
    // While Redis is down the command waits for the reconnection; closing a feed must not.
    if (this.#sub.status === 'ready') await unsubscribed;
  }
  async publish(channel: string, message: string): Promise<void> {
    await this.#pub.publish(this.#prefix + channel, message);
  }
  async publishAll(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length <= 1) {
      if (messages[0]) await this.publish(messages[0].channel, messages[0].message);
      return;
    }
    // One pipeline: the batch leaves in one socket write (a write per PUBLISH was two syscalls per
    // AI call — bench/RESULTS.md, ai), and Redis runs the commands in order on this one connection.
    const pipeline = this.#pub.pipeline();
    for (const { channel, message } of messages) pipeline.publish(this.#prefix + channel, message);
    const results = (await pipeline.exec()) ?? [];
    const failure = results.find(([error]) => error)?.[0];
    if (failure) throw failure;
  }
  async close(): Promise<void> {
    this.local.removeAllListeners();
    await Promise.allSettled([quitRedis(this.#pub), quitRedis(this.#sub)]);
  }
}

/**
 * LISTEN/NOTIFY: channel names are hashed into identifiers; payloads must stay under 8000 bytes.
 * The listening connection is re-established after PostgreSQL restarts (every channel is listened
 * to again before the bus reports healthy); NOTIFYs sent meanwhile are lost, as on Redis.
 */
export class PostgresBus extends FanOutBus implements MessageBus {
  readonly kind = 'postgres' as const;
  readonly #url: string;
  readonly #logger: Logger;
  readonly #pool: pg.Pool;
  readonly #names = new Map<string, string>();
  #listener!: pg.Client;
  #connected!: Promise<void>;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #retryTimer?: NodeJS.Timeout;
  #attempt = 0;

  constructor(url: string, logger: Logger) {
    super();
    this.#url = url;
    this.#logger = logger;
    this.#pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5_000 });
    this.#pool.on('error', (err) => logger.warn({ err }, 'postgres bus pool error'));
    this.#connect();
  }

  /** A new listening connection; LISTENs every channel in use, then reports the bus healthy. */
  #connect(): void {
    const client = new pg.Client({ connectionString: this.#url, connectionTimeoutMillis: 5_000 });
    this.#listener = client;
    client.on('notification', (n) => {
      const channel = [...this.#names].find(([, id]) => id === n.channel)?.[0];
      if (channel && n.payload !== undefined) this.deliver(channel, n.payload);
    });
    let gone = false;
    const lost = (err?: Error) => {
      if (gone || this.#closed) return;
      gone = true;
      if (this.healthy() || this.#attempt === 0) this.#logger.warn({ err }, 'postgres bus connection lost');
      this.setHealthy(false);
      client.removeAllListeners('end');
      client.end().catch(() => undefined);
      const delay = Math.min(250 * 2 ** this.#attempt++, 5_000);
      this.#retryTimer = setTimeout(() => this.#connect(), delay);
      this.#retryTimer.unref();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    this.#connected = client.connect().then(
      async () => {
        for (const channel of this.channels()) await client.query(`listen "${this.#identifier(channel)}"`);
        this.#attempt = 0;
        this.setHealthy(true);
      },
      (err: Error) => lost(err),
    );
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
      // While reconnecting, the reconnection itself listens to every channel in use.
      if (this.healthy()) await this.#listener.query(sql);
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
  /** One statement: the rows of `unnest` are notified in array order, in one transaction (delivered in that order). */
  async publishAll(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (messages.length === 1)
      return this.publish((messages[0] as BusMessage).channel, (messages[0] as BusMessage).message);
    await this.#pool.query('select pg_notify(c, m) from unnest($1::text[], $2::text[]) as t(c, m)', [
      messages.map(({ channel }) => this.#identifier(channel)),
      messages.map(({ message }) => message),
    ]);
  }
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.local.removeAllListeners();
    await Promise.allSettled([this.#listener.end(), this.#pool.end()]);
  }
}

/** Closes an ioredis connection without waiting on a Redis that is down or stalled. */
export async function quitRedis(client: Redis): Promise<void> {
  if (client.status === 'ready')
    await Promise.race([client.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000))]);
  client.disconnect();
}

/** The process's message bus: Redis when configured, else PostgreSQL LISTEN/NOTIFY, else in memory. */
export function createBus(
  config: Pick<Config, 'redisUrl' | 'redisPrefix' | 'redisCommandTimeoutMs'>,
  logger: Logger,
  databaseUrl?: string,
): MessageBus {
  if (config.redisUrl) return new RedisBus(config.redisUrl, config.redisPrefix, logger, config.redisCommandTimeoutMs);
  if (databaseUrl) return new PostgresBus(databaseUrl, logger);
  return new InMemoryBus();
}
