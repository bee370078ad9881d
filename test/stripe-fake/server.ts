/**
 * A small HTTP server that speaks Stripe's API for the endpoints Trellis uses, for tests only: the
 * real `stripe` client talks to it through `STRIPE_API_BASE` (host/port/protocol). It keeps state
 * in memory, honours `Idempotency-Key` like Stripe (same key and parameters: the first response
 * again; other parameters: 400 idempotency_error), declines cards ending in 0002, and builds the
 * webhook events Stripe would send so tests can sign and deliver them (`stripe.webhooks
 * .generateTestHeaderString`). `stripe-stateful-mock` (0.0.16, Express 4, last published years ago,
 * no SetupIntents/Checkout/portal) was evaluated and not used.
 *
 * Test controls live under `/_fake/` (not Stripe's API): confirm a SetupIntent with a card, read the
 * counters, list the events produced.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, unknown>;

/** Stripe's form encoding (`metadata[orgId]=…`, `line_items[0][price]=…`) into nested objects and arrays. */
function parseForm(text: string): Obj {
  const root: Obj = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.split(/\[|\]\[|\]/).filter((part) => part !== '');
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else {
        node[part] ??= {};
        node = node[part] as Obj;
      }
    });
  }
  const arrays = (value: unknown): unknown => {
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value as Obj).map(([k, v]) => [k, arrays(v)] as const);
    return entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))
      ? entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v)
      : Object.fromEntries(entries);
  };
  return arrays(root) as Obj;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const now = () => Math.floor(Date.now() / 1000);

class StripeHttpError extends Error {
  status: number;
  body: Obj;
  constructor(status: number, body: Obj) {
    super(String(body.message));
    this.status = status;
    this.body = body;
  }
}

const invalid = (message: string, status = 400) =>
  new StripeHttpError(status, { type: 'invalid_request_error', message });

export interface FakeStripe {
  url: string;
  secretKey: string;
  /** Every Stripe object by id. */
  objects: Map<string, Obj>;
  /** Events Stripe would have sent, oldest first. */
  events: Obj[];
  /** PaymentIntents created (each is one charge attempt). */
  paymentIntentsCreated(): number;
  /** Confirms a SetupIntent with a test card (`4242…` succeeds, `…0002` is declined on charge). */
  confirmSetupIntent(setupIntentId: string, last4?: string): { paymentMethod: Obj; event: Obj };
  eventFor(type: string, object: Obj): Obj;
  close(): Promise<void>;
}

