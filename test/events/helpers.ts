/** Helpers shared by the event backbone tests. */
import { expect } from 'vitest';
import type { HttpResult, TestPlatform, TestUser } from '../harness.ts';

/** Runs a GraphQL operation and fails the test on errors. */
// biome-ignore lint/suspicious/noExplicitAny: JSON payloads are asserted field by field
export async function ok<T = any>(
  platform: TestPlatform,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
  const result: HttpResult = await platform.graphql(query, variables, { token });
  expect(result.body.errors, JSON.stringify(result.body.errors)).toBeUndefined();
  return result.body.data as T;
}

export interface LoggedEvent {
  id: string;
  seq: number;
  type: string;
  orgId: string;
  actor: { type: string; id: string } | null;
  subject: { type: string; id: string } | null;
  requestId: string | null;
  data: Record<string, unknown>;
}

const EVENT_FIELDS = 'id seq type orgId actor { type id } subject { type id } requestId data occurredAt recordedAt';

/** The whole log of an organization, oldest first. */
export async function logOf(platform: TestPlatform, user: TestUser, orgId = user.orgId): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  let afterSeq = 0;
  for (;;) {
    const data = await ok(
      platform,
      `query($orgId: ID!, $afterSeq: SafeInt) {
        events(orgId: $orgId, filter: { afterSeq: $afterSeq }, order: OLDEST_FIRST, limit: 200) { items { ${EVENT_FIELDS} } nextCursor }
      }`,
      { orgId, afterSeq },
      user.token,
    );
    const items = data.events.items as LoggedEvent[];
    events.push(...items);
    if (!data.events.nextCursor) return events;
    afterSeq = items.at(-1)?.seq ?? afterSeq;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
