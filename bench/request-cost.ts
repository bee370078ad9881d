/**
 * Load-independent cost of one SDK request in the platform process: bytes allocated and CPU ms per
 * `POST /v1/gate` and per `POST /v1/execute` + `POST /v1/track` pair (REST + HMAC, as bench/governance.ts
 * sends them), or per governed model call (`--kind ai-call`: `POST /v1/chat/completions` as bench/ai.ts
 * sends it, to the test upstream, which then runs in the client's process). Figures that other processes on the same cores barely move, so a change is judged on
 * them when latency runs are noisy (issue #16: the gate's tail is its scavenges, i.e. its garbage).
 *
 * - CPU: `process.cpuUsage()` of this process (the platform) around N requests sent closed loop by a
 *   client in a child process (so its sockets and parsing are not counted).
 * - Allocation: V8's sampling heap profiler (`HeapProfiler.startSampling`, every `--interval` bytes on
 *   average, objects later collected by minor and major GCs included) around another N requests: the
 *   profile's scaled sizes sum to an estimate of every byte allocated, collected or not. `--top` lists
 *   the functions allocating most (self), for finding the next thing to cut.
 *
 *   node --expose-gc --max-semi-space-size=16 bench/request-cost.ts [--kind gate|execute-track|ai-call]
 *     [--requests 4000] [--warmup 2000] [--concurrency 8] [--interval 1024] [--top 25] [--profile FILE]
 *     [--surviving]
 *
 * `--surviving` samples only the objects that outlived a scavenge (promoted to the old generation, or
 * still live when sampling stopped): what grows the old generation until its next full GC, whose
 * concurrent marking is the gate's tail on two cores (bench/RESULTS.md, governance).
 *
 * `--profile FILE` adds a third pass of N requests under V8's CPU profiler and writes its profile to FILE
 * (`node bench/profile-summary.ts FILE` says where its time went).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AI_CALL_BODY, aiCaller, bootAiPlatform } from './ai.ts';
import { postText, seed, signedHeaders } from './governance.ts';
import { bootPlatform, closeAllPlatforms, startCpuProfile } from './lib.ts';

const KINDS = ['gate', 'execute-track', 'ai-call'] as const;
type Kind = (typeof KINDS)[number];

/** Who sends: an SDK key, signing its requests (gate, execute-track), or a model-call client (ai-call). */
type Caller =
  | { kind: 'gate' | 'execute-track'; apiKey: string; signingSecret: string; workflowId: string }
  /** The headers of a call through Trellis (bench/ai.ts `aiCaller`). */
  | { kind: 'ai-call'; callHeaders: Record<string, string> };

type ClientRequest = Caller & {
  url: string;
  /** Iterations (a gate, an execute and its track, or a model call). */
  iterations: number;
  concurrency: number;
};

/** One governed model call, `POST /v1/chat/completions` as bench/ai.ts sends it. */
function modelCall(
  agent: http.Agent,
  request: Extract<ClientRequest, { kind: 'ai-call' }>,
  count: (failed: boolean) => void,
): () => Promise<void> {
  const body = JSON.stringify(AI_CALL_BODY);
  const headers = { ...request.callHeaders, 'content-type': 'application/json' };
  const url = new URL('/v1/chat/completions', request.url);
  return async () => count((await postText(agent, url, headers, body)).status !== 200);
}

/** One gate, or one execute and the track settling it, signed as an SDK signs them. */
function sdkPass(
  agent: http.Agent,
  request: Extract<ClientRequest, { kind: 'gate' | 'execute-track' }>,
  count: (failed: boolean) => void,
): () => Promise<void> {
  const post = async (path: string, body: string) => {
    const { status, body: data } = await postText(
      agent,
      new URL(path, request.url),
      signedHeaders(request, body),
      body,
    );
    count(status !== 200 || /"allowed":false|"recorded":false/.test(data));
    return data;
  };
  const { workflowId } = request;
  return async () => {
    if (request.kind === 'gate') {
      await post('/v1/gate', JSON.stringify({ workflowId, model: 'gpt-4o-mini', estimatedCostMicros: 1_000 }));
      return;
    }
    const executed = JSON.parse(
      await post(
        '/v1/execute',
        JSON.stringify({ workflowId, model: 'gpt-4o-mini', provider: 'openai', estimatedCostMicros: 1_000 }),
      ),
    ) as { data?: { executionId?: string } };
    await post(
      '/v1/track',
      JSON.stringify({
        eventId: `cost-${randomBytes(9).toString('base64url')}`,
        executionId: executed.data?.executionId,
        costMicros: 800,
        inputTokens: 420,
        outputTokens: 96,
        latencyMs: 700,
      }),
    );
  };
}

