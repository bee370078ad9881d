import { Migration } from '@mikro-orm/migrations';

export class InitialGovernance extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table workflows (
      id text primary key,
      org_id text not null,
      name text not null,
      status text not null check (status in ('active', 'paused', 'killed')),
      budget_micros bigint check (budget_micros >= 0),
      spent_micros bigint not null default 0,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create index workflows_org on workflows (org_id, created_at desc)');
  }
}
