/**
 * The principal: who is calling, as established once by the gateway.
 *
 * The gateway forwards it to subgraphs in the `x-trellis-principal` header as
 * `base64url(json).base64url(hmac)`, valid for a few seconds. Subgraphs refuse
 * a request whose header is missing, malformed, expired or badly signed, so
 * calling a subgraph directly bypasses nothing.
 *
 * Each hop has its own audience and its own key (HKDF from
 * TRELLIS_INTERNAL_SECRET, kernel/internal-keys.ts): `subgraph` for the gateway
 * and services calling subgraphs, `gateway` for the standalone REST adapter
 * forwarding an authenticated caller to the gateway — short-lived and bound to
 * the exact request body. The public gateway accepts only the latter, so a
 * principal captured between gateway and subgraphs is worthless at the edge.
 */
import { createHmac } from 'node:crypto';
import { type InternalKeyPurpose, internalKey } from './internal-keys.ts';
import { safeEqual, sha256Hex } from './secrets.ts';

export const PRINCIPAL_HEADER = 'x-trellis-principal';
/** How long a signed principal stays valid: long enough for one federated request. */
export const PRINCIPAL_TTL_SECONDS = 60;
/** A principal the REST adapter forwards to the gateway only has to survive one hop. */
export const ADAPTER_PRINCIPAL_TTL_SECONDS = 10;

export type PrincipalAudience = 'subgraph' | 'gateway';
const PURPOSE: Record<PrincipalAudience, InternalKeyPurpose> = {
  subgraph: 'principal:subgraph',
  gateway: 'principal:gateway',
};

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
  /**
   * A platform administrator (an operator of this Trellis installation, not an org role): may run the
   * platform-wide routes (users administration, gateway pause/resume/reload, catalog changes, manual
   * ledger adjustments). Set by identity when it authenticates a user session; never for API keys.
   */
  platformAdmin?: boolean;
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
  /** Who may accept it (each audience also has its own key). */
  aud: PrincipalAudience;
  requestId?: string;
  /** The caller's address as the gateway saw it (per-IP rate limits in subgraphs). */
  clientIp?: string;
  /** `gateway` audience: hex SHA-256 of the one request body it was signed for. */
  bodySha256?: string;
  exp: number;
}

const sign = (secret: string, audience: PrincipalAudience, payload: string) =>
  createHmac('sha256', internalKey(secret, PURPOSE[audience])).update(payload).digest('base64url');

function seal(secret: string, claims: SignedPrincipalClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(secret, claims.aud, payload)}`;
}

/** Signs `principal` for subgraphs, for one request; `request` carries what subgraphs learn about it (id, client IP). */
export function signPrincipal(
  secret: string,
  principal: Principal,
  request: { requestId?: string; clientIp?: string } = {},
  now = Date.now(),
): string {
  const claims: SignedPrincipalClaims = {
    principal,
    aud: 'subgraph',
    exp: Math.floor(now / 1000) + PRINCIPAL_TTL_SECONDS,
  };
  if (request.requestId) claims.requestId = request.requestId;
  if (request.clientIp) claims.clientIp = request.clientIp;
  return seal(secret, claims);
}

/** The standalone REST adapter's principal for the gateway: valid for `body` only, for a few seconds. */
export function signAdapterPrincipal(
  secret: string,
  principal: Principal,
  body: string,
  request: { requestId?: string; clientIp?: string } = {},
  now = Date.now(),
): string {
  const claims: SignedPrincipalClaims = {
    principal,
    aud: 'gateway',
    bodySha256: sha256Hex(body),
    exp: Math.floor(now / 1000) + ADAPTER_PRINCIPAL_TTL_SECONDS,
  };
  if (request.requestId) claims.requestId = request.requestId;
  if (request.clientIp) claims.clientIp = request.clientIp;
  return seal(secret, claims);
}

/**
 * A principal handed to a subgraph of this process as a value (`InProcessOperation`), with what the
 * signed header would have told it (the client's address). Sealing a principal for a hop that never
 * leaves the process — JSON, base64 and an HMAC to sign, the same again to check — was ~5 % of
 * `/v1/gate`'s CPU. Only values made here are accepted (a module-private set), so an object that
 * merely looks like one, e.g. built from a request's JSON, is refused as an unsigned header is.
 */
export interface PrincipalInProcess {
  readonly principal: Principal;
  readonly clientIp?: string;
}

const handedInProcess = new WeakSet<PrincipalInProcess>();

export function principalInProcess(principal: Principal, clientIp?: string): PrincipalInProcess {
  const value: PrincipalInProcess = Object.freeze(clientIp ? { principal, clientIp } : { principal });
  handedInProcess.add(value);
  return value;
}

export const isPrincipalInProcess = (value: unknown): value is PrincipalInProcess =>
  typeof value === 'object' && value !== null && handedInProcess.has(value as PrincipalInProcess);

export type VerifyResult = { ok: true; claims: SignedPrincipalClaims } | { ok: false; reason: string };

function open(secret: string, audience: PrincipalAudience, header: string | undefined, now: number): VerifyResult {
  if (!header) return { ok: false, reason: 'missing principal' };
  const dot = header.indexOf('.');
  if (dot <= 0) return { ok: false, reason: 'malformed principal' };
  const payload = header.slice(0, dot);
  if (!safeEqual(sign(secret, audience, payload), header.slice(dot + 1))) return { ok: false, reason: 'bad signature' };
  let claims: SignedPrincipalClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed principal' };
  }
  if (claims.aud !== audience) return { ok: false, reason: 'wrong audience' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < now) return { ok: false, reason: 'expired principal' };
  return { ok: true, claims };
}

/**
 * Subgraph principals verified lately, by header (and secret): the gateway signs one per request and
 * every subgraph operation of the request presents it (an AI gateway call: three), and a service signs
 * the same claims for each of its calls within a second — the same bytes verify the same way, so the
 * HMAC is computed once. Expiry is checked on every use.
 */
const verifiedSubgraphPrincipals = new Map<string, { secret: string; claims: SignedPrincipalClaims }>();
const VERIFIED_KEPT = 1_000;

/** A subgraph's check of the principal its caller (gateway or service) signed. */
export function verifyPrincipal(secret: string, header: string | undefined, now = Date.now()): VerifyResult {
  const known = header === undefined ? undefined : verifiedSubgraphPrincipals.get(header);
  if (known?.secret === secret) {
    if (known.claims.exp * 1000 < now) return { ok: false, reason: 'expired principal' };
    return { ok: true, claims: known.claims };
  }
  const result = open(secret, 'subgraph', header, now);
  if (result.ok && header !== undefined) {
    if (verifiedSubgraphPrincipals.size >= VERIFIED_KEPT) verifiedSubgraphPrincipals.clear();
    verifiedSubgraphPrincipals.set(header, { secret, claims: result.claims });
  }
  return result;
}

/**
 * The gateway's check of a principal forwarded by the standalone REST adapter:
 * the adapter's audience and key, unexpired, signed for exactly this body, and
 * never a service principal (the adapter forwards end callers only).
 */
export function verifyAdapterPrincipal(
  secret: string,
  header: string | undefined,
  body: string,
  now = Date.now(),
): VerifyResult {
  const result = open(secret, 'gateway', header, now);
  if (!result.ok) return result;
  if (result.claims.bodySha256 !== sha256Hex(body)) return { ok: false, reason: 'signed for another request' };
  if (result.claims.principal.kind === 'service') return { ok: false, reason: 'service principal at the edge' };
  return result;
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