/** The client (child process): `iterations` passes, `concurrency` at a time, then the failure count. */
async function client(): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  // A model call's upstream answers from this process, so its work is not counted as the platform's.
  const upstream = process.argv.includes('--with-upstream')
    ? await (await import('../test/ai/test-upstream.ts')).startTestUpstream()
    : undefined;
  if (upstream) process.send?.({ upstream: upstream.url });
  for (;;) {
    const request = await new Promise<ClientRequest | 'exit'>((resolve) => process.once('message', resolve));
    if (request === 'exit') break;
    let next = 0;
    let failures = 0;
    const count = (failed: boolean) => {
      if (failed) failures++;
    };
    const once = request.kind === 'ai-call' ? modelCall(agent, request, count) : sdkPass(agent, request, count);
    const lane = async () => {
      while (next++ < request.iterations) await once();
    };
    await Promise.all(Array.from({ length: request.concurrency }, lane));
    process.send?.({ failures });
  }
  agent.destroy();
  await upstream?.close();
  process.exit(0);
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** A frame as `function file:line`, the file relative to node_modules or to the repository. */
const siteOf = ({ functionName, url, lineNumber }: SamplingNode['callFrame']) =>
  `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(?=[a-z-]+\/)/, '')}:${lineNumber + 1}`;

/**
 * Sum of the profile's (scaled) sizes, and the biggest self allocators by function. A builtin's
 * allocation (`Map`, `entries`, `then`: no script) counts for the nearest JavaScript frame calling it.
 */
function summarize(head: SamplingNode) {
  const bySite = new Map<string, number>();
  let total = 0;
  // Inclusive: a node's subtree counted once for each distinct site on its path (recursion counted once).
  const inclusive = new Map<string, number>();
  const walk = (node: SamplingNode, caller: string, path: Set<string>): number => {
    const site = node.callFrame.url ? siteOf(node.callFrame) : caller;
    total += node.selfSize;
    if (node.selfSize > 0) bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    const entered = !path.has(site);
    if (entered) path.add(site);
    let subtree = node.selfSize;
    for (const child of node.children) subtree += walk(child, site, path);
    if (entered) {
      path.delete(site);
      inclusive.set(site, (inclusive.get(site) ?? 0) + subtree);
    }
    return subtree;
  };
  walk(head, '(root)', new Set());
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  const byFile = new Map<string, number>();
  for (const [site, bytes] of bySite) {
    const file = site.replace(/^\S+ /, '').replace(/:\d+$/, '');
    byFile.set(file, (byFile.get(file) ?? 0) + bytes);
  }
  return { total, sites: sorted(bySite), files: sorted(byFile), inclusive: sorted(inclusive) };
}

