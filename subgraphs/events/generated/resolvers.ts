import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { EventsContext } from '../index.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** RFC 3339 UTC timestamp. */
  DateTime: { input: Date | string; output: Date | string; }
  /** Arbitrary JSON value. */
  JSON: { input: unknown; output: unknown; }
  /** Integer in the IEEE-754 safe range (±9,007,199,254,740,991): money in cents or micro-dollars. */
  SafeInt: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type ActivityActionCount = {
  __typename?: 'ActivityActionCount';
  action: Scalars['String']['output'];
  count: Scalars['Int']['output'];
};

export type ActivityActorType =
  | 'AGENT'
  | 'SYSTEM'
  | 'USER';

export type ActivityActorTypeCount = {
  __typename?: 'ActivityActorTypeCount';
  actorType: ActivityActorType;
  count: Scalars['Int']['output'];
};

export type ActivityDayCount = {
  __typename?: 'ActivityDayCount';
  count: Scalars['Int']['output'];
  /** UTC day, YYYY-MM-DD. */
  day: Scalars['String']['output'];
};

/** A client-written activity record; the server-recorded audit trail is `auditLog`. */
export type ActivityEntry = {
  __typename?: 'ActivityEntry';
  action: Scalars['String']['output'];
  actorId: Scalars['String']['output'];
  actorType: ActivityActorType;
  createdAt: Scalars['DateTime']['output'];
  entityId?: Maybe<Scalars['String']['output']>;
  entityType?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  metadata: Scalars['JSON']['output'];
  orgId: Scalars['ID']['output'];
};

