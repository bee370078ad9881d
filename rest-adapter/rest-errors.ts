/**
 * Errors that come back from executing a route's operation, said in REST
 * terms: `extensions.field` names a variable path (`input.events.3.costMicros`),
 * which becomes the path the client sent (`events[3].costMicros`); a GraphQL
 * variable-coercion message (`Variable "$input" got invalid value …`), should
 * one get past the adapter's own check, becomes a 422 naming the field.
 */
import { clientPathOf, renderPath, snakeCaseOf } from './coerce.ts';
import type { RequestShape } from './request-shape.ts';

type Segment = string | number;

/** `input.events.3.costMicros` or `input.items[2].costMicros` → segments, indexes as numbers. */
export function parseFieldPath(text: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of text.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      segments.push(part);
      continue;
    }
    const [, name = '', indexes = ''] = match;
    if (name !== '') segments.push(/^\d+$/.test(name) ? Number(name) : name);
    for (const index of indexes.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/** The variables a client names directly (path, query, body fields); the whole-body variable is not one. */
function isNamedVariable(name: string, shape: RequestShape): boolean {
  if (shape.path.some((s) => s.name === name) || shape.query.some((s) => s.name === name)) return true;
  return !shape.body?.variable && shape.body !== undefined && Object.hasOwn(shape.body.type.getFields(), name);
}

/** What the client sent, for spelling fields as it did (`expires_at` rather than `expiresAt`). */
export interface ClientRequest {
  body?: unknown;
  query?: Record<string, unknown>;
}

/** Canonical segments rooted at the body (or a query variable) spelled the way this client spelled them. */
function spelledAsSent(segments: Segment[], shape: RequestShape, request: ClientRequest | undefined): Segment[] {
  if (!request) return segments;
  const [head] = segments;
  if (typeof head === 'string' && shape.query.some((s) => s.name === head)) {
    // `?include_revoked=` names `includeRevoked` (buildVariables reads either spelling).
    const snake = snakeCaseOf(head);
    const query = request.query ?? {};
    return query[head] === undefined && query[snake] !== undefined ? [snake, ...segments.slice(1)] : segments;
  }
  if (!shape.body) return segments;
  const { arrayBody } = shape.rules;
  const body = Array.isArray(request.body) && arrayBody ? { [arrayBody]: request.body } : request.body;
  return [...clientPathOf(segments, body, shape.body.type, shape.rules)];
}

/**
 * A variable-space field path in the client's terms; undefined when it names
 * the whole body. Anything that is not a variable path (a header name) is kept.
 */
export function restField(field: string, shape: RequestShape, request?: ClientRequest): string | undefined {
  return restSegments(field, shape, request)?.client;
}

/** The field's canonical segments below the body or variable, and the client's path for them. */
function restSegments(
  field: string,
  shape: RequestShape,
  request: ClientRequest | undefined,
): { canonical: Segment[]; client: string } | undefined {
  const segments = parseFieldPath(field);
  const [head] = segments;
  if (typeof head !== 'string') return { canonical: segments, client: field };
  if (shape.body?.variable === head) {
    if (segments.length === 1) return undefined;
    const canonical = segments.slice(1);
    return { canonical, client: renderPath(spelledAsSent(canonical, shape, request)) };
  }
  if (!isNamedVariable(head, shape)) return { canonical: segments, client: field };
  return { canonical: segments, client: renderPath(spelledAsSent(segments, shape, request)) };
}

export interface RestFieldError {
  field?: string;
  message: string;
  /** A GraphQL variable-coercion error: the request did not fit (422 `validation_failed`). */
  coercion?: boolean;
}

const VARIABLE_MESSAGE = /^Variable "\$(\w+)" /;

/**
 * graphql-js's variable-coercion messages, rewritten: which field, and whether
 * it was missing, unknown or invalid. Undefined when the message is not one.
 */
export function fromCoercionMessage(
  message: string,
  shape: RequestShape,
  request?: ClientRequest,
): RestFieldError | undefined {
  const variable = VARIABLE_MESSAGE.exec(message)?.[1];
  if (!variable) return undefined;
  let path = variable;
  let problem = 'is invalid';
  if (/ of required type "[^"]*" was not provided\.?$/.test(message)) problem = 'is required';
  else if (/ of non-null type "[^"]*" must not be null\.?$/.test(message)) problem = 'must not be null';
  else {
    const at = new RegExp(` at "(${variable}(?:[.[][^"]*)?)"; `).exec(message);
    if (at?.[1]) path = at[1];
    const missing = /; Field "(\w+)" of required type "[^"]*" was not provided\.?$/.exec(message);
    const unknown = /; Field "(\w+)" is not defined by type "[^"]*"\.?(?: Did you mean [^;]*)?$/.exec(message);
    if (missing?.[1]) {
      path = `${path}.${missing[1]}`;
      problem = 'is required';
    } else if (unknown?.[1]) {
      path = `${path}.${unknown[1]}`;
      problem = 'is not a known field';
    }
  }
  const field = restField(path, shape, request);
  return { ...(field ? { field } : {}), message: `${field ?? 'The request body'} ${problem}`, coercion: true };
}

/**
 * An error from the operation, with its field (and a message that starts with it) in the client's
 * terms: the path it sent, each key spelled as its body spelled it. A service's message names either
 * the whole variable path (`input.expiresAt must …`) or the field alone (`expiresAt must …`).
 */
export function restFieldError(
  message: string,
  field: unknown,
  shape: RequestShape,
  request?: ClientRequest,
): RestFieldError {
  const rewritten = fromCoercionMessage(message, shape, request);
  if (rewritten) return rewritten;
  if (typeof field !== 'string') return { message };
  const translated = restSegments(field, shape, request);
  if (!translated) return { message };
  const { canonical, client } = translated;
  const last = canonical.at(-1);
  const clientLast = parseFieldPath(client).at(-1);
  let text = message;
  if (message.startsWith(`${field} `)) text = `${client}${message.slice(field.length)}`;
  else if (typeof last === 'string' && typeof clientLast === 'string' && message.startsWith(`${last} `))
    text = `${clientLast}${message.slice(last.length)}`;
  return { field: client, message: text };
}
