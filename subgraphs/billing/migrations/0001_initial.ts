import { Migration } from '@mikro-orm/migrations';

export class InitialBilling extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table ledger_entries (
      id text primary key,
      org_id text not null,
      amount_cents bigint not null check (amount_cents <> 0),
      kind text not null check (kind in ('deposit', 'usage', 'credit', 'refund', 'adjustment')),
      description text,
      idempotency_key text unique,
      created_at timestamptz not null
    )`);
    this.addSql('create index ledger_entries_org on ledger_entries (org_id, created_at desc)');
    // Append-only: the ledger is corrected by new entries, never by edits.
    this.addSql(`create function ledger_entries_append_only() returns trigger language plpgsql as $$
      begin raise exception 'ledger_entries is append-only'; end $$`);
    this.addSql(`create trigger ledger_entries_no_update before update or delete on ledger_entries
      for each row execute function ledger_entries_append_only()`);
  }
}
