/**
 * Shared helpers for the benchmark suites that bench/run.ts registers:
 * - `bootPlatform()` starts the all-in-one platform on a fresh database (a new database on the
 *   DATABASE_URL server, or an embedded PostgreSQL in a temporary directory) and random ports;
 * - `seedOrganization()` creates a user, an organization, a workflow, a VM and an API key;
 * - `measure()` drives one HTTP case with autocannon from a child process (so the load
 *   generator neither shares the platform's event loop nor counts in its RSS and CPU), after a
 *   warm-up, and reports RPS, latency percentiles, failures, CPU per request and peak RSS;
 * - `writeSection()` replaces one suite's section of bench/RESULTS.md.
 *
 * When run as `node bench/lib.ts --load-worker` (by `measure`), this file is the load generator:
 * it only imports autocannon, never the platform.
 */
import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AllInOne } from '../bin/platform.ts';
import type { RawEnv } from '../kernel/config.ts';
import type { Principal } from '../kernel/principal.ts';

/** The `p`th percentile of `sorted` (ascending; nearest rank, NaN when empty): one definition for every bench. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

export interface LoadSettings {
  /** Measured seconds per case. */
  durationSeconds: number;
  /** Unmeasured seconds of the same load first (JIT, caches, connection pools). */
  warmupSeconds: number;
  connections: number;
  /** Only the cases whose name starts with this (suites that support it, e.g. governance: `gate`). */
  only?: string;
}

export const DEFAULT_SETTINGS: LoadSettings = { durationSeconds: 10, warmupSeconds: 3, connections: 50 };

/** What one suite hands back to bench/run.ts, which adds date, command and machine. */
export interface SuiteReport {
  /** How the platform ran (database, Redis, notable configuration), one line each. */
  setup: string[];
  /** How the suite loads the platform, when not the default (autocannon, the settings' connections and durations). */
  loadDescription?: string;
  /** Markdown: tables and notes. */
  body: string;
}

export type Suite = (settings: LoadSettings) => Promise<SuiteReport>;

// ---------------------------------------------------------------------------------------------
// Machine and formatting

export function machine(): { cpu: string; cores: number; memoryGiB: number; os: string; node: string } {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/**
 * How fast this machine runs one thread of JavaScript right now: the CPU milliseconds of a fixed workload
 * (JSON of a 30 KB document, SHA-256 of 1 MiB, a sort), the best of five. Absolute figures drift 2× and
 * more between days on shared machines with the same model name; this says by how much, so sections
 * written on different days can be compared (or not). Lower is faster. Taken when a suite starts: it
 * varies within minutes too (50–80 ms here on 2026-12-02), so only large differences mean something.
 */
export function machineSpeed(): number {
  const document = {
    items: Array.from({ length: 300 }, (_, i) => ({ id: `item_${i}`, name: `Item ${i}`, tags: ['a', 'b', 'c'], n: i })),
  };
  const bytes = Buffer.alloc(1024 * 1024, 7);
  const numbers = Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 20_011);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < 120; i++) JSON.parse(JSON.stringify(document));
    for (let i = 0; i < 12; i++) createHash('sha256').update(bytes).digest();
    for (let i = 0; i < 3; i++) [...numbers].sort((a, b) => a - b);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/**
 * What one hop between processes costs here when they are busy vs when they were asleep: the p50 of a
 * PostgreSQL `select` round trip sent back to back, and sent after 20 ms of idling (a call at a low rate
 * finds every process asleep, and each of its hops pays the wake-up). On 2026-12-02's machine: ~0.1 ms
 * back to back, ~0.5 ms after idling — the difference is a floor under every added-latency figure.
 */
export async function roundTripFloor(databaseUrl: string, samples = 100): Promise<{ busyMs: number; idleMs: number }> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const p50 = async (gapMs: number) => {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      if (gapMs) await new Promise((resolve) => setTimeout(resolve, gapMs));
      const start = performance.now();
      await client.query({ name: 'bench_round_trip', text: 'select $1::int', values: [i] });
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[Math.floor(samples / 2)] as number;
  };
  try {
    await p50(0); // warm: connection, prepared statement
    return { busyMs: await p50(0), idleMs: await p50(20) };
  } finally {
    await client.end();
  }
}

