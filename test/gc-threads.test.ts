/**
 * kernel/gc-threads.ts: V8's helper threads at a higher nice value than the threads serving requests
 * (bench/RESULTS.md, governance: a full GC's concurrent marking took both cores of a small host). Each
 * case runs in a child process, so this test runner's own threads keep their priority.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ThreadInfo } from '../kernel/gc-threads.ts';

/** Calls lowerGcThreadPriority with each of `nices` in a fresh Node process; its return values and its threads after. */
function inChild(nices: number[]): { changed: number[]; pid: number; threads: ThreadInfo[] } {
  const script = `
    const { lowerGcThreadPriority, threadsOf } = await import('./kernel/gc-threads.ts');
    const changed = ${JSON.stringify(nices)}.map((nice) => lowerGcThreadPriority(nice));
    process.stdout.write(JSON.stringify({ changed, pid: process.pid, threads: threadsOf('self') }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('../', import.meta.url),
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe('lowerGcThreadPriority (Linux)', () => {
  it("raises every V8 helper thread's nice value, and no other thread's", () => {
    const { changed, pid, threads } = inChild([10, 10]);
    const helpers = threads.filter((t) => t.name === 'V8Worker');
    expect(helpers.length).toBeGreaterThan(0);
    expect(changed).toEqual([helpers.length, 0]);
    // Relative to the process's own nice value: the test may itself run under \`nice\`.
    const base = threads.find((t) => t.tid === pid)?.nice ?? Number.NaN;
    expect(helpers.map((t) => t.nice)).toEqual(helpers.map(() => Math.max(base, 10)));
    expect(threads.filter((t) => t.name !== 'V8Worker').map((t) => t.nice)).toEqual(
      threads.filter((t) => t.name !== 'V8Worker').map(() => base),
    );
  });

  it('leaves every thread as it is with 0', () => {
    const { changed, pid, threads } = inChild([0]);
    expect(changed).toEqual([0]);
    const base = threads.find((t) => t.tid === pid)?.nice;
    expect(threads.map((t) => t.nice)).toEqual(threads.map(() => base));
  });

  it('never lowers a nice value already higher', () => {
    const { changed, threads } = inChild([15, 10]);
    expect(changed[1]).toBe(0);
    expect(threads.filter((t) => t.name === 'V8Worker').every((t) => t.nice === 15)).toBe(true);
  });
});
