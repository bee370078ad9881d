/**
 * `node bench/run.ts gateway` — the Trellis gateway against stock `@apollo/gateway`, in one run.
 *
 * One process serves four federated subgraphs (bench/gateway-processes.ts); a stock Apollo
 * gateway (plain `ApolloServer` + `ApolloGateway`) and the Trellis gateway (`startGateway` with
 * TRELLIS_SUPERGRAPH_PATH) each run in their own process over the same supergraph. Cases are
 * paired and interleaved (stock, Trellis, stock, Trellis…) so drift on a shared machine hits both
 * sides alike; CPU and RSS are read from each gateway's own process.
 *
 * - Heavy: one four-subgraph nested query (~31 KB response), the issue #16 workload.
 * - Single: a one-subgraph query straight to the subgraph and through each gateway (the
 *   gateway's own overhead).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchSubgraph, composeBenchSupergraph, HEAVY_QUERY, SINGLE_QUERY } from './gateway-processes.ts';
import {
  type CaseResult,
  fixed,
  type HttpCase,
  type LoadSettings,
  markdownTable,
  measure,
  otherProcess,
  probe,
  RESULT_HEADER,
  ratio,
  resultRow,
  type SuiteReport,
} from './lib.ts';

const PROCESSES = fileURLToPath(new URL('./gateway-processes.ts', import.meta.url));
/** Pairs (stock, Trellis) per query; more pairs average out a noisy machine. */
const PAIRS = Number(process.env.BENCH_GATEWAY_PAIRS ?? 2);

interface Started<T> {
  child: ChildProcess;
  ready: T;
}

function start<T>(role: string, argument?: string): Promise<Started<T>> {
  const child = fork(PROCESSES, argument ? [role, argument] : [role], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { ready: T }) => resolve({ child, ready: message.ready }));
    child.once('exit', (code) => reject(new Error(`${role} exited with code ${code} before it was ready`)));
  });
}

const graphqlCase = (name: string, url: string, query: string): HttpCase => ({
  name,
  url,
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
  body: JSON.stringify({ query }),
});

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** The mean of the results of one side, as one row. */
function meanOf(name: string, results: CaseResult[]): CaseResult {
  const of = (key: keyof CaseResult) => mean(results.map((r) => r[key] as number));
  return {
    name,
    rps: of('rps'),
    p50: of('p50'),
    p90: of('p90'),
    p99: of('p99'),
    meanMs: of('meanMs'),
    requests: results.reduce((a, r) => a + r.requests, 0),
    failures: results.reduce((a, r) => a + r.failures, 0),
    errors: results.reduce((a, r) => a + r.errors, 0),
    cpuMsPerRequest: of('cpuMsPerRequest'),
    peakRssBytes: Math.max(...results.map((r) => r.peakRssBytes)),
  };
}

