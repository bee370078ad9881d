import { Migration } from '@mikro-orm/migrations';

// Foreign keys are deferred to commit: the unit of work inserts rows in any order within one transaction.
// Credential columns hold SHA-256 digests or AES-GCM sealed values only.
export class InitialIdentity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table users (
      id text primary key,
      email text not null unique,
      password_hash text not null,
      name text,
      avatar_url text,
      default_org_id text,
      onboarded_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql(`create table organizations (
      id text primary key,
      name text not null,
      slug text not null unique,
      billing_email text,
      created_by text,
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
    this.addSql(`create table teams (
      id text primary key,
      org_id text not null references organizations (id) deferrable initially deferred,
      name text not null,
      description text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (org_id, name)
    )`);
    this.addSql(`create table team_members (
      id text primary key,
      team_id text not null references teams (id) on delete cascade deferrable initially deferred,
      org_id text not null,
      user_id text not null references users (id) deferrable initially deferred,
      created_at timestamptz not null,
      unique (team_id, user_id)
    )`);
    this.addSql('create index team_members_user on team_members (user_id)');
    this.addSql(`create table sessions (
      id text primary key,
      user_id text not null references users (id) deferrable initially deferred,
      token_hash text not null unique,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      created_at timestamptz not null
    )`);
    this.addSql('create index sessions_user on sessions (user_id) where revoked_at is null');
    this.addSql(`create table password_resets (
      id text primary key,
      user_id text not null references users (id) deferrable initially deferred,
      token_hash text not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null
    )`);
    this.addSql(`create table invitations (
      id text primary key,
      org_id text not null references organizations (id) deferrable initially deferred,
      email text not null,
      role text not null check (role in ('viewer', 'member', 'admin', 'owner')),
      token_hash text not null unique,
      status text not null check (status in ('pending', 'accepted', 'declined', 'revoked')),
      invited_by text not null,
      accepted_by text,
      expires_at timestamptz not null,
      responded_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    // One open invitation per address and organization.
    this.addSql(`create unique index invitations_pending on invitations (org_id, email) where status = 'pending'`);
    this.addSql(`create table api_keys (
      id text primary key,
      org_id text not null references organizations (id) deferrable initially deferred,
      name text not null,
      prefix text not null,
      key_hash text not null unique,
      previous_key_hash text unique,
      previous_key_expires_at timestamptz,
      scopes text[] not null,
      role text not null check (role in ('viewer', 'member', 'admin', 'owner')),
      workflow_id text,
      created_by text not null,
      signing_secret_sealed text not null,
      previous_secret_sealed text,
      previous_secret_expires_at timestamptz,
      expires_at timestamptz,
      disabled_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz,
      usage_count bigint not null default 0,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create index api_keys_org on api_keys (org_id, created_at)');
    this.addSql('create index api_keys_workflow on api_keys (workflow_id) where workflow_id is not null');
    // Per-key request counts by hour, written in batches by the gateways.
    this.addSql(`create table api_key_usage (
      key_id text not null references api_keys (id) on delete cascade,
      hour timestamptz not null,
      requests bigint not null,
      primary key (key_id, hour)
    )`);
  }
}
