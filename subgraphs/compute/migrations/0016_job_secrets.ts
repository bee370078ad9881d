import { Migration } from '@mikro-orm/migrations';

/**
 * Issue #11 item 7: a job names the vault secrets its worker receives at claim (docs/jobs.md#secrets). Only
 * the names are stored; the values are opened from the vault in the claim's transaction and never written.
 */
export class JobSecrets extends Migration {
  override async up(): Promise<void> {
    this.addSql("alter table jobs add column secret_names text[] not null default '{}'");
  }

  override async down(): Promise<void> {
    this.addSql('alter table jobs drop column secret_names');
  }
}
