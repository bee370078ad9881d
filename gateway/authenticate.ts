/**
 * Authentication at the edge. A request carries at most one credential:
 * `Authorization: Bearer <api key | session token>` or `X-API-Key: <api key>`.
 * The identity subgraph resolves it (over its internal, gateway-only query) to
 * a principal and, for API keys, the key's HMAC signing secret. Results are
 * cached for TRELLIS_AUTH_CACHE_TTL_MS (never past the credential's own expiry);
 * identity publishes invalidations on the bus when a key, session or membership
 * changes, so every replica drops the entry at once.
 *
 * The bus is only the fast path. Identity also appends every invalidation to
 * its revocation log (numbered `seq`, kernel/auth-invalidation.ts), which this
 * authenticator reads after its bus reconnects, when a message's `seq` shows
 * an earlier one was missed, and every TRELLIS_AUTH_REVOCATION_POLL_MS. The
 * cache is trusted only while the bus is up and the log has been read: while
 * the bus is down (or before the first read) every request is resolved afresh,
 * and the cache is emptied when the bus goes down. Listeners
 * (`onInvalidation`, the live-stream registry) hear every invalidation.
 *
 * SDK traffic may be signed (see docs/authentication.md), v1 (seed 000) or v2:
 *   X-Signature = hex(HMAC-SHA256(secret, `${timestamp}:${apiKey}:${hex(sha256(body))}`))
 *   X-Signature = hex(HMAC-SHA256(secret, `v2:${timestamp}:${nonce}:${METHOD}:${pathWithQuery}:${apiKey}:${hex(sha256(body))}`))
 * A v1 signature covers neither the route nor a nonce, so within its window it
 * can be replayed on another route with the same body; v2 binds both and each
 * nonce is accepted once. TRELLIS_HMAC_MIN_VERSION=2 (production) refuses v1.
 *
 * The hot path for a cached API key is: one SHA-256 of the credential, a map
 * lookup, the HMAC when signed, a rate-limit count and an in-memory usage
 * counter; usage reaches identity in batches (TRELLIS usage flush, 5 s).
 */

import type { IncomingHttpHeaders } from 'node:http';
import {
  AUTH_INVALIDATION_CHANNEL,
  type AuthInvalidation,
  type AuthInvalidationLog,
} from '../kernel/auth-invalidation.ts';
import type { MessageBus } from '../kernel/bus.ts';
import { TrellisError } from '../kernel/errors.ts';
import { isWorkflowId } from '../kernel/ids.ts';
import { internalGraphQL } from '../kernel/internal-graphql.ts';
import type { Logger } from '../kernel/logger.ts';
import type { Platform } from '../kernel/platform.ts';
import { ANONYMOUS, type Principal } from '../kernel/principal.ts';
import { createRateLimiter, type RateLimiter } from '../kernel/rate-limit.ts';
import { apiKeySignature, type SignedRequestLine, safeEqual, sha256Hex } from '../kernel/secrets.ts';
import type { InProcessFetch } from '../kernel/subgraph.ts';
import { serviceUnavailable } from '../kernel/unavailable.ts';
import { createApiKeyRateLimiter } from './rate-limit.ts';

export interface ResolvedCredential {
  principal: Principal;
  /** Present for API keys: the secret HMAC signatures are checked against. */
  signingSecret?: string;
  /** Present for API keys in their secret-rotation grace period: the previous secret. */
  previousSigningSecret?: string;
  /** When the credential (or its grace period) ends: the cache never outlives it. */
  expiresAt?: number;
}

export interface AuthRequest {
  headers: IncomingHttpHeaders;
  /** The exact bytes of the body, for signature checks; empty for GET. */
  rawBody?: Buffer | string;
  /** The HTTP method and the request target as received (path and query): what a v2 signature covers. */
  method?: string;
  url?: string;
}

