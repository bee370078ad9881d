/**
 * An object whose properties are built on first read and then kept: a request context offers every
 * service of its subgraph, while a request uses one or two of them (the AI gateway's `recordAiCall`
 * built a dozen compute services, and their dependencies, per call).
 */
export type Factories<T> = { [K in keyof T]: (self: T) => T[K] };

/** Where an object finds the factories of its unbuilt properties (its own: they close over its request). */
const FACTORIES = Symbol('lazyObject.factories');

/**
 * One prototype per set of property names, shared by every object with those names: building its
 * accessors per object (a dozen `defineProperty` calls and two closures each, per compute operation)
 * also gave every request's context a hidden class of its own, so every read of it was megamorphic.
 */
const prototypes = new Map<string, object>();
/** The shapes come from a few call sites; the bound only guards against a caller that varies them. */
const MAX_SHAPES = 64;

/**
 * `base`'s own properties, plus one property per factory, each built by its factory the first time it is
 * read (a factory may read the object's other properties through `self`). An assignment replaces the value.
 *
 * The unbuilt properties are getters on the object's prototype, and a built one becomes an own property
 * of the object that read it. Apollo Server copies every request's context (`Object.assign` onto an
 * object with the same prototype): own getters would be read by that copy, building every service of
 * the subgraph per operation — on the AI gateway's path, a dozen compute services per `recordAiCall`.
 * With the getters on the prototype the copy takes the base properties only, and still offers the rest.
 * The prototype is built once per set of names; each object keeps its own factories.
 */
export function lazyObject<T extends object, B extends object = object>(base: B, factories: Factories<T>): B & T {
  const keys = Object.keys(factories) as (keyof T & string)[];
  const shape = keys.join('\u0000');
  let prototype = prototypes.get(shape);
  if (prototype === undefined) {
    if (prototypes.size >= MAX_SHAPES) prototypes.clear();
    prototype = lazyPrototype(keys);
    prototypes.set(shape, prototype);
  }
  const self = Object.create(prototype) as B & T & { [FACTORIES]: Factories<T> };
  // An own, enumerable property: Apollo's copy of the context takes it along, and builds from it too.
  self[FACTORIES] = factories;
  return Object.assign(self, base);
}

function lazyPrototype(keys: readonly string[]): object {
  const prototype = {};
  const settle = (self: object, key: PropertyKey, value: unknown) =>
    Object.defineProperty(self, key, { value, writable: true, enumerable: true, configurable: true });
  for (const key of keys) {
    Object.defineProperty(prototype, key, {
      enumerable: true,
      configurable: true,
      get(this: { [FACTORIES]: Record<string, (self: object) => unknown> }) {
        const value = (this[FACTORIES][key] as (self: object) => unknown)(this);
        settle(this, key, value);
        return value;
      },
      set(this: object, value: unknown) {
        settle(this, key, value);
      },
    });
  }
  return prototype;
}
