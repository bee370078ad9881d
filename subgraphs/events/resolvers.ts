/** Events resolvers: translate GraphQL to service calls. */
import type { GraphQLResolveInfo } from 'graphql';
import { requireOrgAccess } from '../../kernel/authz.ts';
import { invalidField, notFound, TrellisError } from '../../kernel/errors.ts';
import {
  type EventEnvelope,
  isTypePattern,
  type PayloadToken,
  type SubscriptionGrant,
  verifyPayload,
} from '../../kernel/event-stream/envelope.ts';
import { authorize, decide, mayReadActors, type Permission } from '../../kernel/permissions.ts';
import { type Principal, roleIn } from '../../kernel/principal.ts';
import type { EventsContext } from './index.ts';
import { type EventFilterInput, type EventOrder, requireService } from './log.ts';
import { listNotificationDeliveries } from './notification-delivery.ts';
import { listDeliveries, type WebhookInput } from './webhooks.ts';

type Args = Record<string, unknown>;

const TYPE_NAMES: Record<string, string> = {
  InitialState: 'InitialState',
  StateChange: 'StateChange',
  PolicyInvalidated: 'PolicyInvalidated',
  KeyRotated: 'KeyRotated',
  ResyncRequired: 'ResyncRequired',
  Error: 'ControlPlaneError',
};

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};
const actionOf = (type: string) => type.slice(type.indexOf('.') + 1);

/**
 * Organizations a read covers, by the permission table: the named one (403 unless `permission` is allowed
 * there), else every one of the caller's where it is.
 */
function orgScope(principal: Principal, orgId: unknown, permission: Permission): string[] {
  if (typeof orgId === 'string' && orgId !== '') {
    authorize(principal, permission, orgId);
    return [orgId];
  }
  if (principal.kind === 'service') throw invalidField('orgId', 'orgId is required');
  if (principal.orgId) return orgScope(principal, principal.orgId, permission);
  return principal.memberships.map((m) => m.orgId).filter((org) => decide(principal, permission, org).allowed);
}

/** Filtering by actor reads the audit trail: it needs what reading actors needs (`audit:read`). */
const filtersByActor = (filter: unknown): boolean => {
  const f = filter as EventFilterInput | null | undefined;
  return Boolean(f?.actorType || f?.actorId);
};
const eventReadPermission = (args: Args): Permission => (filtersByActor(args.filter) ? 'audit:read' : 'events:read');

function verified(ctx: EventsContext, envelope: unknown): PayloadToken {
  const token =
    typeof envelope === 'string' ? verifyPayload<PayloadToken>(ctx.platform.internalSecret, envelope) : undefined;
  if (!token) throw new TrellisError('forbidden', 'Invalid payload envelope');
  requireOrgAccess(ctx.principal, token.orgId, 'Event');
  return token;
}

/** The organization a job/run stream is about: given, the key's, the only one, or the one whose log names it. */
async function subjectOrg(ctx: EventsContext, args: Args, subjectTypes: string[], idArg: string): Promise<string> {
  const id = str(args[idArg]);
  if (!id) throw invalidField(idArg, `${idArg} is required`);
  if (str(args.orgId)) return args.orgId as string;
  const candidates = ctx.principal.orgId ? [ctx.principal.orgId] : ctx.principal.memberships.map((m) => m.orgId);
  if (candidates.length === 1) return candidates[0] as string;
  const found = await ctx.eventLog.orgOfSubject(candidates, subjectTypes, id);
  if (!found) throw notFound(subjectTypes[0] === 'job' ? 'Job' : 'Workflow run');
  return found;
}

function grantFor(field: string, resolveOrg: (args: Args, ctx: EventsContext) => Promise<string> | string) {
  return {
    subscribe: async (_: unknown, args: Args, ctx: EventsContext): Promise<SubscriptionGrant> => {
      const orgId = await resolveOrg(args, ctx);
      if (!roleIn(ctx.principal, orgId)) throw new TrellisError('org_mismatch', undefined, { field: 'orgId' });
      const types = args.types;
      if (Array.isArray(types))
        for (const t of types)
          if (typeof t !== 'string' || !isTypePattern(t))
            throw invalidField('types', `"${String(t)}" is not an event type or a prefix ending in .*`);
      if (args.since != null && (typeof args.since !== 'number' || args.since < 0))
        throw invalidField('since', 'since must be a sequence number (0 or more)');
      const { headSeq, prunedThroughSeq } = await ctx.eventLog.position(orgId);
      return { field, orgId, headSeq, prunedThroughSeq, retentionDays: ctx.platform.config.events.retentionDays };
    },
  };
}

