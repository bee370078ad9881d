import { Migration } from '@mikro-orm/migrations';

/**
 * Pending deliveries to durable event consumers (kernel/event-consumers.ts): one row per
 * (consumer, event), created in the transaction that appends the event to the log.
 */
export class EventConsumers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table consumer_deliveries (
      id bigserial primary key,
      consumer text not null,
      subgraph text not null,
      org_id text not null,
      event_id text not null,
      event_seq bigint not null,
      event_type text not null,
      status text not null default 'pending' check (status in ('pending', 'done', 'parked', 'skipped')),
      attempts integer not null default 0,
      next_attempt_at timestamptz(3) not null default clock_timestamp(),
      last_error text,
      created_at timestamptz(3) not null default clock_timestamp(),
      completed_at timestamptz(3),
      constraint consumer_deliveries_once unique (consumer, event_id)
    )`);
    // The delivery worker reads a consumer's pending rows per organization in sequence order.
    this.addSql(
      "create index consumer_deliveries_pending on consumer_deliveries (consumer, org_id, event_seq) where status = 'pending'",
    );
    this.addSql(
      "create index consumer_deliveries_parked on consumer_deliveries (consumer, id) where status = 'parked'",
    );
    this.addSql('create index consumer_deliveries_age on consumer_deliveries (created_at)');
  }
}
