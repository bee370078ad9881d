/**
 * The jobs suite (`node bench/run.ts jobs`): the worker queue over REST, through the gateway, as workers
 * use it (docs/jobs.md).
 *
 * - submit → claim latency: 20 workers poll `POST /v1/jobs/claim` (10 ms pause when empty) while one
 *   producer submits jobs at a steady rate (`BENCH_JOBS_RATE`, default 20/s) for `--duration` seconds;
 *   latency = from the submit request leaving the producer to the claim answer carrying the job reaching
 *   a worker;
 * - claims/s with 20 workers: `BENCH_JOBS_BACKLOG` (default 2,000) jobs are queued first, then 20
 *   workers claim (batch 1, and batch 10) and complete each job until the queue is empty.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { bootPlatform, fixed, markdownTable, percentile, type Suite, seedOrganization } from './lib.ts';

const WORKERS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const jobsSuite: Suite = async (settings) => {
  const platform = await bootPlatform({
    TRELLIS_LOCAL_NODE: 'off',
    TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE: '10000000',
    // Production refuses to start without SMTP; this suite sends no mail (nothing listens there).
    TRELLIS_SMTP_URL: process.env.TRELLIS_SMTP_URL ?? 'smtp://127.0.0.1:9',
  });
  try {
    const seed = await seedOrganization(platform, 'Jobs Bench Org');
    const headers = { authorization: `Bearer ${seed.apiKey}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${platform.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const json = (await response.json()) as { data: unknown; error?: { code: string; message: string } };
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json.error)}`);
      return json.data;
    };
    const submit = (queue: string, n: number) =>
      post('/v1/jobs', { queue, type: 'bench', payload: { n } }) as Promise<{ id: string }>;
    const claim = (queue: string, workerId: string, batchSize: number) =>
      post('/v1/jobs/claim', { queue, workerId, batchSize }) as Promise<{ id: string }[]>;
    const complete = (id: string, workerId: string) =>
      post(`/v1/jobs/${id}/complete`, { workerId, result: { ok: true } });

    // ---- submit → claim latency ------------------------------------------------------------------
    const rate = Number(process.env.BENCH_JOBS_RATE ?? 20);
    const submittedAt = new Map<string, number>();
    const latencies: number[] = [];
    let producing = true;
    let pending = 0;
    const workers = Array.from({ length: WORKERS }, async (_, w) => {
      while (producing || pending > 0) {
        const jobs = await claim('latency', `w${w}`, 1);
        const now = performance.now();
        if (jobs.length === 0) {
          await sleep(10);
          continue;
        }
        for (const job of jobs) {
          // The submit answer may arrive after the claim: its start time is recorded before sending.
          const at = submittedAt.get(job.id);
          if (at !== undefined) latencies.push(now - at);
          pending--;
          await complete(job.id, `w${w}`);
        }
      }
    });
    const end = performance.now() + settings.durationSeconds * 1000;
    let n = 0;
    const inFlight: Promise<void>[] = [];
    while (performance.now() < end) {
      const started = performance.now();
      pending++;
      inFlight.push(
        submit('latency', n++).then((job) => {
          submittedAt.set(job.id, started);
        }),
      );
      await sleep(Math.max(0, 1000 / rate - (performance.now() - started)));
    }
    await Promise.all(inFlight);
    producing = false;
    await Promise.all(workers);
    latencies.sort((a, b) => a - b);

    // ---- claims/s with 20 workers ----------------------------------------------------------------
    const backlog = Number(process.env.BENCH_JOBS_BACKLOG ?? 2_000);
    const drain = async (queue: string, batchSize: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < backlog) await submit(queue, next++);
        }),
      );
      let claimed = 0;
      const load = os.loadavg()[0] ?? Number.NaN;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: WORKERS }, async (_, w) => {
          for (;;) {
            const jobs = await claim(queue, `d${w}`, batchSize);
            if (jobs.length === 0) return;
            claimed += jobs.length;
            for (const job of jobs) await complete(job.id, `d${w}`);
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuMsPerJob = claimed > 0 ? (cpu.user + cpu.system) / 1000 / claimed : Number.NaN;
      return { claimed, seconds, cpuMsPerJob, load: `${fixed(load, 2)} → ${fixed(os.loadavg()[0] ?? Number.NaN, 2)}` };
    };
    const single = await drain('drain-1', 1);
    const batched = await drain('drain-10', 10);

    const body = [
      markdownTable(
        ['case', 'jobs', 'p50 ms', 'p99 ms', 'max ms'],
        [
          [
            `submit → claim, ${rate} jobs/s, ${WORKERS} polling workers`,
            latencies.length,
            fixed(percentile(latencies, 50), 1),
            fixed(percentile(latencies, 99), 1),
            fixed(latencies.at(-1) ?? Number.NaN, 1),
          ],
        ],
      ),
      '',
      markdownTable(
        [
          'case',
          'jobs',
          'seconds',
          'claims/s (each also completed)',
          'CPU ms per job (claim + complete)',
          'load avg (1 min) start → end',
        ],
        [
          [
            `${WORKERS} workers, batch 1`,
            single.claimed,
            fixed(single.seconds, 1),
            fixed(single.claimed / single.seconds, 0),
            fixed(single.cpuMsPerJob, 1),
            single.load,
          ],
          [
            `${WORKERS} workers, batch 10`,
            batched.claimed,
            fixed(batched.seconds, 1),
            fixed(batched.claimed / batched.seconds, 0),
            fixed(batched.cpuMsPerJob, 1),
            batched.load,
          ],
        ],
      ),
      '',
      `Notes: every call is an HTTP request through the gateway's REST adapter (API key, envelope) to compute, where a claim is one transaction: pg-boss's SKIP LOCKED fetch, the jobs row update and the \`job.claimed\` outbox event; a complete likewise settles the engine's attempt, the row and \`job.succeeded\`. Claims/s counts jobs claimed and completed per second of the drain (the backlog was queued before timing). CPU ms per job: user + system CPU of the process during the drain (the platform and the 20 bench workers' HTTP clients, in one process; PostgreSQL not counted) per job claimed and completed — less affected by the machine's load than claims/s.`,
    ].join('\n');
    return { setup: platform.setup, body };
  } finally {
    await platform.close();
  }
};
