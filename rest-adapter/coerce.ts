/**
 * Checks a REST value against a GraphQL input type before anything executes,
 * in REST terms: errors name the path the client sent (`events[2].costMicros`)
 * and say what was expected (`budgetMicros must be a safe integer`), never in
 * GraphQL's words. Scalars are checked with the schema's own `parseValue`.
 *
 * The walk stops after a few errors: a body with thousands of bad keys costs
 * one pass and a handful of messages, not one message per key.
 */
import {
  type GraphQLEnumType,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLScalarType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import type { BodyRules } from './request-shape.ts';

export const MAX_FIELD_ERRORS = 5;

export interface FieldError {
  field: string;
  message: string;
}

export interface CoerceContext {
  rules: BodyRules;
  /** Path parameters, for fields filled from the path. */
  params: Record<string, string>;
  /** The calling API key's organization, for fields filled with it. */
  callerOrg: string | undefined;
  errors: FieldError[];
}

/** Marks a value that failed; the walk goes on only to find the next few errors. */
export const INVALID: unique symbol = Symbol('invalid');

export type Path = readonly (string | number)[];

/** `['events', 2, 'costMicros']` → `events[2].costMicros`. */
export function renderPath(path: Path): string {
  let text = '';
  for (const segment of path) text += typeof segment === 'number' ? `[${segment}]` : text ? `.${segment}` : segment;
  return text;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a scalar's values look like, for messages (custom scalars by name). */
const SCALAR_DESCRIPTIONS: Record<string, string> = {
  String: 'a string',
  ID: 'a string',
  Int: 'an integer',
  Float: 'a number',
  Boolean: 'true or false',
  SafeInt: 'a safe integer',
  DateTime: 'an RFC 3339 date-time',
  JSON: 'JSON',
};

export const describeScalar = (type: GraphQLScalarType): string =>
  SCALAR_DESCRIPTIONS[type.name] ?? `a valid ${type.name}`;

function fail(ctx: CoerceContext, path: Path, message: string): typeof INVALID {
  if (ctx.errors.length < MAX_FIELD_ERRORS) ctx.errors.push({ field: renderPath(path), message });
  return INVALID;
}

const full = (ctx: CoerceContext) => ctx.errors.length >= MAX_FIELD_ERRORS;

/**
 * The value as the operation's variables should carry it: the client's own
 * JSON for scalars (the gateway parses them again), canonical names for
 * enums (matched case-insensitively), objects with aliases resolved and
 * filled fields added. `undefined` stays absent.
 */
export function coerceValue(value: unknown, type: GraphQLInputType, path: Path, ctx: CoerceContext): unknown {
  // The path is spelled only for a message: on success every field of every request would pay for it.
  if (isNonNullType(type)) {
    if (value === undefined) return fail(ctx, path, `${renderPath(path)} is required`);
    if (value === null) return fail(ctx, path, `${renderPath(path)} must not be null`);
    return coerceValue(value, type.ofType, path, ctx);
  }
  if (value === null || value === undefined) return value;
  if (isListType(type)) {
    if (!Array.isArray(value)) return fail(ctx, path, `${renderPath(path)} must be a list`);
    const items: unknown[] = [];
    for (let i = 0; i < value.length && !full(ctx); i++)
      items.push(coerceValue(value[i], type.ofType as GraphQLInputType, [...path, i], ctx));
    return items;
  }
  if (isInputObjectType(type)) {
    if (!isPlainObject(value)) return fail(ctx, path, `${renderPath(path)} must be an object`);
    return coerceObject(value, type, path, ctx);
  }
  if (isEnumType(type)) return coerceEnum(value, type, path, ctx);
  if (isScalarType(type)) return coerceScalar(value, type, path, ctx);
  return fail(ctx, path, `${renderPath(path)} is invalid`);
}

function coerceScalar(value: unknown, type: GraphQLScalarType, path: Path, ctx: CoerceContext): unknown {
  try {
    if (type.parseValue(value) !== undefined) return value;
  } catch {
    // the message below says what was expected, in REST terms
  }
  return fail(ctx, path, `${renderPath(path)} must be ${describeScalar(type)}`);
}

function coerceEnum(value: unknown, type: GraphQLEnumType, path: Path, ctx: CoerceContext): unknown {
  const values = type.getValues();
  const match =
    typeof value === 'string' ? values.find((v) => v.name.toLowerCase() === value.toLowerCase()) : undefined;
  if (match) return match.name;
  return fail(ctx, path, `${renderPath(path)} must be one of ${values.map((v) => v.name.toLowerCase()).join(', ')}`);
}

/** `expires_at` → `expiresAt` (a key without underscores is returned as is). */
export const camelCaseOf = (key: string): string =>
  key.includes('_') ? key.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : key;

/** `expiresAt` → `expires_at`. */
export const snakeCaseOf = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The field of this input type a body key stands for: the field itself, its
 * snake_case spelling (`expires_at` for `expiresAt`: seed 004 writes bodies
 * in snake_case, seeds 001 and 003 in camelCase), or a route's alias of
 * either spelling (`organization_id` → `organizationId` → `orgId`).
 */
function canonicalOf(key: string, type: GraphQLInputObjectType, rules: BodyRules): string | undefined {
  const fields = type.getFields();
  if (Object.hasOwn(fields, key)) return key;
  for (const spelling of new Set([key, camelCaseOf(key)])) {
    if (spelling !== key && Object.hasOwn(fields, spelling)) return spelling;
    const target = Object.hasOwn(rules.aliases, spelling) ? rules.aliases[spelling] : undefined;
    if (target && Object.hasOwn(fields, target)) return target;
  }
  return undefined;
}

/**
 * A canonical path into an input type (`['expiresAt']`, `['events', 2, 'costMicros']`) spelled as
 * this client's body spelled it (`['expires_at']`): each field becomes the key the body used for it
 * (its snake_case form or a route alias), so an error raised after the adapter's own check — in a
 * subgraph service — names the field in the client's terms. Segments the body does not have (a
 * field it left out) keep their canonical name.
 */
export function clientPathOf(segments: Path, body: unknown, type: GraphQLInputType, rules: BodyRules): Path {
  const spelled: (string | number)[] = [];
  let value: unknown = body;
  let current: GraphQLInputType | undefined = type;
  for (const segment of segments) {
    while (current && isNonNullType(current)) current = current.ofType as GraphQLInputType;
    if (typeof segment === 'number') {
      spelled.push(segment);
      value = Array.isArray(value) ? value[segment] : undefined;
      current = current && isListType(current) ? (current.ofType as GraphQLInputType) : undefined;
      continue;
    }
    const object: GraphQLInputObjectType | undefined = current && isInputObjectType(current) ? current : undefined;
    const key =
      object && isPlainObject(value)
        ? Object.keys(value).find((k) => !rules.ignore.has(k) && canonicalOf(k, object, rules) === segment)
        : undefined;
    spelled.push(key ?? segment);
    value = key !== undefined ? (value as Record<string, unknown>)[key] : undefined;
    current = object?.getFields()[segment]?.type;
  }
  return spelled;
}

function coerceObject(
  value: Record<string, unknown>,
  type: GraphQLInputObjectType,
  path: Path,
  ctx: CoerceContext,
): unknown {
  const fields = type.getFields();
  const { rules } = ctx;
  /** Canonical field name → the key the client used (itself, or an alias). */
  const sent = new Map<string, string>();
  for (const key in value) {
    if (!Object.hasOwn(value, key) || rules.ignore.has(key)) continue;
    const canonical = canonicalOf(key, type, rules);
    if (!canonical || rules.fill[canonical] === 'path') {
      fail(ctx, [...path, key], `${renderPath([...path, key])} is not a known field`);
      if (full(ctx)) return INVALID;
      continue;
    }
    const previous = sent.get(canonical);
    if (previous !== undefined) {
      fail(
        ctx,
        [...path, key],
        `${renderPath([...path, key])} and ${renderPath([...path, previous])} are the same field`,
      );
      continue;
    }
    sent.set(canonical, key);
  }
  const result: Record<string, unknown> = {};
  for (const name in fields) {
    const field = fields[name] as (typeof fields)[string];
    if (full(ctx)) break;
    const key = sent.get(field.name) ?? field.name;
    let fieldValue = sent.has(field.name) ? value[key] : undefined;
    const rule = rules.fill[field.name];
    if (rule === 'path') fieldValue = ctx.params[field.name];
    if (rule === 'callerOrg' && (fieldValue === undefined || fieldValue === null)) {
      if (!ctx.callerOrg) {
        fail(
          ctx,
          [...path, key],
          `${renderPath([...path, key])} is required (an API key defaults to its own organization)`,
        );
        continue;
      }
      fieldValue = ctx.callerOrg;
    }
    // Left out, a field with a default takes it when the operation runs.
    if (fieldValue === undefined && field.defaultValue !== undefined) continue;
    const coerced = coerceValue(fieldValue, field.type, [...path, key], ctx);
    if (coerced !== undefined) result[field.name] = coerced;
  }
  return result;
}
