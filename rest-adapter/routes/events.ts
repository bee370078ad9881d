/**
 * The events subgraph's `/v1` routes: webhooks (seed 003), the audit trail
 * (seeds 000 and 001 — listed under governance in routes.tsv, served by the
 * event log filtered by actor and action), and the live streams (seed 001):
 * Server-Sent Events with `Last-Event-ID` resume and heartbeats, and the
 * `/v1/events/ws` WebSocket (upgraded by the gateway, see gateway/subscriptions.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isErrorCode, TrellisError } from '../../kernel/errors.ts';
import type { EventEnvelope } from '../../kernel/event-stream/envelope.ts';
import { OrgFeed } from '../../kernel/event-stream/feed.ts';
import { itemOf, type StreamField } from '../../kernel/event-stream/live.ts';
import { eventForReader } from '../../kernel/permissions.ts';
import { defineRoutes, type HandlerContext } from '../route-table.ts';

// ---------------------------------------------------------------------------------------------
// Server-Sent Events

const text = (value: unknown): string | undefined =>
  Array.isArray(value) ? text(value.at(-1)) : typeof value === 'string' && value !== '' ? value : undefined;

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

function raise(errors: unknown[] | undefined): never {
  const first = (errors?.[0] ?? { message: 'Internal error' }) as GraphQLErrorLike;
  const code = first.extensions?.code;
  const retryAfter = first.extensions?.retryAfter;
  throw new TrellisError(isErrorCode(code) ? code : 'internal', first.message, {
    field: first.extensions?.field as string | undefined,
    retryAfter: typeof retryAfter === 'number' ? retryAfter : undefined,
  });
}

async function run<T>(
  ctx: Pick<HandlerContext, 'execute'>,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const result = await ctx.execute(query, variables);
  if (result.errors?.length || !result.data) raise(result.errors);
  return result.data as T;
}

const POSITION_QUERY = /* GraphQL */ `
  query EventsStreamPosition($orgId: ID!) {
    eventStreamPosition(orgId: $orgId) { headSeq prunedThroughSeq }
  }
`;
const AFTER_QUERY = /* GraphQL */ `
  query EventsStreamAfter($orgId: ID!, $afterSeq: SafeInt!, $limit: Int) {
    events(orgId: $orgId, filter: { afterSeq: $afterSeq }, order: OLDEST_FIRST, limit: $limit) {
      items { id seq type orgId actor { type id } subject { type id } requestId data occurredAt recordedAt }
    }
  }
`;
const OWNER_FIRST_QUERY = /* GraphQL */ `
  query EventsOwnerFirst($orgId: ID!, $subjectId: ID!) {
    events(orgId: $orgId, filter: { subjectId: $subjectId }, order: OLDEST_FIRST, limit: 1) { items { seq } }
  }
`;

/**
 * Where a per-object stream opened without `Last-Event-ID` starts: just before the object's first event, so a
 * client that opens a run's (or job's) stream after starting it still sees every step from `run.created` on —
 * not only what happens after it connected. Never before what the log still retains.
 */
async function ownerHistoryStart(
  ctx: HandlerContext,
  orgId: string,
  owner: StreamOwner,
  position: { headSeq: number; prunedThroughSeq: number },
): Promise<number> {
  const data = await run<{ events: { items: { seq: number }[] } }>(ctx, OWNER_FIRST_QUERY, {
    orgId,
    subjectId: owner.id,
  });
  const first = data.events.items[0]?.seq;
  return first === undefined ? position.headSeq : Math.max(first - 1, position.prunedThroughSeq);
}

/** The object a per-object stream is about: its root field in compute's API, and its name in messages. */
interface StreamOwner {
  field: 'job' | 'workflowRun';
  noun: string;
  id: string;
}