const byOrgArg = (args: Args) => args.orgId as string;

function eventList(ctx: EventsContext, orgIds: string[], args: Args, auditOnly = false) {
  return ctx.eventLog.list({
    orgIds,
    filter: (args.filter as EventFilterInput | null) ?? null,
    order: (args.order as EventOrder | null) ?? 'NEWEST_FIRST',
    limit: args.limit as number | null,
    cursor: args.cursor as string | null,
    auditOnly,
  });
}

export const resolvers = {
  Query: {
    events: (_: unknown, args: Args, ctx: EventsContext) =>
      eventList(ctx, orgScope(ctx.principal, args.orgId, eventReadPermission(args)), args),
    event: async (_: unknown, args: { id: string }, ctx: EventsContext) => {
      const event = await ctx.eventLog.get(args.id);
      if (!event) return null;
      requireOrgAccess(ctx.principal, event.orgId, 'Event');
      return event;
    },
    eventStreamPosition: async (_: unknown, args: { orgId: string }, ctx: EventsContext) => ({
      ...(await ctx.eventLog.position(args.orgId)),
      retentionDays: ctx.platform.config.events.retentionDays,
    }),
    auditLog: (_: unknown, args: Args, ctx: EventsContext) => {
      const action = str(args.action);
      if (action && !isTypePattern(action))
        throw invalidField('action', 'action must be an event type (workflow.paused) or a prefix (workflow.*)');
      return ctx.eventLog.list({
        orgIds: orgScope(ctx.principal, args.orgId, 'audit:read'),
        filter: {
          types: action ? [action] : null,
          actorId: str(args.actorId),
          actorType: str(args.actorType),
          subjectType: str(args.subjectType),
          subjectId: str(args.subjectId),
          from: args.from as string | null,
          to: args.to as string | null,
        },
        order: 'NEWEST_FIRST',
        limit: args.limit as number | null,
        cursor: args.cursor as string | null,
        auditOnly: true,
      });
    },
    webhooks: (_: unknown, args: Args, ctx: EventsContext) =>
      ctx.webhooks.page(args.orgId as string, args.limit as number | null, args.cursor as string | null),
    webhook: (_: unknown, args: { orgId: string; id: string }, ctx: EventsContext) =>
      ctx.webhooks.find(args.orgId, args.id),
    webhookDeliveries: (_: unknown, args: Args, ctx: EventsContext) =>
      ctx.webhooks.deliveries(
        args.orgId as string,
        args.webhookId as string,
        args.limit as number | null,
        args.cursor as string | null,
      ),

    notifications: (_: unknown, args: Args, ctx: EventsContext) =>
      ctx.notifications.list(args.orgId as string, {
        read: args.read as boolean | null,
        type: args.type as string | null,
        limit: args.limit as number | null,
        cursor: args.cursor as string | null,
      }),
    unreadNotificationCount: (_: unknown, args: { orgId: string }, ctx: EventsContext) =>
      ctx.notifications.unreadCount(args.orgId),
    activityLog: (_: unknown, args: Args, ctx: EventsContext) =>
      ctx.activity.list(args.orgId as string, {
        actorType: args.actorType as string | null,
        actorId: args.actorId as string | null,
        action: args.action as string | null,
        from: args.from as string | null,
        to: args.to as string | null,
        limit: args.limit as number | null,
        cursor: args.cursor as string | null,
      }),
    activityStats: (_: unknown, args: { orgId: string; days?: number | null }, ctx: EventsContext) =>
      ctx.activity.stats(args.orgId, args.days),
    notificationDeliveries: (_: unknown, args: Args, ctx: EventsContext) =>
      listNotificationDeliveries(ctx.em, args.orgId as string, {
        eventId: args.eventId as string | null,
        limit: args.limit as number | null,
        cursor: args.cursor as string | null,
      }),

    _eventLog: async (_: unknown, args: { orgId: string; afterSeq: number; limit?: number }, ctx: EventsContext) => {
      requireService(ctx.principal);
      const [events, position] = await Promise.all([
        ctx.eventLog.after(args.orgId, args.afterSeq, args.limit ?? 500),
        ctx.eventLog.position(args.orgId),
      ]);
      return { events, ...position };
    },
    _eventHeads: async (_: unknown, args: { orgIds: string[] }, ctx: EventsContext) => {
      requireService(ctx.principal);
      return Object.fromEntries(await ctx.eventLog.positions(args.orgIds.slice(0, 5000)));
    },
    _subscriptionGrant: (
      _: unknown,
      args: { field: string; args: unknown },
      ctx: EventsContext,
      info: GraphQLResolveInfo,
    ) => {
      const field = info.schema.getSubscriptionType()?.getFields()[args.field];
      if (!field?.subscribe) throw invalidField('field', `unknown subscription ${args.field}`);
      const fieldArgs = args.args && typeof args.args === 'object' ? args.args : {};
      // The field's own subscribe is wrapped by @authz (kernel/authz.ts): its SDL rule applies here.
      return field.subscribe(undefined, fieldArgs, ctx, info);
    },
    _controlPlanePayload: (_: unknown, args: { envelope: string }, ctx: EventsContext) => {
      const token = verified(ctx, args.envelope);
      if (token.kind === 'Event') throw new TrellisError('forbidden', 'Not a control-plane message');
      return token;
    },
    _stateChangePayload: (_: unknown, args: { envelope: string }, ctx: EventsContext) => {
      const token = verified(ctx, args.envelope);
      if (token.kind !== 'StateChange') throw new TrellisError('forbidden', 'Not a state change');
      return token;
    },
    _eventPayload: (_: unknown, args: { envelope: string }, ctx: EventsContext) => {
      const token = verified(ctx, args.envelope);
      if (!('event' in token)) throw new TrellisError('forbidden', 'Not an event');
      return token.event;
    },
  },

  Mutation: {
    createWebhook: (_: unknown, args: { orgId: string; input: WebhookInput }, ctx: EventsContext) =>
      ctx.webhooks.create(args.orgId, args.input),
    updateWebhook: (_: unknown, args: { orgId: string; id: string; input: WebhookInput }, ctx: EventsContext) =>
      ctx.webhooks.update(args.orgId, args.id, args.input),
    deleteWebhook: (_: unknown, args: { orgId: string; id: string }, ctx: EventsContext) =>
      ctx.webhooks.delete(args.orgId, args.id),
    toggleWebhook: (_: unknown, args: { orgId: string; id: string; enabled: boolean }, ctx: EventsContext) =>
      ctx.webhooks.toggle(args.orgId, args.id, args.enabled),
    regenerateWebhookSecret: (_: unknown, args: { orgId: string; id: string }, ctx: EventsContext) =>
      ctx.webhooks.regenerateSecret(args.orgId, args.id),
    createNotification: (_: unknown, args: { orgId: string; input: Record<string, unknown> }, ctx: EventsContext) =>
      ctx.notifications.create(args.orgId, args.input),
    markNotificationRead: (_: unknown, args: { orgId: string; id: string }, ctx: EventsContext) =>
      ctx.notifications.markRead(args.orgId, args.id),
    markAllNotificationsRead: (_: unknown, args: { orgId: string }, ctx: EventsContext) =>
      ctx.notifications.markAllRead(args.orgId),
    recordActivity: (_: unknown, args: { orgId: string; input: Record<string, unknown> }, ctx: EventsContext) =>
      ctx.activity.record(args.orgId, args.input),
    _ingestEvents: (_: unknown, args: { events: unknown }, ctx: EventsContext) => {
      requireService(ctx.principal);
      return ctx.eventLog.ingest(args.events);
    },
  },

  Subscription: {
    controlPlane: grantFor('controlPlane', byOrgArg),
    events: grantFor('events', byOrgArg),
    workflowStateChanged: grantFor('workflowStateChanged', byOrgArg),
    jobEvents: grantFor('jobEvents', (args, ctx) => subjectOrg(ctx, args, ['job'], 'jobId')),
    runEvents: grantFor('runEvents', (args, ctx) => subjectOrg(ctx, args, ['workflow_run', 'run'], 'runId')),
    notificationReceived: grantFor('notificationReceived', (args, ctx) => {
      if (!ctx.principal.userId || args.userId !== ctx.principal.userId)
        throw new TrellisError('forbidden', 'Only your own notifications can be subscribed to');
      return args.orgId as string;
    }),
  },

  NotificationType: { INFO: 'info', WARNING: 'warning', ERROR: 'error', SUCCESS: 'success' },
  ActivityActorType: { AGENT: 'agent', SYSTEM: 'system', USER: 'user' },
  NotificationChannel: { EMAIL: 'email', WEBHOOK: 'webhook', SLACK: 'slack' },
  NotificationDeliveryStatus: { PENDING: 'pending', RETRYING: 'retrying', SUCCEEDED: 'succeeded', FAILED: 'failed' },

  Organization: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    webhooks: (org: { id: string }, _: unknown, ctx: EventsContext) => ctx.webhooks.listByOrg(org.id),
    events: (org: { id: string }, args: Args, ctx: EventsContext) =>
      eventList(ctx, orgScope(ctx.principal, org.id, eventReadPermission(args)), args),
    eventStreamPosition: async (org: { id: string }, _: unknown, ctx: EventsContext) => ({
      ...(await ctx.eventLog.position(org.id)),
      retentionDays: ctx.platform.config.events.retentionDays,
    }),
  },

  Event: {
    organization: (event: EventEnvelope) => ({ id: event.orgId }),
    actor: (event: EventEnvelope, _: unknown, ctx: EventsContext) =>
      mayReadActors(ctx.principal, event.orgId) ? event.actor : null,
  },

  Webhook: {
    deliveries: (webhook: { id: string }, args: Args, ctx: EventsContext) =>
      listDeliveries(ctx.em, webhook.id, args.limit as number | null, args.cursor as string | null),
  },

  ControlPlaneMessage: {
    __resolveType: (message: { kind: string }) => TYPE_NAMES[message.kind] ?? null,
  },
  InitialState: {
    organization: (message: { orgId: string }) => ({ id: message.orgId }),
  },
  StateChange: {
    action: (m: { event: EventEnvelope }) => actionOf(m.event.type),
    workflowId: (m: { event: EventEnvelope }) => str(m.event.data.workflowId) ?? m.event.subject?.id,
    workflow: (m: { event: EventEnvelope }) => {
      const id = str(m.event.data.workflowId) ?? m.event.subject?.id;
      return id ? { id } : null;
    },
    status: (m: { event: EventEnvelope }) => str(m.event.data.status),
    previousStatus: (m: { event: EventEnvelope }) => str(m.event.data.previousStatus),
    budgetMicros: (m: { event: EventEnvelope }) => num(m.event.data.budgetMicros),
    spentMicros: (m: { event: EventEnvelope }) => num(m.event.data.spentMicros),
  },
  PolicyInvalidated: {
    action: (m: { event: EventEnvelope }) => actionOf(m.event.type),
    policyId: (m: { event: EventEnvelope }) =>
      str(m.event.data.policyId) ?? (m.event.subject?.type === 'policy' ? m.event.subject.id : null),
    templateId: (m: { event: EventEnvelope }) =>
      str(m.event.data.templateId) ?? (m.event.subject?.type === 'policy_template' ? m.event.subject.id : null),
  },
  KeyRotated: {
    action: (m: { event: EventEnvelope }) => actionOf(m.event.type),
    keyId: (m: { event: EventEnvelope }) => str(m.event.data.keyId) ?? m.event.subject?.id,
    prefix: (m: { event: EventEnvelope }) => str(m.event.data.prefix),
    workflowId: (m: { event: EventEnvelope }) => str(m.event.data.workflowId),
  },
} satisfies Record<string, Record<string, unknown>>;
