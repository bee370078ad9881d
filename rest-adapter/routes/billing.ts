/**
 * Billing's `/v1` routes (routes.tsv rows owned by billing, seeds 001, 003, 004): balance, saved
 * cards, deposits, auto-recharge, usage, plans and subscriptions, token credits, and the Stripe
 * webhook (a handler route: the signature covers the raw body, which it forwards untouched).
 * Each route names its root field (docs/rest.md).
 */
import { isErrorCode, TrellisError } from '../../kernel/errors.ts';
import { envelope } from '../envelope.ts';
import { defineRoutes, type HandlerRoute } from '../route-table.ts';

const owner = 'billing';

const RECEIVE_WEBHOOK = /* GraphQL */ `
  mutation BillingReceiveStripeWebhook($payload: String!, $signature: String!) {
    receiveStripeWebhook(payload: $payload, signature: $signature) { received eventId duplicate }
  }
`;

/** Stripe's webhook: public, the `Stripe-Signature` over the exact bytes received is the credential. */
const stripeWebhook: HandlerRoute = {
  kind: 'handler',
  method: 'POST',
  path: '/v1/billing/webhook',
  owner,
  public: true,
  summary: 'Stripe webhook receiver (signature-verified; credits exactly once)',
  async handler(req, reply, ctx) {
    const signature = req.headers['stripe-signature'];
    if (typeof signature !== 'string' || signature.length === 0 || signature.length > 2048)
      throw new TrellisError('webhook_signature_invalid', 'The Stripe-Signature header is missing');
    const result = await ctx.execute(RECEIVE_WEBHOOK, { payload: req.rawBody ?? '', signature });
    const error = result.errors?.[0] as { message?: string; extensions?: { code?: unknown } } | undefined;
    if (error) {
      const code = error.extensions?.code;
      throw new TrellisError(isErrorCode(code) ? code : 'internal', isErrorCode(code) ? error.message : undefined);
    }
    const data = (result.data as { receiveStripeWebhook: unknown }).receiveStripeWebhook;
    return reply
      .code(200)
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(envelope({ meta: ctx.meta, status: 200, data })));
  },
};

