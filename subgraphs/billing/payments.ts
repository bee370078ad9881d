/**
 * Stripe payments (seed 003 and 004): saved cards through SetupIntents, deposits and credit packages
 * as PaymentIntents, and the webhook — the authoritative money signal. A PaymentIntent's response
 * never credits anything: `payment_intent.succeeded` does, exactly once per PaymentIntent, whatever
 * the order, concurrency or repetition of deliveries (docs/billing.md#stripe).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidField, notFound, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import type { Logger } from '../../kernel/logger.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import type { Principal } from '../../kernel/principal.ts';
import { packageOf } from './catalog.ts';
import { post } from './ledger.ts';
import { centsToMicros, depositAmount } from './money.ts';
import { syncSubscription } from './plans.ts';
import {
  callStripe,
  ensureCustomer,
  failedPaymentIntentId,
  isCardError,
  requireStripe,
  type StripeSettings,
  stripeFailure,
  stripeSdk,
} from './stripe.ts';
import { settleClaim, type TopupClaim } from './topups.ts';

type Row = Record<string, unknown>;
type Purpose = 'deposit' | 'auto_recharge' | 'credit_package' | 'credit_auto_topup';

const CLIENT_KEY = /^[\x21-\x7e]{1,200}$/;
/** Stripe's tolerance for a signature's timestamp. */
const WEBHOOK_TOLERANCE_SECONDS = 300;
const MAX_WEBHOOK_BYTES = 512 * 1024;
const PAYMENT_METHOD_ID = /^[A-Za-z0-9_]{1,100}$/;

export interface PaymentMethodView {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  isDefault: boolean;
}

/** The fields of Stripe objects the webhook reads (the payload is verified, but still read defensively). */
interface PaymentIntentLike {
  id: string;
  amount: number;
  amount_received?: number;
  status?: string;
  customer?: string | null;
  metadata?: Record<string, string>;
  last_payment_error?: { message?: string; code?: string; decline_code?: string } | null;
}

export class PaymentService {
  private readonly em: EntityManager;
  private readonly stripe: StripeSettings | null;
  private readonly webhookSecret: string | null;
  private readonly log: Logger;

  constructor(em: EntityManager, stripe: StripeSettings | null, webhookSecret: string | null, log: Logger) {
    this.em = em;
    this.stripe = stripe;
    this.webhookSecret = webhookSecret;
    this.log = log;
  }

  async createSetupIntent(orgId: string) {
    const stripe = requireStripe(this.stripe);
    const customer = await ensureCustomer(this.em, stripe, orgId);
    const intent = await callStripe(() =>
      stripe.client.setupIntents.create({
        customer,
        usage: 'off_session',
        allowed_payment_method_types: ['card'],
        metadata: { orgId },
      }),
    );
    return {
      setupIntentId: intent.id,
      clientSecret: intent.client_secret ?? '',
      publishableKey: stripe.publishableKey,
    };
  }

  private async customerRow(orgId: string): Promise<Row | undefined> {
    const rows = (await this.em.execute('select * from stripe_customers where org_id = ?', [orgId])) as Row[];
    return rows[0];
  }

  /** Saved cards: brand, last four digits and expiry only. */
  async paymentMethods(orgId: string): Promise<PaymentMethodView[]> {
    const stripe = requireStripe(this.stripe);
    const row = await this.customerRow(orgId);
    if (!row) return [];
    const list = await callStripe(() =>
      stripe.client.paymentMethods.list({ customer: String(row.customer_id), type: 'card', limit: 100 }),
    );
    const preferred = (row.default_payment_method_id as string | null) ?? null;
    const cards = list.data.filter((pm) => pm.card);
    const defaultId = cards.some((pm) => pm.id === preferred) ? preferred : (cards[0]?.id ?? null);
    return cards.map((pm) => ({
      id: pm.id,
      brand: pm.card?.brand ?? 'unknown',
      last4: pm.card?.last4 ?? '',
      expMonth: pm.card?.exp_month ?? 0,
      expYear: pm.card?.exp_year ?? 0,
      isDefault: pm.id === defaultId,
    }));
  }

