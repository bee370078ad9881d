/**
 * API keys: minted once, stored as a SHA-256 digest, scoped, bound to one
 * organization (and optionally one workflow). Lifecycle:
 *
 * - disable / enable: reversible stop;  revoke: permanent stop;
 * - roll: a new key (and signing secret) replaces the old one at once;
 * - rotate: a new key, the old one keeps working for `graceHours` (default 24);
 * - rotateSecret: a new HMAC signing secret in place (the old one is accepted
 *   for `graceSeconds`, default 0), announced as `api_key.secret_rotated`.
 *
 * Every change that can end a credential publishes an auth invalidation after
 * commit, so every gateway replica drops its cached copy at once. Usage
 * (lastUsedAt, per-hour request counts) arrives in batches from the gateways.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PublishAuthInvalidation } from '../../kernel/auth-invalidation.ts';
import { requireOrgAccess } from '../../kernel/authz.ts';
import { invalidField, TrellisError } from '../../kernel/errors.ts';
import { isWorkflowId, newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { decodeCursor, type Page, type PageArgs, pageSize, toPage } from '../../kernel/pagination.ts';
import { authorize, isValidScope, SCOPE_RESOURCES, VALID_SCOPES } from '../../kernel/permissions.ts';
import { hasScope, type Principal, roleIn } from '../../kernel/principal.ts';
import { type SecretBox, sha256Hex } from '../../kernel/secrets.ts';
import { displayPrefix, type KeyEnvironment, newApiKey, newSigningSecret } from './credentials.ts';
import { ApiKey, type ApiKeyRow, Organization } from './entities.ts';
import { assertNamedOrg } from './support.ts';

export const DEFAULT_GRACE_HOURS = 24;
const MAX_GRACE_HOURS = 24 * 30;
const MAX_SECRET_GRACE_SECONDS = 24 * 3600;

export type ApiKeyStatus = 'active' | 'disabled' | 'revoked' | 'expired';

export const keyStatus = (key: ApiKeyRow, now = new Date()): ApiKeyStatus =>
  key.revokedAt
    ? 'revoked'
    : key.disabledAt
      ? 'disabled'
      : key.expiresAt && key.expiresAt <= now
        ? 'expired'
        : 'active';

/** A key's scopes: each one of the permission table's (kernel/permissions.ts); none means `*`. */
export function validateScopes(scopes: string[] | null | undefined, field = 'input.scopes'): string[] {
  const list = scopes && scopes.length > 0 ? scopes : ['*'];
  if (list.length > 50) throw invalidField(field, 'at most 50 scopes');
  const unknown = list.filter((scope) => !isValidScope(scope));
  if (unknown.length > 0)
    throw new TrellisError(
      'validation_failed',
      `Unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => JSON.stringify(s)).join(', ')}: ` +
        `a scope is * or <resource>:read, <resource>:write or <resource>:*, with <resource> one of ` +
        `${SCOPE_RESOURCES.join(', ')} (details.validScopes lists every one)`,
      { field, details: { unknown, validScopes: VALID_SCOPES } },
    );
  return [...new Set(list)];
}

export interface MintedKey {
  apiKey: ApiKeyRow;
  key: string;
  signingSecret: string;
}

export interface UsageReport {
  keyId: string;
  count: number;
  /** ISO time of the latest use in the batch. */
  lastUsedAt: string;
}

export class ApiKeyService {
  private readonly em: EntityManager;
  private readonly box: SecretBox;
  private readonly invalidate: PublishAuthInvalidation;
  private readonly requestId: string | undefined;

  constructor(em: EntityManager, box: SecretBox, invalidate: PublishAuthInvalidation, requestId?: string) {
    this.em = em;
    this.box = box;
    this.invalidate = invalidate;
    this.requestId = requestId;
  }

