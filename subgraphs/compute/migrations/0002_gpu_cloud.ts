import { Migration } from '@mikro-orm/migrations';

/**
 * The GPU cloud of seed 003: catalog (GPU models, locations, templates, prices), provider side
 * (applications, provisioning tokens, nodes), and VMs that are placed on nodes. Capacity is counted on
 * the node row (`gpu_used`), changed only in the transaction that places or releases a workload, and
 * bounded by a check constraint: no code path can over-commit a node, whatever the concurrency.
 */
export class GpuCloud extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table gpu_models (
      id text primary key,
      name text not null,
      manufacturer text not null,
      vram_gb integer not null check (vram_gb > 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create table locations (
      id text primary key,
      name text not null,
      country text not null
    )`);
    this.addSql(`create table gpu_prices (
      gpu_model_id text not null references gpu_models (id) on delete cascade,
      tier text not null,
      cents_per_gpu_hour integer not null check (cents_per_gpu_hour >= 0),
      provider_cents_per_gpu_hour integer not null check (provider_cents_per_gpu_hour >= 0),
      updated_at timestamptz not null default now(),
      primary key (gpu_model_id, tier)
    )`);
    this.addSql(`create table vm_templates (
      id text primary key,
      name text not null,
      description text not null,
      image_url text,
      container_port integer,
      container_command jsonb,
      gpu_model_id text,
      gpu_count integer not null default 1,
      disk_size_gb integer not null default 50,
      env_vars jsonb not null default '{}'
    )`);

    this.addSql(`create table provider_applications (
      org_id text primary key,
      note text not null,
      status text not null check (status in ('pending', 'approved', 'rejected')),
      submitted_at timestamptz not null,
      decided_at timestamptz
    )`);
    this.addSql(`create table provisioning_tokens (
      id text primary key,
      org_id text not null,
      name text not null,
      token_hash text not null unique,
      prefix text not null,
      node_type text,
      node_pool text not null,
      max_nodes integer not null default 0,
      nodes_enrolled integer not null default 0,
      expires_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz not null
    )`);
    this.addSql('create index provisioning_tokens_org on provisioning_tokens (org_id, created_at desc)');
    this.addSql(`create table nodes (
      id text primary key,
      org_id text not null,
      token_id text references provisioning_tokens (id),
      name text not null,
      region text not null,
      tier text not null,
      gpu_model_id text not null,
      gpu_total integer not null check (gpu_total >= 0),
      gpu_used integer not null default 0,
      cpu_cores integer not null default 0,
      memory_gb integer not null default 0,
      disk_gb integer not null default 0,
      runtime text not null,
      address text,
      secret_hash text not null,
      status text not null check (status in ('online', 'lost', 'draining', 'maintenance', 'removed')),
      labels jsonb not null default '{}',
      assignment_version bigint not null default 0,
      last_heartbeat_at timestamptz not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint nodes_capacity check (gpu_used >= 0 and gpu_used <= gpu_total)
    )`);
    this.addSql("create index nodes_placement on nodes (gpu_model_id, tier, region) where status = 'online'");
    this.addSql('create index nodes_org on nodes (org_id, created_at desc)');
    this.addSql(
      "create index nodes_heartbeat on nodes (last_heartbeat_at) where status <> 'removed' and status <> 'lost'",
    );

    // The stub's VMs (name, gpu model, count, status) become full seed-003 VMs.
    this.addSql('alter table vms rename column gpu_model to gpu_model_id');
    this.addSql(`update vms set status = 'failed' where status not in ('pending', 'provisioning', 'running', 'stopping',
      'stopped', 'terminating', 'terminated', 'failed')`);
    this.addSql(`alter table vms
      add column cluster_id text,
      add column tier text not null default 'community',
      add column status_reason text,
      add column image_url text,
      add column container_port integer not null default 8080,
      add column container_command jsonb,
      add column env_vars jsonb not null default '{}',
      add column disk_size_gb integer not null default 50,
      add column preferred_regions text[] not null default '{}',
      add column allow_fallback boolean not null default true,
      add column registry_credential_id text,
      add column health_checks jsonb,
      add column health_check_path text,
      add column health_check_port integer,
      add column template_id text,
      add column public boolean not null default false,
      add column resource_size text,
      add column privileged boolean not null default false,
      add column kernel_modules jsonb not null default '[]',
      add column node_id text references nodes (id),
      add column region text,
      add column runtime text,
      add column endpoint_address text,
      add column price_cents_per_hour integer not null default 0,
      add column generation integer not null default 1,
      add column pending_since timestamptz,
      add column metered_until timestamptz,
      add column started_at timestamptz,
      add column terminated_at timestamptz`);
    this.addSql('alter table vms drop constraint if exists vms_status_check');
    this.addSql(`alter table vms add constraint vms_status check (status in ('pending', 'provisioning', 'running',
      'stopping', 'stopped', 'terminating', 'terminated', 'failed'))`);
    this.addSql('create index vms_org_id on vms (org_id, id desc)');
    this.addSql("create index vms_pending on vms (pending_since) where status = 'pending'");
    this.addSql('create index vms_node on vms (node_id) where node_id is not null');
    this.addSql("create index vms_metering on vms (metered_until) where status = 'running'");

    this.addSql(`create table ssh_keys (
      id text primary key,
      org_id text not null,
      name text not null,
      public_key text not null,
      fingerprint text not null,
      created_at timestamptz not null,
      unique (org_id, fingerprint)
    )`);
    this.addSql(`create table vm_ssh_keys (
      vm_id text not null references vms (id) on delete cascade,
      ssh_key_id text not null references ssh_keys (id) on delete cascade,
      primary key (vm_id, ssh_key_id)
    )`);
    this.addSql(`create table registry_credentials (
      id text primary key,
      org_id text not null,
      name text not null,
      server text not null,
      auth_type text not null,
      sealed_credentials text not null,
      created_at timestamptz not null
    )`);
    this.addSql('create index registry_credentials_org on registry_credentials (org_id, created_at desc)');

    // Compute's own view of each org's prepaid balance (billing.balance_depleted / _restored events).
    this.addSql(`create table org_balance_flags (
      org_id text primary key,
      depleted_since timestamptz,
      updated_at timestamptz not null
    )`);

    this.seedCatalog();
  }

  /** The default catalog; platform administrators change it through the API. */
  private seedCatalog(): void {
    const models: [string, string, string, number, number, number][] = [
      // id, name, manufacturer, VRAM GB, community ¢/GPU-hour, secure ¢/GPU-hour
      ['rtx-4090', 'NVIDIA GeForce RTX 4090', 'NVIDIA', 24, 59, 79],
      ['rtx-a6000', 'NVIDIA RTX A6000', 'NVIDIA', 48, 69, 89],
      ['l40s', 'NVIDIA L40S', 'NVIDIA', 48, 99, 129],
      ['a100-80gb', 'NVIDIA A100 80GB', 'NVIDIA', 80, 139, 179],
      ['h100-80gb', 'NVIDIA H100 80GB', 'NVIDIA', 80, 249, 299],
    ];
    for (const [id, name, manufacturer, vram, community, secure] of models) {
      this.addSql(
        `insert into gpu_models (id, name, manufacturer, vram_gb) values ('${id}', '${name}', '${manufacturer}', ${vram})`,
      );
      // Providers earn 80 % of the list price (their rate; billing posts real earnings later).
      for (const [tier, cents] of [
        ['community', community],
        ['secure', secure],
      ] as const)
        this.addSql(
          `insert into gpu_prices (gpu_model_id, tier, cents_per_gpu_hour, provider_cents_per_gpu_hour)
           values ('${id}', '${tier}', ${cents}, ${Math.floor((cents * 8) / 10)})`,
        );
    }
    this.addSql(`insert into locations (id, name, country) values
      ('local', 'This machine (embedded node)', 'XX'),
      ('us-east', 'US East (Virginia)', 'US'),
      ('us-west', 'US West (Oregon)', 'US'),
      ('eu-west', 'EU West (Frankfurt)', 'DE')`);
    this.addSql(`insert into vm_templates (id, name, description, image_url, container_port, gpu_model_id, gpu_count, disk_size_gb) values
      ('tpl-http-echo', 'HTTP hello', 'A small web page about the VM (the runtime''s built-in workload)', null, 8080, 'rtx-4090', 1, 20),
      ('tpl-vllm', 'vLLM OpenAI server', 'vLLM serving an OpenAI-compatible API on port 8000', 'vllm/vllm-openai:latest', 8000, 'a100-80gb', 1, 200),
      ('tpl-jupyter', 'Jupyter Lab', 'PyTorch with Jupyter Lab on port 8888', 'quay.io/jupyter/pytorch-notebook:latest', 8888, 'rtx-4090', 1, 100)`);
  }
}
