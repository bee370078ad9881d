/**
 * What a JSON value from outside may look like before any GraphQL work sees
 * it. Bounds keep the work per request linear and small (graphql-js variable
 * coercion is quadratic in unknown keys, deep values overflow recursive code);
 * value checks refuse what PostgreSQL or the subgraphs cannot take, so it is a
 * 4xx naming the field at the edge instead of a 500 deep inside.
 *
 * Nothing here recurses: depth is measured on the text before `JSON.parse`
 * and the parsed value is walked with an explicit stack.
 */
import { TrellisError } from './errors.ts';

export interface JsonLimits {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Keys in one object. */
  maxKeys: number;
  /** Keys in the whole value. */
  maxTotalKeys: number;
  /** Elements in one array. */
  maxArrayLength: number;
}

/**
 * Why a string cannot be stored, or null when it can: PostgreSQL `text` and
 * `jsonb` refuse NUL, and a lone UTF-16 surrogate is not Unicode at all.
 */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (!value.isWellFormed()) return 'must be valid Unicode (it contains a lone surrogate)';
  return null;
}

/** `a.b[2].c` from path segments, in the client's own terms. */
export function fieldPath(segments: readonly (string | number)[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else path += path === '' ? segment : `.${segment}`;
  }
  return path;
}

const tooLarge = (message: string, limit: string, max: number, field?: string) =>
  new TrellisError('payload_too_large', message, { ...(field ? { field } : {}), details: { limit, max } });
const tooDeep = (limits: JsonLimits) =>
  tooLarge(`JSON nests deeper than ${limits.maxDepth} levels`, 'TRELLIS_MAX_JSON_DEPTH', limits.maxDepth);
const tooManyKeys = (field: string, limits: JsonLimits) =>
  tooLarge(
    `${field || 'the object'} has more than ${limits.maxKeys} keys`,
    'TRELLIS_MAX_JSON_KEYS',
    limits.maxKeys,
    field,
  );
const tooManyKeysInAll = (limits: JsonLimits) =>
  tooLarge(
    `the request has more than ${limits.maxTotalKeys} keys in all`,
    'TRELLIS_MAX_JSON_TOTAL_KEYS',
    limits.maxTotalKeys,
  );
const tooLong = (field: string, limits: JsonLimits) =>
  tooLarge(
    `${field || 'the array'} has more than ${limits.maxArrayLength} elements`,
    'TRELLIS_MAX_ARRAY_LENGTH',
    limits.maxArrayLength,
    field,
  );

/** An object or array open in the text: its entries so far, and where its current key is. */
interface TextFrame {
  array: boolean;
  /** Keys (object) or commas (array) so far. */
  count: number;
  keyStart: number;
  keyEnd: number;
}

/** A key as written in the text; '?' where malformed text has none (`JSON.parse` would refuse it anyway). */
function keyAt(text: string, frame: TextFrame): string {
  try {
    return frame.keyStart < 0 ? '?' : String(JSON.parse(text.slice(frame.keyStart, frame.keyEnd + 1)));
  } catch {
    return '?';
  }
}