// biome-ignore format: a table, one route a line or two
export const billingRoutes = defineRoutes([
  // ---- balance, saved cards, deposits, auto-recharge (seed 003) ------------------------------
  { method: 'GET', path: '/v1/orgs/{orgId}/billing/balance', owner, query: 'organization(id: $orgId).balance',
    select: '...BalanceFields recentEntries(limit: $limit) { ...LedgerEntryFields }', summary: 'Org balance + recent transactions' },
  { method: 'POST', path: '/v1/orgs/{orgId}/billing/setup-intent', owner, mutation: 'createSetupIntent(orgId: $orgId)',
    summary: 'Start saving a card (Stripe SetupIntent for inline Elements)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/billing/payment-methods', owner, query: 'paymentMethods(orgId: $orgId)',
    summary: 'List saved cards (brand/last4/exp only)' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}/billing/payment-methods/{paymentMethodId}', owner, status: 204,
    mutation: 'removePaymentMethod(orgId: $orgId, paymentMethodId: $paymentMethodId)', summary: 'Remove a saved card' },
  { method: 'POST', path: '/v1/orgs/{orgId}/billing/deposit', owner, body: 'input', mutation: 'deposit(orgId: $orgId, input: $input)',
    summary: 'Charge the saved card to top up prepaid balance (credited when Stripe confirms: payment_intent.succeeded)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/billing/auto-recharge', owner, query: 'autoRecharge(orgId: $orgId)',
    summary: "Read the org's auto-recharge policy" },
  { method: 'PUT', path: '/v1/orgs/{orgId}/billing/auto-recharge', owner, body: 'input',
    mutation: 'setAutoRecharge(orgId: $orgId, input: $input)', summary: "Set the org's auto-recharge policy" },
  stripeWebhook,

  // ---- usage (seeds 001, 003, 004) ------------------------------------------------------------
  { method: 'GET', path: '/v1/orgs/{orgId}/usage/current', owner, query: 'currentUsage(orgId: $orgId)',
    summary: 'Current-month usage (cents/hours + per gpuModel-tier breakdown)' },
  { method: 'GET', path: '/v1/organizations/{id}/usage', owner, query: 'usageSummary(orgId: $id, ...)',
    summary: 'Usage summary with breakdowns (query: from, to; default this calendar month)' },
  { method: 'GET', path: '/v1/organizations/{id}/usage/records', owner, paginated: true, query: 'usageRecords(orgId: $id, ...)',
    summary: 'Detailed usage records (query: from, to, source; cursor-paginated)' },
  {
    method: 'GET', path: '/v1/jobs/{id}/usage', owner,
    summary: "Job cost/usage roll-up (query: orgId, default the API key's organization)",
    // The job is compute's: asking for it too makes another organization's job a 404, like one that does not exist.
    result: (data) => ((data as { job?: unknown }).job ? data.jobUsage : null),
    operation: /* GraphQL */ `
      query BillingJobUsage($id: ID!, $orgId: ID) {
        job(id: $id) { id }
        jobUsage(jobId: $id, orgId: $orgId) { jobId records amountMicros amountCents gpuSeconds gpuHours firstAt lastAt }
      }
    `,
  },
  {
    method: 'GET', path: '/v1/orgs/{orgId}/api-keys/{id}/usage', owner, paginated: true,
    summary: 'Per-key usage log (usage records attributed to the key, cursor-paginated)',
    // The key is identity's: asking for it too makes another organization's key a 404, like one that does not exist.
    result: (data) => ((data as { apiKey?: unknown }).apiKey ? data.apiKeyUsage : null),
    operation: /* GraphQL */ `
      query BillingApiKeyUsage($orgId: ID!, $id: ID!, $limit: Int, $cursor: String) {
        apiKey(id: $id, orgId: $orgId) { id }
        apiKeyUsage(orgId: $orgId, apiKeyId: $id, limit: $limit, cursor: $cursor) {
          items {
            id usageId source resourceType resourceId quantity unit amountMicros amountCents gpuModelId tier gpuCount
            jobId workflowId apiKeyId model periodStart periodEnd recordedAt
          }
          nextCursor
        }
      }
    `,
  },

  // ---- plans and subscriptions (seed 004) -----------------------------------------------------
  { method: 'GET', path: '/v1/billing/tiers', owner, public: true, query: 'billingTiers', summary: 'List subscription tiers (public)' },
  { method: 'GET', path: '/v1/billing/pricing', owner, public: true, query: 'billingPricing',
    summary: 'Public plan pricing: tiers and credit packages' },
  { method: 'GET', path: '/v1/orgs/{orgId}/billing/subscription', owner, query: 'subscription(orgId: $orgId)',
    summary: "The org's current plan subscription (Stripe)" },
  { method: 'POST', path: '/v1/orgs/{orgId}/billing/checkout', owner, body: 'input',
    mutation: 'createCheckoutSession(orgId: $orgId, input: $input)', summary: 'Create a Stripe Checkout session for a plan purchase' },
  { method: 'POST', path: '/v1/orgs/{orgId}/billing/portal', owner, mutation: 'createPortalSession(orgId: $orgId)',
    summary: 'Create a Stripe customer-portal session' },
  { method: 'POST', path: '/v1/orgs/{orgId}/billing/change-plan', owner, body: 'input', mutation: 'changePlan(orgId: $orgId, input: $input)',
    summary: 'Upgrade or downgrade the plan (422 when usage exceeds the target tier)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/billing/validate-downgrade', owner, body: 'input',
    mutation: 'validateDowngrade(orgId: $orgId, input: $input)', summary: 'Check whether a downgrade to a tier is possible (lists violations)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/billing/plan-summary', owner, query: 'planSummary(orgId: $orgId)',
    summary: 'Plan tier, limits and current-period usage against them' },
  { method: 'POST', path: '/v1/orgs/{orgId}/billing/payment-intent', owner, body: 'input',
    aliases: { package_slug: 'packageSlug', idempotency_key: 'idempotencyKey' },
    mutation: 'createCreditPaymentIntent(orgId: $orgId, input: $input)',
    summary: 'Create a PaymentIntent for a one-time credit-package purchase (idempotency key)' },

  // ---- token credits (seed 004) ---------------------------------------------------------------
  { method: 'GET', path: '/v1/orgs/{orgId}/billing/credits/balance', owner, query: 'creditBalance(orgId: $orgId)',
    summary: 'Token-credit balance' },
  { method: 'GET', path: '/v1/orgs/{orgId}/billing/credits/transactions', owner, paginated: true, query: 'creditTransactions(...)',
    summary: 'Credit transactions (consume, purchase, bonus, grant, refund)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/billing/credits/consume', owner, body: 'input', aliases: { reference_id: 'referenceId' },
    ignoreFields: ['metadata', 'company_id'], mutation: 'consumeCredits(orgId: $orgId, input: $input)',
    summary: 'Consume credits for an action (402 when insufficient)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/billing/credits/auto-topup', owner, query: 'creditAutoTopup(orgId: $orgId)',
    summary: 'Read the credit auto top-up policy (+ available packages)' },
  { method: 'PUT', path: '/v1/orgs/{orgId}/billing/credits/auto-topup', owner, body: 'input',
    aliases: { threshold_tokens: 'thresholdCredits', package_slug: 'packageSlug', max_monthly_topups: 'maxMonthlyTopups' },
    ignoreFields: ['stripe_payment_method_id'], mutation: 'setCreditAutoTopup(orgId: $orgId, input: $input)',
    summary: 'Set the credit auto top-up policy (token threshold, package, monthly cap)' },
]);
