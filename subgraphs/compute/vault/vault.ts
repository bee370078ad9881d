/**
 * The credentials vault (seed 004, docs/credentials.md): an organization's named secrets, sealed with
 * the kernel's SecretBox (AES-256-GCM) and bound to their row (`<orgId>/<key>` is the additional data,
 * so a sealed value copied to another row or organization does not open). Lists never carry values;
 * a value leaves the vault only through `reveal` (scope `credentials:reveal`) or `openForExecution`
 * (the platform's own jobs, pipeline nodes and AI providers), and both leave an event in the audit trail.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { verifyInternalRecord } from '../../../kernel/ai-call-record.ts';
import { invalidField, TrellisError } from '../../../kernel/errors.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import type { Principal } from '../../../kernel/principal.ts';
import type { SecretBox } from '../../../kernel/secrets.ts';
import { date, dateOrNull, one, type Row, rows, strOrNull, textArray } from '../sql.ts';

/** Names look like environment variables or dotted paths: `OPENAI_API_KEY`, `github.token`. */
const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
const MAX_VALUE_BYTES = 64 * 1024;
const MAX_DESCRIPTION = 500;
const MAX_CREDENTIALS_PER_ORG = 1000;

export interface Credential {
  key: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string | null;
  lastAccessedAt: Date | null;
}

const credentialFromRow = (r: Row): Credential => ({
  key: String(r.key),
  description: strOrNull(r.description),
  createdAt: date(r.created_at),
  updatedAt: date(r.updated_at),
  updatedBy: strOrNull(r.updated_by),
  lastAccessedAt: dateOrNull(r.last_accessed_at),
});

/** What the AES-GCM tag binds a sealed value to. */
const sealContext = (orgId: string, key: string) => `vault:${orgId}/${key}`;

export function checkCredentialKey(key: unknown, field = 'key'): string {
  if (typeof key !== 'string' || !KEY_PATTERN.test(key))
    throw invalidField(field, `${field} is 1–128 of A–Z a–z 0–9 _ . - and starts with a letter or _`);
  return key;
}

/**
 * The keys among `keys` that the organization's vault does not hold: the one existence check for what
 * pipeline nodes and jobs name (they are refused with a 422 before anything is stored).
 */
export async function missingCredentials(em: EntityManager, orgId: string, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const found = new Set(
    (
      await rows(em, 'select key from vault_credentials where org_id = ? and key = any(?::text[])', [
        orgId,
        textArray([...keys]),
      ])
    ).map((r) => String(r.key)),
  );
  return keys.filter((key) => !found.has(key));
}

/** Who or what receives a value at execution, for the audit trail (`credential.accessed`). */
export interface ExecutionAccess {
  orgId: string;
  key: string;
  /** What runs with it: `job`, `workflow_run`, `ai_provider`, … */
  purpose: string;
  /** The job, run or provider that receives it. */
  subject: { type: string; id: string };
  /** The principal the execution runs for, when there is one. */
  actor?: Principal;
  requestId?: string;
}

export class VaultService {
  readonly #em: EntityManager;
  readonly #box: SecretBox;
  readonly #internalSecret: string;

  constructor(em: EntityManager, box: SecretBox, internalSecret: string) {
    this.#em = em;
    this.#box = box;
    this.#internalSecret = internalSecret;
  }

  async list(orgId: string): Promise<Credential[]> {
    const found = await rows(
      this.#em,
      `select key, description, created_at, updated_at, updated_by, last_accessed_at
         from vault_credentials where org_id = ? order by key limit ${MAX_CREDENTIALS_PER_ORG}`,
      [orgId],
    );
    return found.map(credentialFromRow);
  }