  async removePaymentMethod(orgId: string, paymentMethodId: string): Promise<boolean> {
    const stripe = requireStripe(this.stripe);
    if (!PAYMENT_METHOD_ID.test(paymentMethodId)) throw notFound('Payment method');
    const row = await this.customerRow(orgId);
    if (!row) throw notFound('Payment method');
    const method = await callStripe(() => stripe.client.paymentMethods.retrieve(paymentMethodId)).catch((error) => {
      if (error instanceof TrellisError && error.code === 'not_found') throw notFound('Payment method');
      throw error;
    });
    // Another organization's card is not found, exactly like one that does not exist.
    if (method.customer !== row.customer_id) throw notFound('Payment method');
    await callStripe(() => stripe.client.paymentMethods.detach(paymentMethodId));
    await this.em.execute(
      'update stripe_customers set default_payment_method_id = null where org_id = ? and default_payment_method_id = ?',
      [orgId, paymentMethodId],
    );
    return true;
  }

  private async defaultCard(orgId: string): Promise<{ customer: string; paymentMethod: string }> {
    const cards = await this.paymentMethods(orgId);
    const card = cards.find((c) => c.isDefault);
    const row = await this.customerRow(orgId);
    if (!card || !row)
      throw new TrellisError('conflict', 'No saved card: save one with a setup intent first', {
        details: { reason: 'no_payment_method' },
      });
    return { customer: String(row.customer_id), paymentMethod: card.id };
  }

  /**
   * Charges the default card off-session. `idempotencyKey` (the client's, or a fresh one) is
   * Stripe's idempotency key, scoped to the organization: retries of one logical deposit are one
   * charge. The balance rises when `payment_intent.succeeded` arrives, not here.
   */
  async deposit(
    principal: Principal,
    orgId: string,
    input: { amountCents: number; idempotencyKey?: string | null },
    requestId?: string,
  ) {
    const amount = depositAmount(input.amountCents, 'input.amountCents');
    if (input.idempotencyKey != null && !CLIENT_KEY.test(input.idempotencyKey))
      throw invalidField('input.idempotencyKey', 'idempotencyKey must be 1 to 200 printable ASCII characters');
    const key = input.idempotencyKey ?? newId('dep');
    const intent = await this.charge(
      orgId,
      { purpose: 'deposit', amountCents: amount, credits: null, stripeKey: `trellis:deposit:${orgId}:${key}` },
      principal,
      requestId,
    );
    return {
      paymentIntentId: intent.id,
      status: intent.status ?? 'processing',
      amountCents: amount,
      idempotencyKey: key,
      requiresAction: intent.status === 'requires_action',
      clientSecret:
        intent.status === 'requires_action' ? ((intent as { client_secret?: string }).client_secret ?? null) : null,
    };
  }

  /** A PaymentIntent for one credit package, confirmed in the browser (client secret + publishable key). */
  async createCreditPaymentIntent(orgId: string, input: { packageSlug: string; idempotencyKey?: string | null }) {
    const stripe = requireStripe(this.stripe);
    const pkg = packageOf(input.packageSlug, 'input.packageSlug');
    if (input.idempotencyKey != null && !CLIENT_KEY.test(input.idempotencyKey))
      throw invalidField('input.idempotencyKey', 'idempotencyKey must be 1 to 200 printable ASCII characters');
    const customer = await ensureCustomer(this.em, stripe, orgId);
    const key = input.idempotencyKey ?? newId('cpi');
    const credits = pkg.credits + pkg.bonusCredits;
    const intent = await callStripe(() =>
      stripe.client.paymentIntents.create(
        {
          amount: pkg.priceCents,
          currency: 'usd',
          customer,
          automatic_payment_methods: { enabled: true },
          description: `${pkg.name} credit package (${credits} credits)`,
          metadata: { orgId, purpose: 'credit_package', packageSlug: pkg.slug, credits: String(credits) },
        },
        { idempotencyKey: `trellis:credits:${orgId}:${key}` },
      ),
    );
    await this.recordPayment(intent.id, orgId, 'credit_package', pkg.priceCents, credits, intent.status ?? 'created');
    return {
      paymentIntentId: intent.id,
      clientSecret: intent.client_secret ?? '',
      publishableKey: stripe.publishableKey,
      amountCents: pkg.priceCents,
      credits,
      packageSlug: pkg.slug,
      idempotencyKey: key,
    };
  }

