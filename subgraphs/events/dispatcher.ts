/**
 * Webhook dispatcher: a worker of the events subgraph that sends pending
 * deliveries. All state is in the database (`webhook_deliveries`), so it
 * survives restarts and runs on any number of replicas:
 *
 * - a delivery row is created for each (enabled webhook, matching event) in
 *   the same transaction that appends the event to the log (log.ts);
 * - the dispatcher claims due rows with `FOR UPDATE SKIP LOCKED`, pushing
 *   `next_attempt_at` forward as a lease (a crashed dispatcher's claim expires
 *   and the row becomes due again);
 * - a 2xx answer within TRELLIS_WEBHOOK_TIMEOUT_MS is success; anything else
 *   is retried after TRELLIS_WEBHOOK_RETRY_SCHEDULE_SECONDS[attempt − 1]
 *   (default 10 s, 60 s, 300 s), then marked failed;
 * - each attempt is kept (status code, duration, error); after
 *   TRELLIS_WEBHOOK_MAX_CONSECUTIVE_FAILURES failed attempts in a row the
 *   webhook is disabled and `webhook.disabled` is recorded (outbox).
 *
 * Requests carry the brief's signature (X-Trellis-Signature, -Event,
 * -Delivery) and the Standard Webhooks headers (webhook-id,
 * webhook-timestamp, webhook-signature) computed from the same secret.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { EntityManager, Orm } from '../../kernel/database.ts';
import type { EventEnvelope } from '../../kernel/event-stream/envelope.ts';
import type { Logger } from '../../kernel/logger.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import type { Platform } from '../../kernel/platform.ts';
import { servicePrincipal } from '../../kernel/principal.ts';
import { hmacSha256Hex, sha256Hex } from '../../kernel/secrets.ts';
import { outboundTarget } from '../../kernel/url-guard.ts';
import { type PassResult, WorkerLoop } from '../../kernel/worker-loop.ts';
import { envelopeOf } from './log.ts';
import { WEBHOOK_SECRET_PREFIX } from './webhooks.ts';

export const WEBHOOK_USER_AGENT = 'Trellis-Webhooks/1.0';
const MAX_ERROR_LENGTH = 500;

/** The JSON body of a delivery (seed 003 shape, plus organization, sequence and subject). */
export function deliveryBody(event: EventEnvelope): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    created_at: event.occurredAt,
    organization_id: event.orgId,
    seq: event.seq,
    subject: event.subject,
    data: event.data,
  });
}

/**
 * Signature headers for one attempt.
 * - `X-Trellis-Signature: sha256=hex(HMAC-SHA256(hex(sha256(secret)), body))`
 * - `webhook-signature: v1,base64(HMAC-SHA256(base64decode(secret without whsec_), "<id>.<timestamp>.<body>"))`
 */
