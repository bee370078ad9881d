/**
 * `user.erased` (identity, one per organization the user belonged to): the organization's event log
 * keeps its history but no longer names the user — every `actor_id`, user `subject_id` and
 * `data.userId` equal to the erased id becomes the pseudonym `usr_erased`. The log stays ordered and
 * complete (what happened, when); who did it is gone. Runs once per event (durable consumer).
 *
 * The `user.erased` events themselves keep the id (a random identifier, no personal data): every other
 * subgraph's consumer reads it from them, and may be handed them after this one has run.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConsumedEvent, EventConsumer } from '../../kernel/event-consumers.ts';

export const ERASED_USER_ID = 'usr_erased';

const NOT_ERASURE = `type <> 'user.erased'`;

export const userErasure: EventConsumer = {
  name: 'events.user_erasure',
  types: ['user.erased'],
  async handle(tx: EntityManager, event: ConsumedEvent): Promise<void> {
    const userId = event.data.userId;
    if (typeof userId !== 'string' || !userId.startsWith('usr_')) return;
    const params = [ERASED_USER_ID, event.orgId, userId];
    await tx.execute(`update event_log set actor_id = ? where org_id = ? and actor_id = ? and ${NOT_ERASURE}`, params);
    await tx.execute(
      `update event_log set subject_id = ? where org_id = ? and subject_type = 'user' and subject_id = ? and ${NOT_ERASURE}`,
      params,
    );
    await tx.execute(
      `update event_log set data = jsonb_set(data, '{userId}', to_jsonb(?::text))
        where org_id = ? and data->>'userId' = ? and ${NOT_ERASURE}`,
      params,
    );
  },
};