  /** An off-session charge of the org's default card; a decline is recorded, announced and answered 402. */
  private async charge(
    orgId: string,
    what: { purpose: Purpose; amountCents: number; credits: number | null; stripeKey: string; claimId?: string },
    principal?: Principal,
    requestId?: string,
  ) {
    const stripe = requireStripe(this.stripe);
    await ensureCustomer(this.em, stripe, orgId);
    const card = await this.defaultCard(orgId);
    const metadata: Record<string, string> = { orgId, purpose: what.purpose };
    if (what.credits !== null) metadata.credits = String(what.credits);
    if (what.claimId) metadata.topupClaimId = what.claimId;
    try {
      const intent = await stripe.client.paymentIntents.create(
        {
          amount: what.amountCents,
          currency: 'usd',
          customer: card.customer,
          payment_method: card.paymentMethod,
          off_session: true,
          confirm: true,
          description: `Trellis ${what.purpose.replace('_', ' ')}`,
          metadata,
        },
        { idempotencyKey: what.stripeKey },
      );
      await this.recordPayment(intent.id, orgId, what.purpose, what.amountCents, what.credits, intent.status);
      return intent;
    } catch (error) {
      if (!isCardError(error)) throw stripeFailure(error);
      const failure = stripeFailure(error);
      const intentId = failedPaymentIntentId(error);
      await this.em.fork().transactional(async (tx) => {
        if (intentId)
          await this.recordPayment(
            intentId,
            orgId,
            what.purpose,
            what.amountCents,
            what.credits,
            'failed',
            failure.message,
            tx,
          );
        recordEvent(tx, {
          orgId,
          type: 'billing.payment_failed',
          subject: { type: 'payment_intent', id: intentId ?? what.stripeKey },
          actor: principal,
          requestId,
          data: {
            purpose: what.purpose,
            amountCents: what.amountCents,
            reason: failure.message,
            declineCode: (failure.extensions.details as Record<string, unknown> | undefined)?.declineCode ?? null,
            message: `A ${what.purpose.replace('_', ' ')} charge of ${(what.amountCents / 100).toFixed(2)} USD was declined: ${failure.message}`,
          },
        });
        if (what.claimId)
          await settleClaim(tx, what.claimId, { ok: false, reason: failure.message, paymentIntentId: intentId });
      });
      throw failure;
    }
  }

  /** The runner's charge of a claimed automatic top-up (topups.ts). */
  chargeClaim = async (claim: TopupClaim): Promise<void> => {
    if (!this.stripe) {
      await this.em
        .fork()
        .transactional((tx) =>
          settleClaim(tx, claim.claimId, { ok: false, reason: 'payments are not configured (STRIPE_SECRET_KEY)' }),
        );
      return;
    }
    const credits =
      claim.target === 'credits' && claim.packageSlug
        ? (() => {
            const pkg = packageOf(claim.packageSlug, 'packageSlug');
            return pkg.credits + pkg.bonusCredits;
          })()
        : null;
    try {
      await this.charge(claim.orgId, {
        purpose: claim.target === 'prepaid' ? 'auto_recharge' : 'credit_auto_topup',
        amountCents: claim.amountCents,
        credits,
        stripeKey: `trellis:topup:${claim.claimId}`,
        claimId: claim.claimId,
      });
    } catch (error) {
      // A decline was settled by `charge`; a missing card fails the claim here; an outage leaves it for the next attempt.
      if (error instanceof TrellisError && error.code === 'conflict')
        await this.em
          .fork()
          .transactional((tx) => settleClaim(tx, claim.claimId, { ok: false, reason: 'no saved card' }));
      else if (!(error instanceof TrellisError && error.code === 'payment_failed')) throw error;
    }
  };

