/**
 * Delivering alerting events to people (docs/notifications.md).
 *
 * 1. Governance's consumer turns an alerting event into `notification.requested`
 *    (channels + who opted out). Here the durable consumer
 *    `events.notification_delivery` records it, exactly once, as a pending
 *    `notification_requests` row.
 * 2. The sender (a worker of the events subgraph, on the kernel's worker loop)
 *    expands a request: it asks identity for the organization's members (the
 *    `organization { members }` API as the `events` service — it never reads
 *    identity's tables), then in one transaction adds one inbox notification per
 *    member who did not opt out of in-app, and one delivery per email address
 *    (members who did not opt out of email, and email channels), webhook channel
 *    and Slack channel. Unique keys make a repeated expansion a no-op.
 * 3. It sends due deliveries: email through the platform's mail transport,
 *    webhooks signed like event webhooks and Slack messages through the webhook
 *    dispatcher's `postWebhook` (SSRF guard at every attempt). Each attempt is
 *    kept; failures are retried after TRELLIS_WEBHOOK_RETRY_SCHEDULE_SECONDS,
 *    then marked failed. Sending is at least once: a crash between the send
 *    and its bookkeeping sends that message again (receivers deduplicate by
 *    `X-Trellis-Delivery`).
 */
import type { EntityManager, Orm } from '../../kernel/database.ts';
import type { EventConsumer } from '../../kernel/event-consumers.ts';
import { newId } from '../../kernel/ids.ts';
import { type InternalGraphQLResult, internalGraphQL } from '../../kernel/internal-graphql.ts';
import type { Logger } from '../../kernel/logger.ts';
import { notificationMail } from '../../kernel/mail-templates.ts';
import { serviceTarget, toIsoTimestamp } from '../../kernel/outbox-relay.ts';
import { decodeCursor, type Page, pageSize, toPage } from '../../kernel/pagination.ts';
import type { Platform } from '../../kernel/platform.ts';
import { backoffMs, type PassResult, WorkerLoop } from '../../kernel/worker-loop.ts';
import { type AttemptOutcome, postWebhook, signatureHeaders } from './dispatcher.ts';
import { insertNotifications, type NotificationType } from './notifications.ts';

/** What governance's alert routing puts in `notification.requested`. */
export interface NotificationRequest {
  sourceEventId: string;
  sourceType: string;
  title: string;
  message: string;
  severity: 'warning' | 'error' | 'info';
  linkPath?: string;
  channels: { channelId: string; kind: 'email' | 'webhook' | 'slack'; target?: string; secretSealed?: string }[];
  optedOutOfEmail: string[];
  optedOutOfInApp: string[];
}

/** Bus channel telling every events replica's sender that a request was recorded (it wakes). */
export const NOTIFICATION_REQUESTED_CHANNEL = 'events.notification-requested';

/**
 * The sender sleeps until the next retry is due or a request is recorded (bus message); this poll only
 * bounds how late a request is expanded when the bus lost the message (it was down).
 */
const FALLBACK_POLL_MS = 30_000;

/** The durable consumer: records the request once; the sender does the rest. */
export const notificationDelivery: EventConsumer = {
  name: 'events.notification_delivery',
  types: ['notification.requested'],
  async handle(tx, event) {
    await tx.execute(
      `insert into notification_requests (event_id, org_id, data) values (?, ?, ?::jsonb)
       on conflict (event_id) do nothing`,
      [event.id, event.orgId, JSON.stringify(event.data)],
    );
  },
  afterCommit(event, { platform, logger }) {
    platform.bus
      .publish(NOTIFICATION_REQUESTED_CHANNEL, event.id)
      .catch((err) => logger.warn({ err }, 'could not wake the notification sender (it polls)'));
  },
};

export interface Member {
  userId: string;
  email: string;
}

const MEMBERS_QUERY = /* GraphQL */ `
  query NotificationRecipients($orgId: ID!, $cursor: String) {
    organization(id: $orgId) {
      name
      members(limit: 200, cursor: $cursor) {
        items {
          userId
          user {
            email
          }
        }
        nextCursor
      }
    }
  }
`;

