/**
 * Request and trace identifiers. A caller's `X-Request-Id` is kept when it is
 * a sane token; a W3C `traceparent` is continued, otherwise a new trace starts.
 */
import { randomUUID } from 'node:crypto';
import { pooledRandomBytes } from './ids.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface RequestMeta {
  requestId: string;
  traceId: string;
  /** The span id of this hop; children name it as their parent. */
  spanId: string;
  /** The client's address: the socket peer at the edge; in subgraphs, from the gateway-signed principal claims. */
  clientIp?: string;
}

export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** `bytes` cryptographically random bytes (at most 4096) as lower-case hex, from the shared pool (ids.ts). */
export const randomHex = (bytes: number): string => pooledRandomBytes(bytes).toString('hex');

/** A new span id (8 random bytes, hex), for each hop a request makes. */
export const newSpanId = (): string => randomHex(8);

export function traceFrom(header: unknown): { traceId: string; spanId: string } {
  const match = typeof header === 'string' ? TRACEPARENT.exec(header.trim()) : null;
  const traceId = match?.[1] && match[1] !== '0'.repeat(32) ? match[1] : randomHex(16);
  return { traceId, spanId: newSpanId() };
}

export const traceparentOf = (meta: Pick<RequestMeta, 'traceId' | 'spanId'>): string =>
  `00-${meta.traceId}-${meta.spanId}-01`;

/** Identifiers for work the server starts itself (a subscription push, a socket operation): a new trace. */
export function newRequestMeta(clientIp?: string): RequestMeta {
  return { requestId: randomUUID(), ...traceFrom(undefined), ...(clientIp ? { clientIp } : {}) };
}