/**
 * Waits until the platform's event pipeline has caught up — no event left in any subgraph's outbox,
 * no pending consumer delivery — so a case is not measured while the one before it is still being
 * relayed and consumed (a closed-loop case leaves thousands of `usage.recorded` events behind).
 * Answers the seconds it took and what was pending at the start; throws after `timeoutMs`.
 */
export async function drainEventPipeline(
  databaseUrl: string,
  timeoutMs = 120_000,
): Promise<{ seconds: number; pendingAtStart: number }> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `select table_schema as schema, table_name as name from information_schema.tables
        where table_name in ('outbox', 'consumer_deliveries')`,
    );
    const pendingSql = tables
      .map(({ schema, name }) =>
        name === 'outbox'
          ? `select count(*) as n from "${schema}".outbox where delivered_at is null`
          : `select count(*) as n from "${schema}".consumer_deliveries where status = 'pending'`,
      )
      .join(' union all ');
    const pending = async () =>
      pendingSql ? (await client.query<{ n: string }>(pendingSql)).rows.reduce((sum, r) => sum + Number(r.n), 0) : 0;
    const started = performance.now();
    const pendingAtStart = await pending();
    for (let left = pendingAtStart; left > 0; left = await pending()) {
      if (performance.now() - started > timeoutMs)
        throw new Error(`the event pipeline still had ${left} events pending after ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { seconds: (performance.now() - started) / 1000, pendingAtStart };
  } finally {
    await client.end();
  }
}

/** What this process did over a measured phase, per call (Linux: read from /proc; elsewhere absent). */
export interface ProcessWork {
  /** CPU of the main (JavaScript) thread. */
  mainCpuMs: number;
  /** CPU of every other thread: V8's helpers (concurrent marking, parallel scavenges, compilation), libuv's pool. */
  helperCpuMs: number;
  /** Write system calls (socket writes: PostgreSQL, Redis, the client, the upstream). */
  writes: number;
  /**
   * Time the main thread was ready to run but waited for a core (the scheduler's run-queue wait,
   * /proc schedstat): on two cores shared with PostgreSQL and the load, latency no code of ours spends.
   */
  mainWaitMs: number;
}

/** CPU ms (user + system) of a `/proc/…/stat` line; the command name before the fields may hold spaces. */
function statCpuMs(stat: string): number {
  // utime and stime are fields 14 and 15, in USER_HZ ticks: 100 a second on every Linux Node supports.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Starts counting this process's work; the function it returns divides what was done by `calls`.
 * It tells CPU that waits for a core from CPU spent, and the process's own thread from V8's helpers,
 * which `process.cpuUsage()` sums: at a low rate, a call pays for a batch of background work and a
 * wake-up per socket write, and this is where that shows.
 */
export function startProcessWork(): ((calls: number) => ProcessWork | undefined) | undefined {
  if (process.platform !== 'linux') return undefined;
  const threads = () => {
    const cpu = { main: 0, helpers: 0 };
    for (const task of readdirSync('/proc/self/task')) {
      const ms = statCpuMs(readFileSync(`/proc/self/task/${task}/stat`, 'utf8'));
      if (Number(task) === process.pid) cpu.main += ms;
      else cpu.helpers += ms;
    }
    return cpu;
  };
  const writes = () => Number(/^syscw: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? NaN);
  // schedstat: nanoseconds on a core, then waiting on a run queue (a kernel without it: NaN, shown as n/a).
  const mainWait = () => {
    try {
      return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
    } catch {
      return Number.NaN;
    }
  };
  const before = { ...threads(), writes: writes(), wait: mainWait() };
  return (calls) => {
    const after = { ...threads(), writes: writes(), wait: mainWait() };
    const per = (a: number, b: number) => (a - b) / Math.max(1, calls);
    return {
      mainCpuMs: per(after.main, before.main),
      helperCpuMs: per(after.helpers, before.helpers),
      writes: per(after.writes, before.writes),
      mainWaitMs: per(after.wait, before.wait),
    };
  };
}

/**
 * Starts counting the transactions PostgreSQL committed (every database of the server: run nothing
 * else against it meanwhile); the function it returns gives them per call.
 */
export async function startCommitCount(databaseUrl: string): Promise<(calls: number) => Promise<number>> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const commits = async () =>
    Number((await client.query('select sum(xact_commit)::bigint as n from pg_stat_database')).rows[0].n);
  const before = await commits();
  return async (calls) => {
    try {
      // The statistics a backend collects reach the view when it goes idle (at most a second later).
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await client.query('select pg_stat_clear_snapshot()');
      return ((await commits()) - before) / Math.max(1, calls);
    } finally {
      await client.end();
    }
  };
}

/**
 * Starts counting the CPU of the PostgreSQL backends connected to `databaseUrl`'s database, grouped by
 * their `application_name` (`trellis-<schema>`: kernel/database.ts): which subgraph's statements the
 * server spent its cores on. Read from `/proc/<pid>/stat`, so only when the server runs on this host (else
 * the function it returns gives nothing). Backends that close within the interval are not counted, nor
 * their CPU: the platform's pools keep theirs open while it is under load.
 */
export async function startPostgresCpu(databaseUrl: string): Promise<() => Promise<Map<string, number>>> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  /** CPU ms so far of each backend of this database, with its application name. */
  const backends = async () => {
    const { rows } = await client.query<{ pid: number; name: string }>(
      `select pid, coalesce(nullif(application_name, ''), 'unnamed') as name from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`,
    );
    const cpu = new Map<number, { name: string; ms: number }>();
    for (const { pid, name } of rows) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (stat.includes('(postgres)')) cpu.set(pid, { name, ms: statCpuMs(stat) });
      } catch {
        // Not this host's process (a remote server), or gone.
      }
    }
    return cpu;
  };
  const before = await backends();
  return async () => {
    try {
      const byName = new Map<string, number>();
      for (const [pid, { name, ms }] of await backends())
        byName.set(name, (byName.get(name) ?? 0) + ms - (before.get(pid)?.ms ?? 0));
      return byName;
    } finally {
      await client.end();
    }
  };
}

/**
 * Starts V8's CPU profiler in this process; the function it returns stops it and writes the profile to
 * `file` (a .cpuprofile for Chrome DevTools or any reader) — for one measured phase, not the boot.
 */
export async function startCpuProfile(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await writeFile(file, JSON.stringify(profile));
  };
}

export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const ratio = (a: number, b: number): string => (a > 0 && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
export const mib = (bytes: number): number => Math.round(bytes / 1024 ** 2);

const RESULTS_HEADER = `# Benchmark results

Written by \`npm run bench\` (bench/run.ts). Each suite's section is replaced when that suite runs
again; numbers from a shared or busy machine are only comparable within one section.
`;

/** Replaces (or appends) the section between `<!-- bench:<suite>:start/end -->` markers. */
export async function writeSection(file: string, suite: string, markdown: string): Promise<void> {
  const start = `<!-- bench:${suite}:start -->`;
  const end = `<!-- bench:${suite}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(file) ? await readFile(file, 'utf8') : RESULTS_HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${block}\n`;
  await writeFile(file, next.endsWith('\n') ? next : `${next}\n`);
}

// ---------------------------------------------------------------------------------------------
// The platform under test

export interface BenchPlatform {
  app: AllInOne;
  /** Gateway base URL (`http://127.0.0.1:<port>`). */
  url: string;
  /** One line per notable fact of the set-up, for the report. */
  setup: string[];
  graphql<T = unknown>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{ status: number; body: { data?: T; errors?: { message: string }[] } }>;
  close(): Promise<void>;
}

const openPlatforms = new Set<BenchPlatform>();

/** Closes every platform still running (an interrupted run must not leave PostgreSQL behind). */
export async function closeAllPlatforms(): Promise<void> {
  await Promise.allSettled([...openPlatforms].map((p) => p.close()));
}

/** Settings that keep the platform itself from being the limit of a load test. */
export const BENCH_ENV: RawEnv = {
  NODE_ENV: 'production',
  TRELLIS_HOST: '127.0.0.1',
  TRELLIS_PORT: '0',
  TRELLIS_IDENTITY_PORT: '0',
  TRELLIS_GOVERNANCE_PORT: '0',
  TRELLIS_COMPUTE_PORT: '0',
  TRELLIS_BILLING_PORT: '0',
  TRELLIS_EVENTS_PORT: '0',
  TRELLIS_EMBEDDED_PG_PORT: '0',
  // Bearer API keys without HMAC signatures (the auth suite measures signing separately).
  TRELLIS_HMAC_REQUIRED: 'false',
  // The suites sign with the seed-000 formula (v1), reusing one signature per run; production's default
  // (v2: a one-time nonce per request) would refuse the repeats.
  TRELLIS_HMAC_MIN_VERSION: '1',
  // One API key sends every request: a per-key limit would turn the run into a 429 benchmark.
  TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE: '1000000000',
  // Production refuses to start without SMTP; the suites send no mail, so nothing listens there.
  TRELLIS_SMTP_URL: process.env.TRELLIS_SMTP_URL ?? 'smtp://bench:bench@127.0.0.1:2525',
};

export async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: pg } = await import('pg');
  const name = `trellis_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Boots gateway and subgraphs in this process, with the production defaults, on a fresh database:
 * a new database on the DATABASE_URL server when set (dropped on close), otherwise an embedded
 * PostgreSQL under a temporary directory. REDIS_URL is used when set, under a random key prefix.
 */
export async function bootPlatform(overrides: RawEnv = {}): Promise<BenchPlatform> {
  const [
    { startAllInOne },
    { loadConfig },
    { Lifecycle },
    { createLogger },
    { limitHeapGrowth, HEAP_GROWING_PERCENT },
  ] = await Promise.all([
    import('../bin/platform.ts'),
    import('../kernel/config.ts'),
    import('../kernel/lifecycle.ts'),
    import('../kernel/logger.ts'),
    import('../kernel/heap-growth.ts'),
  ]);
  // As `trellis start` runs it. Without it V8 picked a factor of ~1.3 here, not `trellis start`'s 2: under
  // bench/ai.ts's 200 calls/s a full GC every ~5 s instead of one in 25 s (bench/RESULTS.md, ai).
  const heapGrowingPercent = limitHeapGrowth();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trellis-bench-'));
  const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
  const env: RawEnv = {
    ...BENCH_ENV,
    DATABASE_URL: database?.url,
    REDIS_URL: process.env.REDIS_URL,
    TRELLIS_REDIS_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
    TRELLIS_DATA_DIR: dataDir,
    TRELLIS_INTERNAL_SECRET: randomBytes(32).toString('hex'),
    TRELLIS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    // Logs cost throughput, so they are off; BENCH_LOG_LEVEL=warn shows why a case fails.
    TRELLIS_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    // A setting given to the bench reaches its platform: a paired run of one setting is
    // `TRELLIS_BACKGROUND_YIELD_MS=0 node bench/ai.ts` against the same command without it.
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('TRELLIS_'))),
    ...overrides,
  };
  const config = loadConfig(env, { allInOne: true });
  const logger = createLogger(config.logLevel);
  const lifecycle = new Lifecycle(logger, config.shutdownTimeoutMs);
  const cleanup = async () => {
    // A close that hangs must not lose the run's figures: past the shutdown deadline (as `trellis start`
    // would exit), say which closer hangs and go on.
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      deadline = setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs);
    });
    if ((await Promise.race([lifecycle.close(), timedOut])) === 'timeout')
      process.stderr.write(`bench: platform close still waiting on ${lifecycle.closingNow} — going on\n`);
    clearTimeout(deadline);
    await database?.drop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };
  let app: AllInOne;
  try {
    app = await startAllInOne(config, logger, lifecycle);
  } catch (error) {
    await cleanup();
    throw error;
  }
  const url = app.gateway.url;
  const platform: BenchPlatform = {
    app,
    url,
    setup: [
      `all-in-one process: gateway and five subgraphs (REST adapter ${config.rest.mode})`,
      database
        ? 'PostgreSQL: a fresh database on the DATABASE_URL server'
        : 'PostgreSQL: embedded (fresh data directory)',
      config.redisUrl ? 'Redis: REDIS_URL (message bus, caches, rate limits)' : 'Redis: none (PostgreSQL bus)',
      heapGrowingPercent === HEAP_GROWING_PERCENT
        ? `V8 heap growing factor ${1 + HEAP_GROWING_PERCENT / 100}, as \`trellis start\` sets it`
        : `V8 heap growing factor ${1 + heapGrowingPercent / 100} from the command line (\`trellis start\` sets ${1 + HEAP_GROWING_PERCENT / 100})`,
      config.gcThreadNice > 0
        ? `V8's helper threads at nice ${config.gcThreadNice}, as every service sets them (kernel/gc-threads.ts)`
        : "V8's helper threads at their default priority (TRELLIS_GC_THREAD_NICE=0)",
      `NODE_ENV=${config.env}, log level ${config.logLevel}, HMAC ${config.auth.hmacRequired ? 'required' : 'not required'}, API-key rate limit ${config.rateLimits.apiKeyPerMinute}/min`,
    ],
    async graphql(query, variables, token) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as never };
    },
    async close() {
      openPlatforms.delete(platform);
      await cleanup();
    },
  };
  openPlatforms.add(platform);
  return platform;
}

