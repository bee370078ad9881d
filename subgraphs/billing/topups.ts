/**
 * Automatic top-ups (docs/billing.md#automatic-top-ups): auto-recharge of the prepaid balance
 * (seed 003) and credit auto top-up (seed 004), one mechanism for both.
 *
 * A debit that leaves the balance below the threshold **claims** a top-up in its own transaction:
 * one `UPDATE … WHERE in_flight_id IS NULL` under the settings row's lock, so however many debits
 * cross the threshold at once, on however many replicas, one claim wins. The claim commits with the
 * debit; the runner (a worker) then charges the saved card off-session with the claim id as Stripe's
 * idempotency key (a retry after a crash is the same charge). The `payment_intent.succeeded` webhook
 * credits the ledger and releases the claim; a failure releases it with its reason, emits
 * `billing.auto_recharge_failed`, and the next drop below the threshold tries again once
 * `TRELLIS_BILLING_AUTO_TOPUP_COOLDOWN_SECONDS` have passed.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidField } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import type { Logger } from '../../kernel/logger.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import type { Worker } from '../../kernel/subgraph.ts';
import { CREDIT_PACKAGES, packageOf } from './catalog.ts';
import { centsToMicros, depositAmount } from './money.ts';
import { requireStripe, type StripeSettings } from './stripe.ts';

export type TopupTarget = 'prepaid' | 'credits';

type Row = Record<string, unknown>;

export interface AutoRechargeView {
  orgId: string;
  enabled: boolean;
  thresholdCents: number;
  amountCents: number;
  inFlight: boolean;
  lastSucceededAt: Date | null;
  lastFailedAt: Date | null;
  lastFailureReason: string | null;
}

export interface CreditAutoTopupView {
  orgId: string;
  enabled: boolean;
  thresholdCredits: number;
  packageSlug: string | null;
  maxMonthlyTopups: number | null;
  topupsThisMonth: number;
  inFlight: boolean;
  lastSucceededAt: Date | null;
  lastFailedAt: Date | null;
  lastFailureReason: string | null;
  packages: typeof CREDIT_PACKAGES;
}

const dateOrNull = (value: unknown): Date | null => (value ? new Date(value as string) : null);
const monthKey = (at = new Date()) => at.toISOString().slice(0, 7);

/** A claimed top-up the runner must charge. */
export interface TopupClaim {
  claimId: string;
  orgId: string;
  target: TopupTarget;
  amountCents: number;
  packageSlug: string | null;
}

/** Charges one claim (payments.ts): resolves when Stripe accepted or refused the charge. */
export type ChargeClaim = (claim: TopupClaim) => Promise<void>;

export class TopupService {
  private readonly em: EntityManager;
  private readonly stripe: StripeSettings | null;
  private readonly cooldownSeconds: number;

  constructor(em: EntityManager, stripe: StripeSettings | null, cooldownSeconds: number) {
    this.em = em;
    this.stripe = stripe;
    this.cooldownSeconds = cooldownSeconds;
  }

  private async row(orgId: string, target: TopupTarget): Promise<Row | undefined> {
    const rows = (await this.em.execute('select * from auto_topups where org_id = ? and target = ?', [
      orgId,
      target,
    ])) as Row[];
    return rows[0];
  }

  async autoRecharge(orgId: string): Promise<AutoRechargeView> {
    const r = await this.row(orgId, 'prepaid');
    return {
      orgId,
      enabled: r ? Boolean(r.enabled) : false,
      thresholdCents: r ? Math.round(Number(r.threshold) / 10_000) : 0,
      amountCents: r ? Number(r.amount_cents) : 0,
      inFlight: !!r?.in_flight_id,
      lastSucceededAt: dateOrNull(r?.last_succeeded_at),
      lastFailedAt: dateOrNull(r?.last_failed_at),
      lastFailureReason: (r?.last_failure_reason as string | null) ?? null,
    };
  }

  async creditAutoTopup(orgId: string): Promise<CreditAutoTopupView> {
    const r = await this.row(orgId, 'credits');
    return {
      orgId,
      enabled: r ? Boolean(r.enabled) : false,
      thresholdCredits: r ? Number(r.threshold) : 0,
      packageSlug: (r?.package_slug as string | null) ?? null,
      maxMonthlyTopups: r?.max_monthly == null ? null : Number(r.max_monthly),
      topupsThisMonth: r && r.month_key === monthKey() ? Number(r.month_count) : 0,
      inFlight: !!r?.in_flight_id,
      lastSucceededAt: dateOrNull(r?.last_succeeded_at),
      lastFailedAt: dateOrNull(r?.last_failed_at),
      lastFailureReason: (r?.last_failure_reason as string | null) ?? null,
      packages: CREDIT_PACKAGES,
    };
  }

