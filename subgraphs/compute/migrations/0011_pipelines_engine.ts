import { Migration } from '@mikro-orm/migrations';

/**
 * Issue #11, pipelines on the queue engine (pipelines/run-queue.ts): a run's advance is a pg-boss job whose
 * lease is the engine's, so the hand-written claim columns go: `workflow_runs.lease_until` and the index the
 * driver polled due runs by (`workflow_runs_due`). `wake_at` stays as the run's shown next wake-up (a timer).
 * Runs that were `running` when this migrated are adopted by the driver at start (it sends their advances).
 */
export class PipelinesEngine extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop index if exists workflow_runs_due');
    this.addSql('alter table workflow_runs drop column lease_until');
  }
}
