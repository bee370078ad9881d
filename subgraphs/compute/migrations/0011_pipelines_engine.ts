import { Migration } from '@mikro-orm/migrations';

/**
 * Issue #11, pipelines on the queue engine (pipelines/run-queue.ts): a run's advance is a pg-boss job whose
 * lease is the engine's, so the hand-written claim columns go: `workflow_runs.lease_until` and the index the
 * driver polled due runs by (`workflow_runs_due`). `wake_at` stays as the run's shown next wake-up (a timer).
 * Runs that were `running` when this migrated are adopted by the driver at start (it sends their advances).
 *
 * Schedules that target a job (issue #11 item 4): `workflow_schedules.job` holds the job spec (queue, type,
 * payload, priority, maxAttempts, timeoutSeconds) instead of a definition — exactly one of the two — and a
 * tick's fire row records the job it submitted (`workflow_schedule_fires.job_id`).
 */
export class PipelinesEngine extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop index if exists workflow_runs_due');
    this.addSql('alter table workflow_runs drop column lease_until');
    this.addSql('alter table workflow_schedules alter column definition_id drop not null, add column job jsonb');
    this.addSql(
      'alter table workflow_schedules add constraint workflow_schedules_target check ((definition_id is null) <> (job is null))',
    );
    this.addSql('alter table workflow_schedule_fires add column job_id text');
  }
}
