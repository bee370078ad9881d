/**
 * The compute suite (`node bench/run.ts compute`), issue #10's three figures:
 *
 * - VM create → running on the embedded local node (process runtime, built-in workload): sequential
 *   creates through REST, each polled every 20 ms until `running`, then terminated (its GPU freed);
 * - scheduler placements/s with 1,000 registered nodes (seeded with SQL: 8 GPUs each, 2 models, 4 regions,
 *   2 tiers): `--connections` workers (at most 8: the pool) each placing 1-GPU requests with the
 *   node-agent driver, one transaction per placement, for `--duration` seconds; checked afterwards
 *   against the nodes' `gpu_used` (nothing lost, nothing over capacity);
 * - API list/get with 10,000 VMs in one organization (seeded with SQL): autocannon on
 *   `GET /v1/orgs/{orgId}/vms?limit=50` and `GET /v1/vms/{id}` through the REST adapter.
 */
import { performance } from 'node:perf_hooks';
import { createOrm } from '../kernel/database.ts';
import { OutboxEvent } from '../kernel/outbox.ts';
import { agentNodeDriver } from '../subgraphs/compute/scheduler.ts';
import {
  bootPlatform,
  type CaseResult,
  fixed,
  markdownTable,
  measure,
  percentile,
  RESULT_HEADER,
  resultRow,
  type Suite,
  seedOrganization,
} from './lib.ts';

const REGIONS = ['us-east', 'us-west', 'eu-west', 'ap-south'];

async function rest(url: string, method: string, token: string, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return (await response.json()) as { data: { id: string; status: string } };
}