export interface Seed {
  /** Session token of the user who owns the organization. */
  token: string;
  userId: string;
  orgId: string;
  workflowId: string;
  vmId: string;
  /** Plaintext API key (scope `*`) bound to the organization. */
  apiKey: string;
}

/** A user, an organization it owns, a workflow, a VM and an API key — through the public API. */
export async function seedOrganization(platform: BenchPlatform, name = 'Bench Org'): Promise<Seed> {
  const call = async <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> => {
    const { status, body } = await platform.graphql<T>(query, variables, token);
    if (!body.data || body.errors?.length)
      throw new Error(`seeding failed (HTTP ${status}): ${JSON.stringify(body.errors ?? body)}`);
    return body.data;
  };
  const email = `bench-${randomBytes(5).toString('hex')}@example.com`;
  const { register } = await call<{ register: { token: string; user: { id: string } } }>(
    'mutation Register($input: RegisterInput!) { register(input: $input) { token user { id } } }',
    { input: { email, password: 'correct horse battery staple', name: 'Bench User' } },
  );
  const { token } = register;
  const { createOrganization } = await call<{ createOrganization: { id: string } }>(
    'mutation CreateOrg($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
    { input: { name } },
    token,
  );
  const orgId = createOrganization.id;
  const { createWorkflow } = await call<{ createWorkflow: { id: string } }>(
    'mutation CreateWorkflow($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "bench agent", budgetMicros: 5000000 }) { id } }',
    { orgId },
    token,
  );
  const { createVm } = await call<{ createVm: { id: string } }>(
    'mutation CreateVm($orgId: ID!) { createVm(orgId: $orgId, input: { name: "bench trainer", gpuModelId: "h100-80gb" }) { id } }',
    { orgId },
    token,
  );
  const { createApiKey } = await call<{ createApiKey: { key: string } }>(
    'mutation CreateKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
    { input: { orgId, name: 'bench key' } },
    token,
  );
  return {
    token,
    userId: register.user.id,
    orgId,
    workflowId: createWorkflow.id,
    vmId: createVm.id,
    apiKey: createApiKey.key,
  };
}

