import { Migration } from '@mikro-orm/migrations';

/**
 * The double-entry ledger, metered usage, Stripe state, auto top-ups and plans (docs/billing.md).
 * The stub `ledger_entries` table never held a row (nothing wrote it): it is replaced.
 */
export class BillingLedger extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop table ledger_entries');
    this.addSql('drop function ledger_entries_append_only');

    // Accounts: every account belongs to one organization (the platform's side of an org's money —
    // Stripe clearing, revenue, provider payable — is kept per org too), so postings of different
    // organizations never wait for the same row lock. `balance` is the maintained running total of
    // the account's postings; `reconcile` checks the two agree.
    this.addSql(`create table ledger_accounts (
      org_id text not null,
      kind text not null check (kind in ('prepaid', 'reserved', 'stripe_clearing', 'revenue', 'provider_payable',
        'adjustments', 'credits', 'credits_issued', 'credits_consumed')),
      unit text not null check (unit in ('usd_micros', 'credits')),
      balance bigint not null,
      postings bigint not null default 0,
      updated_at timestamptz not null default now(),
      primary key (org_id, kind),
      -- Token credits are never spent below zero, whatever the concurrency.
      constraint credits_never_negative check (kind <> 'credits' or balance >= 0)
    )`);
    // One transaction per business event: the idempotency key (a Stripe payment, a usage event id, a
    // consume's reference) is unique, so a replay inserts nothing and posts nothing.
    this.addSql(`create table ledger_transactions (
      id text primary key,
      org_id text not null,
      idempotency_key text not null unique,
      kind text not null,
      description text,
      cause_type text,
      cause_id text,
      actor_type text,
      actor_id text,
      created_at timestamptz not null default now()
    )`);
    this.addSql('create index ledger_transactions_org on ledger_transactions (org_id, created_at desc, id desc)');
    this.addSql(`create table ledger_postings (
      id bigserial primary key,
      transaction_id text not null references ledger_transactions (id),
      org_id text not null,
      account_kind text not null,
      unit text not null,
      amount bigint not null check (amount <> 0),
      balance_after bigint not null,
      created_at timestamptz not null default now(),
      foreign key (org_id, account_kind) references ledger_accounts (org_id, kind)
    )`);
    this.addSql('create index ledger_postings_transaction on ledger_postings (transaction_id)');
    this.addSql('create index ledger_postings_account on ledger_postings (org_id, account_kind, id desc)');

    // Append-only: the ledger is corrected by new (reversing) transactions, never by edits.
    this.addSql(`create function ledger_append_only() returns trigger language plpgsql as $$
      begin raise exception '% is append-only', tg_table_name; end $$`);
    for (const table of ['ledger_transactions', 'ledger_postings'])
      this.addSql(`create trigger ${table}_append_only before update or delete on ${table}
        for each row execute function ledger_append_only()`);
    // Double entry: at commit, every transaction's postings sum to zero in each unit.
    this.addSql(`create function ledger_transaction_balanced() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from ledger_postings where transaction_id = new.transaction_id
                   group by unit having sum(amount) <> 0) then
          raise exception 'ledger transaction % does not balance', new.transaction_id;
        end if;
        return null;
      end $$`);
    this.addSql(`create constraint trigger ledger_postings_balanced after insert on ledger_postings
      deferrable initially deferred for each row execute function ledger_transaction_balanced()`);

    // Metered usage, one row per usage.recorded event (its id is the key: a redelivery adds nothing).
    this.addSql(`create table usage_records (
      event_id text primary key,
      org_id text not null,
      usage_id text not null,
      source text not null,
      resource_type text not null,
      resource_id text not null,
      quantity bigint not null,
      unit text not null,
      amount_micros bigint not null check (amount_micros >= 0),
      gpu_model_id text,
      tier text,
      gpu_count integer,
      job_id text,
      workflow_id text,
      api_key_id text,
      model text,
      period_start timestamptz not null,
      period_end timestamptz not null,
      recorded_at timestamptz not null default now()
    )`);
    this.addSql('create index usage_records_org_time on usage_records (org_id, period_end desc, event_id desc)');
    this.addSql('create index usage_records_job on usage_records (org_id, job_id) where job_id is not null');
    this.addSql(
      'create index usage_records_key on usage_records (org_id, api_key_id, period_end desc) where api_key_id is not null',
    );

    // Stripe: one customer per organization, the events already processed, and our payments.
    this.addSql(`create table stripe_customers (
      org_id text primary key,
      customer_id text not null unique,
      default_payment_method_id text,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create table stripe_events (
      id text primary key,
      type text not null,
      org_id text,
      received_at timestamptz not null default now()
    )`);
    this.addSql(`create table stripe_payments (
      payment_intent_id text primary key,
      org_id text not null,
      purpose text not null check (purpose in ('deposit', 'auto_recharge', 'credit_package', 'credit_auto_topup')),
      amount_cents bigint not null,
      credits bigint,
      status text not null,
      failure_reason text,
      refunded_cents bigint not null default 0,
      disputed_cents bigint not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql('create index stripe_payments_org on stripe_payments (org_id, created_at desc)');

    // Automatic top-ups of the prepaid balance (seed 003) and of token credits (seed 004): one row per
    // organization and target. `in_flight_id` is the claim: set atomically under the row lock, it keeps a
    // second charge from starting on any replica until the first succeeded or failed.
    this.addSql(`create table auto_topups (
      org_id text not null,
      target text not null check (target in ('prepaid', 'credits')),
      enabled boolean not null,
      threshold bigint not null check (threshold >= 0),
      amount_cents bigint not null,
      package_slug text,
      max_monthly integer,
      -- TRELLIS_BILLING_AUTO_TOPUP_COOLDOWN_SECONDS when the policy was saved: the claim (in a consumer's
      -- transaction, without the process configuration) reads it here.
      cooldown_seconds integer not null default 600,
      month_key text,
      month_count integer not null default 0,
      in_flight_id text,
      in_flight_since timestamptz,
      last_attempt_at timestamptz,
      last_succeeded_at timestamptz,
      last_failed_at timestamptz,
      last_failure_reason text,
      updated_at timestamptz not null default now(),
      primary key (org_id, target)
    )`);
    this.addSql('create index auto_topups_in_flight on auto_topups (in_flight_since) where in_flight_id is not null');

    // The org's plan subscription as Stripe last told us (webhooks), or as changed through us.
    this.addSql(`create table subscriptions (
      org_id text primary key,
      tier text not null,
      status text not null,
      stripe_subscription_id text unique,
      current_period_start timestamptz,
      current_period_end timestamptz,
      cancel_at_period_end boolean not null default false,
      updated_at timestamptz not null default now()
    )`);
  }
}