  private async recordPayment(
    paymentIntentId: string,
    orgId: string,
    purpose: Purpose,
    amountCents: number,
    credits: number | null,
    status: string,
    failureReason: string | null = null,
    em: EntityManager = this.em,
  ) {
    await em.execute(
      `insert into stripe_payments (payment_intent_id, org_id, purpose, amount_cents, credits, status, failure_reason)
       values (?, ?, ?, ?, ?, ?, ?)
       on conflict (payment_intent_id) do update set
         status = case when stripe_payments.status = 'succeeded' then stripe_payments.status else excluded.status end,
         failure_reason = coalesce(excluded.failure_reason, stripe_payments.failure_reason), updated_at = now()`,
      [paymentIntentId, orgId, purpose, amountCents, credits, status, failureReason],
    );
  }

  // ------------------------------------------------------------------------------------------
  // the webhook
  // ------------------------------------------------------------------------------------------

  /**
   * Verifies a delivery (signature over the raw body, 300 s tolerance), then processes each event id
   * once: the id is inserted into `stripe_events` in the same transaction as its effects, so a
   * concurrent or later duplicate waits on that row and then does nothing.
   */
  async receiveWebhook(payload: string, signature: string) {
    if (!this.webhookSecret)
      throw new TrellisError('webhook_signature_invalid', 'Webhooks are not configured (STRIPE_WEBHOOK_SECRET)');
    if (payload.length > MAX_WEBHOOK_BYTES)
      throw new TrellisError('payload_too_large', 'The webhook body is too large');
    let event: { id: string; type: string; data: { object: Record<string, unknown> } };
    try {
      event = stripeSdk().webhooks.constructEvent(
        payload,
        signature,
        this.webhookSecret,
        WEBHOOK_TOLERANCE_SECONDS,
      ) as never;
    } catch {
      throw new TrellisError('webhook_signature_invalid');
    }
    if (typeof event?.id !== 'string' || typeof event.type !== 'string' || !event.data?.object)
      throw new TrellisError('invalid_request', 'The webhook body is not a Stripe event');
    const processed = await this.em.fork().transactional(async (tx) => {
      const fresh = (await tx.execute(
        'insert into stripe_events (id, type) values (?, ?) on conflict (id) do nothing returning id',
        [event.id, event.type],
      )) as Row[];
      if (fresh.length === 0) return false;
      const orgId = await this.dispatch(tx, event);
      if (orgId) await tx.execute('update stripe_events set org_id = ? where id = ?', [orgId, event.id]);
      return true;
    });
    return { received: true, eventId: event.id, duplicate: !processed };
  }

  /** Applies one event; returns the organization it concerned (null when ignored). */
  private async dispatch(
    tx: EntityManager,
    event: { id: string; type: string; data: { object: Record<string, unknown> } },
  ) {
    const object = event.data.object;
    switch (event.type) {
      case 'payment_intent.succeeded':
        return this.paymentSucceeded(tx, event.id, object as unknown as PaymentIntentLike);
      case 'payment_intent.payment_failed':
        return this.paymentFailed(tx, object as unknown as PaymentIntentLike);
      case 'charge.refunded':
        return this.chargeRefunded(tx, event.id, object);
      case 'charge.dispute.created':
      case 'charge.dispute.closed':
        return this.dispute(tx, event.id, event.type, object);
      case 'setup_intent.succeeded':
        return this.setupSucceeded(tx, object);
      case 'checkout.session.completed':
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
        return syncSubscription(tx, event.type, object);
      default:
        this.log.debug({ type: event.type }, 'billing: Stripe event ignored');
        return null;
    }
  }

