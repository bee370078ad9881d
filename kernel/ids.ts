/**
 * Opaque, type-prefixed, time-sortable identifiers (`org_01JD…`): a ULID body
 * (48-bit millisecond time + 80 random bits, Crockford base32) so rows sort by
 * creation and ids never reveal a count.
 */
import { randomBytes, randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Random bytes handed out from one pre-filled pool, as `randomUUID` does: ids, trace and span ids
 * are made for every request, and one `randomBytes` call each (a synchronous trip into OpenSSL)
 * showed in the hot path's profiles (issue #16). The view is valid until the next call.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

/** `bytes` (at most 4096) cryptographically random bytes: a view of the pool, to be read at once. */
export function pooledRandomBytes(bytes: number): Buffer {
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const view = pool.subarray(poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return view;
}

/** The 80 random bits of a ULID as two 40-bit halves: plain numbers, no BigInt on the hot path. */
const HALF = 2 ** 40;
let lastTime = -1;
let lastHigh = 0;
let lastLow = 0;

/** The random part after (high, low), one more; null when all 80 bits are already set. */
export function nextRandom(high: number, low: number): [number, number] | null {
  if (low + 1 < HALF) return [high, low + 1];
  return high + 1 < HALF ? [high + 1, 0] : null;
}

/**
 * Monotonic within this process: ids made in the same millisecond increment
 * the random part, so sorting by id is creation order even within a
 * millisecond (lists ordered by id rely on it).
 */
export function ulid(): string {
  let now = Date.now();
  const next = now <= lastTime ? nextRandom(lastHigh, lastLow) : null;
  if (next) {
    now = lastTime;
    [lastHigh, lastLow] = next;
  } else {
    const bytes = pooledRandomBytes(10);
    lastHigh = bytes.readUIntBE(0, 5);
    lastLow = bytes.readUIntBE(5, 5);
  }
  lastTime = now;
  return encodeTime(now) + base32(lastHigh, 8) + base32(lastLow, 8);
}

/** `value` as `width` Crockford base32 digits, most significant first. */
function base32(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** The 10-character time part of ids made at `ms`: a floor for "ids newer than" range scans. */
export function encodeTime(ms: number): string {
  return base32(ms, 10);
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
