import { Migration } from '@mikro-orm/migrations';

export class InitialCompute extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table vms (
      id text primary key,
      org_id text not null,
      name text not null,
      gpu_model text not null,
      gpu_count integer not null check (gpu_count between 1 and 16),
      status text not null check (status in ('provisioning', 'running', 'stopped', 'terminated')),
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create index vms_org on vms (org_id, created_at desc)');
  }
}
