/**
 * What hand-written (streamed-body) routes share: run an operation as the caller and turn its first GraphQL
 * error into the registry's error (so the envelope carries the subgraph's code and field), and read one
 * header value when a client repeated it.
 */
import { isErrorCode, TrellisError } from '../kernel/errors.ts';
import type { HandlerContext } from './route-table.ts';

type Json = Record<string, unknown>;

/** The operation's `data`, or its first error as a `TrellisError` (an unknown code is `internal`). */
export async function dataOf<T>(ctx: HandlerContext, query: string, variables: Json): Promise<T> {
  const result = await ctx.execute(query, variables);
  const first = result.errors?.[0] as { message: string; extensions?: Json } | undefined;
  if (first || !result.data) {
    const code = first?.extensions?.code;
    throw new TrellisError(isErrorCode(code) ? code : 'internal', first?.message ?? 'Internal error', {
      field: first?.extensions?.field as string | undefined,
    });
  }
  return result.data as T;
}

/** A header's value; the last one when it was sent more than once. */
export const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.at(-1) : value;