// ---------------------------------------------------------------------------------------------
// Load

export interface HttpCase {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /**
   * Sent as `x-trellis-principal`, signed with `secret` and re-signed before it expires
   * (PRINCIPAL_TTL_SECONDS), for requests straight to a subgraph.
   */
  principal?: { secret: string; principal: Principal };
  /**
   * A response whose body matches this (regular expression source) counts as a failure even
   * with a 2xx status. Default: a GraphQL `errors` array or a non-null REST envelope `error`.
   */
  failurePattern?: string;
}

export const DEFAULT_FAILURE_PATTERN = String.raw`"errors"\s*:\s*\[|"error"\s*:\s*\{`;

export interface CaseResult {
  name: string;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  meanMs: number;
  requests: number;
  /** Non-2xx responses plus 2xx responses matching the failure pattern. */
  failures: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** CPU time (user + system) of this process per completed request: the platform's cost. */
  cpuMsPerRequest: number;
  /** Highest RSS of this process sampled during the measured phase. */
  peakRssBytes: number;
}

interface WorkerRequest {
  case: HttpCase;
  warmupSeconds: number;
  durationSeconds: number;
  connections: number;
}

interface WorkerSummary {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  meanMs: number;
  requests: number;
  non2xx: number;
  bodyFailures: number;
  errors: number;
}