  /** Authorization (`api_keys:write` in input.orgId) is declared on the mutation. */
  async create(
    principal: Principal,
    input: {
      orgId: string;
      name: string;
      scopes?: string[] | null;
      expiresAt?: Date | null;
      workflowId?: string | null;
      environment?: string | null;
      description?: string | null;
    },
  ): Promise<MintedKey> {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw invalidField('input.name', 'name must be 1 to 100 characters');
    const scopes = validateScopes(input.scopes);
    if (input.expiresAt && input.expiresAt <= new Date())
      throw invalidField('input.expiresAt', 'expiresAt must be in the future');
    const workflowId = input.workflowId ?? principal.workflowId ?? null;
    if (workflowId && !isWorkflowId(workflowId))
      throw invalidField('input.workflowId', 'workflowId must be a workflow id (wf_…)');
    const environment = (input.environment ?? 'live').toLowerCase();
    if (environment !== 'live' && environment !== 'test')
      throw invalidField('input.environment', 'environment must be live or test');
    // A key may mint keys, but never with more than it holds itself.
    if (principal.kind === 'api_key') {
      const wider = scopes.filter((s) => !coveredBy(principal, s));
      if (wider.length > 0)
        throw new TrellisError('insufficient_scope', 'A key cannot mint a key with scopes it does not hold', {
          field: 'input.scopes',
          details: { scopes: wider },
        });
      if (principal.workflowId && workflowId !== principal.workflowId)
        throw new TrellisError('forbidden', 'A workflow-bound key can only mint keys for its workflow', {
          field: 'input.workflowId',
        });
    }
    const role = roleIn(principal, input.orgId);
    if (!role) throw new TrellisError('org_mismatch', undefined, { field: 'input.orgId' });
    if (!(await this.em.count(Organization, { id: input.orgId, deletedAt: null })))
      throw new TrellisError('not_found', 'Organization not found');
    const id = newId('key');
    const key = newApiKey(environment as KeyEnvironment);
    const signingSecret = newSigningSecret();
    const now = new Date();
    const apiKey = this.em.create(ApiKey, {
      id,
      orgId: input.orgId,
      name,
      prefix: displayPrefix(key),
      keyHash: sha256Hex(key),
      previousKeyHash: null,
      previousKeyExpiresAt: null,
      scopes,
      role,
      workflowId,
      description: cleanDescription(input.description),
      createdBy: principal.userId ?? principal.id,
      signingSecretSealed: this.box.seal(signingSecret, id),
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      expiresAt: input.expiresAt ?? null,
      disabledAt: null,
      revokedAt: null,
      lastUsedAt: null,
      usageCount: 0,
      createdAt: now,
      updatedAt: now,
    });
    this.#event(principal, apiKey, 'api_key.created', { name, scopes });
    await this.em.flush();
    return { apiKey, key, signingSecret };
  }

  /** A key by id: another organization's key is 404 (and so is one outside a named `orgId`). */
  async get(principal: Principal, id: string, orgId?: string | null): Promise<ApiKeyRow | null> {
    assertNamedOrg(principal, orgId);
    const key = await this.em.findOne(ApiKey, { id });
    if (!key || (orgId && key.orgId !== orgId)) return null;
    requireOrgAccess(principal, key.orgId, 'API key');
    authorize(principal, 'api_keys:read', key.orgId);
    return key;
  }

