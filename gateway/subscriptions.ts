/**
 * Subscriptions at the gateway. `@apollo/gateway` cannot execute
 * subscriptions, so the gateway serves them itself, federated:
 *
 * - graphql-ws (`graphql-transport-ws`) on `/graphql`, same port as HTTP
 *   (the HTTP server's upgrade event); authentication at `connection_init`
 *   with the gateway's Authenticator (payload `authorization` / `apiKey`,
 *   optional HMAC `signature` + `timestamp` over an empty body, or the
 *   upgrade request's headers); failure closes with 4403. Each connection and
 *   event socket is registered with the gateway's live-stream registry
 *   (gateway/live-streams.ts): when identity revokes or disables its
 *   credential it is closed with 4403, and when the caller's memberships
 *   change each subscription's grant is asked again — a subscription no longer
 *   granted ends with a `forbidden` error (the event socket closes with 4403).
 *   On shutdown every connection is closed with 1001 first.
 * - Subscription fields are declared in the events subgraph's SDL (so they
 *   are in the supergraph, the API schema and codegen). A subscribe is
 *   validated against the API schema (with the gateway's query limits),
 *   authorized by the events subgraph for the subscriber (`_subscriptionGrant`
 *   runs the field's `@authz` rule), then fed from the organization's ordered
 *   live feed (bus + log, kernel/event-stream/live.ts).
 * - Each pushed event is resolved through the supergraph: the subscription's
 *   selection set is rewritten into a query on an internal payload field of
 *   the events subgraph (`_controlPlanePayload(envelope:)` …) that takes the
 *   signed event envelope, and that query runs through a gateway executor
 *   (the lean transport, in process for subgraphs sharing the process) with
 *   the subscriber's principal — so fields owned by other subgraphs are
 *   filled, and each subgraph authorizes them for that subscriber. An event is
 *   resolved once per (payload query, variables, permission set) and the
 *   result fanned out to that group (`permissionSetOf`).
 * - Limits per connection: subscriptions (TRELLIS_WS_MAX_SUBSCRIPTIONS),
 *   client message rate (token bucket, close 4429), and a bounded queue per
 *   subscription plus a send-buffer ceiling: a slow consumer is disconnected
 *   (close 1013, it may reconnect and resume with `since`) instead of
 *   stalling the feed or other consumers.
 * - `/v1/events/ws`: the same live stream as plain JSON frames (REST clients).
 */

