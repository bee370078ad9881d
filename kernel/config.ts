/**
 * Configuration: read from the environment once at start-up, validated as a
 * whole (every problem reported together), then frozen. Every variable here is
 * documented in the README's configuration table; a test keeps the two in step.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
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
/** Comma-separated browser origins (`https://app.example.com`), normalized as browsers send them. */
const origins = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const list = (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const normalized: string[] = [];
    for (const origin of list) {
      const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
      const bare = parsed && parsed.pathname === '/' && !parsed.search && !parsed.hash && !parsed.username;
      if (!parsed || !bare || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
        ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://app.example.com` });
        return z.NEVER;
      }
      normalized.push(parsed.origin);
    }
    return [...new Set(normalized)];
  });

/** What the README's configuration table says about a variable (`npm run generate` writes it). */
export interface VariableDoc {
  description: string;
  /** Shown instead of the schema's own default when that is computed or absent. */
  defaultText?: string;
}

function doc<T extends z.ZodType>(schema: T, description: string, defaultText?: string): T {
  return schema.meta({ description, ...(defaultText ? { defaultText } : {}) }) as T;
}

const DEFAULT_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4000,
  identity: 4001,
  governance: 4002,
  compute: 4003,
  billing: 4004,
  events: 4005,
};

/** One model of an AI provider's catalog: prices in micro-dollars per million tokens. */
const aiModelSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, 'model ids are 1–128 of A–Z a–z 0–9 . _ : / -'),
  inputMicrosPerMillion: z.number().int().min(0).max(1_000_000_000_000),
  outputMicrosPerMillion: z.number().int().min(0).max(1_000_000_000_000),
  contextWindow: z.number().int().min(1).max(100_000_000).optional(),
  maxOutputTokens: z.number().int().min(1).max(10_000_000).optional(),
  capabilities: z
    .array(z.enum(['chat', 'tools', 'vision', 'streaming', 'responses']))
    .max(10)
    .optional(),
});
const aiProviderSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'provider ids are 1–40 of a–z 0–9 _ -'),
  kind: z.enum(['openai', 'anthropic', 'openai_compatible']),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  apiKey: z.string().min(1).max(4096).optional(),
  /** A vault credential name: the calling organization's value is used as the API key when it has one (docs/credentials.md). */
  credential: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/, 'credential names a vault key (A–Z a–z 0–9 _ . -)')
    .optional(),
  models: z.array(aiModelSchema).max(500).optional(),
  fallback: z.string().optional(),
});
export type AiProviderConfig = z.output<typeof aiProviderSchema>;
export type AiModelConfig = z.output<typeof aiModelSchema>;

/** TRELLIS_AI_PROVIDERS: a JSON array of providers; problems name the entry, never echo a credential. */
function parseAiProviders(value: string | undefined, ctx: z.RefinementCtx): AiProviderConfig[] {
  if (value === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON array of providers' });
    return z.NEVER;
  }
  const parsed = z.array(aiProviderSchema).max(50).safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', message: `[${issue.path.join('.')}] ${issue.message}` });
    return z.NEVER;
  }
  const ids = new Set(parsed.data.map((p) => p.id));
  if (ids.size !== parsed.data.length) ctx.addIssue({ code: 'custom', message: 'provider ids must be unique' });
  for (const provider of parsed.data) {
    if (provider.kind === 'openai_compatible' && (!provider.baseUrl || !provider.models?.length))
      ctx.addIssue({ code: 'custom', message: `${provider.id}: openai_compatible needs baseUrl and models` });
    if (provider.fallback !== undefined && (!ids.has(provider.fallback) || provider.fallback === provider.id))
      ctx.addIssue({ code: 'custom', message: `${provider.id}: fallback must name another provider` });
  }
  return parsed.data;
}

/** A subgraph name as composition writes it in `@join__graph(name:)`. */
const SUBGRAPH_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** TRELLIS_SUBGRAPH_URLS: `{ "<subgraph name>": "http(s)://…" }`, every entry checked. */
function parseSubgraphUrls(value: string | undefined, ctx: z.RefinementCtx): Record<string, string> {
  if (value === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object of subgraph name to URL' });
    return z.NEVER;
  }
  const parsed = z
    .record(
      z.string().regex(SUBGRAPH_NAME, 'subgraph names are 1–64 of A–Z a–z 0–9 _ - (not starting with a digit or -)'),
      z.url({ protocol: /^https?$/ }),
    )
    .refine((map) => Object.keys(map).length <= 200, 'at most 200 subgraphs')
    .safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      ctx.addIssue({
        code: 'custom',
        message: `${issue.path.length ? `[${issue.path.join('.')}] ` : ''}${issue.message}`,
      });
    return z.NEVER;
  }
  return parsed.data;
}