/** The organization's name and members with their email, from identity (as the `events` service). */
export async function membersOf(
  platform: Platform,
  orgId: string,
): Promise<{ name: string | null; members: Member[] }> {
  const identity = serviceTarget(platform, 'identity');
  if (!identity) throw new Error('identity is not reachable yet');
  const members: Member[] = [];
  let cursor: string | null = null;
  let name: string | null = null;
  for (let page = 0; page < 50; page++) {
    type Answer = {
      organization: {
        name: string;
        members: { items: { userId: string; user: { email: string } }[]; nextCursor: string | null };
      } | null;
    };
    const body: InternalGraphQLResult<Answer> = await internalGraphQL<Answer>(
      { ...identity, secret: platform.internalSecret, service: 'events', timeoutMs: 10_000 },
      MEMBERS_QUERY,
      { orgId, cursor },
    );
    if (body.status !== 200 || body.errors?.length)
      throw new Error(`identity answered ${body.status}: ${body.errors?.map((e) => e.message).join('; ')}`);
    const org: Answer['organization'] | undefined = body.data?.organization;
    if (!org) return { name: null, members: [] };
    name = org.name;
    for (const item of org.members.items) members.push({ userId: item.userId, email: item.user.email });
    cursor = org.members.nextCursor;
    if (!cursor) break;
  }
  return { name, members };
}

interface RequestRow {
  event_id: string;
  org_id: string;
  data: NotificationRequest | string;
  attempts: number;
}

interface DeliveryRow {
  id: string;
  org_id: string;
  source_event_id: string;
  event_type: string;
  channel: 'email' | 'webhook' | 'slack';
  target: string;
  payload: Record<string, unknown> | string;
  secret_sealed: string | null;
  /** A webhook channel's URL (Slack URLs are in `secret_sealed`). */
  url: string | null;
  attempts: number;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

export interface NotificationSenderOptions {
  orm: Orm;
  platform: Platform;
  logger: Logger;
  pollMs?: number;
  /** Replaces the identity lookup (tests of the expansion alone). */
  members?: typeof membersOf;
}

export class NotificationSender {
  readonly name = 'notification-sender';
  readonly #em: EntityManager;
  readonly #platform: Platform;
  readonly #logger: Logger;
  readonly #members: typeof membersOf;
  readonly #loop: WorkerLoop;
  #unsubscribe?: Promise<() => Promise<void>>;

