/**
 * Organizations and memberships. Every change that alters who may do what
 * drops the affected cached principals on every gateway (auth invalidation)
 * after it commits; role changes and removals run in one transaction that
 * locks the organization's owners, so the last owner can never be lost.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PublishAuthInvalidation } from '../../kernel/auth-invalidation.ts';
import { invalidField, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { decodeCursor, type Page, type PageArgs, pageSize, toPage } from '../../kernel/pagination.ts';
import { type Principal, type Role, roleIn, roleRank } from '../../kernel/principal.ts';
import { ApiKey, Membership, Organization, type OrganizationRow, TeamMember, User, type UserRow } from './entities.ts';
import { isUniqueViolation, parseRole, validateEmail } from './support.ts';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
}

/**
 * The slug an organization gets when none was asked for: its name's, with a
 * short random tail when that one is taken — two organizations may share a
 * name, and nobody should be refused a slug they never chose.
 */
export async function freeSlug(em: EntityManager, name: string): Promise<string> {
  const slug = slugify(name) || 'org';
  if (!(await em.count(Organization, { slug }))) return slug;
  return `${slug.slice(0, 40)}-${newId('x').slice(-6).toLowerCase()}`;
}

function validateName(value: string, field: string): string {
  const name = value.trim();
  if (name.length < 1 || name.length > 100) throw invalidField(field, 'name must be 1 to 100 characters');
  return name;
}

function validateSlug(slug: string, field: string): string {
  if (!SLUG.test(slug)) throw invalidField(field, 'slug must be lowercase letters, digits and dashes (at most 48)');
  return slug;
}

export interface MemberView {
  orgId: string;
  userId: string;
  role: Role;
  joinedAt: Date;
  user: UserRow;
}

export class OrganizationService {
  private readonly em: EntityManager;
  private readonly invalidate: PublishAuthInvalidation;
  private readonly requestId: string | undefined;

  constructor(em: EntityManager, invalidate: PublishAuthInvalidation, requestId?: string) {
    this.em = em;
    this.invalidate = invalidate;
    this.requestId = requestId;
  }

  /** The same service on another entity manager (a transaction). */
  withEm(em: EntityManager): OrganizationService {
    return new OrganizationService(em, this.invalidate, this.requestId);
  }

  /** Adds the organization and its owner to the unit of work (the caller flushes). */
  stage(
    principal: Principal,
    userId: string,
    input: { name: string; slug?: string | null; billingEmail?: string | null },
  ) {
    const name = validateName(input.name, 'input.name');
    const base = input.slug ?? slugify(name);
    const slug = validateSlug(input.slug == null && base === '' ? 'org' : base, 'input.slug');
    const billingEmail = input.billingEmail ? validateEmail(input.billingEmail, 'input.billingEmail') : null;
    const now = new Date();
    const org = this.em.create(Organization, {
      id: newId('org'),
      name,
      slug,
      billingEmail,
      createdBy: userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    this.em.create(Membership, { id: newId('mem'), orgId: org.id, userId, role: 'owner', createdAt: now });
    recordEvent(this.em, {
      orgId: org.id,
      type: 'organization.created',
      subject: { type: 'organization', id: org.id },
      data: { name, slug },
      actor: principal,
      requestId: this.requestId,
    });
    recordEvent(this.em, {
      orgId: org.id,
      type: 'member.added',
      subject: { type: 'user', id: userId },
      data: { userId, role: 'owner' },
      actor: principal,
      requestId: this.requestId,
    });
    return org;
  }

  async create(
    principal: Principal,
    input: { name: string; slug?: string | null; billingEmail?: string | null },
  ): Promise<OrganizationRow> {
    if (principal.kind !== 'user' || !principal.userId)
      throw new TrellisError('forbidden', 'Only a signed-in user can create an organization');
    // Checked before staging: a query would auto-flush the staged row and find it.
    if (input.slug != null && (await this.em.count(Organization, { slug: input.slug })))
      throw new TrellisError('already_exists', `The slug ${input.slug} is taken`, { field: 'input.slug' });
    const slug = input.slug ?? (await freeSlug(this.em, input.name));
    const org = this.stage(principal, principal.userId, { ...input, slug });
    await this.em.flush().catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new TrellisError('already_exists', `The slug ${org.slug} is taken`, { field: 'input.slug' });
      throw error;
    });
    // The creator's cached principal lacks the new membership until it is dropped.
    await this.invalidate({ userIds: [principal.userId] });
    return org;
  }

