import { describe, expect, it } from 'vitest';
import { newId, ulid } from './ids.ts';

describe('ids', () => {
  it('sort in creation order, even many within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newId('alr'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('are a type prefix and a 26-character Crockford ULID', () => {
    expect(newId('org')).toMatch(/^org_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ulid()).toHaveLength(26);
  });
});
