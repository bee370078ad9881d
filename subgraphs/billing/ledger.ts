/**
 * The double-entry ledger (docs/billing.md#ledger). A business event — a Stripe payment, a metered
 * usage event, a credit consume, a manual adjustment — is one transaction whose postings sum to zero
 * in each unit (a deferred constraint trigger checks it at commit). The transaction's idempotency key
 * is unique: posting the same event again inserts nothing and moves no balance, whatever the
 * concurrency. Each account keeps a running total, updated under its row lock in the same statement
 * as the postings; `reconcile` compares it with the sum of the postings.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { requirePlatformAdmin } from '../../kernel/authz.ts';
import { invalidField, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import type { Principal } from '../../kernel/principal.ts';
import { balanceCents } from './money.ts';

export const ACCOUNT_UNITS = {
  /** The organization's prepaid balance (what it may spend). */
  prepaid: 'usd_micros',
  /** Held for work in flight (reserved, not yet spent). */
  reserved: 'usd_micros',
  /** Money Stripe collected for the organization and owes the platform. */
  stripe_clearing: 'usd_micros',
  /** Usage the organization paid for. */
  revenue: 'usd_micros',
  /** The share of usage owed to GPU providers (GPU-cloud issue). */
  provider_payable: 'usd_micros',
  /** The other side of manual adjustments by platform administrators. */
  adjustments: 'usd_micros',
  /** Token credits the organization holds (never below zero). */
  credits: 'credits',
  credits_issued: 'credits',
  credits_consumed: 'credits',
} as const;

export type AccountKind = keyof typeof ACCOUNT_UNITS;

export type TransactionKind =
  | 'deposit'
  | 'usage'
  | 'refund'
  | 'dispute'
  | 'dispute_won'
  | 'adjustment'
  | 'credit_purchase'
  | 'credit_bonus'
  | 'credit_grant'
  | 'credit_consume'
  | 'credit_refund';

export interface Leg {
  account: AccountKind;
  /** Integer, in the account's unit; positive raises the account's balance. */
  amount: number;
}

export interface PostingInput {
  orgId: string;
  /** The business event this transaction records: a second posting with the same key posts nothing. */
  idempotencyKey: string;
  kind: TransactionKind;
  description?: string | null;
  /** What caused it: `{ type: 'stripe_event', id: 'evt_…' }`, `{ type: 'usage', id: <event id> }`, … */
  cause?: { type: string; id: string } | null;
  actor?: Principal | null;
  requestId?: string;
  legs: Leg[];
}

export interface Posted {
  transactionId: string;
  /** The key was posted before: nothing moved this time. */
  duplicate: boolean;
  /** Balances after this transaction of the accounts it touched (empty for a duplicate). */
  balances: Partial<Record<AccountKind, number>>;
}

/** `Balance` as resolvers hold it. */
export interface BalanceView {
  orgId: string;
  availableMicros: number;
  availableCents: number;
  currency: string;
}

export interface LedgerEntryView {
  id: string;
  kind: string;
  amountMicros: number;
  amountCents: number;
  description: string | null;
  cause: { type: string; id: string } | null;
  createdAt: Date;
}

type Row = Record<string, unknown>;
const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** Validates the legs: integer, non-zero, distinct accounts, balanced per unit. */
function checkLegs(legs: Leg[]): Leg[] {
  const seen = new Set<AccountKind>();
  const sums = new Map<string, number>();
  for (const leg of legs) {
    if (!Number.isSafeInteger(leg.amount) || leg.amount === 0) throw new Error(`ledger: bad amount ${leg.amount}`);
    if (seen.has(leg.account)) throw new Error(`ledger: account ${leg.account} twice in one transaction`);
    seen.add(leg.account);
    const unit = ACCOUNT_UNITS[leg.account];
    sums.set(unit, (sums.get(unit) ?? 0) + leg.amount);
  }
  if ([...sums.values()].some((s) => s !== 0)) throw new Error('ledger: transaction does not balance');
  // Accounts are locked in one order (kind), so two transactions of one organization never deadlock.
  return [...legs].sort((a, b) => (a.account < b.account ? -1 : 1));
}

/**
 * Posts one transaction inside the caller's database transaction `tx` (`postMany` of one).
 * Emits `billing.balance_depleted` / `billing.balance_restored` when the prepaid balance crosses zero.
 */