type WorkerMessage =
  | { type: 'measuring' }
  | { type: 'result'; summary: WorkerSummary }
  | { type: 'error'; message: string };

/** One request outside the load run: the case must work before it is worth measuring. */
export async function probe(c: HttpCase): Promise<{ ok: boolean; status: number; body: string }> {
  const headers: Record<string, string> = { ...c.headers };
  if (c.principal) {
    const { PRINCIPAL_HEADER, signPrincipal } = await import('../kernel/principal.ts');
    headers[PRINCIPAL_HEADER] = signPrincipal(c.principal.secret, c.principal.principal);
  }
  const response = await fetch(c.url, { method: c.method ?? 'GET', headers, body: c.body });
  const body = await response.text();
  const failed = new RegExp(c.failurePattern ?? DEFAULT_FAILURE_PATTERN).test(body);
  return { ok: response.ok && !failed, status: response.status, body };
}

/** CPU and RSS of a process: this one, or another one (by pid, read from /proc on Linux). */
export interface ProcessProbe {
  /** User + system CPU so far, in microseconds. */
  cpuMicros(): number;
  rssBytes(): number;
}

export const thisProcess: ProcessProbe = {
  cpuMicros: () => {
    const cpu = process.cpuUsage();
    return cpu.user + cpu.system;
  },
  rssBytes: () => process.memoryUsage.rss(),
};

