/** Events resolvers: translate GraphQL to service calls. */
import type { EventsContext } from './index.ts';

export const resolvers = {
  Organization: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    webhooks: (org: { id: string }, _: unknown, ctx: EventsContext) => ctx.webhooks.listByOrg(org.id),
  },
};
