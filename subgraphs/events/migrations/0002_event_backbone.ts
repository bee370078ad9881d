import { Migration } from '@mikro-orm/migrations';

/** The event log with its per-org sequences, and webhook delivery state (docs/events.md). */
export class EventBackbone extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table event_log (
      id text primary key,
      org_id text not null,
      seq bigint not null,
      type text not null,
      subject_type text,
      subject_id text,
      actor_type text,
      actor_id text,
      request_id text,
      data jsonb not null,
      source text,
      occurred_at timestamptz(3) not null,
      recorded_at timestamptz(3) not null default clock_timestamp(),
      constraint event_log_org_seq unique (org_id, seq)
    )`);
    this.addSql('create index event_log_org_type on event_log (org_id, type, seq)');
    this.addSql('create index event_log_org_subject on event_log (org_id, subject_type, subject_id, seq)');
    this.addSql('create index event_log_org_actor on event_log (org_id, actor_id, seq) where actor_id is not null');
    this.addSql('create index event_log_recorded on event_log (recorded_at, id)');
    // One row per organization: the last sequence handed out (locked while a batch is appended)
    // and how far retention has pruned (resuming from before that needs a resync).
    this.addSql(`create table org_event_sequences (
      org_id text primary key,
      last_seq bigint not null default 0,
      pruned_through_seq bigint not null default 0
    )`);

    this.addSql(`alter table webhooks
      add column secret_prefix text not null default '',
      add column consecutive_failures integer not null default 0,
      add column disabled_reason text,
      add column disabled_at timestamptz,
      add column last_delivery_at timestamptz`);
    this.addSql(`create table webhook_deliveries (
      id text primary key,
      webhook_id text not null references webhooks (id) on delete cascade,
      org_id text not null,
      event_id text not null,
      event_seq bigint not null,
      event_type text not null,
      status text not null check (status in ('pending', 'retrying', 'succeeded', 'failed', 'cancelled')),
      attempts integer not null default 0,
      next_attempt_at timestamptz(3),
      last_status_code integer,
      last_error text,
      created_at timestamptz(3) not null default clock_timestamp(),
      completed_at timestamptz(3),
      constraint webhook_deliveries_once unique (webhook_id, event_id)
    )`);
    this.addSql(
      "create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status in ('pending', 'retrying')",
    );
    this.addSql('create index webhook_deliveries_history on webhook_deliveries (webhook_id, created_at desc, id desc)');
    this.addSql(`create table webhook_delivery_attempts (
      delivery_id text not null references webhook_deliveries (id) on delete cascade,
      attempt integer not null,
      status_code integer,
      duration_ms integer not null,
      error text,
      at timestamptz(3) not null default clock_timestamp(),
      primary key (delivery_id, attempt)
    )`);
  }
}
