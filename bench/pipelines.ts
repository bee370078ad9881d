/**
 * The pipelines suite: run throughput of a three-node pipeline (http → condition → parallel) on the
 * all-in-one platform. N runs are started through GraphQL (`startWorkflowDefinition`, `--concurrency` at a
 * time); the clock runs from the first start to the last run's `finishedAt`. Reports runs/s and each run's
 * end-to-end time (`finishedAt − createdAt`) p50 / p99, the CPU time of the process per run (the platform and
 * this bench's own GraphQL calls: an upper bound that a loaded machine affects less than wall time), and the
 * 1-minute load average at the start and the end. The http node calls a local receiver (so the number is the
 * platform's: the driver, its transactions and events, not a remote service).
 *
 *   node bench/pipelines.ts [--runs 300] [--concurrency 20] [--no-write]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  bootPlatform,
  closeAllPlatforms,
  fixed,
  machine,
  markdownTable,
  percentile,
  seedOrganization,
  writeSection,
} from './lib.ts';

const RESULTS_FILE = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '20' },
    'no-write': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const CONCURRENCY = Number(values.concurrency);

async function main() {
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/step`;
  const platform = await bootPlatform({
    TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    TRELLIS_LOCAL_NODE: 'off',
    // Production mode wants a mail transport; nothing here sends mail that must arrive.
    TRELLIS_SMTP_URL: process.env.TRELLIS_SMTP_URL ?? 'smtp://127.0.0.1:9',
  });
  try {
    const seed = await seedOrganization(platform, 'Pipelines Bench');
    const call = async <T>(query: string, variables: Record<string, unknown>) => {
      const { body } = await platform.graphql<T>(query, variables, seed.apiKey);
      if (!body.data) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const { createWorkflowDefinition: definition } = await call<{ createWorkflowDefinition: { id: string } }>(
      `mutation($input: CreateWorkflowDefinitionInput!) { createWorkflowDefinition(input: $input) { id } }`,
      {
        input: {
          orgId: seed.orgId,
          name: 'bench-three-nodes',
          nodes: [
            { id: 'fetch', type: 'http', url: target, body: { n: '{{ input.n }}' } },
            {
              id: 'check',
              type: 'condition',
              dependsOn: ['fetch'],
              expr: 'nodes.fetch.output.status == 200',
              onTrue: ['done'],
            },
            { id: 'done', type: 'parallel', input: { n: '{{ input.n }}' } },
          ],
        },
      },
    );
    const ids: string[] = [];
    const loadAtStart = os.loadavg()[0] ?? Number.NaN;
    const cpuAtStart = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < RUNS) {
          const n = next++;
          const data = await call<{ startWorkflowDefinition: { id: string } }>(
            'mutation($id: ID!, $input: JSON) { startWorkflowDefinition(id: $id, input: $input) { id } }',
            { id: definition.id, input: { n } },
          );
          ids.push(data.startWorkflowDefinition.id);
        }
      }),
    );
    const submitted = performance.now();
    let runs: { status: string; createdAt: string; finishedAt: string | null }[] = [];
    for (;;) {
      runs = [];
      for (let i = 0; i < ids.length; i += 100) {
        const batch = await Promise.all(
          ids
            .slice(i, i + 100)
            .map((id) =>
              call<{ workflowRun: { status: string; createdAt: string; finishedAt: string | null } }>(
                'query($id: ID!) { workflowRun(id: $id) { status createdAt finishedAt } }',
                { id },
              ),
            ),
        );
        runs.push(...batch.map((b) => b.workflowRun));
      }
      if (runs.every((r) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const cpu = process.cpuUsage(cpuAtStart);
    const cpuMsPerRun = (cpu.user + cpu.system) / 1000 / RUNS;
    const loadAtEnd = os.loadavg()[0] ?? Number.NaN;
    const failed = runs.filter((r) => r.status !== 'SUCCEEDED').length;
    const firstCreated = Math.min(...runs.map((r) => Date.parse(r.createdAt)));
    const lastFinished = Math.max(...runs.map((r) => Date.parse(r.finishedAt ?? r.createdAt)));
    const wallSeconds = (lastFinished - firstCreated) / 1000;
    const e2e = runs
      .map((r) => Date.parse(r.finishedAt ?? r.createdAt) - Date.parse(r.createdAt))
      .sort((a, b) => a - b);
    const m = machine();
    const markdown = [
      '## Pipelines: run throughput (3-node pipeline)',
      '',
      `${new Date().toISOString()} · ${m.cpu} × ${m.cores} · ${m.memoryGiB} GiB · ${m.os} · Node ${m.node} · command: \`node bench/pipelines.ts --runs ${RUNS} --concurrency ${CONCURRENCY}\``,
      '',
      markdownTable(
        [
          'runs',
          'start concurrency',
          'runs/s (first created → last finished)',
          'run p50 ms',
          'run p99 ms',
          'failed',
          'start phase s',
          'CPU ms per run',
          'load avg (1 min) start → end',
        ],
        [
          [
            RUNS,
            CONCURRENCY,
            fixed(RUNS / wallSeconds),
            fixed(percentile(e2e, 50), 0),
            fixed(percentile(e2e, 99), 0),
            failed,
            fixed((submitted - started) / 1000),
            fixed(cpuMsPerRun, 1),
            `${fixed(loadAtStart, 2)} → ${fixed(loadAtEnd, 2)}`,
          ],
        ],
      ),
      '',
      'Pipeline: `http` (a local receiver) → `condition` → `parallel`; every node a transaction with its `run.*` events;',
      'one all-in-one process (gateway, five subgraphs, one run driver with 16 advances in flight). Each run is',
      'advanced by queue-engine jobs (pg-boss `pipeline-runs`, sent in the transaction that starts the run).',
      'CPU ms per run: user + system CPU of this process from the first start to the last finish, divided by the',
      "runs; it includes the bench's own GraphQL starts and status polls (an upper bound on the platform's",
      "cost; PostgreSQL's CPU is not counted). Prefer it to runs/s on this shared machine.",
    ].join('\n');
    console.log(markdown);
    if (!values['no-write']) await writeSection(RESULTS_FILE, 'pipelines', markdown);
  } finally {
    receiver.close();
    await closeAllPlatforms();
  }
}

await main();
process.exit(0);
