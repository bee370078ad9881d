import { Migration } from '@mikro-orm/migrations';

/**
 * The credentials vault (org secrets sealed with the kernel's SecretBox, bound to their row) and
 * assets (metadata here; the bytes live in the configured storage driver).
 */
export class VaultAssets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table vault_credentials (
      org_id text not null,
      key text not null,
      description text,
      sealed_value text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      updated_by text,
      last_accessed_at timestamptz,
      primary key (org_id, key)
    )`);
    this.addSql(`create table assets (
      id text primary key,
      org_id text not null,
      name text not null,
      content_type text not null,
      size_bytes bigint not null check (size_bytes >= 0),
      sha256 text not null,
      driver text not null check (driver in ('filesystem', 's3')),
      storage_key text not null,
      created_by text,
      created_at timestamptz not null
    )`);
    this.addSql('create index assets_org_time on assets (org_id, created_at desc)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table assets');
    this.addSql('drop table vault_credentials');
  }
}
