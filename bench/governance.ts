/**
 * The governance benchmark suite: the SDK hot path as an SDK drives it.
 *
 * - `POST /v1/gate` through the REST adapter, every request HMAC-signed (HMAC required), against
 *   the same `gate` mutation sent straight to the governance subgraph (signed principal);
 * - `POST /v1/execute` then `POST /v1/track` settling it (each connection alternates, a fresh
 *   event id per track), through REST with HMAC, against the same two mutations straight to the
 *   subgraph.
 *
 * 50 connections by default; overhead ratios REST ÷ direct. Targets (issues 5 and 16), at 1,000 req/s
 * on a 2-core machine: the gate's p99 ≤ 10 ms, execute+track's p99 ≤ 25 ms (P99_TARGET_MS). The load
 * generator runs in a child process (this file with `--governance-load-worker`: autocannon for the
 * closed-loop cases, raw keep-alive sockets for the open-loop ones, bench/raw-http.ts) so it shares
 * neither the event loop nor the RSS of the platform; CPU per request is the platform process's.
 *
 * Register in bench/run.ts as `governance: governanceSuite`, or run on its own:
 *   node bench/governance.ts [--duration 10] [--warmup 3] [--connections 50] [--only gate] [--trace DIR] [--write]
 *     [--stop-workers SUBGRAPHS]
 *
 * `--stop-workers events,billing` (with `--only`, a diagnostic, never the suite) stops the background workers of
 * the subgraphs named (their outbox relay, consumers, sweepers) before the case: what the hot path costs without
 * them. Their events then stay in the outbox, unrelayed, so the report says the run is not a measurement.
 *
 * `--trace DIR` writes every request of each open-loop (@ 1,000 req/s) case as DIR/<case>.tsv: when it was due
 * (ms from the measured phase's start) and its latency; `node bench/trace-summary.ts FILE` reads one. The
 * warm-up and the measured phase share their connections, as an SDK's keep-alive agent would.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Principal } from '../kernel/principal.ts';
import { apiKeySignature } from '../kernel/secrets.ts';
import {
  type BenchPlatform,
  bootPlatform,
  type CaseResult,
  closeAllPlatforms,
  DEFAULT_SETTINGS,
  drainEventPipeline,
  fixed,
  type LoadSettings,
  markdownTable,
  mib,
  RESULT_HEADER,
  ratio,
  resultRow,
  type SuiteReport,
  startPostgresCpu,
  startProcessWork,
  writeSection,
} from './lib.ts';
import { postBytes, RawConnection, RawPool } from './raw-http.ts';
import { writeTrace } from './trace-summary.ts';

const GATE = /* GraphQL */ `mutation BenchGate($input: GateInput!) { gate(input: $input) { allowed reason remainingMicros } }`;
const EXECUTE = /* GraphQL */ `mutation BenchExecute($input: ExecuteInput!) {
  execute(input: $input) { executionId allowed decision reason remainingMicros }
}`;
const TRACK = /* GraphQL */ `mutation BenchTrack($input: TrackInput!) {
  track(input: $input) { eventId recorded settled spentMicros }
}`;

/** Issue #16's p99 targets at 1,000 req/s (REST + HMAC), by kind of case. */
const P99_TARGET_MS: Record<LoadCase['kind'], number> = { gate: 10, 'execute-track': 25 };

/** What the load worker needs to build (and sign) each request. */
interface LoadCase {
  name: string;
  kind: 'gate' | 'execute-track';
  target: 'rest' | 'direct';
  /** Gateway base URL for REST, the subgraph's /graphql URL for direct. */
  url: string;
  workflowId: string;
  apiKey: string;
  signingSecret: string;
  internalSecret: string;
  principal: Principal;
  /** Open-loop load at this many requests per second (all connections together); closed loop when absent. */
  rate?: number;
}

interface WorkerRequest {
  case: LoadCase;
  warmupSeconds: number;
  durationSeconds: number;
  connections: number;
  /** Keep each measured request's due time and latency (`--trace`). */
  trace?: boolean;
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
  /**
   * Open loop: how late the load generator itself sent, p99 of (actual send − scheduled send). The
   * latency counts from the scheduled time, so this much of it is the generator's, not the platform's.
   */
  senderLateP99?: number;
  /** Under `--trace` (open loop): [ms from the case's start when the request was due, latency ms]. */
  calls?: [number, number][];
}

type WorkerMessage =
  | { type: 'measuring' }
  | { type: 'result'; summary: WorkerSummary }
  | { type: 'error'; message: string };

// ---------------------------------------------------------------------------------------------
// Requests (used by the worker and by the probe)

