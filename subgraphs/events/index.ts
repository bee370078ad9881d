/** The events subgraph: event log, audit trail, subscriptions, SSE and webhooks. */
import type { BaseContext, SubgraphDefinition } from '../../kernel/subgraph.ts';
import { eventsEntities } from './entities.ts';
import { InitialEvents } from './migrations/0001_initial.ts';
import { resolvers } from './resolvers.ts';
import { WebhookService } from './webhooks.ts';

export interface EventsContext extends BaseContext {
  webhooks: WebhookService;
}

export const events: SubgraphDefinition<EventsContext> = {
  name: 'events',
  schemaFile: new URL('./events.graphql', import.meta.url),
  entities: eventsEntities,
  migrations: [{ name: '0001_initial', class: InitialEvents }],
  resolvers,
  context: (base) => ({ ...base, webhooks: new WebhookService(base.em) }),
};
