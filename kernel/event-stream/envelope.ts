/**
 * The event envelope — the one shape an event has once it is in the log — and
 * the small pure helpers every consumer shares: the bus channel of an
 * organization, type patterns, the control-plane mapping and signed payload
 * tokens. Imported by the events subgraph, the gateway's subscription server
 * and the SSE routes; it has no dependencies beyond node:crypto.
 */
import { createHmac } from 'node:crypto';
import type { BusMessage } from '../bus.ts';
import { internalKey } from '../internal-keys.ts';
import { safeEqual } from '../secrets.ts';

export interface EventRef {
  type: string;
  id: string;
}

/** An event as stored in the log, published on the bus and streamed (SSE, /v1/events/ws). */
export interface EventEnvelope {
  id: string;
  orgId: string;
  /** Strictly increasing per organization, without gaps. */
  seq: number;
  type: string;
  subject: EventRef | null;
  actor: EventRef | null;
  requestId: string | null;
  data: Record<string, unknown>;
  /** RFC 3339: when the change committed. */
  occurredAt: string;
  /** RFC 3339: when the event reached the log. */
  recordedAt: string;
}

/** The bus channel carrying an organization's new events (JSON envelopes, in commit order per publisher). */
export const orgChannel = (orgId: string): string => `events:org:${orgId}`;

/** LISTEN/NOTIFY payloads must stay under 8000 bytes: larger events travel as a reference. */
const MAX_BUS_MESSAGE_BYTES = 7000;

/** An event too large for the bus: consumers read it from the log. */
export interface TruncatedEvent {
  orgId: string;
  seq: number;
  id: string;
  truncated: true;
}

/** What a bus message holds: envelopes, or a reference that tells consumers to read the log. */
export type BusEventMessage = EventEnvelope | TruncatedEvent;

const reference = (event: EventEnvelope): TruncatedEvent => ({
  orgId: event.orgId,
  seq: event.seq,
  id: event.id,
  truncated: true,
});

/** One event's message: its envelope, or a reference when the envelope is too large for the bus. */
export function encodeBusMessage(event: EventEnvelope): string {
  return (encodeBusMessages([event])[0] as BusMessage).message;
}

/**
 * The bus messages of a batch of appended events (the log's order): each organization's consecutive
 * events share one message, a JSON array of envelopes in sequence order, up to the bus's size limit;
 * an event over the limit on its own travels as a reference. One message per organization and batch
 * instead of one per event: a publish, and a parse in every process that follows the organization,
 * per batch (an ingest batch holds up to TRELLIS_OUTBOX_BATCH_SIZE events).
 */
export function encodeBusMessages(events: readonly EventEnvelope[]): BusMessage[] {
  const messages: BusMessage[] = [];
  let orgId: string | undefined;
  let parts: string[] = [];
  let bytes = 2; // the array's brackets
  const flush = () => {
    if (orgId !== undefined && parts.length > 0)
      messages.push({
        channel: orgChannel(orgId),
        message: parts.length === 1 ? (parts[0] as string) : `[${parts.join(',')}]`,
      });
    parts = [];
    bytes = 2;
  };
  for (const event of events) {
    if (event.orgId !== orgId) {
      flush();
      orgId = event.orgId;
    }
    const full = JSON.stringify(event);
    const size = Buffer.byteLength(full);
    if (size > MAX_BUS_MESSAGE_BYTES) {
      flush();
      messages.push({ channel: orgChannel(event.orgId), message: JSON.stringify(reference(event)) });
      continue;
    }
    if (bytes + size + 1 > MAX_BUS_MESSAGE_BYTES) flush();
    parts.push(full);
    bytes += size + 1;
  }
  flush();
  return messages;
}

const isEventMessage = (value: unknown): value is BusEventMessage => {
  const v = value as Partial<BusEventMessage> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.orgId === 'string' &&
    typeof v.seq === 'number' &&
    typeof v.id === 'string'
  );
};

/** The events (or references) of one bus message, single or batched; nothing for a malformed one. */
export function decodeBusMessage(message: string): BusEventMessage[] {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return []; // ignore malformed messages: the log is the source of truth
  }
  if (Array.isArray(value)) return value.filter(isEventMessage);
  return isEventMessage(value) ? [value] : [];
}

// ---------------------------------------------------------------------------
// Types and patterns