export interface AuthenticatorOptions {
  identityUrl: string;
  internalSecret: string;
  bus: MessageBus;
  logger: Logger;
  cacheTtlMs: number;
  hmacRequired: boolean;
  hmacMaxAgeSeconds: number;
  /** The oldest signature version accepted (1: seed 000, 2: method, path and nonce). */
  hmacMinVersion?: 1 | 2;
  /**
   * Remembers v2 nonces for a signature's lifetime (a 1-point limiter per key and nonce: Redis when
   * REDIS_URL is set, so every replica refuses a replay; memory otherwise). Required for v2.
   */
  nonceCache?: RateLimiter;
  /** Per-API-key request limit (gateway/rate-limit.ts); none when absent. */
  apiKeyRateLimiter?: RateLimiter;
  /** How often batched API-key usage is written to identity (default 5 s; 0 turns recording off). */
  usageFlushMs?: number;
  /** How often the revocation log is read besides bus reconnects and `seq` gaps (default 15 s; 0 turns polling off). */
  revocationPollMs?: number;
  /** Transport to identity (defaults to global fetch; the all-in-one process passes an in-process one). */
  fetch?: InProcessFetch;
}

const API_KEY_PREFIX = /^trl_(live|test)_/;
/** Signatures from the future are accepted within this clock skew. */
export const MAX_FUTURE_SKEW_SECONDS = 30;
const MAX_CACHE_ENTRIES = 50_000;
const DEFAULT_USAGE_FLUSH_MS = 5_000;
/** Nonces are opaque to us: 16–128 URL-safe characters (a UUID, 32 hex digits, base64url…). */
const NONCE = /^[A-Za-z0-9._~-]{16,128}$/;
/**
 * A fallback: revocations arrive on the bus at once, and a `seq` gap or a reconnect reads the log. The poll only
 * bounds a message lost on a bus that still looks connected (a stalled Redis).
 */
const DEFAULT_REVOCATION_POLL_MS = 15_000;
/** Sequence numbers remembered as applied, so a catch-up does not apply a bus message twice. */
const MAX_APPLIED = 2_000;

/**
 * A cached credential used in the last quarter of its time to live is looked up again in the background,
 * once, while the entry keeps answering until it expires: a credential in steady use is never looked up
 * on a request's path again. Before, every request of a busy key waited for identity each time its entry
 * expired (every `TRELLIS_AUTH_CACHE_TTL_MS`), one loopback GraphQL call and a database read under load.
 */
const REFRESH_AHEAD_SHARE = 0.25;

interface CacheEntry {
  resolved: ResolvedCredential;
  expiresAt: number;
  /** From then on, a use starts the background look-up (Infinity: never, or already started). */
  refreshAt: number;
}

const RESOLVE_QUERY = /* GraphQL */ `
  query GatewayAuthenticate($credential: String!) {
    _authenticate(credential: $credential) { principal signingSecret previousSigningSecret expiresAt }
  }
`;

const INVALIDATIONS_QUERY = /* GraphQL */ `
  query GatewayAuthInvalidations($afterSeq: SafeInt) { _authInvalidations(afterSeq: $afterSeq) }
`;

/** Hears every invalidation applied here; `'all'` when everything cached was dropped. */
export type InvalidationListener = (event: AuthInvalidation | 'all') => void;

/** True when `principal` is one of those `event` names. */
export function concernsPrincipal(event: AuthInvalidation | 'all', principal: Principal): boolean {
  if (event === 'all') return true;
  return (
    (principal.kind === 'api_key' && (event.keyIds ?? []).includes(principal.id)) ||
    (principal.userId !== undefined && (event.userIds ?? []).includes(principal.userId)) ||
    (principal.sessionId !== undefined && (event.sessionIds ?? []).includes(principal.sessionId))
  );
}

