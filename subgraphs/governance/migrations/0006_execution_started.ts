import { Migration } from '@mikro-orm/migrations';

/**
 * When the call a held execution admitted started (`startHeldExecution`): set once, so a call held for
 * an approval runs once however many times its execution id is resumed, at once or after it ran.
 */
export class ExecutionStarted extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table executions add column started_at timestamptz');
  }
}
