/**
 * Users as a platform sees them: administration (platform administrators only), the personal-data
 * export and erasure (GDPR).
 *
 * Erasure keeps the `users` row — other rows and other subgraphs reference the id — but empties it:
 * email becomes `erased+<id>@erased.invalid`, name, avatar, username and acceptances are cleared, the
 * password can never match, and `erased_at` is set. Memberships, team memberships, sessions, reset
 * tokens and pending invitations to the email go; API keys the user minted are revoked. Organizations
 * where the user was the only member are deleted with them; one where they are the last owner beside
 * other members must get another owner first (409). Each organization the user belonged to receives a
 * `user.erased` event (`data.userId`), on which every other subgraph scrubs its own copy.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PublishAuthInvalidation } from '../../kernel/auth-invalidation.ts';
import { requirePlatformAdmin } from '../../kernel/authz.ts';
import { TrellisError } from '../../kernel/errors.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { decodeCursor, type Page, type PageArgs, pageSize, toPage } from '../../kernel/pagination.ts';
import type { Principal } from '../../kernel/principal.ts';
import { cleanUsername } from './accounts.ts';
import {
  ApiKey,
  Invitation,
  Membership,
  Organization,
  PasswordReset,
  Session,
  TeamMember,
  User,
  type UserRow,
} from './entities.ts';
import { isUniqueViolation, requireUser, validateEmail } from './support.ts';

export interface ErasedUser {
  id: string;
  erasedAt: Date;
  organizationIds: string[];
  deletedOrganizationIds: string[];
}

/** A password hash no password matches (argon2 verification of it fails). */
const UNUSABLE_PASSWORD = '!erased';

export class UserService {
  private readonly em: EntityManager;
  private readonly invalidate: PublishAuthInvalidation;
  private readonly requestId: string | undefined;

  constructor(em: EntityManager, invalidate: PublishAuthInvalidation, requestId?: string) {
    this.em = em;
    this.invalidate = invalidate;
    this.requestId = requestId;
  }

