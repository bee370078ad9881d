/**
 * `npm run bench` — load benchmarks on loopback, results into bench/RESULTS.md.
 *
 *   node bench/run.ts [suite…] [--duration 10] [--warmup 3] [--connections 50] [--no-write] [--list]
 *
 * `npm run bench` runs Node with `npm start`'s flags (`--max-semi-space-size=16 --no-memory-reducer`) and
 * `--expose-gc`, so a suite measures the heap configuration production runs: without `--no-memory-reducer`,
 * V8's memory reducer may start a full GC ~8 s after the one a case forces before measuring.
 *
 * Without suite names every registered suite runs, one after the other (each boots its own
 * platform). Each suite's section of RESULTS.md is replaced, with machine, date and command.
 * Defaults are sized for a 2-core machine; DATABASE_URL and REDIS_URL are used when set.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildSchema } from 'graphql';
import { API_SCHEMA_FILE } from '../gateway/gateway.ts';
import { routeOperation } from '../rest-adapter/route-operation.ts';
import { routes } from '../rest-adapter/routes/index.ts';
import { AI_SWEEP_RATES, aiSuite } from './ai.ts';
import { runAuthBench } from './auth.ts';
import { billingSuite } from './billing.ts';
import { computeSuite } from './compute.ts';
import { runEvents } from './events.ts';
import { floorSuite } from './floor.ts';
import { gatewayVsStockSuite } from './gateway-vs-stock.ts';
import { governanceSuite } from './governance.ts';
import { idleSuite } from './idle.ts';
import { jobsSuite } from './jobs.ts';
import {
  bootPlatform,
  type CaseResult,
  closeAllPlatforms,
  DEFAULT_SETTINGS,
  fixed,
  type HttpCase,
  type LoadSettings,
  machine,
  machineSpeed,
  markdownTable,
  measure,
  mib,
  probe,
  RESULT_HEADER,
  ratio,
  resultRow,
  type Suite,
  type SuiteReport,
  seedOrganization,
  writeSection,
} from './lib.ts';

const RESULTS_FILE = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

// ---------------------------------------------------------------------------------------------
// foundation: the five-subgraph query, gateway overhead, REST adapter overhead

const FIVE_SUBGRAPH_QUERY = /* GraphQL */ `
  query Overview($id: ID!) {
    organization(id: $id) {
      name
      workflows { name budgetMicros status }
      vms { name gpuModel status }
      balance { availableCents currency }
      webhooks { url }
    }
  }
`;

const WORKFLOW_QUERY = /* GraphQL */ `
  query Workflow($id: ID!) {
    workflow(id: $id) { id name status budgetMicros spentMicros createdAt }
  }
`;

const REST_PATH = '/v1/organizations/{id}';

/** The GraphQL operation the REST route runs (from the route table), or a stand-in until it exists. */
function restOperation(): { query: string; fromRouteTable: boolean } {
  const route = routes.find((r) => r.method === 'GET' && r.path === REST_PATH);
  if (route && route.kind !== 'handler')
    return {
      query: routeOperation(route, buildSchema(readFileSync(API_SCHEMA_FILE, 'utf8'))).document,
      fromRouteTable: true,
    };
  return {
    query: 'query GetOrganization($id: ID!) { organization(id: $id) { id name slug createdAt } }',
    fromRouteTable: false,
  };
}

const graphqlCase = (name: string, url: string, query: string, variables: object, headers = {}): HttpCase => ({
  name,
  url,
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    ...headers,
  },
  body: JSON.stringify({ query, variables }),
});

