/**
 * Configuration: read from the environment once at start-up, validated as a
 * whole (every problem reported together), then frozen. Every variable here is
 * documented in the README's configuration table; a test keeps the two in step.
 */
import { z } from 'zod';

export const SERVICE_NAMES = ['identity', 'governance', 'compute', 'billing', 'events'] as const;
export type SubgraphName = (typeof SERVICE_NAMES)[number];

/** A boolean flag; unset stays `undefined` so defaults can depend on NODE_ENV. */
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1' || v === 'yes'));
const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const port = (fallback: number) => int(fallback, 0, 65535);
const url = z.url().optional();

const DEFAULT_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4000,
  identity: 4001,
  governance: 4002,
  compute: 4003,
  billing: 4004,
  events: 4005,
};

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  TRELLIS_HOST: z.string().min(1).default('127.0.0.1'),
  TRELLIS_PORT: port(DEFAULT_PORTS.gateway),
  TRELLIS_IDENTITY_PORT: port(DEFAULT_PORTS.identity),
  TRELLIS_GOVERNANCE_PORT: port(DEFAULT_PORTS.governance),
  TRELLIS_COMPUTE_PORT: port(DEFAULT_PORTS.compute),
  TRELLIS_BILLING_PORT: port(DEFAULT_PORTS.billing),
  TRELLIS_EVENTS_PORT: port(DEFAULT_PORTS.events),
  TRELLIS_IDENTITY_URL: url,
  TRELLIS_GOVERNANCE_URL: url,
  TRELLIS_COMPUTE_URL: url,
  TRELLIS_BILLING_URL: url,
  TRELLIS_EVENTS_URL: url,
  DATABASE_URL: url,
  TRELLIS_IDENTITY_DATABASE_URL: url,
  TRELLIS_GOVERNANCE_DATABASE_URL: url,
  TRELLIS_COMPUTE_DATABASE_URL: url,
  TRELLIS_BILLING_DATABASE_URL: url,
  TRELLIS_EVENTS_DATABASE_URL: url,
  TRELLIS_DB_POOL_MAX: int(10, 1, 200),
  TRELLIS_DATA_DIR: z.string().min(1).default('.data'),
  TRELLIS_EMBEDDED_PG_PORT: port(0),
  REDIS_URL: url,
  TRELLIS_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/)
    .default('trellis'),
  TRELLIS_INTERNAL_SECRET: z.string().min(32).optional(),
  TRELLIS_ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)')
    .optional(),
  TRELLIS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRELLIS_INTROSPECTION: flag,
  TRELLIS_MAX_QUERY_DEPTH: int(12, 1, 100),
  TRELLIS_MAX_QUERY_COST: int(20000, 1),
  TRELLIS_MAX_QUERY_ALIASES: int(30, 1),
  TRELLIS_MAX_QUERY_TOKENS: int(5000, 10),
  TRELLIS_MAX_BODY_BYTES: int(1_048_576, 1024),
  TRELLIS_REST_MODE: z.enum(['embedded', 'standalone', 'off']).default('embedded'),
  TRELLIS_REST_PORT: port(4010),
  TRELLIS_REST_GATEWAY_URL: url,
  TRELLIS_HMAC_REQUIRED: flag,
  TRELLIS_HMAC_MAX_AGE_SECONDS: int(300, 1, 86400),
  TRELLIS_AUTH_CACHE_TTL_MS: int(30_000, 0, 600_000),
  TRELLIS_SESSION_TTL_HOURS: int(24 * 7, 1, 24 * 365),
  TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE: int(1200, 1),
  TRELLIS_RATE_LIMIT_AUTH_PER_15_MINUTES: int(10, 1),
  TRELLIS_EVENT_RETENTION_DAYS: int(30, 1, 3650),
  TRELLIS_WEBHOOK_RETRY_SCHEDULE_SECONDS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be comma-separated seconds, e.g. 10,60,300')
    .default('10,60,300'),
  TRELLIS_WEBHOOK_TIMEOUT_MS: int(10_000, 100, 120_000),
  TRELLIS_WEBHOOK_MAX_CONSECUTIVE_FAILURES: int(15, 1),
  TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: flag,
  TRELLIS_SHUTDOWN_TIMEOUT_MS: int(10_000, 0, 120_000),
});

