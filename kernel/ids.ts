/**
 * Opaque, type-prefixed, time-sortable identifiers (`org_01JD…`): a ULID body
 * (48-bit millisecond time + 80 random bits, Crockford base32) so rows sort by
 * creation and ids never reveal a count.
 */
import { randomBytes, randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The 80 random bits as two 40-bit halves (exact in a double): BigInt arithmetic and a
 * `randomBytes` call per id were a visible share of an AI call's CPU (two ids per call).
 */
const HALF = 2 ** 40;
let lastTime = -1;
let lastHigh = 0;
let lastLow = 0;

/** Random bytes drawn from the CSPRNG a pool at a time: ten per id. */
const pool = Buffer.alloc(4000);
let poolOffset = pool.length;

/** 40 random bits (five bytes of the pool) as a number. */
function random40(): number {
  if (poolOffset + 5 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const value = pool.readUIntBE(poolOffset, 5);
  poolOffset += 5;
  return value;
}

/** `value` (< 2⁴⁰) as 8 Crockford characters. */
function encode40(value: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < 8; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/**
 * Monotonic within this process: ids made in the same millisecond increment
 * the random part, so sorting by id is creation order even within a
 * millisecond (lists ordered by id rely on it).
 */
export function ulid(): string {
  let now = Date.now();
  let high: number;
  let low: number;
  if (now <= lastTime && !(lastHigh === HALF - 1 && lastLow === HALF - 1)) {
    now = lastTime;
    low = lastLow + 1;
    high = lastHigh;
    if (low === HALF) {
      low = 0;
      high++;
    }
  } else {
    high = random40();
    low = random40();
  }
  lastTime = now;
  lastHigh = high;
  lastLow = low;
  return encodeTime(now) + encode40(high) + encode40(low);
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
