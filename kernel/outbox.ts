/**
 * The transactional outbox every subgraph writes its domain events to. An event
 * is persisted in the same unit of work (same database transaction) as the
 * state change it describes; the relay delivers it afterwards, at least once.
 */

import { defineEntity, p } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from './ids.ts';
import type { Principal } from './principal.ts';

export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    type: p.string(),
    subjectType: p.string().nullable(),
    subjectId: p.string().nullable(),
    actorType: p.string().nullable(),
    actorId: p.string().nullable(),
    requestId: p.string().nullable(),
    data: p.json<Record<string, unknown>>(),
    occurredAt: p.datetime(),
    deliveredAt: p.datetime().nullable(),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime(),
    lastError: p.text().nullable(),
  },
});

export class OutboxMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table outbox (
      id text primary key,
      org_id text not null,
      type text not null,
      subject_type text,
      subject_id text,
      actor_type text,
      actor_id text,
      request_id text,
      data jsonb not null,
      occurred_at timestamptz not null,
      delivered_at timestamptz,
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      last_error text
    )`);
    // The relay scans only what is still pending, oldest first.
    this.addSql('create index outbox_pending on outbox (next_attempt_at, occurred_at) where delivered_at is null');
  }
}

export const outboxMigrationEntry = { name: '0000_outbox', class: OutboxMigration };

export interface DomainEventInput {
  orgId: string;
  /** Dotted, past tense: `workflow.paused`, `api_key.revoked`, `vm.started`. */
  type: string;
  subject?: { type: string; id: string };
  data: Record<string, unknown>;
  actor?: Principal;
  requestId?: string;
}

/** Adds an event to the unit of work; it commits (or rolls back) with the change. */
export function recordEvent(em: EntityManager, event: DomainEventInput): string {
  const id = newId('evt');
  const now = new Date();
  em.persist(
    em.create(OutboxEvent, {
      id,
      orgId: event.orgId,
      type: event.type,
      subjectType: event.subject?.type ?? null,
      subjectId: event.subject?.id ?? null,
      actorType: event.actor?.kind ?? null,
      actorId: event.actor?.id ?? null,
      requestId: event.requestId ?? null,
      data: event.data,
      occurredAt: now,
      deliveredAt: null,
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
    }),
  );
  return id;
}
