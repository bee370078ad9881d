import { Migration } from '@mikro-orm/migrations';

/**
 * Issue #10, runner pools (runner-pools.ts): a named pool with a RAM tier and a size (most concurrent
 * runners), bound to its own job queue `pool.<id>`.
 *
 * - `runner_pools`: status active → draining (refuses new jobs, its queued and running jobs finish) →
 *   deleted; a name is unique among an organization's pools that are not deleted.
 * - `jobs.runner_ram_gb` / `jobs.runner_price_per_minute_micros`: the pool's tier and price stamped on a
 *   job when a runner claims it, so a resize bills only later claims and metrics price each job at its tier.
 */
export class RunnerPools extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table runner_pools (
      id text primary key,
      org_id text not null,
      name text not null,
      ram_gb integer not null,
      size integer not null check (size between 1 and 1000),
      disk_size_gb integer,
      status text not null check (status in ('active', 'draining', 'deleted')),
      created_by text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz
    )`);
    this.addSql(`create unique index runner_pools_org_name on runner_pools (org_id, name) where status <> 'deleted'`);
    this.addSql(`create index runner_pools_org on runner_pools (org_id, id desc) where status <> 'deleted'`);
    this.addSql('alter table jobs add column runner_ram_gb integer, add column runner_price_per_minute_micros bigint');
    // A pool's job list, newest first (jobs_org_queue leads with status).
    this.addSql('create index jobs_org_queue_id on jobs (org_id, queue, id desc)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists jobs_org_queue_id');
    this.addSql('alter table jobs drop column runner_ram_gb, drop column runner_price_per_minute_micros');
    this.addSql('drop table runner_pools');
  }
}
