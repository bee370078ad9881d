import { describe, expect, it } from 'vitest';
import { lazyObject } from './lazy.ts';

describe('lazyObject', () => {
  it('builds a property on its first read only, once, and keeps the base properties', () => {
    const built: string[] = [];
    const ctx = lazyObject(
      { em: 'em' },
      {
        catalog: () => {
          built.push('catalog');
          return { name: 'catalog' };
        },
        vms: (self: { catalog: { name: string } }) => {
          built.push('vms');
          return { uses: self.catalog };
        },
      },
    );
    expect(ctx.em).toBe('em');
    expect(built).toEqual([]);
    expect(ctx.vms.uses).toBe(ctx.catalog);
    expect(ctx.vms).toBe(ctx.vms);
    expect(built).toEqual(['vms', 'catalog']);
  });

  it('lets an assignment replace a property, built or not, and lists every property', () => {
    const ctx = lazyObject({}, { a: () => 1, b: () => 2 });
    ctx.a = 10;
    expect(ctx.a).toBe(10);
    expect({ ...ctx }).toEqual({ a: 10, b: 2 });
  });
});
