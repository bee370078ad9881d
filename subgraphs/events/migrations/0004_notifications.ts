import { Migration } from '@mikro-orm/migrations';

/**
 * Seed 004: the per-user notifications inbox and the client-written activity log, plus the
 * delivery of notifications to email, webhook and Slack channels with every attempt kept
 * (docs/notifications.md).
 */
export class Notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table notifications (
      id text primary key,
      org_id text not null,
      user_id text not null,
      type text not null check (type in ('info', 'warning', 'error', 'success')),
      title text not null,
      message text not null,
      source text,
      link text,
      source_event_id text,
      created_by text,
      read_at timestamptz(3),
      created_at timestamptz(3) not null default clock_timestamp(),
      constraint notifications_once_per_event unique (user_id, source_event_id)
    )`);
    this.addSql('create index notifications_inbox on notifications (org_id, user_id, created_at desc, id desc)');
    this.addSql('create index notifications_unread on notifications (org_id, user_id) where read_at is null');

    this.addSql(`create table activity_log (
      id text primary key,
      org_id text not null,
      actor_type text not null check (actor_type in ('agent', 'system', 'user')),
      actor_id text not null,
      action text not null,
      entity_type text,
      entity_id text,
      metadata jsonb not null default '{}',
      recorded_by text,
      created_at timestamptz(3) not null default clock_timestamp()
    )`);
    this.addSql('create index activity_log_recent on activity_log (org_id, created_at desc, id desc)');
    this.addSql('create index activity_log_action on activity_log (org_id, action, created_at desc)');
    this.addSql('create index activity_log_actor on activity_log (org_id, actor_type, actor_id, created_at desc)');

    // A `notification.requested` event taken by the delivery consumer, expanded by the sender into
    // inbox notifications (one per member) and deliveries (one per channel and email address).
    this.addSql(`create table notification_requests (
      event_id text primary key,
      org_id text not null,
      data jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'expanded')),
      attempts integer not null default 0,
      next_attempt_at timestamptz(3) not null default clock_timestamp(),
      last_error text,
      created_at timestamptz(3) not null default clock_timestamp(),
      expanded_at timestamptz(3)
    )`);
    this.addSql(
      "create index notification_requests_due on notification_requests (next_attempt_at) where status = 'pending'",
    );
    this.addSql(`create table notification_deliveries (
      id text primary key,
      org_id text not null,
      source_event_id text not null,
      event_type text not null,
      channel text not null check (channel in ('email', 'webhook', 'slack')),
      target text not null,
      user_id text,
      payload jsonb not null,
      url text,
      secret_sealed text,
      status text not null default 'pending' check (status in ('pending', 'retrying', 'succeeded', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz(3) default clock_timestamp(),
      last_status_code integer,
      last_error text,
      created_at timestamptz(3) not null default clock_timestamp(),
      completed_at timestamptz(3),
      constraint notification_deliveries_once unique (source_event_id, channel, target)
    )`);
    this.addSql(
      "create index notification_deliveries_due on notification_deliveries (next_attempt_at) where status in ('pending', 'retrying')",
    );
    this.addSql(
      'create index notification_deliveries_recent on notification_deliveries (org_id, created_at desc, id desc)',
    );
    this.addSql(`create table notification_delivery_attempts (
      delivery_id text not null references notification_deliveries (id) on delete cascade,
      attempt integer not null,
      status_code integer,
      duration_ms integer not null,
      error text,
      at timestamptz(3) not null default clock_timestamp(),
      primary key (delivery_id, attempt)
    )`);
  }
}
