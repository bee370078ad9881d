/**
 * The AI gateway benchmark (issue #12): what Trellis adds to a model call.
 *
 * A child process (this file with `--ai-load-worker`) runs the local OpenAI-compatible upstream of
 * the tests (test/ai/test-upstream.ts) and the open-loop load: the same chat request sent straight
 * to the upstream, then through Trellis (`/v1/chat/completions` with a proxy-scoped key and
 * `X-Workflow-Id`: governance execute, upstream, track + record), non-streaming at a fixed rate,
 * and streaming for time to first token. The platform runs in this process alone, so its CPU per
 * call is Trellis's. Targets: p50 ≤ 3 ms / p99 ≤ 10 ms added at 200 req/s; TTFT ≤ 5 ms p50 added.
 *
 *   node bench/ai.ts [--duration 10] [--rate 200] [--sweep 20,50,100] [--warmup 30] [--write] [--profile DIR]
 *     [--trace DIR]
 *
 * `--sweep` runs the non-streaming call through Trellis again at each rate given ('' for none): its CPU
 * per call falls as the rate rises, since a call shares its event pipeline's batches (relays, the event
 * log's appends, the usage consumer) with more others. The last table splits each call's CPU by thread
 * and counts its socket writes and PostgreSQL commits, which say why.
 *
 * `--profile DIR` writes V8 CPU profiles of the platform process over each through-Trellis case alone
 * (no boot, no warm-up): DIR/plain.cpuprofile and DIR/stream.cpuprofile, for Chrome DevTools or any
 * .cpuprofile reader; `node bench/profile-summary.ts FILE` summarizes one by Trellis function. A profiled
 * case's CPU per call includes the profiler's own cost: compare CPU figures of unprofiled runs only.
 *
 * `--trace DIR` writes every call of each measured case as DIR/<case>-<rate>.tsv (when it was due, ms from
 * the case's start, and its latency): where a tail comes from over time. A stall of something every call
 * waits for (PostgreSQL's WAL flush, bench/RESULTS.md) shows as a window in which every call is slow.
 */
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type BenchPlatform,
  bootPlatform,
  closeAllPlatforms,
  fixed,
  machine,
  markdownTable,
  percentile,
  roundTripFloor,
  type SuiteReport,
  seedOrganization,
  startCommitCount,
  startCpuProfile,
  startProcessWork,
  writeSection,
} from './lib.ts';
import { postBytes, RawPool } from './raw-http.ts';
import { writeTrace } from './trace-summary.ts';

const MODEL = 'bench-model';
/** The chat request of every call. */
export const AI_CALL_BODY = { model: MODEL, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 16 };

export interface LoadRequest {
  name: string;
  url: string;
  headers: Record<string, string>;
  stream: boolean;
  rate: number;
  seconds: number;
  /** Keep each call's due time and latency; under `--trace`, every case but the warm-up's does. */
  trace?: boolean;
}

export interface LoadResult {
  name: string;
  sent: number;
  ok: number;
  failed: number;
  /** Milliseconds: full response (non-streaming) or first content chunk (streaming). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  firstFailure?: string;
  /** With `trace`: [ms from the case's start when the call was due, latency ms], in the order answered. */
  calls?: [number, number][];
}

// ---- worker: upstream + load generator -----------------------------------------------------------

async function worker() {
  const { startTestUpstream } = await import('../test/ai/test-upstream.ts');
  const upstream = await startTestUpstream();
  const send = (message: unknown) => process.send?.(message);
  process.on('message', async (message: { run?: LoadRequest; stop?: boolean }) => {
    if (message.stop) {
      for (const pool of pools.values()) pool.close();
      await upstream.close();
      process.exit(0);
    }
    if (message.run) send({ result: await load(message.run) });
  });
  send({ upstream: upstream.url });
}

/** Keep-alive connections for the non-streaming calls, per target (bench/raw-http.ts: a lighter client than fetch). */
const pools = new Map<string, RawPool>();
const POOL_CONNECTIONS = 64;

async function plainOnce(request: LoadRequest): Promise<number> {
  const url = new URL(request.url);
  let pool = pools.get(request.url);
  if (!pool) {
    pool = new RawPool(url, POOL_CONNECTIONS);
    pools.set(request.url, pool);
  }
  const message = postBytes(
    url,
    { 'content-type': 'application/json', ...request.headers },
    JSON.stringify({ ...AI_CALL_BODY, stream: false }),
  );
  const started = performance.now();
  const answer = await pool.send(message);
  if (answer.status !== 200) throw new Error(`${answer.status} ${answer.body.slice(0, 200)}`);
  return performance.now() - started;
}