export async function post(tx: EntityManager, input: PostingInput): Promise<Posted> {
  return (await postMany(tx, [input]))[0] as Posted;
}

/**
 * Posts transactions inside the caller's database transaction `tx`, in order, with two statements
 * whatever their number (metering posts a batch of usage events together): the accounts are created
 * if missing, then one statement inserts the transaction rows, updates each account's running total
 * once by the sum of its legs under its row lock, and inserts the postings with each one's balance
 * after it (in input order). An input whose idempotency key was posted before (or earlier in the
 * same batch) posts nothing and is answered as a duplicate. Announces prepaid zero crossings.
 */
export async function postMany(tx: EntityManager, inputs: readonly PostingInput[]): Promise<Posted[]> {
  if (inputs.length === 0) return [];
  const ids = inputs.map(() => newId('ltx'));
  const checked = inputs.map((input) => checkLegs(input.legs));
  const transactions = inputs.map((input, seq) => ({
    seq,
    id: ids[seq],
    org_id: input.orgId,
    idempotency_key: input.idempotencyKey,
    kind: input.kind,
    description: input.description ?? null,
    cause_type: input.cause?.type ?? null,
    cause_id: input.cause?.id ?? null,
    actor_type: input.actor?.kind ?? null,
    actor_id: input.actor?.id ?? null,
  }));
  const legs = checked.flatMap((list, seq) =>
    list.map((leg) => ({ seq, kind: leg.account, unit: ACCOUNT_UNITS[leg.account], amount: leg.amount })),
  );
  // Accounts exist before they are updated (an upsert would check the inserted row's constraints,
  // e.g. credits ≥ 0, before resolving the conflict).
  const accounts = new Map<string, { org_id: string; kind: string; unit: string }>();
  for (const leg of legs) {
    const orgId = inputs[leg.seq]?.orgId as string;
    accounts.set(`${orgId}\u0000${leg.kind}`, { org_id: orgId, kind: leg.kind, unit: leg.unit });
  }
  await tx.execute(
    `insert into ledger_accounts (org_id, kind, unit, balance)
     select a.org_id, a.kind, a.unit, 0 from jsonb_to_recordset(?::jsonb) as a(org_id text, kind text, unit text)
     on conflict (org_id, kind) do nothing`,
    [JSON.stringify([...accounts.values()])],
  );
  // Accounts are locked in one order (organization, kind), so two postings never deadlock; a running
  // total moves once per statement (an UPDATE changes a row once), each posting's balance after it
  // is that total minus the legs posted after it.
  const rows = (await tx.execute(
    `with input as (
       select * from jsonb_to_recordset(?::jsonb) as i(seq int, id text, org_id text, idempotency_key text, kind text,
         description text, cause_type text, cause_id text, actor_type text, actor_id text)
     ),
     t as (
       insert into ledger_transactions (id, org_id, idempotency_key, kind, description, cause_type, cause_id,
         actor_type, actor_id)
       select id, org_id, idempotency_key, kind, description, cause_type, cause_id, actor_type, actor_id
       from input order by seq
       on conflict (idempotency_key) do nothing
       returning id
     ),
     legs as (
       select l.seq, l.kind, l.unit, l.amount, i.id, i.org_id
       from jsonb_to_recordset(?::jsonb) as l(seq int, kind text, unit text, amount bigint)
       join input i on i.seq = l.seq join t on t.id = i.id
     ),
     totals as (select org_id, kind, sum(amount) as delta, count(*) as n from legs group by org_id, kind),
     locked as (
       select a.kind from ledger_accounts a join totals s on s.org_id = a.org_id and s.kind = a.kind
       order by a.org_id, a.kind for update of a
     ),
     acc as (
       update ledger_accounts a set balance = a.balance + s.delta, postings = a.postings + s.n, updated_at = now()
       from totals s
       where a.org_id = s.org_id and a.kind = s.kind and (select count(*) from locked) > 0
       returning a.org_id, a.kind, a.balance
     ),
     p as (
       insert into ledger_postings (transaction_id, org_id, account_kind, unit, amount, balance_after)
       select l.id, l.org_id, l.kind, l.unit, l.amount,
         acc.balance - coalesce(sum(l.amount) over (partition by l.org_id, l.kind order by l.seq desc
           rows between unbounded preceding and 1 preceding), 0)
       from legs l join acc on acc.org_id = l.org_id and acc.kind = l.kind
       order by l.seq, l.kind
       returning transaction_id, account_kind, balance_after
     )
     select transaction_id as id, json_object_agg(account_kind, balance_after::text) as balances
     from p group by transaction_id`,
    [JSON.stringify(transactions), JSON.stringify(legs)],
  )) as Row[];
  const posted = new Map<string, Partial<Record<AccountKind, number>>>();
  for (const row of rows) posted.set(String(row.id), balancesOf(row.balances));
  const duplicates = inputs.filter((_, seq) => !posted.has(ids[seq] as string)).map((i) => i.idempotencyKey);
  const existing = new Map<string, string>();
  if (duplicates.length > 0)
    for (const row of (await tx.execute(
      'select id, idempotency_key from ledger_transactions where idempotency_key in (select jsonb_array_elements_text(?::jsonb))',
      [JSON.stringify(duplicates)],
    )) as Row[])
      existing.set(String(row.idempotency_key), String(row.id));
  return inputs.map((input, seq) => {
    const id = ids[seq] as string;
    const balances = posted.get(id);
    if (!balances) return { transactionId: existing.get(input.idempotencyKey) ?? '', duplicate: true, balances: {} };
    const prepaidLeg = checked[seq]?.find((l) => l.account === 'prepaid');
    const after = balances.prepaid;
    if (prepaidLeg && after !== undefined) announceCrossing(tx, input, after - prepaidLeg.amount, after);
    return { transactionId: id, duplicate: false, balances };
  });
}

