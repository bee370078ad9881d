/**
 * The infrastructure a process shares between its services: configuration,
 * logger, secrets, Redis and the message bus. Built once in `main()` and passed
 * down explicitly; nothing here is a module-level singleton.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createBus, type MessageBus, quitRedis } from './bus.ts';
import { type Config, type ConfigReload, reloadConfig } from './config.ts';
import { setBackgroundYield } from './foreground.ts';
import { lowerGcThreadPriority } from './gc-threads.ts';
import type { DependencyCheck } from './http-service.ts';
import type { Logger } from './logger.ts';
import { createMailTransport, type MailTransport } from './mail.ts';
import { SecretBox } from './secrets.ts';

/** What a configuration reload changed (variable names only: values may be secrets). */
export type ConfigChanges = Omit<ConfigReload, 'config'>;

export interface Platform {
  /** The running configuration: the one validated at start, with reloaded changes applied. */
  readonly config: Config;
  /**
   * Re-reads and re-validates the configuration (`reloadConfig`) and applies the reloadable
   * changes in place (the log level at once; the rest is read on every use). Throws ConfigError
   * when the new configuration is invalid: the running one stays.
   */
  reloadConfiguration(): ConfigChanges;
  logger: Logger;
  /** Root of the internal keys (kernel/internal-keys.ts): principals, event payload envelopes. */
  internalSecret: string;
  /** Seals secrets that must be shown again (HMAC keys, webhook secrets). */
  secretBox: SecretBox;
  bus: MessageBus;
  /** Outgoing email: SMTP, or the local mail log outside production (kernel/mail.ts). */
  mail: MailTransport;
  /**
   * Shared command connection for rate limits and caches, when REDIS_URL is set. It never queues
   * or waits: while Redis is down or stalled a command fails within TRELLIS_REDIS_COMMAND_TIMEOUT_MS
   * and callers fall back (rate limits count in memory).
   */
  redis?: Redis;
  /** The platform's PostgreSQL (`DATABASE_URL`, or the embedded one), when this process has one. */
  databaseUrl?: string;
  close(): Promise<void>;
}

interface LocalSecrets {
  encryptionKey: string;
}

/**
 * Without TRELLIS_ENCRYPTION_KEY (development only; production refuses to start)
 * the key is generated once and kept beside the embedded database, so sealed
 * data stays readable across restarts.
 */
async function localEncryptionKey(dataDir: string): Promise<string> {
  const file = path.resolve(dataDir, 'secrets.json');
  if (existsSync(file)) return (JSON.parse(await readFile(file, 'utf8')) as LocalSecrets).encryptionKey;
  await mkdir(path.dirname(file), { recursive: true });
  const secrets: LocalSecrets = { encryptionKey: randomBytes(32).toString('hex') };
  await writeFile(file, JSON.stringify(secrets), { mode: 0o600, flag: 'wx' });
  return secrets.encryptionKey;
}

export async function createPlatform(config: Config, logger: Logger, databaseUrl?: string): Promise<Platform> {
  const internalSecret = config.internalSecret ?? randomBytes(32).toString('hex');
  const encryptionKey = config.encryptionKey ?? (await localEncryptionKey(config.database.dataDir));
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: config.redisCommandTimeoutMs,
      })
    : undefined;
  let reported = false;
  redis?.on('error', (err) => {
    // One line per outage, not one per reconnection attempt.
    if (!reported) logger.warn({ err }, 'redis error');
    reported = true;
  });
  redis?.on('ready', () => {
    reported = false;
  });
  const bus = createBus(config, logger, databaseUrl);
  const mail = createMailTransport(config, logger);
  // Process-wide settings, applied by every service as it creates its platform (a second call changes nothing).
  setBackgroundYield(config.background.yieldMs);
  lowerGcThreadPriority(config.gcThreadNice);
  let current = config;
  return {
    get config() {
      return current;
    },
    reloadConfiguration() {
      const { config: next, ...changes } = reloadConfig(current);
      current = next;
      // Child loggers follow their root's level.
      logger.level = next.logLevel;
      if (changes.changed.length) logger.info(changes, 'configuration reloaded');
      return changes;
    },
    logger,
    internalSecret,
    secretBox: new SecretBox(encryptionKey),
    bus,
    mail,
    redis,
    databaseUrl,
    async close() {
      mail.close();
      await bus.close();
      if (redis) await quitRedis(redis);
    },
  };
}

/** Redis and the bus: reported by every process's readiness, never required for it (each can serve without). */
export function platformDependencies(platform: Pick<Platform, 'redis' | 'bus'>): DependencyCheck[] {
  return [
    ...(platform.redis ? [{ name: 'redis', check: async () => void (await platform.redis?.ping()) }] : []),
    {
      name: 'bus',
      check: async () => {
        if (!platform.bus.healthy()) throw new Error(`${platform.bus.kind} bus disconnected`);
      },
    },
  ];
}
