/**
 * The record of one model call made by the AI gateway, signed so that only a Trellis process
 * (which holds TRELLIS_INTERNAL_SECRET) can write one: compute stores it (and emits
 * `provider.call.completed|failed`) only when the signature matches. A caller with the `ai:write`
 * scope can reach `recordAiCall` through the gateway, but cannot forge calls that never happened.
 */
import { createHmac } from 'node:crypto';
import { internalKey } from './internal-keys.ts';
import { safeEqual } from './secrets.ts';

/**
 * Stable JSON: object keys sorted at every level, absent (null or undefined) members left out, so
 * signer and verifier agree byte for byte. Built by concatenation: every model call signs and
 * verifies one record, and the arrays of a map-and-join were most of this function's cost.
 */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonical(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member == null) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonical(member)}`;
  }
  return `${out}}`;
}

/** An internal record signed for one purpose (a key derived per purpose: one never verifies as another). */
export function signInternalRecord(
  secret: string,
  purpose: 'ai-call-record' | 'asset-record' | 'vault-provider-credential' | 'snapshot-archive-record',
  record: object,
): string {
  return createHmac('sha256', internalKey(secret, purpose)).update(canonical(record)).digest('hex');
}

export function verifyInternalRecord(
  secret: string,
  purpose: Parameters<typeof signInternalRecord>[1],
  record: object,
  signature: string,
): boolean {
  return safeEqual(signInternalRecord(secret, purpose, record), signature);
}

export const signAiCallRecord = (secret: string, record: object): string =>
  signInternalRecord(secret, 'ai-call-record', record);

export const verifyAiCallRecord = (secret: string, record: object, signature: string): boolean =>
  verifyInternalRecord(secret, 'ai-call-record', record, signature);
