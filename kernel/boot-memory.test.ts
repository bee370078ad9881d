import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { releaseBootMemory } from './boot-memory.ts';

const youngGeneration = () =>
  v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;

describe('releaseBootMemory', () => {
  it('shrinks a young generation that fast allocation grew, without exposing gc globally', () => {
    // Allocate short-lived objects fast, as boot does, until V8 has grown the young generation.
    // (A test worker's may have grown already, while loading its modules.)
    for (let round = 0; round < 2_000 && youngGeneration() <= 4 * 1024 * 1024; round++) {
      Array.from({ length: 20_000 }, (_, i) => ({ i, text: `item ${i}` }));
    }
    const grown = youngGeneration();
    expect(grown).toBeGreaterThan(4 * 1024 * 1024);

    releaseBootMemory();

    expect(youngGeneration()).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