  constructor(options: NotificationSenderOptions) {
    this.#em = options.orm.em.fork();
    this.#platform = options.platform;
    this.#logger = options.logger.child({ worker: 'notification-sender' });
    this.#members = options.members ?? membersOf;
    this.#loop = new WorkerLoop({
      name: this.name,
      logger: this.#logger,
      pollMs: options.pollMs ?? FALLBACK_POLL_MS,
      maxBackoffMs: options.platform.config.outbox.maxBackoffMs,
      pass: () => this.pass(),
    });
  }

  start(): this {
    this.#unsubscribe ??= this.#platform.bus.subscribe(NOTIFICATION_REQUESTED_CHANNEL, () => this.wake());
    this.#unsubscribe.catch((err) => this.#logger.warn({ err }, 'not woken by the bus; polling'));
    this.#loop.start();
    return this;
  }

  wake(): void {
    this.#loop.wake();
  }

  async stop(): Promise<void> {
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    await unsubscribe?.then((off) => off()).catch(() => undefined);
    await this.#loop.stop();
  }

  /** Expands due requests, then sends due deliveries; else sleeps until the next is due. Exposed for tests. */
  async pass(): Promise<PassResult> {
    const expanded = await this.expandDue();
    const sent = await this.sendDue();
    if (expanded + sent > 0) return { again: true };
    return { waitMs: await this.nextDueInMs() };
  }

  /** Milliseconds until the earliest pending request or delivery is due (a retry, or a claim's lease); undefined when none. */
  async nextDueInMs(): Promise<number | undefined> {
    const [row] = await this.#em.fork().execute<{ wait_ms: number | string | null }[]>(
      `select extract(epoch from (least(
          (select min(next_attempt_at) from notification_requests where status = 'pending'),
          (select min(next_attempt_at) from notification_deliveries where status in ('pending', 'retrying'))
        ) - clock_timestamp())) * 1000 as wait_ms`,
    );
    return row?.wait_ms == null ? undefined : Math.max(0, Math.ceil(Number(row.wait_ms)));
  }

  async expandDue(limit = 20): Promise<number> {
    const requests = await this.#em.fork().execute<RequestRow[]>(
      `update notification_requests set next_attempt_at = clock_timestamp() + interval '60 seconds'
        where event_id in (select event_id from notification_requests
                            where status = 'pending' and next_attempt_at <= clock_timestamp()
                            order by created_at limit ? for update skip locked)
        returning event_id, org_id, data, attempts`,
      [limit],
    );
    for (const request of requests) {
      try {
        await this.#expand(request);
      } catch (error) {
        const attempts = request.attempts + 1;
        this.#logger.warn({ err: error, eventId: request.event_id, attempts }, 'notification request not expanded yet');
        await this.#em.fork().execute(
          `update notification_requests set attempts = ?, last_error = ?,
                  next_attempt_at = clock_timestamp() + (? * interval '1 millisecond') where event_id = ?`,
          [attempts, String((error as Error).message).slice(0, 1000), backoffMs(attempts, 60_000), request.event_id],
        );
      }
    }
    return requests.length;
  }

  async #expand(request: RequestRow): Promise<void> {
    const data = json<NotificationRequest>(request.data);
    const { name, members } = await this.#members(this.#platform, request.org_id);
    const noInApp = new Set(data.optedOutOfInApp ?? []);
    const noEmail = new Set(data.optedOutOfEmail ?? []);
    const type: NotificationType = data.severity === 'error' ? 'error' : data.severity === 'info' ? 'info' : 'warning';
    const publicUrl = this.#platform.config.mail.publicUrl;
    await this.#em.fork().transactional(async (tx) => {
      await insertNotifications(
        tx,
        request.org_id,
        members
          .filter((m) => !noInApp.has(m.userId))
          .map((m) => ({
            userId: m.userId,
            type,
            title: data.title,
            message: data.message,
            source: data.sourceType,
            link: data.linkPath ?? null,
            sourceEventId: data.sourceEventId,
          })),
      );
      const emails = new Map<string, string | null>();
      for (const m of members) if (!noEmail.has(m.userId)) emails.set(m.email.toLowerCase(), m.userId);
      for (const c of data.channels ?? [])
        if (c.kind === 'email' && c.target && !emails.has(c.target)) emails.set(c.target.toLowerCase(), null);
      const rows: unknown[][] = [];
      for (const [address, userId] of emails) {
        const mail = notificationMail({
          to: address,
          eventType: data.sourceType,
          title: data.title,
          message: data.message,
          linkPath: data.linkPath,
          organizationName: name ?? undefined,
          publicUrl,
        });
        rows.push(['email', address, userId, mail, null]);
      }
      for (const c of data.channels ?? []) {
        if (c.kind === 'webhook' && c.target)
          rows.push([
            'webhook',
            c.channelId,
            null,
            webhookBody(request.event_id, request.org_id, data),
            c.secretSealed ?? null,
          ]);
        if (c.kind === 'slack' && c.secretSealed)
          rows.push(['slack', c.channelId, null, { text: `*${data.title}*: ${data.message}` }, c.secretSealed]);
      }
      for (const [channel, target, userId, payload, sealed] of rows) {
        const channelUrl =
          channel === 'webhook' ? (data.channels.find((c) => c.channelId === target)?.target ?? null) : null;
        await tx.execute(
          `insert into notification_deliveries (id, org_id, source_event_id, event_type, channel, target, user_id, payload,
                                                url, secret_sealed)
           values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
           on conflict (source_event_id, channel, target) do nothing`,
          [
            newId('ndl'),
            request.org_id,
            data.sourceEventId,
            data.sourceType,
            channel,
            target,
            userId,
            JSON.stringify(payload),
            channelUrl,
            sealed,
          ],
        );
      }
      await tx.execute(
        "update notification_requests set status = 'expanded', expanded_at = clock_timestamp(), last_error = null where event_id = ?",
        [request.event_id],
      );
    });
  }

  /** Claims due deliveries (a lease, like the webhook dispatcher) and sends them. */
  async sendDue(): Promise<number> {
    const { timeoutMs, concurrency } = this.#platform.config.webhooks;
    const claimed = await this.#em.fork().execute<DeliveryRow[]>(
      `update notification_deliveries set next_attempt_at = clock_timestamp() + (? * interval '1 millisecond')
        where id in (select id from notification_deliveries
                      where status in ('pending', 'retrying') and next_attempt_at <= clock_timestamp()
                      order by next_attempt_at limit ? for update skip locked)
        returning id, org_id, source_event_id, event_type, channel, target, payload, secret_sealed, attempts, url`,
      [timeoutMs + 30_000, concurrency],
    );
    await Promise.all(
      claimed.map((delivery) =>
        this.#attempt(delivery).catch((err) =>
          this.#logger.error({ err, deliveryId: delivery.id }, 'notification delivery bookkeeping failed'),
        ),
      ),
    );
    return claimed.length;
  }

  async #attempt(delivery: DeliveryRow): Promise<void> {
    const started = performance.now();
    let outcome: AttemptOutcome;
    try {
      outcome = await this.#send(delivery);
    } catch (error) {
      outcome = {
        ok: false,
        statusCode: null,
        durationMs: Math.round(performance.now() - started),
        error: String((error as Error).message ?? error).slice(0, 500),
      };
    }
    await this.#record(delivery, outcome);
  }

  async #send(delivery: DeliveryRow): Promise<AttemptOutcome> {
    const { timeoutMs, allowPrivateTargets } = this.#platform.config.webhooks;
    const payload = json<Record<string, unknown>>(delivery.payload);
    const box = this.#platform.secretBox;
    if (delivery.channel === 'email') {
      const started = performance.now();
      await this.#platform.mail.send(payload as never);
      return { ok: true, statusCode: null, durationMs: Math.round(performance.now() - started), error: null };
    }
    const options = { timeoutMs, allowPrivate: allowPrivateTargets };
    if (delivery.channel === 'slack') {
      const url = box.open(delivery.secret_sealed as string, delivery.target);
      return postWebhook(url, JSON.stringify(payload), {}, options);
    }
    const body = JSON.stringify(payload);
    const secret = delivery.secret_sealed ? box.open(delivery.secret_sealed, delivery.target) : '';
    const headers = secret
      ? signatureHeaders(secret, delivery.id, delivery.event_type, body, Math.floor(Date.now() / 1000))
      : {};
    return postWebhook(delivery.url as string, body, headers, options);
  }

  async #record(delivery: DeliveryRow, outcome: AttemptOutcome): Promise<void> {
    const { retryScheduleSeconds } = this.#platform.config.webhooks;
    const attempt = delivery.attempts + 1;
    await this.#em.fork().transactional(async (tx) => {
      await tx.execute(
        `insert into notification_delivery_attempts (delivery_id, attempt, status_code, duration_ms, error)
         values (?, ?, ?, ?, ?) on conflict do nothing`,
        [delivery.id, attempt, outcome.statusCode, outcome.durationMs, outcome.error],
      );
      if (outcome.ok) {
        await tx.execute(
          `update notification_deliveries set status = 'succeeded', attempts = ?, last_status_code = ?, last_error = null,
                  completed_at = clock_timestamp(), next_attempt_at = null where id = ?`,
          [attempt, outcome.statusCode, delivery.id],
        );
        return;
      }
      const retryIn = retryScheduleSeconds[attempt - 1];
      if (retryIn !== undefined)
        await tx.execute(
          `update notification_deliveries set status = 'retrying', attempts = ?, last_status_code = ?, last_error = ?,
                  next_attempt_at = clock_timestamp() + (? * interval '1 second') where id = ?`,
          [attempt, outcome.statusCode, outcome.error, retryIn, delivery.id],
        );
      else {
        await tx.execute(
          `update notification_deliveries set status = 'failed', attempts = ?, last_status_code = ?, last_error = ?,
                  next_attempt_at = null, completed_at = clock_timestamp() where id = ?`,
          [attempt, outcome.statusCode, outcome.error, delivery.id],
        );
        this.#logger.warn(
          { deliveryId: delivery.id, channel: delivery.channel, attempts: attempt, error: outcome.error },
          'notification delivery failed after its retries',
        );
      }
    });
  }
}

