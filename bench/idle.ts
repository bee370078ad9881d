/**
 * Idle cost of the all-in-one process: RSS after boot and the CPU an untouched platform burns
 * (timers, pollers, heartbeats). Boots with the production defaults — embedded node agent
 * included — on a fresh database, seeds one organization (so per-org work exists), lets the
 * platform settle, then samples `process.cpuUsage()` over two windows in a row (BENCH_IDLE_SECONDS, 60 s each).
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
    let peakRss = settledRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 1_000);
    const cpuMicros = () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    };
    // For lining a CPU profile (--cpu-prof) up with the windows: V8 stamps samples with this clock.
    process.stderr.write(`idle windows from ${process.hrtime.bigint() / 1000n} µs\n`);
    const [first, next] = await idleWindows(cpuMicros, seconds);
    process.stderr.write(`idle windows to ${process.hrtime.bigint() / 1000n} µs\n`);
    clearInterval(sampler);
    body = [
      markdownTable(
        ['measure', 'value', 'target'],
        [
          ['RSS after boot (before seeding)', `${mib(bootRss)} MiB`, '≤ 250 MB (238 MiB)'],
          ['RSS after seeding one organization and settling 5 s', `${mib(settledRss)} MiB`, ''],
          [`CPU while idle, first ${seconds} s window (after the 5 s settle)`, cpuCell(first), '≤ 1 %'],
          [`CPU while idle, the next ${seconds} s window`, cpuCell(next), '≤ 1 %'],
          ['peak RSS while idle', `${mib(peakRss)} MiB`, ''],
        ],
      ),
      '',
      'Notes:',
      '- CPU is `process.cpuUsage()` of the Trellis process (gateway, five subgraphs, REST adapter,',
      '  embedded node agent, workers); PostgreSQL and Redis are other processes and not counted.',
      `- ${global.gc ? 'RSS read after a forced GC (--expose-gc).' : 'RSS read without forcing a GC.'}`,
      `- Node flags of this (the bench) process: ${process.execArgv.join(' ') || 'none'}; \`npm start\` runs with`,
      '  `--max-semi-space-size=16 --no-memory-reducer` (below).',
    ].join('\n');
  } finally {
    await platform.close();
  }
  const started = await measureStartProcess(seconds);
  return {
    setup: [...platform.setup, `two idle windows of ${seconds} s each, after a 5 s settle`],
    body: `${body}\n\n${started}`,
  };
};

interface CpuWindow {
  cpuMs: number;
  wallMs: number;
}

/**
 * Two back-to-back windows of `seconds`: the first starts 5 s after boot settled and still holds what
 * boot leaves to do later (pg-boss's first maintenance; with V8's memory reducer on, as in a bench
 * process run without `--no-memory-reducer`, its two collections ~8 s after boot's), the next is the
 * steady idle state. Both are reported; neither hides the other.
 */
async function idleWindows(cpuMicros: () => number, seconds: number): Promise<[CpuWindow, CpuWindow]> {
  const window = async (): Promise<CpuWindow> => {
    const cpu0 = cpuMicros();
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    return { cpuMs: (cpuMicros() - cpu0) / 1000, wallMs: performance.now() - t0 };
  };
  const first = await window();
  return [first, await window()];
}

const cpuCell = ({ cpuMs, wallMs }: CpuWindow) =>
  `${fixed((cpuMs / wallMs) * 100, 2)} % of one core (${fixed(cpuMs, 0)} ms)`;

/** The same figures for `trellis start` in its own process (bench/start-process.ts), read through /proc. */
async function measureStartProcess(seconds: number): Promise<string> {
  const started = await startMeasuredProcess({
    TRELLIS_LOCAL_NODE: process.env.TRELLIS_LOCAL_NODE ?? 'rtx-4090:2,a100-80gb:1',
  });
  try {
    const readyRss = started.probe.rssBytes();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const settledRss = started.probe.rssBytes();
    let peakRss = settledRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, started.probe.rssBytes());
    }, 1_000);
    const [first, next] = await idleWindows(() => started.probe.cpuMicros(), seconds);
    clearInterval(sampler);
    return [
      '### `trellis start` in its own process (as `npm start` runs it)',
      '',
      markdownTable(
        ['measure', 'value', 'target'],
        [
          ['RSS when ready (no forced GC)', `${mib(readyRss)} MiB`, '≤ 250 MB (238 MiB)'],
          ['RSS after settling 5 s', `${mib(settledRss)} MiB`, ''],
          [`CPU while idle, first ${seconds} s window (after the 5 s settle)`, cpuCell(first), '≤ 1 %'],
          [`CPU while idle, the next ${seconds} s window`, cpuCell(next), '≤ 1 %'],
          ['peak RSS while idle', `${mib(peakRss)} MiB`, ''],
        ],
      ),
      '',
      '- `node --max-semi-space-size=16 --no-memory-reducer bin/trellis.ts start` in a child process (bench/start-process.ts), same',
      '  settings as above plus the embedded node agent; booted twice on one NODE_COMPILE_CACHE directory',
      '  (`npm start` sets one) and measured on the second boot, a restart. No organization is seeded.',
      '- RSS from /proc/<pid>/statm, CPU from /proc/<pid>/stat (10 ms ticks): that process alone, nothing of',
      '  the bench (autocannon, the TypeScript stripper for bench files) loaded into it.',
    ].join('\n');
  } finally {
    await started.stop();
  }
}
