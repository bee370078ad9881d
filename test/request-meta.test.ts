/** Trace and span ids: W3C shapes, never repeated, also across the random pool's refills. */
import { describe, expect, it } from 'vitest';
import { newSpanId, randomHex, traceFrom } from '../kernel/request-meta.ts';

describe('trace identifiers', () => {
  it('are hex of the W3C sizes and never repeat, across many refills of the random pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const { traceId, spanId } = traceFrom(undefined);
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      seen.add(traceId);
      seen.add(spanId);
      seen.add(newSpanId());
    }
    expect(seen.size).toBe(15000);
  });

  it('continues a caller trace and gives the hop its own span', () => {
    const traceId = 'ab'.repeat(16);
    const meta = traceFrom(`00-${traceId}-${'cd'.repeat(8)}-01`);
    expect(meta.traceId).toBe(traceId);
    expect(meta.spanId).not.toBe('cd'.repeat(8));
  });

  it('draws any size up to the pool', () => {
    expect(randomHex(4096)).toMatch(/^[0-9a-f]{8192}$/);
    expect(randomHex(3)).toMatch(/^[0-9a-f]{6}$/);
  });
});
