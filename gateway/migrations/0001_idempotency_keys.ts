import { Migration } from '@mikro-orm/migrations';

/** Idempotency-Key records of the REST adapter (rest-adapter/idempotency.ts). */
export class IdempotencyKeys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table idempotency_keys (
      scope text not null,
      key text not null,
      fingerprint text not null,
      state text not null check (state in ('in_flight', 'done')),
      owner text,
      lease_until timestamptz,
      response_status integer,
      response_headers jsonb,
      response_body text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (scope, key)
    )`);
    this.addSql('create index idempotency_keys_expiry on idempotency_keys (expires_at)');
  }
}
