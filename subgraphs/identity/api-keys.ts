/** API keys: minted once, stored as a hash, scoped, bound to one organization. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidField, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { type Principal, roleIn } from '../../kernel/principal.ts';
import { type SecretBox, sha256Hex } from '../../kernel/secrets.ts';
import { displayPrefix, newApiKey, newSigningSecret } from './credentials.ts';
import { ApiKey } from './entities.ts';

const SCOPE = /^(\*|[a-z_]+:(read|write|\*))$/;

export function validateScopes(scopes: string[] | null | undefined, field = 'input.scopes'): string[] {
  const list = scopes && scopes.length > 0 ? scopes : ['*'];
  for (const scope of list)
    if (!SCOPE.test(scope))
      throw invalidField(field, `scope "${scope}" must be <resource>:read, <resource>:write or *`);
  return [...new Set(list)];
}

export class ApiKeyService {
  private readonly em: EntityManager;
  private readonly box: SecretBox;

  constructor(em: EntityManager, box: SecretBox) {
    this.em = em;
    this.box = box;
  }

  async create(
    principal: Principal,
    input: { orgId: string; name: string; scopes?: string[] | null; expiresAt?: Date | null },
    requestId?: string,
  ) {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw invalidField('input.name', 'name must be 1 to 100 characters');
    const scopes = validateScopes(input.scopes);
    if (input.expiresAt && input.expiresAt <= new Date())
      throw invalidField('input.expiresAt', 'expiresAt must be in the future');
    const role = roleIn(principal, input.orgId);
    if (!role) throw new TrellisError('org_mismatch');
    const id = newId('key');
    const key = newApiKey('live');
    const signingSecret = newSigningSecret();
    const apiKey = this.em.create(ApiKey, {
      id,
      orgId: input.orgId,
      name,
      prefix: displayPrefix(key),
      keyHash: sha256Hex(key),
      scopes,
      role,
      workflowId: null,
      createdBy: principal.userId ?? principal.id,
      signingSecretSealed: this.box.seal(signingSecret, id),
      expiresAt: input.expiresAt ?? null,
      disabledAt: null,
      revokedAt: null,
      lastUsedAt: null,
      createdAt: new Date(),
    });
    recordEvent(this.em, {
      orgId: input.orgId,
      type: 'api_key.created',
      subject: { type: 'api_key', id },
      data: { name, prefix: apiKey.prefix, scopes },
      actor: principal,
      requestId,
    });
    await this.em.flush();
    return { apiKey, key, signingSecret };
  }
}
