/**
 * Token credits (seed 004): a balance in whole credits, its transactions, and an atomic consume.
 * Credits live in the same double-entry ledger as money, in their own unit. The `credits` account
 * carries a database check that it never goes below zero, so concurrent consumes are decided by its
 * row lock: one that would overdraw fails as a whole (402 `insufficient_credits`).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidField, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { decodeCursor, type Page, pageSize, toPage } from '../../kernel/pagination.ts';
import type { Principal } from '../../kernel/principal.ts';
import { accountBalance, post } from './ledger.ts';
import type { TopupService } from './topups.ts';

export interface CreditTransactionView {
  id: string;
  type: string;
  amount: number;
  balanceAfter: number;
  description: string | null;
  referenceId: string | null;
  createdAt: Date;
}

/** Seed 004's transaction types ↔ ledger transaction kinds. */
const TYPE_OF_KIND: Record<string, string> = {
  credit_consume: 'consume',
  credit_purchase: 'purchase',
  credit_bonus: 'bonus',
  credit_grant: 'grant',
  credit_refund: 'refund',
};
const KIND_OF_TYPE = Object.fromEntries(Object.entries(TYPE_OF_KIND).map(([k, t]) => [t, k]));

const ACTION = /^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,99}$/;
const REFERENCE = /^[\x21-\x7e]{1,128}$/;
const MAX_CONSUME = 1_000_000_000;

type Row = Record<string, unknown>;

const isCheckViolation = (error: unknown): boolean => {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    if ((current as { code?: unknown }).code === '23514') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};

export class CreditService {
  private readonly em: EntityManager;
  private readonly topups: TopupService;

  constructor(em: EntityManager, topups: TopupService) {
    this.em = em;
    this.topups = topups;
  }

  async balance(orgId: string) {
    return { orgId, credits: await accountBalance(this.em, orgId, 'credits') };
  }

  async transactions(orgId: string, args: { type?: string | null; limit?: number | null; cursor?: string | null }) {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { p: 'int' });
    let kind: string | null = null;
    if (args.type) {
      kind = KIND_OF_TYPE[args.type.toLowerCase()] ?? null;
      if (!kind) throw invalidField('type', `type must be one of ${Object.values(TYPE_OF_KIND).join(', ')}`);
    }
    const rows = (await this.em.execute(
      `select p.id as posting_id, t.id, t.kind, t.description, t.cause_id, t.created_at, p.amount, p.balance_after
       from ledger_postings p join ledger_transactions t on t.id = p.transaction_id
       where p.org_id = ? and p.account_kind = 'credits' and (?::text is null or t.kind = ?)
         and (?::bigint is null or p.id < ?)
       order by p.id desc limit ?`,
      [orgId, kind, kind, after?.p ?? null, after?.p ?? null, limit + 1],
    )) as Row[];
    const page = toPage(rows, limit, (r) => ({ p: Number(r.posting_id) }));
    return {
      items: page.items.map(
        (r): CreditTransactionView => ({
          id: String(r.id),
          type: TYPE_OF_KIND[String(r.kind)] ?? String(r.kind),
          amount: Number(r.amount),
          balanceAfter: Number(r.balance_after),
          description: (r.description as string | null) ?? null,
          referenceId: (r.cause_id as string | null) ?? null,
          createdAt: new Date(r.created_at as string),
        }),
      ),
      nextCursor: page.nextCursor,
    } satisfies Page<CreditTransactionView>;
  }

  /**
   * Consumes `amount` credits for `action`, atomically: never below zero, whatever the concurrency.
   * With a `referenceId`, a retry of the same consume is answered without consuming twice.
   */
  async consume(
    principal: Principal,
    orgId: string,
    input: { amount: number; action: string; referenceId?: string | null },
    requestId?: string,
  ) {
    if (!Number.isSafeInteger(input.amount) || input.amount < 1 || input.amount > MAX_CONSUME)
      throw invalidField('input.amount', `amount must be an integer between 1 and ${MAX_CONSUME}`);
    if (!ACTION.test(input.action))
      throw invalidField('input.action', 'action must be 1 to 100 of A-Z a-z 0-9 space . _ : / -');
    if (input.referenceId != null && !REFERENCE.test(input.referenceId))
      throw invalidField('input.referenceId', 'referenceId must be 1 to 128 printable ASCII characters');
    const reference = input.referenceId ?? newId('cref');
    try {
      const posted = await this.em.fork().transactional(async (tx) => {
        const result = await post(tx, {
          orgId,
          idempotencyKey: `credit_consume:${orgId}:${reference}`,
          kind: 'credit_consume',
          description: input.action,
          cause: { type: 'consume', id: reference },
          actor: principal,
          requestId,
          legs: [
            { account: 'credits', amount: -input.amount },
            { account: 'credits_consumed', amount: input.amount },
          ],
        });
        if (!result.duplicate && result.balances.credits !== undefined)
          await this.topups.afterDebit(tx, orgId, 'credits', result.balances.credits);
        return result;
      });
      const balance = posted.duplicate
        ? await accountBalance(this.em, orgId, 'credits')
        : (posted.balances.credits ?? 0);
      return {
        transactionId: posted.transactionId,
        consumed: input.amount,
        balance,
        duplicate: posted.duplicate,
        referenceId: reference,
      };
    } catch (error) {
      if (!isCheckViolation(error)) throw error;
      const balance = await accountBalance(this.em, orgId, 'credits');
      throw new TrellisError(
        'insufficient_credits',
        `This action needs ${input.amount} credits; ${balance} available`,
        {
          details: { balance, requested: input.amount },
        },
      );
    }
  }
}
