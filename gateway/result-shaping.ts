/**
 * Faster result shaping for @apollo/gateway (issue #16: a quarter of the gateway's CPU on a
 * nested four-subgraph query went to `computeResponse`, which projects the operation over the
 * merged subgraph data by interpreting the selection set value by value, allocating a result
 * record per value).
 *
 * `fastComputeResponse` first compiles the operation's selection set (cheap: it walks the query,
 * not the data) into a plain tree, then copies the data along it in one tight loop. It handles the
 * plain case — fields, aliases, `__typename`, nested objects and lists, fragments on the same
 * object type, null in nullable positions — and hands everything else to Apollo's own
 * `computeResponse`, unchanged: `@skip`/`@include`, introspection, abstract types, and any value
 * that would make Apollo report an error (null in a non-null position, a leaf of the wrong kind).
 * So the result, including every error, is the one Apollo would produce; test/gateway/
 * result-shaping.test.ts compares the two on the same inputs.
 *
 * Installed by replacing the export Apollo's executor calls (`resultShaping.computeResponse`,
 * read at each call); `installFastResultShaping` refuses another @apollo/gateway version than the
 * one this was checked against (apollo-internals.ts), so an upgrade fails loudly instead of shaping results wrongly.
 */
import { gatewayInternal } from './apollo-internals.ts';

// Duck-typed views of @apollo/federation-internals' classes (not a direct dependency).
interface NamedType {
  kind: string;
  name: string;
  value?(name: string): unknown;
}
interface WrapperType {
  kind: 'NonNullType' | 'ListType';
  ofType: AnyType;
}
type AnyType = NamedType | WrapperType;
interface Element {
  kind: 'Field' | 'FragmentElement';
  name: string;
  appliedDirectives: readonly unknown[];
  responseName(): string;
  definition: { type: AnyType; isSchemaIntrospectionField(): boolean };
  typeCondition?: NamedType;
}
interface Selection {
  kind: 'FieldSelection' | 'FragmentSelection';
  element: Element;
  selectionSet?: SelectionSet;
}
interface SelectionSet {
  selections(): readonly Selection[];
}
interface Operation {
  selectionSet: SelectionSet;
  rootKind: string;
  schema(): { schemaDefinition: { rootType(kind: string): NamedType | undefined } };
}
export interface ComputeResponseArgs {
  operation: Operation;
  variables?: Record<string, unknown>;
  input: Record<string, unknown> | null | undefined;
  introspectionHandling: unknown;
}
export interface ComputedResponse {
  data: Record<string, unknown> | null | undefined;
  errors: unknown[];
}
export type ComputeResponse = (args: ComputeResponseArgs) => ComputedResponse;

/** Thrown inside the fast path when Apollo's own shaping must decide (it reports errors). */
const BAIL = Symbol('bail');

/** How one value is copied: a leaf check, a list, an object's fields. */
type Shape =
  | { kind: 'leaf'; nonNull: boolean; accepts: (value: unknown) => boolean }
  | { kind: 'list'; nonNull: boolean; of: Shape }
  | { kind: 'object'; nonNull: boolean; typeName: string; fields: FieldShape[] };
interface FieldShape {
  key: string;
  /** `key` is also an Object.prototype member: read own properties only. */
  ownOnly: boolean;
  /** `__typename`: answered from the object's type, not copied. */
  typename: boolean;
  shape?: Shape;
}

const BUILTIN_LEAVES: Record<string, (value: unknown) => boolean> = {
  Boolean: (v) => typeof v === 'boolean',
  Int: (v) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e21,
  ID: (v) => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e21),
  Float: (v) => typeof v === 'number' && Number.isFinite(v),
  String: (v) => typeof v === 'string',
};

class Unsupported extends Error {}

function compileType(type: AnyType, selectionSet: SelectionSet | undefined, nonNull = false): Shape {
  if (type.kind === 'NonNullType') return compileType((type as WrapperType).ofType, selectionSet, true);
  if (type.kind === 'ListType')
    return { kind: 'list', nonNull, of: compileType((type as WrapperType).ofType, selectionSet) };
  const named = type as NamedType;
  if (named.kind === 'ObjectType') {
    if (!selectionSet) throw new Unsupported();
    return { kind: 'object', nonNull, typeName: named.name, fields: compileSelections(selectionSet, named.name) };
  }
  if (named.kind === 'EnumType')
    return { kind: 'leaf', nonNull, accepts: (v) => typeof v === 'string' && named.value?.(v) !== undefined };
  if (named.kind === 'ScalarType')
    return { kind: 'leaf', nonNull, accepts: BUILTIN_LEAVES[named.name] ?? (() => true) };
  // Interfaces and unions: the concrete type varies per value; Apollo's shaping decides.
  throw new Unsupported();
}

