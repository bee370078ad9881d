/** Helpers shared by the event backbone tests. */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createOrm, migrate, type Orm } from '../../kernel/database.ts';
import { consumedEventsMigrationEntry } from '../../kernel/event-consumers.ts';
import { OutboxEvent, outboxMigrationEntry } from '../../kernel/outbox.ts';
import { outboxRelayMigrationEntry } from '../../kernel/outbox-relay.ts';
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

/**
 * A schema of its own (`<prefix>_<random>`) with the kernel's outbox tables, and `consumed_events` when
 * asked, migrated: no running subgraph's relay or retention worker touches it. The caller closes the ORM.
 */
export async function kernelTablesSchema(
  databaseUrl: string,
  options: { prefix: string; poolMax: number; consumedEvents?: boolean },
): Promise<{ schema: string; orm: Orm }> {
  const schema = `${options.prefix}_${randomBytes(4).toString('hex')}`;
  const orm = await createOrm({
    schema,
    url: databaseUrl,
    entities: [OutboxEvent],
    migrations: [
      outboxMigrationEntry,
      outboxRelayMigrationEntry,
      ...(options.consumedEvents ? [consumedEventsMigrationEntry] : []),
    ],
    poolMax: options.poolMax,
  });
  await migrate(orm, databaseUrl, schema);
  return { schema, orm };
}
