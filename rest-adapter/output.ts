/**
 * What a REST response carries, derived once per route from its operation's
 * selection (fragments followed) and the schema — used twice, so the server
 * and the contract cannot disagree:
 * - `restValue` turns a GraphQL result into the REST body: enum values in
 *   lowercase as the seeds write them (`running`, `owner`, `deny`; GraphQL
 *   keeps `RUNNING`), plus the field names seeds document where ours differ
 *   (`RESPONSE_ALIASES`, `RESPONSE_FLATTEN` below);
 * - `responseSchema` is its JSON Schema for OpenAPI: a field is required and
 *   non-null exactly when the GraphQL schema says so.
 */
import {
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Per type: fields a REST response also carries, under the names seeds
 * document, read from a field of ours (a dotted source reads a nested one).
 */
export const RESPONSE_ALIASES: Record<string, Record<string, string>> = {
  // Seed 000: `/auth/verify` returns the key's HMAC `secret_key`.
  ApiKeyVerification: { secret_key: 'signingSecret' },
  // Seed 003: keys carry `keyPrefix`; `/me` memberships carry the organization's `name`.
  ApiKey: { keyPrefix: 'prefix' },
  MembershipSummary: { name: 'organization.name' },
};

/**
 * Per type: object fields whose own fields are also given at this level —
 * seed 003 documents a created key as `{ id, name, key, keyPrefix }` and a
 * created webhook as `{ id, url, events, enabled, secret, secretPrefix }`.
 */
export const RESPONSE_FLATTEN: Record<string, string[]> = {
  CreatedApiKey: ['apiKey'],
  CreatedWebhook: ['webhook'],
};

/** One node of a response: its GraphQL type and, for objects, the fields selected. */
export interface OutputNode {
  type: GraphQLOutputType;
  fields?: Map<string, OutputNode>;
}

type Fragments = Map<string, FragmentDefinitionNode>;

/** The selected fields of a selection set, by response name (fragments followed, repeats merged). */
function collect(
  schema: GraphQLSchema,
  parent: GraphQLNamedType,
  selection: SelectionSetNode,
  fragments: Fragments,
  into: Map<string, { type: GraphQLOutputType; sets: SelectionSetNode[] }>,
): void {
  for (const s of selection.selections) {
    if (s.kind === Kind.FIELD) {
      const name = s.alias?.value ?? s.name.value;
      const type =
        s.name.value === '__typename'
          ? (schema.getType('String') as GraphQLOutputType)
          : isObjectType(parent) || isInterfaceType(parent)
            ? parent.getFields()[s.name.value]?.type
            : undefined;
      if (!type) continue;
      const entry = into.get(name) ?? { type, sets: [] };
      if (s.selectionSet) entry.sets.push(s.selectionSet);
      into.set(name, entry);
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      const condition = s.typeCondition ? schema.getType(s.typeCondition.name.value) : parent;
      if (condition) collect(schema, condition, s.selectionSet, fragments, into);
    } else {
      const fragment = fragments.get(s.name.value);
      const condition = fragment && schema.getType(fragment.typeCondition.name.value);
      if (fragment && condition) collect(schema, condition, fragment.selectionSet, fragments, into);
    }
  }
}

function nodeOf(schema: GraphQLSchema, type: GraphQLOutputType, sets: SelectionSetNode[], fragments: Fragments) {
  const named = getNamedType(type);
  if (!sets.length || !(isObjectType(named) || isInterfaceType(named))) return { type };
  const selected = new Map<string, { type: GraphQLOutputType; sets: SelectionSetNode[] }>();
  for (const set of sets) collect(schema, named, set, fragments, selected);
  const fields = new Map<string, OutputNode>();
  for (const [name, entry] of selected) fields.set(name, nodeOf(schema, entry.type, entry.sets, fragments));
  return { type, fields };
}

/** The response tree of a whole operation (its root type and selection). */
export function outputTree(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Fragments,
): OutputNode | undefined {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  return root ? nodeOf(schema, root, [operation.selectionSet], fragments) : undefined;
}

/** The node at a dotted result path (`organization.members`). */
export function nodeAt(tree: OutputNode | undefined, path: string): OutputNode | undefined {
  let node = tree;
  for (const step of path.split('.').filter(Boolean)) node = node?.fields?.get(step);
  return node;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function read(value: Record<string, unknown>, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) current = isRecord(current) ? current[key] : undefined;
  return current;
}

/** A GraphQL result value in REST form (see the file comment). */
export function restValue(value: unknown, node: OutputNode | undefined, type = node?.type): unknown {
  if (value === null || value === undefined || !node || !type) return value;
  if (isNonNullType(type)) return restValue(value, node, type.ofType);
  if (isListType(type)) return Array.isArray(value) ? value.map((item) => restValue(item, node, type.ofType)) : value;
  if (isEnumType(type)) return typeof value === 'string' ? value.toLowerCase() : value;
  if (!isRecord(value) || !node.fields) return value;
  // Keys walked with `for…in` and `Object.hasOwn`, not `Object.entries`: no array of pairs per object
  // of every answer (the REST envelope's share of the gate's garbage, issue #16).
  const out: Record<string, unknown> = {};
  for (const key in value) if (Object.hasOwn(value, key)) out[key] = restValue(value[key], node.fields.get(key));
  const aliases = RESPONSE_ALIASES[type.name];
  if (aliases)
    for (const [alias, source] of Object.entries(aliases)) {
      const aliased = read(out, source);
      if (aliased !== undefined && !(alias in out)) out[alias] = aliased;
    }
  for (const field of RESPONSE_FLATTEN[type.name] ?? []) {
    const inner = out[field];
    if (isRecord(inner)) for (const key in inner) if (Object.hasOwn(inner, key) && !(key in out)) out[key] = inner[key];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON Schema

type JsonSchema = Record<string, unknown>;

export const SCALAR_SCHEMAS: Record<string, JsonSchema> = {
  ID: { type: 'string' },
  String: { type: 'string' },
  Int: { type: 'integer', format: 'int32' },
  SafeInt: { type: 'integer', format: 'int64' },
  Float: { type: 'number' },
  Boolean: { type: 'boolean' },
  DateTime: { type: 'string', format: 'date-time' },
  JSON: {},
};

/** `{ type: 'string' }` → `{ type: ['string', 'null'] }`; anything else → `anyOf` with null. */
function orNull(schema: JsonSchema): JsonSchema {
  if (Object.keys(schema).length === 0) return schema; // JSON: anything, null included
  if (typeof schema.type === 'string' && !schema.enum) return { ...schema, type: [schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

interface FieldSchema {
  schema: JsonSchema;
  required: boolean;
}

function fieldSchema(node: OutputNode, type: GraphQLOutputType = node.type): FieldSchema {
  if (isNonNullType(type)) return { schema: bareSchema(node, type.ofType), required: true };
  return { schema: orNull(bareSchema(node, type)), required: false };
}

/** The schema of a value of this (nullable-stripped) type. */
function bareSchema(node: OutputNode, type: GraphQLOutputType): JsonSchema {
  if (isNonNullType(type)) return bareSchema(node, type.ofType);
  if (isListType(type)) return { type: 'array', items: fieldSchema(node, type.ofType).schema };
  if (isEnumType(type)) return { type: 'string', enum: type.getValues().map((v) => v.name.toLowerCase()) };
  if (isScalarType(type)) return SCALAR_SCHEMAS[type.name] ?? {};
  if (!node.fields) return { type: 'object' };
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const fields = new Map<string, FieldSchema>();
  for (const [name, child] of node.fields) fields.set(name, fieldSchema(child));
  for (const [alias, source] of Object.entries(RESPONSE_ALIASES[type.name] ?? {})) {
    const found = sourceSchema(node, source);
    if (found && !fields.has(alias)) fields.set(alias, found);
  }
  for (const flattened of RESPONSE_FLATTEN[type.name] ?? []) {
    const child = node.fields.get(flattened);
    const inner = child && isNonNullType(child.type) ? bareSchema(child, child.type) : undefined;
    const props = (inner?.properties ?? {}) as Record<string, JsonSchema>;
    const innerRequired = new Set((inner?.required ?? []) as string[]);
    for (const [key, schema] of Object.entries(props))
      if (!fields.has(key)) fields.set(key, { schema, required: innerRequired.has(key) });
  }
  for (const [name, field] of fields) {
    properties[name] = field.schema;
    if (field.required) required.push(name);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

/** The schema of an alias's source (`organization.name`): required only when every step is non-null. */
function sourceSchema(node: OutputNode, source: string): FieldSchema | undefined {
  let current: OutputNode | undefined = node;
  let required = true;
  let last: FieldSchema | undefined;
  for (const step of source.split('.')) {
    current = current?.fields?.get(step);
    if (!current) return undefined;
    last = fieldSchema(current);
    required &&= last.required;
  }
  return last && { schema: last.schema, required };
}

/**
 * The JSON Schema of a route's `data`. `present`: the adapter never answers
 * success with a null here (a GET whose result is null is a 404).
 */
export function responseSchema(node: OutputNode, present: boolean): JsonSchema {
  return present ? bareSchema(node, node.type) : fieldSchema(node).schema;
}
