/**
 * Idle cost of the all-in-one process: RSS after boot and the CPU an untouched platform burns
 * (timers, pollers, heartbeats). Boots with the production defaults — embedded node agent
 * included — on a fresh database, seeds one organization (so per-org work exists), lets the
 * platform settle, then samples `process.cpuUsage()` over a window (BENCH_IDLE_SECONDS, 60 s).
 * PostgreSQL and Redis run in other processes and are not counted.
 */
import { bootPlatform, fixed, markdownTable, mib, type Suite, seedOrganization } from './lib.ts';

const SETTLE_MS = 5_000;

export const idleSuite: Suite = async () => {
  const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
  const platform = await bootPlatform({
    // Production defaults for everything that wakes an idle process (bootPlatform lowers nothing of that).
    TRELLIS_LOCAL_NODE: process.env.TRELLIS_LOCAL_NODE ?? 'rtx-4090:2,a100-80gb:1',
  });
  try {
    global.gc?.();
    const bootRss = process.memoryUsage.rss();
    await seedOrganization(platform, 'Idle Bench');
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    global.gc?.();
    const settledRss = process.memoryUsage.rss();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // For lining a CPU profile (--cpu-prof) up with the window: V8 stamps samples with this clock.
    process.stderr.write(`idle window from ${process.hrtime.bigint() / 1000n} µs\n`);
    let peakRss = settledRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 1_000);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    clearInterval(sampler);
    process.stderr.write(`idle window to ${process.hrtime.bigint() / 1000n} µs\n`);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const percent = (cpuMs / wallMs) * 100;
    const body = [
      markdownTable(
        ['measure', 'value', 'target'],
        [
          ['RSS after boot (before seeding)', `${mib(bootRss)} MiB`, '≤ 250 MiB'],
          ['RSS after seeding one organization and settling 5 s', `${mib(settledRss)} MiB`, ''],
          [
            `CPU while idle, ${seconds} s window`,
            `${fixed(percent, 2)} % of one core (${fixed(cpuMs, 0)} ms)`,
            '≤ 1 %',
          ],
          ['  of which user / system', `${fixed(cpu.user / 1000, 0)} ms / ${fixed(cpu.system / 1000, 0)} ms`, ''],
          ['peak RSS while idle', `${mib(peakRss)} MiB`, ''],
        ],
      ),
      '',
      'Notes:',
      '- CPU is `process.cpuUsage()` of the Trellis process (gateway, five subgraphs, REST adapter,',
      '  embedded node agent, workers); PostgreSQL and Redis are other processes and not counted.',
      `- ${global.gc ? 'RSS read after a forced GC (--expose-gc).' : 'RSS read without forcing a GC.'}`,
    ].join('\n');
    return { setup: [...platform.setup, `idle window ${seconds} s after a 5 s settle`], body };
  } finally {
    await platform.close();
  }
};