/** `{ kind: "balance" }` as the statement answers it (a JSON object, parsed or not) → numbers. */
function balancesOf(value: unknown): Partial<Record<AccountKind, number>> {
  const object = typeof value === 'string' ? (JSON.parse(value) as Record<string, string>) : value;
  const balances: Partial<Record<AccountKind, number>> = {};
  for (const [kind, balance] of Object.entries((object as Record<string, string> | null) ?? {}))
    balances[kind as AccountKind] = Number(balance);
  return balances;
}

/** Depleted when a debit takes the prepaid balance to zero or below; restored when a credit lifts it above zero. */
function announceCrossing(tx: EntityManager, input: PostingInput, before: number, after: number): void {
  const type =
    before > 0 && after <= 0
      ? 'billing.balance_depleted'
      : before <= 0 && after > 0
        ? 'billing.balance_restored'
        : null;
  if (!type) return;
  recordEvent(tx, {
    orgId: input.orgId,
    type,
    subject: { type: 'organization', id: input.orgId },
    data: {
      balanceMicros: after,
      balanceCents: balanceCents(after),
      transactionId: input.idempotencyKey,
      message:
        type === 'billing.balance_depleted'
          ? `Prepaid balance is depleted (${(balanceCents(after) / 100).toFixed(2)} USD)`
          : `Prepaid balance is positive again (${(balanceCents(after) / 100).toFixed(2)} USD)`,
    },
    requestId: input.requestId,
  });
}

/** Balance of one account of an organization (its running total; 0 when it never had a posting). */
export async function accountBalance(em: EntityManager, orgId: string, account: AccountKind): Promise<number> {
  const rows = (await em.execute('select balance from ledger_accounts where org_id = ? and kind = ?', [
    orgId,
    account,
  ])) as Row[];
  return num(rows[0]?.balance);
}

export interface Mismatch {
  orgId: string;
  account: string;
  runningTotal: number;
  sumOfPostings: number;
}

