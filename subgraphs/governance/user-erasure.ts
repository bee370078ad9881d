/**
 * `user.erased` (identity, one per organization the user belonged to): governance forgets the user
 * in that organization — their notification settings are deleted and the alert channels they
 * created no longer name them (`created_by` cleared). Runs once per event (durable consumer).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConsumedEvent, EventConsumer } from '../../kernel/event-consumers.ts';

export const userErasure: EventConsumer = {
  name: 'governance.user_erasure',
  types: ['user.erased'],
  async handle(tx: EntityManager, event: ConsumedEvent): Promise<void> {
    const userId = event.data.userId;
    if (typeof userId !== 'string' || !userId.startsWith('usr_')) return;
    await tx.execute('delete from notification_settings where org_id = ? and user_id = ?', [event.orgId, userId]);
    await tx.execute('update alert_channels set created_by = null where org_id = ? and created_by = ?', [
      event.orgId,
      userId,
    ]);
  },
};
