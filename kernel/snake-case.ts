/**
 * `{ inputTokens: 1 }` → `{ input_tokens: 1 }`: a set-based statement's rows (jsonb_to_recordset) and a
 * record's columns take the field names of the TypeScript object they come from, so one list of fields
 * serves both sides.
 */
export const snakeCaseKeys = (value: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).map(([key, v]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