/** What calls the functions named `name` (their subtree's bytes by the 8 JavaScript frames above). */
function callersOf(head: SamplingNode, name: string): [string, number][] {
  const byStack = new Map<string, number>();
  const subtree = (node: SamplingNode): number => node.selfSize + node.children.reduce((sum, c) => sum + subtree(c), 0);
  const walk = (node: SamplingNode, stack: string[]) => {
    if (node.callFrame.functionName === name) {
      const key = stack.slice(-8).reverse().join(' ← ');
      byStack.set(key, (byStack.get(key) ?? 0) + subtree(node));
      return;
    }
    const next = node.callFrame.url ? [...stack, siteOf(node.callFrame)] : stack;
    for (const child of node.children) walk(child, next);
  };
  walk(head, []);
  return [...byStack.entries()].sort((a, b) => b[1] - a[1]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string', default: 'gate' },
      requests: { type: 'string', default: '4000' },
      warmup: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '8' },
      interval: { type: 'string', default: '1024' },
      top: { type: 'string', default: '25' },
      callers: { type: 'string' },
      profile: { type: 'string' },
      surviving: { type: 'boolean' },
    },
  });
  const kind = values.kind as Kind;
  const iterations = Number(values.requests);
  if (!KINDS.includes(kind)) throw new Error(`--kind: one of ${KINDS.join(', ')}`);
  const aiCall = kind === 'ai-call';
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--request-cost-client', ...(aiCall ? ['--with-upstream'] : [])],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const upstream = aiCall
    ? await new Promise<string>((resolve) => child.once('message', (m: { upstream: string }) => resolve(m.upstream)))
    : undefined;
  const platform = upstream ? await bootAiPlatform(upstream) : await bootPlatform({ TRELLIS_HMAC_REQUIRED: 'true' });
  try {
    const caller: Caller =
      kind === 'ai-call' ? { kind, callHeaders: await aiCaller(platform) } : { kind, ...(await seed(platform)) };
    const run = (n: number) =>
      new Promise<number>((resolve) => {
        child.once('message', (m: { failures: number }) => resolve(m.failures));
        child.send({
          ...caller,
          url: platform.url,
          iterations: n,
          concurrency: Number(values.concurrency),
        } satisfies ClientRequest);
      });
    const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
    const requestsPer = kind === 'execute-track' ? 2 : 1;
    let failures = await run(Number(values.warmup));
    gc();
    const cpuStart = process.cpuUsage();
    failures += await run(iterations);
    const cpu = process.cpuUsage(cpuStart);
    gc();
    const session = new Session();
    session.connect();
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: Number(values.interval),
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: !values.surviving,
    });
    const sampledFrom = performance.now();
    failures += await run(iterations);
    const sampledMs = performance.now() - sampledFrom;
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } };
    // The process's own background work (timers, relays, sweepers) allocates too, more the longer a busy
    // machine makes the run last: the same length of idle time is sampled and taken off.
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: Number(values.interval),
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: !values.surviving,
    });
    await new Promise((resolve) => setTimeout(resolve, sampledMs));
    const idle = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } };
    session.disconnect();
    if (values.profile) {
      const stopProfile = await startCpuProfile(values.profile);
      failures += await run(iterations);
      await stopProfile();
    }
    const { total, sites, files, inclusive } = summarize(profile.head);
    const background = summarize(idle.profile.head).total;
    const callers = values.callers ? callersOf(profile.head, values.callers) : [];
    const perRequest = ([what, bytes]: [string, number]) =>
      `  ${(bytes / 1024 / (iterations * requestsPer)).toFixed(2).padStart(7)} KB  ${what}`;
    const requests = iterations * requestsPer;
    const out = [
      `${kind}: ${iterations} iterations (${requests} requests), concurrency ${values.concurrency}, failures ${failures}`,
      `cpu ms/request ${((cpu.user + cpu.system) / 1000 / requests).toFixed(3)}`,
      `${values.surviving ? 'surviving a scavenge' : 'allocated'} KB/request ${((total - background) / 1024 / requests).toFixed(1)} (sampling interval ${values.interval} B; ${(background / 1024 / requests).toFixed(1)} KB/request of idle background over the same ${(sampledMs / 1000).toFixed(1)} s taken off; the lists below include it)`,
      'by function (self; builtins count for their caller):',
      ...sites.slice(0, Number(values.top)).map(perRequest),
      'by function (inclusive):',
      ...inclusive.slice(0, Number(values.top)).map(perRequest),
      'by file:',
      ...files.slice(0, Number(values.top)).map(perRequest),
      ...(values.callers
        ? [`callers of ${values.callers} (8 frames up):`, ...callers.slice(0, 10).map(perRequest)]
        : []),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    child.send('exit');
    await platform.close();
  }
}

if (process.argv.includes('--request-cost-client')) void client();
else
  main().then(
    () => process.exit(0),
    async (error: Error) => {
      process.stderr.write(`${error.stack ?? String(error)}\n`);
      await closeAllPlatforms();
      process.exit(1);
    },
  );
