/**
 * The shape of a seed example: one request exactly as a seed's API reference
 * shows it (its path mapped onto `/v1` as routes.tsv does), and the response
 * fields that reference documents. `seed-conformance.test.ts` replays every
 * example, in order, against one live platform.
 *
 * Values written `{name}` — anywhere in the path, a header or a body string —
 * are taken from the world: the fixtures the test creates (`orgId`,
 * `otherOrgId`, `workflowId`, `apiKey`, `signingSecret`, `apiKeyId`,
 * `userId`, `email`, `run` — a suffix unique to the run) and whatever an
 * earlier example saved (`save`). A string that is exactly `{name}` keeps the
 * world value's type.
 *
 * Adding a seed's examples is data only: append to `seed-00N.ts`.
 */
export type Caller =
  /** `Authorization: Bearer <session token>` of the organization's owner (seed 000 dashboard, 001, 004). */
  | 'session'
  /** `Authorization: Bearer <API key>` (seeds 001, 003). */
  | 'apiKey'
  /** `X-API-Key` alone, unsigned (seed 000 `init()` before it has the secret). */
  | 'apiKeyHeader'
  /** `X-API-Key` + seed 000's signature: hex(HMAC-SHA256(secret_key, timestamp:api_key:body_sha256)). */
  | 'signed'
  /** No credentials (public routes). */
  | 'none';

export interface SeedExample {
  /** What the seed documents, in a few words (the test's name). */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The seed's path on `/v1` (query string included), with `{name}` placeholders. */
  path: string;
  as: Caller;
  /** The body as the seed shows it (objects, bare arrays, snake_case or camelCase). */
  body?: unknown;
  headers?: Record<string, string>;
  expect: {
    status: number;
    /**
     * Dotted paths that must be present: under `data` on success, under
     * `error` on an error, under the body itself for `envelope: false`.
     */
    fields?: string[];
    /** Dotted paths (as `fields`) with the value the seed documents; `undefined` means absent. */
    values?: Record<string, unknown>;
    /** For an error: the envelope's `error.code`. */
    error?: string;
    /** False for the routes outside `/v1` that answer without the envelope (`/health`). */
    envelope?: boolean;
  };
  /** World values to keep from the response, by dotted path under `data`: `{ webhookId: 'id' }`. */
  save?: Record<string, string>;
}