  async get(id: string): Promise<OrganizationRow | null> {
    return this.em.findOne(Organization, { id, deletedAt: null });
  }

  async listFor(orgIds: string[]): Promise<OrganizationRow[]> {
    if (orgIds.length === 0) return [];
    return this.em.find(Organization, { id: { $in: orgIds }, deletedAt: null }, { orderBy: { createdAt: 'asc' } });
  }

  /** Authorization (`organizations:write`) is declared on the mutation. */
  async update(
    principal: Principal,
    id: string,
    input: { name?: string | null; slug?: string | null; billingEmail?: string | null },
  ): Promise<OrganizationRow> {
    const org = await this.em.findOne(Organization, { id, deletedAt: null });
    if (!org) throw new TrellisError('not_found', 'Organization not found');
    const changes: Record<string, unknown> = {};
    if (input.name != null) changes.name = org.name = validateName(input.name, 'input.name');
    if (input.slug != null && input.slug !== org.slug) changes.slug = org.slug = validateSlug(input.slug, 'input.slug');
    if (input.billingEmail !== undefined)
      changes.billingEmail = org.billingEmail = input.billingEmail
        ? validateEmail(input.billingEmail, 'input.billingEmail')
        : null;
    if (Object.keys(changes).length === 0) return org;
    org.updatedAt = new Date();
    recordEvent(this.em, {
      orgId: org.id,
      type: 'organization.updated',
      subject: { type: 'organization', id: org.id },
      data: { changes: Object.keys(changes), name: org.name, slug: org.slug },
      actor: principal,
      requestId: this.requestId,
    });
    await this.em.flush().catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new TrellisError('already_exists', `The slug ${org.slug} is taken`, { field: 'input.slug' });
      throw error;
    });
    return org;
  }

  /**
   * Soft delete (owner only, declared on the mutation): the organization stops
   * resolving, its members lose access and its API keys stop authenticating.
   */
  async delete(principal: Principal, id: string): Promise<{ id: string; deletedAt: Date }> {
    const now = new Date();
    const { userIds, keyIds } = await this.em.transactional(async (em) => {
      const org = await em.findOne(Organization, { id, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!org) throw new TrellisError('not_found', 'Organization not found');
      org.deletedAt = now;
      org.updatedAt = now;
      const members = await em.find(Membership, { orgId: id });
      const keys = await em.find(ApiKey, { orgId: id, revokedAt: null });
      recordEvent(em, {
        orgId: id,
        type: 'organization.deleted',
        subject: { type: 'organization', id },
        data: { name: org.name, slug: org.slug },
        actor: principal,
        requestId: this.requestId,
      });
      return { userIds: members.map((m) => m.userId), keyIds: keys.map((k) => k.id) };
    });
    await this.invalidate({ userIds, keyIds });
    return { id, deletedAt: now };
  }

  async members(orgId: string, page: PageArgs): Promise<Page<MemberView>> {
    const limit = pageSize(page.limit);
    const after = decodeCursor(page.cursor, { c: 'time', i: 'text' });
    const rows = await this.em.find(
      Membership,
      after
        ? {
            orgId,
            $or: [{ createdAt: { $gt: new Date(after.c) } }, { createdAt: new Date(after.c), id: { $gt: after.i } }],
          }
        : { orgId },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 },
    );
    const users = await this.em.find(User, { id: { $in: rows.map((m) => m.userId) } });
    const byId = new Map(users.map((u) => [u.id, u]));
    const views = rows.flatMap((m) => {
      const user = byId.get(m.userId);
      return user ? [{ orgId, userId: m.userId, role: m.role as Role, joinedAt: m.createdAt, user, _id: m.id }] : [];
    });
    const result = toPage(views, limit, (v) => ({ c: v.joinedAt.toISOString(), i: v._id }));
    return result;
  }

  async addMember(principal: Principal, orgId: string, input: { email: string; role: unknown }): Promise<MemberView> {
    const email = validateEmail(input.email, 'input.email');
    const role = parseRole(input.role, 'input.role');
    assertCanGrant(principal, orgId, role, 'input.role');
    const user = await this.em.findOne(User, { email });
    if (!user)
      throw new TrellisError('not_found', 'No account uses this email; send an invitation instead', {
        field: 'input.email',
      });
    if (await this.em.count(Membership, { orgId, userId: user.id }))
      throw new TrellisError('already_exists', 'This user is already a member', { field: 'input.email' });
    const membership = this.em.create(Membership, {
      id: newId('mem'),
      orgId,
      userId: user.id,
      role,
      createdAt: new Date(),
    });
    recordEvent(this.em, {
      orgId,
      type: 'member.added',
      subject: { type: 'user', id: user.id },
      data: { userId: user.id, role },
      actor: principal,
      requestId: this.requestId,
    });
    await this.em.flush().catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new TrellisError('already_exists', 'This user is already a member', { field: 'input.email' });
      throw error;
    });
    await this.invalidate({ userIds: [user.id] });
    return { orgId, userId: user.id, role, joinedAt: membership.createdAt, user };
  }

  async changeRole(principal: Principal, orgId: string, userId: string, roleInput: unknown): Promise<MemberView> {
    const role = parseRole(roleInput, 'role');
    const view = await this.em.transactional(async (em) => {
      const owners = await lockOwners(em, orgId);
      const membership = await em.findOne(Membership, { orgId, userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!membership) throw new TrellisError('not_found', 'Member not found', { field: 'userId' });
      const from = membership.role as Role;
      assertCanManage(principal, orgId, from, role);
      if (from === role) return { membership, from };
      if (from === 'owner' && owners.length === 1)
        throw new TrellisError('conflict', 'The last owner cannot be demoted; make someone else owner first', {
          field: 'role',
        });
      membership.role = role;
      recordEvent(em, {
        orgId,
        type: 'member.role_changed',
        subject: { type: 'user', id: userId },
        data: { userId, from, to: role },
        actor: principal,
        requestId: this.requestId,
      });
      return { membership, from };
    });
    if (view.from !== role) await this.invalidate({ userIds: [userId] });
    const user = await this.em.findOneOrFail(User, { id: userId });
    return { orgId, userId, role, joinedAt: view.membership.createdAt, user };
  }

  async removeMember(
    principal: Principal,
    orgId: string,
    userId: string,
  ): Promise<{ organizationId: string; userId: string }> {
    await this.em.transactional(async (em) => {
      const owners = await lockOwners(em, orgId);
      const membership = await em.findOne(Membership, { orgId, userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!membership) throw new TrellisError('not_found', 'Member not found', { field: 'userId' });
      const role = membership.role as Role;
      if (principal.userId !== userId) assertCanManage(principal, orgId, role, role);
      if (role === 'owner' && owners.length === 1)
        throw new TrellisError('conflict', 'The last owner cannot be removed; make someone else owner first', {
          field: 'userId',
        });
      em.remove(membership);
      await em.nativeDelete(TeamMember, { orgId, userId });
      recordEvent(em, {
        orgId,
        type: 'member.removed',
        subject: { type: 'user', id: userId },
        data: { userId, role },
        actor: principal,
        requestId: this.requestId,
      });
    });
    await this.invalidate({ userIds: [userId] });
    return { organizationId: orgId, userId };
  }
}

async function lockOwners(em: EntityManager, orgId: string) {
  const org = await em.findOne(Organization, { id: orgId, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!org) throw new TrellisError('not_found', 'Organization not found');
  return em.find(Membership, { orgId, role: 'owner' });
}

/** Only an owner may grant the owner role; nobody grants more than they hold. */
export function assertCanGrant(principal: Principal, orgId: string, role: Role, field: string): void {
  const mine = roleIn(principal, orgId);
  if (!mine || roleRank(role) > roleRank(mine))
    throw new TrellisError('forbidden', `Granting the ${role} role needs the ${role} role or higher`, {
      field,
      details: { requiredRole: role, role: mine ?? null },
    });
}

/** Admins manage members up to admin; owners and their role changes need an owner. */
function assertCanManage(principal: Principal, orgId: string, from: Role, to: Role): void {
  const mine = roleIn(principal, orgId);
  const needed = roleRank(from) >= roleRank(to) ? from : to;
  if (!mine || roleRank(mine) < roleRank(needed) || (needed === 'owner' && mine !== 'owner'))
    throw new TrellisError('forbidden', `Managing a member with the ${needed} role needs the ${needed} role`, {
      details: { requiredRole: needed, role: mine ?? null },
    });
}
