/**
 * Cursor pagination, one shape everywhere: GraphQL list fields return
 * `{ items, nextCursor }` (nextCursor null on the last page) and take
 * `limit` and `cursor` arguments; the REST adapter passes them through.
 * Cursors are opaque (base64url JSON of the last row's sort key).
 */
import { invalidField } from './errors.ts';

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

export function decodeCursor<T extends Record<string, string | number>>(cursor: string | null | undefined): T | null {
  if (!cursor) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object') return value as T;
  } catch {
    // fall through
  }
  throw invalidField('cursor', 'cursor is not valid');
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