export async function gatewayVsStockSuite(settings: LoadSettings): Promise<SuiteReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trellis-gateway-bench-'));
  const children: ChildProcess[] = [];
  try {
    const subgraphs = await start<Record<BenchSubgraph, string>>('subgraphs');
    children.push(subgraphs.child);
    const supergraphPath = path.join(dir, 'supergraph.graphql');
    await writeFile(supergraphPath, await composeBenchSupergraph(subgraphs.ready));
    const stock = await start<string>('stock', supergraphPath);
    children.push(stock.child);
    const trellis = await start<string>('trellis', supergraphPath);
    children.push(trellis.child);
    const unshared = await start<string>('trellis-unshared', supergraphPath);
    children.push(unshared.child);

    const heavyBytes = (await probe(graphqlCase('size', trellis.ready, HEAVY_QUERY))).body.length;
    const stockBody = (await probe(graphqlCase('size', stock.ready, HEAVY_QUERY))).body;
    const trellisBody = (await probe(graphqlCase('size', trellis.ready, HEAVY_QUERY))).body;
    if (stockBody !== trellisBody) throw new Error('the two gateways answer the heavy query differently');

    const rows: CaseResult[] = [];
    const run = async (c: HttpCase, pid: number) => {
      process.stderr.write(`  ${c.name}…\n`);
      const result = await measure(c, settings, otherProcess(pid));
      rows.push(result);
      return result;
    };
    const stockPid = stock.child.pid as number;
    const trellisPid = trellis.child.pid as number;
    const subgraphsPid = subgraphs.child.pid as number;

    const unsharedPid = unshared.child.pid as number;
    const heavy = { stock: [] as CaseResult[], trellis: [] as CaseResult[], unshared: [] as CaseResult[] };
    for (let i = 1; i <= PAIRS; i++) {
      heavy.stock.push(
        await run(graphqlCase(`heavy #${i}, stock @apollo/gateway`, stock.ready, HEAVY_QUERY), stockPid),
      );
      heavy.trellis.push(
        await run(graphqlCase(`heavy #${i}, Trellis gateway`, trellis.ready, HEAVY_QUERY), trellisPid),
      );
      heavy.unshared.push(
        await run(
          graphqlCase(`heavy #${i}, Trellis gateway, in-flight sharing off`, unshared.ready, HEAVY_QUERY),
          unsharedPid,
        ),
      );
    }
    const single = { direct: [] as CaseResult[], stock: [] as CaseResult[], trellis: [] as CaseResult[] };
    for (let i = 1; i <= PAIRS; i++) {
      single.direct.push(
        await run(
          graphqlCase(`single #${i}, catalog subgraph direct`, subgraphs.ready.catalog, SINGLE_QUERY),
          subgraphsPid,
        ),
      );
      single.stock.push(
        await run(graphqlCase(`single #${i}, stock @apollo/gateway`, stock.ready, SINGLE_QUERY), stockPid),
      );
      single.trellis.push(
        await run(graphqlCase(`single #${i}, Trellis gateway`, trellis.ready, SINGLE_QUERY), trellisPid),
      );
    }

    const hs = meanOf('heavy, stock (mean of rounds)', heavy.stock);
    const ht = meanOf('heavy, Trellis (mean of rounds)', heavy.trellis);
    const hu = meanOf('heavy, Trellis, sharing off (mean of rounds)', heavy.unshared);
    const sd = meanOf('single, direct (mean)', single.direct);
    const ss = meanOf('single, stock (mean)', single.stock);
    const st = meanOf('single, Trellis (mean)', single.trellis);
    const pairRatios = heavy.trellis.map((t, i) => ratio(t.rps, (heavy.stock[i] as CaseResult).rps)).join(', ');
    const ratios: (string | number)[][] = [
      ['heavy: RPS', 'Trellis ÷ stock (target ≥ 1.5×)', `${ratio(ht.rps, hs.rps)} (pairs: ${pairRatios})`],
      ['heavy: p99', 'Trellis ÷ stock (target ≤ 0.7×)', ratio(ht.p99, hs.p99)],
      ['heavy: p50', 'Trellis ÷ stock', ratio(ht.p50, hs.p50)],
      ['heavy: CPU per request', 'Trellis ÷ stock', ratio(ht.cpuMsPerRequest, hs.cpuMsPerRequest)],
      ['heavy: peak RSS', 'Trellis ÷ stock (target ≤ 1×)', ratio(ht.peakRssBytes, hs.peakRssBytes)],
      ['heavy, sharing off: RPS', 'Trellis ÷ stock', ratio(hu.rps, hs.rps)],
      ['heavy, sharing off: p99', 'Trellis ÷ stock', ratio(hu.p99, hs.p99)],
      ['heavy, sharing off: CPU per request', 'Trellis ÷ stock', ratio(hu.cpuMsPerRequest, hs.cpuMsPerRequest)],
      ['heavy, sharing off: peak RSS', 'Trellis ÷ stock', ratio(hu.peakRssBytes, hs.peakRssBytes)],
      ['single: latency overhead', 'p50 Trellis ÷ p50 direct (target ≤ 1.3×)', ratio(st.p50, sd.p50)],
      ['single: mean latency overhead', 'mean Trellis ÷ mean direct', ratio(st.meanMs, sd.meanMs)],
      ['single: stock latency overhead', 'p50 stock ÷ p50 direct', ratio(ss.p50, sd.p50)],
    ];
    const loadAtEnd = os
      .loadavg()
      .map((l) => fixed(l, 2))
      .join(' / ');
    const body = [
      markdownTable(RESULT_HEADER, [...rows, hs, ht, hu, sd, ss, st].map(resultRow)),
      '',
      markdownTable(['ratio', 'definition', 'value'], ratios),
      '',
      'Notes:',
      `- Load average at the end: ${loadAtEnd} (1 / 5 / 15 min). On a shared machine, compare the ratios, not the absolute figures.`,
      `- Heavy query: \`products(first: 50)\` with inventory, reviews and review authors — four subgraphs, ${fixed(heavyBytes / 1024, 1)} KB response; both gateways' answers compared byte for byte before measuring.`,
      '- Single query: `products(first: 10) { id name price category }`, one catalog fetch.',
      '- Processes: subgraphs (four @apollo/subgraph servers), stock gateway, Trellis gateway — each its own Node process;',
      '  "CPU ms/req" and "peak RSS" are the measured process only (the gateway, or the subgraphs process for "direct").',
      '- Trellis gateway: NODE_ENV=production, anonymous callers, Redis when REDIS_URL is set, no database (it serves /graphql only).',
      `- Node flags: every process (subgraphs, both gateways) inherits the bench's own (${process.execArgv.join(' ') || 'none'}); \`npm start\` and the Docker image run the gateway with \`--max-semi-space-size=16 --no-memory-reducer\` (docs/operators.md); the Trellis gateway sets V8's heap growing factor to 2 as \`bin/trellis.ts\` does (kernel/heap-growth.ts).`,
      `- Cases run interleaved (heavy: stock, Trellis, Trellis with sharing off; single: direct, stock, Trellis), ${PAIRS} rounds per query; the mean rows average the rounds.`,
      '- The Trellis gateway shares identical in-flight queries of the same caller (gateway/subgraph-fetch.ts); all load',
      '  here comes from one anonymous caller on loopback, which is the case that sharing helps most — the "sharing off"',
      '  rows (TRELLIS_GATEWAY_SHARE_INFLIGHT=false) show the gateway without it.',
    ].join('\n');
    return {
      setup: ['three processes on loopback: four subgraphs, stock @apollo/gateway 2.14, Trellis gateway'],
      body,
    };
  } finally {
    for (const child of children) child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}
