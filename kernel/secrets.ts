/**
 * Secrets at rest. One-way secrets (API keys, session and reset tokens) are
 * stored as SHA-256 digests: they are high-entropy random strings, so a fast
 * hash is enough and lookups stay O(1). Secrets Trellis must show again later
 * (HMAC signing keys, webhook secrets, registry passwords) are sealed with
 * AES-256-GCM under TRELLIS_ENCRYPTION_KEY.
 */
import { createCipheriv, createDecipheriv, createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

// One-shot: no Hash object per call (every signed request hashes its body and its API key).
export const sha256Hex = (value: string | Buffer): string => hash('sha256', value, 'hex');

export const hmacSha256Hex = (key: string | Buffer, value: string | Buffer): string =>
  createHmac('sha256', key).update(value).digest('hex');

/** What a version 2 signature covers besides the timestamp, the key and the body. */
export interface SignedRequestLine {
  /** `GET`, `POST`… (upper-cased here). */
  method: string;
  /** The request target exactly as sent: path and query string (`/v1/orgs/org_1/api-keys?limit=1`). */
  pathWithQuery: string;
  /** A value the client never reuses (the gateway remembers it for the signature's lifetime). */
  nonce: string;
}

/**
 * The SDK request signature (docs/authentication.md), one implementation for the
 * gateway and the benchmarks:
 * - v1 (seed 000): hex(HMAC-SHA256(secret, `${timestamp}:${apiKey}:${hex(sha256(body))}`));
 * - v2 (`request` given): hex(HMAC-SHA256(secret,
 *   `v2:${timestamp}:${nonce}:${METHOD}:${pathWithQuery}:${apiKey}:${hex(sha256(body))}`)).
 */
export function apiKeySignature(
  secret: string,
  timestamp: string | number,
  apiKey: string,
  body: string | Buffer,
  request?: SignedRequestLine,
): string {
  const tail = `${apiKey}:${sha256Hex(body)}`;
  if (!request) return hmacSha256Hex(secret, `${timestamp}:${tail}`);
  const { nonce, method, pathWithQuery } = request;
  return hmacSha256Hex(secret, `v2:${timestamp}:${nonce}:${method.toUpperCase()}:${pathWithQuery}:${tail}`);
}

/** Constant-time string comparison that does not leak length through early exit. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

const SEAL_VERSION = 'v1';

export class SecretBox {
  readonly #key: Buffer;

  constructor(hexKey: string) {
    const key = Buffer.from(hexKey, 'hex');
    if (key.length !== 32) throw new Error('encryption key must be 32 bytes');
    this.#key = key;
  }

  /** `v1.<iv>.<tag>.<ciphertext>` in base64url; `context` binds the ciphertext to its row. */
  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [SEAL_VERSION, iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string, context = ''): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== SEAL_VERSION || !iv || !tag || body === undefined) throw new Error('unrecognised sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
