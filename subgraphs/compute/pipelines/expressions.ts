/**
 * The pipeline expression syntax (docs/pipelines.md §Expressions): tiny, parsed by hand, never evaluated
 * with `eval`. Two uses:
 *
 * - **Templates** in a node's `input` (any JSON): a string that is exactly `{{ path }}` becomes the value at
 *   `path` (any JSON type); `{{ path }}` inside a longer string is replaced by the value as text.
 * - **Conditions** (`condition` nodes): `path`, literals (`12`, `'text'`, `"text"`, `true`, `false`, `null`),
 *   `== != < <= > >=`, `&& || !` and parentheses.
 *
 * A path reads the run's scope: `input.a.b`, `nodes.<nodeId>.output.x[0]`, `run.id`. Missing steps yield null.
 */

export type Scope = Record<string, unknown>;

const MAX_EXPRESSION = 1000;
const PATH = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d{1,6}\])*$/;
const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;

export class ExpressionError extends Error {}

/** The path segments of `nodes.a.output.items[0]`: ['nodes', 'a', 'output', 'items', 0]. */
export function parsePath(path: string): (string | number)[] {
  if (!PATH.test(path)) throw new ExpressionError(`"${path}" is not a path (like input.name or nodes.step.output.x)`);
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/g))
    segments.push(match[1] !== undefined ? match[1] : Number(match[2]));
  return segments;
}

export function readPath(scope: Scope, segments: readonly (string | number)[]): unknown {
  let current: unknown = scope;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return null;
    if (!Object.hasOwn(current as object, segment)) return null;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current === undefined ? null : current;
}

/** Every path a template value refers to (validation checks `nodes.<id>` references against the DAG). */
export function templatePaths(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') for (const match of value.matchAll(TEMPLATE)) out.push((match[1] ?? '').trim());
  else if (Array.isArray(value)) for (const item of value) templatePaths(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) templatePaths(item, out);
  return out;
}

/** Replaces every `{{ path }}` in `value` (recursively) from `scope`. */
export function renderTemplate(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(value);
    if (whole) return readPath(scope, parsePath((whole[1] ?? '').trim()));
    return value.replace(TEMPLATE, (_, path: string) => {
      const found = readPath(scope, parsePath(path.trim()));
      if (found === null) return '';
      return typeof found === 'string' ? found : JSON.stringify(found);
    });
  }
  if (Array.isArray(value)) return value.map((item) => renderTemplate(item, scope));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderTemplate(v, scope)]));
  return value;
}

// ---- conditions ---------------------------------------------------------------------------------

type Token =
  | { kind: 'literal'; value: unknown }
  | { kind: 'path'; segments: (string | number)[]; text: string }
  | { kind: 'op'; value: string };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
    if (op) {
      tokens.push({ kind: 'op', value: op });
      i += op.length;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = source.indexOf(ch, i + 1);
      if (end < 0) throw new ExpressionError(`unterminated string at position ${i}`);
      tokens.push({ kind: 'literal', value: source.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: 'literal', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.\-[\]]*/.exec(source.slice(i));
    if (!word) throw new ExpressionError(`unexpected "${ch}" at position ${i}`);
    const text = word[0];
    if (text === 'true' || text === 'false') tokens.push({ kind: 'literal', value: text === 'true' });
    else if (text === 'null') tokens.push({ kind: 'literal', value: null });
    else tokens.push({ kind: 'path', segments: parsePath(text), text });
    i += text.length;
  }
  return tokens;
}

type Node =
  | { kind: 'literal'; value: unknown }
  | { kind: 'path'; segments: (string | number)[]; text: string }
  | { kind: 'not'; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node };

/** A parsed condition: `evaluate(scope)` and the paths it reads. */
export interface Condition {
  evaluate(scope: Scope): boolean;
  paths: string[];
}

/** Parses a condition; throws ExpressionError with what is wrong. */
export function parseCondition(source: string): Condition {
  if (source.length > MAX_EXPRESSION)
    throw new ExpressionError(`an expression is at most ${MAX_EXPRESSION} characters`);
  const tokens = tokenize(source);
  let position = 0;
  const peek = () => tokens[position];
  const isOp = (value: string) => {
    const token = peek();
    return token?.kind === 'op' && token.value === value;
  };
  const paths: string[] = [];

  const primary = (): Node => {
    const token = tokens[position++];
    if (!token) throw new ExpressionError('the expression ends too early');
    if (token.kind === 'literal') return token;
    if (token.kind === 'path') {
      paths.push(token.text);
      return token;
    }
    if (token.value === '!') return { kind: 'not', operand: primary() };
    if (token.value === '(') {
      const inner = or();
      if (!isOp(')')) throw new ExpressionError('a "(" is not closed');
      position++;
      return inner;
    }
    throw new ExpressionError(`unexpected "${token.value}"`);
  };
  const comparison = (): Node => {
    const left = primary();
    const token = peek();
    if (token?.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(token.value)) {
      position++;
      return { kind: 'binary', op: token.value, left, right: primary() };
    }
    return left;
  };
  const and = (): Node => {
    let left = comparison();
    while (isOp('&&')) {
      position++;
      left = { kind: 'binary', op: '&&', left, right: comparison() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (isOp('||')) {
      position++;
      left = { kind: 'binary', op: '||', left, right: and() };
    }
    return left;
  };

  if (tokens.length === 0) throw new ExpressionError('the expression is empty');
  const tree = or();
  if (position < tokens.length) throw new ExpressionError('unexpected text after the expression');
  return { evaluate: (scope) => truthy(evaluate(tree, scope)), paths };
}

const truthy = (value: unknown): boolean =>
  !(value === null || value === false || value === 0 || value === '' || value === undefined);

function evaluate(node: Node, scope: Scope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'path':
      return readPath(scope, node.segments);
    case 'not':
      return !truthy(evaluate(node.operand, scope));
    case 'binary': {
      if (node.op === '&&') return truthy(evaluate(node.left, scope)) && truthy(evaluate(node.right, scope));
      if (node.op === '||') return truthy(evaluate(node.left, scope)) || truthy(evaluate(node.right, scope));
      const left = evaluate(node.left, scope);
      const right = evaluate(node.right, scope);
      if (node.op === '==') return equal(left, right);
      if (node.op === '!=') return !equal(left, right);
      const comparable =
        (typeof left === 'number' && typeof right === 'number') ||
        (typeof left === 'string' && typeof right === 'string');
      if (!comparable) return false;
      const [a, b] = [left as number | string, right as number | string];
      return node.op === '<' ? a < b : node.op === '<=' ? a <= b : node.op === '>' ? a > b : a >= b;
    }
  }
}

/** Structural equality of JSON values. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