/** The path to the innermost open container, decoding keys only now that a problem is reported. */
function textPath(text: string, stack: TextFrame[]): string {
  return fieldPath(stack.slice(0, -1).map((frame) => (frame.array ? frame.count : keyAt(text, frame))));
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Checks the bounds on JSON text by one linear scan of the structure outside
 * strings — before `JSON.parse` allocates anything: a body of 50,000 keys or
 * 100,000 elements is refused without building it, and nothing deeper than the
 * limit ever reaches recursive code. Malformed text is left to `JSON.parse`.
 */
export function checkJsonText(text: string, limits: JsonLimits): void {
  const stack: TextFrame[] = [];
  let totalKeys = 0;
  let stringStart = -1;
  let lastStart = -1;
  let lastEnd = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (stringStart >= 0) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) {
        lastStart = stringStart;
        lastEnd = i;
        stringStart = -1;
      }
      continue;
    }
    const top = stack[stack.length - 1];
    switch (c) {
      case QUOTE:
        stringStart = i;
        break;
      case 0x7b /* { */:
      case 0x5b /* [ */:
        stack.push({ array: c === 0x5b, count: 0, keyStart: -1, keyEnd: -1 });
        if (stack.length > limits.maxDepth) throw tooDeep(limits);
        break;
      case 0x7d /* } */:
      case 0x5d /* ] */:
        stack.pop();
        break;
      case 0x3a /* : */:
        if (!top || top.array) break;
        top.keyStart = lastStart;
        top.keyEnd = lastEnd;
        if (++top.count > limits.maxKeys) throw tooManyKeys(textPath(text, stack), limits);
        if (++totalKeys > limits.maxTotalKeys) throw tooManyKeysInAll(limits);
        break;
      case 0x2c /* , */:
        if (top?.array && ++top.count + 1 > limits.maxArrayLength) throw tooLong(textPath(text, stack), limits);
        break;
    }
  }
}

interface Frame {
  value: unknown;
  depth: number;
  key?: string | number;
  parent?: Frame;
}

/** The frame's path, built only when a problem is reported. */
function pathOf(frame: Frame | undefined, root: readonly (string | number)[]): string {
  const segments: (string | number)[] = [];
  for (let f = frame; f && f.key !== undefined; f = f.parent) segments.push(f.key);
  return fieldPath([...root, ...segments.reverse()]);
}

const invalid = (field: string, problem: string) =>
  new TrellisError('validation_failed', `${field || 'the value'} ${problem}`, field ? { field } : {});

/**
 * Walks a parsed JSON value once and throws the first problem: a bound
 * exceeded (413 `payload_too_large`, naming the limit) or a value no service
 * can take (422 `validation_failed` naming the field): a key `__proto__` (or
 * `constructor.prototype`, which the subgraphs' parser refuses), a string
 * PostgreSQL cannot store, a number that is not finite (`1e309`).
 * `root` prefixes every field path.
 */
export function checkJsonValue(value: unknown, limits: JsonLimits, root: readonly (string | number)[] = []): void {
  let totalKeys = 0;
  const stack: Frame[] = [{ value, depth: 0 }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const { value: current, depth } = frame;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) throw invalid(pathOf(frame, root), problem);
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) throw invalid(pathOf(frame, root), 'must be a finite number');
    } else if (current !== null && typeof current === 'object') {
      if (depth >= limits.maxDepth) throw tooDeep(limits);
      if (Array.isArray(current)) {
        if (current.length > limits.maxArrayLength) throw tooLong(pathOf(frame, root), limits);
        for (let i = current.length - 1; i >= 0; i--)
          stack.push({ value: current[i], depth: depth + 1, key: i, parent: frame });
        continue;
      }
      const keys = Object.keys(current);
      if (keys.length > limits.maxKeys) throw tooManyKeys(pathOf(frame, root), limits);
      totalKeys += keys.length;
      if (totalKeys > limits.maxTotalKeys) throw tooManyKeysInAll(limits);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        const child: Frame = {
          value: (current as Record<string, unknown>)[key],
          depth: depth + 1,
          key,
          parent: frame,
        };
        const keyProblem = textProblem(key);
        if (keyProblem) throw invalid(pathOf(frame, root), `has a key that ${keyProblem}`);
        if (key === '__proto__' || (key === 'constructor' && hasPrototypeKey(child.value)))
          throw invalid(pathOf(child, root), 'is not an allowed key');
        stack.push(child);
      }
    }
  }
}

const hasPrototypeKey = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype');

/** Parses JSON text from outside within the limits: bounds before parsing, values after. */
export function parseJsonWithin(text: string, limits: JsonLimits): unknown {
  checkJsonText(text, limits);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TrellisError('invalid_json', 'The request body is not valid JSON');
  }
  checkJsonValue(value, limits);
  return value;
}
