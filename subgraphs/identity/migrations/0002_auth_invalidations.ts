import { Migration } from '@mikro-orm/migrations';

/**
 * The revocation log: every credential or membership change that must reach the gateways' caches,
 * in commit order (see subgraphs/identity/invalidations.ts). Gateways read it after a bus outage
 * and periodically, so a revocation is never carried by the bus alone.
 */
export class AuthInvalidations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table auth_invalidations (
      seq bigserial primary key,
      key_ids text[] not null default '{}',
      user_ids text[] not null default '{}',
      session_ids text[] not null default '{}',
      created_at timestamptz not null default now()
    )`);
  }
}
