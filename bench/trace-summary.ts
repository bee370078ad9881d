/**
 * Reads a trace of `bench/ai.ts --trace DIR` (one line per call: when it was due, ms from its case's
 * start, and its latency) and says whether its tail is a few slow calls or stalls: windows in which
 * every call due was slow, as when all of them wait for the same thing (PostgreSQL's WAL flush).
 *
 *   node bench/trace-summary.ts FILE [--window 100] [--slow 50]
 *
 * A window of `--window` ms counts as a stall when it holds at least two calls and every one of them
 * took over `--slow` ms.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { percentile } from './lib.ts';

export interface Stall {
  /** ms from the case's start. */
  at: number;
  calls: number;
  /** The slowest call of the window, ms. */
  worst: number;
}

/** The stall windows of `calls` ([due ms, latency ms]), in time order. */
export function stalls(calls: readonly [number, number][], windowMs: number, slowMs: number): Stall[] {
  const windows = new Map<number, number[]>();
  for (const [due, ms] of calls) {
    const key = Math.floor(due / windowMs);
    const list = windows.get(key) ?? [];
    list.push(ms);
    windows.set(key, list);
  }
  return [...windows]
    .filter(([, list]) => list.length >= 2 && list.every((ms) => ms > slowMs))
    .sort(([a], [b]) => a - b)
    .map(([key, list]) => ({ at: key * windowMs, calls: list.length, worst: Math.max(...list) }));
}

/** Writes `calls` as DIR/<name>.tsv (the name made a file name), for this file to read. */
export async function writeTrace(dir: string, name: string, calls: readonly [number, number][]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const slug = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');
  await writeFile(`${dir}/${slug}.tsv`, formatTrace(calls));
}

/** A trace file's text: a header, then one line per call (due ms, latency ms) in the order they were due. */
export function formatTrace(calls: readonly [number, number][]): string {
  const lines = [...calls].sort((a, b) => a[0] - b[0]).map(([due, ms]) => `${due.toFixed(1)}\t${ms.toFixed(2)}`);
  return `due_ms\tlatency_ms\n${lines.join('\n')}\n`;
}

/** The calls of a trace file written by `formatTrace`. */
export function parseTrace(text: string): [number, number][] {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t').map(Number) as [number, number]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { window: { type: 'string', default: '100' }, slow: { type: 'string', default: '50' } },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: node bench/trace-summary.ts FILE [--window 100] [--slow 50]');
  const calls = parseTrace(await readFile(file, 'utf8'));
  const sorted = calls.map(([, ms]) => ms).sort((a, b) => a - b);
  const found = stalls(calls, Number(values.window), Number(values.slow));
  const inStalls = found.reduce((n, s) => n + s.calls, 0);
  const slowCalls = sorted.filter((ms) => ms > Number(values.slow)).length;
  console.log(
    `${calls.length} calls: p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, max ${percentile(sorted, 100).toFixed(1)} ms`,
  );
  console.log(
    `${found.length} stall windows (${values.window} ms, every call over ${values.slow} ms): ${inStalls} of the ${slowCalls} calls over ${values.slow} ms`,
  );
  for (const stall of found)
    console.log(`  at ${(stall.at / 1000).toFixed(2)} s: ${stall.calls} calls, slowest ${stall.worst.toFixed(1)} ms`);
}