export async function startFakeStripe(secretKey = `sk_test_${randomBytes(8).toString('hex')}`): Promise<FakeStripe> {
  const objects = new Map<string, Obj>();
  const events: Obj[] = [];
  const idempotent = new Map<string, { params: string; status: number; body: Obj }>();
  let intentsCreated = 0;

  const store = <T extends Obj>(object: T): T => {
    objects.set(String(object.id), object);
    return object;
  };
  const get = (objectId: string, type: string): Obj => {
    const found = objects.get(objectId);
    if (!found || found.object !== type)
      throw new StripeHttpError(404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such ${type}: '${objectId}'`,
      });
    return found;
  };
  const eventFor = (type: string, object: Obj): Obj => {
    const event = {
      id: id('evt'),
      object: 'event',
      type,
      api_version: '2026-10-28.endive',
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      data: { object: structuredClone(object) },
    };
    events.push(event);
    return event;
  };
  const list = (data: Obj[], url: string) => ({ object: 'list', data, has_more: false, url });

  function createPaymentIntent(params: Obj): Obj {
    const amount = Number(params.amount);
    if (!Number.isSafeInteger(amount) || amount < 50) throw invalid('Amount must be at least 50 cents');
    intentsCreated++;
    const intent: Obj = store({
      id: id('pi'),
      object: 'payment_intent',
      amount,
      amount_received: 0,
      currency: params.currency ?? 'usd',
      customer: params.customer ?? null,
      payment_method: params.payment_method ?? null,
      description: params.description ?? null,
      metadata: params.metadata ?? {},
      status: 'requires_payment_method',
      client_secret: `${id('pi')}_secret_${randomBytes(8).toString('hex')}`,
      created: now(),
      last_payment_error: null,
      latest_charge: null,
    });
    if (params.confirm !== 'true') return intent;
    const method = get(String(params.payment_method), 'payment_method');
    if (method.customer !== params.customer) throw invalid('The payment method does not belong to the customer');
    if ((method.card as Obj).last4 === '0002') {
      intent.last_payment_error = {
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
      };
      eventFor('payment_intent.payment_failed', intent);
      throw new StripeHttpError(402, {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
        payment_intent: structuredClone(intent),
      });
    }
    const charge = store({
      id: id('ch'),
      object: 'charge',
      amount,
      amount_refunded: 0,
      payment_intent: intent.id,
      metadata: intent.metadata,
      refunded: false,
    });
    intent.status = 'succeeded';
    intent.amount_received = amount;
    intent.latest_charge = charge.id;
    eventFor('payment_intent.succeeded', intent);
    return intent;
  }

  function subscriptionFor(customer: string, price: string, metadata: Obj): Obj {
    const item = { id: id('si'), object: 'subscription_item', price: { id: price, object: 'price' }, quantity: 1 };
    return store({
      id: id('sub'),
      object: 'subscription',
      customer,
      status: 'active',
      cancel_at_period_end: false,
      current_period_start: now(),
      current_period_end: now() + 30 * 86400,
      items: { object: 'list', data: [item], has_more: false },
      metadata,
    });
  }

  /** Stripe's API: method + path → handler (params are the form body or the query string). */
  function route(method: string, path: string, params: Obj): Obj {
    if (method === 'POST' && path === '/v1/customers')
      return store({ id: id('cus'), object: 'customer', metadata: params.metadata ?? {}, invoice_settings: {} });
    if (method === 'POST' && path === '/v1/setup_intents') {
      get(String(params.customer), 'customer');
      return store({
        id: id('seti'),
        object: 'setup_intent',
        customer: params.customer,
        status: 'requires_payment_method',
        usage: params.usage ?? 'off_session',
        client_secret: `${id('seti')}_secret_${randomBytes(8).toString('hex')}`,
        payment_method: null,
        metadata: params.metadata ?? {},
      });
    }
    if (method === 'GET' && path === '/v1/payment_methods') {
      const data = [...objects.values()].filter(
        (o) => o.object === 'payment_method' && o.customer === params.customer && o.type === (params.type ?? 'card'),
      );
      return list(data.reverse(), path);
    }
    if (path.match(/^\/v1\/payment_methods\/([\w]+)$/) && method === 'GET')
      return get(path.split('/')[3] as string, 'payment_method');
    if (path.match(/^\/v1\/payment_methods\/([\w]+)\/detach$/) && method === 'POST') {
      const pm = get(path.split('/')[3] as string, 'payment_method');
      if (!pm.customer) throw invalid('The payment method is not attached to a customer');
      pm.customer = null;
      return pm;
    }
    if (method === 'POST' && path === '/v1/payment_intents') return createPaymentIntent(params);
    if (path.match(/^\/v1\/payment_intents\/([\w]+)$/) && method === 'GET')
      return get(path.split('/')[3] as string, 'payment_intent');
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      get(String(params.customer), 'customer');
      const items = (params.line_items as Obj[] | undefined) ?? [];
      if (!items[0]?.price) throw invalid('line_items[0][price] is required');
      if (!params.success_url) throw invalid('success_url is required');
      const session: Obj = store({
        id: id('cs'),
        object: 'checkout.session',
        mode: params.mode,
        customer: params.customer,
        client_reference_id: params.client_reference_id ?? null,
        metadata: params.metadata ?? {},
        url: `https://checkout.stripe.test/c/pay/${randomBytes(6).toString('hex')}`,
        subscription: null,
        status: 'open',
      });
      // What completing the page would do: a subscription with the session's metadata.
      session.pending_subscription = {
        price: items[0].price,
        metadata: (params.subscription_data as Obj | undefined)?.metadata ?? {},
      };
      return session;
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      get(String(params.customer), 'customer');
      return store({
        id: id('bps'),
        object: 'billing_portal.session',
        customer: params.customer,
        return_url: params.return_url,
        url: `https://billing.stripe.test/p/session/${randomBytes(6).toString('hex')}`,
      });
    }
    if (path.match(/^\/v1\/subscriptions\/([\w]+)$/)) {
      const sub = get(path.split('/')[3] as string, 'subscription');
      if (method === 'GET') return sub;
      if (params.cancel_at_period_end !== undefined) sub.cancel_at_period_end = params.cancel_at_period_end === 'true';
      if (params.metadata) sub.metadata = params.metadata;
      const items = params.items as Obj[] | undefined;
      if (items?.[0]) {
        const current = ((sub.items as Obj).data as Obj[])[0] as Obj;
        if (items[0].id !== current.id) throw invalid('No such subscription item');
        current.price = { id: items[0].price, object: 'price' };
        sub.last_proration_behavior = params.proration_behavior ?? null;
      }
      return sub;
    }
    throw invalid(`Unrecognized request URL (${method}: ${path})`, 404);
  }

  function controls(method: string, path: string, params: Obj): Obj {
    if (path.match(/^\/_fake\/checkout\/([\w]+)\/complete$/) && method === 'POST') {
      const session = get(path.split('/')[3] as string, 'checkout.session');
      const pending = session.pending_subscription as Obj;
      const sub = subscriptionFor(String(session.customer), String(pending.price), pending.metadata as Obj);
      session.subscription = sub.id;
      session.status = 'complete';
      return {
        session: eventFor('checkout.session.completed', session),
        subscription: eventFor('customer.subscription.created', sub),
      };
    }
    void params;
    throw invalid(`Unknown fake control ${path}`, 404);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = req.method === 'GET' ? url.search.slice(1) : Buffer.concat(chunks).toString('utf8');
    const params = parseForm(raw);
    const send = (status: number, body: Obj) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith('/_fake/')) {
      try {
        return send(200, controls(req.method ?? 'GET', url.pathname, params));
      } catch (error) {
        const e = error as StripeHttpError;
        return send(e.status ?? 500, { error: e.body ?? { message: String(error) } });
      }
    }
    if (req.headers.authorization !== `Bearer ${secretKey}`)
      return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    const key = req.headers['idempotency-key'];
    const cacheKey = typeof key === 'string' && req.method === 'POST' ? `${url.pathname} ${key}` : null;
    if (cacheKey) {
      const seen = idempotent.get(cacheKey);
      if (seen) {
        if (seen.params !== raw)
          return send(400, {
            error: {
              type: 'idempotency_error',
              message:
                'Keys for idempotent requests can only be used with the same parameters they were first used with.',
            },
          });
        res.setHeader('idempotent-replayed', 'true');
        return send(seen.status, seen.body);
      }
    }
    // Handled synchronously from here: concurrent requests with one key cannot both create.
    let status = 200;
    let body: Obj;
    try {
      body = route(req.method ?? 'GET', url.pathname, params);
    } catch (error) {
      if (!(error instanceof StripeHttpError)) throw error;
      status = error.status;
      body = { error: error.body };
    }
    if (cacheKey && status !== 404) idempotent.set(cacheKey, { params: raw, status, body });
    send(status, body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    objects,
    events,
    paymentIntentsCreated: () => intentsCreated,
    confirmSetupIntent(setupIntentId, last4 = '4242') {
      const intent = get(setupIntentId, 'setup_intent');
      const paymentMethod = store({
        id: id('pm'),
        object: 'payment_method',
        type: 'card',
        customer: intent.customer,
        card: { brand: 'visa', last4, exp_month: 12, exp_year: 2034, fingerprint: randomBytes(8).toString('hex') },
        billing_details: { name: 'Ada Lovelace', email: 'ada@example.com' },
      });
      intent.status = 'succeeded';
      intent.payment_method = paymentMethod.id;
      return { paymentMethod, event: eventFor('setup_intent.succeeded', intent) };
    },
    eventFor,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
