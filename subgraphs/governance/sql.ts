/**
 * Hand-written SQL for governance: a tagged template that turns interpolated
 * values into `?` parameters (MikroORM escapes them; nested `sql` fragments are
 * inlined), row converters for what `pg` returns raw (bigint as string,
 * timestamptz as text) and a retry for transient lock conflicts.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { nativePool } from '../../kernel/database.ts';
import type { PreparedStatement } from '../../kernel/pipelined-transaction.ts';

export class Sql {
  readonly text: string;
  readonly params: unknown[];
  constructor(text: string, params: unknown[]) {
    this.text = text;
    this.params = params;
  }
}

/** `sql\`select * from t where id = ${id}\`` — values become parameters, `Sql` values are spliced in. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const params: unknown[] = [];
  for (const value of values) {
    if (value instanceof Sql) for (const param of value.params) params.push(param);
    else params.push(value === undefined ? null : value);
  }
  return new Sql(templateText(strings, values), params);
}

/**
 * The texts each template (a call site's strings: one frozen object however often it runs) built, by
 * the texts spliced into it. A hot statement was rebuilt on every call, kilobytes of concatenation
 * then flattened and hashed again to find its prepared name (execute's, track's: 22 KB of garbage per
 * governed model call, `bench/request-cost.ts --kind ai-call`), though a call site builds a few texts
 * only. When the fragments spliced in have an earlier call's texts, that call's text is the answer:
 * the same string, whose hash V8 keeps. Fragments keep theirs the same strings too (`memoText`), so
 * the comparison is mostly by reference; a fragment built afresh still compares by content.
 */
