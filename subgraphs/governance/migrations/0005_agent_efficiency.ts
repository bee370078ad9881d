import { Migration } from '@mikro-orm/migrations';

/**
 * The agent-efficiency dashboard (seed 004, docs/governance.md §Agent efficiency): governance keeps what it
 * needs from compute's events (it never reads compute's tables) — an agent directory from `agent.*` (name,
 * budget workflow) and per-agent, per-UTC-day task outcomes from `job.succeeded|failed|cancelled` events
 * that carry an `agentId`. Days make any window of whole days one index range.
 */
export class AgentEfficiency extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table agent_directory (
      agent_id text primary key,
      org_id text not null,
      name text not null,
      workflow_id text,
      desired_state text,
      updated_at timestamptz not null
    )`);
    this.addSql('create index agent_directory_org on agent_directory (org_id, agent_id collate "C")');
    this.addSql(`create table agent_task_days (
      org_id text not null,
      agent_id text not null,
      day date not null,
      completed integer not null default 0 check (completed >= 0),
      failed integer not null default 0 check (failed >= 0),
      cancelled integer not null default 0 check (cancelled >= 0),
      primary key (org_id, agent_id, day)
    )`);
  }
}
