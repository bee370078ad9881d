/**
 * Hostile-input generators for the edge fuzz test: values shaped like what an
 * operation expects (so requests get past the first check) with hostile
 * values injected at any depth, plus JSON that `JSON.stringify` cannot make
 * (`1e309`, 5,000-deep nesting, 50,000 keys, `__proto__`), spliced into the
 * serialized text through sentinels.
 */
import fc from 'fast-check';
import { type GraphQLInputType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType } from 'graphql';

/** JSON text that `JSON.stringify` cannot produce, spliced in after serialization. */
const RAW_JSON = [
  '1e309',
  '-1e309',
  '9007199254740993',
  '-9223372036854775809',
  '1.5e-400',
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
] as const;
/** Rare and expensive: a wide object and a long array near the body limit. */
const RAW_HUGE = [
  `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":1`).join(',')}}`,
  `[${Array.from({ length: 100_000 }, () => '1').join(',')}]`,
] as const;

const sentinel = (index: number) => `\u0001RAW:${index}\u0001`;
const RAW_ALL: readonly string[] = [...RAW_JSON, ...RAW_HUGE];
const SENTINEL_PATTERN = /"\\u0001RAW:(\d+)\\u0001"/g;

/** Serializes a generated value, replacing sentinels by their raw JSON text. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value).replace(SENTINEL_PATTERN, (_, index: string) => RAW_ALL[Number(index)] as string);
}

const HOSTILE_STRINGS = [
  '',
  '\u0000',
  'a\u0000b',
  'a\ud800b',
  '\udfff',
  'x'.repeat(70_000),
  '../../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '2026-13-45T99:99:99Z',
  'tomorrow',
  'eyJjIjp7IiRndCI6MX0sImkiOlsxXX0',
  '{"$gt":""}',
  'http://169.254.169.254/latest/meta-data/',
  '%00',
  '\u202e\ufeff',
];
const HOSTILE_SCALARS: unknown[] = [
  null,
  -1,
  0,
  1.5,
  -0.0001,
  2 ** 31,
  2 ** 53,
  true,
  false,
  [],
  {},
  [null],
  { a: null },
];

/** Any hostile value: wrong types, nulls, invalid Unicode, numbers JSON can't hold, nesting, size. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_SCALARS) },
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 4, arbitrary: fc.constantFrom(...RAW_JSON.map((_, i) => sentinel(i))) },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_HUGE.map((_, i) => sentinel(RAW_JSON.length + i))) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Mostly well-typed, sometimes hostile: at every level, a value may be replaced by a hostile one. */
const maybeHostile = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostile });

/** A value for a GraphQL input type, hostile anywhere. */
export function graphqlValue(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  const nullable = isNonNullType(type) ? type.ofType : type;
  if (isListType(nullable)) {
    if (depth > 4) return fc.constant([]);
    return maybeHostile(fc.array(graphqlValue(nullable.ofType, depth + 1), { maxLength: 3 }));
  }
  if (isEnumType(nullable)) {
    const names = nullable.getValues().map((v) => v.name);
    return maybeHostile(fc.constantFrom(...names, ...names.map((n) => n.toLowerCase()), 'NOT_A_VALUE'));
  }
  if (isInputObjectType(nullable)) {
    if (depth > 4) return fc.constant({});
    const fields = Object.values(nullable.getFields());
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const field of fields) model[field.name] = graphqlValue(field.type, depth + 1);
    const record = fc.record(model, {
      requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name),
    });
    // Sometimes an unknown field too.
    return maybeHostile(
      fc
        .tuple(record, fc.option(fc.string({ maxLength: 12 }), { freq: 4 }))
        .map(([value, extra]) => (extra === null ? value : { ...value, [extra || 'unknownField']: 1 })),
    );
  }
  if (isScalarType(nullable)) return maybeHostile(scalarValue(nullable.name));
  return hostile;
}

function scalarValue(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case 'Int':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'Float':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
    case 'JSON':
    case 'JSONObject':
      return fc.jsonValue({ maxDepth: 4 });
    default:
      if (/int|micros|cents|count/i.test(name)) return fc.maxSafeInteger();
      return fc.string({ unit: 'grapheme', maxLength: 40 });
  }
}

/** A JSON Schema node of the generated OpenAPI document (the subset it uses). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
}

/** A value for an OpenAPI request-body schema, hostile anywhere. */
export function schemaValue(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 5) return hostile;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => schemaValue(s, depth)));
  if (schema.enum?.length) {
    const names = schema.enum.map(String);
    return maybeHostile(fc.constantFrom(...names, ...names.map((n) => n.toLowerCase())));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(schema.properties ?? {})) model[key] = schemaValue(value, depth + 1);
      return maybeHostile(fc.record(model, { requiredKeys: schema.required ?? [] }));
    }
    case 'array':
      return maybeHostile(fc.array(schemaValue(schema.items, depth + 1), { maxLength: 3 }));
    case 'integer':
      return maybeHostile(fc.maxSafeInteger());
    case 'number':
      return maybeHostile(fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return maybeHostile(fc.boolean());
    case 'string':
      return maybeHostile(fc.string({ unit: 'grapheme', maxLength: 40 }));
    default:
      return hostile;
  }
}

/** Path segments a hostile client sends (already URL-encoded), alongside real ids. */
export const HOSTILE_PATH_SEGMENTS = [
  '%00',
  '%ff%fe',
  '%ED%A0%80',
  '%E2%80%AE',
  'x'.repeat(150),
  '..',
  '%2e%2e%2f%2e%2e',
  'a%20b',
  '%F0%9F%92%A9',
  'org_00000000000000000000',
  "'%20OR%201=1",
  '-1',
  '0',
  '1e309',
  '%25',
  '__proto__',
];

/** Query-string values a hostile client sends (raw, to be URL-encoded). */
export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '-1',
    '0',
    '1e309',
    '99999999999999999999',
    'abc',
    '1.5',
    '',
    'eyJjIjp7IiRndCI6MX0sImkiOlsxXX0',
    'e30',
    'null',
    '\u0000',
    'x'.repeat(5000),
    'true',
    'ACTIVE',
  ),
  fc.string({ maxLength: 20 }),
);

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/graphql-response+json',
  undefined,
] as const;

/** Whole bodies that are not what any route expects. */
export const RAW_BODIES = [
  '{"query": ',
  '[]',
  '"text"',
  'null',
  '1',
  '\u0000',
  '{}garbage',
  '{"a":1,"a":2}',
  `{"pad":"${'x'.repeat(1_100_000)}"}`,
  `${'['.repeat(100_000)}`,
];