const runFoundation: Suite = async (settings) => {
  const platform = await bootPlatform();
  try {
    const seed = await seedOrganization(platform, 'Foundation Bench');
    const auth = { authorization: `Bearer ${seed.apiKey}` };
    const idleRss = process.memoryUsage.rss();
    const governance = platform.app.subgraphs.find((s) => s.name === 'governance');
    if (!governance) throw new Error('the governance subgraph is not running');
    // The exact principal the gateway forwards for this API key.
    const principal = await platform.app.gateway.authenticator.authenticate({ headers: auth });

    const results: CaseResult[] = [];
    const skipped: string[] = [];
    const run = async (c: HttpCase): Promise<CaseResult | undefined> => {
      process.stderr.write(`  ${c.name}…\n`);
      try {
        const result = await measure(c, settings);
        results.push(result);
        return result;
      } catch (error) {
        skipped.push(`${c.name}: not measured — ${(error as Error).message}`);
        return undefined;
      }
    };

    // (a) one query across identity, governance, compute, billing and events.
    const five = await run(
      graphqlCase(
        '(a) organization + 5 subgraphs, via gateway',
        `${platform.url}/graphql`,
        FIVE_SUBGRAPH_QUERY,
        { id: seed.orgId },
        auth,
      ),
    );

    // (b) a governance-only query, straight to the subgraph (signed principal) and through the gateway.
    const workflowVars = { id: seed.workflowId };
    const direct = await run({
      ...graphqlCase('(b) workflow(id), direct to governance', governance.url, WORKFLOW_QUERY, workflowVars),
      principal: { secret: platform.app.platform.internalSecret, principal },
    });
    const viaGateway = await run(
      graphqlCase('(b) workflow(id), via gateway', `${platform.url}/graphql`, WORKFLOW_QUERY, workflowVars, auth),
    );

    // (c) the REST route against the GraphQL operation it runs.
    const operation = restOperation();
    const restCase: HttpCase = {
      name: `(c) GET ${REST_PATH}, REST adapter`,
      url: `${platform.url}${REST_PATH.replace('{id}', seed.orgId)}`,
      method: 'GET',
      headers: auth,
    };
    // The adapter may not serve the route yet: report that instead of failing the suite.
    const restProbe = await probe(restCase);
    let rest: CaseResult | undefined;
    if (restProbe.ok) rest = await run(restCase);
    else
      skipped.push(
        `${restCase.name}: not measured — the route answered ${restProbe.status}: ${restProbe.body.slice(0, 200)}`,
      );
    const restGraphql = await run(
      graphqlCase(
        '(c) same operation, via /graphql',
        `${platform.url}/graphql`,
        operation.query,
        { id: seed.orgId },
        auth,
      ),
    );

    const peakRss = Math.max(idleRss, ...results.map((r) => r.peakRssBytes));
    const ratios: (string | number)[][] = [
      [
        '(b) gateway overhead, latency',
        'p50 via gateway ÷ p50 direct',
        viaGateway && direct ? ratio(viaGateway.p50, direct.p50) : 'n/a',
      ],
      [
        '(b) gateway overhead, throughput',
        'RPS direct ÷ RPS via gateway',
        viaGateway && direct ? ratio(direct.rps, viaGateway.rps) : 'n/a',
      ],
      [
        '(c) REST adapter overhead, latency',
        'p50 REST ÷ p50 GraphQL',
        rest && restGraphql ? ratio(rest.p50, restGraphql.p50) : 'n/a',
      ],
      [
        '(c) REST adapter overhead, throughput',
        'RPS GraphQL ÷ RPS REST',
        rest && restGraphql ? ratio(restGraphql.rps, rest.rps) : 'n/a',
      ],
      [
        '(a) five-subgraph query vs (b) one subgraph, both via gateway',
        'p50 (a) ÷ p50 (b)',
        five && viaGateway ? ratio(five.p50, viaGateway.p50) : 'n/a',
      ],
    ];

    const body = [
      markdownTable(RESULT_HEADER, results.map(resultRow)),
      '',
      markdownTable(['ratio', 'definition', 'value'], ratios),
      '',
      markdownTable(
        ['memory (Trellis process, PostgreSQL excluded)', 'MiB'],
        [
          ['RSS after boot and seeding', mib(idleRss)],
          ['peak RSS during the suite', mib(peakRss)],
        ],
      ),
      '',
      'Notes:',
      '- One API key (`Authorization: Bearer`, no HMAC) for every gateway and REST request; the direct',
      '  subgraph case sends the principal the gateway resolves for that key, signed as the gateway signs it.',
      '- "failed" counts non-2xx responses and 2xx responses carrying GraphQL `errors` or an envelope `error`.',
      '- "CPU ms/req" is user + system CPU of the Trellis process per completed request (load generator and',
      '  PostgreSQL excluded); RSS is sampled every 200 ms.',
      `- (c) GraphQL side: ${operation.fromRouteTable ? `the route table's own operation for GET ${REST_PATH}` : `a stand-in query (no plain operation route for GET ${REST_PATH} in the route table)`}.`,
      ...skipped.map((s) => `- ${s}`),
    ].join('\n');
    return { setup: platform.setup, body };
  } finally {
    await platform.close();
  }
};

// ---------------------------------------------------------------------------------------------
// Registry: suites run in this order when none is named.

