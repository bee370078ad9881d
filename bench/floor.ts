/**
 * The floor of this host: what the least possible server adds at the rates the latency targets of
 * issues #12 and #16 are set for, under the same open-loop load generator (bench/ai.ts's worker, in its
 * own process, with the test upstream). The server here is plain `node:http` and `pg` in this process,
 * with no framework, no authentication, no GraphQL and no events, on a fresh database of DATABASE_URL:
 *
 * - `model call, proxy only`: the request forwarded to the test upstream and its answer returned;
 * - `model call, two commits on one row`: a governed call's durable work and nothing else: one commit
 *   reserving on a budget row before the upstream request (it must survive a crash before the upstream
 *   is called), the answer, then one commit settling on the same row;
 * - `gate, one read`: one indexed read, answered;
 * - `execute+track, one commit on one row`: each request one durable commit updating one row.
 *
 * A Trellis figure above this floor is Trellis's own cost; a target below it is out of reach on this host
 * whatever the software (bench/RESULTS.md, floor).
 *
 *   node --expose-gc --max-semi-space-size=16 --no-memory-reducer bench/floor.ts [--duration 10]
 *   (or `npm run bench -- floor`)
 */
import { type ChildProcess, fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { LoadResult as Loaded, LoadRequest } from './ai.ts';
import { createDatabase, fixed, markdownTable, type SuiteReport } from './lib.ts';

/** A case for bench/ai.ts's load worker: plain calls, no headers. */
type Load = Pick<LoadRequest, 'name' | 'url' | 'rate' | 'seconds'>;

const ESTIMATE = 100;
const COST = 10;

/** The statements, prepared once per connection as Trellis's hot path prepares its own. */
const RESERVE = {
  name: 'floor_reserve',
  text: `with b as (update budget set reserved = reserved + $1 where id = 1 returning 1)
         insert into calls (estimate) select $1 from b returning id`,
};
const SETTLE = {
  name: 'floor_settle',
  text: `with b as (update budget set reserved = reserved - $2, spent = spent + $3 where id = 1)
         update calls set cost = $3 where id = $1`,
};
const READ = { name: 'floor_read', text: 'select status, reserved, spent from budget where id = $1' };
const COMMIT_ONE = { name: 'floor_commit', text: 'update budget set spent = spent + $1 where id = 1' };

/** The least server: four routes, each the work its case names. */
function floorServer(pool: pg.Pool, upstream: URL): http.Server {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const forward = (body: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      const request = http.request(
        upstream,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(Buffer.concat(chunks)));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const answer = (res: http.ServerResponse, body: Buffer | string) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const routes: Record<string, (body: Buffer, res: http.ServerResponse) => Promise<void>> = {
    '/hop': async (body, res) => answer(res, await forward(body)),
    '/call': async (body, res) => {
      const reserved = await pool.query({ ...RESERVE, values: [ESTIMATE] });
      answer(res, await forward(body));
      await pool.query({ ...SETTLE, values: [reserved.rows[0]?.id, ESTIMATE, COST] });
    },
    '/gate': async (_body, res) => {
      const { rows } = await pool.query({ ...READ, values: [1] });
      answer(res, JSON.stringify({ allowed: rows[0]?.status === 'active' }));
    },
    '/commit': async (_body, res) => {
      await pool.query({ ...COMMIT_ONE, values: [COST] });
      answer(res, '{"settled":true}');
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      JSON.parse(body.toString()); // every server parses what it is sent
      const route = routes[req.url ?? ''];
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      route(body, res).catch((error: Error) => {
        if (!res.headersSent) res.writeHead(500).end(error.message);
      });
    });
  });
  // The load generator keeps its connections open across cases.
  server.keepAliveTimeout = 120_000;
  return server;
}

async function loadWorker(): Promise<{ child: ChildProcess; upstream: string; run: (load: Load) => Promise<Loaded> }> {
  const child = fork(fileURLToPath(new URL('./ai.ts', import.meta.url)), ['--ai-load-worker'], { stdio: 'inherit' });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve) => child.once('message', (m) => resolve(m as never)));
  const { upstream } = (await next()) as { upstream: string };
  const run = async (load: Load) => {
    child.send({ run: { ...load, headers: {}, stream: false } });
    return ((await next()) as { result: Loaded }).result;
  };
  return { child, upstream, run };
}

