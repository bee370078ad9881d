import { Migration } from '@mikro-orm/migrations';

/**
 * Pipelines (seeds 001/002, docs/pipelines.md): versioned workflow definitions (a DAG of typed nodes), runs
 * (a state machine persisted per node), breakpoints, sessions and schedules. A run's admission and kill switch
 * read `workflow_states` (0004_jobs: compute's copy of governance workflow states).
 *
 * `workflow_node_executions` has one row per (run, node): the primary key makes a node's completion unique, so
 * a driver that died after completing a node and was replaced cannot complete it a second time.
 */
export class Pipelines extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table workflow_definitions (
      id text not null,
      version integer not null check (version >= 1),
      org_id text not null,
      name text not null,
      description text,
      nodes jsonb not null,
      triggers jsonb not null default '[]'::jsonb,
      created_by text,
      created_at timestamptz not null,
      primary key (id, version)
    )`);
    this.addSql('create unique index workflow_definitions_name on workflow_definitions (org_id, name, version)');
    this.addSql('create index workflow_definitions_org on workflow_definitions (org_id, id desc)');

    this.addSql(`create table workflow_runs (
      id text primary key,
      org_id text not null,
      definition_id text not null,
      definition_version integer not null,
      workflow_id text,
      session_id text,
      parent_run_id text,
      parent_node_id text,
      trigger_id text,
      status text not null check (status in
        ('pending', 'running', 'waiting', 'paused_at_breakpoint', 'succeeded', 'failed', 'cancelled')),
      status_reason text,
      input jsonb not null,
      output jsonb,
      error text,
      idempotency_key text,
      request_hash text,
      paused_node_id text,
      released_nodes text[] not null default '{}',
      wake_at timestamptz,
      lease_until timestamptz,
      created_by text,
      created_at timestamptz not null,
      started_at timestamptz,
      finished_at timestamptz,
      updated_at timestamptz not null
    )`);
    this.addSql(
      'create unique index workflow_runs_idempotency on workflow_runs (org_id, idempotency_key) where idempotency_key is not null',
    );
    this.addSql('create index workflow_runs_org on workflow_runs (org_id, id desc)');
    // The driver's queue: runs due now, oldest wake first.
    this.addSql("create index workflow_runs_due on workflow_runs (wake_at) where status = 'running'");
    this.addSql('create index workflow_runs_workflow on workflow_runs (workflow_id) where workflow_id is not null');
    this.addSql(
      "create index workflow_runs_paused on workflow_runs (org_id, id desc) where status = 'paused_at_breakpoint'",
    );

    this.addSql(`create table workflow_node_executions (
      run_id text not null references workflow_runs (id) on delete cascade,
      node_id text not null,
      org_id text not null,
      type text not null,
      status text not null check (status in ('running', 'waiting', 'succeeded', 'failed', 'skipped')),
      output jsonb,
      error text,
      attempts integer not null default 1,
      job_id text,
      approval_requested boolean not null default false,
      wait_until timestamptz,
      started_at timestamptz not null,
      finished_at timestamptz,
      primary key (run_id, node_id)
    )`);
    this.addSql(
      'create index workflow_node_executions_job on workflow_node_executions (job_id) where job_id is not null',
    );

    this.addSql(`create table workflow_breakpoints (
      org_id text not null,
      step_id text not null,
      definition_id text,
      created_by text,
      created_at timestamptz not null,
      primary key (org_id, step_id)
    )`);

    this.addSql(`create table workflow_sessions (
      id text primary key,
      org_id text not null,
      definition_id text not null,
      last_run_id text,
      state jsonb not null default '{}'::jsonb,
      status text not null check (status in ('active', 'running', 'closed')),
      run_count integer not null default 0,
      expires_at timestamptz not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create index workflow_sessions_org on workflow_sessions (org_id, id desc)');

    this.addSql(`create table workflow_schedules (
      id text primary key,
      org_id text not null,
      name text,
      definition_id text not null,
      input jsonb not null default '{}'::jsonb,
      workflow_id text,
      kind text not null check (kind in ('cron', 'every', 'delay')),
      cron text,
      timezone text,
      every_seconds integer,
      missed text not null check (missed in ('skip', 'catch_up')),
      next_fire_at timestamptz,
      last_fired_at timestamptz,
      fire_count integer not null default 0,
      created_by text,
      created_at timestamptz not null
    )`);
    this.addSql('create index workflow_schedules_org on workflow_schedules (org_id, id desc)');
    this.addSql(
      'create index workflow_schedules_due on workflow_schedules (next_fire_at) where next_fire_at is not null',
    );
    // One row per tick: the primary key is what makes a tick fire once across replicas.
    this.addSql(`create table workflow_schedule_fires (
      schedule_id text not null references workflow_schedules (id) on delete cascade,
      fire_at timestamptz not null,
      run_id text,
      fired_at timestamptz not null,
      primary key (schedule_id, fire_at)
    )`);
  }
}
