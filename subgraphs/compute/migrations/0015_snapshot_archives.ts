import { Migration } from '@mikro-orm/migrations';

/**
 * Issue #10: forks on any node. A snapshot's archive is uploaded by the agent that took it into the control
 * plane's storage (kernel/asset-storage.ts, key `snapshots/<orgId>/<snapshotId>`); the snapshot is
 * `available` only once stored, with the stored bytes' size and SHA-256, which the agent restoring a fork
 * checks. Forks are no longer pinned to the snapshot's node (`vms.pinned_node_id` stays, unused: a pending
 * fork of an older snapshot is released to any node, where its restore fails with a reason if its archive
 * was never stored).
 */
export class SnapshotArchives extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table snapshots add column sha256 text, add column storage_key text');
    this.addSql("update vms set pinned_node_id = null where pinned_node_id is not null and status = 'pending'");
  }

  override async down(): Promise<void> {
    this.addSql('alter table snapshots drop column sha256, drop column storage_key');
  }
}