/** The floor's cases, each against its target; the model-call cases against the upstream measured alone. */
export async function floorSuite(options: { seconds: number }): Promise<SuiteReport> {
  if (!process.env.DATABASE_URL) throw new Error('bench/floor.ts needs DATABASE_URL (a PostgreSQL server to measure)');
  const database = await createDatabase(process.env.DATABASE_URL);
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  const worker = await loadWorker();
  const server = floorServer(pool, new URL('/v1/chat/completions', worker.upstream));
  try {
    await pool.query(`create table budget (id int primary key, status text not null default 'active',
                        reserved bigint not null default 0, spent bigint not null default 0);
                      insert into budget (id) values (1);
                      create table calls (id bigserial primary key, estimate bigint, cost bigint)`);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { seconds } = options;
    // Each case: its route, its rate, the target it bounds, and whether it adds to the upstream measured alone.
    const plan = [
      { name: 'model call, upstream directly', url: `${worker.upstream}/v1/chat/completions`, rate: 200, target: '—' },
      { name: 'model call, proxy only', url: `${base}/hop`, rate: 200, target: '—', added: true },
      {
        name: 'model call, two commits on one row',
        url: `${base}/call`,
        rate: 200,
        target: 'added p50 ≤ 3, p99 ≤ 10 (#12)',
        added: true,
      },
      { name: 'gate, one read', url: `${base}/gate`, rate: 1000, target: 'p99 ≤ 10 (#16)' },
      { name: 'execute+track, one commit on one row', url: `${base}/commit`, rate: 1000, target: 'p99 ≤ 25 (#16)' },
    ];
    // Every route of this server once at its rate, so no case measures a connection's first statements.
    for (const { url, rate } of plan.filter((spec) => spec.url.startsWith(base)))
      await worker.run({ name: 'warm-up', url, rate, seconds: 2 });
    const cases: { spec: (typeof plan)[number]; result: Loaded }[] = [];
    for (const spec of plan) cases.push({ spec, result: await worker.run({ ...spec, seconds }) });
    const direct = cases[0]?.result as Loaded;
    const rows = cases.map(({ spec, result }) => [
      spec.name,
      spec.rate,
      result.sent,
      result.failed,
      fixed(result.p50, 2),
      fixed(result.p90, 2),
      fixed(result.p99, 2),
      fixed(result.max, 1),
      spec.added ? `${fixed(result.p50 - direct.p50, 2)} / ${fixed(result.p99 - direct.p99, 2)}` : '—',
      spec.target,
    ]);
    const failure = cases.find(({ result }) => result.firstFailure)?.result.firstFailure;
    return {
      loadDescription: `open loop, ${seconds} s measured per case after 2 s of each route at its rate`,
      setup: [
        'the least server: node:http and pg (a pool of 10) in this process, no framework, authentication, GraphQL or events',
        'PostgreSQL: a fresh database on the DATABASE_URL server, its settings as found (synchronous_commit on)',
        "load: bench/ai.ts's open-loop worker in its own process (raw keep-alive sockets), which also runs the test upstream",
      ],
      body: [
        markdownTable(
          [
            'case',
            'rate req/s',
            'sent',
            'failed',
            'p50 ms',
            'p90 ms',
            'p99 ms',
            'max ms',
            'added p50 / p99 ms',
            'Trellis target',
          ],
          rows,
        ),
        ...(failure ? [`\nFirst failure: ${failure}`] : []),
      ].join('\n'),
    };
  } finally {
    worker.child.send({ stop: true });
    server.close();
    await pool.end();
    await database.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' } } });
  const report = await floorSuite({ seconds: Number(values.duration) });
  process.stdout.write(`${report.setup.map((line) => `- ${line}`).join('\n')}\n\n${report.body}\n`);
  process.exit(0);
}
