import { Migration } from '@mikro-orm/migrations';

/**
 * Approval gates of pipeline runs (seed 002 `/runs/:id/approve|deny`, docs/pipelines.md): an approval is
 * either an SDK execution's (execution_id) or a run node's (run_id, node_id), opened by the
 * `governance.run-approvals` consumer of compute's `run.approval_requested` — at most one per (run, node).
 */
export class RunApprovals extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table approvals alter column execution_id drop not null');
    this.addSql('alter table approvals add column run_id text, add column node_id text, add column message text');
    this.addSql(
      'alter table approvals add constraint approvals_subject check ((execution_id is null) <> (run_id is null))',
    );
    this.addSql('create unique index approvals_run_node on approvals (run_id, node_id) where run_id is not null');
    this.addSql(
      "create index approvals_run_pending on approvals (expires_at) where run_id is not null and status = 'pending'",
    );
  }
}
