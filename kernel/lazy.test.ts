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

  it('lets an assignment replace a property, built or not, and offers every property', () => {
    const ctx = lazyObject({}, { a: () => 1, b: () => 2 });
    ctx.a = 10;
    expect(ctx.a).toBe(10);
    expect(ctx.b).toBe(2);
    expect('a' in ctx && 'b' in ctx).toBe(true);
  });

  it("survives Apollo Server's per-request copy of the context without building anything", () => {
    const built: string[] = [];
    const ctx = lazyObject(
      { em: 'em' },
      {
        a: () => {
          built.push('a');
          return 1;
        },
        b: () => {
          built.push('b');
          return 2;
        },
      },
    );
    // What @apollo/server's cloneObject does with every operation's contextValue.
    const copy = Object.assign(Object.create(Object.getPrototypeOf(ctx)), ctx) as typeof ctx;
    expect(built).toEqual([]);
    expect(copy.em).toBe('em');
    expect(copy.b).toBe(2);
    expect(copy.b).toBe(2);
    expect(built).toEqual(['b']);
  });

  it('builds the accessors once per set of names; each object builds from its own factories', () => {
    const make = (n: number) =>
      lazyObject<{ doubled: number; tag: string }, { n: number }>(
        { n },
        { doubled: (self) => (self as unknown as { n: number }).n * 2, tag: () => `t${n}` },
      );
    const one = make(1);
    const two = make(2);
    // Compared as booleans: a matcher's diff would read the accessors of the bare prototype.
    expect(Object.getPrototypeOf(one) === Object.getPrototypeOf(two)).toBe(true);
    expect(two.doubled).toBe(4);
    expect(one.doubled).toBe(2);
    expect([one.tag, two.tag]).toEqual(['t1', 't2']);
    const other = lazyObject({}, { tag: () => 'other' });
    expect(Object.getPrototypeOf(other) === Object.getPrototypeOf(one)).toBe(false);
    expect(other.tag).toBe('other');
    expect('doubled' in other).toBe(false);
  });
});
