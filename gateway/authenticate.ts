/**
 * Authentication at the edge. A request carries at most one credential:
 * `Authorization: Bearer <api key | session token>` or `X-API-Key: <api key>`.
 * The identity subgraph resolves it (over its internal, gateway-only query) to
 * a principal and, for API keys, the key's HMAC signing secret. Results are
 * cached for TRELLIS_AUTH_CACHE_TTL_MS; identity publishes invalidations on the
 * bus when a key or session dies, so every replica drops it at once.
 *
 * SDK traffic may be signed (see docs/authentication.md):
 *   X-Signature = hex(HMAC-SHA256(secret, `${timestamp}:${apiKey}:${hex(sha256(body))}`))
 */
import type { IncomingHttpHeaders } from 'node:http';
import { AUTH_INVALIDATION_CHANNEL, type AuthInvalidation } from '../kernel/auth-invalidation.ts';
import type { MessageBus } from '../kernel/bus.ts';
import { TrellisError } from '../kernel/errors.ts';
import type { Logger } from '../kernel/logger.ts';
import { ANONYMOUS, PRINCIPAL_HEADER, type Principal, servicePrincipal, signPrincipal } from '../kernel/principal.ts';
import { hmacSha256Hex, safeEqual, sha256Hex } from '../kernel/secrets.ts';

export interface ResolvedCredential {
  principal: Principal;
  /** Present for API keys: the secret HMAC signatures are checked against. */
  signingSecret?: string;
  /** Present for API keys in their rotation grace period: the previous secret. */
  previousSigningSecret?: string;
}

export interface AuthRequest {
  headers: IncomingHttpHeaders;
  /** The exact bytes of the body, for signature checks; empty for GET. */
  rawBody?: Buffer | string;
}

export interface AuthenticatorOptions {
  identityUrl: string;
  internalSecret: string;
  bus: MessageBus;
  logger: Logger;
  cacheTtlMs: number;
  hmacRequired: boolean;
  hmacMaxAgeSeconds: number;
}

const API_KEY_PREFIX = /^trl_(live|test)_/;
/** Signatures from the future are accepted within this clock skew. */
const MAX_FUTURE_SKEW_SECONDS = 30;
const MAX_CACHE_ENTRIES = 50_000;

interface CacheEntry {
  resolved: ResolvedCredential;
  expiresAt: number;
}

const RESOLVE_QUERY = /* GraphQL */ `
  query GatewayAuthenticate($credential: String!) {
    _authenticate(credential: $credential) { principal signingSecret previousSigningSecret }
  }
`;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = header(headers, 'authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw new TrellisError('unauthenticated', 'Authorization must be "Bearer <token>"');
    return match[1];
  }
  return header(headers, 'x-api-key')?.trim() || undefined;
}

export class Authenticator {
  readonly #options: AuthenticatorOptions;
  readonly #cache = new Map<string, CacheEntry>();
  #unsubscribe?: () => Promise<void>;

