import { Migration } from '@mikro-orm/migrations';

/**
 * Issue #10, second part: snapshots and fork, transfers between organizations.
 *
 * - `vms.last_node_id`: where a VM that left its node (stopped, failed) last ran — its disk stays there on
 *   the `process` runtime, so a snapshot of a stopped VM is taken by that node's agent.
 * - `vms.source_snapshot_id` / `vms.pinned_node_id`: a fork restores its disk from the snapshot's archive,
 *   which lives on the node that took it; the fork is placed on that node only.
 * - `snapshots`: one archive of a stopped VM's disk on its node (status creating → available | failed;
 *   soft-deleted with `deleted_at`, the agent removes the archive and sets `purged_at`).
 * - `transfers`: a pending offer of a VM or cluster from one organization to another (accept re-homes it).
 * - `org_directory`: organizations' names and slugs, kept from identity's `organization.*` events.
 */
export class GpuCloud2 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table vms add column last_node_id text, add column source_snapshot_id text,
      add column pinned_node_id text`);
    this.addSql(`create table snapshots (
      id text primary key,
      org_id text not null,
      vm_id text not null references vms (id),
      name text not null,
      node_id text not null references nodes (id),
      status text not null check (status in ('creating', 'available', 'failed', 'deleted')),
      status_reason text,
      size_bytes bigint,
      disk_size_gb integer not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz,
      purged_at timestamptz
    )`);
    this.addSql('create index snapshots_org on snapshots (org_id, created_at desc) where deleted_at is null');
    this.addSql(`create index snapshots_node_work on snapshots (node_id)
      where status = 'creating' or (deleted_at is not null and purged_at is null)`);
    this.addSql('create index vms_source_snapshot on vms (source_snapshot_id) where source_snapshot_id is not null');

    this.addSql(`create table transfers (
      id text primary key,
      source_org_id text not null,
      target_org_id text not null,
      resource_type text not null check (resource_type in ('vm', 'cluster')),
      resource_id text not null,
      resource_name text not null,
      note text,
      status text not null check (status in ('pending', 'accepted', 'rejected', 'cancelled')),
      initiated_by text not null,
      decided_by text,
      created_at timestamptz not null,
      decided_at timestamptz,
      check (source_org_id <> target_org_id)
    )`);
    // One pending offer per resource: a second initiate is a 409, and accept re-homes exactly once.
    this.addSql(
      "create unique index transfers_one_pending on transfers (resource_type, resource_id) where status = 'pending'",
    );
    this.addSql('create index transfers_incoming on transfers (target_org_id, created_at desc)');
    this.addSql('create index transfers_outgoing on transfers (source_org_id, created_at desc)');

    // Compute's own view of organizations' names and slugs (identity's organization.* events), so a
    // transfer can name its target by slug and list both sides by name without reading identity's tables.
    this.addSql(`create table org_directory (
      org_id text primary key,
      name text not null,
      slug text not null,
      deleted boolean not null default false,
      updated_at timestamptz not null
    )`);
    this.addSql('create index org_directory_slug on org_directory (slug) where not deleted');
  }
}
