import { Migration } from '@mikro-orm/migrations';

/** The AI gateway's records: one row per model call, per-organization proxy settings, opt-in request logs. */
export class AiGatewayMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table ai_calls (
      id text primary key,
      org_id text not null,
      api_key_id text,
      principal_id text not null,
      workflow_id text,
      execution_id text,
      provider text not null,
      model text not null,
      surface text not null check (surface in ('chat_completions', 'responses', 'providers_execute')),
      stream boolean not null,
      status text not null check (status in ('completed', 'failed', 'cancelled')),
      input_tokens bigint not null check (input_tokens >= 0),
      output_tokens bigint not null check (output_tokens >= 0),
      cost_micros bigint not null check (cost_micros >= 0),
      estimated_cost_micros bigint not null check (estimated_cost_micros >= 0),
      latency_ms integer not null check (latency_ms >= 0),
      time_to_first_token_ms integer check (time_to_first_token_ms >= 0),
      error_code text,
      created_at timestamptz not null
    )`);
    this.addSql('create index ai_calls_org_time on ai_calls (org_id, created_at desc)');
    this.addSql(`create table ai_settings (
      org_id text primary key,
      default_workflow_id text,
      request_logging boolean not null default false,
      log_retention_days integer not null default 7 check (log_retention_days between 1 and 90),
      updated_at timestamptz not null
    )`);
    this.addSql(`create table ai_request_logs (
      call_id text primary key references ai_calls (id) on delete cascade,
      org_id text not null,
      body jsonb not null,
      expires_at timestamptz not null
    )`);
    this.addSql('create index ai_request_logs_expiry on ai_request_logs (expires_at)');
  }
}
