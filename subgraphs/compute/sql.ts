/**
 * Compute's hand-written SQL: placement and capacity must be single atomic statements (row locks,
 * `SKIP LOCKED`), so compute talks to its tables in SQL through `em.execute` with `?` parameters, and
 * converts what `pg` returns raw (bigint as text, jsonb as objects).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { withRetry as retryTransient } from '../../kernel/database.ts';

export type Row = Record<string, unknown>;

export async function rows<T = Row>(em: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  return (await em.execute(text, params)) as T[];
}

export async function one<T = Row>(em: EntityManager, text: string, params: unknown[] = []): Promise<T | undefined> {
  return (await rows<T>(em, text, params))[0];
}

/** A text[] parameter: `?::text[]`. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

/** A jsonb parameter: `?::jsonb` (null stays SQL null). */
export const json = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
export const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
export const dateOrNull = (value: unknown): Date | null => (value == null ? null : date(value));
export const strOrNull = (value: unknown): string | null => (value == null ? null : String(value));

export { isUniqueViolation } from '../../kernel/database.ts';

/** Runs `fn` again (five runs in all) when PostgreSQL aborted it for a deadlock or a serialization failure. */
export const withRetry = <T>(fn: () => Promise<T>, attempts = 5): Promise<T> => retryTransient(fn, attempts);
