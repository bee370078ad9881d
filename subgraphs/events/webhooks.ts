/**
 * Webhook endpoints of an organization: create (secret shown once), update,
 * toggle, regenerate the secret, delete, and read delivery history. Secrets
 * are `whsec_<base64 of 32 random bytes>` (the Standard Webhooks format),
 * sealed at rest with AES-GCM bound to the webhook id. Every change is an
 * event (`webhook.*`) recorded in the same transaction.
 */
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidField, notFound } from '../../kernel/errors.ts';
import { isTypePattern } from '../../kernel/event-stream/envelope.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { toIsoTimestamp } from '../../kernel/outbox-relay.ts';
import { decodeCursor, encodeCursor, type Page, pageSize } from '../../kernel/pagination.ts';
import type { Platform } from '../../kernel/platform.ts';
import type { Principal } from '../../kernel/principal.ts';
import { checkOutboundUrl } from '../../kernel/url-guard.ts';
import { Webhook, type WebhookRow as WebhookEntity } from './entities.ts';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
const MAX_EVENT_PATTERNS = 100;

export const newWebhookSecret = (): string => `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
const secretPrefixOf = (secret: string) => secret.slice(0, WEBHOOK_SECRET_PREFIX.length + 4);

export interface WebhookInput {
  name?: string | null;
  url?: string | null;
  events?: string[] | null;
  enabled?: boolean | null;
}

export interface DeliveryAttempt {
  attempt: number;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  at: string;
}

export interface DeliveryRecord {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  seq: number;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  completedAt: string | null;
  attemptHistory: DeliveryAttempt[];
}

export class WebhookService {
  private readonly em: EntityManager;
  private readonly platform: Platform;
  private readonly principal: Principal;
  private readonly requestId?: string;

  constructor(em: EntityManager, platform: Platform, principal: Principal, requestId?: string) {
    this.em = em;
    this.platform = platform;
    this.principal = principal;
    this.requestId = requestId;
  }

  listByOrg(orgId: string) {
    return this.em.find(Webhook, { orgId }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  }

  async page(orgId: string, limit?: number | null, cursor?: string | null): Promise<Page<WebhookEntity>> {
    const size = pageSize(limit);
    const after = decodeCursor(cursor, { c: 'time', i: 'text' });
    const where: Record<string, unknown> = { orgId };
    if (after) {
      where.$or = [{ createdAt: { $lt: new Date(after.c) } }, { createdAt: new Date(after.c), id: { $lt: after.i } }];
    }
    const rows = await this.em.find(Webhook, where as never, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: size + 1,
    });
    const items = rows.slice(0, size);
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > size && last ? encodeCursor({ c: last.createdAt.toISOString(), i: last.id }) : null,
    };
  }

  async get(orgId: string, id: string): Promise<WebhookEntity> {
    const webhook = await this.em.findOne(Webhook, { id });
    // Another organization's webhook is "not found": its existence is not revealed.
    if (!webhook || webhook.orgId !== orgId) throw notFound('Webhook');
    return webhook;
  }

  async find(orgId: string, id: string): Promise<WebhookEntity | null> {
    const webhook = await this.em.findOne(Webhook, { id });
    return webhook && webhook.orgId === orgId ? webhook : null;
  }

  async create(orgId: string, input: WebhookInput): Promise<{ webhook: WebhookEntity; secret: string }> {
    const name = this.#name(input.name);
    const url = await this.#url(input.url);
    const events = this.#events(input.events);
    const secret = newWebhookSecret();
    const id = newId('wh');
    const now = new Date();
    const webhook = this.em.create(Webhook, {
      id,
      orgId,
      name,
      url,
      events,
      enabled: input.enabled ?? true,
      secretSealed: this.platform.secretBox.seal(secret, id),
      secretPrefix: secretPrefixOf(secret),
      consecutiveFailures: 0,
      disabledReason: null,
      disabledAt: null,
      lastDeliveryAt: null,
      createdAt: now,
      updatedAt: now,
    });
    this.#record(webhook, 'webhook.created', { name, url, events, enabled: webhook.enabled });
    await this.em.flush();
    return { webhook, secret };
  }

  async update(orgId: string, id: string, input: WebhookInput): Promise<WebhookEntity> {
    const webhook = await this.get(orgId, id);
    const changed: string[] = [];
    if (input.name != null) {
      webhook.name = this.#name(input.name);
      changed.push('name');
    }
    if (input.url != null) {
      webhook.url = await this.#url(input.url);
      changed.push('url');
    }
    if (input.events != null) {
      webhook.events = this.#events(input.events);
      changed.push('events');
    }
    if (changed.length === 0) return webhook;
    webhook.updatedAt = new Date();
    this.#record(webhook, 'webhook.updated', {
      name: webhook.name,
      url: webhook.url,
      events: webhook.events,
      changed,
    });
    await this.em.flush();
    return webhook;
  }

  async toggle(orgId: string, id: string, enabled: boolean): Promise<WebhookEntity> {
    const webhook = await this.get(orgId, id);
    if (webhook.enabled === enabled) return webhook;
    webhook.enabled = enabled;
    webhook.updatedAt = new Date();
    if (enabled) {
      webhook.consecutiveFailures = 0;
      webhook.disabledReason = null;
      webhook.disabledAt = null;
    } else {
      webhook.disabledAt = new Date();
      webhook.disabledReason = null;
    }
    this.#record(webhook, enabled ? 'webhook.enabled' : 'webhook.disabled', {
      enabled,
      ...(enabled ? {} : { reason: 'manual' }),
    });
    await this.em.flush();
    return webhook;
  }

  async regenerateSecret(orgId: string, id: string): Promise<{ webhook: WebhookEntity; secret: string }> {
    const webhook = await this.get(orgId, id);
    const secret = newWebhookSecret();
    webhook.secretSealed = this.platform.secretBox.seal(secret, webhook.id);
    webhook.secretPrefix = secretPrefixOf(secret);
    webhook.updatedAt = new Date();
    this.#record(webhook, 'webhook.secret_rotated', { secretPrefix: webhook.secretPrefix });
    await this.em.flush();
    return { webhook, secret };
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const webhook = await this.get(orgId, id);
    this.#record(webhook, 'webhook.deleted', { name: webhook.name, url: webhook.url });
    this.em.remove(webhook);
    await this.em.flush();
    return true;
  }

  async deliveries(
    orgId: string,
    webhookId: string,
    limit?: number | null,
    cursor?: string | null,
  ): Promise<Page<DeliveryRecord>> {
    await this.get(orgId, webhookId);
    return listDeliveries(this.em, webhookId, limit, cursor);
  }

  #record(webhook: WebhookEntity, type: string, data: Record<string, unknown>): void {
    recordEvent(this.em, {
      orgId: webhook.orgId,
      type,
      subject: { type: 'webhook', id: webhook.id },
      data: { webhookId: webhook.id, ...data },
      actor: this.principal,
      requestId: this.requestId,
    });
  }

  #name(value: string | null | undefined): string {
    const name = (value ?? '').trim();
    if (name.length < 1 || name.length > 100) throw invalidField('input.name', 'name must be 1 to 100 characters');
    return name;
  }

  #events(value: string[] | null | undefined): string[] {
    const list = [...new Set((value ?? []).map((e) => e.trim()))];
    if (list.length > MAX_EVENT_PATTERNS)
      throw invalidField('input.events', `at most ${MAX_EVENT_PATTERNS} event types`);
    for (const pattern of list)
      if (!isTypePattern(pattern))
        throw invalidField('input.events', `"${pattern}" is not an event type (vm.running), a prefix (vm.*) or *`);
    // `*` subscribes to everything, like an empty list.
    return list.includes('*') ? [] : list;
  }

  #url(value: string | null | undefined): Promise<string> {
    return checkOutboundUrl(value ?? '', 'input.url', {
      allowPrivate: this.platform.config.webhooks.allowPrivateTargets,
      requireHttps: this.platform.config.production,
    });
  }
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  event_seq: string | number;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  completed_at: string | null;
}

export async function listDeliveries(
  em: EntityManager,
  webhookId: string,
  limit?: number | null,
  cursor?: string | null,
): Promise<Page<DeliveryRecord>> {
  const size = pageSize(limit);
  const after = decodeCursor(cursor, { c: 'time', i: 'text' });
  const params: unknown[] = [webhookId];
  let keyset = '';
  if (after) {
    keyset = 'and (created_at, id) < (?::timestamptz, ?)';
    params.push(after.c, after.i);
  }
  params.push(size + 1);
  const rows = await em.execute<DeliveryRow[]>(
    `select id, webhook_id, event_id, event_type, event_seq, status, attempts, next_attempt_at, last_status_code,
            last_error, created_at, completed_at
       from webhook_deliveries where webhook_id = ? ${keyset}
      order by created_at desc, id desc limit ?`,
    params,
  );
  const pageRows = rows.slice(0, size);
  const attempts = new Map<string, DeliveryAttempt[]>();
  if (pageRows.length > 0) {
    const attemptRows = await em.execute<
      {
        delivery_id: string;
        attempt: number;
        status_code: number | null;
        duration_ms: number;
        error: string | null;
        at: string;
      }[]
    >(
      'select delivery_id, attempt, status_code, duration_ms, error, at from webhook_delivery_attempts where delivery_id in (?) order by attempt',
      [pageRows.map((r) => r.id)],
    );
    for (const a of attemptRows) {
      const list = attempts.get(a.delivery_id) ?? [];
      list.push({
        attempt: a.attempt,
        statusCode: a.status_code,
        durationMs: a.duration_ms,
        error: a.error,
        at: toIsoTimestamp(a.at),
      });
      attempts.set(a.delivery_id, list);
    }
  }
  const items = pageRows.map((r) => ({
    id: r.id,
    webhookId: r.webhook_id,
    eventId: r.event_id,
    eventType: r.event_type,
    seq: Number(r.event_seq),
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt:
      r.next_attempt_at && (r.status === 'pending' || r.status === 'retrying')
        ? toIsoTimestamp(r.next_attempt_at)
        : null,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    createdAt: toIsoTimestamp(r.created_at),
    completedAt: r.completed_at ? toIsoTimestamp(r.completed_at) : null,
    attemptHistory: attempts.get(r.id) ?? [],
  }));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > size && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null,
  };
}
