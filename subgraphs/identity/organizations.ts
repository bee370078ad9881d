/** Organizations and memberships. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PublishAuthInvalidation } from '../../kernel/auth-invalidation.ts';
import { invalidField, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import type { Principal } from '../../kernel/principal.ts';
import { Membership, Organization } from './entities.ts';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
}

export class OrganizationService {
  private readonly em: EntityManager;
  private readonly invalidate: PublishAuthInvalidation;

  constructor(em: EntityManager, invalidate: PublishAuthInvalidation) {
    this.em = em;
    this.invalidate = invalidate;
  }

  async create(principal: Principal, input: { name: string; slug?: string | null }, requestId?: string) {
    if (principal.kind !== 'user' || !principal.userId)
      throw new TrellisError('forbidden', 'Only a signed-in user can create an organization');
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw invalidField('input.name', 'name must be 1 to 100 characters');
    const slug = input.slug ?? slugify(name);
    if (!SLUG.test(slug))
      throw invalidField('input.slug', 'slug must be lowercase letters, digits and dashes (at most 48)');
    if (await this.em.count(Organization, { slug }))
      throw new TrellisError('already_exists', `The slug ${slug} is taken`, { field: 'input.slug' });
    const now = new Date();
    const org = this.em.create(Organization, {
      id: newId('org'),
      name,
      slug,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    this.em.create(Membership, {
      id: newId('mem'),
      orgId: org.id,
      userId: principal.userId,
      role: 'owner',
      createdAt: now,
    });
    recordEvent(this.em, {
      orgId: org.id,
      type: 'organization.created',
      subject: { type: 'organization', id: org.id },
      data: { name, slug },
      actor: principal,
      requestId,
    });
    await this.em.flush().catch((error: { code?: string }) => {
      if (error.code === '23505')
        throw new TrellisError('already_exists', `The slug ${slug} is taken`, { field: 'input.slug' });
      throw error;
    });
    // The creator's cached principal lacks the new membership until it is dropped.
    await this.invalidate({ userIds: [principal.userId] });
    return org;
  }

  async get(id: string) {
    return this.em.findOne(Organization, { id, deletedAt: null });
  }

  async listFor(orgIds: string[]) {
    if (orgIds.length === 0) return [];
    return this.em.find(Organization, { id: { $in: orgIds }, deletedAt: null }, { orderBy: { createdAt: 'asc' } });
  }
}
