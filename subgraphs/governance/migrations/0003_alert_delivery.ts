import { Migration } from '@mikro-orm/migrations';

/**
 * Alert delivery (docs/notifications.md): Slack incoming-webhook channels, and a sealed secret per
 * channel — the signing secret of a webhook channel, the URL itself for Slack (it is a credential).
 */
export class AlertDelivery extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table alert_channels drop constraint if exists alert_channels_kind_check');
    this.addSql(
      "alter table alert_channels add constraint alert_channels_kind_check check (kind in ('email', 'webhook', 'slack'))",
    );
    this.addSql('alter table alert_channels add column secret_sealed text');
  }
}
