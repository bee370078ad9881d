/**
 * Credential formats. API keys: `trl_live_` / `trl_test_`, 43 base62 characters
 * (256 random bits), then a 6-character base62 CRC-32 of everything before it,
 * so scanners can reject look-alikes offline. Session tokens `trs_`, password
 * reset tokens `trr_`, invitation tokens `tri_`, refresh tokens `trf_`: 43 base62 characters each.
 * All are stored only as SHA-256 digests. HMAC signing secrets (`trsk_`) are
 * sealed (they must be shown again by /v1/auth/verify).
 */
import { crc32 } from 'node:zlib';
import { encodeBase62, randomBase62 } from '../../kernel/ids.ts';

export type KeyEnvironment = 'live' | 'test';
const RANDOM_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const API_KEY = /^trl_(live|test)_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;

const checksum = (body: string) => encodeBase62(BigInt(crc32(body)), CHECKSUM_LENGTH);

export function newApiKey(environment: KeyEnvironment = 'live'): string {
  const body = `trl_${environment}_${randomBase62(RANDOM_LENGTH)}`;
  return body + checksum(body);
}

/** True when `candidate` has the shape and checksum of a Trellis API key (no database needed). */
export function isWellFormedApiKey(candidate: string): boolean {
  const match = API_KEY.exec(candidate);
  if (!match) return false;
  return checksum(candidate.slice(0, -CHECKSUM_LENGTH)) === match[3];
}

/** What lists show: enough to recognise a key, far too little to use it. */
export const displayPrefix = (key: string): string => key.slice(0, 'trl_live_'.length + 6);

export const newSessionToken = (): string => `trs_${randomBase62(RANDOM_LENGTH)}`;
export const newPasswordResetToken = (): string => `trr_${randomBase62(RANDOM_LENGTH)}`;
export const newInvitationToken = (): string => `tri_${randomBase62(RANDOM_LENGTH)}`;
export const newRefreshToken = (): string => `trf_${randomBase62(RANDOM_LENGTH)}`;
const OPAQUE_TOKEN = /^tr[srif]_[0-9A-Za-z]{43}$/;
/** Shape check for session, reset and invitation tokens (before any database work). */
export const isWellFormedToken = (candidate: string, prefix: 'trs_' | 'trr_' | 'tri_' | 'trf_'): boolean =>
  candidate.startsWith(prefix) && OPAQUE_TOKEN.test(candidate);
export const newSigningSecret = (): string => `trsk_${randomBase62(RANDOM_LENGTH)}`;
