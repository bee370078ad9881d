import { Migration } from '@mikro-orm/migrations';

/**
 * Clusters (seed 003): autoscaling inference endpoints. A cluster holds the workload spec and the desired
 * replica count; its replicas are rows of `vms` with `cluster_id` set, placed and run like any VM.
 * `desired_state` is what the user asked for; `status` is derived from the replicas' health.
 */
export class Clusters extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table clusters (
      id text primary key,
      org_id text not null,
      name text not null,
      desired_state text not null check (desired_state in ('running', 'stopped', 'terminated')),
      status text not null check (status in ('pending', 'running', 'degraded', 'failed', 'stopped', 'terminated')),
      status_reason text,
      replica_count integer not null check (replica_count between 0 and 100),
      spec jsonb not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create index clusters_org on clusters (org_id, id desc)');
    this.addSql("create index clusters_live on clusters (id) where desired_state = 'running'");
    this.addSql('create index vms_cluster on vms (cluster_id) where cluster_id is not null');
  }
}