  async list(principal: Principal, search: string | null | undefined, page: PageArgs): Promise<Page<UserRow>> {
    requirePlatformAdmin(principal);
    const limit = pageSize(page.limit);
    const after = decodeCursor(page.cursor, { c: 'time', i: 'text' });
    const where: Record<string, unknown> = { erasedAt: null };
    const term = search?.trim();
    if (term) {
      if (term.length > 254) throw new TrellisError('validation_failed', 'search is too long', { field: 'search' });
      const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.$and = [{ $or: [{ email: { $ilike: like } }, { username: { $ilike: like } }] }];
    }
    if (after)
      where.$or = [{ createdAt: { $lt: new Date(after.c) } }, { createdAt: new Date(after.c), id: { $lt: after.i } }];
    const rows = await this.em.find(User, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 });
    return toPage(rows, limit, (u) => ({ c: u.createdAt.toISOString(), i: u.id }));
  }

  async get(principal: Principal, id: string): Promise<UserRow | null> {
    requirePlatformAdmin(principal);
    return this.em.findOne(User, { id, erasedAt: null });
  }

  async update(
    principal: Principal,
    id: string,
    input: { username?: string | null; email?: string | null; role?: string | null },
  ): Promise<UserRow> {
    requirePlatformAdmin(principal);
    const user = await this.em.findOne(User, { id, erasedAt: null });
    if (!user) throw new TrellisError('not_found', 'User not found');
    if (input.email != null) user.email = validateEmail(input.email, 'input.email');
    if (input.username !== undefined) user.username = cleanUsername(input.username, 'input.username');
    if (input.role != null) {
      const admin = input.role.toUpperCase() === 'ADMIN';
      if (!admin && user.id === principal.userId)
        throw new TrellisError('conflict', 'You cannot remove your own platform administrator role', {
          field: 'input.role',
        });
      user.platformAdmin = admin;
    }
    user.updatedAt = new Date();
    await this.em.flush().catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new TrellisError('already_exists', 'This email or username is taken', {
          field: String((error as { constraint?: string }).constraint ?? '').includes('username')
            ? 'input.username'
            : 'input.email',
        });
      throw error;
    });
    // The user's cached principal carries platformAdmin: drop it.
    await this.invalidate({ userIds: [user.id] });
    return user;
  }

  /** `DELETE /v1/me`: platform administrators cannot erase themselves (another admin must). */
  async eraseSelf(principal: Principal): Promise<ErasedUser> {
    const userId = requireUser(principal, 'Deleting an account');
    if (principal.platformAdmin)
      throw new TrellisError('forbidden', 'A platform administrator cannot delete their own account', {
        details: { reason: 'platform_admin' },
      });
    return this.erase(principal, userId);
  }

  /** `DELETE /v1/users/{id}`: platform administrators, never their own account. */
  async eraseOther(principal: Principal, id: string): Promise<ErasedUser> {
    requirePlatformAdmin(principal);
    if (id === principal.userId)
      throw new TrellisError('forbidden', 'You cannot delete your own account here', { field: 'id' });
    return this.erase(principal, id);
  }

  private async erase(principal: Principal, userId: string): Promise<ErasedUser> {
    const result = await this.em.transactional(async (em) => {
      const user = await em.findOne(User, { id: userId, erasedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!user) throw new TrellisError('not_found', 'User not found');
      const now = new Date();
      const memberships = await em.find(Membership, { userId });
      const organizationIds: string[] = [];
      const deletedOrganizationIds: string[] = [];
      const affectedUsers = new Set<string>([userId]);
      for (const membership of memberships) {
        const org = await em.findOne(
          Organization,
          { id: membership.orgId, deletedAt: null },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (!org) continue;
        organizationIds.push(org.id);
        const others = await em.find(Membership, { orgId: org.id, userId: { $ne: userId } });
        if (others.length === 0) {
          org.deletedAt = now;
          org.updatedAt = now;
          deletedOrganizationIds.push(org.id);
          recordEvent(em, {
            orgId: org.id,
            type: 'organization.deleted',
            subject: { type: 'organization', id: org.id },
            data: { name: org.name, slug: org.slug, reason: 'owner_erased' },
            actor: principal,
            requestId: this.requestId,
          });
        } else if (membership.role === 'owner' && !others.some((m) => m.role === 'owner')) {
          throw new TrellisError(
            'conflict',
            `This account is the last owner of ${org.name}: make another member owner first`,
            { details: { organizationId: org.id } },
          );
        }
        for (const other of others) affectedUsers.add(other.userId);
        recordEvent(em, {
          orgId: org.id,
          type: 'user.erased',
          subject: { type: 'user', id: userId },
          data: { userId },
          actor: principal,
          requestId: this.requestId,
        });
      }
      await em.nativeDelete(Membership, { userId });
      await em.nativeDelete(TeamMember, { userId });
      await em.nativeDelete(PasswordReset, { userId });
      await em.nativeUpdate(Session, { userId, revokedAt: null }, { revokedAt: now });
      const keys = await em.find(ApiKey, { createdBy: userId, revokedAt: null });
      for (const key of keys) {
        key.revokedAt = now;
        key.previousKeyHash = null;
        key.previousKeyExpiresAt = null;
        key.updatedAt = now;
      }
      const erasedEmail = `erased+${userId}@erased.invalid`;
      await em.nativeUpdate(
        Invitation,
        { email: user.email },
        { email: erasedEmail, status: 'revoked', updatedAt: now },
      );
      Object.assign(user, {
        email: erasedEmail,
        name: null,
        avatarUrl: null,
        username: null,
        defaultOrgId: null,
        termsAcceptedAt: null,
        privacyAcceptedAt: null,
        passwordHash: UNUSABLE_PASSWORD,
        platformAdmin: false,
        erasedAt: now,
        updatedAt: now,
      });
      return {
        erased: { id: userId, erasedAt: now, organizationIds, deletedOrganizationIds },
        keyIds: keys.map((k) => k.id),
        userIds: [...affectedUsers],
      };
    });
    await this.invalidate({ userIds: result.userIds, keyIds: result.keyIds });
    return result.erased;
  }

  /** Everything identity holds about the caller, for download before an erasure. */
  async export(principal: Principal): Promise<Record<string, unknown>> {
    const userId = requireUser(principal, 'Exporting account data');
    const user = await this.em.findOne(User, { id: userId, erasedAt: null });
    if (!user) throw new TrellisError('not_found', 'User not found');
    const [memberships, teams, sessions, keys, invitations] = await Promise.all([
      this.em.find(Membership, { userId }, { orderBy: { createdAt: 'asc' } }),
      this.em.find(TeamMember, { userId }, { orderBy: { createdAt: 'asc' } }),
      this.em.find(Session, { userId }, { orderBy: { createdAt: 'asc' } }),
      this.em.find(ApiKey, { createdBy: userId }, { orderBy: { createdAt: 'asc' } }),
      this.em.find(
        Invitation,
        { $or: [{ email: user.email }, { invitedBy: userId }] },
        { orderBy: { createdAt: 'asc' } },
      ),
    ]);
    return {
      exportedAt: new Date().toISOString(),
      user: {
        id: user.id,
        email: user.email,
        username: user.username,
        name: user.name,
        avatarUrl: user.avatarUrl,
        defaultOrganizationId: user.defaultOrgId,
        platformRole: user.platformAdmin ? 'admin' : 'user',
        termsAcceptedAt: user.termsAcceptedAt?.toISOString() ?? null,
        privacyAcceptedAt: user.privacyAcceptedAt?.toISOString() ?? null,
        onboardedAt: user.onboardedAt?.toISOString() ?? null,
        createdAt: user.createdAt.toISOString(),
      },
      memberships: memberships.map((m) => ({ organizationId: m.orgId, role: m.role, joinedAt: m.createdAt })),
      teams: teams.map((t) => ({ teamId: t.teamId, organizationId: t.orgId, role: t.role, addedAt: t.createdAt })),
      // Sessions without their token digests: when each sign-in happened and until when it ran.
      sessions: sessions.map((s) => ({
        id: s.id,
        createdAt: s.createdAt,
        expiresAt: s.expiresAt,
        revokedAt: s.revokedAt,
      })),
      apiKeys: keys.map((k) => ({
        id: k.id,
        organizationId: k.orgId,
        name: k.name,
        description: k.description,
        prefix: k.prefix,
        scopes: k.scopes,
        createdAt: k.createdAt,
        revokedAt: k.revokedAt,
        lastUsedAt: k.lastUsedAt,
      })),
      invitations: invitations.map((i) => ({
        id: i.id,
        organizationId: i.orgId,
        email: i.email,
        role: i.role,
        status: i.status,
        sentByMe: i.invitedBy === userId,
        createdAt: i.createdAt,
      })),
    };
  }
}