export type RawEnv = Record<string, string | undefined>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Every variable the configuration reads (the README table and the compose test check against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export type Config = ReturnType<typeof buildConfig>;

export interface LoadOptions {
  /** The all-in-one process may generate secrets it does not share with anyone. */
  allInOne?: boolean;
}

export function loadConfig(env: RawEnv = process.env, options: LoadOptions = {}): Config {
  // Empty strings are treated as unset, so `FOO=` in a compose file means "default".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.TRELLIS_INTERNAL_SECRET)
    problems.push('TRELLIS_INTERNAL_SECRET: required in production (at least 32 characters)');
  if (!options.allInOne && !e.TRELLIS_INTERNAL_SECRET)
    problems.push('TRELLIS_INTERNAL_SECRET: required when services run in separate processes');
  if (production && !e.TRELLIS_ENCRYPTION_KEY) problems.push('TRELLIS_ENCRYPTION_KEY: required in production');
  if (e.TRELLIS_REST_MODE === 'standalone' && !e.TRELLIS_REST_GATEWAY_URL)
    problems.push('TRELLIS_REST_GATEWAY_URL: required when TRELLIS_REST_MODE=standalone');
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(buildConfig(e));
}

function buildConfig(e: z.output<typeof envSchema>) {
  const production = e.NODE_ENV === 'production';
  const portOf = (name: SubgraphName): number =>
    e[`TRELLIS_${name.toUpperCase()}_PORT` as `TRELLIS_${Uppercase<SubgraphName>}_PORT`];
  const subgraphs = Object.fromEntries(
    SERVICE_NAMES.map((name) => {
      const upper = name.toUpperCase() as Uppercase<SubgraphName>;
      return [
        name,
        {
          port: portOf(name),
          url: e[`TRELLIS_${upper}_URL`] ?? `http://127.0.0.1:${portOf(name)}/graphql`,
          databaseUrl: e[`TRELLIS_${upper}_DATABASE_URL`] ?? e.DATABASE_URL,
        },
      ];
    }),
  ) as Record<SubgraphName, { port: number; url: string; databaseUrl: string | undefined }>;
  return {
    env: e.NODE_ENV,
    production,
    host: e.TRELLIS_HOST,
    gatewayPort: e.TRELLIS_PORT,
    subgraphs,
    database: {
      url: e.DATABASE_URL,
      poolMax: e.TRELLIS_DB_POOL_MAX,
      dataDir: e.TRELLIS_DATA_DIR,
      embeddedPort: e.TRELLIS_EMBEDDED_PG_PORT,
    },
    redisUrl: e.REDIS_URL,
    /** Prefix of every Redis key and channel, so deployments (and test runs) can share a server. */
    redisPrefix: e.TRELLIS_REDIS_PREFIX,
    internalSecret: e.TRELLIS_INTERNAL_SECRET,
    encryptionKey: e.TRELLIS_ENCRYPTION_KEY,
    logLevel: e.TRELLIS_LOG_LEVEL,
    graphql: {
      introspection: e.TRELLIS_INTROSPECTION ?? !production,
      maxDepth: e.TRELLIS_MAX_QUERY_DEPTH,
      maxCost: e.TRELLIS_MAX_QUERY_COST,
      maxAliases: e.TRELLIS_MAX_QUERY_ALIASES,
      maxTokens: e.TRELLIS_MAX_QUERY_TOKENS,
      maxBodyBytes: e.TRELLIS_MAX_BODY_BYTES,
    },
    rest: {
      mode: e.TRELLIS_REST_MODE,
      port: e.TRELLIS_REST_PORT,
      gatewayUrl: e.TRELLIS_REST_GATEWAY_URL,
    },
    auth: {
      hmacRequired: e.TRELLIS_HMAC_REQUIRED ?? production,
      hmacMaxAgeSeconds: e.TRELLIS_HMAC_MAX_AGE_SECONDS,
      cacheTtlMs: e.TRELLIS_AUTH_CACHE_TTL_MS,
      sessionTtlHours: e.TRELLIS_SESSION_TTL_HOURS,
    },
    rateLimits: {
      apiKeyPerMinute: e.TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE,
      authPer15Minutes: e.TRELLIS_RATE_LIMIT_AUTH_PER_15_MINUTES,
    },
    events: {
      retentionDays: e.TRELLIS_EVENT_RETENTION_DAYS,
    },
    webhooks: {
      retryScheduleSeconds: e.TRELLIS_WEBHOOK_RETRY_SCHEDULE_SECONDS.split(',').map(Number),
      timeoutMs: e.TRELLIS_WEBHOOK_TIMEOUT_MS,
      maxConsecutiveFailures: e.TRELLIS_WEBHOOK_MAX_CONSECUTIVE_FAILURES,
      allowPrivateTargets: e.TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS ?? false,
    },
    shutdownTimeoutMs: e.TRELLIS_SHUTDOWN_TIMEOUT_MS,
  };
}