/** `vm.running`, `policy_template.enabled`: lowercase dotted segments. */
export const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
/** An exact type, a prefix ending in `.*` (`vm.*`), or `*` for everything. */
export const EVENT_TYPE_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)|[a-z][a-z0-9_]*(\.[a-z0-9_]+)+)$/;

export const isTypePattern = (value: string): boolean => EVENT_TYPE_PATTERN.test(value);

/** True when `type` matches one of `patterns`; no patterns (or `*`) matches everything. */
export function matchesType(type: string, patterns: readonly string[] | null | undefined): boolean {
  if (!patterns || patterns.length === 0) return true;
  for (const pattern of patterns) {
    if (pattern === '*' || pattern === type) return true;
    if (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Control plane (seed 000)

export type ControlPlaneKind =
  | 'InitialState'
  | 'StateChange'
  | 'PolicyInvalidated'
  | 'KeyRotated'
  | 'ResyncRequired'
  | 'Error';

export const STATE_CHANGE_TYPES = new Set([
  'workflow.created',
  'workflow.updated',
  'workflow.paused',
  'workflow.resumed',
  'workflow.killed',
  'workflow.budget_reset',
]);
export const KEY_ROTATED_TYPES = new Set([
  'api_key.secret_rotated',
  'api_key.rotated',
  'api_key.rolled',
  'api_key.revoked',
]);

/** The control-plane message an event becomes, or undefined when the control plane ignores it. */
export function controlPlaneKindOf(type: string): ControlPlaneKind | undefined {
  if (STATE_CHANGE_TYPES.has(type)) return 'StateChange';
  if (type.startsWith('policy.') || type.startsWith('policy_template.')) return 'PolicyInvalidated';
  if (KEY_ROTATED_TYPES.has(type)) return 'KeyRotated';
  return undefined;
}

/** A control-plane message before its GraphQL selection is resolved. */
export type ControlPlaneMessageData =
  | { kind: 'InitialState'; orgId: string; seq: number; at: string }
  | {
      kind: 'StateChange' | 'PolicyInvalidated' | 'KeyRotated';
      orgId: string;
      seq: number;
      at: string;
      event: EventEnvelope;
    }
  | { kind: 'ResyncRequired'; orgId: string; seq: number; at: string; reason: string; prunedThroughSeq: number }
  | { kind: 'Error'; orgId: string; seq: number; at: string; code: string; message: string };

export function controlPlaneMessageOf(event: EventEnvelope): ControlPlaneMessageData | undefined {
  const kind = controlPlaneKindOf(event.type);
  if (kind !== 'StateChange' && kind !== 'PolicyInvalidated' && kind !== 'KeyRotated') return undefined;
  return { kind, orgId: event.orgId, seq: event.seq, at: event.recordedAt, event };
}

/** Does `event` concern `id` of kind `subjectTypes` (as subject, or named in `data[dataKey]`)? */
export function concerns(event: EventEnvelope, subjectTypes: readonly string[], dataKey: string, id: string): boolean {
  if (event.subject && subjectTypes.includes(event.subject.type) && event.subject.id === id) return true;
  return event.data?.[dataKey] === id;
}

// ---------------------------------------------------------------------------
// Signed payload tokens: how the gateway hands an event to the events subgraph's
// internal payload fields (`_eventPayload(envelope:)`), which refuse anything
// not signed with the payload key (HKDF from the internal secret, its own
// purpose: a principal never verifies as a payload, nor the reverse).

const sign = (secret: string, payload: string) =>
  createHmac('sha256', internalKey(secret, 'event-payload')).update(payload).digest('base64url');

export function signPayload(secret: string, value: unknown): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

export function verifyPayload<T>(secret: string, token: string): T | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  const payload = token.slice(0, dot);
  if (!safeEqual(sign(secret, payload), token.slice(dot + 1))) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** What the gateway hands to the internal payload fields (signed with the internal secret). */
export type PayloadToken =
  | ControlPlaneMessageData
  | { kind: 'Event'; orgId: string; seq: number; at: string; event: EventEnvelope };

/** What `_subscriptionGrant` answers: the subscription is allowed, on this organization, from this position. */
export interface SubscriptionGrant {
  field: string;
  orgId: string;
  headSeq: number;
  prunedThroughSeq: number;
  retentionDays: number;
}