  /** Authorization (`api_keys:read` in orgId) is declared on the field. */
  async list(
    orgId: string,
    filter: { workflowId?: string | null; includeRevoked?: boolean | null },
    page: PageArgs,
  ): Promise<Page<ApiKeyRow>> {
    const limit = pageSize(page.limit);
    const after = decodeCursor(page.cursor, { c: 'time', i: 'text' });
    const where: Record<string, unknown> = { orgId };
    if (filter.workflowId) where.workflowId = filter.workflowId;
    if (!filter.includeRevoked) where.revokedAt = null;
    if (after)
      where.$or = [{ createdAt: { $lt: new Date(after.c) } }, { createdAt: new Date(after.c), id: { $lt: after.i } }];
    const rows = await this.em.find(ApiKey, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 });
    return toPage(rows, limit, (k) => ({ c: k.createdAt.toISOString(), i: k.id }));
  }

  /** Loads a key for a change, locked, with the same 404/403 rules as `get` plus `api_keys:write`. */
  async #change<T>(
    principal: Principal,
    id: string,
    orgId: string | null | undefined,
    apply: (key: ApiKeyRow, em: EntityManager, now: Date) => T | Promise<T>,
  ): Promise<T> {
    assertNamedOrg(principal, orgId);
    const result = await this.em.transactional(async (em) => {
      const key = await em.findOne(ApiKey, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!key || (orgId && key.orgId !== orgId)) throw new TrellisError('not_found', 'API key not found');
      requireOrgAccess(principal, key.orgId, 'API key');
      authorize(principal, 'api_keys:write', key.orgId);
      const now = new Date();
      const value = await apply(key, em, now);
      key.updatedAt = now;
      return value;
    });
    await this.invalidate({ keyIds: [id] });
    return result;
  }

  disable(principal: Principal, id: string, orgId?: string | null): Promise<ApiKeyRow> {
    return this.#change(principal, id, orgId, (key, em, now) => {
      assertNotRevoked(key);
      if (!key.disabledAt) {
        key.disabledAt = now;
        this.#event(principal, key, 'api_key.disabled', {}, em);
      }
      return key;
    });
  }

  enable(principal: Principal, id: string, orgId?: string | null): Promise<ApiKeyRow> {
    return this.#change(principal, id, orgId, (key) => {
      assertNotRevoked(key);
      key.disabledAt = null;
      return key;
    });
  }

  revoke(principal: Principal, id: string, orgId?: string | null): Promise<ApiKeyRow> {
    return this.#change(principal, id, orgId, (key, em, now) => {
      if (!key.revokedAt) {
        key.revokedAt = now;
        key.previousKeyHash = null;
        key.previousKeyExpiresAt = null;
        this.#event(principal, key, 'api_key.revoked', {}, em);
      }
      return key;
    });
  }

  /**
   * A new key and signing secret under the same id. The old key (and its secret) stop working in the
   * same commit, or after `graceHours` (seed 004's `grace_hours`; 0 to 720, default 0).
   */
  roll(
    principal: Principal,
    id: string,
    orgId: string | null | undefined,
    graceHours?: number | null,
  ): Promise<MintedKey> {
    const grace = graceHours ?? 0;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_HOURS)
      throw invalidField('graceHours', `graceHours must be an integer from 0 to ${MAX_GRACE_HOURS}`);
    return this.#change(principal, id, orgId, (key, em, now) => {
      assertNotRevoked(key);
      const plaintext = newApiKey(environmentOf(key));
      const signingSecret = newSigningSecret();
      const until = grace > 0 ? new Date(now.getTime() + grace * 3_600_000) : null;
      key.previousKeyHash = until ? key.keyHash : null;
      key.previousKeyExpiresAt = until;
      key.previousSecretSealed = until ? key.signingSecretSealed : null;
      key.previousSecretExpiresAt = until;
      key.keyHash = sha256Hex(plaintext);
      key.prefix = displayPrefix(plaintext);
      key.signingSecretSealed = this.box.seal(signingSecret, key.id);
      this.#event(
        principal,
        key,
        'api_key.rolled',
        { graceHours: grace, previousKeyExpiresAt: until?.toISOString() ?? null },
        em,
      );
      return { apiKey: key, key: plaintext, signingSecret };
    });
  }

  /** Seed 004's PATCH: name, description, scopes, expiry, and `active` (false disables, true enables). */
  update(
    principal: Principal,
    id: string,
    orgId: string | null | undefined,
    input: {
      name?: string | null;
      description?: string | null;
      scopes?: string[] | null;
      expiresAt?: Date | null;
      active?: boolean | null;
    },
  ): Promise<ApiKeyRow> {
    const name = input.name == null ? undefined : input.name.trim();
    if (name !== undefined && (name.length < 1 || name.length > 100))
      throw invalidField('input.name', 'name must be 1 to 100 characters');
    const description = input.description === undefined ? undefined : input.description?.trim() || null;
    if (description && description.length > 500)
      throw invalidField('input.description', 'description must be at most 500 characters');
    const scopes = input.scopes == null ? undefined : validateScopes(input.scopes);
    if (input.expiresAt && input.expiresAt <= new Date())
      throw invalidField('input.expiresAt', 'expiresAt must be in the future');
    if (scopes && principal.kind === 'api_key') {
      const wider = scopes.filter((s) => !coveredBy(principal, s));
      if (wider.length > 0)
        throw new TrellisError('insufficient_scope', 'A key cannot grant scopes it does not hold', {
          field: 'input.scopes',
          details: { scopes: wider },
        });
    }
    return this.#change(principal, id, orgId, (key, em, now) => {
      assertNotRevoked(key);
      const changed: string[] = [];
      const set = <K extends 'name' | 'description' | 'scopes' | 'expiresAt' | 'disabledAt'>(
        field: K,
        value: ApiKeyRow[K],
        label: string = field,
      ) => {
        key[field] = value;
        changed.push(label);
      };
      if (name !== undefined && name !== key.name) set('name', name);
      if (description !== undefined && description !== key.description) set('description', description);
      if (scopes) set('scopes', scopes);
      if (input.expiresAt !== undefined) set('expiresAt', input.expiresAt);
      if (input.active === false && !key.disabledAt) set('disabledAt', now, 'active');
      if (input.active === true && key.disabledAt) set('disabledAt', null, 'active');
      if (changed.length) this.#event(principal, key, 'api_key.updated', { changed }, em);
      return key;
    });
  }

  /** A new key under the same id; the current one keeps working for `graceHours`. The signing secret stays. */
  rotate(principal: Principal, id: string, orgId: string | null | undefined, graceHours: number | null | undefined) {
    const grace = graceHours ?? DEFAULT_GRACE_HOURS;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_HOURS)
      throw invalidField('graceHours', `graceHours must be an integer from 0 to ${MAX_GRACE_HOURS}`);
    return this.#change(principal, id, orgId, (key, em, now): MintedKey => {
      assertNotRevoked(key);
      const plaintext = newApiKey(environmentOf(key));
      const previousKeyExpiresAt = grace > 0 ? new Date(now.getTime() + grace * 3_600_000) : null;
      key.previousKeyHash = previousKeyExpiresAt ? key.keyHash : null;
      key.previousKeyExpiresAt = previousKeyExpiresAt;
      key.keyHash = sha256Hex(plaintext);
      key.prefix = displayPrefix(plaintext);
      this.#event(
        principal,
        key,
        'api_key.rotated',
        { graceHours: grace, previousKeyExpiresAt: previousKeyExpiresAt?.toISOString() ?? null },
        em,
      );
      return { apiKey: key, key: plaintext, signingSecret: this.box.open(key.signingSecretSealed, key.id) };
    });
  }

  /** A new HMAC signing secret in place; the previous one is accepted for `graceSeconds` (default 0). */
  rotateSecret(
    principal: Principal,
    id: string,
    orgId: string | null | undefined,
    graceSeconds: number | null | undefined,
  ) {
    const grace = graceSeconds ?? 0;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_SECRET_GRACE_SECONDS)
      throw invalidField('graceSeconds', `graceSeconds must be an integer from 0 to ${MAX_SECRET_GRACE_SECONDS}`);
    return this.#change(principal, id, orgId, (key, em, now) => {
      assertNotRevoked(key);
      const signingSecret = newSigningSecret();
      key.previousSecretSealed = grace > 0 ? key.signingSecretSealed : null;
      key.previousSecretExpiresAt = grace > 0 ? new Date(now.getTime() + grace * 1000) : null;
      key.signingSecretSealed = this.box.seal(signingSecret, key.id);
      this.#event(principal, key, 'api_key.secret_rotated', {}, em);
      return { apiKey: key, signingSecret, previousSecretExpiresAt: key.previousSecretExpiresAt };
    });
  }

  /** `/v1/auth/verify`: the calling key's own metadata and signing secret. */
  async verifySelf(principal: Principal) {
    if (principal.kind !== 'api_key')
      throw new TrellisError('unauthenticated', 'Send the API key to verify in Authorization or X-API-Key');
    const key = await this.em.findOne(ApiKey, { id: principal.id });
    if (!key || keyStatus(key) !== 'active')
      throw new TrellisError('unauthenticated', 'Invalid, expired or revoked credential');
    return {
      valid: true,
      keyId: key.id,
      organizationId: key.orgId,
      prefix: key.prefix,
      scopes: key.scopes,
      workflowId: key.workflowId,
      expiresAt: key.expiresAt,
      signingSecret: this.box.open(key.signingSecretSealed, key.id),
    };
  }

  /** Request counts per day over the last `days` days, oldest first. */
  async usage(keyId: string, days: number | null | undefined) {
    const span = days ?? 7;
    if (!Number.isInteger(span) || span < 1 || span > 90) throw invalidField('days', 'days must be from 1 to 90');
    const rows: { day: Date; requests: string | number }[] = await this.em.getConnection().execute(
      `select date_trunc('day', hour) as day, sum(requests) as requests
         from api_key_usage where key_id = ? and hour >= now() - make_interval(days => ?)
        group by 1 order by 1`,
      [keyId, span],
    );
    return rows.map((r) => ({ day: new Date(r.day), requests: Number(r.requests) }));
  }

  /** Applies one gateway's batch: per-hour counts, running totals and lastUsedAt, in two statements. */
  async recordUsage(reports: UsageReport[]): Promise<number> {
    const valid = reports.filter(
      (r) =>
        typeof r.keyId === 'string' &&
        Number.isInteger(r.count) &&
        r.count > 0 &&
        !Number.isNaN(Date.parse(r.lastUsedAt)),
    );
    if (valid.length === 0) return 0;
    // One JSON parameter: MikroORM inlines parameters, and a JSON string quotes safely.
    const batch = JSON.stringify(
      valid.map((r) => ({ key_id: r.keyId, n: r.count, used_at: new Date(r.lastUsedAt).toISOString() })),
    );
    const rows = `jsonb_to_recordset(?::jsonb) as u(key_id text, n bigint, used_at timestamptz)`;
    const connection = this.em.getConnection();
    await connection.execute(
      `insert into api_key_usage (key_id, hour, requests)
         select u.key_id, date_trunc('hour', u.used_at), sum(u.n)
           from ${rows} join api_keys k on k.id = u.key_id
          group by 1, 2
       on conflict (key_id, hour) do update set requests = api_key_usage.requests + excluded.requests`,
      [batch],
    );
    await connection.execute(
      `update api_keys k set usage_count = k.usage_count + u.n,
              last_used_at = greatest(coalesce(k.last_used_at, u.used_at), u.used_at)
         from (select key_id, sum(n) as n, max(used_at) as used_at from ${rows} group by 1) u
        where k.id = u.key_id`,
      [batch],
    );
    return valid.length;
  }

  #event(
    principal: Principal,
    key: ApiKeyRow,
    type: string,
    extra: Record<string, unknown>,
    em: EntityManager = this.em,
  ): void {
    recordEvent(em, {
      orgId: key.orgId,
      type,
      subject: { type: 'api_key', id: key.id },
      data: { keyId: key.id, prefix: key.prefix, ...(key.workflowId ? { workflowId: key.workflowId } : {}), ...extra },
      actor: principal,
      requestId: this.requestId,
    });
  }
}

function cleanDescription(value: string | null | undefined): string | null {
  const description = value?.trim() || null;
  if (description && description.length > 500)
    throw invalidField('input.description', 'description must be at most 500 characters');
  return description;
}

function assertNotRevoked(key: ApiKeyRow): void {
  if (key.revokedAt) throw new TrellisError('conflict', 'This API key is revoked', { details: { status: 'revoked' } });
}

const environmentOf = (key: ApiKeyRow): KeyEnvironment => (key.prefix.startsWith('trl_test_') ? 'test' : 'live');

/** Whether a key holding `principal`'s scopes may grant `scope`. */
function coveredBy(principal: Principal, scope: string): boolean {
  if (principal.scopes.includes('*')) return true;
  if (scope === '*') return false;
  const [resource, action] = scope.split(':');
  if (action === '*') return principal.scopes.includes(`${resource}:*`);
  return hasScope(principal, scope);
}