/** The object's organization, asked of the subgraph that owns it; another organization's object, or none, is not found. */
async function ownerOrgOf(ctx: HandlerContext, owner: StreamOwner): Promise<string> {
  const query = `query EventsOwnerOrg($id: ID!) { ${owner.field}(id: $id) { orgId } }`;
  const data = await run<Record<string, { orgId: string } | null>>(ctx, query, { id: owner.id });
  const found = data[owner.field];
  if (!found) throw new TrellisError('not_found', `${owner.noun} not found`);
  return found.orgId;
}

interface StreamSpec {
  field: StreamField;
  args: Record<string, unknown>;
  /** The object the stream is about: it opens only for an object of the caller's organization that exists. */
  owner?: StreamOwner;
}

async function organizationOf(req: FastifyRequest, ctx: HandlerContext, spec: StreamSpec): Promise<string> {
  const query = req.query as Record<string, unknown>;
  const explicit = text(query.orgId) ?? text(query.organizationId);
  if (spec.owner) {
    const owner = await ownerOrgOf(ctx, spec.owner);
    if (explicit && explicit !== owner) throw new TrellisError('not_found', `${spec.owner.noun} not found`);
    return owner;
  }
  if (explicit) return explicit;
  if (ctx.principal.orgId) return ctx.principal.orgId;
  const orgs = ctx.principal.memberships.map((m) => m.orgId);
  if (orgs.length === 1) return orgs[0] as string;
  throw new TrellisError('validation_failed', 'orgId is required (an API key defaults to its own organization)', {
    field: 'orgId',
  });
}

function sinceOf(req: FastifyRequest): number | null {
  const query = req.query as Record<string, unknown>;
  const value = text(req.headers['last-event-id']) ?? text(query.lastEventId) ?? text(query.since);
  if (value === undefined) return null;
  if (!/^\d{1,15}$/.test(value))
    throw new TrellisError('invalid_request', 'Last-Event-ID must be an event sequence number', {
      field: 'Last-Event-ID',
    });
  return Number(value);
}

/**
 * How a stream writes on the wire. SSE (the default): `id: <seq>`, `event: <type>`, `data: <event JSON>`,
 * heartbeats and notices as `:` comments. JSON Lines (`Accept: application/x-ndjson` or `application/jsonl`,
 * seed 002): one JSON object a line with the same fields — `{"id": seq, "event": type, "data": event}` for an
 * event, `{"event": "connected" | "heartbeat" | "resync_required" | "error" | "shutdown", "data": …}` for the
 * stream's own messages — so a client resumes the same way (Last-Event-ID = the last `id` it read).
 */
interface Framing {
  contentType: string;
  opened(orgId: string, after: number): string;
  event(event: EventEnvelope, data: unknown): string;
  /** A message of the stream itself (`resync_required`, `error`). */
  notice(name: string, data: unknown): string;
  heartbeat(at: string): string;
  shutdown(): string;
}

