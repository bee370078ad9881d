/**
 * An object whose properties are built on first read and then kept: a request context offers every
 * service of its subgraph, while a request uses one or two of them (the AI gateway's `recordAiCall`
 * built a dozen compute services, and their dependencies, per call).
 */
export type Factories<T> = { [K in keyof T]: (self: T) => T[K] };

/**
 * `base`'s own properties, plus one property per factory, each built by its factory the first time it is
 * read (a factory may read the object's other properties through `self`). An assignment replaces the value.
 */
export function lazyObject<T extends object, B extends object = object>(base: B, factories: Factories<T>): B & T {
  const target = { ...base } as B & T;
  const settle = (key: PropertyKey, value: unknown) =>
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  for (const key of Object.keys(factories) as (keyof T & string)[]) {
    const build = factories[key];
    Object.defineProperty(target, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = build(target);
        settle(key, value);
        return value;
      },
      set(value: unknown) {
        settle(key, value);
      },
    });
  }
  return target;
}