async function once(request: LoadRequest): Promise<number> {
  if (!request.stream) return plainOnce(request);
  const started = performance.now();
  const response = await fetch(request.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: JSON.stringify({ ...AI_CALL_BODY, stream: request.stream }),
  });
  if (response.status !== 200) throw new Error(`${response.status} ${(await response.text()).slice(0, 200)}`);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let firstToken = NaN;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    if (Number.isNaN(firstToken) && buffered.includes('"content":"Hello"')) firstToken = performance.now() - started;
  }
  return firstToken;
}

/** Open loop: one request every 1000/rate ms regardless of answers (no coordinated omission). */
async function load(request: LoadRequest): Promise<LoadResult> {
  const latencies: number[] = [];
  const calls: [number, number][] | undefined = request.trace ? [] : undefined;
  let failed = 0;
  let firstFailure: string | undefined;
  const inFlight: Promise<void>[] = [];
  const total = Math.round(request.rate * request.seconds);
  const interval = 1000 / request.rate;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      once(request).then(
        (ms) => {
          latencies.push(ms);
          calls?.push([due - start, ms]);
        },
        (error: Error) => {
          failed++;
          firstFailure ??= error.message;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  return {
    name: request.name,
    sent: total,
    ok: latencies.length,
    failed,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    firstFailure,
    calls,
  };
}

/**
 * The event-loop delay histogram samples every LOOP_SAMPLE_MS and records the time between samples:
 * what exceeds the interval is how late the loop ran what was due (ms) — time no request was served.
 */
const LOOP_SAMPLE_MS = 1;
const lateness = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - LOOP_SAMPLE_MS);

// ---- suite -------------------------------------------------------------------------------------

/** The lower rates `--sweep` (and `npm run bench -- ai`) run the plain call at by default. */
export const AI_SWEEP_RATES = [20, 50, 100];

/**
 * Seconds of calls through Trellis before anything is measured, at the measured rates (plain calls at
 * `rate`, then streams at a quarter of it for a third as long). V8 keeps tiering a call's code up for
 * thousands of calls: after the former warm-up (2 s at 50 calls/s, 100 calls), its optimizing compiler
 * was in 8 % of a perf profile's samples of the measured case; after 15 s at 200 calls/s in 4 %, and
 * the measured 10 s still saw 462 compilations after 15 s of warm-up, 262 after 60 s (--trace-opt).
 * A platform serving 200 calls a second runs for hours: it is measured warm.
 */
export const AI_WARMUP_SECONDS = 30;

/** The platform of the AI benches: one OpenAI-compatible provider, `upstream` (the test upstream), serving MODEL. */
export function bootAiPlatform(upstream: string): Promise<BenchPlatform> {
  return bootPlatform({
    // Production requires a mail server; this run sends no mail (nothing connects to it).
    TRELLIS_SMTP_URL: 'smtp://127.0.0.1:9',
    TRELLIS_AI_PROVIDERS: JSON.stringify([
      {
        id: 'bench',
        kind: 'openai_compatible',
        baseUrl: `${upstream}/v1`,
        models: [{ id: MODEL, inputMicrosPerMillion: 1_000_000, outputMicrosPerMillion: 2_000_000 }],
      },
    ]),
    TRELLIS_AI_MAX_RETRIES: '0',
  });
}

/** An organization's API key and a workflow without a budget: the headers of a call through Trellis. */
export async function aiCaller(platform: BenchPlatform): Promise<Record<string, string>> {
  const seed = await seedOrganization(platform, 'AI Bench');
  const workflow = await platform.graphql<{ createWorkflow: { id: string } }>(
    'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "ai bench" }) { id } }',
    { orgId: seed.orgId },
    seed.token,
  );
  const workflowId = workflow.body.data?.createWorkflow.id as string;
  return { authorization: `Bearer ${seed.apiKey}`, 'x-workflow-id': workflowId };
}

export async function aiSuite(options: {
  seconds: number;
  rate: number;
  /** Further rates for the non-streaming call through Trellis (its cost where batches are smaller). */
  sweep?: number[];
  profile?: string;
  /** A directory for each measured case's calls (`--trace`). */
  trace?: string;
  /** Default AI_WARMUP_SECONDS. */
  warmupSeconds?: number;
}): Promise<SuiteReport> {
  const child = fork(fileURLToPath(import.meta.url), ['--ai-load-worker'], { stdio: 'inherit' });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve) => child.once('message', (m) => resolve(m as never)));
  const { upstream } = (await next()) as { upstream: string };
  const platform = await bootAiPlatform(upstream);
  try {
    const trellis = await aiCaller(platform);
    const run = async (request: LoadRequest, profile?: string) => {
      const stopProfile = profile ? await startCpuProfile(profile) : undefined;
      const loop = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
      loop.enable();
      const countCommits = process.env.DATABASE_URL ? await startCommitCount(process.env.DATABASE_URL) : undefined;
      const countWork = startProcessWork();
      const cpuBefore = process.cpuUsage();
      const traced = options.trace !== undefined && request.trace !== false;
      child.send({ run: { ...request, trace: traced } });
      const { result } = (await next()) as { result: LoadResult };
      if (traced && result.calls)
        await writeTrace(options.trace as string, `${request.name}-${request.rate}`, result.calls);
      const cpu = process.cpuUsage(cpuBefore);
      const work = countWork?.(result.ok);
      loop.disable();
      await stopProfile?.();
      return {
        ...result,
        rate: request.rate,
        cpuMsPerCall: (cpu.user + cpu.system) / 1000 / Math.max(1, result.ok),
        work,
        commitsPerCall: await countCommits?.(result.ok),
        loopDelayP50: lateness(loop.percentile(50)),
        loopDelayP99: lateness(loop.percentile(99)),
      };
    };
    const direct = `${upstream}/v1/chat/completions`;
    const viaTrellis = `${platform.url}/v1/chat/completions`;
    const { seconds, rate } = options;
    const warmup = options.warmupSeconds ?? AI_WARMUP_SECONDS;
    // The upstream alone first. Measured between the warm-up and Trellis's cases, it left the platform idle
    // for a case's length, and every traced through-Trellis case then started with its slowest seconds
    // (bench/RESULTS.md, ai): the warm-up is meant to end as the measurement starts.
    const plainDirect = await run({
      name: 'non-streaming, upstream directly',
      url: direct,
      headers: {},
      stream: false,
      rate,
      seconds,
    });
    const streamDirect = await run({
      name: 'streaming TTFT, upstream directly',
      url: direct,
      headers: {},
      stream: true,
      rate: rate / 4,
      seconds,
    });
    // Warm-up (connections, query plans, the call-context cache, the JIT's tiers). No forced gc() after it:
    // a forced full GC also shrinks the young generation to its least size, and the measured case then
    // began with its slowest second while it grew back (traced p50 of the first 0.5 s: 5-12 ms with the
    // gc(), 3.2-3.8 without; bench/RESULTS.md, ai). The warm-up's garbage goes as a loaded platform's does.
    if (warmup > 0) {
      const phases = [
        { stream: false, rate, seconds: warmup },
        { stream: true, rate: rate / 4, seconds: Math.max(1, Math.round(warmup / 3)) },
      ];
      for (const phase of phases)
        await run({ name: 'warm-up', url: viaTrellis, headers: trellis, ...phase, trace: false });
    }
    /** The non-streaming call through Trellis at `at` calls a second: the target case and the sweep's. */
    const plainViaTrellis = (at: number): LoadRequest => ({
      name: 'non-streaming, through Trellis',
      url: viaTrellis,
      headers: trellis,
      stream: false,
      rate: at,
      seconds,
    });
    const plainTrellis = await run(plainViaTrellis(rate), options.profile && `${options.profile}/plain.cpuprofile`);
    const streamTrellis = await run(
      {
        name: 'streaming TTFT, through Trellis',
        url: viaTrellis,
        headers: trellis,
        stream: true,
        rate: rate / 4,
        seconds,
      },
      options.profile && `${options.profile}/stream.cpuprofile`,
    );
    const results = [plainDirect, plainTrellis, streamDirect, streamTrellis];
    // The same call through Trellis at other rates: what a call costs where batches are smaller.
    const sweep = [];
    for (const other of options.sweep ?? []) sweep.push(await run(plainViaTrellis(other)));
    const m = machine();
    const floor = process.env.DATABASE_URL ? await roundTripFloor(process.env.DATABASE_URL) : undefined;
    const markdown = [
      `Open-loop load from a child process (which also runs the test upstream); Trellis alone in this process.`,
      `Machine: ${m.cpu}, ${m.cores} cores (shared with other work), Node ${m.node}.`,
      ...(floor
        ? [
            `One hop here (PostgreSQL \`select\` round trip, p50): ${fixed(floor.busyMs, 3)} ms back to back, ${fixed(floor.idleMs, 3)} ms after 20 ms idle — at a low rate every hop of a call pays the wake-up.`,
          ]
        : []),
      '',
      markdownTable(
        [
          'case',
          'rate req/s',
          'sent',
          'ok',
          'failed',
          'p50 ms',
          'p90 ms',
          'p99 ms',
          'max ms',
          'Trellis CPU ms/call',
          'event loop late p50 / p99 ms',
        ],
        results.map((r) => [
          r.name,
          r.rate,
          r.sent,
          r.ok,
          r.failed,
          fixed(r.p50, 2),
          fixed(r.p90, 2),
          fixed(r.p99, 2),
          fixed(r.max, 1),
          r.name.includes('Trellis') ? fixed(r.cpuMsPerCall, 2) : '—',
          r.name.includes('Trellis') ? `${fixed(r.loopDelayP50, 2)} / ${fixed(r.loopDelayP99, 2)}` : '—',
        ]),
      ),
      '',
      markdownTable(
        ['added by Trellis', 'p50 ms', 'p99 ms', 'target'],
        [
          [
            'non-streaming latency',
            fixed(plainTrellis.p50 - plainDirect.p50, 2),
            fixed(plainTrellis.p99 - plainDirect.p99, 2),
            'p50 ≤ 3, p99 ≤ 10',
          ],
          [
            'time to first token',
            fixed(streamTrellis.p50 - streamDirect.p50, 2),
            fixed(streamTrellis.p99 - streamDirect.p99, 2),
            'p50 ≤ 5',
          ],
        ],
      ),
      '',
      "Where a call through Trellis goes, per call: CPU by thread (V8's helper threads mark, scavenge and compile beside the main thread), the time the main thread was ready but waited for a core (other processes on the two cores: PostgreSQL, the load), socket writes (each wakes another process), and transactions PostgreSQL committed (the call's own and the event pipeline's behind it). A call at a lower rate shares its batches with fewer others.",
      '',
      markdownTable(
        [
          'case',
          'rate req/s',
          'p50 ms',
          'CPU ms/call',
          'main thread',
          'helper threads',
          'main thread waiting for a core',
          'socket writes',
          'PG commits',
        ],
        [...results, ...sweep]
          .filter((r) => r.name.includes('Trellis'))
          .sort((a, b) => Number(a.name > b.name) - Number(a.name < b.name) || a.rate - b.rate)
          .map((r) => [
            r.name,
            r.rate,
            fixed(r.p50, 2),
            fixed(r.cpuMsPerCall, 2),
            r.work ? fixed(r.work.mainCpuMs, 2) : 'n/a',
            r.work ? fixed(r.work.helperCpuMs, 2) : 'n/a',
            r.work ? fixed(r.work.mainWaitMs, 2) : 'n/a',
            r.work ? fixed(r.work.writes, 1) : 'n/a',
            r.commitsPerCall === undefined ? 'n/a' : fixed(r.commitsPerCall, 2),
          ]),
      ),
      ...[...results, ...sweep]
        .filter((r) => r.firstFailure)
        .map((r) => `\nFirst failure (${r.name}): ${r.firstFailure}`),
    ].join('\n');
    return {
      setup: platform.setup,
      loadDescription: `open loop from a child process on loopback that also runs the test upstream: plain calls on raw keep-alive sockets (bench/raw-http.ts), streams through fetch; ${options.seconds} s measured per case: the upstream directly first, then a ${warmup} s warm-up through Trellis at the measured rates (streams for a third of it) right before Trellis's cases`,
      body: markdown,
    };
  } finally {
    child.send({ stop: true });
    await platform.close();
  }
}

