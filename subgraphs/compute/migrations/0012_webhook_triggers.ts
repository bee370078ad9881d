import { Migration } from '@mikro-orm/migrations';

/**
 * Issue #11 item 4, signed inbound webhook triggers (pipelines/triggers-webhook.ts): the signing secret of a
 * definition's `webhook` trigger (`<definitionId>.<name>`), sealed with the kernel's SecretBox and bound to its
 * row; minted or rotated by `POST /v1/triggers/{id}/secret`, shown once. A delivery's replay protection is the
 * run's idempotency key (`webhook:<triggerId>:<webhook-id>`), so no table of seen ids is needed.
 *
 * Item 3, run spend beyond job nodes: a node's tracked cost (`workflow_node_executions.cost_micros`, an http
 * node's `costMicros`) and the run's total (`workflow_runs.spend_micros`), both written when the node completes.
 */
export class WebhookTriggers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table workflow_webhook_triggers (
      trigger_id text primary key,
      org_id text not null,
      definition_id text not null,
      sealed_secret text not null,
      workflow_id text,
      created_by text,
      created_at timestamptz not null,
      rotated_at timestamptz not null
    )`);
    this.addSql('create index workflow_webhook_triggers_org on workflow_webhook_triggers (org_id)');
    this.addSql('alter table workflow_node_executions add column cost_micros bigint not null default 0');
    this.addSql('alter table workflow_runs add column spend_micros bigint not null default 0');
  }
}