function compileSelections(selectionSet: SelectionSet, typeName: string, into: FieldShape[] = []): FieldShape[] {
  for (const selection of selectionSet.selections()) {
    const element = selection.element;
    if (element.appliedDirectives.length > 0) throw new Unsupported();
    if (selection.kind === 'FragmentSelection') {
      if (element.typeCondition && element.typeCondition.name !== typeName) throw new Unsupported();
      if (!selection.selectionSet) throw new Unsupported();
      compileSelections(selection.selectionSet, typeName, into);
      continue;
    }
    if (element.definition.isSchemaIntrospectionField()) throw new Unsupported();
    const key = element.responseName();
    // The same response name twice merges values; Apollo's shaping does that.
    if (into.some((f) => f.key === key)) throw new Unsupported();
    const typename = element.name === '__typename';
    into.push({
      key,
      ownOnly: key in Object.prototype,
      typename,
      shape: typename ? undefined : compileType(element.definition.type, selection.selectionSet),
    });
  }
  return into;
}

function copyValue(value: unknown, shape: Shape): unknown {
  if (value === null || value === undefined) {
    if (shape.nonNull) throw BAIL;
    return null;
  }
  if (shape.kind === 'leaf') {
    if (!shape.accepts(value)) throw BAIL;
    return value;
  }
  if (shape.kind === 'list') {
    if (!Array.isArray(value)) throw BAIL;
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyValue(value[i], shape.of);
    return out;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw BAIL;
  return copyObject(value as Record<string, unknown>, shape.typeName, shape.fields);
}

function copyObject(input: Record<string, unknown>, typeName: string, fields: FieldShape[]): Record<string, unknown> {
  const typename = input.__typename;
  if (typename !== undefined && typename !== typeName) throw BAIL;
  const out: Record<string, unknown> = Object.create(null);
  for (const field of fields) {
    if (field.typename) {
      const given = input[field.key];
      if (given !== undefined && given !== typeName) throw BAIL;
      out[field.key] = typeName;
      continue;
    }
    const value = field.ownOnly && !Object.hasOwn(input, field.key) ? undefined : input[field.key];
    out[field.key] = copyValue(value, field.shape as Shape);
  }
  return out;
}

/** The root's compiled fields, or undefined when Apollo's own shaping must handle the operation. */
function compileOperation(operation: Operation): { root: string; fields: FieldShape[] } | undefined {
  const root = operation.schema().schemaDefinition.rootType(operation.rootKind);
  if (root?.kind !== 'ObjectType') return undefined;
  try {
    return { root: root.name, fields: compileSelections(operation.selectionSet, root.name) };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** `computeResponse` with the fast path in front of Apollo's own (`original`). */
export function fastComputeResponse(original: ComputeResponse): ComputeResponse {
  // Compiled once per operation object: operation-cache.ts hands the same one to every request of a query.
  const compiled = new WeakMap<Operation, { root: string; fields: FieldShape[] } | undefined>();
  return (args) => {
    if (!args.input) return original(args);
    let shape = compiled.get(args.operation);
    if (shape === undefined && !compiled.has(args.operation)) {
      shape = compileOperation(args.operation);
      compiled.set(args.operation, shape);
    }
    if (!shape) return original(args);
    const { root, fields } = shape;
    try {
      // The root object carries no __typename from a subgraph: its type is the root type.
      return { data: copyObject(args.input, root, fields), errors: [] };
    } catch (error) {
      if (error === BAIL) return original(args);
      throw error;
    }
  };
}

let installed = false;

/** Puts `fastComputeResponse` in front of Apollo's result shaping, once per process. */
export function installFastResultShaping(): void {
  if (installed) return;
  const shaping = gatewayInternal<{ computeResponse: ComputeResponse }>(
    '@apollo/gateway/dist/resultShaping.js',
    "gateway/result-shaping.ts (a copy of computeResponse's behaviour)",
  );
  shaping.computeResponse = fastComputeResponse(shaping.computeResponse);
  installed = true;
}
