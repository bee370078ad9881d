/**
 * Compute's reaction to billing (docs/events.md, event contracts): its own per-organization flag, set by
 * `billing.balance_depleted` and cleared by `billing.balance_restored` (compute never reads billing's
 * tables). While set, new VMs are refused with 402 `insufficient_balance`; once it has been set for
 * TRELLIS_DEPLETED_GRACE_SECONDS the worker stops the organization's VMs.
 *
 * A durable consumer (kernel/event-consumers.ts): `handle` runs once per event id inside a transaction of
 * compute; events older than the flag's last change are ignored, so a late redelivery cannot flip it back.
 * Once committed it wakes the compute worker, so a short grace is acted on in time, not at its safety poll.
 */
import type { EventConsumer } from '../../kernel/event-consumers.ts';
import { wakeComputeWorker } from './worker.ts';

export const balanceConsumer: EventConsumer = {
  name: 'compute.balance',
  types: ['billing.balance_depleted', 'billing.balance_restored'],
  async handle(tx, event) {
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
  afterCommit(_event, { platform }) {
    wakeComputeWorker(platform);
  },
};
