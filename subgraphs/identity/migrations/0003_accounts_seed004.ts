import { Migration } from '@mikro-orm/migrations';

/**
 * Seed 004's account features: usernames, recorded terms/privacy acceptance, platform administrators,
 * erasure (a pseudonymised row keeps foreign keys valid), rotating refresh tokens grouped in families
 * (reuse of a used one revokes the family), team roles and team invitations, API-key descriptions.
 */
export class AccountsSeed004 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table users
      add column username text,
      add column terms_accepted_at timestamptz,
      add column privacy_accepted_at timestamptz,
      add column platform_admin boolean not null default false,
      add column erased_at timestamptz`);
    this.addSql('create unique index users_username on users (lower(username)) where username is not null');
    this.addSql(`alter table sessions
      add column family_id text,
      add column refresh_token_hash text unique,
      add column refresh_expires_at timestamptz,
      add column refreshed_at timestamptz`);
    this.addSql('create index sessions_family on sessions (family_id)');
    this.addSql(`alter table team_members
      add column role text not null default 'member' check (role in ('owner', 'admin', 'member'))`);
    this.addSql(`alter table invitations
      add column team_id text references teams (id) on delete cascade deferrable initially deferred,
      add column team_role text check (team_role in ('owner', 'admin', 'member'))`);
    this.addSql('alter table api_keys add column description text');
  }
}