const USAGE_MUTATION = /* GraphQL */ `
  mutation GatewayApiKeyUsage($usage: JSON!) { _recordApiKeyUsage(usage: $usage) }
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

/**
 * `X-Workflow-Id` (seed 000: "binds the call to a workflow context") binds this one call as a workflow-bound
 * key is bound: the principal carries the workflow to every subgraph, so gate/execute/track act on it when
 * the body names none, an argument naming another workflow is 403 and reads are those of a bound key. It
 * only ever narrows: a key bound to another workflow is 403. (Returns a copy: the cached principal is shared.)
 */
export function bindWorkflow(principal: Principal, value: string | undefined): Principal {
  if (value === undefined || principal.kind === 'anonymous') return principal;
  const workflowId = value.trim();
  if (!isWorkflowId(workflowId))
    throw new TrellisError('validation_failed', 'X-Workflow-Id must be a workflow id (wf_…)', {
      field: 'X-Workflow-Id',
    });
  if (principal.workflowId === workflowId) return principal;
  if (principal.workflowId)
    throw new TrellisError('forbidden', 'This API key is bound to another workflow', { field: 'X-Workflow-Id' });
  return { ...principal, workflowId };
}

/** `X-Signature-Version` (absent: 1), refused below the deployment's minimum. */
function signatureVersion(headers: IncomingHttpHeaders, minimum: 1 | 2): 1 | 2 {
  const given = header(headers, 'x-signature-version')?.trim() ?? '1';
  if (given !== '1' && given !== '2')
    throw new TrellisError('invalid_signature', 'X-Signature-Version must be 1 or 2', { field: 'X-Signature-Version' });
  const version = Number(given) as 1 | 2;
  if (version < minimum)
    throw new TrellisError(
      'invalid_signature',
      `This deployment accepts signature version ${minimum} or later (X-Signature-Version: 2, X-Signature-Nonce)`,
      { field: 'X-Signature-Version' },
    );
  return version;
}

/** What a v2 signature covers besides timestamp, key and body: method, path with query, nonce. */
function requestLine(request: AuthRequest): SignedRequestLine {
  const nonce = header(request.headers, 'x-signature-nonce')?.trim();
  if (!nonce || !NONCE.test(nonce))
    throw new TrellisError('invalid_signature', 'X-Signature-Nonce must be 16 to 128 of A-Z a-z 0-9 . _ ~ -', {
      field: 'X-Signature-Nonce',
    });
  if (!request.method || request.url === undefined)
    throw new TrellisError('invalid_signature', 'Version 2 signatures are not accepted here');
  return { method: request.method, pathWithQuery: request.url, nonce };
}

export class Authenticator {
  readonly #options: AuthenticatorOptions;
  readonly #cache = new Map<string, CacheEntry>();
  /** Bumped by every invalidation: a resolution that started before one is not cached. */
  #generation = 0;
  /** Lookups identity is answering, by credential hash, with the generation they started in. */
  readonly #inFlight = new Map<string, { generation: number; resolved: Promise<ResolvedCredential> }>();
  readonly #usage = new Map<string, { count: number; lastUsedAt: number }>();
  #usageTimer?: NodeJS.Timeout;
  #flushing?: Promise<void>;
  #unsubscribe?: () => Promise<void>;
  readonly #listeners = new Set<InvalidationListener>();
  /** Our position in identity's revocation log; undefined until it was first read. */
  #lastSeq?: number;
  /** The log was read since the last failure to read it: cached entries reflect every revocation. */
  #synced = false;
  readonly #applied = new Set<number>();
  #catchingUp?: Promise<void>;
  /** Another read was asked for while one was running (its answer may predate what it should cover). */
  #readAgain = false;
  /** Bumped when the bus goes down: a read that started before cannot vouch for the cache. */
  #epoch = 0;
  #pollTimer?: NodeJS.Timeout;
  #offHealth?: () => void;
  #catchUpFailing = false;

  constructor(options: AuthenticatorOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const { bus } = this.#options;
    this.#unsubscribe = await bus.subscribe(AUTH_INVALIDATION_CHANNEL, (message) => {
      try {
        this.#received(JSON.parse(message) as AuthInvalidation);
      } catch (err) {
        this.#options.logger.warn({ err }, 'ignored a malformed auth invalidation');
      }
    });
    // Down: messages may be lost from now on, so nothing cached is trusted. Up again: read what was missed.
    this.#offHealth = bus.onHealthChange((healthy) => (healthy ? void this.catchUp() : this.#distrust()));
    await this.catchUp();
    const poll = this.#options.revocationPollMs ?? DEFAULT_REVOCATION_POLL_MS;
    if (poll > 0) {
      this.#pollTimer = setInterval(() => void this.catchUp(), poll);
      this.#pollTimer.unref();
    }
    const every = this.#options.usageFlushMs ?? DEFAULT_USAGE_FLUSH_MS;
    if (every > 0) {
      this.#usageTimer = setInterval(() => void this.flushUsage(), every);
      this.#usageTimer.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#usageTimer);
    clearInterval(this.#pollTimer);
    this.#offHealth?.();
    await this.#unsubscribe?.();
    await this.flushUsage();
    this.#cache.clear();
    this.#listeners.clear();
  }

  /** Subscribes to every invalidation applied here (bus, response header, revocation log). */
  onInvalidation(listener: InvalidationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Drops the cached credentials `event` names and tells the listeners. */
  invalidate(event: AuthInvalidation): void {
    this.#generation++;
    for (const [hash, entry] of this.#cache)
      if (concernsPrincipal(event, entry.resolved.principal)) this.#cache.delete(hash);
    this.#notify(event);
  }

  #invalidateAll(): void {
    this.#generation++;
    this.#cache.clear();
    this.#notify('all');
  }

  #notify(event: AuthInvalidation | 'all'): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (err) {
        this.#options.logger.warn({ err }, 'auth invalidation listener failed');
      }
    }
  }

  /** A bus message: applied at once; a gap in `seq` means one was missed, so the log is read. */
  #received(event: AuthInvalidation): void {
    const { seq } = event;
    if (typeof seq === 'number') {
      if (this.#applied.has(seq)) return;
      this.#remember(seq);
      if (this.#lastSeq !== undefined) {
        if (seq === this.#lastSeq + 1) this.#lastSeq = seq;
        else if (seq > this.#lastSeq) void this.catchUp();
      }
    }
    this.invalidate(event);
  }

  #remember(seq: number): void {
    this.#applied.add(seq);
    if (this.#applied.size > MAX_APPLIED) this.#applied.delete(this.#applied.values().next().value as number);
  }

  #distrust(): void {
    this.#epoch++;
    this.#synced = false;
    this.#generation++;
    this.#cache.clear();
  }

  /** Cached credentials are used only while every revocation is known to have reached this process. */
  #trusted(): boolean {
    return this.#options.cacheTtlMs > 0 && this.#synced && this.#options.bus.healthy();
  }

  /**
   * Reads identity's revocation log after our position and applies what the bus did not deliver
   * (one read at a time). Never throws: a failed read leaves the cache untrusted until one succeeds.
   */
  catchUp(): Promise<void> {
    if (this.#catchingUp) {
      this.#readAgain = true;
      return this.#catchingUp;
    }
    this.#catchingUp = (async () => {
      do {
        this.#readAgain = false;
        await this.#readLog();
      } while (this.#readAgain);
    })().finally(() => {
      this.#catchingUp = undefined;
    });
    return this.#catchingUp;
  }

  async #readLog(): Promise<void> {
    const epoch = this.#epoch;
    try {
      const result = await this.#identity<{ _authInvalidations: AuthInvalidationLog }>(INVALIDATIONS_QUERY, {
        afterSeq: this.#lastSeq ?? null,
      });
      const log = result.data?._authInvalidations;
      if (!log) throw new Error(`revocation log unreadable: ${JSON.stringify(result.errors ?? result.status)}`);
      if (log.reset) this.#invalidateAll();
      for (const event of log.events) {
        if (this.#applied.has(event.seq)) continue;
        this.#remember(event.seq);
        this.invalidate(event);
      }
      this.#lastSeq = Math.max(this.#lastSeq ?? 0, log.head);
      this.#synced = epoch === this.#epoch;
      if (this.#catchUpFailing) this.#options.logger.info('revocation log readable again');
      this.#catchUpFailing = false;
    } catch (err) {
      this.#synced = false;
      if (!this.#catchUpFailing) this.#options.logger.warn({ err }, 'revocation log unreadable; not trusting cache');
      this.#catchUpFailing = true;
    }
  }

  /** The caller's principal; ANONYMOUS when no credential is presented. Throws 401 on a bad one, 429 over the limit. */
  async authenticate(request: AuthRequest): Promise<Principal> {
    const credential = credentialOf(request.headers);
    const signature = header(request.headers, 'x-signature');
    if (!credential) {
      if (signature) throw new TrellisError('invalid_signature', 'A signature was sent without an API key');
      return ANONYMOUS;
    }
    const resolved = await this.#resolve(credential);
    const principal = resolved.principal;
    const isApiKey = principal.kind === 'api_key';
    if (signature) {
      if (!isApiKey) throw new TrellisError('invalid_signature', 'Only API keys sign requests');
      await this.#verifySignature(credential, resolved, request);
    } else if (isApiKey && this.#options.hmacRequired) {
      // No exception, not even verifyApiKey: it returns the signing secret, which must never be had for the
      // key alone. An SDK keeps the secret it was shown at creation (or rotation) and signs its first call too.
      throw new TrellisError('invalid_signature', 'This deployment requires signed requests (X-Signature)');
    }
    if (isApiKey) {
      await this.#options.apiKeyRateLimiter?.consume(principal.id, { keyId: principal.id });
      this.#recordUse(principal.id);
    }
    return bindWorkflow(principal, header(request.headers, 'x-workflow-id'));
  }

  async #verifySignature(apiKey: string, resolved: ResolvedCredential, request: AuthRequest): Promise<void> {
    const signature = header(request.headers, 'x-signature');
    const timestampHeader = header(request.headers, 'x-signature-timestamp');
    if (!signature || !timestampHeader)
      throw new TrellisError('invalid_signature', 'X-Signature and X-Signature-Timestamp are required');
    const version = signatureVersion(request.headers, this.#options.hmacMinVersion ?? 1);
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
    const line = version === 2 ? requestLine(request) : undefined;
    const body = request.rawBody ?? '';
    const secrets = [resolved.signingSecret, resolved.previousSigningSecret].filter((s): s is string => !!s);
    const given = signature.trim().toLowerCase();
    // Check every secret (no early exit) so timing does not tell which one matched.
    let matched = false;
    for (const secret of secrets)
      matched = safeEqual(apiKeySignature(secret, timestampHeader, apiKey, body, line), given) || matched;
    if (!matched) throw new TrellisError('invalid_signature', 'The signature does not match the request');
    // Claimed only once the signature holds, so nobody can burn another key's nonces.
    if (line) await this.#claimNonce(resolved.principal.id, line.nonce);
  }

  /** Accepts each (key, nonce) once while a signature can be valid: from `skew` before to max age after. */
  async #claimNonce(keyId: string, nonce: string): Promise<void> {
    const cache = this.#options.nonceCache;
    if (!cache) throw new TrellisError('invalid_signature', 'Version 2 signatures are not accepted here');
    try {
      await cache.consume(`${keyId}:${nonce}`);
    } catch (error) {
      if (!(error instanceof TrellisError) || error.code !== 'rate_limited') throw error;
      throw new TrellisError('invalid_signature', 'This nonce was already used: the request is a replay', {
        field: 'X-Signature-Nonce',
      });
    }
  }

  /**
   * Resolves the credential of a live stream afresh (never from the cache), when an invalidation
   * concerns it. Throws `unauthenticated` when it no longer authenticates, `service_unavailable`
   * when identity cannot tell.
   */
  async reauthenticate(headers: IncomingHttpHeaders): Promise<Principal> {
    const credential = credentialOf(headers);
    if (!credential) throw new TrellisError('unauthenticated', 'Missing credentials');
    this.#cache.delete(sha256Hex(credential));
    return (await this.#resolve(credential)).principal;
  }

  async #resolve(credential: string): Promise<ResolvedCredential> {
    const hash = sha256Hex(credential);
    const now = Date.now();
    const trusted = this.#trusted();
    const cached = trusted ? this.#cache.get(hash) : undefined;
    if (cached && cached.expiresAt > now) {
      if (now >= cached.refreshAt) this.#refreshAhead(credential, hash, cached);
      return cached.resolved;
    }
    if (cached) this.#cache.delete(hash);
    if (!API_KEY_PREFIX.test(credential) && !credential.startsWith('trs_'))
      throw new TrellisError('unauthenticated', 'Unrecognised credential');
    return this.#lookUp(credential, hash, trusted);
  }

  /**
   * Looks `entry`'s credential up again while the entry goes on answering. A credential identity no longer
   * authenticates is dropped at once instead of at expiry; an unreachable identity leaves the entry to expire.
   */
  #refreshAhead(credential: string, hash: string, entry: CacheEntry): void {
    entry.refreshAt = Number.POSITIVE_INFINITY;
    this.#lookUp(credential, hash, true).catch((error: unknown) => {
      if (error instanceof TrellisError && error.code === 'unauthenticated' && this.#cache.get(hash) === entry)
        this.#cache.delete(hash);
    });
  }

  /** Asks identity (joining a look-up of the same credential started since the last invalidation) and caches the answer. */
  async #lookUp(credential: string, hash: string, trusted: boolean): Promise<ResolvedCredential> {
    const generation = this.#generation;
    // A burst on a credential not (or no longer) cached asks identity once, not once per request. Only
    // a lookup started since the last invalidation is joined: one from before it may answer what the
    // invalidation withdrew.
    const inFlight = trusted ? this.#inFlight.get(hash) : undefined;
    if (inFlight && inFlight.generation === generation) return inFlight.resolved;
    const resolved = this.#fetch(credential);
    if (trusted) {
      const entry = { generation, resolved };
      this.#inFlight.set(hash, entry);
      const done = () => {
        if (this.#inFlight.get(hash) === entry) this.#inFlight.delete(hash);
      };
      resolved.then(done, done);
    }
    const answer = await resolved;
    const ttl = this.#options.cacheTtlMs;
    // An invalidation that arrived while identity was answering may concern this credential: do not cache.
    if (trusted && this.#trusted() && generation === this.#generation) {
      // Deleted first, so a refreshed entry counts as the newest when a full cache drops its oldest.
      this.#cache.delete(hash);
      if (this.#cache.size >= MAX_CACHE_ENTRIES) this.#cache.delete(this.#cache.keys().next().value as string);
      const lived = Date.now() + ttl;
      const expiresAt = Math.min(lived, answer.expiresAt ?? Number.POSITIVE_INFINITY);
      // An entry that ends with the credential itself is not refreshed: a look-up would end it at the same time.
      const refreshAt = expiresAt === lived ? expiresAt - ttl * REFRESH_AHEAD_SHARE : Number.POSITIVE_INFINITY;
      this.#cache.set(hash, { resolved: answer, expiresAt, refreshAt });
    }
    return answer;
  }

  async #identity<T>(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ data?: T; errors?: unknown[]; status: number }> {
    const target = {
      url: this.#options.identityUrl,
      secret: this.#options.internalSecret,
      service: 'gateway',
      fetch: this.#options.fetch,
    };
    const result = await internalGraphQL<T>(target, query, variables).catch((error: Error) => {
      throw serviceUnavailable('The identity service is unreachable', error);
    });
    return { ...result, data: result.data ?? undefined };
  }

  async #fetch(credential: string): Promise<ResolvedCredential> {
    const body = await this.#identity<{
      _authenticate: null | {
        principal: string;
        signingSecret?: string | null;
        previousSigningSecret?: string | null;
        expiresAt?: string | null;
      };
    }>(RESOLVE_QUERY, { credential });
    if (body.errors?.length || !body.data) {
      // Identity already logged its own outage (service_unavailable); anything else is ours to report.
      const codes = (body.errors as { extensions?: { code?: unknown } }[] | undefined)?.map((e) => e.extensions?.code);
      if (!codes?.every((code) => code === 'service_unavailable'))
        this.#options.logger.error({ errors: body.errors, status: body.status }, 'credential resolution failed');
      throw serviceUnavailable('Credentials could not be checked; retry later');
    }
    const result = body.data._authenticate;
    if (!result) throw new TrellisError('unauthenticated', 'Invalid, expired or revoked credential');
    return {
      principal: JSON.parse(result.principal) as Principal,
      signingSecret: result.signingSecret ?? undefined,
      previousSigningSecret: result.previousSigningSecret ?? undefined,
      expiresAt: result.expiresAt ? Date.parse(result.expiresAt) : undefined,
    };
  }

  #recordUse(keyId: string): void {
    if ((this.#options.usageFlushMs ?? DEFAULT_USAGE_FLUSH_MS) <= 0) return;
    const entry = this.#usage.get(keyId);
    const now = Date.now();
    if (entry) {
      entry.count++;
      entry.lastUsedAt = now;
    } else this.#usage.set(keyId, { count: 1, lastUsedAt: now });
  }

  /** Writes the usage counted since the last flush (lastUsedAt, per-key counts) to identity in one call. */
  async flushUsage(): Promise<void> {
    if (this.#flushing) return this.#flushing;
    if (this.#usage.size === 0) return;
    const batch = [...this.#usage].map(([keyId, u]) => ({
      keyId,
      count: u.count,
      lastUsedAt: new Date(u.lastUsedAt).toISOString(),
    }));
    this.#usage.clear();
    this.#flushing = (async () => {
      try {
        const result = await this.#identity(USAGE_MUTATION, { usage: batch });
        if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
      } catch (err) {
        // Usage is best-effort bookkeeping: keep the counts for the next flush instead of losing them.
        for (const u of batch) {
          const entry = this.#usage.get(u.keyId);
          if (entry) entry.count += u.count;
          else this.#usage.set(u.keyId, { count: u.count, lastUsedAt: Date.parse(u.lastUsedAt) });
        }
        this.#options.logger.warn({ err, keys: batch.length }, 'API key usage flush failed; will retry');
      } finally {
        this.#flushing = undefined;
      }
    })();
    return this.#flushing;
  }
}

/** The authenticator every edge process (gateway, standalone REST adapter) builds from configuration. */
export async function startAuthenticator(
  platform: Platform,
  logger: Logger,
  identity: { url: string; fetch?: InProcessFetch },
): Promise<Authenticator> {
  const { auth } = platform.config;
  const authenticator = new Authenticator({
    identityUrl: identity.url,
    internalSecret: platform.internalSecret,
    bus: platform.bus,
    logger,
    cacheTtlMs: auth.cacheTtlMs,
    hmacRequired: auth.hmacRequired,
    hmacMaxAgeSeconds: auth.hmacMaxAgeSeconds,
    hmacMinVersion: auth.hmacMinVersion,
    nonceCache: createRateLimiter(platform, {
      name: 'sig-nonce',
      points: 1,
      durationSeconds: auth.hmacMaxAgeSeconds + MAX_FUTURE_SKEW_SECONDS,
    }),
    revocationPollMs: auth.revocationPollMs,
    apiKeyRateLimiter: createApiKeyRateLimiter(platform),
    ...(identity.fetch ? { fetch: identity.fetch } : {}),
  });
  await authenticator.start();
  return authenticator;
}