const envSchema = z.object({
  NODE_ENV: doc(
    z.enum(['development', 'production', 'test']).default('development'),
    '`development`, `production` or `test`. Production requires the two secrets, requires HMAC signatures and turns introspection off by default.',
  ),
  TRELLIS_HOST: doc(
    z.string().min(1).default('127.0.0.1'),
    'Interface every service binds to (`0.0.0.0` in containers).',
  ),
  TRELLIS_PORT: doc(
    port(DEFAULT_PORTS.gateway),
    'Gateway port: `/graphql`, subscriptions, `/v1`, `/openapi.json`, health, metrics.',
  ),
  TRELLIS_IDENTITY_PORT: doc(port(DEFAULT_PORTS.identity), 'Identity subgraph port (`0` picks a free one).'),
  TRELLIS_GOVERNANCE_PORT: doc(port(DEFAULT_PORTS.governance), 'Governance subgraph port.'),
  TRELLIS_COMPUTE_PORT: doc(port(DEFAULT_PORTS.compute), 'Compute subgraph port.'),
  TRELLIS_BILLING_PORT: doc(port(DEFAULT_PORTS.billing), 'Billing subgraph port.'),
  TRELLIS_EVENTS_PORT: doc(port(DEFAULT_PORTS.events), 'Events subgraph port.'),
  TRELLIS_IDENTITY_URL: doc(
    url,
    'Where the gateway (and relays) reach identity when services run apart.',
    '`http://127.0.0.1:<port>/graphql`',
  ),
  TRELLIS_GOVERNANCE_URL: doc(url, 'Where the gateway reaches governance.', '`http://127.0.0.1:<port>/graphql`'),
  TRELLIS_COMPUTE_URL: doc(url, 'Where the gateway reaches compute.', '`http://127.0.0.1:<port>/graphql`'),
  TRELLIS_BILLING_URL: doc(url, 'Where the gateway reaches billing.', '`http://127.0.0.1:<port>/graphql`'),
  TRELLIS_EVENTS_URL: doc(
    url,
    'Where the gateway and every outbox relay reach events.',
    '`http://127.0.0.1:<port>/graphql`',
  ),
  DATABASE_URL: doc(
    url,
    'PostgreSQL for every subgraph (each uses its own schema). Unset: `npm start` runs an embedded PostgreSQL.',
    'embedded',
  ),
  TRELLIS_IDENTITY_DATABASE_URL: doc(url, "Identity's own PostgreSQL, overriding `DATABASE_URL`.", '`DATABASE_URL`'),
  TRELLIS_GOVERNANCE_DATABASE_URL: doc(url, "Governance's own PostgreSQL.", '`DATABASE_URL`'),
  TRELLIS_COMPUTE_DATABASE_URL: doc(url, "Compute's own PostgreSQL.", '`DATABASE_URL`'),
  TRELLIS_BILLING_DATABASE_URL: doc(url, "Billing's own PostgreSQL.", '`DATABASE_URL`'),
  TRELLIS_EVENTS_DATABASE_URL: doc(url, "Events' own PostgreSQL.", '`DATABASE_URL`'),
  TRELLIS_DB_POOL_MAX: doc(int(10, 1, 200), 'Connections per subgraph pool.'),
  TRELLIS_DATA_DIR: doc(
    z.string().min(1).default('.data'),
    'Embedded PostgreSQL data and the development encryption key.',
  ),
  TRELLIS_EMBEDDED_PG_PORT: doc(port(0), 'Port of the embedded PostgreSQL (`0`: a free one).'),
  REDIS_URL: doc(
    url,
    'Redis for cross-replica pub/sub, rate limits and cache invalidation. Unset: PostgreSQL LISTEN/NOTIFY and in-memory limits.',
    'unset',
  ),
  TRELLIS_REDIS_COMMAND_TIMEOUT_MS: doc(
    int(250, 10, 60_000),
    'A Redis command (rate-limit count, health ping) that takes longer fails; rate limits fall back to memory.',
  ),
  TRELLIS_REDIS_PREFIX: doc(
    z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,64}$/)
      .default('trellis'),
    'Prefix of every Redis key and channel.',
  ),
  TRELLIS_INTERNAL_SECRET: doc(
    z.string().min(32).optional(),
    'Root of the keys (HKDF, one per purpose) that sign internal principals and event payload envelopes (32+ characters). Required in production and when services run apart; generated per process otherwise.',
    'generated',
  ),
  TRELLIS_ENCRYPTION_KEY: doc(
    z
      .string()
      .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)')
      .optional(),
    '64 hex characters: seals signing and webhook secrets at rest (AES-256-GCM). Required in production; otherwise generated once into the data directory.',
    'generated',
  ),
  TRELLIS_ENV_FILE: doc(
    z.string().min(1).optional(),
    'An env file (`KEY=value` lines) whose values override the environment. `POST /v1/gateway/reload` re-reads and re-validates it: the reloadable keys (see docs/operators.md) apply in place, the others are reported as needing a restart; an invalid file is a 422 and the running configuration stays.',
    'unset',
  ),
  TRELLIS_LOG_LEVEL: doc(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    '`fatal` … `trace`, or `silent`.',
  ),
  TRELLIS_INTROSPECTION: doc(flag, 'Allow GraphQL introspection at the gateway.', '`true`; `false` in production'),
  TRELLIS_MAX_QUERY_DEPTH: doc(int(12, 1, 100), 'Maximum selection depth of a GraphQL operation.'),
  TRELLIS_MAX_QUERY_COST: doc(
    int(20000, 1),
    'Maximum estimated cost (fields, multiplied by the page sizes asked for; see docs/edge.md).',
  ),
  TRELLIS_MAX_QUERY_ALIASES: doc(int(30, 1), 'Maximum aliases in one operation.'),
  TRELLIS_MAX_QUERY_TOKENS: doc(int(5000, 10), 'Maximum lexical tokens in one document.'),
  TRELLIS_MAX_BODY_BYTES: doc(int(1_048_576, 1024), 'Maximum request body size.'),
  TRELLIS_CORS_ORIGINS: doc(
    origins,
    'Browser origins allowed to call the gateway and REST adapter from another site, with credentials (comma-separated, e.g. `https://app.example.com`). Unset: same-origin only, no CORS headers.',
    'unset',
  ),
  TRELLIS_SUBGRAPH_TIMEOUT_MS: doc(
    int(10_000, 100, 300_000),
    'Deadline of one gateway-to-subgraph request; past it the caller gets 503 `service_unavailable`. Synchronous runs stop waiting before it (docs/pipelines.md).',
  ),
  TRELLIS_SUPERGRAPH_PATH: doc(
    z.string().min(1).optional(),
    "Supergraph the gateway serves (your own composition pipeline's output; re-read on reload). The REST adapter and subscriptions are mounted only when it contains the five Trellis subgraphs.",
    '`schema/supergraph.graphql`',
  ),
  TRELLIS_GATEWAY_SHARE_INFLIGHT: doc(
    flag,
    'Send identical subgraph queries in flight at the same time for the same caller (principal and client IP) once and share the answer. Mutations are never shared.',
    '`true`',
  ),
  TRELLIS_SUBGRAPH_URLS: doc(
    z.string().optional().transform(parseSubgraphUrls),
    'JSON object of subgraph name → URL (`{"products":"http://10.0.0.5:4001/graphql"}`): where the gateway reaches any subgraph of the supergraph, overriding its `@join__graph` URL and `TRELLIS_<NAME>_URL`.',
    'unset',
  ),
  TRELLIS_MAX_JSON_DEPTH: doc(int(64, 2, 1000), 'Deepest nesting of objects and arrays in a JSON body or variables.'),
  TRELLIS_MAX_JSON_KEYS: doc(int(1000, 1), 'Keys in one JSON object of a body or variables.'),
  TRELLIS_MAX_JSON_TOTAL_KEYS: doc(int(20_000, 1), 'Keys in a whole JSON body or variables.'),
  TRELLIS_MAX_ARRAY_LENGTH: doc(
    int(10_000, 1),
    'Elements in one JSON array of a body or variables (100× the largest batch).',
  ),
  TRELLIS_REST_MODE: doc(
    z.enum(['embedded', 'standalone', 'off']).default('embedded'),
    '`embedded` (REST on the gateway port), `standalone` (`serve rest-adapter`) or `off`.',
  ),
  TRELLIS_REST_PORT: doc(port(4010), 'Port of the standalone REST adapter.'),
  TRELLIS_REST_GATEWAY_URL: doc(
    url,
    'Gateway the standalone REST adapter forwards to (required in standalone mode).',
    'unset',
  ),
  TRELLIS_HMAC_REQUIRED: doc(flag, 'Require HMAC signatures on API-key requests.', '`false`; `true` in production'),
  TRELLIS_HMAC_MAX_AGE_SECONDS: doc(int(300, 1, 86400), 'Oldest accepted `X-Signature-Timestamp`.'),
  TRELLIS_HMAC_MIN_VERSION: doc(
    z.enum(['1', '2']).optional(),
    'Oldest accepted signature version: `1` (seed 000: timestamp, key, body) or `2` (also method, path and a one-time nonce; see docs/authentication.md).',
    '`1`; `2` in production',
  ),
  TRELLIS_METRICS_TOKEN: doc(
    z.string().min(16).optional(),
    'Bearer token (16+ characters) required for `/metrics` and for dependency errors in `/health/ready` on every port. Unset: subgraph ports serve both; the gateway shows only up/down and serves `/metrics` outside production only.',
    'unset',
  ),
  TRELLIS_AUTH_CACHE_TTL_MS: doc(
    int(30_000, 0, 600_000),
    'How long the gateway caches a resolved credential (revocations invalidate at once; nothing is cached while the bus is down).',
  ),
  TRELLIS_AUTH_REVOCATION_POLL_MS: doc(
    int(15_000, 100, 600_000),
    'How often a gateway reads the revocation log besides bus reconnects and missed sequence numbers: a fallback for a message lost on a bus that still looks connected (a bus outage never keeps a revoked key alive longer).',
  ),
  TRELLIS_SESSION_TTL_HOURS: doc(int(24 * 7, 1, 24 * 365), 'Session token lifetime.'),
  TRELLIS_REFRESH_TOKEN_TTL_DAYS: doc(
    int(30, 1, 365),
    'Refresh token lifetime (`/v1/auth/refresh`); each exchange issues a new one, and reusing a used one ends every session of that sign-in.',
  ),
  TRELLIS_BUILD_COMMIT: doc(
    z
      .string()
      .regex(/^[0-9A-Za-z._-]{1,64}$/, 'a commit id or version tag (letters, digits, . _ -)')
      .default('unknown'),
    'The source commit this build was made from, reported by `/version` (set it at build time, e.g. from `git rev-parse HEAD`).',
  ),
  TRELLIS_IDEMPOTENCY_TTL_HOURS: doc(
    int(24, 24, 24 * 30),
    'How long a REST `Idempotency-Key` and its response are kept (at least 24 hours).',
  ),
  TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE: doc(int(1200, 1), 'Requests per minute per API key.'),
  TRELLIS_RATE_LIMIT_AUTH_PER_15_MINUTES: doc(
    int(10, 1),
    'Login, register and forgot-password attempts per IP and email per 15 minutes.',
  ),
  TRELLIS_EVENT_RETENTION_DAYS: doc(
    int(30, 1, 3650),
    'How long the event log keeps events (older `since` → ResyncRequired).',
  ),
  TRELLIS_WEBHOOK_RETRY_SCHEDULE_SECONDS: doc(
    z
      .string()
      .regex(/^\d+(,\d+)*$/, 'must be comma-separated seconds, e.g. 10,60,300')
      .default('10,60,300'),
    'Delays between webhook delivery attempts.',
  ),
  TRELLIS_WEBHOOK_TIMEOUT_MS: doc(int(10_000, 100, 120_000), 'A delivery succeeds on a 2xx within this time.'),
  TRELLIS_WEBHOOK_MAX_CONSECUTIVE_FAILURES: doc(
    int(15, 1),
    'Consecutive failed deliveries before a webhook is disabled.',
  ),
  TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: doc(
    flag,
    'Allow webhook and alert channel URLs on loopback, private, link-local and metadata addresses (tests only).',
    '`false`',
  ),
  TRELLIS_WEBHOOK_CONCURRENCY: doc(int(8, 1, 256), 'Webhook deliveries in flight per events process.'),
  TRELLIS_OUTBOX_POLL_MS: doc(
    int(10_000, 10, 60_000),
    'How often an idle outbox relay (and event consumer delivery, the webhook dispatcher) looks for work it was not woken for: a safety net, commits in the process wake them at once.',
  ),
  TRELLIS_OUTBOX_BATCH_SIZE: doc(int(100, 1, 1000), 'Events per relay delivery.'),
  TRELLIS_OUTBOX_RETENTION_HOURS: doc(
    int(24, 1, 24 * 90),
    "How long a subgraph's outbox keeps an event after the event log acknowledged it (for inspection; the log holds it for TRELLIS_EVENT_RETENTION_DAYS), checked every minute (kernel/retention.ts). Pending events are never removed.",
  ),
  TRELLIS_OUTBOX_COALESCE_MS: doc(
    int(10, 0, 1000),
    'How long an outbox relay waits after a commit wakes it (idle, or woken during a pass), so the events of the commits that follow leave in the same delivery (fewer relay and event-log transactions per event under load: at most one woken pass per this long); 0 relays at once.',
  ),
  TRELLIS_BACKGROUND_YIELD_MS: doc(
    int(20, 0, 1000),
    "Longest a background worker's pass (outbox relays, event consumers, webhook and notification delivery, sweepers) waits for the requests the process is answering before it runs: passes run between requests, not in their way (kernel/foreground.ts); 0 runs them at once.",
  ),
  TRELLIS_OUTBOX_MAX_BACKOFF_MS: doc(
    int(30_000, 100, 3_600_000),
    'Longest wait between relay retries (and between event consumer retries).',
  ),
  TRELLIS_EVENT_CONSUMER_MAX_ATTEMPTS: doc(
    int(10, 1, 1000),
    'Failed attempts of one event by a durable consumer before its delivery is parked (kept, visible, not retried).',
  ),
  TRELLIS_EVENT_CONSUMER_COALESCE_MS: doc(
    int(50, 0, 1000),
    "How long the durable event consumers' delivery worker waits after an append wakes it, so the appends that follow are consumed in the same transaction per consumer (under load, one consuming transaction per this long instead of one per relay delivery); 0 delivers at once.",
  ),
  TRELLIS_EVENT_HEAD_POLL_MS: doc(
    int(5_000, 100, 300_000),
    'How often live feeds check the log head for events the bus missed.',
  ),
  TRELLIS_WS_MAX_SUBSCRIPTIONS: doc(int(50, 1, 10_000), 'Subscriptions per WebSocket connection.'),
  TRELLIS_WS_MAX_MESSAGES_PER_SECOND: doc(
    int(20, 1, 10_000),
    'Client messages per second per connection (close 4429 beyond).',
  ),
  TRELLIS_WS_MESSAGE_BURST: doc(int(100, 1, 100_000), 'Burst allowance of client messages.'),
  TRELLIS_WS_MAX_QUEUE: doc(int(1_000, 1, 1_000_000), 'Pushes queued for a slow consumer before it is disconnected.'),
  TRELLIS_WS_MAX_BUFFERED_BYTES: doc(
    int(4_194_304, 1024),
    'Socket send buffer before a slow consumer is disconnected.',
  ),
  TRELLIS_SSE_HEARTBEAT_SECONDS: doc(int(15, 1, 3600), 'Interval of SSE heartbeat comments.'),
  TRELLIS_AI_PROVIDERS: doc(
    z
      .string()
      .optional()
      .transform((value, ctx) => parseAiProviders(value, ctx)),
    'Model upstreams of the AI gateway, a JSON array: `[{"id":"openai","kind":"openai","apiKey":"sk-…"},{"id":"local","kind":"openai_compatible","baseUrl":"http://vllm:8000/v1","models":[{"id":"llama-3.1-8b","inputMicrosPerMillion":100000,"outputMicrosPerMillion":200000}],"fallback":"openai"}]` — `kind` `openai`, `anthropic` or `openai_compatible`; `models` (prices in micro-dollars per million tokens) default to the built-in catalog for `openai` and `anthropic`. Unset: no providers, AI calls answer 503 `provider_unavailable`.',
    'unset',
  ),
  TRELLIS_AI_TIMEOUT_MS: doc(
    int(60_000, 1000, 600_000),
    'Deadline of one upstream model request (each retry has its own).',
  ),
  TRELLIS_AI_MAX_RETRIES: doc(
    int(2, 0, 5),
    'Retries of an upstream model request on a connection error, 408, 409, 429 or 5xx, honouring `Retry-After`.',
  ),
  TRELLIS_AI_DEFAULT_MAX_OUTPUT_TOKENS: doc(
    int(1024, 1, 1_000_000),
    'Output tokens reserved (and passed upstream as the cap) when a model call names no `max_tokens`.',
  ),
  TRELLIS_AI_APPROVAL_HOLD_SECONDS: doc(
    int(120, 1, 3600),
    'How long a model call that needs an approval is held open waiting for the decision; then 409 with the execution id to resume with (docs/ai-gateway.md).',
  ),
  TRELLIS_AI_STREAM_KEEPALIVE_SECONDS: doc(
    int(15, 1, 300),
    'While a streamed model call is held for an approval, an SSE comment (`: keepalive`) is sent this often so proxies and clients do not drop the idle connection.',
  ),
  TRELLIS_AI_PUBLIC_BASE_URL: doc(
    url,
    'The OpenAI-compatible base URL shown in the AI proxy connection info.',
    '`http://<TRELLIS_HOST>:<TRELLIS_PORT>/v1`',
  ),
  TRELLIS_ASSET_MAX_BYTES: doc(
    int(104_857_600, 1, 5_368_709_120),
    'Largest asset upload (`POST /v1/assets`), in bytes; a bigger body is refused with 413 while it streams.',
  ),
  TRELLIS_ASSET_S3_BUCKET: doc(
    z.string().min(3).max(63).optional(),
    'Store assets in this S3 bucket (credentials from the AWS SDK chain: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, roles). Unset: files under `TRELLIS_DATA_DIR/assets`.',
    'unset',
  ),
  TRELLIS_ASSET_S3_ENDPOINT: doc(
    url,
    'An S3-compatible endpoint (MinIO, R2, Ceph…); path-style addressing is used with one.',
    'AWS',
  ),
  TRELLIS_ASSET_S3_REGION: doc(z.string().min(1).default('us-east-1'), 'Region of the asset bucket.'),
  TRELLIS_SMTP_URL: doc(
    z
      .string()
      .regex(/^smtps?:\/\/\S+$/, 'must be an smtp:// or smtps:// URL')
      .optional(),
    'Outgoing mail server (`smtp://user:pass@host:587`, `smtps://…:465`). Unset: messages go to the local mail log (`<data dir>/mail.log`, `GET /dev/mail`); required in production.',
  ),
  TRELLIS_MAIL_FROM: doc(z.string().min(3).max(200).default('Trellis <no-reply@localhost>'), 'Sender of every email.'),
  TRELLIS_PUBLIC_URL: doc(
    z.url().default('http://localhost:4000'),
    'Where people reach Trellis: the base of the links in emails (invitations, resets, alerts).',
  ),
  TRELLIS_GC_THREAD_NICE: doc(
    int(10, 0, 19),
    "Nice value given to V8's garbage-collector helper threads when a service starts (Linux): under CPU contention a full GC's concurrent marking then yields the cores to request handling and PostgreSQL instead of taking them all (kernel/gc-threads.ts). 0 leaves them as they are.",
  ),
  TRELLIS_SHUTDOWN_TIMEOUT_MS: doc(
    int(10_000, 0, 120_000),
    'Deadline for a graceful shutdown before the process exits 1.',
  ),
  TRELLIS_GOVERNANCE_RESERVATION_TTL_SECONDS: doc(
    int(300, 1, 86_400),
    'An unsettled `execute` reservation returns its budget after this.',
  ),
  TRELLIS_GOVERNANCE_APPROVAL_TTL_SECONDS: doc(
    int(3600, 1, 604_800),
    'A pending approval expires (denied) after this.',
  ),
  TRELLIS_GOVERNANCE_SWEEP_INTERVAL_MS: doc(
    int(5000, 50, 600_000),
    'How often expired reservations, approvals and budget periods are swept.',
  ),
  TRELLIS_GOVERNANCE_POLICY_CACHE_TTL_MS: doc(
    int(5000, 0, 600_000),
    'Per-process policy cache lifetime (changes invalidate at once).',
  ),
  TRELLIS_GOVERNANCE_ALERT_THRESHOLDS: doc(
    z
      .string()
      .regex(/^\d{1,3}(,\d{1,3})*$/, 'must be comma-separated percentages, e.g. 50,80,100')
      .default('50,80,100'),
    'Budget alert thresholds in percent.',
  ),
  TRELLIS_GOVERNANCE_BURN_WINDOW_MINUTES: doc(int(60, 1, 1440), 'Window of the burn rate behind time-to-exhaustion.'),
  TRELLIS_NODE_HEARTBEAT_SECONDS: doc(
    int(10, 1, 300),
    'How often node agents heartbeat (told to them when they register); an assignment poll counts as one. At most half of `TRELLIS_NODE_LOST_SECONDS`.',
  ),
  TRELLIS_NODE_LOST_SECONDS: doc(
    int(30, 2, 86_400),
    'A node without a heartbeat for this long is `lost`: its VMs fail, its cluster replicas are rescheduled.',
  ),
  TRELLIS_SNAPSHOT_MAX_BYTES: doc(
    int(10_737_418_240, 1, 1_099_511_627_776),
    'Largest VM snapshot archive a node agent may upload to the control plane, in bytes (stored like assets: `TRELLIS_ASSET_S3_BUCKET` or the data directory); a bigger one fails the snapshot.',
  ),
  TRELLIS_JOB_LEASE_CHECK_SECONDS: doc(
    int(15, 1, 3_600),
    'How often expired job leases are handed back to their queue (the queue engine’s supervisor, and compute’s reconciler): a lapsed lease is a crashed or stuck worker, so a few seconds more before a retry costs little and an idle process checks less often.',
  ),
  TRELLIS_PENDING_TIMEOUT_SECONDS: doc(
    int(900, 1, 604_800),
    'A VM or replica still waiting for capacity after this long fails (`statusReason` says why).',
  ),
  TRELLIS_USAGE_INTERVAL_SECONDS: doc(
    int(60, 1, 3600),
    'Running VMs and replicas emit `usage.recorded` at least this often (and when they stop).',
  ),
  TRELLIS_DEPLETED_GRACE_SECONDS: doc(
    int(300, 0, 604_800),
    'After `billing.balance_depleted`, an organization’s running VMs are stopped once this has passed.',
  ),
  TRELLIS_COMPUTE_WORKER_INTERVAL_MS: doc(
    int(1000, 50, 60_000),
    'The compute worker’s pass interval: a commit that may have made work for it runs a pass within this; while idle it sleeps until time-bound work is due, at most 10 intervals (docs/compute.md).',
  ),
  TRELLIS_LOCAL_NODE: doc(
    z
      .string()
      .regex(/^(off|[a-z0-9-]+:[1-9][0-9]?(,[a-z0-9-]+:[1-9][0-9]?)*)$/, 'off, or gpuModel:count[,gpuModel:count…]')
      .default('rtx-4090:2,a100-80gb:1'),
    '`trellis start` runs an embedded node agent (`process` runtime) with this GPU inventory; `off` for none.',
  ),
  TRELLIS_LOCAL_NODE_REGION: doc(
    z
      .string()
      .regex(/^[a-z0-9-]{1,63}$/)
      .default('local'),
    'Region of the embedded node.',
  ),
  TRELLIS_TELEGRAM_BOT: doc(
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{4,31}$/, 'a Telegram bot username')
      .optional(),
    'Username of the installation’s Telegram bot for VM links; unset: the link is 503 `telegram_not_configured`.',
  ),
  TRELLIS_PROVIDER_AUTO_APPROVE: doc(
    flag,
    'Approve provider applications at once (else a platform administrator decides).',
    '`true` outside production',
  ),
  STRIPE_SECRET_KEY: doc(
    z.string().min(8).max(500).optional(),
    'Stripe secret key (`sk_…`). Unset: routes that need Stripe answer 503 `billing_not_configured`; ledger, usage and credits still work.',
  ),
  STRIPE_PUBLISHABLE_KEY: doc(
    z.string().max(500).optional(),
    'Stripe publishable key (`pk_…`), handed to browsers with a SetupIntent or PaymentIntent client secret.',
  ),
  STRIPE_WEBHOOK_SECRET: doc(
    z.string().min(8).max(500).optional(),
    'Signing secret (`whsec_…`) of the Stripe webhook endpoint `/v1/billing/webhook`; unset: every delivery is refused with 400.',
  ),
  STRIPE_API_BASE: doc(
    url,
    'Where the Stripe client sends API calls: for tests (a local fake) and self-hosted proxies only.',
    '`https://api.stripe.com`',
  ),
  STRIPE_PLAN_PRICES: doc(
    z
      .string()
      .regex(
        /^\s*[a-z0-9_-]+\s*=\s*[A-Za-z0-9_]+\s*(,\s*[a-z0-9_-]+\s*=\s*[A-Za-z0-9_]+\s*)*$/,
        'expected tier=price_id,…',
      )
      .optional(),
    'Stripe recurring price of each paid plan tier, `pro=price_…,team=price_…` (Checkout and plan changes need them).',
  ),
  TRELLIS_BILLING_RETURN_URL: doc(
    z.url().default('http://localhost:4000/'),
    'Where Stripe Checkout and the customer portal send the browser back to.',
  ),
  TRELLIS_BILLING_AUTO_TOPUP_COOLDOWN_SECONDS: doc(
    int(600, 0, 7 * 86400),
    'After a failed automatic top-up, how long before the next drop below the threshold tries again.',
  ),
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

