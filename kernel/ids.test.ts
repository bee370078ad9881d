import { describe, expect, it, vi } from 'vitest';
import { encodeTime, newId, nextRandom, ulid } from './ids.ts';

/** Reference decoding of a ULID's random part through BigInt: its 80 bits as one number. */
const randomPart = (id: string) =>
  [...id.slice(10)].reduce((n, c) => n * 32n + BigInt('0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c)), 0n);

describe('ids', () => {
  it('sort in creation order, even many within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newId('alr'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('within one millisecond, increment the random part by exactly one', () => {
    const ids = Array.from({ length: 500 }, () => ulid());
    let sameMs = 0;
    for (let i = 1; i < ids.length; i++) {
      const [a, b] = [ids[i - 1] as string, ids[i] as string];
      if (a.slice(0, 10) !== b.slice(0, 10)) continue;
      sameMs++;
      expect(randomPart(b) - randomPart(a)).toBe(1n);
    }
    expect(sameMs).toBeGreaterThan(0);
  });

  it('draw fresh random bits in a new millisecond, not a counter carried on or restarted from zero', () => {
    // Milliseconds no earlier id used, and before the one the encoding test below uses (ids never go back in time).
    const now = Date.now() + 30_000;
    const spy = vi.spyOn(Date, 'now').mockReturnValue(now);
    try {
      const first = ulid();
      spy.mockReturnValue(now + 1);
      const next = ulid();
      expect(randomPart(next) - randomPart(first)).not.toBe(1n);
      expect(randomPart(next)).not.toBe(0n);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('are a type prefix and a 26-character Crockford ULID', () => {
    expect(newId('org')).toMatch(/^org_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ulid()).toHaveLength(26);
  });
});

describe('ulid random part', () => {
  it('counts up within a millisecond, carrying from the low 40 bits into the high ones', () => {
    expect(nextRandom(5, 7)).toEqual([5, 8]);
    expect(nextRandom(5, 2 ** 40 - 1)).toEqual([6, 0]);
    expect(nextRandom(2 ** 40 - 1, 2 ** 40 - 1)).toBeNull();
  });

  it('encodes the random bytes as the 16 Crockford digits of their 80 bits', () => {
    const now = Date.now() + 60_000; // a millisecond no earlier id used: the random part is fresh
    vi.spyOn(Date, 'now').mockReturnValue(now);
    try {
      const first = ulid();
      const second = ulid();
      expect(first.slice(0, 10)).toBe(encodeTime(now));
      expect(second.slice(0, 10)).toBe(encodeTime(now));
      // The second id is the first one plus one.
      expect(randomPart(second)).toBe(randomPart(first) + 1n);
      expect(randomPart(first) < 1n << 80n).toBe(true);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