class RecentTexts {
  readonly #entries: { fragments: string[]; text: string }[] = [];
  /** A site whose fragments vary more (an IN list's length, optional filters) keeps its latest texts. */
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  /** The text built before with the texts of `values`' fragments (`Sql` values; the others are parameters). */
  find(values: readonly unknown[]): string | undefined {
    for (const entry of this.#entries) if (sameFragments(entry.fragments, values)) return entry.text;
    return undefined;
  }

  remember(values: readonly unknown[], text: string): string {
    if (this.#entries.length >= this.#max) this.#entries.shift();
    const fragments = values.filter((value): value is Sql => value instanceof Sql).map((fragment) => fragment.text);
    this.#entries.push({ fragments, text });
    return text;
  }
}

function sameFragments(fragments: readonly string[], values: readonly unknown[]): boolean {
  let k = 0;
  for (const value of values) if (value instanceof Sql && value.text !== fragments[k++]) return false;
  return k === fragments.length;
}

/** By template; by `join`'s separator (execute's CTEs come in a few shapes). */
const templateTexts = new WeakMap<TemplateStringsArray, RecentTexts>();
const joinedTexts = new Map<string, RecentTexts>();

function templateText(strings: TemplateStringsArray, values: readonly unknown[]): string {
  let recent = templateTexts.get(strings);
  if (recent === undefined) {
    recent = new RecentTexts(8);
    templateTexts.set(strings, recent);
  }
  const known = recent.find(values);
  if (known !== undefined) return known;
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    text += (value instanceof Sql ? value.text : '?') + (strings[i + 1] ?? '');
  }
  return recent.remember(values, text);
}

/**
 * Joins fragments with a separator, in one pass: one text and one parameter list, where a fold made
 * a new `Sql` and copied every parameter so far for each part (execute's statement is built of such joins).
 */
export function join(parts: Sql[], separator = ', '): Sql {
  const params: unknown[] = [];
  for (const part of parts) for (const param of part.params) params.push(param);
  return new Sql(joinedText(parts, separator), params);
}

function joinedText(parts: readonly Sql[], separator: string): string {
  let recent = joinedTexts.get(separator);
  if (recent === undefined) {
    // Separators are literals of the callers: a handful.
    recent = new RecentTexts(16);
    joinedTexts.set(separator, recent);
  }
  return recent.find(parts) ?? recent.remember(parts, parts.map((part) => part.text).join(separator));
}

/**
 * A fragment's text, built once per `key` (what it depends on: an alias, a nested fragment's text) and
 * the same string after, so that the statements splicing it in find their own texts by reference.
 */
const memoTexts = new Map<string, string>();
const MEMO_TEXTS = 512;
export function memoText(key: string, build: () => string): string {
  let text = memoTexts.get(key);
  if (text === undefined) {
    if (memoTexts.size >= MEMO_TEXTS) memoTexts.clear();
    text = build();
    memoTexts.set(key, text);
  }
  return text;
}

/**
 * `<alias>.org_id = orgId` for a row found by its primary key, as a filter the planner cannot use as
 * an index condition. As an index condition, the statistics of a young executions table led generic
 * plans to combine executions_org (every execution of the organization) with the primary key: each
 * call scanned the whole organization (3,500 buffers a track at 7,000 executions, 15 ms a lock).
 */
export const ofOrg = (alias: string, orgId: string): Sql =>
  new Sql(
    memoText(`ofOrg\u0000${alias}`, () => `(${alias}.org_id = ?) is true`),
    [orgId],
  );

/** A text[] literal parameter: `${textArray(tags)}::text[]`. */
export function textArray(values: readonly string[] | null | undefined): string {
  const items = (values ?? []).map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
  return `{${items.join(',')}}`;
}

/** A jsonb parameter: `${json(value)}::jsonb` (null stays SQL null). */
export const json = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

export type Row = Record<string, unknown>;

export async function query<T = Row>(em: EntityManager, statement: Sql): Promise<T[]> {
  return (await em.execute(statement.text, statement.params)) as T[];
}

export async function queryOne<T = Row>(em: EntityManager, statement: Sql): Promise<T | undefined> {
  return (await query<T>(em, statement))[0];
}

/**
 * `?` placeholders → `$1…$n` (every `?` in an `Sql` text is a placeholder, as the ORM's own
 * formatting assumes); null when the text uses the ORM's `\\?` or `??` forms.
 */
export function positional(text: string): string | null {
  if (text.includes('??') || text.includes('\\?')) return null;
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/**
 * Statement text (`?` placeholders) → its positional text and prepared-statement name, per process
 * (bounded: hot statements come in a few shapes). Both are kept, not the name alone: numbering the
 * placeholders of the same text again on every call was ~1.4 KB of garbage per gate (issue #16).
 */
const preparedTexts = new Map<string, { text: string; name: string }>();
const MAX_PREPARED = 200;

function preparedText(text: string): { text: string; name: string | undefined } | null {
  const known = preparedTexts.get(text);
  if (known !== undefined) return known;
  const numbered = positional(text);
  if (numbered === null || preparedTexts.size >= MAX_PREPARED)
    return numbered === null ? null : { text: numbered, name: undefined };
  const entry = { text: numbered, name: `gov_${createHash('sha1').update(numbered).digest('hex').slice(0, 24)}` };
  preparedTexts.set(text, entry);
  return entry;
}

/**
 * The hot path's statements (gate, execute, track, rate counters) as named prepared statements
 * with real parameters, on the ORM's own pool. `em.execute` inlines every value into the text,
 * so PostgreSQL parsed and planned each call afresh; a prepared statement is parsed once per
 * connection and, after five runs, executes its cached generic plan. Parameters that appear
 * where PostgreSQL cannot infer their type carry an explicit cast in the SQL (`::bigint`,
 * `::boolean`). Inside a transaction the ORM's connection must be used: falls back to `query`.
 */
export async function queryPrepared<T = Row>(em: EntityManager, statement: Sql): Promise<T[]> {
  const config = em.isInTransaction() ? null : preparedConfig(statement);
  if (config === null) return query<T>(em, statement);
  const pool = await nativePool(em);
  const result = await pool.query(config);
  return result.rows as T[];
}

/** A statement as a named prepared `pg` query; null when it cannot be one (ORM-only placeholder forms, array values). */
export function preparedConfig(statement: Sql): PreparedStatement | null {
  if (statement.params.some((p) => Array.isArray(p) || p instanceof Sql)) return null;
  const prepared = preparedText(statement.text);
  return prepared && { name: prepared.name, text: prepared.text, values: statement.params };
}

export async function queryPreparedOne<T = Row>(em: EntityManager, statement: Sql): Promise<T | undefined> {
  return (await queryPrepared<T>(em, statement))[0];
}

/** bigint / numeric columns arrive as strings. */
export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
export const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
export const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
export const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));
export const strOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

export { isUniqueViolation, withRetry } from '../../kernel/database.ts';
