/**
 * `{ inputTokens: 1 }` → `{ input_tokens: 1 }`: a set-based statement's rows (jsonb_to_recordset) and a
 * record's columns take the field names of the TypeScript object they come from, so one list of fields
 * serves both sides.
 */
export function snakeCaseKeys(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in value) if (Object.hasOwn(value, key)) out[snakeCase(key)] = (value as Record<string, unknown>)[key];
  return out;
}

/**
 * Field names → column names, each spelled once per process: every group of execute and track
 * converted the same dozen names again (~5 KB of garbage per execute+track pair, issue #16). Bounded
 * although the names come from code, never from a request.
 */
const spelled = new Map<string, string>();
const MAX_SPELLED = 1_000;

function snakeCase(key: string): string {
  let column = spelled.get(key);
  if (column === undefined) {
    column = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (spelled.size < MAX_SPELLED) spelled.set(key, column);
  }
  return column;
}