const SSE: Framing = {
  contentType: 'text/event-stream; charset=utf-8',
  opened: (orgId, after) => `retry: 3000\n: connected to ${orgId} after ${after}\n\n`,
  event: (event, data) => `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`,
  notice: (name, data) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`,
  heartbeat: (at) => `: heartbeat ${at}\n\n`,
  shutdown: () => ': server shutting down; reconnect with Last-Event-ID\n\n',
};

const line = (value: unknown) => `${JSON.stringify(value)}\n`;
const JSON_LINES: Framing = {
  contentType: 'application/x-ndjson; charset=utf-8',
  opened: (orgId, after) => line({ event: 'connected', data: { orgId, after } }),
  event: (event, data) => line({ id: event.seq, event: event.type, data }),
  notice: (name, data) => line({ event: name, data }),
  heartbeat: (at) => line({ event: 'heartbeat', data: { at } }),
  shutdown: () => line({ event: 'shutdown', data: { message: 'server shutting down; reconnect with Last-Event-ID' } }),
};

/** The media types asking for JSON Lines; the first of SSE or these named in `Accept` wins (SSE when none is). */
const JSON_LINES_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/json-lines'];

function framingOf(req: FastifyRequest): Framing {
  const accepted = (text(req.headers.accept) ?? '').split(',').map((part) => part.split(';')[0]?.trim().toLowerCase());
  for (const type of accepted) {
    if (type === 'text/event-stream') return SSE;
    if (type && JSON_LINES_TYPES.includes(type)) return JSON_LINES;
  }
  return SSE;
}

/**
 * Streams an organization's events as SSE (or JSON Lines, see `Framing`): `id: <seq>`, `event: <type>`,
 * `data: <event JSON>`. Resumes after `Last-Event-ID` (header, or `lastEventId`
 * / `since` query parameter) from the log; sends `: heartbeat` comments every
 * TRELLIS_SSE_HEARTBEAT_SECONDS (and checks the log head then); a position no
 * longer retained yields an `event: resync_required` message and a restart
 * from the head. When identity revokes the credential or the caller loses
 * access to the organization the stream ends with `event: error` (`data:
 * {code, message}`); on shutdown it ends with a final comment (reconnect to
 * another replica with Last-Event-ID).
 */
async function streamEvents(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext, spec: StreamSpec) {
  const framing = framingOf(req);
  const orgId = await organizationOf(req, ctx, spec);
  const requestedSince = sinceOf(req);
  const position = (
    await run<{ eventStreamPosition: { headSeq: number; prunedThroughSeq: number } }>(ctx, POSITION_QUERY, { orgId })
  ).eventStreamPosition;
  const resync =
    requestedSince !== null && (requestedSince < position.prunedThroughSeq || requestedSince > position.headSeq);
  const startAfter =
    requestedSince === null && spec.owner
      ? await ownerHistoryStart(ctx, orgId, spec.owner, position)
      : requestedSince === null || resync
        ? position.headSeq
        : requestedSince;
  const { config } = ctx.platform;
  const maxBuffered = config.subscriptions.maxBufferedBytes;

  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    'content-type': framing.contentType,
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': ctx.meta.requestId,
  });
  let closed = false;
  // The caller as last authorized: replaced when a re-check finds them changed but still allowed.
  let caller: Pick<HandlerContext, 'execute'> = ctx;
  const write = (chunk: string) => {
    if (closed) return;
    out.write(chunk);
    // A client that does not read is cut off rather than buffered without bound.
    if (out.writableLength > maxBuffered) cleanup(true);
  };
  write(framing.opened(orgId, startAfter));
  if (resync)
    write(
      framing.notice('resync_required', {
        orgId,
        since: requestedSince,
        headSeq: position.headSeq,
        prunedThroughSeq: position.prunedThroughSeq,
      }),
    );

  const feed = new OrgFeed({
    bus: ctx.platform.bus,
    orgId,
    after: startAfter,
    pageSize: 200,
    source: {
      fetchAfter: async (org, afterSeq, limit) =>
        (
          await run<{ events: { items: EventEnvelope[] } }>(caller, AFTER_QUERY, {
            orgId: org,
            afterSeq,
            limit: Math.min(limit, 200),
          })
        ).events.items,
    },
    onEvent: (event) => {
      if (!itemOf(spec.field, spec.args, event)) return;
      write(framing.event(event, eventForReader(ctx.principal, event)));
    },
    onError: (err) => ctx.platform.logger.warn({ err, orgId }, 'SSE stream could not read the event log'),
  });
  const heartbeat = setInterval(async () => {
    write(framing.heartbeat(new Date().toISOString()));
    try {
      const head = await run<{ eventStreamPosition: { headSeq: number } }>(caller, POSITION_QUERY, { orgId });
      feed.notifyHead(head.eventStreamPosition.headSeq);
    } catch (err) {
      ctx.platform.logger.debug({ err }, 'SSE head check failed');
    }
  }, config.events.sseHeartbeatSeconds * 1000);
  const endWithError = (code: string, message: string) => {
    write(framing.notice('error', { code, message }));
    cleanup();
  };
  const unwatch = ctx.watch({
    async reauthorize(execute) {
      try {
        await run({ execute }, POSITION_QUERY, { orgId });
        caller = { execute };
      } catch (error) {
        // Identity or events cannot answer now: keep streaming, the next change re-checks.
        if (error instanceof TrellisError && error.code !== 'service_unavailable' && error.code !== 'internal')
          endWithError(error.code, error.message);
      }
    },
    revoked: () => endWithError('unauthenticated', 'The credential of this stream was revoked or disabled'),
    shutdown: () => {
      write(framing.shutdown());
      cleanup();
    },
  });
  function cleanup(slowConsumer = false) {
    if (closed) return;
    closed = true;
    unwatch();
    clearInterval(heartbeat);
    void feed.close();
    if (slowConsumer) out.destroy();
    else out.end();
  }
  req.raw.once('close', () => cleanup());
  out.once('close', () => cleanup());
  try {
    await feed.start();
  } catch (err) {
    // Headers are sent: end the stream; the client reconnects with Last-Event-ID.
    ctx.platform.logger.warn({ err, orgId }, 'SSE stream could not start');
    cleanup();
  }
}

const streamParams = (req: FastifyRequest) => {
  const query = req.query as Record<string, unknown>;
  const raw = query.types;
  const types = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .flatMap((t) => String(t).split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  return types.length > 0 ? types : null;
};

const pathId = (req: FastifyRequest) => (req.params as Record<string, string>).id as string;

const owner = 'events';

// biome-ignore format: a table, one route a line or two
const webhookAndAuditRoutes = defineRoutes([
  // ---- webhooks (seed 003) ------------------------------------------------------------------
  { method: 'GET', path: '/v1/orgs/{orgId}/webhooks', owner, paginated: true, query: 'webhooks(...)',
    summary: "List an org's webhooks (no secrets)" },
  { method: 'POST', path: '/v1/orgs/{orgId}/webhooks/create', owner, body: 'input', status: 201, mutation: 'createWebhook(...)',
    summary: 'Create a webhook (returns the signing secret once)' },
  { method: 'PATCH', path: '/v1/orgs/{orgId}/webhooks/{id}', owner, body: 'input', mutation: 'updateWebhook(...)',
    summary: 'Update a webhook (name/url/events)' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}/webhooks/{id}', owner, status: 204, mutation: 'deleteWebhook(...)', summary: 'Delete a webhook' },
  { method: 'GET', path: '/v1/orgs/{orgId}/webhooks/{id}/deliveries', owner, paginated: true, query: 'webhookDeliveries(webhookId: $id, ...)',
    summary: 'Recent delivery attempts for a webhook' },
  { method: 'POST', path: '/v1/orgs/{orgId}/webhooks/{id}/regenerate-secret', owner, mutation: 'regenerateWebhookSecret(...)',
    summary: "Regenerate a webhook's signing secret (returned once)" },
  { method: 'POST', path: '/v1/orgs/{orgId}/webhooks/{id}/toggle', owner, mutation: 'toggleWebhook(...)', summary: 'Enable/disable a webhook' },

  // ---- notifications inbox and activity log (seed 004, docs/notifications.md) ----------------
  { method: 'GET', path: '/v1/orgs/{orgId}/notifications', owner, paginated: true, query: 'notifications(...)',
    summary: "List the caller's notifications, newest first (filter read, type)" },
  { method: 'POST', path: '/v1/orgs/{orgId}/notifications', owner, status: 201, body: 'input',
    aliases: { user_id: 'userId' }, mutation: 'createNotification(...)',
    summary: "Create a notification (title, message, type, source, link) in the caller's or a member's inbox" },
  { method: 'PATCH', path: '/v1/orgs/{orgId}/notifications/read-all', owner, mutation: 'markAllNotificationsRead(...)',
    result: (data) => ({ updated: data.markAllNotificationsRead }),
    summary: "Mark all the caller's notifications read (answers how many were unread)" },
  { method: 'GET', path: '/v1/orgs/{orgId}/notifications/unread-count', owner, query: 'unreadNotificationCount(...)',
    result: (data) => ({ count: data.unreadNotificationCount }), summary: 'Unread notification count' },
  { method: 'GET', path: '/v1/orgs/{orgId}/activity-log', owner, paginated: true, query: 'activityLog(...)',
    summary: 'List activity records, newest first (filter actorType, actorId, action, from, to)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/activity-log', owner, status: 201, body: 'input',
    aliases: { actor_type: 'actorType', actor_id: 'actorId', entity_type: 'entityType', entity_id: 'entityId' },
    mutation: 'recordActivity(...)', summary: 'Record an activity (actor, action, entity, metadata)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/activity-log/stats', owner, query: 'activityStats(...)',
    summary: 'Activity summary statistics: counts by action, day and actor type (days, default 30)' },

  // ---- audit trail (routes.tsv: governance; served by the events subgraph's log) -------------
  { method: 'GET', path: '/v1/orgs/{orgId}/audit-log', owner: 'governance', paginated: true, query: 'auditLog(...)',
    summary: 'Audit trail: changes made by people and API keys, filtered by actor and action' },
  { method: 'GET', path: '/v1/organizations/{id}/audit-logs', owner: 'governance', paginated: true, query: 'auditLog(orgId: $id, ...)',
    summary: 'Org audit trail (seed 001 path)' },
  { method: 'GET', path: '/v1/audit-logs', owner: 'governance', paginated: true, query: 'auditLog(...)',
    summary: "Audit logs of every organization the caller administers (or `orgId`'s)" },
]);

export const eventsRoutes = defineRoutes([
  ...webhookAndAuditRoutes,
  // ---- live streams (seed 001) ---------------------------------------------------------------
  {
    kind: 'handler',
    method: 'GET',
    path: '/v1/events/stream',
    owner: 'events',
    summary:
      'All events (SSE). Query: orgId (default: the API key’s organization), types (exact or prefix.*), Last-Event-ID header or lastEventId to resume',
    produces: 'text/event-stream',
    handler: (req, reply, ctx) =>
      streamEvents(req, reply, ctx, { field: 'events', args: { types: streamParams(req) } }),
  },
  {
    kind: 'handler',
    method: 'GET',
    path: '/v1/jobs/{id}/events',
    owner: 'events',
    summary: 'Per-job event stream (SSE; JSON Lines with Accept: application/x-ndjson), resumable with Last-Event-ID',
    produces: 'text/event-stream',
    handler: (req, reply, ctx) =>
      streamEvents(req, reply, ctx, {
        field: 'jobEvents',
        args: { jobId: pathId(req) },
        owner: { field: 'job', noun: 'Job', id: pathId(req) },
      }),
  },
  {
    kind: 'handler',
    method: 'GET',
    path: '/v1/workflow-runs/{id}/events',
    owner: 'events',
    summary: 'Per-run event stream (SSE; JSON Lines with Accept: application/x-ndjson), resumable with Last-Event-ID',
    produces: 'text/event-stream',
    handler: (req, reply, ctx) =>
      streamEvents(req, reply, ctx, {
        field: 'runEvents',
        args: { runId: pathId(req) },
        owner: { field: 'workflowRun', noun: 'Workflow run', id: pathId(req) },
      }),
  },
  {
    kind: 'handler',
    method: 'GET',
    path: '/v1/events/ws',
    owner: 'events',
    summary:
      'All events (WebSocket, JSON frames). Upgrade on the gateway port; query: orgId, types, since. A plain GET is refused.',
    handler: async () => {
      throw new TrellisError(
        'invalid_request',
        'This endpoint is a WebSocket: connect with Upgrade: websocket to the gateway (ws://<gateway>/v1/events/ws)',
      );
    },
  },
]);
