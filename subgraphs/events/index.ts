/** The events subgraph: event log, audit trail, subscriptions, SSE and webhooks. */
import type { Platform } from '../../kernel/platform.ts';
import type { BaseContext, SubgraphDefinition, SubgraphRuntime } from '../../kernel/subgraph.ts';
import { ActivityService } from './activity.ts';
import { ConsumerDelivery } from './consumer-delivery.ts';
import { WebhookDispatcher } from './dispatcher.ts';
import { eventsEntities } from './entities.ts';
import { EventLogService } from './log.ts';
import { InitialEvents } from './migrations/0001_initial.ts';
import { EventBackbone } from './migrations/0002_event_backbone.ts';
import { EventConsumers } from './migrations/0003_event_consumers.ts';
import { Notifications } from './migrations/0004_notifications.ts';
import { EventLogCluster } from './migrations/0009_event_log_cluster.ts';
import { membersOf, NotificationSender, notificationDelivery } from './notification-delivery.ts';
import { NotificationService } from './notifications.ts';
import { resolvers } from './resolvers.ts';
import { RetentionWorker } from './retention.ts';
import { userErasure } from './user-erasure.ts';
import { WebhookService } from './webhooks.ts';

export interface EventsContext extends BaseContext {
  platform: Platform;
  eventLog: EventLogService;
  webhooks: WebhookService;
  notifications: NotificationService;
  activity: ActivityService;
}

/** Per running instance: the workers to wake when an append created deliveries. */
const dispatchers = new WeakMap<SubgraphRuntime, WebhookDispatcher>();
const consumerDeliveries = new WeakMap<SubgraphRuntime, ConsumerDelivery>();

export const events: SubgraphDefinition<EventsContext> = {
  name: 'events',
  schemaFile: new URL('./events.graphql', import.meta.url),
  entities: eventsEntities,
  migrations: [
    { name: '0001_initial', class: InitialEvents },
    { name: '0002_event_backbone', class: EventBackbone },
    { name: '0003_event_consumers', class: EventConsumers },
    { name: '0004_notifications', class: Notifications },
    { name: '0009_event_log_cluster', class: EventLogCluster },
  ],
  resolvers,
  consumers: [userErasure, notificationDelivery],
  // Alert emails: production needs SMTP.
  sendsMail: true,
  context: (base, runtime) => ({
    ...base,
    platform: runtime.platform,
    eventLog: new EventLogService(
      base.em,
      runtime.platform,
      (_, fanOut) => {
        if (fanOut.webhookDeliveries > 0) dispatchers.get(runtime)?.wake();
        if (fanOut.consumerDeliveries > 0) consumerDeliveries.get(runtime)?.wake(fanOut.consumers);
      },
      runtime.consumers,
    ),
    webhooks: new WebhookService(base.em, runtime.platform, base.principal, base.meta.requestId),
    notifications: new NotificationService(base.em, base.principal, async (orgId, userId) =>
      (await membersOf(runtime.platform, orgId)).members.some((m) => m.userId === userId),
    ),
    activity: new ActivityService(base.em, base.principal),
  }),
  workers: (runtime) => {
    const dispatcher = new WebhookDispatcher({
      orm: runtime.orm,
      platform: runtime.platform,
      logger: runtime.logger,
    }).start();
    dispatchers.set(runtime, dispatcher);
    const consumers = new ConsumerDelivery({
      orm: runtime.orm,
      platform: runtime.platform,
      logger: runtime.logger,
      metrics: runtime.metrics,
      registry: runtime.consumers,
    }).start();
    consumerDeliveries.set(runtime, consumers);
    const sender = new NotificationSender({ orm: runtime.orm, platform: runtime.platform, logger: runtime.logger });
    return [
      dispatcher,
      consumers,
      sender.start(),
      new RetentionWorker(runtime.orm, runtime.platform, runtime.logger).start(),
    ];
  },
};