export function signatureHeaders(
  secret: string,
  deliveryId: string,
  eventType: string,
  body: string,
  timestampSeconds: number,
): Record<string, string> {
  const trellis = `sha256=${hmacSha256Hex(sha256Hex(secret), body)}`;
  const key = Buffer.from(
    secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret,
    'base64',
  );
  const standard = createHmac('sha256', key).update(`${deliveryId}.${timestampSeconds}.${body}`).digest('base64');
  return {
    'x-trellis-signature': trellis,
    'x-trellis-event': eventType,
    'x-trellis-delivery': deliveryId,
    'webhook-id': deliveryId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${standard}`,
  };
}

export interface AttemptOutcome {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  ok: boolean;
}

/** POSTs `body` to `url` (no redirects, no keep-alive), refusing non-public addresses unless allowed. */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const guarded = outboundTarget(url, options.allowPrivate);
  if ('problem' in guarded)
    return Promise.resolve({ statusCode: null, durationMs: 0, error: `blocked: ${guarded.problem}`, ok: false });
  const target = guarded.url;
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<AttemptOutcome, 'durationMs' | 'ok'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
      resolve({ ...outcome, error: outcome.error?.slice(0, MAX_ERROR_LENGTH) ?? null, durationMs: elapsed(), ok });
    };
    const request = transport.request(target, {
      method: 'POST',
      agent: false,
      lookup: guarded.lookup as never,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': WEBHOOK_USER_AGENT,
      },
    });
    const timer = setTimeout(() => {
      finish({ statusCode: null, error: `timed out after ${options.timeoutMs} ms` });
      request.destroy();
    }, options.timeoutMs);
    request.on('response', (response) => {
      const statusCode = response.statusCode ?? null;
      finish({
        statusCode,
        error: statusCode !== null && statusCode >= 200 && statusCode < 300 ? null : `HTTP ${statusCode}`,
      });
      response.resume();
      response.on('end', () => request.destroy());
      response.on('error', () => undefined);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish({ statusCode: null, error: error.code === 'EBLOCKED' ? `blocked: ${error.message}` : error.message });
    });
    request.end(body);
  });
}

interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  event_id: string;
  attempts: number;
}

export interface DispatcherOptions {
  orm: Orm;
  platform: Platform;
  logger: Logger;
  /**
   * How often to look for due deliveries when not woken (ms; default the outbox's safety poll): appends in this
   * process wake it, and it sleeps until its earliest pending delivery is due.
   */
  pollMs?: number;
}

export class WebhookDispatcher {
  readonly name = 'webhook-dispatcher';
  readonly #em: EntityManager;
  readonly #platform: Platform;
  readonly #logger: Logger;
  readonly #loop: WorkerLoop;

  constructor(options: DispatcherOptions) {
    this.#em = options.orm.em.fork();
    this.#platform = options.platform;
    this.#logger = options.logger.child({ worker: 'webhook-dispatcher' });
    this.#loop = new WorkerLoop({
      name: this.name,
      logger: this.#logger,
      pollMs: options.pollMs ?? options.platform.config.outbox.pollMs,
      maxBackoffMs: options.platform.config.outbox.maxBackoffMs,
      pass: () => this.pass(),
    });
  }

  start(): this {
    this.#loop.start();
    return this;
  }

  /** Dispatch now (an append created deliveries). */
  wake(): void {
    this.#loop.wake();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Sends what is due; otherwise says when the next delivery is. Exposed for tests; the loop calls it. */
  async pass(): Promise<PassResult> {
    if ((await this.dispatchDue()) > 0) return { again: true };
    return { waitMs: await this.#nextDueInMs() };
  }

  /** Ms until the earliest pending delivery is due; undefined when nothing is pending. */
  async #nextDueInMs(): Promise<number | undefined> {
    // Not greatest(0, …): GREATEST skips NULL, so "nothing pending" would read as "due now".
    const [row] = await this.#em.fork().execute<{ wait_ms: string | null }[]>(
      `select extract(epoch from (min(next_attempt_at) - clock_timestamp())) * 1000 as wait_ms
           from webhook_deliveries where status in ('pending', 'retrying')`,
    );
    return row?.wait_ms == null ? undefined : Math.max(0, Number(row.wait_ms));
  }

  /** Claims and sends every delivery that is due (in parallel, up to the configured concurrency). */
  async dispatchDue(): Promise<number> {
    const { timeoutMs, concurrency } = this.#platform.config.webhooks;
    const leaseMs = timeoutMs + 30_000;
    const claimed = await this.#em.fork().execute<ClaimedDelivery[]>(
      `update webhook_deliveries set next_attempt_at = clock_timestamp() + (? * interval '1 millisecond')
        where id in (
          select id from webhook_deliveries
           where status in ('pending', 'retrying') and next_attempt_at <= clock_timestamp()
           order by next_attempt_at, event_seq
           limit ? for update skip locked)
        returning id, webhook_id, event_id, attempts`,
      [leaseMs, concurrency],
    );
    await Promise.all(
      claimed.map((delivery) =>
        this.#attempt(delivery).catch((err) =>
          this.#logger.error({ err, deliveryId: delivery.id }, 'webhook delivery bookkeeping failed'),
        ),
      ),
    );
    return claimed.length;
  }

  async #attempt(delivery: ClaimedDelivery): Promise<void> {
    const em = this.#em.fork();
    const { webhooks } = this.#platform.config;
    const [hook] = await em.execute<
      { id: string; org_id: string; url: string; enabled: boolean; secret_sealed: string }[]
    >('select id, org_id, url, enabled, secret_sealed from webhooks where id = ?', [delivery.webhook_id]);
    if (!hook?.enabled) return this.#cancel(em, delivery.id, 'webhook disabled');
    const [eventRow] = await em.execute<Parameters<typeof envelopeOf>[0][]>(
      `select id, org_id, seq, type, subject_type, subject_id, actor_type, actor_id, request_id, data, occurred_at,
              recorded_at from event_log where id = ?`,
      [delivery.event_id],
    );
    if (!eventRow) return this.#cancel(em, delivery.id, 'event no longer in the log');
    const event = envelopeOf(eventRow);
    const body = deliveryBody(event);
    const secret = this.#platform.secretBox.open(hook.secret_sealed, hook.id);
    const headers = signatureHeaders(secret, delivery.id, event.type, body, Math.floor(Date.now() / 1000));
    const outcome = await postWebhook(hook.url, body, headers, {
      timeoutMs: webhooks.timeoutMs,
      allowPrivate: webhooks.allowPrivateTargets,
    });
    await this.#record(em, delivery, hook.org_id, outcome);
  }

  async #cancel(em: EntityManager, deliveryId: string, reason: string): Promise<void> {
    await em.execute(
      `update webhook_deliveries set status = 'cancelled', last_error = ?, completed_at = clock_timestamp(),
              next_attempt_at = null where id = ?`,
      [reason, deliveryId],
    );
  }

  async #record(em: EntityManager, delivery: ClaimedDelivery, orgId: string, outcome: AttemptOutcome): Promise<void> {
    const { retryScheduleSeconds, maxConsecutiveFailures } = this.#platform.config.webhooks;
    const attempt = delivery.attempts + 1;
    await em.transactional(async (tx) => {
      // Lock order: the webhook row first, then its deliveries (concurrent attempts of one webhook
      // serialize here instead of deadlocking when one of them disables the webhook).
      const [current] = await tx.execute<{ enabled: boolean }[]>(
        'select enabled from webhooks where id = ? for update',
        [delivery.webhook_id],
      );
      await tx.execute(
        `insert into webhook_delivery_attempts (delivery_id, attempt, status_code, duration_ms, error)
         values (?, ?, ?, ?, ?) on conflict do nothing`,
        [delivery.id, attempt, outcome.statusCode, outcome.durationMs, outcome.error],
      );
      if (!outcome.ok && !current?.enabled) {
        // Disabled (or deleted) while this attempt was in flight: no retry, no failure count.
        await tx.execute(
          `update webhook_deliveries set status = 'cancelled', attempts = ?, last_status_code = ?, last_error = ?,
                  next_attempt_at = null, completed_at = clock_timestamp() where id = ?`,
          [attempt, outcome.statusCode, outcome.error, delivery.id],
        );
        return;
      }
      if (outcome.ok) {
        await tx.execute(
          `update webhook_deliveries set status = 'succeeded', attempts = ?, last_status_code = ?, last_error = null,
                  completed_at = clock_timestamp(), next_attempt_at = null where id = ?`,
          [attempt, outcome.statusCode, delivery.id],
        );
        await tx.execute(
          'update webhooks set consecutive_failures = 0, last_delivery_at = clock_timestamp() where id = ?',
          [delivery.webhook_id],
        );
        return;
      }
      const retryIn = retryScheduleSeconds[attempt - 1];
      if (retryIn !== undefined)
        await tx.execute(
          `update webhook_deliveries set status = 'retrying', attempts = ?, last_status_code = ?, last_error = ?,
                  next_attempt_at = clock_timestamp() + (? * interval '1 second') where id = ?`,
          [attempt, outcome.statusCode, outcome.error, retryIn, delivery.id],
        );
      else
        await tx.execute(
          `update webhook_deliveries set status = 'failed', attempts = ?, last_status_code = ?, last_error = ?,
                  next_attempt_at = null, completed_at = clock_timestamp() where id = ?`,
          [attempt, outcome.statusCode, outcome.error, delivery.id],
        );
      const [hook] = await tx.execute<{ consecutive_failures: number; enabled: boolean; name: string; url: string }[]>(
        `update webhooks set consecutive_failures = consecutive_failures + 1, last_delivery_at = clock_timestamp()
          where id = ? returning consecutive_failures, enabled, name, url`,
        [delivery.webhook_id],
      );
      if (hook?.enabled && hook.consecutive_failures >= maxConsecutiveFailures) {
        await tx.execute(
          `update webhooks set enabled = false, disabled_reason = 'consecutive_failures',
                  disabled_at = clock_timestamp(), updated_at = clock_timestamp() where id = ?`,
          [delivery.webhook_id],
        );
        await tx.execute(
          `update webhook_deliveries set status = 'cancelled', last_error = 'webhook disabled after repeated failures',
                  completed_at = clock_timestamp(), next_attempt_at = null
            where webhook_id = ? and status in ('pending', 'retrying')`,
          [delivery.webhook_id],
        );
        recordEvent(tx, {
          orgId,
          type: 'webhook.disabled',
          subject: { type: 'webhook', id: delivery.webhook_id },
          data: {
            webhookId: delivery.webhook_id,
            name: hook.name,
            url: hook.url,
            reason: 'consecutive_failures',
            consecutiveFailures: hook.consecutive_failures,
          },
          actor: servicePrincipal('events'),
        });
        this.#logger.warn(
          { webhookId: delivery.webhook_id, failures: hook.consecutive_failures },
          'webhook disabled after consecutive failures',
        );
      }
    });
  }
}
