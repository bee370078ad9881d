import { Migration } from '@mikro-orm/migrations';

/**
 * Agents, templates and tasks (seed 004, docs/jobs.md#agents). An agent is a long-lived worker identity
 * with its own queue (`agent.<id>`), an optional budget (a governance workflow) and a lifecycle
 * (`desired_state`: running | stopped | deactivated — a stopped agent's tasks are not claimable). A task is
 * a job on its agent's queue (`agent_tasks.id` = `jobs.id`) plus the seed's task fields; `label` holds a
 * status the job's state machine does not have (review, blocked) until the job moves on.
 */
export class Agents extends Migration {
  override async up(): Promise<void> {
    // The engine's retry count of the current attempt (its fence), apart from `attempts`: a job moved to
    // another queue (a task reassigned) is a new engine job whose count starts again.
    this.addSql('alter table jobs add column engine_retry integer not null default 0');
    this.addSql(`create table agent_templates (
      id text primary key,
      org_id text not null,
      name text not null,
      slug text not null,
      description text,
      icon text,
      category text,
      model text,
      interval_sec integer,
      identity text,
      tools jsonb not null default '[]',
      capabilities jsonb not null default '[]',
      config jsonb not null default '{}',
      is_featured boolean not null default false,
      sort_order integer not null default 0,
      archived_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create unique index agent_templates_slug on agent_templates (org_id, slug)');
    this.addSql(`create table agents (
      id text primary key,
      org_id text not null,
      name text not null,
      emoji text,
      role text not null,
      status text not null check (status in ('idle', 'working', 'blocked', 'offline', 'paused')),
      desired_state text not null check (desired_state in ('running', 'stopped', 'deactivated')),
      model text,
      interval_sec integer,
      workspace_path text,
      current_task text,
      template_id text references agent_templates (id),
      workflow_id text,
      restart_count integer not null default 0,
      last_heartbeat_at timestamptz,
      started_at timestamptz,
      stopped_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create unique index agents_name on agents (org_id, name)');
    this.addSql(`create table agent_tasks (
      id text primary key references jobs (id),
      org_id text not null,
      agent_id text not null references agents (id),
      title text not null,
      description text,
      kind text not null,
      priority text not null check (priority in ('low', 'medium', 'high', 'critical')),
      label text check (label in ('review', 'blocked')),
      resolution text,
      product_id integer,
      archived_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create index agent_tasks_org on agent_tasks (org_id, id desc)');
  }
}