  private async paymentSucceeded(tx: EntityManager, eventId: string, pi: PaymentIntentLike): Promise<string | null> {
    const orgId = pi.metadata?.orgId;
    const purpose = pi.metadata?.purpose as Purpose | undefined;
    if (!orgId || !purpose) return null; // not one of ours
    const cents = pi.amount_received ?? pi.amount;
    if (!Number.isSafeInteger(cents) || cents <= 0) return orgId;
    const micros = centsToMicros(cents);
    const cause = { type: 'stripe_payment_intent', id: pi.id };
    if (purpose === 'deposit' || purpose === 'auto_recharge') {
      await post(tx, {
        orgId,
        idempotencyKey: `stripe:pi:${pi.id}`,
        kind: 'deposit',
        description: purpose === 'deposit' ? 'Deposit' : 'Auto-recharge',
        cause,
        legs: [
          { account: 'prepaid', amount: micros },
          { account: 'stripe_clearing', amount: -micros },
        ],
      });
    } else {
      const credits = Number(pi.metadata?.credits);
      if (!Number.isSafeInteger(credits) || credits <= 0) return orgId;
      await post(tx, {
        orgId,
        idempotencyKey: `stripe:pi:${pi.id}`,
        kind: 'credit_purchase',
        description: `${credits} credits`,
        cause,
        legs: [
          { account: 'credits', amount: credits },
          { account: 'credits_issued', amount: -credits },
          { account: 'revenue', amount: micros },
          { account: 'stripe_clearing', amount: -micros },
        ],
      });
    }
    await this.recordPayment(pi.id, orgId, purpose, cents, null, 'succeeded', null, tx);
    await tx.execute(
      "update stripe_payments set status = 'succeeded', updated_at = now() where payment_intent_id = ?",
      [pi.id],
    );
    if (pi.metadata?.topupClaimId) await settleClaim(tx, pi.metadata.topupClaimId, { ok: true });
    recordEvent(tx, {
      orgId,
      type: 'billing.payment_succeeded',
      subject: { type: 'payment_intent', id: pi.id },
      data: {
        purpose,
        amountCents: cents,
        stripeEventId: eventId,
        message: `Payment of ${(cents / 100).toFixed(2)} USD received`,
      },
    });
    return orgId;
  }

  private async paymentFailed(tx: EntityManager, pi: PaymentIntentLike): Promise<string | null> {
    const orgId = pi.metadata?.orgId;
    const purpose = pi.metadata?.purpose as Purpose | undefined;
    if (!orgId || !purpose) return null;
    const reason = pi.last_payment_error?.message ?? 'The payment failed';
    const rows = (await tx.execute(
      `update stripe_payments set status = 'failed', failure_reason = ?, updated_at = now()
       where payment_intent_id = ? and status <> 'failed' and status <> 'succeeded' returning 1`,
      [reason, pi.id],
    )) as Row[];
    const known = (await tx.execute('select 1 from stripe_payments where payment_intent_id = ?', [pi.id])) as Row[];
    if (rows.length > 0 || known.length === 0) {
      if (known.length === 0) await this.recordPayment(pi.id, orgId, purpose, pi.amount, null, 'failed', reason, tx);
      recordEvent(tx, {
        orgId,
        type: 'billing.payment_failed',
        subject: { type: 'payment_intent', id: pi.id },
        data: {
          purpose,
          amountCents: pi.amount,
          reason,
          declineCode: pi.last_payment_error?.decline_code ?? pi.last_payment_error?.code ?? null,
          message: `A ${purpose.replace('_', ' ')} charge of ${(pi.amount / 100).toFixed(2)} USD failed: ${reason}`,
        },
      });
    }
    if (pi.metadata?.topupClaimId)
      await settleClaim(tx, pi.metadata.topupClaimId, { ok: false, reason, paymentIntentId: pi.id });
    return orgId;
  }

