/**
 * An object whose properties are built on first read and then kept: a request context offers every
 * service of its subgraph, while a request uses one or two of them (the AI gateway's `recordAiCall`
 * built a dozen compute services, and their dependencies, per call).
 */
export type Factories<T> = { [K in keyof T]: (self: T) => T[K] };

/**
 * `base`'s own properties, plus one property per factory, each built by its factory the first time it is
 * read (a factory may read the object's other properties through `self`). An assignment replaces the value.
 *
 * The unbuilt properties are getters on the object's prototype, and a built one becomes an own property
 * of the object that read it. Apollo Server copies every request's context (`Object.assign` onto an
 * object with the same prototype): own getters would be read by that copy, building every service of
 * the subgraph per operation — on the AI gateway's path, a dozen compute services per `recordAiCall`.
 * With the getters on the prototype the copy takes the base properties only, and still offers the rest.
 */
export function lazyObject<T extends object, B extends object = object>(base: B, factories: Factories<T>): B & T {
  const prototype = {};
  const settle = (self: object, key: PropertyKey, value: unknown) =>
    Object.defineProperty(self, key, { value, writable: true, enumerable: true, configurable: true });
  for (const key of Object.keys(factories) as (keyof T & string)[]) {
    const build = factories[key];
    Object.defineProperty(prototype, key, {
      enumerable: true,
      configurable: true,
      get(this: B & T) {
        const value = build(this);
        settle(this, key, value);
        return value;
      },
      set(this: B & T, value: unknown) {
        settle(this, key, value);
      },
    });
  }
  return Object.assign(Object.create(prototype) as B & T, base);
}
