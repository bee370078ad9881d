import { Migration } from '@mikro-orm/migrations';

/**
 * Issue #10 item 6: a runner pool launches its own runners as workloads on nodes (pool-runners.ts).
 * A node offers one runner slot per CPU core it reported (`cpu_cores`); `runner_slots_used` counts the
 * slots its runners hold and a check constraint keeps it within them, as `gpu_used` within `gpu_total`.
 * A runner's credential is not stored: it is derived from the runner id with an internal key.
 * A pool may be resized to 0 runners (it keeps its queue), so its size check now starts at 0.
 */
export class PoolRunners extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table nodes add column runner_slots_used integer not null default 0,
      add constraint nodes_runner_slots check (runner_slots_used >= 0 and runner_slots_used <= cpu_cores)`);
    this.addSql(`alter table runner_pools drop constraint runner_pools_size_check,
      add constraint runner_pools_size_check check (size between 0 and 1000)`);
    this.addSql(`create table pool_runners (
      id text primary key,
      pool_id text not null references runner_pools (id),
      org_id text not null,
      status text not null check (status in ('pending', 'provisioning', 'running', 'stopping', 'stopped', 'failed')),
      status_reason text,
      node_id text references nodes (id),
      last_node_id text,
      pending_since timestamptz not null,
      started_at timestamptz,
      stopped_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create index pool_runners_pool on pool_runners (pool_id, id)');
    this.addSql('create index pool_runners_node on pool_runners (node_id) where node_id is not null');
    this.addSql(`create index pool_runners_pending on pool_runners (pending_since) where status = 'pending'`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists pool_runners');
    this.addSql(`alter table runner_pools drop constraint runner_pools_size_check,
      add constraint runner_pools_size_check check (size between 1 and 1000)`);
    this.addSql(
      'alter table nodes drop constraint if exists nodes_runner_slots, drop column if exists runner_slots_used',
    );
  }
}