  constructor(options: AuthenticatorOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    this.#unsubscribe = await this.#options.bus.subscribe(AUTH_INVALIDATION_CHANNEL, (message) =>
      this.invalidate(JSON.parse(message) as AuthInvalidation),
    );
  }

  async stop(): Promise<void> {
    await this.#unsubscribe?.();
    this.#cache.clear();
  }

  invalidate(event: AuthInvalidation): void {
    const keyIds = new Set(event.keyIds ?? []);
    const userIds = new Set(event.userIds ?? []);
    const sessionIds = new Set(event.sessionIds ?? []);
    for (const [hash, entry] of this.#cache) {
      const p = entry.resolved.principal;
      if (
        (p.kind === 'api_key' && keyIds.has(p.id)) ||
        (p.userId && userIds.has(p.userId)) ||
        (p.sessionId && sessionIds.has(p.sessionId))
      )
        this.#cache.delete(hash);
    }
  }

  /** The caller's principal; ANONYMOUS when no credential is presented. Throws 401 on a bad one. */
  async authenticate(request: AuthRequest): Promise<Principal> {
    const credential = credentialOf(request.headers);
    const signature = header(request.headers, 'x-signature');
    if (!credential) {
      if (signature) throw new TrellisError('invalid_signature', 'A signature was sent without an API key');
      return ANONYMOUS;
    }
    const resolved = await this.#resolve(credential);
    const isApiKey = resolved.principal.kind === 'api_key';
    if (signature || (isApiKey && this.#options.hmacRequired)) {
      if (!isApiKey) throw new TrellisError('invalid_signature', 'Only API keys sign requests');
      this.#verifySignature(credential, resolved, request);
    }
    const workflowHeader = header(request.headers, 'x-workflow-id');
    if (workflowHeader && resolved.principal.workflowId && workflowHeader !== resolved.principal.workflowId)
      throw new TrellisError('forbidden', 'This API key is bound to another workflow', { field: 'X-Workflow-Id' });
    return resolved.principal;
  }

  #verifySignature(apiKey: string, resolved: ResolvedCredential, request: AuthRequest): void {
    const signature = header(request.headers, 'x-signature');
    const timestampHeader = header(request.headers, 'x-signature-timestamp');
    if (!signature || !timestampHeader)
      throw new TrellisError('invalid_signature', 'X-Signature and X-Signature-Timestamp are required');
    if (!/^\d{1,12}$/.test(timestampHeader))
      throw new TrellisError('invalid_signature', 'X-Signature-Timestamp must be Unix seconds', {
        field: 'X-Signature-Timestamp',
      });
    const timestamp = Number(timestampHeader);
    const now = Math.floor(Date.now() / 1000);
    if (now - timestamp > this.#options.hmacMaxAgeSeconds)
      throw new TrellisError('invalid_signature', 'The signature has expired', { field: 'X-Signature-Timestamp' });
    if (timestamp - now > MAX_FUTURE_SKEW_SECONDS)
      throw new TrellisError('invalid_signature', 'The signature timestamp is in the future', {
        field: 'X-Signature-Timestamp',
      });
    const bodyHash = sha256Hex(request.rawBody ?? '');
    const message = `${timestampHeader}:${apiKey}:${bodyHash}`;
    const secrets = [resolved.signingSecret, resolved.previousSigningSecret].filter((s): s is string => !!s);
    if (!secrets.some((secret) => safeEqual(hmacSha256Hex(secret, message), signature.toLowerCase())))
      throw new TrellisError('invalid_signature', 'The signature does not match the request');
  }

  async #resolve(credential: string): Promise<ResolvedCredential> {
    const hash = sha256Hex(credential);
    const cached = this.#cache.get(hash);
    if (cached && cached.expiresAt > Date.now()) return cached.resolved;
    if (cached) this.#cache.delete(hash);
    if (!API_KEY_PREFIX.test(credential) && !credential.startsWith('trs_'))
      throw new TrellisError('unauthenticated', 'Unrecognised credential');
    const resolved = await this.#fetch(credential);
    if (this.#options.cacheTtlMs > 0) {
      if (this.#cache.size >= MAX_CACHE_ENTRIES) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(hash, { resolved, expiresAt: Date.now() + this.#options.cacheTtlMs });
    }
    return resolved;
  }

  async #fetch(credential: string): Promise<ResolvedCredential> {
    const response = await fetch(this.#options.identityUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [PRINCIPAL_HEADER]: signPrincipal(this.#options.internalSecret, servicePrincipal('gateway')),
      },
      body: JSON.stringify({ query: RESOLVE_QUERY, variables: { credential } }),
    }).catch((error: Error) => {
      throw new TrellisError('service_unavailable', 'The identity service is unreachable', { cause: error });
    });
    const body = (await response.json().catch(() => ({}))) as {
      data?: { _authenticate: null | { principal: string; signingSecret?: string; previousSigningSecret?: string } };
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    if (body.errors?.length || !body.data) {
      this.#options.logger.error({ errors: body.errors, status: response.status }, 'credential resolution failed');
      throw new TrellisError('service_unavailable', 'Credentials could not be checked');
    }
    const result = body.data._authenticate;
    if (!result) throw new TrellisError('unauthenticated', 'Invalid, expired or revoked credential');
    return {
      principal: JSON.parse(result.principal) as Principal,
      signingSecret: result.signingSecret ?? undefined,
      previousSigningSecret: result.previousSigningSecret ?? undefined,
    };
  }
}