/** Another process on this Linux machine (`/proc/<pid>`): clock ticks are 1/100 s on Linux. */
export function otherProcess(pid: number): ProcessProbe {
  const PAGE = 4096;
  const TICK_MICROS = 10_000;
  return {
    cpuMicros: () => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime is the 14th, stime the 15th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) * TICK_MICROS;
    },
    rssBytes: () => Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE,
  };
}

/**
 * Measures one case: a probe (throws when the case does not work), a warm-up, then the
 * measured run, with autocannon in a child process. CPU and RSS are this process's unless
 * `target` names another (a server under test in its own process).
 */
export async function measure(c: HttpCase, settings: LoadSettings, target = thisProcess): Promise<CaseResult> {
  const check = await probe(c);
  if (!check.ok) throw new Error(`${c.name}: probe answered ${check.status}: ${check.body.slice(0, 300)}`);
  const child = fork(fileURLToPath(import.meta.url), ['--load-worker'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let peakRss = target.rssBytes();
  let cpuStart = 0;
  let sampler: NodeJS.Timeout | undefined;
  const startSampling = () => {
    cpuStart = target.cpuMicros();
    peakRss = target.rssBytes();
    sampler = setInterval(() => {
      peakRss = Math.max(peakRss, target.rssBytes());
    }, 200);
  };
  try {
    const summary = await new Promise<WorkerSummary>((resolve, reject) => {
      child.on('message', (message: WorkerMessage) => {
        if (message.type === 'measuring') startSampling();
        else if (message.type === 'result') resolve(message.summary);
        else reject(new Error(`${c.name}: ${message.message}`));
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${c.name}: load generator exited with code ${code}`)));
      const request: WorkerRequest = {
        case: c,
        warmupSeconds: settings.warmupSeconds,
        durationSeconds: settings.durationSeconds,
        connections: settings.connections,
      };
      child.send(request);
    });
    const cpuMicros = target.cpuMicros() - cpuStart;
    peakRss = Math.max(peakRss, target.rssBytes());
    return {
      name: c.name,
      rps: summary.rps,
      p50: summary.p50,
      p90: summary.p90,
      p99: summary.p99,
      meanMs: summary.meanMs,
      requests: summary.requests,
      failures: summary.non2xx + summary.bodyFailures,
      errors: summary.errors,
      cpuMsPerRequest: summary.requests > 0 ? cpuMicros / 1000 / summary.requests : Number.NaN,
      peakRssBytes: peakRss,
    };
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null) child.kill();
  }
}

/** The columns every load table shares. */
export const RESULT_HEADER = [
  'case',
  'RPS',
  'p50 ms',
  'p90 ms',
  'p99 ms',
  'mean ms',
  'requests',
  'failed',
  'conn. errors',
  'CPU ms/req',
  'peak RSS MiB',
];

export const resultRow = (r: CaseResult): (string | number)[] => [
  r.name,
  fixed(r.rps, 0),
  fixed(r.p50, 0),
  fixed(r.p90, 0),
  fixed(r.p99, 0),
  fixed(r.meanMs, 1),
  r.requests,
  r.failures,
  r.errors,
  fixed(r.cpuMsPerRequest, 2),
  mib(r.peakRssBytes),
];

// ---------------------------------------------------------------------------------------------
// The load generator (child process)

interface AutocannonRequest {
  setupRequest?: (request: { headers?: Record<string, string> }, context: unknown) => unknown;
  onResponse?: (status: number, body: string, context: unknown) => void;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latency: { p50: number; p90: number; p99: number; average: number };
  requests: { average: number; total: number };
}

/** autocannon 8 ships no type declarations; this is the part used here. */
type Autocannon = (options: {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  duration: number;
  pipelining?: number;
  timeout?: number;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;

async function loadWorker(): Promise<void> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const request = await new Promise<WorkerRequest>((resolve) => process.once('message', resolve));
  const c = request.case;
  const failure = new RegExp(c.failurePattern ?? DEFAULT_FAILURE_PATTERN);
  let bodyFailures = 0;
  let sign: (() => string) | undefined;
  let principalHeader = '';
  if (c.principal) {
    const { PRINCIPAL_HEADER, PRINCIPAL_TTL_SECONDS, signPrincipal } = await import('../kernel/principal.ts');
    const { secret, principal } = c.principal;
    principalHeader = PRINCIPAL_HEADER;
    let signed = '';
    let signedAt = 0;
    // Re-sign at half the validity: a long run never sends an expired principal.
    sign = () => {
      if (Date.now() - signedAt > (PRINCIPAL_TTL_SECONDS * 1000) / 2) {
        signed = signPrincipal(secret, principal);
        signedAt = Date.now();
      }
      return signed;
    };
  }
  const run = (seconds: number) =>
    autocannon({
      url: c.url,
      method: c.method ?? 'GET',
      headers: c.headers,
      body: c.body,
      connections: request.connections,
      duration: seconds,
      pipelining: 1,
      timeout: 10,
      requests: [
        {
          ...(sign
            ? {
                setupRequest: (req: { headers?: Record<string, string> }) => {
                  req.headers = { ...req.headers, [principalHeader]: (sign as () => string)() };
                  return req;
                },
              }
            : {}),
          onResponse: (status: number, body: string) => {
            if (status >= 200 && status < 300 && failure.test(body)) bodyFailures++;
          },
        },
      ],
    });
  if (request.warmupSeconds > 0) await run(request.warmupSeconds);
  bodyFailures = 0;
  process.send?.({ type: 'measuring' } satisfies WorkerMessage);
  const result = await run(request.durationSeconds);
  const summary: WorkerSummary = {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    meanMs: result.latency.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    bodyFailures,
    errors: result.errors + result.timeouts,
  };
  process.send?.({ type: 'result', summary } satisfies WorkerMessage, () => process.exit(0));
}

if (import.meta.main && process.argv.includes('--load-worker')) {
  loadWorker().catch((error: Error) => {
    process.send?.({ type: 'error', message: error.stack ?? String(error) } satisfies WorkerMessage, () =>
      process.exit(1),
    );
  });
}