import './apollo-telemetry.ts';
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import {
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type FormattedExecutionResult,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  specifiedRules,
  type VariableDefinitionNode,
  validate,
  visit,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { Counter, Gauge, Histogram } from 'prom-client';
import { type WebSocket, WebSocketServer } from 'ws';
import { SingleFlightDocumentStore } from '../kernel/document-store.ts';
import { TrellisError } from '../kernel/errors.ts';
import type { PayloadToken, SubscriptionGrant } from '../kernel/event-stream/envelope.ts';
import { type EventEnvelope, signPayload } from '../kernel/event-stream/envelope.ts';
import {
  LiveStream,
  type LogClient,
  OrgHubs,
  ResyncRequiredError,
  SKIP,
  STREAM_FIELDS,
  type StreamField,
  type StreamItem,
  type StreamPosition,
} from '../kernel/event-stream/live.ts';
import { createErrorFormatter } from '../kernel/graphql-errors.ts';
import { internalGraphQL } from '../kernel/internal-graphql.ts';
import { checkJsonValue } from '../kernel/json-limits.ts';
import type { Logger } from '../kernel/logger.ts';
import { eventForReader } from '../kernel/permissions.ts';
import type { Platform } from '../kernel/platform.ts';
import { hasScope, PRINCIPAL_HEADER, type Principal, signPrincipal } from '../kernel/principal.ts';
import { newRequestMeta, newSpanId, type RequestMeta, traceparentOf } from '../kernel/request-meta.ts';
import type { Authenticator } from './authenticate.ts';
import type { Gateway, GatewayContext } from './gateway.ts';
import { costError, queryLimitsRule } from './limits.ts';
import { type Deadline, SubgraphDataSources } from './subgraph-fetch.ts';
import { type SubgraphRoutes, subgraphRoute } from './supergraph.ts';

export const SUBSCRIPTIONS_PATH = '/graphql';
export const EVENTS_SOCKET_PATH = '/v1/events/ws';
/** Seed 000's control-plane WebSocket: `/ws/control/{org_id}`. */
export const CONTROL_SOCKET_PATH = /^\/ws\/control\/([A-Za-z0-9_-]{1,100})$/;
/** How long the control socket waits for the client's Subscribed before starting the stream itself. */
const SUBSCRIBE_GRACE_MS = 200;

/**
 * What the control socket pushes: the controlPlane subscription with a fixed selection, run through
 * the same payload executor as graphql-ws subscriptions (each frame is authorized for the subscriber).
 */
const CONTROL_SELECTION = /* GraphQL */ `
  kind orgId seq at
  ... on StateChange {
    action workflowId status previousStatus budgetMicros spentMicros event { id type data occurredAt }
  }
  ... on PolicyInvalidated { action policyId templateId event { id type data occurredAt } }
  ... on KeyRotated { action keyId prefix keyWorkflowId: workflowId event { id type data occurredAt } }
  ... on ResyncRequired { reason prunedThroughSeq }
  ... on ControlPlaneError { code message }
`;
const controlDocument = (workflows: boolean) => /* GraphQL */ `
  subscription ControlSocket($orgId: ID!, $since: SafeInt) {
    controlPlane(orgId: $orgId, since: $since) {
      ${CONTROL_SELECTION}
      ... on InitialState {
        organization { id name ${workflows ? 'workflows { id name status budgetMicros spentMicros }' : ''} }
      }
    }
  }
`;

/** Close codes (graphql-ws's own: 4400 bad message, 4401 unauthorized, 4403 forbidden, 4408 init timeout…). */
export const CloseCodes = {
  Forbidden: 4403,
  TooManyMessages: 4429,
  /** RFC 6455 "try again later": the consumer fell behind; reconnect and resume with `since`. */
  SlowConsumer: 1013,
  GoingAway: 1001,
} as const;

/** Internal payload field of the events subgraph for each subscription field. */
const PAYLOAD_FIELDS: Record<StreamField, string> = {
  controlPlane: '_controlPlanePayload',
  workflowStateChanged: '_stateChangePayload',
  events: '_eventPayload',
  jobEvents: '_eventPayload',
  runEvents: '_eventPayload',
  notificationReceived: '_eventPayload',
};
const INTERNAL_FIELDS = new Set(['_subscriptionGrant', ...Object.values(PAYLOAD_FIELDS)]);
const ENVELOPE_VARIABLE = '__trellisEnvelope';

const GRANT_QUERY = /* GraphQL */ `
  query TrellisSubscriptionGrant($field: String!, $args: JSON!) {
    _subscriptionGrant(field: $field, args: $args)
  }
`;

// ---------------------------------------------------------------------------------------------
// The event log, read directly from the events subgraph as the gateway's service principal.

class EventsSubgraphClient implements LogClient {
  readonly #url: string;
  readonly #secret: string;

  constructor(url: string, secret: string) {
    this.#url = url;
    this.#secret = secret;
  }

  async #call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const body = await internalGraphQL<T>(
      { url: this.#url, secret: this.#secret, service: 'gateway' },
      query,
      variables,
    );
    if (!body.data || body.errors?.length)
      throw new Error(`events subgraph: ${body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${body.status}`}`);
    return body.data;
  }

  async fetchAfter(orgId: string, afterSeq: number, limit: number): Promise<EventEnvelope[]> {
    const data = await this.#call<{ _eventLog: { events: EventEnvelope[] } }>(
      'query($orgId: ID!, $afterSeq: SafeInt!, $limit: Int) { _eventLog(orgId: $orgId, afterSeq: $afterSeq, limit: $limit) }',
      { orgId, afterSeq, limit },
    );
    return data._eventLog.events;
  }

  async heads(orgIds: string[]): Promise<Map<string, StreamPosition>> {
    const data = await this.#call<{ _eventHeads: Record<string, StreamPosition> }>(
      'query($orgIds: [ID!]!) { _eventHeads(orgIds: $orgIds) }',
      { orgIds },
    );
    return new Map(Object.entries(data._eventHeads));
  }
}

// ---------------------------------------------------------------------------------------------
// Payload execution: a second gateway over the same supergraph, on which the events subgraph's
// internal payload fields are visible. It is never exposed over HTTP; only this module calls it.

/** The supergraph with the internal subscription fields made accessible. */
export function exposeInternalFields(supergraphSdl: string): string {
  const document = parse(supergraphSdl);
  const edited = visit(document, {
    FieldDefinition(node) {
      if (!INTERNAL_FIELDS.has(node.name.value)) return undefined;
      return { ...node, directives: node.directives?.filter((d) => d.name.value !== 'inaccessible') };
    },
  });
  return print(edited);
}

export interface PayloadExecutor {
  execute(
    query: string,
    variables: Record<string, unknown>,
    principal: Principal,
    meta: RequestMeta,
  ): Promise<FormattedExecutionResult>;
  stop(): Promise<void>;
}

async function createPayloadExecutor(
  supergraphSdl: string,
  routes: SubgraphRoutes,
  secret: string,
  logger: Logger,
  exposeStack: boolean,
  timeoutMs: Deadline,
): Promise<PayloadExecutor> {
  // The gateway's lean transport: in process for the subgraphs sharing the process (all-in-one),
  // one keep-alive agent per subgraph otherwise.
  const dataSources = new SubgraphDataSources<GatewayContext>(timeoutMs, {
    headers(context): Record<string, string> {
      if (!context.principal) return {};
      context.signedPrincipal ??= signPrincipal(secret, context.principal, context.meta);
      return {
        [PRINCIPAL_HEADER]: context.signedPrincipal,
        'x-request-id': context.meta.requestId,
        traceparent: traceparentOf({ traceId: context.meta.traceId, spanId: newSpanId() }),
      };
    },
    audience(context) {
      if (!context.principal) return undefined;
      context.audience ??= `${JSON.stringify(context.principal)}\n${context.meta.clientIp ?? ''}`;
      return context.audience;
    },
  });
  // Built on the first subscription, not at start: a second supergraph schema and query planner cost
  // ~0.7 s of CPU and tens of MiB, which a process nobody subscribes to never needs.
  let started: Promise<ApolloServer<GatewayContext>> | undefined;
  const start = async () => {
    const gateway = new ApolloGateway({
      supergraphSdl: exposeInternalFields(supergraphSdl),
      buildService: ({ name, url }) => {
        const route = subgraphRoute(name, url, routes);
        return dataSources.build(route.url, route.inProcess);
      },
      logger,
    });
    const server = new ApolloServer<GatewayContext>({
      gateway,
      documentStore: new SingleFlightDocumentStore(),
      introspection: false,
      stopOnTerminationSignals: false,
      includeStacktraceInErrorResponses: exposeStack,
      formatError: createErrorFormatter(logger, exposeStack),
      plugins: [ApolloServerPluginUsageReportingDisabled()],
    });
    await server.start();
    return server;
  };
  return {
    async execute(query, variables, principal, meta) {
      started ??= start();
      const server = await started;
      const response = await server.executeOperation({ query, variables }, { contextValue: { principal, meta } });
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not supported here');
      return response.body.singleResult as FormattedExecutionResult;
    },
    async stop() {
      const server = await started?.catch(() => undefined);
      await server?.stop();
      dataSources.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Turning a subscription into a payload query.

interface SubscriptionPlan {
  field: StreamField;
  responseKey: string;
  args: Record<string, unknown>;
  /** `query … { <responseKey>: _xPayload(envelope: $__trellisEnvelope) { …selection } }` */
  payloadQuery: string;
  payloadVariables: Record<string, unknown>;
  /** Short digest of the payload query and its variables: the selection part of a resolution group. */
  selectionKey: string;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) map.set(definition.name.value, definition);
  return map;
}

/** Fragments and variables used (transitively) by a selection. */
function usage(root: FieldNode, fragments: Map<string, FragmentDefinitionNode>) {
  const usedFragments = new Set<string>();
  const usedVariables = new Set<string>();
  const pending: (FieldNode | FragmentDefinitionNode)[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as FieldNode | FragmentDefinitionNode;
    const target = node.kind === Kind.FIELD ? node.selectionSet : node.selectionSet;
    if (!target) continue;
    visit(target, {
      Variable(variable) {
        usedVariables.add(variable.name.value);
      },
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (usedFragments.has(name)) return;
        usedFragments.add(name);
        const fragment = fragments.get(name);
        if (fragment) pending.push(fragment);
      },
    });
  }
  return { usedFragments, usedVariables };
}

function planSubscription(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): SubscriptionPlan | readonly GraphQLError[] {
  // Bounded: each error formats the whole invalid value, so unbounded errors cost size × count.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 10 });
  if (coerced.errors) return coerced.errors;
  const root = operation.selectionSet.selections[0];
  if (!root || root.kind !== Kind.FIELD) return [new GraphQLError('A subscription selects exactly one field')];
  const field = root.name.value as StreamField;
  if (!STREAM_FIELDS.includes(field)) return [new GraphQLError(`Unknown subscription field ${field}`)];
  const fieldDef = schema.getSubscriptionType()?.getFields()[field];
  if (!fieldDef) return [new GraphQLError(`Unknown subscription field ${field}`)];
  const args = getArgumentValues(fieldDef, root, coerced.coerced);
  const fragments = fragmentsOf(document);
  const { usedFragments, usedVariables } = usage(root, fragments);
  const variableDefinitions: VariableDefinitionNode[] = (operation.variableDefinitions ?? []).filter((d) =>
    usedVariables.has(d.variable.name.value),
  );
  variableDefinitions.push({
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ENVELOPE_VARIABLE } },
    type: {
      kind: Kind.NON_NULL_TYPE,
      type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } },
    },
  });
  const responseKey = root.alias?.value ?? field;
  const payloadField: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: responseKey },
    name: { kind: Kind.NAME, value: PAYLOAD_FIELDS[field] },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'envelope' },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ENVELOPE_VARIABLE } },
      },
    ],
    directives: [],
    selectionSet: root.selectionSet,
  };
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    name: { kind: Kind.NAME, value: `${operation.name?.value ?? 'Subscription'}Payload` },
    variableDefinitions,
    directives: [],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [payloadField] },
  };
  const definitions: DefinitionNode[] = [query, ...[...usedFragments].flatMap((n) => fragments.get(n) ?? [])];
  const payloadVariables: Record<string, unknown> = {};
  for (const name of usedVariables) if (variables && name in variables) payloadVariables[name] = variables[name];
  const payloadQuery = print({ kind: Kind.DOCUMENT, definitions });
  return {
    field,
    responseKey,
    args,
    payloadQuery,
    payloadVariables,
    selectionKey: digest(`${payloadQuery}\u0000${JSON.stringify(payloadVariables)}`),
  };
}

// ---------------------------------------------------------------------------------------------

/** A graphql-ws subscription being fed: its plan and the start of each of its `next` frames. */
interface RunningSubscription {
  plan: SubscriptionPlan;
  /** `{"id":"<id>","type":"next","payload":` as UTF-8 — a frame is this, the payload's JSON and `}`. */
  framePrefix: Buffer;
}

/** The start of a graphql-ws `next` frame for subscription `id` (its id is the only part not shared). */
const nextFramePrefix = (id: string) => Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
const FRAME_END = Buffer.from('}');

/**
 * A graphql-ws `next` frame (the message `stringifyMessage` would build) from a serialised payload,
 * as bytes: the group's payload is encoded to UTF-8 once and copied, not re-encoded per subscriber
 * (a string frame is measured and encoded again by every socket's send).
 */
const nextFrame = (framePrefix: Buffer, payload: Buffer) => Buffer.concat([framePrefix, payload, FRAME_END]);

/** Frames are JSON built as bytes: sent as text frames, as graphql-ws and the control socket's clients expect. */
const TEXT_FRAME = { binary: false } as const;

/**
 * Sends every frame of `stream` to `socket` until the stream ends (the promise resolves) or fails (it
 * rejects); a frame for a socket no longer open ends the stream.
 */
function sendFrames<T extends Buffer | string>(
  stream: LiveStream<T>,
  socket: WebSocket,
  options: { binary?: boolean } = {},
): Promise<void> {
  return stream.pump((frame) => {
    if (socket.readyState === socket.OPEN) socket.send(frame, options);
    else void stream.return();
  });
}

/** One group's resolution of one item: the result, and its frames' shared bytes once a subscriber needs them. */
interface SharedPayload {
  result: FormattedExecutionResult;
  /** The result's JSON (UTF-8), the body of every graphql-ws subscriber's `next` frame. */
  bytes?: Buffer;
  /** The control socket's frame for the result (null: the message could not be resolved). */
  controlFrame?: Buffer | null;
  /** When the event reached the log (ms since the epoch), the base of the push-lag metric; none for InitialState. */
  recordedAtMs: number | undefined;
  /** Subscribers served so far: past the first FANOUT_CHUNK they wait for later turns of the event loop. */
  served: number;
  /** `turns[k]` resolves k event-loop turns (setImmediate) after the result. */
  turns: Promise<void>[];
}

/**
 * How many subscribers of one group are written to in one turn of the event loop. A group of
 * thousands is served in several turns, so its fan-out does not hold up the next event's
 * resolution, incoming bus messages and other I/O for its whole duration.
 */
const FANOUT_CHUNK = 256;

/** Resolves once the subscriber numbered `index` in a group's fan-out may be written to. */
function fanoutTurn(shared: SharedPayload, index: number): Promise<void> | undefined {
  const turn = Math.floor(index / FANOUT_CHUNK);
  if (turn === 0) return undefined;
  for (let k = shared.turns.length; k <= turn; k++) {
    const previous = shared.turns[k - 1] ?? Promise.resolve();
    shared.turns.push(previous.then(() => new Promise<void>((resolve) => setImmediate(resolve))));
  }
  return shared.turns[turn];
}

interface ConnectionState {
  id: string;
  principal: Principal;
  principalKey: string;
  /** `permissionSetOf(principal)`: subscribers with equal ones share each payload resolution. */
  permissionSet: string;
  /** Headers the credential came in, kept to re-check it when identity invalidates credentials. */
  credentialHeaders: IncomingHttpHeaders;
  socket: WebSocket;
  /** The socket peer, signed into principals like an HTTP client's (identity's throttles key on it). */
  clientIp?: string;
  /** The connection's running subscriptions, re-granted when the caller's access changes. */
  subscriptions: Map<LiveStream<Buffer>, RunningSubscription>;
  /** Leaves the live-stream registry. */
  unwatch?: () => void;
}

interface ConnectionParams {
  authorization?: unknown;
  Authorization?: unknown;
  apiKey?: unknown;
  'x-api-key'?: unknown;
  signature?: unknown;
  'x-signature'?: unknown;
  timestamp?: unknown;
  'x-signature-timestamp'?: unknown;
  signatureVersion?: unknown;
  'x-signature-version'?: unknown;
  nonce?: unknown;
  'x-signature-nonce'?: unknown;
  workflowId?: unknown;
  'x-workflow-id'?: unknown;
  [key: string]: unknown;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : undefined;

/** Credential headers from the connection_init payload, else from the upgrade request. */
export function credentialHeaders(params: ConnectionParams | undefined, request: IncomingMessage): IncomingHttpHeaders {
  const p = params ?? {};
  let authorization = text(p.authorization) ?? text(p.Authorization);
  const apiKey = text(p.apiKey) ?? text(p['x-api-key']);
  if (authorization && !/^bearer\s/i.test(authorization)) authorization = `Bearer ${authorization}`;
  const headers: IncomingHttpHeaders = {};
  if (authorization) headers.authorization = authorization;
  else if (apiKey) headers['x-api-key'] = apiKey;
  else {
    if (request.headers.authorization) headers.authorization = request.headers.authorization;
    if (request.headers['x-api-key']) headers['x-api-key'] = request.headers['x-api-key'];
  }
  const signature = text(p.signature) ?? text(p['x-signature']) ?? text(request.headers['x-signature']);
  const timestamp =
    text(p.timestamp) ?? text(p['x-signature-timestamp']) ?? text(request.headers['x-signature-timestamp']);
  const workflowId = text(p.workflowId) ?? text(p['x-workflow-id']) ?? text(request.headers['x-workflow-id']);
  // A v2 signature covers GET and the upgrade request's path with query (docs/authentication.md).
  const version =
    text(p.signatureVersion) ?? text(p['x-signature-version']) ?? text(request.headers['x-signature-version']);
  const nonce = text(p.nonce) ?? text(p['x-signature-nonce']) ?? text(request.headers['x-signature-nonce']);
  if (signature) headers['x-signature'] = signature;
  if (timestamp) headers['x-signature-timestamp'] = timestamp;
  if (version) headers['x-signature-version'] = version;
  if (nonce) headers['x-signature-nonce'] = nonce;
  if (workflowId) headers['x-workflow-id'] = workflowId;
  return headers;
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);
const principalKeyOf = (principal: Principal) => digest(JSON.stringify(principal));

/**
 * What a payload may depend on besides its selection and its event, as a short key: the principal
 * without what only names the credential — an API key's own id and a session's id. Everything else
 * stays in (kind, user, organization, memberships and roles, scopes, workflow binding, platform
 * admin, and any field added to principals later), so two credentials share a resolution only when
 * every subgraph sees the same caller but for the credential's name. That name is read only by
 * writes (actor and `created_by` columns, rate-limit subjects, logout) and by `Query.me`, which no
 * subscription payload reaches. The user stays in because some reads are per user (an API key
 * carries its creator's: notification settings).
 */
export function permissionSetOf(principal: Principal): string {
  const { id, sessionId: _session, ...rest } = principal;
  return digest(
    JSON.stringify({
      ...rest,
      id: principal.kind === 'api_key' ? null : id,
      memberships: [...rest.memberships].sort((a, b) => a.orgId.localeCompare(b.orgId)),
      scopes: [...rest.scopes].sort(),
    }),
  );
}

/** A connection's caller fields (at connect, and again when its access changes). */
const callerOf = (principal: Principal): Pick<ConnectionState, 'principal' | 'principalKey' | 'permissionSet'> => ({
  principal,
  principalKey: principalKeyOf(principal),
  permissionSet: permissionSetOf(principal),
});

class TokenBucket {
  #tokens: number;
  #at = Date.now();
  readonly #rate: number;
  readonly #burst: number;
  constructor(ratePerSecond: number, burst: number) {
    this.#rate = ratePerSecond;
    this.#burst = burst;
    this.#tokens = burst;
  }
  take(): boolean {
    const now = Date.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** How often a graphql-ws connection is pinged; one that has not answered the previous ping is dropped. */
const KEEPALIVE_MS = 12_000;
/** Each tick pings one slice of the connections, so pings are spread evenly over the interval. */
const KEEPALIVE_SLICES = 12;

/**
 * Keep-alive for graphql-ws connections (what graphql-ws's `useServer` does per connection with a
 * ping interval, a pong timeout and a `pong` listener per ping): one timer for all of them. Each
 * connection is put in one of KEEPALIVE_SLICES slices; a tick every KEEPALIVE_MS / KEEPALIVE_SLICES
 * ms handles one slice: a connection that answered nothing since its last ping is terminated, the
 * others are pinged. Ten thousand idle subscribers cost one timer, not ten thousand, and none cost
 * none: the timer runs only while a connection is watched (an idle gateway is not woken every second).
 */
export class KeepAlive {
  readonly #slices: Set<WebSocket>[] = Array.from({ length: KEEPALIVE_SLICES }, () => new Set());
  readonly #answered = new WeakSet<WebSocket>();
  readonly #tickMs: number;
  #timer?: NodeJS.Timeout;
  #watched = 0;
  #next = 0;
  #tick = 0;

  constructor(intervalMs: number) {
    this.#tickMs = intervalMs / KEEPALIVE_SLICES;
  }

  watch(socket: WebSocket): void {
    const slice = this.#slices[this.#next++ % KEEPALIVE_SLICES] as Set<WebSocket>;
    slice.add(socket);
    this.#answered.add(socket);
    socket.on('pong', () => this.#answered.add(socket));
    socket.once('close', () => {
      slice.delete(socket);
      if (--this.#watched === 0) this.stop();
    });
    if (this.#watched++ === 0) this.#startTimer();
  }

  #startTimer(): void {
    this.#timer = setInterval(() => this.#ping(), this.#tickMs);
    this.#timer.unref();
  }

  #ping(): void {
    const slice = this.#slices[this.#tick++ % KEEPALIVE_SLICES] as Set<WebSocket>;
    for (const socket of slice) {
      if (socket.readyState !== socket.OPEN) continue;
      if (!this.#answered.has(socket)) {
        socket.terminate();
        continue;
      }
      this.#answered.delete(socket);
      socket.ping();
    }
  }

  /** Whether the tick timer runs (it does while a connection is watched). */
  get ticking(): boolean {
    return this.#timer !== undefined;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * How long one resolution answers its group: an InitialState object is shared by every consumer
 * starting at the same head, which may stay put for long while the state it lists changes.
 */
const RESOLUTION_TTL_MS = 15_000;

export interface SubscriptionServer {
  /** Open graphql-ws and /v1/events/ws connections. */
  connections(): number;
  close(): Promise<void>;
}

export async function mountSubscriptions(
  platform: Platform,
  gateway: Omit<Gateway, 'close' | 'url' | 'markStarted'>,
): Promise<SubscriptionServer> {
  const { config } = platform;
  const limits = config.subscriptions;
  const logger = platform.logger.child({ service: 'gateway', component: 'subscriptions' });
  const exposeStack = config.env === 'development';
  const apiSchema = gateway.apiSchema;
  const queryLimits = {
    maxDepth: config.graphql.maxDepth,
    maxAliases: config.graphql.maxAliases,
    maxCost: config.graphql.maxCost,
    introspection: config.graphql.introspection,
  };
  const rules = [...specifiedRules, queryLimitsRule(queryLimits)];
  const client = new EventsSubgraphClient(gateway.subgraphUrls.events, platform.internalSecret);
  const executor = await createPayloadExecutor(
    gateway.supergraphSdl,
    { overrides: config.graphql.subgraphUrls, trellisUrls: gateway.subgraphUrls, inProcess: gateway.subgraphFetchers },
    platform.internalSecret,
    logger,
    exposeStack,
    () => platform.config.graphql.subgraphTimeoutMs,
  );
  const hubs = new OrgHubs({ bus: platform.bus, client, logger, headPollMs: config.events.headPollMs });
  const authenticator: Authenticator = gateway.authenticator;
  const liveStreams = gateway.liveStreams;

  const registry = gateway.metrics.registry;
  const metric = <T>(make: () => T, name: string): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
  const connectionsGauge = metric(
    () => new Gauge({ name: 'trellis_ws_connections', help: 'Open subscription connections', registers: [registry] }),
    'trellis_ws_connections',
  );
  const subscriptionsGauge = metric(
    () => new Gauge({ name: 'trellis_ws_subscriptions', help: 'Active subscriptions', registers: [registry] }),
    'trellis_ws_subscriptions',
  );
  const pushes = metric(
    () =>
      new Counter({
        name: 'trellis_ws_pushes_total',
        help: 'Subscription messages sent',
        labelNames: ['field'],
        registers: [registry],
      }),
    'trellis_ws_pushes_total',
  ) as Counter<'field'>;
  const cutOff = metric(
    () =>
      new Counter({
        name: 'trellis_ws_disconnects_total',
        help: 'Connections closed by the server, by reason',
        labelNames: ['reason'],
        registers: [registry],
      }),
    'trellis_ws_disconnects_total',
  ) as Counter<'reason'>;
  const resolutions = metric(
    () =>
      new Counter({
        name: 'trellis_ws_payload_resolutions_total',
        help: 'Subscription payloads resolved through the supergraph (one per event and subscriber group)',
        labelNames: ['field'],
        registers: [registry],
      }),
    'trellis_ws_payload_resolutions_total',
  ) as Counter<'field'>;
  const lag = metric(
    () =>
      new Histogram({
        name: 'trellis_event_push_lag_seconds',
        help: 'From an event reaching the log to its push leaving the gateway',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      }),
    'trellis_event_push_lag_seconds',
  );

  const connections = new Map<WebSocket, ConnectionState>();
  const streams = new Set<LiveStream<unknown>>();

  /**
   * Each event is resolved once per group of subscribers — same payload query and variables, same
   * permission set (`permissionSetOf`) — and the result fanned out to the group. What is kept per
   * event (its signed token, its resolutions) lives as long as the feed's object for it: every
   * subscription of an organization's feed receives the same event object.
   */
  const perEvent = new WeakMap<
    object,
    {
      tokens: Partial<Record<StreamItem['kind'], string>>;
      results: Map<string, { at: number; shared: Promise<SharedPayload> }>;
      /** `recordedAt` of the event, parsed once for every push of it. */
      recordedAtMs: number | undefined;
    }
  >();
  const recordOf = (item: StreamItem) => {
    const event = item.kind === 'event' ? item.event : 'event' in item.message ? item.message.event : undefined;
    // Keyed on the event (its items of both kinds share one record); an InitialState has none.
    const anchor = event ?? (item as Extract<StreamItem, { kind: 'message' }>).message;
    let record = perEvent.get(anchor);
    if (!record) {
      record = { tokens: {}, results: new Map(), recordedAtMs: event ? Date.parse(event.recordedAt) : undefined };
      perEvent.set(anchor, record);
    }
    return record;
  };
  const tokenOf = (item: StreamItem, record: ReturnType<typeof recordOf>): string => {
    let token = record.tokens[item.kind];
    if (!token) {
      const payload: PayloadToken =
        item.kind === 'event'
          ? {
              kind: 'Event',
              orgId: item.event.orgId,
              seq: item.event.seq,
              at: item.event.recordedAt,
              event: item.event,
            }
          : item.message;
      token = signPayload(platform.internalSecret, payload);
      record.tokens[item.kind] = token;
    }
    return token;
  };
  const resolveShared = (plan: SubscriptionPlan, state: ConnectionState, item: StreamItem): Promise<SharedPayload> => {
    const record = recordOf(item);
    const group = `${item.kind}\u0000${plan.selectionKey}\u0000${state.permissionSet}`;
    const now = Date.now();
    const hit = record.results.get(group);
    if (hit && now - hit.at < RESOLUTION_TTL_MS) return hit.shared;
    resolutions.inc({ field: plan.field });
    // The group's resolution runs as its first subscriber, without a client IP: it answers them all.
    const shared = executor
      .execute(
        plan.payloadQuery,
        { ...plan.payloadVariables, [ENVELOPE_VARIABLE]: tokenOf(item, record) },
        state.principal,
        newRequestMeta(),
      )
      .catch((err): FormattedExecutionResult => {
        logger.error({ err }, 'subscription payload execution failed');
        return { errors: [{ message: 'Internal error', extensions: { code: 'internal' } }] };
      })
      .then((result): SharedPayload => ({ result, recordedAtMs: record.recordedAtMs, served: 0, turns: [] }));
    record.results.set(group, { at: now, shared });
    return shared;
  };
  const observeLag = (shared: SharedPayload) => {
    if (shared.recordedAtMs !== undefined) lag.observe((Date.now() - shared.recordedAtMs) / 1000);
  };

  // Reconnect storms: identical grants (same field, arguments and principal, no `since`) within a
  // second are asked once. A `since` is checked against a fresh head, so it is never shared.
  const grants = new Map<string, { at: number; result: Promise<SubscriptionGrant | GraphQLError> }>();
  const grant = (field: string, args: Record<string, unknown>, principal: Principal, principalKey: string) => {
    if (args.since != null) return askGrant(field, args, principal);
    const key = `${field}\u0000${JSON.stringify(args)}\u0000${principalKey}`;
    const now = Date.now();
    const hit = grants.get(key);
    if (hit && now - hit.at < 1000) return hit.result;
    if (grants.size >= 10_000) grants.clear();
    const result = askGrant(field, args, principal);
    grants.set(key, { at: now, result });
    return result;
  };
  const askGrant = async (field: string, args: Record<string, unknown>, principal: Principal) => {
    const result = await executor.execute(GRANT_QUERY, { field, args }, principal, newRequestMeta());
    const error = result.errors?.[0];
    if (error || !result.data?._subscriptionGrant) {
      return new GraphQLError(error?.message ?? 'Subscription refused', {
        extensions: { ...(error?.extensions ?? {}), code: error?.extensions?.code ?? 'forbidden' },
      });
    }
    return result.data._subscriptionGrant as SubscriptionGrant;
  };

  /** A refusal of the caller (as opposed to a grant that could not be checked now). */
  const isRefusal = (error: GraphQLError) =>
    !['service_unavailable', 'internal', 'bad_gateway'].includes(String(error.extensions.code));

  const closeSocket = (socket: WebSocket, code: number, reason: string, label: string) => {
    cutOff.inc({ reason: label });
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
  };

  async function authenticate(headers: IncomingHttpHeaders, url: string | undefined): Promise<Principal | undefined> {
    try {
      const principal = await authenticator.authenticate({ headers, rawBody: '', method: 'GET', url });
      return principal.kind === 'anonymous' ? undefined : principal;
    } catch (error) {
      if (error instanceof TrellisError && error.code !== 'service_unavailable') return undefined;
      throw error;
    }
  }

  // -------------------------------------------------------------------------------------------
  // graphql-ws on /graphql

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.graphql.maxBodyBytes });
  const keepAlive = new KeepAlive(KEEPALIVE_MS);
  wss.on('connection', (socket: WebSocket) => {
    const bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    socket.on('message', () => {
      if (!bucket.take()) closeSocket(socket, CloseCodes.TooManyMessages, 'Too many messages', 'message_rate');
    });
    keepAlive.watch(socket);
  });

  // Thousands of clients send the same few documents: parse, validate and plan each once.
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  const plans = new Map<string, SubscriptionPlan | readonly GraphQLError[]>();
  const remember = <V>(cache: Map<string, V>, key: string, value: V) => {
    if (cache.size >= 1000) cache.delete(cache.keys().next().value as string);
    cache.set(key, value);
  };
  const checkDocument = (query: string): DocumentNode | readonly GraphQLError[] => {
    const cached = documents.get(query);
    if (cached) return cached;
    let result: DocumentNode | readonly GraphQLError[];
    try {
      const document = parse(query, { maxTokens: config.graphql.maxTokens });
      const errors = validate(apiSchema, document, rules);
      result =
        errors.length > 0
          ? errors.map(
              (e) =>
                new GraphQLError(e.message, {
                  nodes: e.nodes,
                  extensions: { ...e.extensions, code: e.extensions.code ?? 'invalid_query' },
                }),
            )
          : document;
    } catch (error) {
      result = [new GraphQLError((error as Error).message, { extensions: { code: 'invalid_query' } })];
    }
    remember(documents, query, result);
    return result;
  };

  type Extra = { state?: ConnectionState };
  const server = useServer<ConnectionParams, Extra>(
    {
      schema: apiSchema,
      isProd: config.production,
      onConnect: async (ctx) => {
        const headers = credentialHeaders(ctx.connectionParams, ctx.extra.request);
        const principal = await authenticate(headers, ctx.extra.request.url);
        if (!principal) {
          cutOff.inc({ reason: 'forbidden' });
          return false;
        }
        const state: ConnectionState = {
          id: randomUUID(),
          ...callerOf(principal),
          credentialHeaders: headers,
          socket: ctx.extra.socket,
          clientIp: ctx.extra.request.socket.remoteAddress,
          subscriptions: new Map(),
        };
        ctx.extra.state = state;
        connections.set(ctx.extra.socket, state);
        connectionsGauge.set(connections.size);
        state.unwatch = liveStreams.add({
          principal,
          credentialHeaders: headers,
          reauthorize: (current) => regrant(state, current),
          revoked: () => closeSocket(state.socket, CloseCodes.Forbidden, 'Credentials revoked', 'revoked'),
          shutdown: () => closeSocket(state.socket, CloseCodes.GoingAway, 'Going away', 'shutdown'),
        });
        return true;
      },
      onClose: (ctx) => {
        ctx.extra.state?.unwatch?.();
        connections.delete(ctx.extra.socket);
        connectionsGauge.set(connections.size);
      },
      onSubscribe: async (ctx, id, payload) => {
        const state = ctx.extra.state;
        if (!state) return [new GraphQLError('Unauthorized', { extensions: { code: 'unauthenticated' } })];
        if (Object.keys(ctx.subscriptions).length > limits.maxPerConnection)
          return [
            new GraphQLError(`At most ${limits.maxPerConnection} subscriptions per connection`, {
              extensions: { code: 'rate_limited' },
            }),
          ];
        const checked = checkDocument(payload.query);
        if (Array.isArray(checked)) return checked as readonly GraphQLError[];
        const document = checked as DocumentNode;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation)
          return [new GraphQLError('Unable to identify operation', { extensions: { code: 'invalid_query' } })];
        // Cost depends on the page sizes the variables ask for, so it is checked per subscription.
        const tooCostly = costError(apiSchema, document, operation, payload.variables ?? undefined, queryLimits);
        if (tooCostly) return [tooCostly];
        const base = {
          schema: apiSchema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
        if (operation.operation !== 'subscription') {
          // Queries and mutations over the socket run through the gateway like HTTP ones.
          return {
            ...base,
            contextValue: {
              run: () =>
                gateway.apollo
                  .executeOperation(
                    {
                      query: payload.query,
                      variables: payload.variables ?? undefined,
                      operationName: payload.operationName ?? undefined,
                    },
                    {
                      contextValue: {
                        principal: state.principal,
                        meta: newRequestMeta(state.clientIp),
                      },
                    },
                  )
                  .then((r) =>
                    r.body.kind === 'single' ? r.body.singleResult : { errors: [{ message: 'Unsupported' }] },
                  ),
            },
          };
        }
        // Bounded and checked like HTTP bodies (kernel/json-limits.ts) before anything walks or serializes them.
        try {
          checkJsonValue(payload.variables ?? {}, config.json);
        } catch (error) {
          return [error as TrellisError];
        }
        const planKey = `${payload.operationName ?? ''}\u0000${payload.query}\u0000${JSON.stringify(payload.variables ?? {})}`;
        let plan = plans.get(planKey);
        if (!plan) {
          plan = planSubscription(apiSchema, document, operation, payload.variables);
          if (!Array.isArray(plan)) remember(plans, planKey, plan);
        }
        if (Array.isArray(plan)) return plan as readonly GraphQLError[];
        const subscription = plan as SubscriptionPlan;
        const granted = await grant(subscription.field, subscription.args, state.principal, state.principalKey);
        if (granted instanceof GraphQLError) return [granted];
        return { ...base, contextValue: { start: () => startStream(subscription, granted, state, id) } };
      },
      execute: (args) => (args.contextValue as { run: () => Promise<FormattedExecutionResult> }).run() as never,
      subscribe: (args) => (args.contextValue as { start: () => Promise<unknown> }).start() as never,
      // Results are already formatted (they come from Apollo): send them as they are. (Subscription
      // pushes do not pass here: startStream writes their frames itself.)
      onNext: (_ctx, _id, _payload, _args, result) => result as FormattedExecutionResult,
    },
    wss,
    // Pings are sent by `keepAlive` (one timer for every connection, not one per connection).
    0,
  );

  /**
   * Feeds one graphql-ws subscription. Its pushes do not go through graphql-ws's `next` emitter
   * (a message object, a validation, a JSON serialisation of the whole result and a promise per
   * subscriber): the group's result is serialised once (`SharedPayload.bytes`) and each
   * subscriber's frame is its id spliced in front of those bytes, written to the socket here. What
   * graphql-ws iterates yields nothing and ends with the stream, so it still sends `complete`
   * (after every frame written here: one socket, in order), an `error` when the stream fails, and
   * ends the stream on the client's `complete` or on close.
   */
  async function startStream(
    plan: SubscriptionPlan,
    position: SubscriptionGrant,
    state: ConnectionState,
    id: string,
  ): Promise<AsyncIterableIterator<FormattedExecutionResult> | FormattedExecutionResult> {
    const since = typeof plan.args.since === 'number' ? plan.args.since : null;
    const framePrefix = nextFramePrefix(id);
    const socket = state.socket;
    const stream = new LiveStream<Buffer>({
      hubs,
      client,
      field: plan.field,
      args: plan.args,
      orgId: position.orgId,
      since,
      position,
      maxQueue: limits.maxQueue,
      congested: () => socket.bufferedAmount > limits.maxBufferedBytes,
      render: async (item) => {
        if (socket.readyState !== socket.OPEN) return SKIP;
        const shared = await resolveShared(plan, state, item);
        const turn = fanoutTurn(shared, shared.served++);
        if (turn) await turn;
        shared.bytes ??= Buffer.from(JSON.stringify(shared.result));
        pushes.inc({ field: plan.field });
        observeLag(shared);
        return nextFrame(framePrefix, shared.bytes);
      },
      onOverflow: () => closeSocket(socket, CloseCodes.SlowConsumer, 'Slow consumer', 'slow_consumer'),
    });
    try {
      await stream.start();
    } catch (error) {
      await stream.return();
      if (error instanceof ResyncRequiredError)
        return {
          errors: [
            {
              message: error.message,
              extensions: { code: 'resync_required', details: { prunedThroughSeq: error.prunedThroughSeq } },
            },
          ],
        };
      logger.error({ err: error }, 'subscription could not start');
      return { errors: [{ message: 'The event stream is unavailable', extensions: { code: 'service_unavailable' } }] };
    }
    streams.add(stream as LiveStream<unknown>);
    state.subscriptions.set(stream, { plan, framePrefix });
    subscriptionsGauge.set(streams.size);
    const end = stream.return.bind(stream);
    stream.return = async () => {
      streams.delete(stream as LiveStream<unknown>);
      state.subscriptions.delete(stream);
      subscriptionsGauge.set(streams.size);
      return end();
    };
    return framesWriter(stream, socket);
  }

  /**
   * What graphql-ws iterates for a subscription: its one `next()` pumps every frame of `stream` to
   * the socket (kernel/event-stream/live.ts: no promise waits per idle subscriber) and is done when
   * the stream ends. A failure of the stream is thrown to graphql-ws (it sends the `error` message);
   * `return()` (the client's `complete`, the socket's close) ends it.
   */
  function framesWriter(stream: LiveStream<Buffer>, socket: WebSocket): AsyncIterableIterator<never> {
    let pumped: Promise<IteratorResult<never>> | undefined;
    const writer: AsyncIterableIterator<never> = {
      next(): Promise<IteratorResult<never>> {
        pumped ??= stream
          .pump((frame) => {
            if (socket.readyState === socket.OPEN) socket.send(frame, TEXT_FRAME);
          })
          .then(() => ({ done: true, value: undefined }));
        return pumped;
      },
      async return(): Promise<IteratorResult<never>> {
        await stream.return();
        return { done: true, value: undefined };
      },
      async throw(error?: unknown): Promise<IteratorResult<never>> {
        await stream.return();
        throw error;
      },
      [Symbol.asyncIterator]: () => writer,
    };
    return writer;
  }

  /**
   * The connection's credential still authenticates but the caller may have changed (a membership
   * removed, a role lowered): every subscription asks for its grant again, as the caller now is, and
   * one no longer granted ends with the refusal as its last message. A grant that cannot be checked
   * now (events unreachable) keeps the subscription; the next change checks again.
   */
  async function regrant(state: ConnectionState, principal: Principal): Promise<void> {
    Object.assign(state, callerOf(principal));
    await Promise.all(
      [...state.subscriptions].map(async ([stream, { plan, framePrefix }]) => {
        const granted = await askGrant(plan.field, plan.args, principal);
        if (!(granted instanceof GraphQLError) || !isRefusal(granted)) return;
        cutOff.inc({ reason: 'access_withdrawn' });
        const refusal = { errors: [{ message: granted.message, extensions: { code: granted.extensions.code } }] };
        await stream.end(nextFrame(framePrefix, Buffer.from(JSON.stringify(refusal))));
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // /v1/events/ws: the organization's events as JSON frames.

  const eventsWss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  eventsWss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    void serveEventSocket(socket, request).catch((err) => {
      logger.error({ err }, 'events socket failed');
      closeSocket(socket, 1011, 'Internal error', 'internal');
    });
  });

  async function serveEventSocket(socket: WebSocket, request: IncomingMessage): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://gateway.invalid');
    const headers = credentialHeaders({ authorization: url.searchParams.get('access_token') ?? undefined }, request);
    const principal = await authenticate(headers, request.url);
    const send = (value: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(value));
    };
    if (!principal) {
      send({ type: 'error', code: 'unauthenticated', message: 'Missing or invalid credentials' });
      return closeSocket(socket, CloseCodes.Forbidden, 'Forbidden', 'forbidden');
    }
    const orgId =
      url.searchParams.get('orgId') ??
      principal.orgId ??
      (principal.memberships.length === 1 ? principal.memberships[0]?.orgId : undefined);
    if (!orgId) {
      send({ type: 'error', code: 'validation_failed', message: 'orgId is required' });
      return closeSocket(socket, 4400, 'orgId is required', 'bad_request');
    }
    const types = url.searchParams
      .getAll('types')
      .flatMap((t) => t.split(','))
      .map((t) => t.trim())
      .filter(Boolean);
    const sinceParam = url.searchParams.get('since') ?? request.headers['last-event-id'];
    const since = typeof sinceParam === 'string' && /^\d+$/.test(sinceParam) ? Number(sinceParam) : null;
    const granted = await grant(
      'events',
      { orgId, types: types.length ? types : null, since },
      principal,
      principalKeyOf(principal),
    );
    if (granted instanceof GraphQLError) {
      send({ type: 'error', code: granted.extensions.code, message: granted.message });
      return closeSocket(socket, CloseCodes.Forbidden, 'Forbidden', 'forbidden');
    }
    const state: ConnectionState = {
      id: randomUUID(),
      ...callerOf(principal),
      credentialHeaders: headers,
      socket,
      subscriptions: new Map(),
    };
    connections.set(socket, state);
    connectionsGauge.set(connections.size);
    const refuse = (code: unknown, message: string) => {
      send({ type: 'error', code, message });
      closeSocket(socket, CloseCodes.Forbidden, 'Forbidden', 'access_withdrawn');
    };
    state.unwatch = liveStreams.add({
      principal,
      credentialHeaders: headers,
      async reauthorize(current) {
        const again = await askGrant('events', { orgId, types: types.length ? types : null, since: null }, current);
        if (again instanceof GraphQLError && isRefusal(again)) refuse(again.extensions.code, again.message);
        else Object.assign(state, callerOf(current));
      },
      revoked: () => refuse('unauthenticated', 'The credential of this stream was revoked or disabled'),
      shutdown: () => closeSocket(socket, CloseCodes.GoingAway, 'Going away', 'shutdown'),
    });
    const stream = new LiveStream<string>({
      hubs,
      client,
      field: 'events',
      args: { types: types.length ? types : null },
      orgId,
      since,
      position: granted,
      maxQueue: limits.maxQueue,
      congested: () => socket.bufferedAmount > limits.maxBufferedBytes,
      render: async (item) =>
        item.kind === 'event' ? JSON.stringify({ type: 'event', event: eventForReader(principal, item.event) }) : SKIP,
      onOverflow: () => closeSocket(socket, CloseCodes.SlowConsumer, 'Slow consumer', 'slow_consumer'),
    });
    const ping = setInterval(() => socket.readyState === socket.OPEN && socket.ping(), 15_000);
    socket.once('close', () => {
      clearInterval(ping);
      state.unwatch?.();
      connections.delete(socket);
      connectionsGauge.set(connections.size);
      void stream.return();
    });
    const bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    socket.on('message', () => {
      if (!bucket.take()) closeSocket(socket, CloseCodes.TooManyMessages, 'Too many messages', 'message_rate');
    });
    try {
      await stream.start();
    } catch (error) {
      if (error instanceof ResyncRequiredError) {
        send({
          type: 'error',
          code: 'resync_required',
          message: error.message,
          prunedThroughSeq: error.prunedThroughSeq,
        });
        return closeSocket(socket, 4409, 'Resync required', 'resync');
      }
      throw error;
    }
    send({ type: 'ready', orgId, headSeq: granted.headSeq, prunedThroughSeq: granted.prunedThroughSeq });
    await sendFrames(stream, socket);
  }

  // -------------------------------------------------------------------------------------------
  // /ws/control/{org_id}: seed 000's control-plane protocol over the controlPlane feed.

  const controlWss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  controlWss.on('connection', (socket: WebSocket, request: IncomingMessage, orgId: string) => {
    // Frames sent while the credential is checked are kept and handled in order once it is.
    const early: unknown[] = [];
    const keep = (data: unknown) => early.push(data);
    socket.on('message', keep);
    void serveControlSocket(socket, request, orgId, () => {
      socket.off('message', keep);
      return early.splice(0);
    }).catch((err) => {
      logger.error({ err }, 'control socket failed');
      closeSocket(socket, 1011, 'Internal error', 'internal');
    });
  });

  /**
   * The control socket's frame for a group's resolution, built once for the group (null, logged once,
   * when the message could not be resolved: its subscribers skip it).
   */
  function controlFrameOf(result: FormattedExecutionResult): Buffer | null {
    const message = result.data?.controlPlane as Record<string, unknown> | null | undefined;
    if (!message) {
      logger.warn({ errors: result.errors }, 'control socket: a message could not be resolved');
      return null;
    }
    // StateChange.workflowId is ID! and KeyRotated's ID: one document needs an alias for the second.
    const { keyWorkflowId, ...fields } = message;
    return Buffer.from(
      JSON.stringify({
        type: message.kind,
        ...fields,
        ...(message.kind === 'KeyRotated' ? { workflowId: keyWorkflowId ?? null } : {}),
      }),
    );
  }

  /**
   * Frames are JSON objects with a `type`. Server: InitialState, StateChange, PolicyInvalidated,
   * KeyRotated, ResyncRequired, Error, Pong (each carries `seq` except Pong). Client: Subscribed
   * (optional `since`: the stream starts on it, or on connect when the URL has `?since=`), Ack (`seq`:
   * the last frame processed), Ping → Pong. Resume: reconnect with `?since=<last seq>` (or send it in
   * Subscribed): every later frame, without gap or duplicate, or ResyncRequired then InitialState.
   */
  async function serveControlSocket(
    socket: WebSocket,
    request: IncomingMessage,
    orgId: string,
    takeEarly: () => unknown[],
  ): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://gateway.invalid');
    const headers = credentialHeaders({ authorization: url.searchParams.get('access_token') ?? undefined }, request);
    const principal = await authenticate(headers, request.url);
    const send = (value: Record<string, unknown>) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(value));
    };
    const fail = (code: unknown, message: string, closeCode: number, label: string) => {
      send({ type: 'Error', orgId, code, message });
      closeSocket(socket, closeCode, String(code).slice(0, 100), label);
    };
    if (!principal) return fail('unauthenticated', 'Missing or invalid credentials', CloseCodes.Forbidden, 'forbidden');
    const state: ConnectionState = {
      id: randomUUID(),
      ...callerOf(principal),
      credentialHeaders: headers,
      socket,
      clientIp: request.socket.remoteAddress,
      subscriptions: new Map(),
    };
    connections.set(socket, state);
    connectionsGauge.set(connections.size);
    let stream: LiveStream<Buffer> | undefined;
    let lastAck: number | null = null;
    state.unwatch = liveStreams.add({
      principal,
      credentialHeaders: headers,
      async reauthorize(current) {
        const again = await askGrant('controlPlane', { orgId, since: null }, current);
        if (again instanceof GraphQLError && isRefusal(again))
          fail(again.extensions.code, again.message, CloseCodes.Forbidden, 'access_withdrawn');
        else Object.assign(state, callerOf(current));
      },
      revoked: () =>
        fail(
          'unauthenticated',
          'The credential of this stream was revoked or disabled',
          CloseCodes.Forbidden,
          'revoked',
        ),
      shutdown: () => closeSocket(socket, CloseCodes.GoingAway, 'Going away', 'shutdown'),
    });
    const ping = setInterval(() => socket.readyState === socket.OPEN && socket.ping(), 15_000);
    socket.once('close', () => {
      clearInterval(ping);
      state.unwatch?.();
      connections.delete(socket);
      connectionsGauge.set(connections.size);
      void stream?.return();
    });

    let started = false;
    const start = async (since: number | null): Promise<void> => {
      if (started) return;
      started = true;
      const variables = { orgId, since };
      const granted = await grant('controlPlane', variables, state.principal, state.principalKey);
      if (granted instanceof GraphQLError)
        return fail(granted.extensions.code, granted.message, CloseCodes.Forbidden, 'forbidden');
      const document = parse(controlDocument(hasScope(state.principal, 'workflows:read')));
      const operation = getOperationAST(document) as OperationDefinitionNode;
      const plan = planSubscription(apiSchema, document, operation, variables);
      if (Array.isArray(plan)) throw new Error(`control socket plan: ${(plan as GraphQLError[])[0]?.message}`);
      const subscription = plan as SubscriptionPlan;
      stream = new LiveStream<Buffer>({
        hubs,
        client,
        field: 'controlPlane',
        args: subscription.args,
        orgId,
        since,
        position: granted,
        maxQueue: limits.maxQueue,
        congested: () => socket.bufferedAmount > limits.maxBufferedBytes,
        render: async (item) => {
          if (socket.readyState !== socket.OPEN) return SKIP;
          const shared = await resolveShared(subscription, state, item);
          if (shared.controlFrame === undefined) shared.controlFrame = controlFrameOf(shared.result);
          if (!shared.controlFrame) return SKIP;
          pushes.inc({ field: 'controlSocket' });
          return shared.controlFrame;
        },
        onOverflow: () => closeSocket(socket, CloseCodes.SlowConsumer, 'Slow consumer', 'slow_consumer'),
      });
      await stream.start();
      await sendFrames(stream, socket, TEXT_FRAME);
    };

    const run = (since: number | null) => {
      void start(since).catch((err) => {
        logger.error({ err }, 'control socket stream failed');
        fail('service_unavailable', 'The event stream is unavailable', 1011, 'internal');
      });
    };
    const sinceParam = url.searchParams.get('since') ?? url.searchParams.get('last_seq');
    if (sinceParam !== null && !/^\d{1,15}$/.test(sinceParam))
      return fail('validation_failed', 'since must be a sequence number', 4400, 'bad_request');
    const urlSince = sinceParam === null ? null : Number(sinceParam);
    // A client may send Subscribed first (with its own since); one that does not is served anyway.
    const autoStart = setTimeout(() => run(urlSince), SUBSCRIBE_GRACE_MS);
    socket.once('close', () => clearTimeout(autoStart));
    const bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    const onMessage = (data: unknown) => {
      if (!bucket.take()) return closeSocket(socket, CloseCodes.TooManyMessages, 'Too many messages', 'message_rate');
      let message: { type?: unknown; since?: unknown; last_seq?: unknown; seq?: unknown };
      try {
        message = JSON.parse(String(data));
      } catch {
        return send({ type: 'Error', orgId, code: 'invalid_json', message: 'Frames are JSON objects with a type' });
      }
      switch (message?.type) {
        case 'Ping':
          return send({ type: 'Pong', at: new Date().toISOString(), lastAck });
        case 'Ack':
          if (Number.isSafeInteger(message.seq)) lastAck = message.seq as number;
          return;
        case 'Subscribed': {
          // Starts the stream when it has not started yet (a later Subscribed is a no-op).
          const since = message.since ?? message.last_seq ?? urlSince;
          if (since !== null && !(Number.isSafeInteger(since) && (since as number) >= 0))
            return send({
              type: 'Error',
              orgId,
              code: 'validation_failed',
              message: 'since must be a sequence number',
            });
          clearTimeout(autoStart);
          return run(since as number | null);
        }
        default:
          return send({ type: 'Error', orgId, code: 'invalid_request', message: 'Unknown message type' });
      }
    };
    for (const data of takeEarly()) onMessage(data);
    socket.on('message', onMessage);
  }

  // -------------------------------------------------------------------------------------------
  // HTTP upgrade on the gateway's port.

  const httpServer = gateway.app.server;
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '/').split('?')[0]?.replace(/\/+$/, '') || '/';
    if (path === SUBSCRIPTIONS_PATH)
      return wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    if (path === EVENTS_SOCKET_PATH)
      return eventsWss.handleUpgrade(request, socket, head, (ws) => eventsWss.emit('connection', ws, request));
    const control = CONTROL_SOCKET_PATH.exec(path);
    if (control)
      return controlWss.handleUpgrade(request, socket, head, (ws) =>
        controlWss.emit('connection', ws, request, control[1] as string),
      );
    if (httpServer.listenerCount('upgrade') === 1) {
      socket.write('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      socket.destroy();
    }
  };
  httpServer.on('upgrade', onUpgrade);

  return {
    connections: () => connections.size,
    async close() {
      httpServer.off('upgrade', onUpgrade);
      for (const stream of streams) await stream.return();
      for (const socket of eventsWss.clients) socket.close(CloseCodes.GoingAway, 'Going away');
      for (const socket of controlWss.clients) socket.close(CloseCodes.GoingAway, 'Going away');
      keepAlive.stop();
      await server.dispose();
      await new Promise<void>((resolve) => eventsWss.close(() => resolve()));
      await new Promise<void>((resolve) => controlWss.close(() => resolve()));
      await hubs.close();
      await executor.stop();
    },
  };
}