  async setAutoRecharge(orgId: string, input: { enabled: boolean; thresholdCents: number; amountCents: number }) {
    if (!Number.isSafeInteger(input.thresholdCents) || input.thresholdCents < 0 || input.thresholdCents > 10_000_000)
      throw invalidField('input.thresholdCents', 'thresholdCents must be an integer between 0 and 10000000');
    depositAmount(input.amountCents, 'input.amountCents');
    // Turning it on needs payments; turning it off never does.
    if (input.enabled) requireStripe(this.stripe);
    await this.save(orgId, 'prepaid', {
      enabled: input.enabled,
      threshold: centsToMicros(input.thresholdCents),
      amountCents: input.amountCents,
      packageSlug: null,
      maxMonthly: null,
    });
    return this.autoRecharge(orgId);
  }

  async setCreditAutoTopup(
    orgId: string,
    input: { enabled: boolean; thresholdCredits: number; packageSlug: string; maxMonthlyTopups?: number | null },
  ) {
    if (
      !Number.isSafeInteger(input.thresholdCredits) ||
      input.thresholdCredits < 0 ||
      input.thresholdCredits > 1_000_000_000
    )
      throw invalidField('input.thresholdCredits', 'thresholdCredits must be an integer between 0 and 1000000000');
    const pkg = packageOf(input.packageSlug, 'input.packageSlug');
    const max = input.maxMonthlyTopups ?? null;
    if (max !== null && (!Number.isSafeInteger(max) || max < 1 || max > 1000))
      throw invalidField('input.maxMonthlyTopups', 'maxMonthlyTopups must be an integer between 1 and 1000');
    if (input.enabled) requireStripe(this.stripe);
    await this.save(orgId, 'credits', {
      enabled: input.enabled,
      threshold: input.thresholdCredits,
      amountCents: pkg.priceCents,
      packageSlug: pkg.slug,
      maxMonthly: max,
    });
    return this.creditAutoTopup(orgId);
  }

  /** Claims a top-up when this debit left the balance below the threshold (see `claimTopup`). */
  afterDebit(tx: EntityManager, orgId: string, target: TopupTarget, balanceAfter: number): Promise<string | null> {
    return claimTopup(tx, orgId, target, balanceAfter);
  }

  private async save(
    orgId: string,
    target: TopupTarget,
    s: {
      enabled: boolean;
      threshold: number;
      amountCents: number;
      packageSlug: string | null;
      maxMonthly: number | null;
    },
  ) {
    await this.em.execute(
      `insert into auto_topups (org_id, target, enabled, threshold, amount_cents, package_slug, max_monthly,
         cooldown_seconds)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (org_id, target) do update set enabled = excluded.enabled, threshold = excluded.threshold,
         amount_cents = excluded.amount_cents, package_slug = excluded.package_slug,
         max_monthly = excluded.max_monthly, cooldown_seconds = excluded.cooldown_seconds, updated_at = now()`,
      [orgId, target, s.enabled, s.threshold, s.amountCents, s.packageSlug, s.maxMonthly, this.cooldownSeconds],
    );
  }
}

/** How often a runner looks for claims nobody woke it for (a lost wake, a sender that died a minute ago). */
const SAFETY_POLL_MS = 10_000;

/** Runners of this process: a committed claim wakes them at once (they also poll, for safety). */
const localRunners = new Set<TopupRunner>();
/** Open transactions that made a claim: the claim is visible to a runner once its transaction commits. */
const claimsAwaitingCommit = new WeakSet<object>();
/** Event managers (one per ORM) whose commits wake the runners. */
const watchedCommits = new WeakSet<object>();

function wakeLocalRunners(): void {
  for (const runner of localRunners) void runner.wake();
}

/**
 * Wakes this process's runners after each commit of a transaction that claimed a top-up on `em`'s ORM
 * (watched from its first claim: any ORM of the process that debits, not only the runners' own).
 * A savepoint's release counts as a commit here: an early wake finds nothing and the safety poll the claim.
 */
function wakeOnClaimCommits(em: EntityManager): void {
  const events = em.getEventManager();
  if (watchedCommits.has(events)) return;
  watchedCommits.add(events);
  events.registerSubscriber({
    afterTransactionRollback: ({ transaction }) => {
      if (transaction) claimsAwaitingCommit.delete(transaction);
    },
    afterTransactionCommit: ({ transaction }) => {
      if (!transaction || !claimsAwaitingCommit.has(transaction)) return;
      claimsAwaitingCommit.delete(transaction);
      wakeLocalRunners();
    },
  });
}

/**
 * Called in a debit's transaction with the balance it left: claims a top-up when the balance is
 * below the threshold and none is in flight (and the cool-down after a failure and the monthly cap
 * allow). One statement under the settings row's lock, so one claim wins however many debits race.
 * Returns the claim id, or null.
 */