/** Name, default and meaning of every variable, for the README table (scripts/generate-config-docs.ts). */
export function configDocs(): { name: string; defaultText: string; description: string }[] {
  return Object.entries(envSchema.shape).map(([name, schema]) => {
    const meta = (schema as z.ZodType).meta() as (VariableDoc & Record<string, unknown>) | undefined;
    const def = (schema as unknown as { _zod: { def: { defaultValue?: unknown } } })._zod.def;
    const fallback = def.defaultValue === undefined ? 'unset' : `\`${String(def.defaultValue)}\``;
    return { name, defaultText: meta?.defaultText ?? fallback, description: meta?.description ?? '' };
  });
}

export type Config = ReturnType<typeof buildConfig>;

export interface LoadOptions {
  /** The all-in-one process may generate secrets it does not share with anyone. */
  allInOne?: boolean;
}

/** Where a configuration came from, so a reload can read the same sources again. */
interface ConfigSource {
  env: RawEnv;
  options: LoadOptions;
  /** The variables as validated (environment, then the env file over it; empty strings dropped). */
  values: Record<string, string>;
}
const sources = new WeakMap<Config, ConfigSource>();

/** The environment with TRELLIS_ENV_FILE's values over it; a missing or unreadable file is a problem. */
function readVariables(env: RawEnv): Record<string, string> {
  const file = env.TRELLIS_ENV_FILE;
  let fromFile: Record<string, string | undefined> = {};
  if (file) {
    try {
      // Node's own dotenv parser (KEY=value, quotes, comments, no interpolation).
      fromFile = parseEnv(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError([`TRELLIS_ENV_FILE: cannot read ${file}: ${(error as Error).message}`]);
    }
  }
  const merged = { ...env, ...fromFile, TRELLIS_ENV_FILE: file };
  // Empty strings are treated as unset, so `FOO=` in a compose file means "default".
  return Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}

/**
 * Reads and validates the configuration — the one function that does, at start-up and on reload:
 * every problem reported together (ConfigError), the result frozen.
 */
export function loadConfig(env: RawEnv = process.env, options: LoadOptions = {}): Config {
  const cleaned = readVariables(env);
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
  // One late heartbeat must not make a node lost (its VMs fail, its replicas move).
  if (e.TRELLIS_NODE_LOST_SECONDS < 2 * e.TRELLIS_NODE_HEARTBEAT_SECONDS)
    problems.push('TRELLIS_NODE_LOST_SECONDS: must be at least twice TRELLIS_NODE_HEARTBEAT_SECONDS');
  if (problems.length > 0) throw new ConfigError(problems);
  const config = Object.freeze(buildConfig(e));
  sources.set(config, {
    env,
    options,
    values: Object.fromEntries(
      CONFIG_VARIABLES.flatMap((name) => (cleaned[name] === undefined ? [] : [[name, cleaned[name] as string]])),
    ),
  });
  return config;
}

/**
 * Variables a running process applies in place on reload (what reads them reads the live
 * configuration on every use). CORS origins apply when CORS was on at start: turning it on or off
 * changes the routes the server registered, which needs a restart.
 */
export const RELOADABLE_VARIABLES: readonly string[] = [
  'TRELLIS_LOG_LEVEL',
  'TRELLIS_CORS_ORIGINS',
  'TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE',
  'TRELLIS_SUBGRAPH_TIMEOUT_MS',
];

export interface ConfigReload {
  /** The configuration to run with now: the running one with the reloadable changes applied. */
  config: Config;
  /** Variables whose value changed (names only: values may be secrets). */
  changed: string[];
  /** Changed variables applied in place. */
  applied: string[];
  /** Changed variables that take effect only after a restart (the running value stays). */
  restartRequired: string[];
}

/**
 * Reads the configuration's sources again (the environment the process started with, and
 * TRELLIS_ENV_FILE as it is now) and validates them with `loadConfig`. Throws ConfigError when the
 * result is invalid: the caller keeps running with `current`.
 */
export function reloadConfig(current: Config): ConfigReload {
  const source = sources.get(current);
  if (!source) throw new Error('reloadConfig: this configuration was not made by loadConfig');
  const next = loadConfig(source.env, source.options);
  const values = (sources.get(next) as ConfigSource).values;
  const changed = CONFIG_VARIABLES.filter((name) => source.values[name] !== values[name]);
  const corsWasOn = current.corsOrigins.length > 0;
  const applies = (name: string) =>
    RELOADABLE_VARIABLES.includes(name) &&
    (name !== 'TRELLIS_CORS_ORIGINS' || (corsWasOn && next.corsOrigins.length > 0));
  const applied = changed.filter(applies);
  const restartRequired = changed.filter((name) => !applies(name));
  const config = Object.freeze({
    ...current,
    logLevel: applied.includes('TRELLIS_LOG_LEVEL') ? next.logLevel : current.logLevel,
    corsOrigins: applied.includes('TRELLIS_CORS_ORIGINS') ? next.corsOrigins : current.corsOrigins,
    rateLimits: { ...current.rateLimits, apiKeyPerMinute: next.rateLimits.apiKeyPerMinute },
    graphql: { ...current.graphql, subgraphTimeoutMs: next.graphql.subgraphTimeoutMs },
  });
  // What the running configuration came from, except for what still waits for a restart.
  const kept = Object.fromEntries(
    CONFIG_VARIABLES.flatMap((name) => {
      const value = restartRequired.includes(name) ? source.values[name] : values[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
  sources.set(config, { ...source, values: kept });
  return { config, changed, applied, restartRequired };
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
    /** Commands slower than this fail fast (callers fall back) instead of hanging on a stalled Redis. */
    redisCommandTimeoutMs: e.TRELLIS_REDIS_COMMAND_TIMEOUT_MS,
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
      /** Deadline of each gateway-to-subgraph request. */
      subgraphTimeoutMs: e.TRELLIS_SUBGRAPH_TIMEOUT_MS,
      /** The supergraph file the gateway serves; unset: the checked-in `schema/supergraph.graphql`. */
      supergraphPath: e.TRELLIS_SUPERGRAPH_PATH,
      /** Where to reach subgraphs by name, winning over the supergraph's URLs and TRELLIS_<NAME>_URL. */
      subgraphUrls: e.TRELLIS_SUBGRAPH_URLS as Readonly<Record<string, string>>,
      /** Identical in-flight subgraph queries of one caller are sent once (gateway/subgraph-fetch.ts). */
      shareInflight: e.TRELLIS_GATEWAY_SHARE_INFLIGHT ?? true,
    },
    /** Origins answered with CORS headers (credentials included); empty: same-origin only. */
    corsOrigins: e.TRELLIS_CORS_ORIGINS,
    /** Bounds on JSON from outside (kernel/json-limits.ts), checked before any GraphQL work. */
    json: {
      maxDepth: e.TRELLIS_MAX_JSON_DEPTH,
      maxKeys: e.TRELLIS_MAX_JSON_KEYS,
      maxTotalKeys: e.TRELLIS_MAX_JSON_TOTAL_KEYS,
      maxArrayLength: e.TRELLIS_MAX_ARRAY_LENGTH,
    },
    rest: {
      mode: e.TRELLIS_REST_MODE,
      port: e.TRELLIS_REST_PORT,
      gatewayUrl: e.TRELLIS_REST_GATEWAY_URL,
      /** How long an Idempotency-Key's response is replayed. */
      idempotencyTtlHours: e.TRELLIS_IDEMPOTENCY_TTL_HOURS,
    },
    auth: {
      hmacRequired: e.TRELLIS_HMAC_REQUIRED ?? production,
      hmacMaxAgeSeconds: e.TRELLIS_HMAC_MAX_AGE_SECONDS,
      /** v1 signatures can be replayed on another route within the window: production accepts v2 only. */
      hmacMinVersion: Number(e.TRELLIS_HMAC_MIN_VERSION ?? (production ? '2' : '1')) as 1 | 2,
      cacheTtlMs: e.TRELLIS_AUTH_CACHE_TTL_MS,
      /** How often gateways catch up on the durable revocation log (besides every bus reconnect). */
      revocationPollMs: e.TRELLIS_AUTH_REVOCATION_POLL_MS,
      sessionTtlHours: e.TRELLIS_SESSION_TTL_HOURS,
      refreshTokenTtlDays: e.TRELLIS_REFRESH_TOKEN_TTL_DAYS,
    },
    buildCommit: e.TRELLIS_BUILD_COMMIT,
    rateLimits: {
      apiKeyPerMinute: e.TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE,
      authPer15Minutes: e.TRELLIS_RATE_LIMIT_AUTH_PER_15_MINUTES,
    },
    events: {
      retentionDays: e.TRELLIS_EVENT_RETENTION_DAYS,
      /** How often live feeds compare their position with the log head (gap detection). */
      headPollMs: e.TRELLIS_EVENT_HEAD_POLL_MS,
      sseHeartbeatSeconds: e.TRELLIS_SSE_HEARTBEAT_SECONDS,
    },
    /** Background workers (kernel/worker-loop.ts): how long a pass yields to requests in flight. */
    background: { yieldMs: e.TRELLIS_BACKGROUND_YIELD_MS },
    outbox: {
      pollMs: e.TRELLIS_OUTBOX_POLL_MS,
      batchSize: e.TRELLIS_OUTBOX_BATCH_SIZE,
      retentionHours: e.TRELLIS_OUTBOX_RETENTION_HOURS,
      coalesceMs: e.TRELLIS_OUTBOX_COALESCE_MS,
      maxBackoffMs: e.TRELLIS_OUTBOX_MAX_BACKOFF_MS,
    },
    /** Durable event consumers (kernel/event-consumers.ts); batch size, poll and backoff are the outbox's. */
    consumers: {
      maxAttempts: e.TRELLIS_EVENT_CONSUMER_MAX_ATTEMPTS,
      coalesceMs: e.TRELLIS_EVENT_CONSUMER_COALESCE_MS,
    },
    subscriptions: {
      maxPerConnection: e.TRELLIS_WS_MAX_SUBSCRIPTIONS,
      messagesPerSecond: e.TRELLIS_WS_MAX_MESSAGES_PER_SECOND,
      messageBurst: e.TRELLIS_WS_MESSAGE_BURST,
      maxQueue: e.TRELLIS_WS_MAX_QUEUE,
      maxBufferedBytes: e.TRELLIS_WS_MAX_BUFFERED_BYTES,
    },
    webhooks: {
      retryScheduleSeconds: e.TRELLIS_WEBHOOK_RETRY_SCHEDULE_SECONDS.split(',').map(Number),
      timeoutMs: e.TRELLIS_WEBHOOK_TIMEOUT_MS,
      maxConsecutiveFailures: e.TRELLIS_WEBHOOK_MAX_CONSECUTIVE_FAILURES,
      allowPrivateTargets: e.TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS ?? false,
      concurrency: e.TRELLIS_WEBHOOK_CONCURRENCY,
    },
    /** The AI gateway's upstreams (docs/ai-gateway.md). */
    ai: {
      providers: e.TRELLIS_AI_PROVIDERS,
      timeoutMs: e.TRELLIS_AI_TIMEOUT_MS,
      maxRetries: e.TRELLIS_AI_MAX_RETRIES,
      defaultMaxOutputTokens: e.TRELLIS_AI_DEFAULT_MAX_OUTPUT_TOKENS,
      approvalHoldSeconds: e.TRELLIS_AI_APPROVAL_HOLD_SECONDS,
      streamKeepaliveSeconds: e.TRELLIS_AI_STREAM_KEEPALIVE_SECONDS,
      publicBaseUrl: e.TRELLIS_AI_PUBLIC_BASE_URL ?? `http://${e.TRELLIS_HOST}:${e.TRELLIS_PORT}/v1`,
    },
    /** Asset storage (kernel/asset-storage.ts): S3-compatible when a bucket is set, else the data directory. */
    assets: {
      maxBytes: e.TRELLIS_ASSET_MAX_BYTES,
      directory: `${e.TRELLIS_DATA_DIR}/assets`,
      s3: e.TRELLIS_ASSET_S3_BUCKET
        ? {
            bucket: e.TRELLIS_ASSET_S3_BUCKET,
            endpoint: e.TRELLIS_ASSET_S3_ENDPOINT,
            region: e.TRELLIS_ASSET_S3_REGION,
          }
        : undefined,
    },
    shutdownTimeoutMs: e.TRELLIS_SHUTDOWN_TIMEOUT_MS,
    /** kernel/gc-threads.ts */
    gcThreadNice: e.TRELLIS_GC_THREAD_NICE,
    /** Outgoing email (kernel/mail.ts). */
    mail: {
      smtpUrl: e.TRELLIS_SMTP_URL,
      from: e.TRELLIS_MAIL_FROM,
      /** Base of the links in messages, without a trailing slash. */
      publicUrl: e.TRELLIS_PUBLIC_URL.replace(/\/+$/, ''),
    },
    /** Bearer token for /metrics and readiness details (kernel/http-service.ts). */
    metricsToken: e.TRELLIS_METRICS_TOKEN,
    governance: {
      /** How long an execute reservation holds budget when never tracked. */
      reservationTtlSeconds: e.TRELLIS_GOVERNANCE_RESERVATION_TTL_SECONDS,
      /** How long a REQUIRE_APPROVAL call waits for a decision (and holds its reservation). */
      approvalTtlSeconds: e.TRELLIS_GOVERNANCE_APPROVAL_TTL_SECONDS,
      /** How often the sweeper expires reservations, approvals and resets budget periods. */
      sweepIntervalMs: e.TRELLIS_GOVERNANCE_SWEEP_INTERVAL_MS,
      /** How long a replica trusts its cached policies (changes also invalidate over the bus). */
      policyCacheTtlMs: e.TRELLIS_GOVERNANCE_POLICY_CACHE_TTL_MS,
      /** Default budget alert thresholds in percent. */
      alertThresholds: [
        ...new Set(
          e.TRELLIS_GOVERNANCE_ALERT_THRESHOLDS.split(',')
            .map(Number)
            .filter((n) => n > 0),
        ),
      ].sort((a, b) => a - b),
      /** Window of the burn rate behind time-to-exhaustion. */
      burnWindowMinutes: e.TRELLIS_GOVERNANCE_BURN_WINDOW_MINUTES,
    },
    compute: {
      heartbeatSeconds: e.TRELLIS_NODE_HEARTBEAT_SECONDS,
      nodeLostSeconds: e.TRELLIS_NODE_LOST_SECONDS,
      /** Largest snapshot archive an agent uploads (bytes). */
      snapshotMaxBytes: e.TRELLIS_SNAPSHOT_MAX_BYTES,
      pendingTimeoutSeconds: e.TRELLIS_PENDING_TIMEOUT_SECONDS,
      usageIntervalSeconds: e.TRELLIS_USAGE_INTERVAL_SECONDS,
      depletedGraceSeconds: e.TRELLIS_DEPLETED_GRACE_SECONDS,
      workerIntervalMs: e.TRELLIS_COMPUTE_WORKER_INTERVAL_MS,
      /** Expired job leases are looked for this often (seconds). */
      jobLeaseCheckSeconds: e.TRELLIS_JOB_LEASE_CHECK_SECONDS,
      /** GPU model → count of the embedded node, empty when `off`. */
      localNode:
        e.TRELLIS_LOCAL_NODE === 'off'
          ? []
          : e.TRELLIS_LOCAL_NODE.split(',').map((part) => {
              const [gpuModelId, count] = part.split(':');
              return { gpuModelId: gpuModelId as string, gpuCount: Number(count) };
            }),
      localNodeRegion: e.TRELLIS_LOCAL_NODE_REGION,
      providerAutoApprove: e.TRELLIS_PROVIDER_AUTO_APPROVE ?? !production,
      telegramBot: e.TRELLIS_TELEGRAM_BOT,
    },
    billing: {
      stripe: e.STRIPE_SECRET_KEY
        ? {
            secretKey: e.STRIPE_SECRET_KEY,
            publishableKey: e.STRIPE_PUBLISHABLE_KEY ?? null,
            webhookSecret: e.STRIPE_WEBHOOK_SECRET ?? null,
            apiBase: e.STRIPE_API_BASE ?? null,
          }
        : null,
      /** Checked even without a secret key: deliveries are verified before anything else. */
      webhookSecret: e.STRIPE_WEBHOOK_SECRET ?? null,
      planPrices: Object.fromEntries(
        (e.STRIPE_PLAN_PRICES ?? '')
          .split(',')
          .map((pair) => pair.split('=').map((s) => s.trim()))
          .filter((pair): pair is [string, string] => pair.length === 2 && !!pair[0] && !!pair[1]),
      ) as Record<string, string>,
      returnUrl: e.TRELLIS_BILLING_RETURN_URL,
      autoTopupCooldownSeconds: e.TRELLIS_BILLING_AUTO_TOPUP_COOLDOWN_SECONDS,
    },
  };
}