  /** The payment a charge or dispute belongs to, locked (our record, else the charge's copied metadata). */
  private async paymentOf(tx: EntityManager, paymentIntentId: unknown, metadata: unknown) {
    if (typeof paymentIntentId !== 'string') return null;
    const rows = (await tx.execute(
      'select org_id, purpose, refunded_cents, disputed_cents from stripe_payments where payment_intent_id = ? for update',
      [paymentIntentId],
    )) as Row[];
    if (rows[0])
      return {
        orgId: String(rows[0].org_id),
        purpose: String(rows[0].purpose) as Purpose,
        refundedCents: Number(rows[0].refunded_cents),
      };
    const meta = (metadata ?? {}) as Record<string, string>;
    if (!meta.orgId || !meta.purpose) return null;
    return { orgId: meta.orgId, purpose: meta.purpose as Purpose, refundedCents: 0, unknown: true };
  }

  /** `charge.refunded` carries the cumulative refunded amount: the difference with what was reversed so far is posted. */
  private async chargeRefunded(tx: EntityManager, eventId: string, charge: Record<string, unknown>) {
    const payment = await this.paymentOf(tx, charge.payment_intent, charge.metadata);
    if (!payment) return null;
    const total = Number(charge.amount_refunded);
    const delta = total - payment.refundedCents;
    if (!Number.isSafeInteger(delta) || delta <= 0) return payment.orgId;
    const micros = centsToMicros(delta);
    const money = payment.purpose === 'deposit' || payment.purpose === 'auto_recharge' ? 'prepaid' : 'revenue';
    await post(tx, {
      orgId: payment.orgId,
      idempotencyKey: `stripe:charge:${String(charge.id)}:refunded:${total}`,
      kind: 'refund',
      description: `Refund of ${(delta / 100).toFixed(2)} USD`,
      cause: { type: 'stripe_event', id: eventId },
      legs: [
        { account: money, amount: -micros },
        { account: 'stripe_clearing', amount: micros },
      ],
    });
    if ('unknown' in payment)
      await this.recordPayment(
        String(charge.payment_intent),
        payment.orgId,
        payment.purpose,
        Number(charge.amount),
        null,
        'succeeded',
        null,
        tx,
      );
    await tx.execute('update stripe_payments set refunded_cents = ?, updated_at = now() where payment_intent_id = ?', [
      total,
      charge.payment_intent,
    ]);
    return payment.orgId;
  }

  /** A dispute takes the money back when opened; a dispute won gives it back. */
  private async dispute(tx: EntityManager, eventId: string, type: string, dispute: Record<string, unknown>) {
    const payment = await this.paymentOf(tx, dispute.payment_intent, dispute.metadata);
    if (!payment) return null;
    const cents = Number(dispute.amount);
    if (!Number.isSafeInteger(cents) || cents <= 0) return payment.orgId;
    const won = type === 'charge.dispute.closed';
    if (won && dispute.status !== 'won') return payment.orgId;
    const micros = centsToMicros(cents);
    const money = payment.purpose === 'deposit' || payment.purpose === 'auto_recharge' ? 'prepaid' : 'revenue';
    await post(tx, {
      orgId: payment.orgId,
      idempotencyKey: `stripe:dispute:${String(dispute.id)}${won ? ':won' : ''}`,
      kind: won ? 'dispute_won' : 'dispute',
      description: won ? 'Dispute won: funds returned' : 'Payment disputed: funds withdrawn',
      cause: { type: 'stripe_event', id: eventId },
      legs: [
        { account: money, amount: won ? micros : -micros },
        { account: 'stripe_clearing', amount: won ? -micros : micros },
      ],
    });
    await tx.execute(
      'update stripe_payments set disputed_cents = disputed_cents + ?, updated_at = now() where payment_intent_id = ?',
      [won ? -cents : cents, dispute.payment_intent],
    );
    return payment.orgId;
  }

  /** A card saved through a SetupIntent becomes the default when the organization has none. */
  private async setupSucceeded(tx: EntityManager, intent: Record<string, unknown>) {
    if (typeof intent.customer !== 'string' || typeof intent.payment_method !== 'string') return null;
    const rows = (await tx.execute(
      `update stripe_customers set default_payment_method_id = coalesce(default_payment_method_id, ?)
       where customer_id = ? returning org_id`,
      [intent.payment_method, intent.customer],
    )) as Row[];
    return rows[0] ? String(rows[0].org_id) : null;
  }
}
