import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { memoryReducerOff, releaseMemory, releaseMemoryWhenIdle, shouldRelease } from './boot-memory.ts';

const youngGeneration = () =>
  v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;

/** Allocates short-lived objects fast, as boot and bursts of requests do, until V8 has grown the young generation. */
function growYoungGeneration(): void {
  for (let round = 0; round < 2_000 && youngGeneration() <= 4 * 1024 * 1024; round++) {
    Array.from({ length: 20_000 }, (_, i) => ({ i, text: `item ${i}` }));
  }
}

describe('releaseMemory', () => {
  it('shrinks a young generation that fast allocation grew, without exposing gc globally', () => {
    // (A test worker's may have grown already, while loading its modules.)
    growYoungGeneration();
    expect(youngGeneration()).toBeGreaterThan(4 * 1024 * 1024);

    releaseMemory();

    expect(youngGeneration()).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});

describe('releaseMemoryWhenIdle', () => {
  const settings = { growthBytes: 10, idleUtilization: 0.02 };

  it('collects only when the loop was idle and the heap grew enough', () => {
    expect(shouldRelease(0.01, 10, settings)).toBe(true);
    expect(shouldRelease(0.01, 9, settings)).toBe(false);
    expect(shouldRelease(0.02, 100, settings)).toBe(false);
    expect(shouldRelease(0.5, 100, settings)).toBe(false);
  });

  it('is on only where V8’s reducer was turned off on the command line', () => {
    expect(memoryReducerOff(['--max-semi-space-size=16', '--no-memory-reducer'])).toBe(true);
    expect(memoryReducerOff(['--max-semi-space-size=16'])).toBe(false);
  });

  it('gives back a heap that a burst grew, once the process is idle, and not again while nothing grows', async () => {
    releaseMemory();
    const releases: { heapBefore: number; heapAfter: number }[] = [];
    const stop = releaseMemoryWhenIdle({
      intervalMs: 150,
      growthBytes: 2 * 1024 * 1024,
      idleUtilization: 0.5,
      onRelease: (info) => releases.push(info),
    });
    try {
      // The burst: a young generation grown by fast allocation, then quiet.
      growYoungGeneration();
      expect(youngGeneration()).toBeGreaterThan(4 * 1024 * 1024);
      for (const deadline = Date.now() + 5_000; releases.length === 0 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Several more idle intervals: the heap has not grown since, so no second collection.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(releases).toHaveLength(1);
      expect(releases[0]?.heapAfter).toBeLessThan(releases[0]?.heapBefore as number);
      expect(youngGeneration()).toBeLessThanOrEqual(2 * 1024 * 1024);
    } finally {
      stop();
    }
  });

  it('leaves a busy process alone', async () => {
    releaseMemory();
    let released = 0;
    const stop = releaseMemoryWhenIdle({
      intervalMs: 100,
      growthBytes: 1,
      idleUtilization: 0.02,
      onRelease: () => released++,
    });
    try {
      // Keep the loop busy (well above 2 %) for several intervals while the heap grows.
      const until = performance.now() + 600;
      while (performance.now() < until) {
        growYoungGeneration();
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(released).toBe(0);
    } finally {
      stop();
    }
  });
});