/** Accounts whose running total differs from the sum of their postings (should always be empty). */
export async function reconcile(em: EntityManager, orgId?: string): Promise<Mismatch[]> {
  const rows = (await em.execute(
    `select a.org_id, a.kind, a.balance, coalesce(s.total, 0) as total
     from ledger_accounts a
     left join (select org_id, account_kind, sum(amount) as total from ledger_postings
                where (?::text is null or org_id = ?) group by org_id, account_kind) s
       on s.org_id = a.org_id and s.account_kind = a.kind
     where (?::text is null or a.org_id = ?) and a.balance <> coalesce(s.total, 0)`,
    [orgId ?? null, orgId ?? null, orgId ?? null, orgId ?? null],
  )) as Row[];
  return rows.map((r) => ({
    orgId: String(r.org_id),
    account: String(r.kind),
    runningTotal: num(r.balance),
    sumOfPostings: num(r.total),
  }));
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export class LedgerService {
  private readonly em: EntityManager;

  constructor(em: EntityManager) {
    this.em = em;
  }

  async balance(orgId: string): Promise<BalanceView> {
    const micros = await accountBalance(this.em, orgId, 'prepaid');
    return { orgId, availableMicros: micros, availableCents: balanceCents(micros), currency: 'usd' };
  }

  /** The prepaid account's most recent transactions with their cause, newest first. */
  async recent(orgId: string, limit: number | null | undefined): Promise<LedgerEntryView[]> {
    const size = Math.min(Math.max(limit ?? 10, 1), 100);
    const rows = (await this.em.execute(
      `select t.id, t.kind, t.description, t.cause_type, t.cause_id, t.created_at, p.amount
       from ledger_postings p join ledger_transactions t on t.id = p.transaction_id
       where p.org_id = ? and p.account_kind = 'prepaid'
       order by p.id desc limit ?`,
      [orgId, size],
    )) as Row[];
    return rows.map((r) => ({
      id: String(r.id),
      kind: String(r.kind),
      amountMicros: num(r.amount),
      amountCents: Math.trunc(num(r.amount) / 10_000),
      description: (r.description as string | null) ?? null,
      cause: r.cause_type ? { type: String(r.cause_type), id: String(r.cause_id) } : null,
      createdAt: new Date(r.created_at as string),
    }));
  }

  /**
   * A platform administrator's manual correction of an organization's prepaid balance, audited
   * (`billing.adjustment_posted` names the administrator). `idempotencyKey` makes a retry post once.
   */
  async adjust(
    principal: Principal,
    orgId: string,
    input: { amountMicros: number; reason: string; idempotencyKey: string },
    requestId?: string,
  ): Promise<LedgerEntryView> {
    requirePlatformAdmin(principal);
    if (!Number.isSafeInteger(input.amountMicros) || input.amountMicros === 0)
      throw invalidField('input.amountMicros', 'amountMicros must be a non-zero integer');
    const reason = input.reason.trim();
    if (reason.length < 3 || reason.length > 500)
      throw invalidField('input.reason', 'reason must be 3 to 500 characters');
    if (!IDEMPOTENCY_KEY.test(input.idempotencyKey))
      throw invalidField('input.idempotencyKey', 'idempotencyKey must be 1 to 200 printable ASCII characters');
    const key = `adjustment:${orgId}:${input.idempotencyKey}`;
    const posted = await this.em.fork().transactional(async (tx) => {
      const result = await post(tx, {
        orgId,
        idempotencyKey: key,
        kind: 'adjustment',
        description: reason,
        cause: { type: 'manual_adjustment', id: input.idempotencyKey },
        actor: principal,
        requestId,
        legs: [
          { account: 'prepaid', amount: input.amountMicros },
          { account: 'adjustments', amount: -input.amountMicros },
        ],
      });
      if (!result.duplicate)
        recordEvent(tx, {
          orgId,
          type: 'billing.adjustment_posted',
          subject: { type: 'ledger_transaction', id: result.transactionId },
          actor: principal,
          requestId,
          data: {
            amountMicros: input.amountMicros,
            reason,
            balanceMicros: result.balances.prepaid ?? null,
            message: `Manual balance adjustment of ${(input.amountMicros / 1e6).toFixed(2)} USD: ${reason}`,
          },
        });
      return result;
    });
    const rows = (await this.em.execute(
      `select t.id, t.kind, t.description, t.cause_type, t.cause_id, t.created_at, p.amount, t.org_id
       from ledger_transactions t join ledger_postings p on p.transaction_id = t.id and p.account_kind = 'prepaid'
       where t.id = ?`,
      [posted.transactionId],
    )) as Row[];
    const r = rows[0];
    if (!r || r.org_id !== orgId) throw new TrellisError('conflict', 'idempotencyKey was used for another adjustment');
    return {
      id: String(r.id),
      kind: String(r.kind),
      amountMicros: num(r.amount),
      amountCents: Math.trunc(num(r.amount) / 10_000),
      description: (r.description as string | null) ?? null,
      cause: r.cause_type ? { type: String(r.cause_type), id: String(r.cause_id) } : null,
      createdAt: new Date(r.created_at as string),
    };
  }
}
