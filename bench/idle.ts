/**
 * Idle cost of the all-in-one process: RSS after boot and the CPU an untouched platform burns
 * (timers, pollers, heartbeats). Boots with the production defaults — embedded node agent
 * included — on a fresh database, seeds one organization (so per-org work exists), lets the
 * platform settle, then samples `process.cpuUsage()` over a window (BENCH_IDLE_SECONDS, 60 s).
 * PostgreSQL and Redis run in other processes and are not counted.
 */
import { bootPlatform, fixed, markdownTable, mib, type Suite, seedOrganization } from './lib.ts';
import { startMeasuredProcess } from './start-process.ts';

const SETTLE_MS = 5_000;

export const idleSuite: Suite = async () => {
  const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
  const platform = await bootPlatform({
    // Production defaults for everything that wakes an idle process (bootPlatform lowers nothing of that).
    TRELLIS_LOCAL_NODE: process.env.TRELLIS_LOCAL_NODE ?? 'rtx-4090:2,a100-80gb:1',
  });
  let body: string;
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
    body = [
      markdownTable(
        ['measure', 'value', 'target'],
        [
          ['RSS after boot (before seeding)', `${mib(bootRss)} MiB`, '≤ 250 MB (238 MiB)'],
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
  } finally {
    await platform.close();
  }
  const started = await measureStartProcess(seconds);
  return {
    setup: [...platform.setup, `idle window ${seconds} s after a 5 s settle`],
    body: `${body}\n\n${started}`,
  };
};

/** The same figures for `trellis start` in its own process (bench/start-process.ts), read through /proc. */
async function measureStartProcess(seconds: number): Promise<string> {
  const started = await startMeasuredProcess({
    TRELLIS_LOCAL_NODE: process.env.TRELLIS_LOCAL_NODE ?? 'rtx-4090:2,a100-80gb:1',
  });
  try {
    const readyRss = started.probe.rssBytes();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const settledRss = started.probe.rssBytes();
    const cpu0 = started.probe.cpuMicros();
    const t0 = performance.now();
    let peakRss = settledRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, started.probe.rssBytes());
    }, 1_000);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    clearInterval(sampler);
    const cpuMs = (started.probe.cpuMicros() - cpu0) / 1000;
    const percent = (cpuMs / (performance.now() - t0)) * 100;
    return [
      '### `trellis start` in its own process (as `npm start` runs it)',
      '',
      markdownTable(
        ['measure', 'value', 'target'],
        [
          ['RSS when ready (no forced GC)', `${mib(readyRss)} MiB`, '≤ 250 MB (238 MiB)'],
          ['RSS after settling 5 s', `${mib(settledRss)} MiB`, ''],
          [
            `CPU while idle, ${seconds} s window`,
            `${fixed(percent, 2)} % of one core (${fixed(cpuMs, 0)} ms)`,
            '≤ 1 %',
          ],
          ['peak RSS while idle', `${mib(peakRss)} MiB`, ''],
        ],
      ),
      '',
      '- `node --max-semi-space-size=16 bin/trellis.ts start` in a child process (bench/start-process.ts), same',
      '  settings as above plus the embedded node agent; booted twice on one NODE_COMPILE_CACHE directory',
      '  (`npm start` sets one) and measured on the second boot, a restart. No organization is seeded.',
      '- RSS from /proc/<pid>/statm, CPU from /proc/<pid>/stat (10 ms ticks): that process alone, nothing of',
      '  the bench (autocannon, the TypeScript stripper for bench files) loaded into it.',
    ].join('\n');
  } finally {
    await started.stop();
  }
}
