/** The events subgraph's tables (schema `events`). */
import { defineEntity, p } from '@mikro-orm/core';

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
    /** AES-GCM sealed `whsec_…` secret (kernel/secrets.ts). */
    secretSealed: p.text(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export const eventsEntities = [Webhook];
