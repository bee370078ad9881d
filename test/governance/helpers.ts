/** Shared helpers for the governance tests: GraphQL calls that fail loudly, HMAC-signed REST requests. */
import { createHash, createHmac } from 'node:crypto';
import type { TestPlatform, TestUser } from '../harness.ts';

// biome-ignore lint/suspicious/noExplicitAny: response JSON in tests is checked by the assertions themselves
export type Json = any;

export interface Caller {
  token?: string;
  headers?: Record<string, string>;
}

/** Runs a GraphQL operation and returns `data`, throwing with the errors when there are any. */
export async function gql<T = Json>(
  platform: TestPlatform,
  caller: Caller,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const result = await platform.graphql(query, variables, { token: caller.token, headers: caller.headers });
  if (result.body?.errors?.length) {
    const error = new Error(`GraphQL error: ${JSON.stringify(result.body.errors)}`);
    (error as Error & { errors: unknown }).errors = result.body.errors;
    throw error;
  }
  return result.body.data as T;
}

/** Runs a GraphQL operation and returns the first error's code (or undefined). */
export async function gqlErrorCode(
  platform: TestPlatform,
  caller: Caller,
  query: string,
  variables?: Record<string, unknown>,
): Promise<string | undefined> {
  const result = await platform.graphql(query, variables, { token: caller.token, headers: caller.headers });
  return result.body?.errors?.[0]?.extensions?.code;
}

/**
 * The headers an SDK sends, computed like curl + openssl would:
 * X-Signature = hex(HMAC-SHA256(secret, `${ts}:${apiKey}:${hex(sha256(body))}`)).
 */
export function signedHeaders(
  key: { key: string; signingSecret: string },
  body: string,
  extra: Record<string, string> = {},
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const signature = createHmac('sha256', key.signingSecret).update(`${timestamp}:${key.key}:${bodyHash}`).digest('hex');
  return {
    'x-api-key': key.key,
    'x-signature': signature,
    'x-signature-timestamp': String(timestamp),
    'content-type': 'application/json',
    ...extra,
  };
}

/** Sends a signed REST request (body JSON-encoded once, so the signature covers the exact bytes). */
export function signedRest(
  platform: TestPlatform,
  key: { key: string; signingSecret: string },
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
) {
  const raw = body === undefined ? '' : JSON.stringify(body);
  return platform.rest(method, path, {
    headers: signedHeaders(key, raw, extra),
    ...(body === undefined ? {} : { rawBody: raw }),
  });
}

export async function createWorkflow(
  platform: TestPlatform,
  user: TestUser,
  input: { name?: string; budgetMicros?: number | null; budgetPeriod?: string },
): Promise<{ id: string; status: string; budgetMicros: number | null }> {
  const data = await gql(
    platform,
    { token: user.token },
    `mutation($orgId: ID!, $input: CreateWorkflowInput!) {
      createWorkflow(orgId: $orgId, input: $input) { id status budgetMicros }
    }`,
    { orgId: user.orgId, input: { name: input.name ?? 'agent', ...input } },
  );
  return data.createWorkflow;
}

export const EXECUTE = `mutation Execute($input: ExecuteInput!) {
  execute(input: $input) {
    executionId allowed decision status reason message policyId approvalId workflowId
    reservedMicros remainingMicros expiresAt retryAfterSeconds
  }
}`;

export const TRACK = `mutation Track($input: TrackInput!) {
  track(input: $input) { eventId recorded duplicate executionId workflowId settled spentMicros remainingMicros }
}`;

export const GATE = `mutation Gate($input: GateInput!) {
  gate(input: $input) {
    allowed decision reason message workflowId workflowStatus budgetMicros spentMicros remainingMicros policyId
  }
}`;

export const WORKFLOW = `query Workflow($id: ID!) {
  workflow(id: $id) {
    id name status budgetMicros budgetPeriod spentMicros reservedMicros remainingMicros
    periodStartedAt periodEndsAt statusReason
  }
}`;