  /** Creates or replaces `key`; the value is sealed before it reaches the database and never returned. */
  async put(
    principal: Principal,
    orgId: string,
    input: { key: string; value: string; description?: string | null },
    requestId?: string,
  ): Promise<Credential> {
    const key = checkCredentialKey(input.key, 'key');
    if (typeof input.value !== 'string' || input.value.length === 0)
      throw invalidField('value', 'value is a non-empty string');
    if (Buffer.byteLength(input.value) > MAX_VALUE_BYTES) throw invalidField('value', 'value is at most 64 KiB');
    const description = input.description?.trim() || null;
    if (description && description.length > MAX_DESCRIPTION)
      throw invalidField('description', `description is at most ${MAX_DESCRIPTION} characters`);
    const sealed = this.#box.seal(input.value, sealContext(orgId, key));
    return this.#em.transactional(async (tx) => {
      const count = await one<{ n: string }>(tx, 'select count(*) as n from vault_credentials where org_id = ?', [
        orgId,
      ]);
      const row = (await one(
        tx,
        `insert into vault_credentials (org_id, key, description, sealed_value, created_at, updated_at, updated_by)
         values (?, ?, ?, ?, now(), now(), ?)
         on conflict (org_id, key) do update set description = excluded.description,
           sealed_value = excluded.sealed_value, updated_at = now(), updated_by = excluded.updated_by
         returning key, description, created_at, updated_at, updated_by, last_accessed_at,
           (xmax = 0) as inserted`,
        [orgId, key, description, sealed, principal.id],
      )) as Row;
      const inserted = row.inserted === true;
      if (inserted && Number(count?.n ?? 0) >= MAX_CREDENTIALS_PER_ORG)
        throw new TrellisError('conflict', `An organization holds at most ${MAX_CREDENTIALS_PER_ORG} credentials`, {
          field: 'key',
        });
      recordEvent(tx, {
        orgId,
        type: inserted ? 'credential.created' : 'credential.updated',
        subject: { type: 'credential', id: key },
        data: { key, description },
        actor: principal,
        requestId,
      });
      return credentialFromRow(row);
    });
  }

  /** The value, for a caller with `credentials:reveal`; the read is in the audit trail. */
  async reveal(principal: Principal, orgId: string, key: string, requestId?: string) {
    checkCredentialKey(key);
    return this.#em.transactional(async (tx) => {
      const row = await this.#touch(tx, orgId, key);
      recordEvent(tx, {
        orgId,
        type: 'credential.revealed',
        subject: { type: 'credential', id: key },
        data: { key },
        actor: principal,
        requestId,
      });
      return { ...credentialFromRow(row), value: this.#open(orgId, row) };
    });
  }

  async delete(principal: Principal, orgId: string, key: string, requestId?: string): Promise<boolean> {
    checkCredentialKey(key);
    return this.#em.transactional(async (tx) => {
      const row = await one(tx, 'delete from vault_credentials where org_id = ? and key = ? returning key', [
        orgId,
        key,
      ]);
      if (!row) throw new TrellisError('not_found', 'Credential not found', { field: 'key' });
      recordEvent(tx, {
        orgId,
        type: 'credential.deleted',
        subject: { type: 'credential', id: key },
        data: { key },
        actor: principal,
        requestId,
      });
      return true;
    });
  }

  /**
   * The internal way a job, a pipeline node or an AI provider receives a secret by name, at the
   * moment it runs (never stored with the job or run): opens the value and records
   * `credential.accessed` (purpose and subject) in the same transaction. Not found → 404 naming the key.
   */
  async openForExecution(access: ExecutionAccess): Promise<string> {
    const key = checkCredentialKey(access.key, 'credential');
    return this.#em.transactional(async (tx) => {
      const row = await this.#touch(tx, access.orgId, key);
      recordEvent(tx, {
        orgId: access.orgId,
        type: 'credential.accessed',
        subject: { type: 'credential', id: key },
        data: { key, purpose: access.purpose, subjectType: access.subject.type, subjectId: access.subject.id },
        actor: access.actor,
        requestId: access.requestId,
      });
      return this.#open(access.orgId, row);
    });
  }

  /** Like `openForExecution`, but an absent credential is `null` (a provider may fall back to configuration). */
  async openIfPresent(access: ExecutionAccess): Promise<string | null> {
    try {
      return await this.openForExecution(access);
    } catch (error) {
      if (error instanceof TrellisError && error.code === 'not_found') return null;
      throw error;
    }
  }

  /**
   * A provider's `credential` for the calling organization, asked by the AI gateway (its signature
   * proves it: a caller cannot read values through this field); null when the organization has none.
   */
  async openForProvider(
    principal: Principal,
    request: { orgId: string; provider: string; key: string; signature: string },
    requestId?: string,
  ): Promise<string | null> {
    const { signature, ...record } = request;
    if (!verifyInternalRecord(this.#internalSecret, 'vault-provider-credential', record, signature))
      throw new TrellisError('forbidden', 'Only the AI gateway reads provider credentials', { field: 'signature' });
    return this.openIfPresent({
      orgId: record.orgId,
      key: record.key,
      purpose: 'ai_provider',
      subject: { type: 'ai_provider', id: record.provider },
      actor: principal,
      requestId,
    });
  }

  async #touch(tx: EntityManager, orgId: string, key: string): Promise<Row> {
    const row = await one(
      tx,
      `update vault_credentials set last_accessed_at = now() where org_id = ? and key = ?
       returning key, description, sealed_value, created_at, updated_at, updated_by, last_accessed_at`,
      [orgId, key],
    );
    if (!row) throw new TrellisError('not_found', `Credential ${key} not found`, { field: 'key' });
    return row;
  }

  #open(orgId: string, row: Row): string {
    try {
      return this.#box.open(String(row.sealed_value), sealContext(orgId, String(row.key)));
    } catch (cause) {
      // Another encryption key, or a tampered row: never a wrong value.
      throw new TrellisError('internal', 'The credential could not be decrypted', { cause });
    }
  }
}
