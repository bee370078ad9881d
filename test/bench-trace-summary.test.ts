/**
 * bench/trace-summary.ts, which reads `bench/ai.ts --trace` files: a stall is a window in which every
 * call due was slow; a slow call among fast ones, or a window of one call, is not.
 */
import { describe, expect, it } from 'vitest';
import { formatTrace, parseTrace, stalls } from '../bench/trace-summary.ts';

describe('bench trace summary', () => {
  it('finds the windows in which every call was slow, and only those', () => {
    const calls: [number, number][] = [
      // 0-100 ms: fast calls with one slow one among them.
      [0, 2],
      [50, 80],
      // 100-200 ms: every call slow — a stall.
      [100, 120],
      [150, 90],
      [199, 60],
      // 200-300 ms: one call, slow: not enough to call it a stall.
      [250, 300],
      // 300-400 ms: all slow but one at the limit itself.
      [300, 70],
      [350, 50],
    ];
    expect(stalls(calls, 100, 50)).toEqual([{ at: 100, calls: 3, worst: 120 }]);
    expect(stalls(calls, 400, 1)).toEqual([{ at: 0, calls: 8, worst: 300 }]);
  });

  it('reads the trace files bench/ai.ts writes', () => {
    expect(parseTrace('due_ms\tlatency_ms\n0.0\t1.25\n5.0\t30.50\n')).toEqual([
      [0, 1.25],
      [5, 30.5],
    ]);
    // Written in the order the calls were due, whatever order they were answered in.
    const text = formatTrace([
      [5, 30.5],
      [0, 1.25],
    ]);
    expect(text).toBe('due_ms\tlatency_ms\n0.0\t1.25\n5.0\t30.50\n');
    expect(parseTrace(text)).toEqual([
      [0, 1.25],
      [5, 30.5],
    ]);
  });
});
