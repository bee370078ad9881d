/**
 * The events subgraph's tables (schema `events`). Webhooks are entities; the
 * event log, its per-org sequences and webhook deliveries are written with SQL
 * (log.ts, dispatcher.ts) because their writes are set-based and ordered.
 */
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const Webhook = defineEntity({
  name: 'Webhook',
  tableName: 'webhooks',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    name: p.string(),
    url: p.string(),
    events: p.array(),
    enabled: p.boolean(),
    /** AES-GCM sealed `whsec_…` secret (kernel/secrets.ts), bound to the webhook id. */
    secretSealed: p.text(),
    secretPrefix: p.string().default(''),
    consecutiveFailures: p.integer().default(0),
    disabledReason: p.text().nullable(),
    disabledAt: p.datetime().nullable(),
    lastDeliveryAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export type WebhookRow = InferEntity<typeof Webhook>;

export const eventsEntities = [Webhook];