const suites: Record<string, Suite> = {
  foundation: runFoundation,
  auth: (settings) => runAuthBench(settings),
  governance: governanceSuite,
  events: runEvents,
  // 200 req/s is the issue's target rate; the duration is per case (four cases, and the sweep's three).
  ai: (settings) => aiSuite({ seconds: settings.durationSeconds, rate: 200, sweep: AI_SWEEP_RATES }),
  billing: billingSuite,
  gateway: gatewayVsStockSuite,
  // Idle CPU and RSS after boot (BENCH_IDLE_SECONDS, 60 s by default; no load).
  idle: idleSuite,
  // This host's floor under the latency targets: the least server (node:http and pg) at their rates.
  floor: (settings) => floorSuite({ seconds: settings.durationSeconds }),
  jobs: jobsSuite,
  compute: computeSuite,
};

function commandLine(): string {
  const args = process.argv.slice(2).join(' ');
  // Node flags change what is measured (--max-semi-space-size: RSS; --expose-gc: RSS after a GC).
  const flags = process.execArgv.join(' ');
  const node = `node ${flags ? `${flags} ` : ''}bench/run.ts`;
  if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${args ? ` -- ${args}` : ''} (${node})`;
  return `${node}${args ? ` ${args}` : ''}`;
}

function section(
  name: string,
  report: SuiteReport,
  settings: LoadSettings,
  startedAt: Date,
  loadAtStart: number[],
  speed: number,
): string {
  const m = machine();
  const smoke = settings.durationSeconds < DEFAULT_SETTINGS.durationSeconds;
  return [
    `## ${name}`,
    '',
    `- Date: ${startedAt.toISOString()}`,
    `- Command: \`${commandLine()}\`${process.env.DATABASE_URL ? ' (DATABASE_URL set)' : ''}${process.env.REDIS_URL ? ' (REDIS_URL set)' : ''}`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}`,
    `- Machine speed: ${fixed(speed, 1)} CPU ms for bench/lib.ts's fixed workload at the start (\`machineSpeed\`; lower is faster: compare it before comparing sections)`,
    `- Load average at start: ${loadAtStart.map((l) => fixed(l, 2)).join(' / ')} (1 / 5 / 15 min)`,
    `- Load: ${report.loadDescription ?? `autocannon in a child process on loopback, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured per case`}`,
    ...report.setup.map((line) => `- ${line}`),
    ...(smoke ? ['', `> Short run (${settings.durationSeconds} s per case): a smoke test, not a measurement.`] : []),
    '',
    report.body,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || values.list) {
    process.stdout.write(
      `${values.help ? 'Usage: node bench/run.ts [suite…] [--duration s] [--warmup s] [--connections n] [--only case-prefix] [--no-write]\n' : ''}Suites: ${Object.keys(suites).join(', ')}\n`,
    );
    return;
  }
  const number = (value: string | undefined, fallback: number, name: string, min: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}`);
    return n;
  };
  const settings: LoadSettings = {
    durationSeconds: number(values.duration, DEFAULT_SETTINGS.durationSeconds, 'duration', 1),
    warmupSeconds: number(values.warmup, DEFAULT_SETTINGS.warmupSeconds, 'warmup', 0),
    connections: number(values.connections, DEFAULT_SETTINGS.connections, 'connections', 1),
    ...(values.only ? { only: values.only } : {}),
  };
  const names = positionals.length ? positionals : Object.keys(suites);
  const unknown = names.filter((n) => !(n in suites));
  if (unknown.length)
    throw new Error(`unknown suite(s): ${unknown.join(', ')} (available: ${Object.keys(suites).join(', ')})`);

  for (const name of names) {
    const startedAt = new Date();
    // Taken now: the section is written when the suite ends, when the load is another.
    const loadAtStart = os.loadavg();
    const speed = machineSpeed();
    process.stderr.write(`suite ${name}\n`);
    const report = await (suites[name] as Suite)(settings);
    const markdown = section(name, report, settings, startedAt, loadAtStart, speed);
    process.stdout.write(`${markdown}\n\n`);
    if (!values['no-write']) await writeSection(RESULTS_FILE, name, markdown);
  }
  if (!values['no-write']) process.stderr.write(`results written to ${RESULTS_FILE}\n`);
}

// Interrupted: close the platforms (and the embedded PostgreSQL) before exiting.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    process.stderr.write(`${signal}: closing the platform\n`);
    closeAllPlatforms().finally(() => process.exit(130));
  });

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
