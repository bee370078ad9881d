/**
 * Opaque, type-prefixed, time-sortable identifiers (`org_01JD…`): a ULID body
 * (48-bit millisecond time + 80 random bits, Crockford base32) so rows sort by
 * creation and ids never reveal a count.
 */
import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const RANDOM_BITS = 80n;
let lastTime = -1;
let lastRandom = 0n;

/**
 * Monotonic within this process: ids made in the same millisecond increment
 * the random part, so sorting by id is creation order even within a
 * millisecond (lists ordered by id rely on it).
 */
export function ulid(): string {
  let now = Date.now();
  let random: bigint;
  if (now <= lastTime && lastRandom + 1n < 1n << RANDOM_BITS) {
    now = lastTime;
    random = lastRandom + 1n;
  } else {
    random = 0n;
    for (const byte of randomBytes(10)) random = (random << 8n) | BigInt(byte);
  }
  lastTime = now;
  lastRandom = random;
  let body = '';
  let bits = random;
  for (let i = 0; i < 16; i++) {
    body = CROCKFORD[Number(bits & 31n)] + body;
    bits >>= 5n;
  }
  return encodeTime(now) + body;
}

/** The 10-character time part of ids made at `ms`: a floor for "ids newer than" range scans. */
export function encodeTime(ms: number): string {
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

export const newId = (prefix: string): string => `${prefix}_${ulid()}`;

/** A workflow id as clients may name it (API-key bindings, `X-Workflow-Id`). */
export const isWorkflowId = (value: string): boolean => /^wf_[0-9A-Za-z]{1,64}$/.test(value);

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Uniform base62 string from `byteLength` random bytes (rejection sampling, no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function encodeBase62(value: bigint, width: number): string {
  let out = '';
  let v = value;
  while (v > 0n) {
    out = BASE62[Number(v % 62n)] + out;
    v /= 62n;
  }
  return out.padStart(width, '0');
}
