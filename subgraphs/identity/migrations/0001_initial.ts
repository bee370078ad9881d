import { Migration } from '@mikro-orm/migrations';

// Foreign keys are deferred to commit: the unit of work inserts rows in any order within one transaction.
export class InitialIdentity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table users (
      id text primary key,
      email text not null unique,
      password_hash text not null,
      name text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql(`create table organizations (
      id text primary key,
      name text not null,
      slug text not null unique,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz
    )`);
    this.addSql(`create table memberships (
      id text primary key,
      org_id text not null references organizations (id) deferrable initially deferred,
      user_id text not null references users (id) deferrable initially deferred,
      role text not null check (role in ('viewer', 'member', 'admin', 'owner')),
      created_at timestamptz not null,
      unique (org_id, user_id)
    )`);
    this.addSql('create index memberships_user on memberships (user_id)');
    this.addSql(`create table sessions (
      id text primary key,
      user_id text not null references users (id) deferrable initially deferred,
      token_hash text not null unique,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      created_at timestamptz not null
    )`);
    this.addSql(`create table api_keys (
      id text primary key,
      org_id text not null references organizations (id) deferrable initially deferred,
      name text not null,
      prefix text not null,
      key_hash text not null unique,
      scopes text[] not null,
      role text not null,
      workflow_id text,
      created_by text not null,
      signing_secret_sealed text not null,
      expires_at timestamptz,
      disabled_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz,
      created_at timestamptz not null
    )`);
    this.addSql('create index api_keys_org on api_keys (org_id)');
  }
}
