/**
 * Alert routing (docs/notifications.md): governance owns the organization's
 * alert channels and each user's notification settings, so its durable
 * consumer turns every alerting event into one `notification.requested` event
 * saying where it goes — the enabled channels, and which users opted out of
 * email or in-app for it. The events subgraph delivers (inbox, email, webhook,
 * Slack) without reading governance's tables.
 */
import type { EventConsumer } from '../../kernel/event-consumers.ts';
import { matchesType } from '../../kernel/event-stream/envelope.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { servicePrincipal } from '../../kernel/principal.ts';
import { query, sql } from './sql.ts';

/** The events that are delivered to people (event-contracts.md, "Alerting events"). */
export const ALERTING_EVENT_TYPES = [
  'alert.triggered',
  'workflow.killed',
  'billing.payment_failed',
  'billing.auto_recharge_failed',
  'vm.failed',
  'cluster.failed',
  'node.lost',
];

const TITLES: Record<string, string> = {
  'alert.triggered': 'Budget alert',
  'workflow.killed': 'Workflow killed',
  'billing.payment_failed': 'Payment failed',
  'billing.auto_recharge_failed': 'Auto-recharge failed',
  'vm.failed': 'VM failed',
  'cluster.failed': 'Cluster failed',
  'node.lost': 'Node lost',
};

interface SettingsRow {
  user_id: string;
  email_enabled: boolean;
  in_app_enabled: boolean;
  alert_thresholds: number[] | null;
  events: string[] | null;
}

interface ChannelRow {
  id: string;
  kind: 'email' | 'webhook' | 'slack';
  target: string;
  secret_sealed: string | null;
}

type RoutedEvent = Parameters<EventConsumer['handle']>[1];

/** Whether a user's settings ask for this event (empty `events`: every alerting event; thresholds: budget alerts). */
export function wants(settings: Pick<SettingsRow, 'alert_thresholds' | 'events'>, event: RoutedEvent): boolean {
  if (settings.events && settings.events.length > 0 && !matchesType(event.type, settings.events)) return false;
  if (event.type === 'alert.triggered' && settings.alert_thresholds && settings.alert_thresholds.length > 0)
    return settings.alert_thresholds.includes(Number(event.data.thresholdPercent));
  return true;
}

function severityOf(event: RoutedEvent): 'warning' | 'error' {
  if (event.type === 'alert.triggered') return Number(event.data.thresholdPercent) >= 100 ? 'error' : 'warning';
  return event.type === 'workflow.killed' ? 'warning' : 'error';
}

function linkOf(event: RoutedEvent): string {
  const org = `/orgs/${event.orgId}`;
  if (event.type.startsWith('billing.')) return `${org}/billing`;
  if (event.type === 'workflow.killed') return `${org}/workflows/${String(event.data.workflowId ?? '')}`;
  if (event.type === 'alert.triggered') return `${org}/alerts`;
  return `${org}/compute`;
}

export const alertRouting: EventConsumer = {
  name: 'governance.alert_routing',
  types: ALERTING_EVENT_TYPES,
  async handle(tx, event) {
    const channels = await query<ChannelRow>(
      tx,
      sql`select id, kind, target, secret_sealed from alert_channels
          where org_id = ${event.orgId} and enabled order by id`,
    );
    const settings = await query<SettingsRow>(
      tx,
      sql`select user_id, email_enabled, in_app_enabled, alert_thresholds, events
          from notification_settings where org_id = ${event.orgId} order by user_id`,
    );
    const optedOutOfEmail: string[] = [];
    const optedOutOfInApp: string[] = [];
    for (const s of settings) {
      const wanted = wants(s, event);
      if (!wanted || !s.email_enabled) optedOutOfEmail.push(s.user_id);
      if (!wanted || !s.in_app_enabled) optedOutOfInApp.push(s.user_id);
    }
    const message =
      typeof event.data.message === 'string' && event.data.message.trim() !== ''
        ? event.data.message.slice(0, 2000)
        : `${TITLES[event.type] ?? event.type} (${event.subject?.type ?? 'organization'} ${event.subject?.id ?? event.orgId})`;
    recordEvent(tx, {
      orgId: event.orgId,
      type: 'notification.requested',
      subject: event.subject ?? undefined,
      data: {
        sourceEventId: event.id,
        sourceType: event.type,
        title: TITLES[event.type] ?? event.type,
        message,
        severity: severityOf(event),
        linkPath: linkOf(event),
        // Webhook signing secrets and Slack URLs stay sealed (bound to the channel id).
        channels: channels.map((c) => ({
          channelId: c.id,
          kind: c.kind,
          ...(c.kind === 'slack' ? {} : { target: c.target }),
          ...(c.secret_sealed ? { secretSealed: c.secret_sealed } : {}),
        })),
        optedOutOfEmail,
        optedOutOfInApp,
      },
      actor: servicePrincipal('governance'),
    });
  },
};