async function untilStatus(url: string, token: string, status: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await rest(url, 'GET', token)).data.status !== status) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const computeSuite: Suite = async (settings) => {
  const platform = await bootPlatform({
    TRELLIS_LOCAL_NODE: 'rtx-4090:2',
    TRELLIS_COMPUTE_WORKER_INTERVAL_MS: '1000',
    // Production refuses to start without SMTP; nothing in this suite sends mail (port 9 discards).
    TRELLIS_SMTP_URL: 'smtp://127.0.0.1:9',
  });
  const orm = await createOrm({
    schema: 'compute',
    url: platform.app.databaseUrl,
    entities: [OutboxEvent],
    migrations: [],
    poolMax: 8,
  });
  try {
    const seed = await seedOrganization(platform, 'Compute Bench');

    // 1. create → running on the local node.
    const creates = Number(process.env.BENCH_COMPUTE_CREATES ?? 30);
    const toRunning: number[] = [];
    for (let i = 0; i < creates; i++) {
      const t0 = performance.now();
      const created = await rest(`${platform.url}/v1/orgs/${seed.orgId}/vms/create`, 'POST', seed.apiKey, {
        name: `latency-${i}`,
        gpuModelId: 'rtx-4090',
      });
      await untilStatus(`${platform.url}/v1/vms/${created.data.id}`, seed.apiKey, 'running');
      toRunning.push(performance.now() - t0);
      await rest(`${platform.url}/v1/vms/${created.data.id}/terminate`, 'POST', seed.apiKey);
      await untilStatus(`${platform.url}/v1/vms/${created.data.id}`, seed.apiKey, 'terminated');
    }
    toRunning.sort((a, b) => a - b);

    // 2. placements/s with 1,000 nodes.
    const em = orm.em.fork();
    await em.execute(
      `insert into nodes (id, org_id, name, region, tier, gpu_model_id, gpu_total, runtime, secret_hash, status,
         last_heartbeat_at, created_at, updated_at)
       select 'node_bench_' || g, 'org_bench_provider', 'bench-' || g,
         (array['us-east', 'us-west', 'eu-west', 'ap-south'])[1 + g % 4],
         case when g % 5 = 0 then 'secure' else 'community' end,
         case when g % 2 = 0 then 'h100-80gb' else 'a100-80gb' end, 8, 'process', 'x', 'online',
         now() + interval '1 day', now(), now()
       from generate_series(1, 1000) g`,
    );
    await em.execute('analyze nodes');
    const workers = Math.min(settings.connections, 8);
    const latencies: number[] = [];
    let placed = 0;
    let full = 0;
    const end = performance.now() + settings.durationSeconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let i = 0; performance.now() < end; i++) {
          const t0 = performance.now();
          const placement = await orm.em.fork().transactional((tx) =>
            agentNodeDriver.place(tx as never, {
              gpuModelId: (w + i) % 2 === 0 ? 'h100-80gb' : 'a100-80gb',
              gpuCount: 1,
              tier: 'community',
              preferredRegions: [REGIONS[(w + i) % REGIONS.length] as string],
              allowFallback: true,
            }),
          );
          latencies.push(performance.now() - t0);
          if (placement) placed++;
          else full++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const [check] = await orm.em.fork().execute(
      `select coalesce(sum(gpu_used), 0)::int as used, count(*) filter (where gpu_used > gpu_total)::int as over,
         (select coalesce(sum(gpu_count), 0)::int from vms where node_id like 'node_bench_%') as by_worker
         from nodes where id like 'node_bench_%'`,
    );
    // The bench nodes must not take the API figures' VMs: out of service before part 3.
    await orm.em.fork().execute("update nodes set status = 'removed' where id like 'node_bench_%'");

    // 3. list/get with 10,000 VMs in one organization.
    const vmCount = Number(process.env.BENCH_COMPUTE_VMS ?? 10_000);
    await orm.em.fork().execute(
      `insert into vms (id, org_id, name, status, gpu_model_id, gpu_count, tier, container_port, env_vars, disk_size_gb,
         preferred_regions, allow_fallback, public, privileged, kernel_modules, price_cents_per_hour, created_at,
         updated_at, status_reason)
       select 'vm_bench' || lpad(g::text, 6, '0'), ?, 'bench-vm-' || g, 'stopped', 'rtx-4090', 1, 'community', 8080,
         '{}'::jsonb, 50, '{}'::text[], true, false, false, '[]'::jsonb, 59, now(), now(), 'stopped by the user'
       from generate_series(1, ?) g`,
      [seed.orgId, vmCount],
    );
    await orm.em.fork().execute('analyze vms');
    const auth = { authorization: `Bearer ${seed.apiKey}` };
    const results: CaseResult[] = [];
    for (const c of [
      {
        name: `GET /v1/orgs/{orgId}/vms?limit=50 (${vmCount.toLocaleString('en')} VMs)`,
        url: `${platform.url}/v1/orgs/${seed.orgId}/vms?limit=50`,
      },
      {
        name: 'GET /v1/vms/{id}',
        url: `${platform.url}/v1/vms/vm_bench${String(Math.floor(vmCount / 2)).padStart(6, '0')}`,
      },
    ]) {
      process.stderr.write(`  ${c.name}…\n`);
      results.push(await measure({ ...c, headers: auth }, settings));
    }

    const body = [
      markdownTable(
        ['VM create → running, local node (process runtime)', 'VMs', 'p50 ms', 'p99 ms', 'max ms'],
        [
          [
            'POST …/vms/create, polled every 20 ms until running',
            creates,
            fixed(percentile(toRunning, 50), 0),
            fixed(percentile(toRunning, 99), 0),
            fixed(toRunning[toRunning.length - 1] ?? Number.NaN, 0),
          ],
        ],
      ),
      '',
      markdownTable(
        ['scheduler, 1,000 online nodes', 'placements/s', 'p50 ms', 'p99 ms', 'placed', 'no capacity'],
        [
          [
            `node-agent driver, ${workers} concurrent placements`,
            fixed(placed / seconds, 0),
            fixed(percentile(latencies, 50), 2),
            fixed(percentile(latencies, 99), 2),
            placed,
            full,
          ],
        ],
      ),
      '',
      `Scheduler check: ${check?.used} GPUs in use on the bench nodes for ${placed} placements plus ${check?.by_worker} GPU(s) of VMs the compute worker placed there meanwhile (the seed's pending h100 VM); ${check?.over} node(s) over capacity.`,
      '',
      markdownTable(RESULT_HEADER, results.map(resultRow)),
    ].join('\n');
    return {
      setup: [
        ...platform.setup,
        'embedded local node TRELLIS_LOCAL_NODE=rtx-4090:2 (process runtime, built-in workload), worker every 1 s',
        'scheduler measured at the driver (no HTTP), one transaction per placement, pool of 8',
      ],
      body,
    };
  } finally {
    await orm.close();
    await platform.close();
  }
};