/** The headers an SDK sends: X-Signature = hex(HMAC-SHA256(secret, `ts:apiKey:hex(sha256(body))`)). */
export function signedHeaders(c: Pick<LoadCase, 'apiKey' | 'signingSecret'>, body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    'content-type': 'application/json',
    'x-api-key': c.apiKey,
    'x-signature': apiKeySignature(c.signingSecret, timestamp, c.apiKey, body),
    'x-signature-timestamp': timestamp,
  };
}

interface Step {
  path: string;
  body(context: Record<string, unknown>): string;
  /** Keeps what the next step needs (the execution id). */
  onBody?(body: string, context: Record<string, unknown>): void;
}

function stepsOf(c: LoadCase): Step[] {
  const gateInput = { workflowId: c.workflowId, model: 'gpt-4o-mini', estimatedCostMicros: 1_000 };
  const executeInput = {
    workflowId: c.workflowId,
    model: 'gpt-4o-mini',
    provider: 'openai',
    estimatedCostMicros: 1_000,
  };
  const trackInput = (context: Record<string, unknown>) => ({
    eventId: `bench-${randomBytes(9).toString('base64url')}`,
    executionId: context.executionId,
    costMicros: 800,
    inputTokens: 420,
    outputTokens: 96,
    latencyMs: 700,
  });
  const keepExecution = (body: string, context: Record<string, unknown>) => {
    try {
      const parsed = JSON.parse(body) as { data?: { executionId?: string; execute?: { executionId?: string } } };
      context.executionId = parsed.data?.executionId ?? parsed.data?.execute?.executionId;
    } catch {
      context.executionId = undefined;
    }
  };
  if (c.target === 'rest') {
    if (c.kind === 'gate') return [{ path: '/v1/gate', body: () => JSON.stringify(gateInput) }];
    return [
      { path: '/v1/execute', body: () => JSON.stringify(executeInput), onBody: keepExecution },
      { path: '/v1/track', body: (context) => JSON.stringify(trackInput(context)) },
    ];
  }
  const graphql = (query: string, input: unknown) => JSON.stringify({ query, variables: { input } });
  if (c.kind === 'gate') return [{ path: '', body: () => graphql(GATE, gateInput) }];
  return [
    { path: '', body: () => graphql(EXECUTE, executeInput), onBody: keepExecution },
    { path: '', body: (context) => graphql(TRACK, trackInput(context)) },
  ];
}

/** Headers of one request: an HMAC signature (REST) or the gateway-signed principal (direct). */
async function headersFor(c: LoadCase, body: string, principalHeader: () => Promise<[string, string]>) {
  if (c.target === 'rest') return signedHeaders(c, body);
  const [name, value] = await principalHeader();
  return { 'content-type': 'application/json', [name]: value };
}