export type ActivityPage = {
  __typename?: 'ActivityPage';
  items: Array<ActivityEntry>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type ActivityStats = {
  __typename?: 'ActivityStats';
  /** Most frequent first (top 50). */
  byAction: Array<ActivityActionCount>;
  byActorType: Array<ActivityActorTypeCount>;
  byDay: Array<ActivityDayCount>;
  days: Scalars['Int']['output'];
  orgId: Scalars['ID']['output'];
  total: Scalars['Int']['output'];
};

/** A problem with the stream itself (the subscription ends after it). */
export type ControlPlaneError = ControlPlaneMessage & {
  __typename?: 'ControlPlaneError';
  at: Scalars['DateTime']['output'];
  code: Scalars['String']['output'];
  kind: Scalars['String']['output'];
  message: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  seq: Scalars['SafeInt']['output'];
};

/** A message of the control-plane stream (seed 000 protocol). */
export type ControlPlaneMessage = {
  at: Scalars['DateTime']['output'];
  /** `InitialState`, `StateChange`, `PolicyInvalidated`, `KeyRotated`, `ResyncRequired` or `Error`. */
  kind: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  /** The event's per-org sequence; for InitialState and ResyncRequired, the head the message reflects. */
  seq: Scalars['SafeInt']['output'];
};

export type CreateNotificationInput = {
  link?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 2,000 characters. */
  message: Scalars['String']['input'];
  source?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 200 characters. */
  title: Scalars['String']['input'];
  type?: InputMaybe<NotificationType>;
  /** Whose inbox (a member of the organization); the caller's when omitted. */
  userId?: InputMaybe<Scalars['ID']['input']>;
};

export type CreateWebhookInput = {
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** Event types (exact or `prefix.*`); empty or omitted means all. */
  events?: InputMaybe<Array<Scalars['String']['input']>>;
  name: Scalars['String']['input'];
  url: Scalars['String']['input'];
};

/** A webhook and its signing secret (`whsec_…`), shown only in this response. */
export type CreatedWebhook = {
  __typename?: 'CreatedWebhook';
  secret: Scalars['String']['output'];
  webhook: Webhook;
};

/**
 * A domain event from the durable event log. Every state change is recorded in the same transaction as the
 * change (outbox) and appended here at least once; consumers deduplicate by `id`. See docs/events.md.
 */
export type Event = {
  __typename?: 'Event';
  actor?: Maybe<EventActor>;
  /** Type-specific payload (docs/events.md lists every type). */
  data: Scalars['JSON']['output'];
  /** `evt_…`: stable across redeliveries. */
  id: Scalars['ID']['output'];
  /** When the change was committed. */
  occurredAt: Scalars['DateTime']['output'];
  orgId: Scalars['ID']['output'];
  organization: Organization;
  /** When the event reached the log. */
  recordedAt: Scalars['DateTime']['output'];
  /** The request that caused the change (`X-Request-Id`). */
  requestId?: Maybe<Scalars['String']['output']>;
  /** Strictly increasing per organization, without gaps. */
  seq: Scalars['SafeInt']['output'];
  subject?: Maybe<EventSubject>;
  /** Dotted, past tense: `workflow.paused`, `vm.running`, `webhook.disabled`. */
  type: Scalars['String']['output'];
};

/** Who caused an event: `user`, `api_key`, `service` or `system`. */
export type EventActor = {
  __typename?: 'EventActor';
  id: Scalars['ID']['output'];
  type: Scalars['String']['output'];
};

export type EventFilter = {
  actorId?: InputMaybe<Scalars['ID']['input']>;
  actorType?: InputMaybe<Scalars['String']['input']>;
  /** Only events with `seq` greater than this (single organization only). */
  afterSeq?: InputMaybe<Scalars['SafeInt']['input']>;
  /** Only events whose data names this cluster (`data.clusterId`): a cluster's `replica.*` events (their subject is the replica). */
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  /** Occurred at or after. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  subjectId?: InputMaybe<Scalars['ID']['input']>;
  subjectType?: InputMaybe<Scalars['String']['input']>;
  /** Occurred before. */
  to?: InputMaybe<Scalars['DateTime']['input']>;
  /** Exact types or prefixes ending in `.*` (`vm.*`); empty means all. */
  types?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type EventOrder =
  | 'NEWEST_FIRST'
  | 'OLDEST_FIRST';

export type EventPage = {
  __typename?: 'EventPage';
  items: Array<Event>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

/** Where an organization's log stands: live consumers resume from `headSeq`. */
export type EventStreamPosition = {
  __typename?: 'EventStreamPosition';
  /** Sequence of the newest event (0 when none). */
  headSeq: Scalars['SafeInt']['output'];
  orgId: Scalars['ID']['output'];
  /** Events up to this sequence were removed by retention; resuming from an older one needs a resync. */
  prunedThroughSeq: Scalars['SafeInt']['output'];
  retentionDays: Scalars['Int']['output'];
};

/** What an event is about (`workflow`, `vm`, `cluster`, `api_key`, `webhook`…). */
export type EventSubject = {
  __typename?: 'EventSubject';
  id: Scalars['ID']['output'];
  type: Scalars['String']['output'];
};

/** First message of a fresh control-plane subscription: the organization as of `seq`. */
export type InitialState = ControlPlaneMessage & {
  __typename?: 'InitialState';
  at: Scalars['DateTime']['output'];
  kind: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  organization: Organization;
  seq: Scalars['SafeInt']['output'];
};

/** An API key's secret was rotated or rolled, or the key was revoked: SDKs reload credentials. */
export type KeyRotated = ControlPlaneMessage & {
  __typename?: 'KeyRotated';
  /** secret_rotated, rotated, rolled or revoked. */
  action: Scalars['String']['output'];
  at: Scalars['DateTime']['output'];
  event: Event;
  keyId: Scalars['ID']['output'];
  kind: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  prefix?: Maybe<Scalars['String']['output']>;
  seq: Scalars['SafeInt']['output'];
  workflowId?: Maybe<Scalars['ID']['output']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Internal: handle a batch for one of this subgraph's event consumers; answers { processed, failed }. */
  _consumeEvents?: Maybe<Scalars['JSON']['output']>;
  /** Internal (outbox relays): appends a batch of events to the log, idempotently by id. */
  _ingestEvents?: Maybe<Scalars['JSON']['output']>;
  /** Adds a notification to a member's inbox (administrators and services), or to the caller's own. */
  createNotification: Notification;
  /** Creates a webhook; the response holds its signing secret, shown once. */
  createWebhook: CreatedWebhook;
  deleteWebhook: Scalars['Boolean']['output'];
  /** Marks every unread notification of the caller in the organization read; returns how many. */
  markAllNotificationsRead: Scalars['Int']['output'];
  markNotificationRead: Notification;
  recordActivity: ActivityEntry;
  /** Replaces the signing secret; the new one is in the response, shown once. */
  regenerateWebhookSecret: CreatedWebhook;
  /** Enables or disables a webhook; enabling resets its failure count. */
  toggleWebhook: Webhook;
  updateWebhook: Webhook;
};


export type Mutation_ConsumeEventsArgs = {
  consumer: Scalars['String']['input'];
  events: Scalars['JSON']['input'];
};


export type Mutation_IngestEventsArgs = {
  events: Scalars['JSON']['input'];
};


export type MutationCreateNotificationArgs = {
  input: CreateNotificationInput;
  orgId: Scalars['ID']['input'];
};


export type MutationCreateWebhookArgs = {
  input: CreateWebhookInput;
  orgId: Scalars['ID']['input'];
};


export type MutationDeleteWebhookArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationMarkAllNotificationsReadArgs = {
  orgId: Scalars['ID']['input'];
};


export type MutationMarkNotificationReadArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationRecordActivityArgs = {
  input: RecordActivityInput;
  orgId: Scalars['ID']['input'];
};


export type MutationRegenerateWebhookSecretArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationToggleWebhookArgs = {
  enabled: Scalars['Boolean']['input'];
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationUpdateWebhookArgs = {
  id: Scalars['ID']['input'];
  input: UpdateWebhookInput;
  orgId: Scalars['ID']['input'];
};

/** A message in one user's inbox of one organization. */
export type Notification = {
  __typename?: 'Notification';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** A path in the app (`/…`) or an http(s) URL. */
  link?: Maybe<Scalars['String']['output']>;
  message: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  read: Scalars['Boolean']['output'];
  readAt?: Maybe<Scalars['DateTime']['output']>;
  /** What produced it: an event type (`alert.triggered`) or what a client named (≤ 100 characters). */
  source?: Maybe<Scalars['String']['output']>;
  title: Scalars['String']['output'];
  type: NotificationType;
  userId: Scalars['ID']['output'];
};

export type NotificationChannel =
  | 'EMAIL'
  | 'SLACK'
  | 'WEBHOOK';

/** One message of an alerting event to one channel (an email address, a webhook, a Slack incoming webhook). */
export type NotificationDelivery = {
  __typename?: 'NotificationDelivery';
  attempts: Array<NotificationDeliveryAttempt>;
  channel: NotificationChannel;
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** The event that was delivered. */
  eventId: Scalars['ID']['output'];
  eventType: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  orgId: Scalars['ID']['output'];
  status: NotificationDeliveryStatus;
  /** An email address, or the alert channel's id (URLs are not shown). */
  target: Scalars['String']['output'];
  /** The member an email is for (null for organization channels). */
  userId?: Maybe<Scalars['ID']['output']>;
};

export type NotificationDeliveryAttempt = {
  __typename?: 'NotificationDeliveryAttempt';
  at: Scalars['DateTime']['output'];
  attempt: Scalars['Int']['output'];
  durationMs: Scalars['Int']['output'];
  error?: Maybe<Scalars['String']['output']>;
  statusCode?: Maybe<Scalars['Int']['output']>;
};

export type NotificationDeliveryPage = {
  __typename?: 'NotificationDeliveryPage';
  items: Array<NotificationDelivery>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type NotificationDeliveryStatus =
  | 'FAILED'
  | 'PENDING'
  | 'RETRYING'
  | 'SUCCEEDED';

export type NotificationPage = {
  __typename?: 'NotificationPage';
  items: Array<Notification>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type NotificationType =
  | 'ERROR'
  | 'INFO'
  | 'SUCCESS'
  | 'WARNING';

export type Organization = {
  __typename?: 'Organization';
  eventStreamPosition: EventStreamPosition;
  /** The organization's event log. */
  events: EventPage;
  id: Scalars['ID']['output'];
  webhooks: Array<Webhook>;
};


export type OrganizationEventsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<EventFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  order?: InputMaybe<EventOrder>;
};

/** A policy or policy template changed: SDKs refetch their policies. */
export type PolicyInvalidated = ControlPlaneMessage & {
  __typename?: 'PolicyInvalidated';
  /** created, updated, deleted, toggled, enabled or disabled. */
  action: Scalars['String']['output'];
  at: Scalars['DateTime']['output'];
  event: Event;
  kind: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  policyId?: Maybe<Scalars['ID']['output']>;
  seq: Scalars['SafeInt']['output'];
  templateId?: Maybe<Scalars['ID']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** Internal (gateway): resolves a signed control-plane message for the caller. */
  _controlPlanePayload?: Maybe<ControlPlaneMessage>;
  /** Internal (gateway): head and pruned sequence of several organizations. */
  _eventHeads?: Maybe<Scalars['JSON']['output']>;
  /** Internal (gateway): events after a sequence, as envelopes. */
  _eventLog?: Maybe<Scalars['JSON']['output']>;
  /** Internal (gateway): resolves a signed event for the caller. */
  _eventPayload?: Maybe<Event>;
  /** Internal (gateway): resolves a signed state-change message for the caller. */
  _stateChangePayload?: Maybe<StateChange>;
  /** Internal (gateway): authorizes a subscription for the caller and returns its grant. */
  _subscriptionGrant?: Maybe<Scalars['JSON']['output']>;
  /** Client-written activity, newest first (`from` inclusive, `to` exclusive). */
  activityLog: ActivityPage;
  /** Activity counts over the last `days` days (1 to 366, default 30). */
  activityStats: ActivityStats;
  /**
   * The audit trail: the event log restricted to changes made by a user or an API key, filtered by actor and
   * action (event type, exact or `prefix.*`). All the caller's organizations when `orgId` is omitted.
   */
  auditLog: EventPage;
  event?: Maybe<Event>;
  eventStreamPosition: EventStreamPosition;
  /**
   * Events of one organization, or of every organization the caller belongs to when `orgId` is omitted.
   * `afterSeq` with OLDEST_FIRST reads the log in sequence order (how streams resume).
   */
  events: EventPage;
  /** Deliveries of alerting events to email, webhook and Slack channels, newest first, with their attempts. */
  notificationDeliveries: NotificationDeliveryPage;
  /** The caller's notifications in an organization, newest first; `read` filters read or unread. */
  notifications: NotificationPage;
  unreadNotificationCount: Scalars['Int']['output'];
  webhook?: Maybe<Webhook>;
  webhookDeliveries: WebhookDeliveryPage;
  webhooks: WebhookPage;
};


export type Query_ControlPlanePayloadArgs = {
  envelope: Scalars['String']['input'];
};


export type Query_EventHeadsArgs = {
  orgIds: Array<Scalars['ID']['input']>;
};


export type Query_EventLogArgs = {
  afterSeq: Scalars['SafeInt']['input'];
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type Query_EventPayloadArgs = {
  envelope: Scalars['String']['input'];
};


export type Query_StateChangePayloadArgs = {
  envelope: Scalars['String']['input'];
};


export type Query_SubscriptionGrantArgs = {
  args: Scalars['JSON']['input'];
  field: Scalars['String']['input'];
};


export type QueryActivityLogArgs = {
  action?: InputMaybe<Scalars['String']['input']>;
  actorId?: InputMaybe<Scalars['String']['input']>;
  actorType?: InputMaybe<ActivityActorType>;
  cursor?: InputMaybe<Scalars['String']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryActivityStatsArgs = {
  days?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryAuditLogArgs = {
  action?: InputMaybe<Scalars['String']['input']>;
  actorId?: InputMaybe<Scalars['ID']['input']>;
  actorType?: InputMaybe<Scalars['String']['input']>;
  cursor?: InputMaybe<Scalars['String']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
  subjectId?: InputMaybe<Scalars['ID']['input']>;
  subjectType?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryEventArgs = {
  id: Scalars['ID']['input'];
};


export type QueryEventStreamPositionArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryEventsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<EventFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  order?: InputMaybe<EventOrder>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryNotificationDeliveriesArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  eventId?: InputMaybe<Scalars['ID']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryNotificationsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  read?: InputMaybe<Scalars['Boolean']['input']>;
  type?: InputMaybe<NotificationType>;
};


export type QueryUnreadNotificationCountArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryWebhookArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type QueryWebhookDeliveriesArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  webhookId: Scalars['ID']['input'];
};


export type QueryWebhooksArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};

export type RecordActivityInput = {
  /** 1 to 100 characters: letters, digits and _ . : - / */
  action: Scalars['String']['input'];
  /** 1 to 200 characters. */
  actorId: Scalars['String']['input'];
  actorType: ActivityActorType;
  entityId?: InputMaybe<Scalars['String']['input']>;
  entityType?: InputMaybe<Scalars['String']['input']>;
  /** A JSON object, at most 16 KiB. */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
};

/** The requested `since` is no longer in the log (retention) or unknown: refetch state; an InitialState follows. */
export type ResyncRequired = ControlPlaneMessage & {
  __typename?: 'ResyncRequired';
  at: Scalars['DateTime']['output'];
  kind: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  prunedThroughSeq: Scalars['SafeInt']['output'];
  reason: Scalars['String']['output'];
  seq: Scalars['SafeInt']['output'];
};

/** Membership roles, weakest first. */
export type Role =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER'
  | 'VIEWER';

/** A workflow was created, updated, paused, resumed, killed or had its budget reset. */
export type StateChange = ControlPlaneMessage & {
  __typename?: 'StateChange';
  /** created, updated, paused, resumed, killed or budget_reset. */
  action: Scalars['String']['output'];
  at: Scalars['DateTime']['output'];
  budgetMicros?: Maybe<Scalars['SafeInt']['output']>;
  event: Event;
  kind: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  previousStatus?: Maybe<Scalars['String']['output']>;
  seq: Scalars['SafeInt']['output'];
  spentMicros?: Maybe<Scalars['SafeInt']['output']>;
  /** Lowercase workflow status after the change (active, paused, killed). */
  status?: Maybe<Scalars['String']['output']>;
  workflow?: Maybe<Workflow>;
  workflowId: Scalars['ID']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * The control-plane stream of an organization: InitialState first (or, with `since`, every missed message
   * after that sequence, without gap or duplicate), then StateChange, PolicyInvalidated and KeyRotated in
   * per-org order. A `since` older than retention yields ResyncRequired then InitialState.
   */
  controlPlane: ControlPlaneMessage;
  /** Every event of an organization (optionally only some types: exact or `prefix.*`); resumable with `since`. */
  events: Event;
  /** Events about one job (subject or `data.jobId`). `orgId` defaults to the caller's organization. */
  jobEvents: Event;
  /** `notification.created` events of the caller's own inbox (`userId` must be the caller). */
  notificationReceived: Event;
  /** Events about one workflow run (subject or `data.runId`). `orgId` defaults to the caller's organization. */
  runEvents: Event;
  /** Workflow state changes of an organization, or of one workflow. */
  workflowStateChanged: StateChange;
};


export type SubscriptionControlPlaneArgs = {
  orgId: Scalars['ID']['input'];
  since?: InputMaybe<Scalars['SafeInt']['input']>;
};


export type SubscriptionEventsArgs = {
  orgId: Scalars['ID']['input'];
  since?: InputMaybe<Scalars['SafeInt']['input']>;
  types?: InputMaybe<Array<Scalars['String']['input']>>;
};


export type SubscriptionJobEventsArgs = {
  jobId: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
  since?: InputMaybe<Scalars['SafeInt']['input']>;
};


export type SubscriptionNotificationReceivedArgs = {
  orgId: Scalars['ID']['input'];
  since?: InputMaybe<Scalars['SafeInt']['input']>;
  userId: Scalars['ID']['input'];
};


export type SubscriptionRunEventsArgs = {
  orgId?: InputMaybe<Scalars['ID']['input']>;
  runId: Scalars['ID']['input'];
  since?: InputMaybe<Scalars['SafeInt']['input']>;
};


export type SubscriptionWorkflowStateChangedArgs = {
  orgId: Scalars['ID']['input'];
  since?: InputMaybe<Scalars['SafeInt']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

export type UpdateWebhookInput = {
  events?: InputMaybe<Array<Scalars['String']['input']>>;
  name?: InputMaybe<Scalars['String']['input']>;
  url?: InputMaybe<Scalars['String']['input']>;
};

/** An HTTP(S) endpoint that receives signed event deliveries. */
export type Webhook = {
  __typename?: 'Webhook';
  /** Failed attempts in a row; the webhook is disabled when it reaches the configured maximum. */
  consecutiveFailures: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Recent deliveries, newest first. */
  deliveries: WebhookDeliveryPage;
  /** Why the webhook was disabled automatically (null when enabled or disabled by a person). */
  disabledReason?: Maybe<Scalars['String']['output']>;
  enabled: Scalars['Boolean']['output'];
  /** Event types delivered (exact or `prefix.*`); empty means all. */
  events: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  lastDeliveryAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  /** First characters of the signing secret, to recognise it. */
  secretPrefix: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  url: Scalars['String']['output'];
};


/** An HTTP(S) endpoint that receives signed event deliveries. */
export type WebhookDeliveriesArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** One event sent (or to be sent) to one webhook, with every attempt. */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  attemptHistory: Array<WebhookDeliveryAttempt>;
  /** Attempts made so far. */
  attempts: Scalars['Int']['output'];
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  createdAt: Scalars['DateTime']['output'];
  eventId: Scalars['ID']['output'];
  eventType: Scalars['String']['output'];
  /** `dlv_…`: sent as X-Trellis-Delivery and webhook-id; the same on every retry. */
  id: Scalars['ID']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  lastStatusCode?: Maybe<Scalars['Int']['output']>;
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  seq: Scalars['SafeInt']['output'];
  /** pending, retrying, succeeded, failed or cancelled. */
  status: Scalars['String']['output'];
  webhookId: Scalars['ID']['output'];
};

export type WebhookDeliveryAttempt = {
  __typename?: 'WebhookDeliveryAttempt';
  at: Scalars['DateTime']['output'];
  attempt: Scalars['Int']['output'];
  durationMs: Scalars['Int']['output'];
  error?: Maybe<Scalars['String']['output']>;
  /** HTTP status of the receiver's answer (null when none: timeout, refused, blocked target). */
  statusCode?: Maybe<Scalars['Int']['output']>;
};

export type WebhookDeliveryPage = {
  __typename?: 'WebhookDeliveryPage';
  items: Array<WebhookDelivery>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type WebhookPage = {
  __typename?: 'WebhookPage';
  items: Array<Webhook>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

/** Owned by governance; referenced by state-change pushes. */
export type Workflow = {
  __typename?: 'Workflow';
  id: Scalars['ID']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Organization: Organization;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Organization:
    ( { __typename: 'Organization' }
    & GraphQLRecursivePick<FederationTypes['Organization'], {"id":true}> );
}>;


/** Mapping of interface types */
export type ResolversInterfaceTypes<_RefType extends Record<string, unknown>> = ResolversObject<{
  ControlPlaneMessage:
    | ( Partial<ControlPlaneError> )
    | ( Partial<InitialState> )
    | ( Partial<KeyRotated> )
    | ( Partial<PolicyInvalidated> )
    | ( Partial<ResyncRequired> )
    | ( Partial<StateChange> )
  ;
}>;

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  ActivityActionCount: ResolverTypeWrapper<Partial<ActivityActionCount>>;
  Int: ResolverTypeWrapper<Partial<Scalars['Int']['output']>>;
  ActivityActorType: ResolverTypeWrapper<Partial<ActivityActorType>>;
  ActivityActorTypeCount: ResolverTypeWrapper<Partial<ActivityActorTypeCount>>;
  ActivityDayCount: ResolverTypeWrapper<Partial<ActivityDayCount>>;
  ActivityEntry: ResolverTypeWrapper<Partial<ActivityEntry>>;
  ID: ResolverTypeWrapper<Partial<Scalars['ID']['output']>>;
  ActivityPage: ResolverTypeWrapper<Partial<ActivityPage>>;
  ActivityStats: ResolverTypeWrapper<Partial<ActivityStats>>;
  ControlPlaneError: ResolverTypeWrapper<Partial<ControlPlaneError>>;
  ControlPlaneMessage: ResolverTypeWrapper<ResolversInterfaceTypes<ResolversTypes>['ControlPlaneMessage']>;
  CreateNotificationInput: ResolverTypeWrapper<Partial<CreateNotificationInput>>;
  CreateWebhookInput: ResolverTypeWrapper<Partial<CreateWebhookInput>>;
  Boolean: ResolverTypeWrapper<Partial<Scalars['Boolean']['output']>>;
  CreatedWebhook: ResolverTypeWrapper<Partial<CreatedWebhook>>;
  DateTime: ResolverTypeWrapper<Partial<Scalars['DateTime']['output']>>;
  Event: ResolverTypeWrapper<Partial<Event>>;
  EventActor: ResolverTypeWrapper<Partial<EventActor>>;
  EventFilter: ResolverTypeWrapper<Partial<EventFilter>>;
  EventOrder: ResolverTypeWrapper<Partial<EventOrder>>;
  EventPage: ResolverTypeWrapper<Partial<EventPage>>;
  EventStreamPosition: ResolverTypeWrapper<Partial<EventStreamPosition>>;
  EventSubject: ResolverTypeWrapper<Partial<EventSubject>>;
  InitialState: ResolverTypeWrapper<Partial<InitialState>>;
  JSON: ResolverTypeWrapper<Partial<Scalars['JSON']['output']>>;
  KeyRotated: ResolverTypeWrapper<Partial<KeyRotated>>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Notification: ResolverTypeWrapper<Partial<Notification>>;
  NotificationChannel: ResolverTypeWrapper<Partial<NotificationChannel>>;
  NotificationDelivery: ResolverTypeWrapper<Partial<NotificationDelivery>>;
  NotificationDeliveryAttempt: ResolverTypeWrapper<Partial<NotificationDeliveryAttempt>>;
  NotificationDeliveryPage: ResolverTypeWrapper<Partial<NotificationDeliveryPage>>;
  NotificationDeliveryStatus: ResolverTypeWrapper<Partial<NotificationDeliveryStatus>>;
  NotificationPage: ResolverTypeWrapper<Partial<NotificationPage>>;
  NotificationType: ResolverTypeWrapper<Partial<NotificationType>>;
  Organization: ResolverTypeWrapper<Partial<Organization>>;
  PolicyInvalidated: ResolverTypeWrapper<Partial<PolicyInvalidated>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordActivityInput: ResolverTypeWrapper<Partial<RecordActivityInput>>;
  ResyncRequired: ResolverTypeWrapper<Partial<ResyncRequired>>;
  Role: ResolverTypeWrapper<Partial<Role>>;
  SafeInt: ResolverTypeWrapper<Partial<Scalars['SafeInt']['output']>>;
  StateChange: ResolverTypeWrapper<Partial<StateChange>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UpdateWebhookInput: ResolverTypeWrapper<Partial<UpdateWebhookInput>>;
  Webhook: ResolverTypeWrapper<Partial<Webhook>>;
  WebhookDelivery: ResolverTypeWrapper<Partial<WebhookDelivery>>;
  WebhookDeliveryAttempt: ResolverTypeWrapper<Partial<WebhookDeliveryAttempt>>;
  WebhookDeliveryPage: ResolverTypeWrapper<Partial<WebhookDeliveryPage>>;
  WebhookPage: ResolverTypeWrapper<Partial<WebhookPage>>;
  Workflow: ResolverTypeWrapper<Partial<Workflow>>;
  String: ResolverTypeWrapper<Partial<Scalars['String']['output']>>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  ActivityActionCount: Partial<ActivityActionCount>;
  Int: Partial<Scalars['Int']['output']>;
  ActivityActorTypeCount: Partial<ActivityActorTypeCount>;
  ActivityDayCount: Partial<ActivityDayCount>;
  ActivityEntry: Partial<ActivityEntry>;
  ID: Partial<Scalars['ID']['output']>;
  ActivityPage: Partial<ActivityPage>;
  ActivityStats: Partial<ActivityStats>;
  ControlPlaneError: Partial<ControlPlaneError>;
  ControlPlaneMessage: ResolversInterfaceTypes<ResolversParentTypes>['ControlPlaneMessage'];
  CreateNotificationInput: Partial<CreateNotificationInput>;
  CreateWebhookInput: Partial<CreateWebhookInput>;
  Boolean: Partial<Scalars['Boolean']['output']>;
  CreatedWebhook: Partial<CreatedWebhook>;
  DateTime: Partial<Scalars['DateTime']['output']>;
  Event: Partial<Event>;
  EventActor: Partial<EventActor>;
  EventFilter: Partial<EventFilter>;
  EventPage: Partial<EventPage>;
  EventStreamPosition: Partial<EventStreamPosition>;
  EventSubject: Partial<EventSubject>;
  InitialState: Partial<InitialState>;
  JSON: Partial<Scalars['JSON']['output']>;
  KeyRotated: Partial<KeyRotated>;
  Mutation: Record<PropertyKey, never>;
  Notification: Partial<Notification>;
  NotificationDelivery: Partial<NotificationDelivery>;
  NotificationDeliveryAttempt: Partial<NotificationDeliveryAttempt>;
  NotificationDeliveryPage: Partial<NotificationDeliveryPage>;
  NotificationPage: Partial<NotificationPage>;
  Organization: Partial<Organization | FederationReferenceTypes['Organization']>;
  PolicyInvalidated: Partial<PolicyInvalidated>;
  Query: Record<PropertyKey, never>;
  RecordActivityInput: Partial<RecordActivityInput>;
  ResyncRequired: Partial<ResyncRequired>;
  SafeInt: Partial<Scalars['SafeInt']['output']>;
  StateChange: Partial<StateChange>;
  Subscription: Record<PropertyKey, never>;
  UpdateWebhookInput: Partial<UpdateWebhookInput>;
  Webhook: Partial<Webhook>;
  WebhookDelivery: Partial<WebhookDelivery>;
  WebhookDeliveryAttempt: Partial<WebhookDeliveryAttempt>;
  WebhookDeliveryPage: Partial<WebhookDeliveryPage>;
  WebhookPage: Partial<WebhookPage>;
  Workflow: Partial<Workflow>;
  String: Partial<Scalars['String']['output']>;
}>;

export type AuthzDirectiveArgs = {
  org?: Maybe<Scalars['String']['input']>;
  permission?: Maybe<Scalars['String']['input']>;
  workflow?: Maybe<Scalars['String']['input']>;
};

export type AuthzDirectiveResolver<Result, Parent, ContextType = EventsContext, Args = AuthzDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type PublicDirectiveArgs = { };

export type PublicDirectiveResolver<Result, Parent, ContextType = EventsContext, Args = PublicDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ActivityActionCountResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['ActivityActionCount'] = ResolversParentTypes['ActivityActionCount']> = ResolversObject<{
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ActivityActorTypeCountResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['ActivityActorTypeCount'] = ResolversParentTypes['ActivityActorTypeCount']> = ResolversObject<{
  actorType?: Resolver<ResolversTypes['ActivityActorType'], ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ActivityDayCountResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['ActivityDayCount'] = ResolversParentTypes['ActivityDayCount']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  day?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ActivityEntryResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['ActivityEntry'] = ResolversParentTypes['ActivityEntry']> = ResolversObject<{
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorType?: Resolver<ResolversTypes['ActivityActorType'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  entityId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  entityType?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  metadata?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ActivityPageResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['ActivityPage'] = ResolversParentTypes['ActivityPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['ActivityEntry']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ActivityStatsResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['ActivityStats'] = ResolversParentTypes['ActivityStats']> = ResolversObject<{
  byAction?: Resolver<Array<ResolversTypes['ActivityActionCount']>, ParentType, ContextType>;
  byActorType?: Resolver<Array<ResolversTypes['ActivityActorTypeCount']>, ParentType, ContextType>;
  byDay?: Resolver<Array<ResolversTypes['ActivityDayCount']>, ParentType, ContextType>;
  days?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ControlPlaneErrorResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['ControlPlaneError'] = ResolversParentTypes['ControlPlaneError']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ControlPlaneMessageResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['ControlPlaneMessage'] = ResolversParentTypes['ControlPlaneMessage']> = ResolversObject<{
  __resolveType: TypeResolveFn<'ControlPlaneError' | 'InitialState' | 'KeyRotated' | 'PolicyInvalidated' | 'ResyncRequired' | 'StateChange', ParentType, ContextType>;
}>;

export type CreatedWebhookResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['CreatedWebhook'] = ResolversParentTypes['CreatedWebhook']> = ResolversObject<{
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  webhook?: Resolver<ResolversTypes['Webhook'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type EventResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Event'] = ResolversParentTypes['Event']> = ResolversObject<{
  actor?: Resolver<Maybe<ResolversTypes['EventActor']>, ParentType, ContextType>;
  data?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  recordedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  requestId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  subject?: Resolver<Maybe<ResolversTypes['EventSubject']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type EventActorResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['EventActor'] = ResolversParentTypes['EventActor']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type EventPageResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['EventPage'] = ResolversParentTypes['EventPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Event']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type EventStreamPositionResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['EventStreamPosition'] = ResolversParentTypes['EventStreamPosition']> = ResolversObject<{
  headSeq?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  prunedThroughSeq?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  retentionDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type EventSubjectResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['EventSubject'] = ResolversParentTypes['EventSubject']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type InitialStateResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['InitialState'] = ResolversParentTypes['InitialState']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type KeyRotatedResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['KeyRotated'] = ResolversParentTypes['KeyRotated']> = ResolversObject<{
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  event?: Resolver<ResolversTypes['Event'], ParentType, ContextType>;
  keyId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  prefix?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  _consumeEvents?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Mutation_ConsumeEventsArgs, 'consumer' | 'events'>>;
  _ingestEvents?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Mutation_IngestEventsArgs, 'events'>>;
  createNotification?: Resolver<ResolversTypes['Notification'], ParentType, ContextType, RequireFields<MutationCreateNotificationArgs, 'input' | 'orgId'>>;
  createWebhook?: Resolver<ResolversTypes['CreatedWebhook'], ParentType, ContextType, RequireFields<MutationCreateWebhookArgs, 'input' | 'orgId'>>;
  deleteWebhook?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteWebhookArgs, 'id' | 'orgId'>>;
  markAllNotificationsRead?: Resolver<ResolversTypes['Int'], ParentType, ContextType, RequireFields<MutationMarkAllNotificationsReadArgs, 'orgId'>>;
  markNotificationRead?: Resolver<ResolversTypes['Notification'], ParentType, ContextType, RequireFields<MutationMarkNotificationReadArgs, 'id' | 'orgId'>>;
  recordActivity?: Resolver<ResolversTypes['ActivityEntry'], ParentType, ContextType, RequireFields<MutationRecordActivityArgs, 'input' | 'orgId'>>;
  regenerateWebhookSecret?: Resolver<ResolversTypes['CreatedWebhook'], ParentType, ContextType, RequireFields<MutationRegenerateWebhookSecretArgs, 'id' | 'orgId'>>;
  toggleWebhook?: Resolver<ResolversTypes['Webhook'], ParentType, ContextType, RequireFields<MutationToggleWebhookArgs, 'enabled' | 'id' | 'orgId'>>;
  updateWebhook?: Resolver<ResolversTypes['Webhook'], ParentType, ContextType, RequireFields<MutationUpdateWebhookArgs, 'id' | 'input' | 'orgId'>>;
}>;

export type NotificationResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Notification'] = ResolversParentTypes['Notification']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  link?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  read?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  readAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  source?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['NotificationType'], ParentType, ContextType>;
  userId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type NotificationDeliveryResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['NotificationDelivery'] = ResolversParentTypes['NotificationDelivery']> = ResolversObject<{
  attempts?: Resolver<Array<ResolversTypes['NotificationDeliveryAttempt']>, ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['NotificationChannel'], ParentType, ContextType>;
  completedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  eventType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['NotificationDeliveryStatus'], ParentType, ContextType>;
  target?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  userId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type NotificationDeliveryAttemptResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['NotificationDeliveryAttempt'] = ResolversParentTypes['NotificationDeliveryAttempt']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  attempt?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  durationMs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  statusCode?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type NotificationDeliveryPageResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['NotificationDeliveryPage'] = ResolversParentTypes['NotificationDeliveryPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['NotificationDelivery']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type NotificationPageResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['NotificationPage'] = ResolversParentTypes['NotificationPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Notification']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type OrganizationResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  eventStreamPosition?: Resolver<ResolversTypes['EventStreamPosition'], ParentType, ContextType>;
  events?: Resolver<ResolversTypes['EventPage'], ParentType, ContextType, RequireFields<OrganizationEventsArgs, 'order'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  webhooks?: Resolver<Array<ResolversTypes['Webhook']>, ParentType, ContextType>;
}>;

export type PolicyInvalidatedResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['PolicyInvalidated'] = ResolversParentTypes['PolicyInvalidated']> = ResolversObject<{
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  event?: Resolver<ResolversTypes['Event'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  policyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  templateId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  _controlPlanePayload?: Resolver<Maybe<ResolversTypes['ControlPlaneMessage']>, ParentType, ContextType, RequireFields<Query_ControlPlanePayloadArgs, 'envelope'>>;
  _eventHeads?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Query_EventHeadsArgs, 'orgIds'>>;
  _eventLog?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Query_EventLogArgs, 'afterSeq' | 'orgId'>>;
  _eventPayload?: Resolver<Maybe<ResolversTypes['Event']>, ParentType, ContextType, RequireFields<Query_EventPayloadArgs, 'envelope'>>;
  _stateChangePayload?: Resolver<Maybe<ResolversTypes['StateChange']>, ParentType, ContextType, RequireFields<Query_StateChangePayloadArgs, 'envelope'>>;
  _subscriptionGrant?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Query_SubscriptionGrantArgs, 'args' | 'field'>>;
  activityLog?: Resolver<ResolversTypes['ActivityPage'], ParentType, ContextType, RequireFields<QueryActivityLogArgs, 'orgId'>>;
  activityStats?: Resolver<ResolversTypes['ActivityStats'], ParentType, ContextType, RequireFields<QueryActivityStatsArgs, 'orgId'>>;
  auditLog?: Resolver<ResolversTypes['EventPage'], ParentType, ContextType, Partial<QueryAuditLogArgs>>;
  event?: Resolver<Maybe<ResolversTypes['Event']>, ParentType, ContextType, RequireFields<QueryEventArgs, 'id'>>;
  eventStreamPosition?: Resolver<ResolversTypes['EventStreamPosition'], ParentType, ContextType, RequireFields<QueryEventStreamPositionArgs, 'orgId'>>;
  events?: Resolver<ResolversTypes['EventPage'], ParentType, ContextType, RequireFields<QueryEventsArgs, 'order'>>;
  notificationDeliveries?: Resolver<ResolversTypes['NotificationDeliveryPage'], ParentType, ContextType, RequireFields<QueryNotificationDeliveriesArgs, 'orgId'>>;
  notifications?: Resolver<ResolversTypes['NotificationPage'], ParentType, ContextType, RequireFields<QueryNotificationsArgs, 'orgId'>>;
  unreadNotificationCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType, RequireFields<QueryUnreadNotificationCountArgs, 'orgId'>>;
  webhook?: Resolver<Maybe<ResolversTypes['Webhook']>, ParentType, ContextType, RequireFields<QueryWebhookArgs, 'id' | 'orgId'>>;
  webhookDeliveries?: Resolver<ResolversTypes['WebhookDeliveryPage'], ParentType, ContextType, RequireFields<QueryWebhookDeliveriesArgs, 'orgId' | 'webhookId'>>;
  webhooks?: Resolver<ResolversTypes['WebhookPage'], ParentType, ContextType, RequireFields<QueryWebhooksArgs, 'orgId'>>;
}>;

export type ResyncRequiredResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['ResyncRequired'] = ResolversParentTypes['ResyncRequired']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  prunedThroughSeq?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export interface SafeIntScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['SafeInt'], any> {
  name: 'SafeInt';
}

export type StateChangeResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['StateChange'] = ResolversParentTypes['StateChange']> = ResolversObject<{
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  budgetMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  event?: Resolver<ResolversTypes['Event'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  previousStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  spentMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  workflow?: Resolver<Maybe<ResolversTypes['Workflow']>, ParentType, ContextType>;
  workflowId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  controlPlane?: SubscriptionResolver<ResolversTypes['ControlPlaneMessage'], "controlPlane", ParentType, ContextType, RequireFields<SubscriptionControlPlaneArgs, 'orgId'>>;
  events?: SubscriptionResolver<ResolversTypes['Event'], "events", ParentType, ContextType, RequireFields<SubscriptionEventsArgs, 'orgId'>>;
  jobEvents?: SubscriptionResolver<ResolversTypes['Event'], "jobEvents", ParentType, ContextType, RequireFields<SubscriptionJobEventsArgs, 'jobId'>>;
  notificationReceived?: SubscriptionResolver<ResolversTypes['Event'], "notificationReceived", ParentType, ContextType, RequireFields<SubscriptionNotificationReceivedArgs, 'orgId' | 'userId'>>;
  runEvents?: SubscriptionResolver<ResolversTypes['Event'], "runEvents", ParentType, ContextType, RequireFields<SubscriptionRunEventsArgs, 'runId'>>;
  workflowStateChanged?: SubscriptionResolver<ResolversTypes['StateChange'], "workflowStateChanged", ParentType, ContextType, RequireFields<SubscriptionWorkflowStateChangedArgs, 'orgId'>>;
}>;

export type WebhookResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Webhook'] = ResolversParentTypes['Webhook']> = ResolversObject<{
  consecutiveFailures?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  deliveries?: Resolver<ResolversTypes['WebhookDeliveryPage'], ParentType, ContextType, Partial<WebhookDeliveriesArgs>>;
  disabledReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  events?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastDeliveryAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  secretPrefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type WebhookDeliveryResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['WebhookDelivery'] = ResolversParentTypes['WebhookDelivery']> = ResolversObject<{
  attemptHistory?: Resolver<Array<ResolversTypes['WebhookDeliveryAttempt']>, ParentType, ContextType>;
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  completedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  eventType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastStatusCode?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  nextAttemptAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  webhookId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type WebhookDeliveryAttemptResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['WebhookDeliveryAttempt'] = ResolversParentTypes['WebhookDeliveryAttempt']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  attempt?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  durationMs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  statusCode?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type WebhookDeliveryPageResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['WebhookDeliveryPage'] = ResolversParentTypes['WebhookDeliveryPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['WebhookDelivery']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type WebhookPageResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['WebhookPage'] = ResolversParentTypes['WebhookPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Webhook']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type WorkflowResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Workflow'] = ResolversParentTypes['Workflow']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = EventsContext> = ResolversObject<{
  ActivityActionCount?: ActivityActionCountResolvers<ContextType>;
  ActivityActorTypeCount?: ActivityActorTypeCountResolvers<ContextType>;
  ActivityDayCount?: ActivityDayCountResolvers<ContextType>;
  ActivityEntry?: ActivityEntryResolvers<ContextType>;
  ActivityPage?: ActivityPageResolvers<ContextType>;
  ActivityStats?: ActivityStatsResolvers<ContextType>;
  ControlPlaneError?: ControlPlaneErrorResolvers<ContextType>;
  ControlPlaneMessage?: ControlPlaneMessageResolvers<ContextType>;
  CreatedWebhook?: CreatedWebhookResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Event?: EventResolvers<ContextType>;
  EventActor?: EventActorResolvers<ContextType>;
  EventPage?: EventPageResolvers<ContextType>;
  EventStreamPosition?: EventStreamPositionResolvers<ContextType>;
  EventSubject?: EventSubjectResolvers<ContextType>;
  InitialState?: InitialStateResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  KeyRotated?: KeyRotatedResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Notification?: NotificationResolvers<ContextType>;
  NotificationDelivery?: NotificationDeliveryResolvers<ContextType>;
  NotificationDeliveryAttempt?: NotificationDeliveryAttemptResolvers<ContextType>;
  NotificationDeliveryPage?: NotificationDeliveryPageResolvers<ContextType>;
  NotificationPage?: NotificationPageResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  PolicyInvalidated?: PolicyInvalidatedResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ResyncRequired?: ResyncRequiredResolvers<ContextType>;
  SafeInt?: GraphQLScalarType;
  StateChange?: StateChangeResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Webhook?: WebhookResolvers<ContextType>;
  WebhookDelivery?: WebhookDeliveryResolvers<ContextType>;
  WebhookDeliveryAttempt?: WebhookDeliveryAttemptResolvers<ContextType>;
  WebhookDeliveryPage?: WebhookDeliveryPageResolvers<ContextType>;
  WebhookPage?: WebhookPageResolvers<ContextType>;
  Workflow?: WorkflowResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = EventsContext> = ResolversObject<{
  authz?: AuthzDirectiveResolver<any, any, ContextType>;
  public?: PublicDirectiveResolver<any, any, ContextType>;
}>;