export async function claimTopup(
  tx: EntityManager,
  orgId: string,
  target: TopupTarget,
  balanceAfter: number,
): Promise<string | null> {
  const claimId = newId('atp');
  const month = monthKey();
  const rows = (await tx.execute(
    `update auto_topups set in_flight_id = ?, in_flight_since = now(), last_attempt_at = null, updated_at = now(),
       month_count = case when month_key = ? then month_count else 0 end, month_key = ?
     where org_id = ? and target = ? and enabled and in_flight_id is null and threshold > ?
       and (last_failed_at is null or last_failed_at < now() - make_interval(secs => cooldown_seconds))
       and (max_monthly is null or month_key is distinct from ? or month_count < max_monthly)
     returning org_id`,
    [claimId, month, month, orgId, target, balanceAfter, month],
  )) as Row[];
  if (rows.length === 0) return null;
  const transaction = tx.getTransactionContext() as object | undefined;
  if (!transaction) wakeLocalRunners();
  else {
    wakeOnClaimCommits(tx);
    claimsAwaitingCommit.add(transaction);
  }
  return claimId;
}

/** Releases a claim after Stripe's answer: success counts toward the monthly cap; failure is recorded and announced. */
export async function settleClaim(
  tx: EntityManager,
  claimId: string,
  outcome: { ok: true } | { ok: false; reason: string; paymentIntentId?: string | null },
): Promise<void> {
  const rows = (await tx.execute(
    outcome.ok
      ? `update auto_topups set in_flight_id = null, in_flight_since = null, last_succeeded_at = now(),
           month_count = month_count + 1, updated_at = now() where in_flight_id = ? returning org_id, target`
      : `update auto_topups set in_flight_id = null, in_flight_since = null, last_failed_at = now(),
           last_failure_reason = ?, updated_at = now() where in_flight_id = ? returning org_id, target, amount_cents`,
    outcome.ok ? [claimId] : [outcome.reason.slice(0, 500), claimId],
  )) as Row[];
  const row = rows[0];
  if (!row || outcome.ok) return;
  const target = String(row.target) as TopupTarget;
  recordEvent(tx, {
    orgId: String(row.org_id),
    type: 'billing.auto_recharge_failed',
    subject: { type: 'organization', id: String(row.org_id) },
    data: {
      target,
      claimId,
      amountCents: Number(row.amount_cents),
      reason: outcome.reason,
      paymentIntentId: outcome.paymentIntentId ?? null,
      message: `${target === 'prepaid' ? 'Auto-recharge' : 'Credit auto top-up'} of ${(Number(row.amount_cents) / 100).toFixed(2)} USD failed: ${outcome.reason}`,
    },
  });
}

/**
 * The runner: charges claims that have not been sent to Stripe yet (or whose sender died: a claim
 * whose attempt is older than a minute is sent again, with the same idempotency key). One process
 * charges a claim at a time (`FOR UPDATE SKIP LOCKED` while marking the attempt). Woken by the commit
 * of a claim in its process (claims are made where debits are, in the billing subgraph, which runs a
 * runner); its poll is a safety net for a missed wake and for claims whose sender died.
 */
export class TopupRunner implements Worker {
  readonly name = 'billing-topups';
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly em: EntityManager;
  private readonly charge: ChargeClaim;
  private readonly log: Logger;
  private readonly pollMs: number;

  constructor(em: EntityManager, charge: ChargeClaim, log: Logger, pollMs = SAFETY_POLL_MS) {
    this.em = em;
    this.charge = charge;
    this.log = log;
    this.pollMs = pollMs;
  }

  start(): this {
    localRunners.add(this);
    this.schedule(this.pollMs);
    return this;
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.wake(), ms);
    this.timer.unref();
  }

  /** Runs a pass now (or right after the current one). */
  wake = (): Promise<void> => {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.runDue();
        } while (this.again && !this.stopped);
      } catch (error) {
        this.log.warn({ err: error }, 'billing: top-up pass failed');
      } finally {
        this.running = null;
        this.schedule(this.pollMs);
      }
    })();
    return this.running;
  };

  /** Claims due for a charge attempt, marked as attempted now; then each is charged. */
  async runDue(): Promise<number> {
    // One statement, so its own transaction: no begin/commit round trips for an idle pass.
    const rows = (await this.em.fork().execute(
      `update auto_topups a set last_attempt_at = now()
       where (a.org_id, a.target) in (
         select org_id, target from auto_topups
         where in_flight_id is not null and (last_attempt_at is null or last_attempt_at < now() - interval '60 seconds')
         order by in_flight_since limit 50 for update skip locked)
       returning a.in_flight_id, a.org_id, a.target, a.amount_cents, a.package_slug`,
    )) as Row[];
    const claims = rows.map(
      (r): TopupClaim => ({
        claimId: String(r.in_flight_id),
        orgId: String(r.org_id),
        target: String(r.target) as TopupTarget,
        amountCents: Number(r.amount_cents),
        packageSlug: (r.package_slug as string | null) ?? null,
      }),
    );
    for (const claim of claims) {
      try {
        await this.charge(claim);
      } catch (error) {
        this.log.warn({ err: error, claimId: claim.claimId }, 'billing: top-up charge failed');
      }
    }
    return claims.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    localRunners.delete(this);
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
