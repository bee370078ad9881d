/**
 * Budgets with periods and reservations, policies and templates, executions,
 * usage events (idempotent by event id), rate-limit counters, approvals,
 * alerts, alert channels and notification settings.
 *
 * Money is bigint micro-dollars. The budget invariant the hot path keeps with
 * conditional updates is `spent_micros + reserved_micros + cost <= budget_micros`.
 */
import { Migration } from '@mikro-orm/migrations';

export class GovernanceCore extends Migration {
  override async up(): Promise<void> {
    // Period boundaries in UTC, whatever the session time zone.
    this.addSql(`create function period_start(period text, at timestamptz) returns timestamptz
      language sql stable as $$
        select case period
          when 'daily' then date_trunc('day', at at time zone 'UTC') at time zone 'UTC'
          when 'monthly' then date_trunc('month', at at time zone 'UTC') at time zone 'UTC'
        end
      $$`);
    this.addSql(`create function period_end(period text, at timestamptz) returns timestamptz
      language sql stable as $$
        select case period
          when 'daily' then (date_trunc('day', at at time zone 'UTC') + interval '1 day') at time zone 'UTC'
          when 'monthly' then (date_trunc('month', at at time zone 'UTC') + interval '1 month') at time zone 'UTC'
        end
      $$`);

    this.addSql(`alter table workflows
      add column reserved_micros bigint not null default 0 check (reserved_micros >= 0),
      add column budget_period text not null default 'none' check (budget_period in ('none', 'daily', 'monthly')),
      add column period_started_at timestamptz,
      add column period_ends_at timestamptz,
      add column previous_period_spent_micros bigint not null default 0,
      add column reset_announced_at timestamptz,
      add column status_reason text,
      add column paused_at timestamptz,
      add column killed_at timestamptz`);
    // Pages order by id (ULIDs sort by creation time).
    this.addSql('create index workflows_org_page on workflows (org_id, id collate "C")');
    // Sweeper: periods to roll over.
    this.addSql('create index workflows_period_end on workflows (period_ends_at) where period_ends_at is not null');
    // Sweeper: resets not announced yet.
    this.addSql(`create index workflows_unannounced on workflows (id)
      where budget_period <> 'none' and reset_announced_at is distinct from period_started_at`);

    this.addSql(`create table org_settings (
      org_id text primary key,
      alert_thresholds integer[],
      daily_budget_micros bigint check (daily_budget_micros >= 0),
      daily_spent_micros bigint not null default 0,
      daily_reserved_micros bigint not null default 0 check (daily_reserved_micros >= 0),
      day_ends_at timestamptz,
      updated_at timestamptz not null
    )`);

    this.addSql(`create table policies (
      id text primary key,
      org_id text not null,
      name text not null,
      description text,
      priority integer not null,
      enabled boolean not null default true,
      action text not null check (action in ('allow', 'deny', 'require_approval', 'cap_cost', 'rate_limit')),
      match jsonb not null default '{}',
      max_cost_micros bigint check (max_cost_micros >= 0),
      rate_limit integer check (rate_limit > 0),
      rate_window_seconds integer check (rate_window_seconds > 0),
      rate_unit text check (rate_unit in ('calls', 'tokens')),
      rate_per text check (rate_per in ('organization', 'workflow', 'api_key')),
      template_id text,
      created_by text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create index policies_org on policies (org_id, priority, created_at, id)');

    this.addSql(`create table template_enablements (
      org_id text not null,
      template_id text not null,
      parameters jsonb not null,
      policy_id text,
      enabled_by text,
      enabled_at timestamptz not null,
      primary key (org_id, template_id)
    )`);

    this.addSql(`create table executions (
      id text primary key,
      org_id text not null,
      workflow_id text,
      api_key_id text,
      principal_id text,
      model text,
      provider text,
      tags text[] not null default '{}',
      metadata jsonb,
      decision text not null check (decision in ('allow', 'deny', 'require_approval')),
      status text not null check (status in ('reserved', 'settled', 'expired', 'denied', 'pending_approval')),
      reason text,
      policy_id text,
      approval_id text,
      estimated_cost_micros bigint not null default 0,
      reserved_micros bigint not null default 0,
      org_reserved boolean not null default false,
      actual_cost_micros bigint,
      input_tokens bigint,
      output_tokens bigint,
      latency_ms integer,
      expires_at timestamptz,
      settled_at timestamptz,
      created_at timestamptz not null
    )`);
    this.addSql('create index executions_org on executions (org_id, id collate "C")');
    this.addSql('create index executions_workflow on executions (workflow_id, id collate "C")');
    // Sweeper: open reservations and approvals past their expiry.
    this.addSql(
      `create index executions_open on executions (expires_at) where status in ('reserved', 'pending_approval')`,
    );

    this.addSql(`create table usage_events (
      org_id text not null,
      event_id text not null,
      execution_id text,
      workflow_id text,
      api_key_id text,
      model text,
      provider text,
      cost_micros bigint not null check (cost_micros >= 0),
      input_tokens bigint not null default 0,
      output_tokens bigint not null default 0,
      latency_ms integer,
      tags text[] not null default '{}',
      metadata jsonb,
      occurred_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      primary key (org_id, event_id)
    )`);
    this.addSql('create index usage_events_recent on usage_events (org_id, recorded_at desc)');
    this.addSql('create index usage_events_workflow on usage_events (workflow_id, recorded_at desc)');

    this.addSql(`create table rate_counters (
      policy_id text not null,
      subject text not null,
      window_start timestamptz not null,
      window_ends_at timestamptz not null,
      calls bigint not null default 0,
      tokens bigint not null default 0,
      primary key (policy_id, subject, window_start)
    )`);
    this.addSql('create index rate_counters_end on rate_counters (window_ends_at)');

    this.addSql(`create table approvals (
      id text primary key,
      org_id text not null,
      execution_id text not null unique,
      workflow_id text,
      policy_id text,
      status text not null check (status in ('pending', 'approved', 'denied', 'expired')),
      amount_micros bigint not null,
      model text,
      requested_by text,
      decided_by text,
      note text,
      expires_at timestamptz not null,
      decided_at timestamptz,
      created_at timestamptz not null
    )`);
    this.addSql('create index approvals_org on approvals (org_id, status, id collate "C")');

    this.addSql(`create table alerts (
      id text primary key,
      org_id text not null,
      kind text not null check (kind in ('workflow_budget', 'org_daily_budget')),
      workflow_id text,
      threshold_percent integer not null,
      period_key text not null,
      budget_micros bigint not null,
      spent_micros bigint not null,
      message text not null,
      created_at timestamptz not null,
      dismissed_at timestamptz,
      dismissed_by text
    )`);
    // Each threshold fires once per budget period.
    this.addSql(
      `create unique index alerts_once on alerts (org_id, kind, coalesce(workflow_id, ''), period_key, threshold_percent)`,
    );
    this.addSql('create index alerts_org on alerts (org_id, id collate "C")');

    this.addSql(`create table alert_channels (
      id text primary key,
      org_id text not null,
      kind text not null check (kind in ('email', 'webhook')),
      target text not null,
      name text,
      enabled boolean not null default true,
      created_by text,
      created_at timestamptz not null
    )`);
    this.addSql('create unique index alert_channels_target on alert_channels (org_id, kind, target)');

    this.addSql(`create table notification_settings (
      org_id text not null,
      user_id text not null,
      email_enabled boolean not null default true,
      in_app_enabled boolean not null default true,
      alert_thresholds integer[],
      events text[] not null default '{}',
      digest text not null default 'none' check (digest in ('none', 'daily', 'weekly')),
      updated_at timestamptz not null,
      primary key (org_id, user_id)
    )`);
  }
}
