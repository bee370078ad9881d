/** The prepaid ledger: balances are the sum of entries. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { LedgerEntry } from './entities.ts';

/** `Balance` as resolvers hold it: the org it belongs to plus the computed figures. */
export interface BalanceView {
  orgId: string;
  availableCents: number;
  currency: string;
}

export class LedgerService {
  private readonly em: EntityManager;

  constructor(em: EntityManager) {
    this.em = em;
  }

  async balanceCents(orgId: string): Promise<number> {
    const rows = await this.em
      .getConnection()
      .execute<{ total: string | null }[]>(
        'select coalesce(sum(amount_cents), 0)::text as total from ledger_entries where org_id = ?',
        [orgId],
      );
    return Number(rows[0]?.total ?? 0);
  }

  async balance(orgId: string): Promise<BalanceView> {
    return { orgId, availableCents: await this.balanceCents(orgId), currency: 'usd' };
  }

  recent(orgId: string, limit: number) {
    return this.em.find(
      LedgerEntry,
      { orgId },
      { orderBy: { createdAt: 'desc' }, limit: Math.min(Math.max(limit, 1), 100) },
    );
  }
}