if (process.argv.includes('--ai-load-worker')) await worker();
else if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      rate: { type: 'string', default: '200' },
      write: { type: 'boolean' },
      profile: { type: 'string' },
      trace: { type: 'string' },
      sweep: { type: 'string', default: AI_SWEEP_RATES.join(',') },
      warmup: { type: 'string', default: String(AI_WARMUP_SECONDS) },
    },
  });
  try {
    const report = await aiSuite({
      seconds: Number(values.duration),
      rate: Number(values.rate),
      sweep: values.sweep ? values.sweep.split(',').map(Number) : [],
      profile: values.profile,
      trace: values.trace,
      warmupSeconds: Number(values.warmup),
    });
    process.stdout.write(`${report.body}\n`);
    if (values.write)
      await writeSection(
        fileURLToPath(new URL('./RESULTS.md', import.meta.url)),
        'ai',
        `## ai\n\n- Date: ${new Date().toISOString()}\n- Command: \`node bench/ai.ts --duration ${values.duration} --rate ${values.rate} --sweep ${values.sweep} --warmup ${values.warmup} --write\`\n- Load average at end: ${(
          await import('node:os')
        )
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' / ')}\n${report.setup.map((line) => `- ${line}`).join('\n')}\n\n${report.body}\n`,
      );
  } finally {
    await closeAllPlatforms();
  }
}
