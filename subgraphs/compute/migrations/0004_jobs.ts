import { Migration } from '@mikro-orm/migrations';

/**
 * Jobs (seeds 001 and 004, docs/jobs.md): one row per job, the API's view of it. The queue itself (claims,
 * leases, retries) is the engine's (`compute_queue`, pg-boss); `engine_id` is the engine's job, changed in
 * the same transaction as this row.
 *
 * - `status`: queued → running → succeeded | failed | cancelled (a failed attempt with attempts left goes
 *   back to queued); `attempts` counts claims; `lease_expires_at` is the current attempt's lease.
 * - `idempotency_key` + `request_hash`: a resubmission with the same key and body is the same job; another
 *   body is a conflict. Kept as long as the job (≥ 24 h).
 * - Money in integer micro-dollars: `cost_estimate_micros` at submit (catalog price × GPUs × timeout),
 *   `cost_micros` when it ends (price × GPUs × seconds run).
 * - `workflow_states`: compute's own copy of governance workflow states (paused/killed refuse new jobs),
 *   kept by the `compute.workflow_states` consumer from `workflow.*` events.
 */
export class Jobs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table jobs (
      id text primary key,
      org_id text not null,
      queue text not null,
      type text not null,
      payload jsonb not null,
      priority integer not null,
      max_attempts integer not null check (max_attempts between 1 and 100),
      timeout_seconds integer not null check (timeout_seconds between 1 and 86400),
      retry_delay_seconds integer not null,
      retry_backoff boolean not null,
      status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      attempts integer not null default 0,
      engine_id uuid not null unique,
      engine_queue text not null,
      worker_id text,
      lease_expires_at timestamptz,
      result jsonb,
      error jsonb,
      idempotency_key text,
      request_hash text,
      gpu_model_id text,
      gpu_count integer not null default 0,
      tier text,
      price_cents_per_hour integer not null default 0,
      cost_estimate_micros bigint not null default 0,
      cost_micros bigint,
      workflow_id text,
      origin jsonb,
      agent_id text,
      created_by text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      first_claimed_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz
    )`);
    this.addSql(
      'create unique index jobs_idempotency on jobs (org_id, idempotency_key) where idempotency_key is not null',
    );
    this.addSql('create index jobs_org on jobs (org_id, id desc)');
    this.addSql('create index jobs_org_queue on jobs (org_id, queue, status)');
    this.addSql("create index jobs_leased on jobs (lease_expires_at) where status = 'running'");
    this.addSql('create index jobs_agent on jobs (agent_id, id desc) where agent_id is not null');
    this.addSql(`create table workflow_states (
      workflow_id text primary key,
      org_id text not null,
      status text not null check (status in ('active', 'paused', 'killed')),
      updated_at timestamptz not null
    )`);
  }
}
