import { Migration } from '@mikro-orm/migrations';

export class InitialEvents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table webhooks (
      id text primary key,
      org_id text not null,
      name text not null,
      url text not null,
      events text[] not null default '{}',
      enabled boolean not null default true,
      secret_sealed text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create index webhooks_org on webhooks (org_id)');
  }
}
