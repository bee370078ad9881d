/**
 * The principal: who is calling, as established once by the gateway.
 *
 * The gateway forwards it to subgraphs in the `x-trellis-principal` header as
 * `base64url(json).base64url(hmac)`, signed with TRELLIS_INTERNAL_SECRET and
 * valid for a few seconds. Subgraphs refuse a request whose header is missing,
 * malformed, expired or badly signed, so calling a subgraph directly bypasses
 * nothing.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from './secrets.ts';

export const PRINCIPAL_HEADER = 'x-trellis-principal';
/** How long a signed principal stays valid: long enough for one federated request. */
export const PRINCIPAL_TTL_SECONDS = 60;

export const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];
export const roleRank = (role: Role): number => ROLES.indexOf(role);
export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

export interface Membership {
  orgId: string;
  role: Role;
}

export type PrincipalKind = 'user' | 'api_key' | 'anonymous' | 'service';

export interface Principal {
  kind: PrincipalKind;
  /** `usr_…` for users, `key_…` for API keys, `anonymous`, or `svc_<name>`. */
  id: string;
  userId?: string;
  /** The organization an API key is bound to. */
  orgId?: string;
  memberships: Membership[];
  /** `<resource>:read|write` or `*`; sessions carry `*`. */
  scopes: string[];
  /** An API key bound to one workflow may act on that workflow only. */
  workflowId?: string;
  sessionId?: string;
}

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', id: 'anonymous', memberships: [], scopes: [] });

export const servicePrincipal = (name: string): Principal => ({
  kind: 'service',
  id: `svc_${name}`,
  memberships: [],
  scopes: ['*'],
});

export interface SignedPrincipalClaims {
  principal: Principal;
  requestId?: string;
  /** The caller's address as the gateway saw it (per-IP rate limits in subgraphs). */
  clientIp?: string;
  exp: number;
}

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

/** Signs `principal` for one request; `request` carries what subgraphs learn about it (id, client IP). */
export function signPrincipal(
  secret: string,
  principal: Principal,
  request: { requestId?: string; clientIp?: string } = {},
  now = Date.now(),
): string {
  const claims: SignedPrincipalClaims = { principal, exp: Math.floor(now / 1000) + PRINCIPAL_TTL_SECONDS };
  if (request.requestId) claims.requestId = request.requestId;
  if (request.clientIp) claims.clientIp = request.clientIp;
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

export type VerifyResult = { ok: true; claims: SignedPrincipalClaims } | { ok: false; reason: string };

export function verifyPrincipal(secret: string, header: string | undefined, now = Date.now()): VerifyResult {
  if (!header) return { ok: false, reason: 'missing principal' };
  const dot = header.indexOf('.');
  if (dot <= 0) return { ok: false, reason: 'malformed principal' };
  const payload = header.slice(0, dot);
  if (!safeEqual(sign(secret, payload), header.slice(dot + 1))) return { ok: false, reason: 'bad signature' };
  let claims: SignedPrincipalClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed principal' };
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < now) return { ok: false, reason: 'expired principal' };
  return { ok: true, claims };
}

/** The caller's role in `orgId`, or undefined when not a member. */
export function roleIn(principal: Principal, orgId: string): Role | undefined {
  if (principal.kind === 'service') return 'owner';
  return principal.memberships.find((m) => m.orgId === orgId)?.role;
}

/** `workflows:read` is satisfied by `*`, `workflows:*`, `workflows:read` or `workflows:write`. */
export function hasScope(principal: Principal, required: string): boolean {
  if (principal.scopes.includes('*')) return true;
  const [resource, action] = required.split(':');
  return principal.scopes.some((granted) => {
    const [r, a] = granted.split(':');
    if (r !== resource) return false;
    return a === '*' || a === action || (action === 'read' && a === 'write');
  });
}
