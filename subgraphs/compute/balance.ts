/**
 * Compute's reaction to billing (docs/events.md, event contracts): its own per-organization flag, set by
 * `billing.balance_depleted` and cleared by `billing.balance_restored` (compute never reads billing's
 * tables). While set, new VMs are refused with 402 `insufficient_balance`; once it has been set for
 * TRELLIS_DEPLETED_GRACE_SECONDS the worker stops the organization's VMs.
 *
 * Written against the durable-consumer contract (`handle(tx, event)` runs once per event id inside a
 * transaction of compute); registered on the subgraph when `kernel/event-consumers.ts` lands.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

export interface BalanceEvent {
  id: string;
  orgId: string;
  type: string;
  occurredAt: string;
}

export const balanceConsumer = {
  name: 'compute.balance',
  types: ['billing.balance_depleted', 'billing.balance_restored'],
  async handle(tx: EntityManager, event: BalanceEvent): Promise<void> {
    const at = new Date(event.occurredAt);
    if (event.type === 'billing.balance_depleted')
      await tx.execute(
        `insert into org_balance_flags (org_id, depleted_since, updated_at) values (?, ?, ?)
         on conflict (org_id) do update set depleted_since = coalesce(org_balance_flags.depleted_since, excluded.depleted_since),
           updated_at = excluded.updated_at where org_balance_flags.updated_at <= excluded.updated_at`,
        [event.orgId, at, at],
      );
    else
      await tx.execute(
        `insert into org_balance_flags (org_id, depleted_since, updated_at) values (?, null, ?)
         on conflict (org_id) do update set depleted_since = null, updated_at = excluded.updated_at
         where org_balance_flags.updated_at <= excluded.updated_at`,
        [event.orgId, at],
      );
  },
};
