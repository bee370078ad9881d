/**
 * Cursor pagination, one shape everywhere: GraphQL list fields return
 * `{ items, nextCursor }` (nextCursor null on the last page) and take
 * `limit` and `cursor` arguments; the REST adapter passes them through.
 * Cursors are opaque (base64url JSON of the last row's sort key).
 */
import { invalidField, TrellisError } from './errors.ts';
import { textProblem } from './json-limits.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageArgs {
  limit?: number | null;
  cursor?: string | null;
}

export function pageSize(limit: number | null | undefined): number {
  if (limit == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw invalidField('limit', `limit must be between 1 and ${MAX_PAGE_SIZE}`);
  return limit;
}

export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** What one field of a cursor holds: an id or name, a timestamp, or an integer (sequence, priority). */
export type CursorField = 'text' | 'time' | 'int';
export type CursorShape = Record<string, CursorField>;
export type CursorOf<S extends CursorShape> = { [K in keyof S]: S[K] extends 'int' ? number : string };

const CURSOR_FIELD_OK: Record<CursorField, (value: unknown) => boolean> = {
  text: (v) => typeof v === 'string' && v.length > 0 && v.length <= 256 && textProblem(v) === null,
  time: (v) => typeof v === 'string' && v.length <= 64 && Number.isFinite(Date.parse(v)),
  int: (v) => Number.isSafeInteger(v),
};

const invalidCursor = () => new TrellisError('invalid_request', 'cursor is not valid', { field: 'cursor' });

/**
 * Decodes a cursor this service handed out, checking it has exactly the
 * fields of `shape` with values of their kind: a cursor is client input, and a
 * forged one (`{"c":{"$gt":1}}`, `{"i":1}`) must be a 400 naming `cursor`, not an
 * invalid date, a query operator or an SQL type error.
 */
export function decodeCursor<S extends CursorShape>(cursor: string | null | undefined, shape: S): CursorOf<S> | null {
  if (!cursor) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidCursor();
  const fields = Object.keys(shape);
  if (Object.keys(value).length !== fields.length) throw invalidCursor();
  for (const field of fields)
    if (!CURSOR_FIELD_OK[shape[field] as CursorField]((value as Record<string, unknown>)[field])) throw invalidCursor();
  return value as CursorOf<S>;
}

/**
 * Builds a page from `limit + 1` rows fetched in sort order: the extra row
 * only tells that another page exists.
 */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => Record<string, string | number>): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