/** The JSON a webhook channel receives (the event webhooks' shape; `type` is the alerting event's). */
function webhookBody(requestEventId: string, orgId: string, data: NotificationRequest) {
  return {
    id: data.sourceEventId,
    type: data.sourceType,
    created_at: new Date().toISOString(),
    organization_id: orgId,
    notification_request_id: requestEventId,
    data: { title: data.title, message: data.message, severity: data.severity, link: data.linkPath ?? null },
  };
}

// ---------------------------------------------------------------------------
// Read side

interface DeliveryListRow {
  id: string;
  org_id: string;
  source_event_id: string;
  event_type: string;
  channel: string;
  target: string;
  user_id: string | null;
  status: string;
  last_error: string | null;
  created_at: string | Date;
  completed_at: string | Date | null;
  attempts_list:
    | { attempt: number; status_code: number | null; duration_ms: number; error: string | null; at: string }[]
    | string;
}

export async function listNotificationDeliveries(
  em: EntityManager,
  orgId: string,
  args: { eventId?: string | null; limit?: number | null; cursor?: string | null },
): Promise<Page<unknown>> {
  const limit = pageSize(args.limit);
  const cursor = decodeCursor(args.cursor, { c: 'time', i: 'text' });
  const eventId = args.eventId && args.eventId.length <= 100 ? args.eventId : null;
  const rows = await em.execute<DeliveryListRow[]>(
    `select d.id, d.org_id, d.source_event_id, d.event_type, d.channel, d.target, d.user_id, d.status, d.last_error,
            d.created_at, d.completed_at,
            coalesce((select json_agg(json_build_object('attempt', a.attempt, 'status_code', a.status_code,
                                                        'duration_ms', a.duration_ms, 'error', a.error, 'at', a.at)
                                      order by a.attempt)
                        from notification_delivery_attempts a where a.delivery_id = d.id), '[]') as attempts_list
       from notification_deliveries d
      where d.org_id = ?
        and (?::text is null or d.source_event_id = ?::text)
        and (?::timestamptz is null or (d.created_at, d.id) < (?::timestamptz, ?::text))
      order by d.created_at desc, d.id desc
      limit ?`,
    [orgId, eventId, eventId, cursor?.c ?? null, cursor?.c ?? null, cursor?.i ?? null, limit + 1],
  );
  const items = rows.map((row) => ({
    id: row.id,
    orgId: row.org_id,
    eventId: row.source_event_id,
    eventType: row.event_type,
    channel: row.channel,
    target: row.target,
    userId: row.user_id,
    status: row.status,
    lastError: row.last_error,
    createdAt: toIsoTimestamp(row.created_at),
    completedAt: row.completed_at ? toIsoTimestamp(row.completed_at) : null,
    attempts: json(row.attempts_list).map((a) => ({
      attempt: a.attempt,
      statusCode: a.status_code,
      durationMs: a.duration_ms,
      error: a.error,
      at: toIsoTimestamp(a.at),
    })),
  }));
  return toPage(items, limit, (d) => ({ c: d.createdAt, i: d.id }));
}