const FAILURE = /"errors"\s*:\s*\[|"error"\s*:\s*\{|"allowed"\s*:\s*false|"recorded"\s*:\s*false/;

// ---------------------------------------------------------------------------------------------
// The load generator (child process)

interface AutocannonRequest {
  method: string;
  path?: string;
  setupRequest(request: { headers?: Record<string, string>; body?: string }, context: Record<string, unknown>): unknown;
  onResponse(status: number, body: string, context: Record<string, unknown>): void;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latency: { p50: number; p90: number; p99: number; average: number };
  requests: { total: number };
}

type Autocannon = (options: {
  url: string;
  connections: number;
  overallRate?: number;
  duration: number;
  pipelining?: number;
  timeout?: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

/** One POST on `agent`, the answer as text (bench/request-cost.ts's closed-loop client). */
export function postText(
  agent: http.Agent,
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs?: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        agent,
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        ...(timeoutMs ? { timeout: timeoutMs } : {}),
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          data += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

/**
 * Open-loop load at `rate` requests per second, evenly spaced: an iteration (one pass of the case's
 * steps) starts every `steps / rate` seconds whatever the server's pace, so queueing shows up as
 * latency (measured from each iteration's scheduled start for its first request).
 */
async function openLoop(
  c: LoadCase,
  steps: Step[],
  rate: number,
  seconds: number,
  pool: RawPool,
  principal: () => string,
  trace = false,
): Promise<WorkerSummary> {
  const { PRINCIPAL_HEADER } = await import('../kernel/principal.ts');
  const target = new URL(c.url);
  const send = (step: Step, context: Record<string, unknown>) => {
    const body = step.body(context);
    const headers =
      c.target === 'rest'
        ? signedHeaders(c, body)
        : { 'content-type': 'application/json', [PRINCIPAL_HEADER]: principal() };
    return pool.send(postBytes(new URL(step.path || target.pathname, target), headers, body));
  };
  const iterations = Math.max(1, Math.round((rate / steps.length) * seconds));
  const spacing = (1000 * steps.length) / rate;
  // Preallocated and no promise kept per iteration: the generator's own garbage would otherwise reach
  // its old generation and a full GC pause of the generator would show up as the platform's tail.
  const latencies = new Float64Array(iterations * steps.length);
  const lateness = new Float64Array(iterations);
  /** Under `--trace`: when each request was due (its iteration's scheduled start, or its step's send), ms from the start. */
  const dueAt = trace ? new Float64Array(iterations * steps.length) : undefined;
  let measured = 0;
  let non2xx = 0;
  let failures = 0;
  let errors = 0;
  let unfinished = iterations;
  let allDone: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const iterate = async (due: number) => {
    const context: Record<string, unknown> = {};
    let sentAt = due;
    for (const step of steps) {
      try {
        const response = await send(step, context);
        if (dueAt) dueAt[measured] = sentAt - started;
        latencies[measured++] = performance.now() - sentAt;
        if (response.status < 200 || response.status >= 300) non2xx++;
        else if (FAILURE.test(response.body)) failures++;
        step.onBody?.(response.body, context);
      } catch {
        errors++;
      }
      sentAt = performance.now();
    }
    if (--unfinished === 0) allDone();
  };
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const due = started + i * spacing;
    const wait = due - performance.now();
    if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
    lateness[i] = Math.max(0, performance.now() - due);
    void iterate(due);
  }
  await finished;
  const elapsed = (performance.now() - started) / 1000;
  const calls: [number, number][] | undefined = dueAt
    ? Array.from({ length: measured }, (_, i) => [dueAt[i] as number, latencies[i] as number])
    : undefined;
  const sorted = latencies.subarray(0, measured).sort();
  const at = (values: Float64Array, p: number) =>
    values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;
  const tenths = (ms: number) => Math.round(ms * 10) / 10;
  let sum = 0;
  for (const latency of sorted) sum += latency;
  return {
    rps: measured / elapsed,
    p50: tenths(at(sorted, 50)),
    p90: tenths(at(sorted, 90)),
    p99: tenths(at(sorted, 99)),
    meanMs: sum / Math.max(1, measured),
    requests: measured,
    non2xx,
    bodyFailures: failures,
    errors,
    senderLateP99: tenths(at(lateness.sort(), 99)),
    ...(calls ? { calls } : {}),
  };
}

async function loadWorker(): Promise<void> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const { PRINCIPAL_HEADER, PRINCIPAL_TTL_SECONDS, signPrincipal } = await import('../kernel/principal.ts');
  const request = await new Promise<WorkerRequest>((resolve) => process.once('message', resolve));
  const c = request.case;
  let signed = '';
  let signedAt = 0;
  // Re-sign at half the validity, like lib.ts: a long run never sends an expired principal.
  const principal = () => {
    if (Date.now() - signedAt > (PRINCIPAL_TTL_SECONDS * 1000) / 2) {
      signed = signPrincipal(c.internalSecret, c.principal);
      signedAt = Date.now();
    }
    return signed;
  };
  let bodyFailures = 0;
  const steps = stepsOf(c);
  const requests: AutocannonRequest[] = steps.map((step) => ({
    method: 'POST',
    ...(step.path ? { path: step.path } : {}),
    setupRequest(req, context) {
      const body = step.body(context);
      req.body = body;
      req.headers =
        c.target === 'rest'
          ? signedHeaders(c, body)
          : { 'content-type': 'application/json', [PRINCIPAL_HEADER]: principal() };
      return req;
    },
    onResponse(status, body, context) {
      if (status >= 200 && status < 300 && FAILURE.test(body)) bodyFailures++;
      step.onBody?.(body, context);
    },
  }));
  const closedLoop = async (seconds: number): Promise<WorkerSummary> => {
    const result = await autocannon({
      url: c.url,
      connections: request.connections,
      duration: seconds,
      pipelining: 1,
      timeout: 10,
      requests,
    });
    return {
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
  };
  // autocannon's own rate limit releases each second's quota in a burst, which measures the burst;
  // open-loop cases are paced evenly instead, and latency counts from the scheduled send time.
  // One pool for the warm-up and the measured phase: the measured phase runs on the connections the
  // warm-up opened, as an SDK's keep-alive agent would, instead of opening them again while measured.
  const pool = new RawPool(new URL(c.url), request.connections);
  const run = (seconds: number, trace = false) =>
    c.rate ? openLoop(c, steps, c.rate, seconds, pool, principal, trace) : closedLoop(seconds);
  if (request.warmupSeconds > 0) await run(request.warmupSeconds);
  // The warm-up's garbage collected now (when --expose-gc is inherited), not in the measured phase.
  (globalThis as { gc?: () => void }).gc?.();
  bodyFailures = 0;
  process.send?.({ type: 'measuring' } satisfies WorkerMessage);
  const summary = await run(request.durationSeconds, request.trace);
  pool.close();
  process.send?.({ type: 'result', summary } satisfies WorkerMessage, () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// Measuring (parent process: the platform)

/** One pass of the case's steps before loading it: it must work to be worth measuring. */
async function probe(c: LoadCase): Promise<void> {
  const { PRINCIPAL_HEADER, signPrincipal } = await import('../kernel/principal.ts');
  const context: Record<string, unknown> = {};
  for (const step of stepsOf(c)) {
    const body = step.body(context);
    const headers = await headersFor(c, body, async () => [
      PRINCIPAL_HEADER,
      signPrincipal(c.internalSecret, c.principal),
    ]);
    const response = await fetch(`${c.url}${step.path}`, { method: 'POST', headers, body });
    const text = await response.text();
    if (!response.ok || FAILURE.test(text))
      throw new Error(`${c.name}: probe answered ${response.status}: ${text.slice(0, 300)}`);
    step.onBody?.(text, context);
  }
}

/**
 * A measured case, with how late the load generator sent, how long the platform's main thread waited for a
 * core, how late its event loop ran timers, and the cores PostgreSQL spent per subgraph (by `application_name`).
 */
type MeasuredCase = CaseResult & {
  kind: LoadCase['kind'];
  senderLateP99?: number;
  mainWaitShare?: number;
  loopDelay: { p99Ms: number; maxMs: number };
  postgresCores: Map<string, number>;
};

async function measure(
  c: LoadCase,
  settings: LoadSettings,
  databaseUrl: string,
  trace?: string,
): Promise<MeasuredCase> {
  await probe(c);
  const child = fork(fileURLToPath(import.meta.url), ['--governance-load-worker'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let peakRss = process.memoryUsage.rss();
  let cpuStart: NodeJS.CpuUsage | undefined;
  let countWork: ReturnType<typeof startProcessWork>;
  let measuringSince = 0;
  let sampler: NodeJS.Timeout | undefined;
  // Timer lateness at 1 ms resolution: the stalls every request in the process waits behind.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  let postgresCpu: Promise<() => Promise<Map<string, number>>> | undefined;
  try {
    const summary = await new Promise<WorkerSummary>((resolve, reject) => {
      child.on('message', (message: WorkerMessage) => {
        if (message.type === 'measuring') {
          cpuStart = process.cpuUsage();
          countWork = startProcessWork();
          loopDelay.enable();
          postgresCpu = startPostgresCpu(databaseUrl);
          measuringSince = performance.now();
          peakRss = process.memoryUsage.rss();
          sampler = setInterval(() => {
            peakRss = Math.max(peakRss, process.memoryUsage.rss());
          }, 200);
        } else if (message.type === 'result') resolve(message.summary);
        else reject(new Error(`${c.name}: ${message.message}`));
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${c.name}: load generator exited with code ${code}`)));
      child.send({
        case: c,
        warmupSeconds: settings.warmupSeconds,
        durationSeconds: settings.durationSeconds,
        connections: settings.connections,
        trace: trace !== undefined,
      } satisfies WorkerRequest);
    });
    if (trace !== undefined && summary.calls) await writeTrace(trace, c.name, summary.calls);
    const cpu = process.cpuUsage(cpuStart);
    const waitedMs = countWork?.(1)?.mainWaitMs;
    loopDelay.disable();
    const measuredMs = performance.now() - measuringSince;
    const postgresMs = postgresCpu ? await (await postgresCpu)() : new Map<string, number>();
    return {
      name: c.name,
      kind: c.kind,
      rps: summary.rps,
      p50: summary.p50,
      p90: summary.p90,
      p99: summary.p99,
      meanMs: summary.meanMs,
      requests: summary.requests,
      failures: summary.non2xx + summary.bodyFailures,
      errors: summary.errors,
      cpuMsPerRequest: summary.requests > 0 ? (cpu.user + cpu.system) / 1000 / summary.requests : Number.NaN,
      peakRssBytes: Math.max(peakRss, process.memoryUsage.rss()),
      senderLateP99: summary.senderLateP99,
      mainWaitShare: waitedMs === undefined ? undefined : waitedMs / measuredMs,
      loopDelay: { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 },
      postgresCores: new Map([...postgresMs].map(([name, ms]) => [name, ms / measuredMs])),
    };
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null) child.kill();
  }
}

/** A user, an organization, a workflow with a budget far above any run's spend, and an SDK key with its signing secret. */
export async function seed(platform: BenchPlatform) {
  const call = async <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> => {
    const { status, body } = await platform.graphql<T>(query, variables, token);
    if (!body.data || body.errors?.length)
      throw new Error(`seeding failed (HTTP ${status}): ${JSON.stringify(body.errors ?? body)}`);
    return body.data;
  };
  const email = `bench-gov-${randomBytes(5).toString('hex')}@example.com`;
  const { register } = await call<{ register: { token: string } }>(
    'mutation Register($input: RegisterInput!) { register(input: $input) { token } }',
    { input: { email, password: 'correct horse battery staple', name: 'Governance Bench' } },
  );
  const token = register.token;
  const { createOrganization } = await call<{ createOrganization: { id: string } }>(
    'mutation Org($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
    { input: { name: 'Governance Bench' } },
    token,
  );
  const orgId = createOrganization.id;
  // A budget far above what a run spends: every call goes through the conditional reservation.
  const { createWorkflow } = await call<{ createWorkflow: { id: string } }>(
    'mutation Wf($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "bench agent", budgetMicros: 1000000000000000 }) { id } }',
    { orgId },
    token,
  );
  const { createApiKey } = await call<{ createApiKey: { key: string; signingSecret: string } }>(
    'mutation Key($input: CreateApiKeyInput!) { createApiKey(input: $input) { key signingSecret } }',
    { input: { orgId, name: 'bench sdk key' } },
    token,
  );
  return {
    token,
    orgId,
    workflowId: createWorkflow.id,
    apiKey: createApiKey.key,
    signingSecret: createApiKey.signingSecret,
  };
}

interface BurstResult {
  calls: number;
  granted: number;
  denied: number;
  failed: number;
  /** The client's time, first connect to last answer. */
  seconds: number;
  /** The platform's, first request received to last answer written. */
  serverSeconds: number;
}

/** Times `server` from the first request it receives to the last answer it finishes, until `stop`. */
function serverSpan(server: http.Server): { stop(): number } {
  let first: number | undefined;
  let last = 0;
  const onRequest = (_request: http.IncomingMessage, response: http.ServerResponse) => {
    first ??= performance.now();
    response.once('finish', () => {
      last = performance.now();
    });
  };
  server.on('request', onRequest);
  return {
    stop() {
      server.off('request', onRequest);
      return first === undefined ? Number.NaN : (last - first) / 1000;
    },
  };
}

interface BurstRequest {
  url: string;
  apiKey: string;
  signingSecret: string;
  payloads: string[];
}

interface BurstAnswers {
  answers: { status: number; text: string }[];
  seconds: number;
}

/**
 * The burst's client, in its own process like the load generator (`--governance-burst-worker`): every
 * request is signed and encoded before the clock starts; then each opens its own connection and
 * writes its bytes (bench/raw-http.ts: `node:http`'s own work for 500 requests took ~0.15-0.2 s of a
 * core inside the clock). Time from the first connect to the last answer read.
 */
async function burstWorker(): Promise<void> {
  const request = await new Promise<BurstRequest>((resolve) => process.once('message', resolve));
  const url = new URL(request.url);
  const messages = request.payloads.map((payload) => postBytes(url, signedHeaders(request, payload), payload));
  const connections: RawConnection[] = [];
  const started = performance.now();
  const answers = await Promise.all(
    messages.map(async (message) => {
      const connection = await RawConnection.open(url);
      connections.push(connection);
      const { status, body: text } = await connection.send(message);
      return { status, text };
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const connection of connections) connection.close();
  process.send?.({ answers, seconds } satisfies BurstAnswers, () => process.exit(0));
}

function runBurstWorker(request: BurstRequest): Promise<BurstAnswers> {
  const child = fork(fileURLToPath(import.meta.url), ['--governance-burst-worker'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<BurstAnswers>((resolve, reject) => {
    child.once('message', (answers: BurstAnswers) => resolve(answers));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`burst client exited with code ${code}`)));
    child.send(request);
  });
}

/**
 * 500 concurrent `POST /v1/execute` (REST + HMAC) against a fresh workflow whose budget has room
 * for exactly 100: the time until every call is answered, and how many were granted.
 */
async function burst(platform: BenchPlatform, s: Awaited<ReturnType<typeof seed>>): Promise<BurstResult> {
  const cost = 10_000;
  const calls = 500;
  const { body } = await platform.graphql<{ createWorkflow: { id: string } }>(
    'mutation Wf($orgId: ID!, $budget: SafeInt!) { createWorkflow(orgId: $orgId, input: { name: "burst", budgetMicros: $budget }) { id } }',
    { orgId: s.orgId, budget: 100 * cost },
    s.token,
  );
  const workflowId = body.data?.createWorkflow.id;
  if (!workflowId) throw new Error(`burst workflow not created: ${JSON.stringify(body.errors)}`);
  const span = serverSpan(platform.app.gateway.app.server);
  const { answers, seconds } = await runBurstWorker({
    url: `${platform.url}/v1/execute`,
    apiKey: s.apiKey,
    signingSecret: s.signingSecret,
    payloads: Array.from({ length: calls }, (_, i) =>
      JSON.stringify({ workflowId, estimatedCostMicros: cost, tags: [`burst-${i}`] }),
    ),
  });
  const serverSeconds = span.stop();
  let granted = 0;
  let denied = 0;
  let failed = 0;
  for (const answer of answers) {
    const allowed =
      answer.status === 200 ? (JSON.parse(answer.text) as { data?: { allowed?: boolean } }).data?.allowed : undefined;
    if (allowed === true) granted++;
    else if (allowed === false) denied++;
    else failed++;
  }
  return { calls, granted, denied, failed, seconds, serverSeconds };
}

/** The subgraphs whose PostgreSQL CPU the report shows apart; the rest is "other". */
const POSTGRES_COLUMNS = ['governance', 'events', 'billing'] as const;

/**
 * PostgreSQL's cores during each case's measured phase, by the subgraph whose connection ran the work:
 * governance's hot path (and its outbox relay), the event log's appends and consumer deliveries, billing's
 * metering. Nothing when the server is not on this host.
 */
function postgresTable(results: readonly MeasuredCase[]): string[] {
  const measured = results.filter((r) => r.postgresCores.size > 0);
  if (measured.length === 0) return [];
  const rows = measured.map((r) => {
    const cores = (name: string) => r.postgresCores.get(`trellis-${name}`) ?? 0;
    const all = [...r.postgresCores.values()].reduce((a, b) => a + b, 0);
    const named = POSTGRES_COLUMNS.reduce((sum, name) => sum + cores(name), 0);
    return [r.name, ...POSTGRES_COLUMNS.map((name) => fixed(cores(name), 2)), fixed(all - named, 2), fixed(all, 2)];
  });
  return [
    markdownTable(
      ['PostgreSQL CPU while measured, cores (its backends, by subgraph)', ...POSTGRES_COLUMNS, 'other', 'all'],
      rows,
    ),
    '',
  ];
}

/** The suite: boots a platform (HMAC required), seeds a workflow and a key, measures four cases. */
export async function governanceSuite(
  settings: LoadSettings = DEFAULT_SETTINGS,
  options: {
    /** A directory for each open-loop case's requests (`--trace`). */
    trace?: string;
    /** Subgraphs whose background workers stop before the cases (`--stop-workers`, a diagnostic). */
    stopWorkers?: readonly string[];
  } = {},
): Promise<SuiteReport> {
  const platform = await bootPlatform({ TRELLIS_HMAC_REQUIRED: 'true' });
  try {
    const s = await seed(platform);
    const governance = platform.app.subgraphs.find((x) => x.name === 'governance');
    if (!governance) throw new Error('the governance subgraph is not running');
    // The exact principal the gateway forwards for this key (resolved through a signed request).
    const principal = await platform.app.gateway.authenticator.authenticate({
      headers: signedHeaders({ apiKey: s.apiKey, signingSecret: s.signingSecret }, ''),
      rawBody: '',
    });
    const base = {
      workflowId: s.workflowId,
      apiKey: s.apiKey,
      signingSecret: s.signingSecret,
      internalSecret: platform.app.platform.internalSecret,
      principal,
    };
    const cases: LoadCase[] = [
      { ...base, name: 'gate: POST /v1/gate, REST + HMAC', kind: 'gate', target: 'rest', url: platform.url },
      { ...base, name: 'gate: mutation, direct to governance', kind: 'gate', target: 'direct', url: governance.url },
      {
        ...base,
        name: 'execute+track: /v1/execute, /v1/track, REST + HMAC',
        kind: 'execute-track',
        target: 'rest',
        url: platform.url,
      },
      {
        ...base,
        name: 'execute+track: mutations, direct to governance',
        kind: 'execute-track',
        target: 'direct',
        url: governance.url,
      },
      // The target itself: latency at a fixed 1,000 req/s rather than at saturation.
      { ...base, name: 'gate @ 1,000 req/s: REST + HMAC', kind: 'gate', target: 'rest', url: platform.url, rate: 1000 },
      {
        ...base,
        name: 'execute+track @ 1,000 req/s: REST + HMAC',
        kind: 'execute-track',
        target: 'rest',
        url: platform.url,
        rate: 1000,
      },
    ];
    const results: MeasuredCase[] = [];
    const skipped: string[] = [];
    // `--only gate` measures the gate cases alone (e.g. paired before/after runs of one path).
    const selected = settings.only ? cases.filter((c) => c.name.startsWith(settings.only as string)) : cases;
    const drains: string[] = [];
    /** Lets the event pipeline catch up before `what` is measured, and notes what it had left. */
    const drainBefore = async (what: string) => {
      const drained = await drainEventPipeline(platform.app.databaseUrl);
      if (drained.pendingAtStart > 0)
        drains.push(`${what}: ${drained.pendingAtStart} events pending, drained in ${fixed(drained.seconds, 1)} s`);
    };
    for (const c of selected) {
      process.stderr.write(`  ${c.name}…\n`);
      try {
        await drainBefore(c.name);
        for (const subgraph of platform.app.subgraphs)
          if (options.stopWorkers?.includes(subgraph.name)) await subgraph.stopWorkers();
        results.push(await measure(c, settings, platform.app.databaseUrl, options.trace));
      } catch (error) {
        skipped.push(`${c.name}: not measured — ${(error as Error).message}`);
      }
    }
    const bursts: BurstResult[] = [];
    if (!settings.only || settings.only === 'burst') {
      process.stderr.write('  500 concurrent executes, room for 100…\n');
      await drainBefore('bursts');
      // Three bursts (each on a fresh workflow): the first also warms the statement caches.
      for (let i = 0; i < 3; i++) bursts.push(await burst(platform, s));
    }
    const find = (prefix: string, target: string) =>
      results.find((r) => r.name.startsWith(`${prefix}:`) && r.name.includes(target));
    const ratios = (['gate', 'execute+track'] as const).flatMap((kind) => {
      const rest = find(kind, 'REST');
      const direct = find(kind, 'direct');
      return [
        [`${kind}: latency overhead`, 'p50 REST ÷ p50 direct', rest && direct ? ratio(rest.p50, direct.p50) : 'n/a'],
        [`${kind}: tail overhead`, 'p99 REST ÷ p99 direct', rest && direct ? ratio(rest.p99, direct.p99) : 'n/a'],
        [`${kind}: throughput overhead`, 'RPS direct ÷ RPS REST', rest && direct ? ratio(direct.rps, rest.rps) : 'n/a'],
      ];
    });
    const openLoop = results.filter((r) => r.name.includes('@ 1,000'));
    const target = openLoop.map((r) => [
      r.name,
      `${P99_TARGET_MS[r.kind]}`,
      fixed(r.rps, 0),
      fixed(r.p99, 1),
      r.senderLateP99 === undefined ? 'n/a' : fixed(r.senderLateP99, 1),
      Number.isFinite(r.mainWaitShare) ? `${fixed(100 * (r.mainWaitShare as number), 0)} %` : 'n/a',
      `${fixed(r.loopDelay.p99Ms, 1)} / ${fixed(r.loopDelay.maxMs, 1)}`,
      r.rps >= 950 && r.p99 <= P99_TARGET_MS[r.kind] ? 'met' : 'not met',
    ]);
    const body = [
      markdownTable(RESULT_HEADER, results.map(resultRow)),
      '',
      markdownTable(['ratio', 'definition', 'value'], ratios),
      '',
      markdownTable(
        [
          'target: p99 at ≥ 1,000 req/s (REST + HMAC)',
          'p99 target ms',
          'RPS',
          'p99 ms',
          'load generator late p99 ms',
          'platform main thread waiting for a core',
          'event-loop delay p99 / max ms',
          'verdict',
        ],
        target,
      ),
      '',
      ...postgresTable(openLoop),
      markdownTable(
        [
          '500 concurrent POST /v1/execute, room for 100 (REST + HMAC)',
          'granted',
          'denied',
          'failed',
          'all answered in s',
          'platform: first request to last answer, s',
          'target ≤ 0.5 s, exactly 100',
        ],
        bursts.map((b, i) => [
          `burst ${i + 1}`,
          b.granted,
          b.denied,
          b.failed,
          fixed(b.seconds, 2),
          fixed(b.serverSeconds, 2),
          b.granted === 100 && b.failed === 0 && b.seconds <= 0.5 ? 'met' : 'not met',
        ]),
      ),
      '',
      'Notes:',
      '- Before each case (and before the bursts) the event pipeline is left to catch up (no event in any outbox, no pending consumer',
      "  delivery), so a case is not measured while the previous one's events are still relayed and consumed.",
      ...(drains.length ? [`  Pending before: ${drains.join('; ')}.`] : []),
      '- Every REST request is signed as an SDK signs it (fresh timestamp, HMAC over the exact body);',
      '  HMAC is required. Direct cases send the principal the gateway resolves for that key.',
      '- "@ 1,000 req/s" cases are open-loop (evenly spaced sends on 50 keep-alive raw sockets that the warm-up opened, bench/raw-http.ts; latency',
      '  from the scheduled time): the target is judged on them; the others saturate the platform with 50 connections',
      '  (closed loop, autocannon) and show capacity. "Load generator late" is how late the generator (another process',
      '  on the same 2 cores) sent, p99: that much of the latency is not the platform\'s. "Waiting for a core" is the share',
      "  of the measured time the platform's main thread was ready to run while both cores ran something else (PostgreSQL,",
      "  the load generator, V8's helper threads): the scheduler's run-queue wait (/proc schedstat).",
      '- execute+track: each connection alternates execute and a track settling that execution (new event',
      '  id each time); RPS counts requests, so settled calls per second are RPS ÷ 2.',
      '- The workflow has a budget (10^15 micro-dollars), so every execute runs the conditional reservation',
      '  on one workflow row — the contended case. "failed" also counts denials and duplicate tracks.',
      '- Bursts: 500 requests, signed and encoded beforehand, sent at once by a client in its own process, each',
      '  on a new connection (raw sockets, bench/raw-http.ts), each burst on a fresh workflow whose budget fits',
      "  exactly 100 of them; time from the first connect until the last answer read, and the platform's own span",
      '  (first request received to last answer written).',
      `- Peak RSS of the Trellis process: ${mib(Math.max(0, ...results.map((r) => r.peakRssBytes)))} MiB.`,
      ...skipped.map((x) => `- ${x}`),
      ...(options.stopWorkers?.length
        ? [
            `- **Diagnostic, not a measurement of the platform:** the background workers of ${options.stopWorkers.join(', ')}`,
            '  were stopped before the case (--stop-workers): their events were neither relayed nor consumed.',
          ]
        : []),
    ].join('\n');
    return {
      setup: platform.setup,
      loadDescription: `a child process on loopback: autocannon on ${settings.connections} connections (closed loop), ${settings.connections} raw keep-alive sockets (open loop, bench/raw-http.ts), one new connection per request (bursts); ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured per case`,
      body,
    };
  } finally {
    await platform.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      trace: { type: 'string' },
      write: { type: 'boolean', default: false },
      'stop-workers': { type: 'string' },
    },
  });
  const stopWorkers = values['stop-workers']?.split(',').map((name) => name.trim());
  if (stopWorkers && (!values.only || values.write))
    throw new Error('--stop-workers is a diagnostic of one case: give --only, and no --write');
  const settings: LoadSettings = {
    durationSeconds: Number(values.duration ?? DEFAULT_SETTINGS.durationSeconds),
    warmupSeconds: Number(values.warmup ?? DEFAULT_SETTINGS.warmupSeconds),
    connections: Number(values.connections ?? DEFAULT_SETTINGS.connections),
    ...(values.only ? { only: values.only } : {}),
  };
  const report = await governanceSuite(settings, { trace: values.trace, ...(stopWorkers ? { stopWorkers } : {}) });
  const markdown = [
    '## governance',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Load: ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured per case`,
    ...report.setup.map((line) => `- ${line}`),
    ...(settings.durationSeconds < DEFAULT_SETTINGS.durationSeconds
      ? ['', '> Short run: a smoke test, not a measurement.']
      : []),
    '',
    report.body,
  ].join('\n');
  process.stdout.write(`${markdown}\n`);
  if (values.write) await writeSection(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), 'governance', markdown);
}

if (import.meta.main) {
  if (process.argv.includes('--governance-burst-worker')) void burstWorker();
  else if (process.argv.includes('--governance-load-worker'))
    loadWorker().catch((error: Error) => {
      process.send?.({ type: 'error', message: error.stack ?? String(error) } satisfies WorkerMessage, () =>
        process.exit(1),
      );
    });
  else {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => {
        closeAllPlatforms().finally(() => process.exit(130));
      });
    main().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`${error.stack ?? String(error)}\n`);
        process.exit(1);
      },
    );
  }
}
