/**
 * The Stripe client, built once per process from the validated configuration, and the one mapping
 * of Stripe's failures onto registry codes. Without `STRIPE_SECRET_KEY` there is no client and every
 * operation that needs one answers 503 `billing_not_configured`. `STRIPE_API_BASE` points the client
 * elsewhere (tests start a local server that speaks Stripe's API; self-hosted proxies).
 */
import { createRequire } from 'node:module';
import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import type { Config } from '../../kernel/config.ts';
import { TrellisError } from '../../kernel/errors.ts';

const require = createRequire(import.meta.url);
/**
 * The Stripe SDK, loaded when first needed (a configured client, a webhook to verify) rather than at
 * start: most deployments without STRIPE_SECRET_KEY never load it (~0.1 s of CPU, ~10 MiB).
 */
export const stripeSdk = (): typeof Stripe => require('stripe') as typeof Stripe;

export interface StripeSettings {
  client: Stripe;
  publishableKey: string | null;
  planPrices: Record<string, string>;
  returnUrl: string;
}

export function createStripeSettings(config: Config['billing']): StripeSettings | null {
  const stripe = config.stripe;
  if (!stripe) return null;
  const base = stripe.apiBase ? new URL(stripe.apiBase) : null;
  const Sdk = stripeSdk();
  const client = new Sdk(stripe.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    // Nothing leaves the machine unless configured: no latency telemetry to Stripe.
    telemetry: false,
    ...(base
      ? {
          protocol: base.protocol === 'http:' ? 'http' : 'https',
          host: base.hostname,
          port: base.port || (base.protocol === 'http:' ? 80 : 443),
        }
      : {}),
  });
  return { client, publishableKey: stripe.publishableKey, planPrices: config.planPrices, returnUrl: config.returnUrl };
}

export function requireStripe(settings: StripeSettings | null): StripeSettings {
  if (!settings)
    throw new TrellisError('billing_not_configured', 'Payments are not configured on this server (STRIPE_SECRET_KEY)');
  return settings;
}

interface StripeErrorLike {
  type?: string;
  code?: string;
  decline_code?: string;
  message?: string;
  statusCode?: number;
  raw?: { payment_intent?: { id?: string } };
}

/** The PaymentIntent a declined charge left behind, when Stripe reports one. */
export const failedPaymentIntentId = (error: unknown): string | null =>
  (error as StripeErrorLike)?.raw?.payment_intent?.id ?? null;

export const isCardError = (error: unknown): boolean => (error as StripeErrorLike)?.type === 'StripeCardError';

/** Stripe's failures in registry terms: declines are 402, idempotency misuse 409, outages 503. */
export function stripeFailure(error: unknown): TrellisError {
  const e = (error ?? {}) as StripeErrorLike;
  switch (e.type) {
    case 'StripeCardError':
      return new TrellisError('payment_failed', e.message ?? 'The card was declined', {
        details: { declineCode: e.decline_code ?? e.code ?? null },
      });
    case 'StripeIdempotencyError':
      return new TrellisError('idempotency_conflict', 'This idempotencyKey was used with another request');
    case 'StripeInvalidRequestError':
      if (e.statusCode === 404) return new TrellisError('not_found', 'The payment object does not exist');
      return new TrellisError('conflict', e.message ?? 'Stripe refused the request');
    case 'StripeConnectionError':
    case 'StripeAPIError':
    case 'StripeRateLimitError':
      return new TrellisError('service_unavailable', 'Stripe is not reachable; retry later', { retryAfter: 5 });
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return new TrellisError('billing_not_configured', 'Stripe refused the configured credentials');
    default:
      return new TrellisError('internal', undefined, { cause: error });
  }
}

/** Runs a Stripe call, translating its failures. */
export async function callStripe<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw stripeFailure(error);
  }
}

type Row = Record<string, unknown>;

/**
 * The organization's Stripe customer, created once: concurrent first calls send the same Stripe
 * idempotency key (one customer) and the first row wins.
 */
export async function ensureCustomer(em: EntityManager, stripe: StripeSettings, orgId: string): Promise<string> {
  const existing = (await em.execute('select customer_id from stripe_customers where org_id = ?', [orgId])) as Row[];
  if (existing[0]) return String(existing[0].customer_id);
  const customer = await callStripe(() =>
    stripe.client.customers.create(
      { metadata: { orgId }, description: `Trellis organization ${orgId}` },
      { idempotencyKey: `trellis:customer:${orgId}` },
    ),
  );
  await em.execute('insert into stripe_customers (org_id, customer_id) values (?, ?) on conflict (org_id) do nothing', [
    orgId,
    customer.id,
  ]);
  const rows = (await em.execute('select customer_id from stripe_customers where org_id = ?', [orgId])) as Row[];
  return String(rows[0]?.customer_id);
}
