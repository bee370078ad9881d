/**
 * Invitations: an admin invites an email address with a role; the invitee
 * accepts or declines through a single-use link token (stored as a digest).
 * Pending invitations expire after `expiresInHours` (default 7 days).
 * Accepting runs in one transaction that locks the invitation, so a second
 * accept (or an accept racing a revoke) is a 409.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PublishAuthInvalidation } from '../../kernel/auth-invalidation.ts';
import { requireOrgAccess } from '../../kernel/authz.ts';
import { invalidField, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import type { Logger } from '../../kernel/logger.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { decodeCursor, type Page, type PageArgs, pageSize, toPage } from '../../kernel/pagination.ts';
import { authorize } from '../../kernel/permissions.ts';
import type { Principal, Role } from '../../kernel/principal.ts';
import { sha256Hex } from '../../kernel/secrets.ts';
import type { AccountService, IssuedSession } from './accounts.ts';
import { isWellFormedToken, newInvitationToken } from './credentials.ts';
import {
  Invitation,
  type InvitationRow,
  Membership,
  Organization,
  type OrganizationRow,
  Team,
  TeamMember,
  User,
} from './entities.ts';
import { assertCanGrant } from './organizations.ts';
import {
  type AuthThrottle,
  assertNamedOrg,
  isUniqueViolation,
  parseRole,
  type SendMail,
  validateEmail,
} from './support.ts';

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'revoked' | 'expired';

export const statusOf = (invitation: InvitationRow, now = new Date()): InvitationStatus =>
  invitation.status === 'pending' && invitation.expiresAt <= now ? 'expired' : (invitation.status as InvitationStatus);

export interface InvitationAcceptance {
  invitation: InvitationRow;
  organization: OrganizationRow;
  role: Role;
  session: IssuedSession | null;
}

export const DEFAULT_INVITATION_TTL_HOURS = 24 * 7;
const MAX_INVITATION_TTL_HOURS = 24 * 30;

const notFound = () => new TrellisError('not_found', 'Invitation not found');

function assertPending(invitation: InvitationRow): void {
  const status = statusOf(invitation);
  if (status !== 'pending') throw new TrellisError('conflict', `This invitation is ${status}`, { details: { status } });
}

export class InvitationService {
  private readonly em: EntityManager;
  private readonly invalidate: PublishAuthInvalidation;
  private readonly throttle: AuthThrottle;
  private readonly log: Logger;
  private readonly sendMail: SendMail;
  private readonly requestId: string | undefined;

  constructor(
    em: EntityManager,
    options: { invalidate: PublishAuthInvalidation; throttle: AuthThrottle; log: Logger; sendMail: SendMail },
    requestId?: string,
  ) {
    this.em = em;
    this.invalidate = options.invalidate;
    this.throttle = options.throttle;
    this.log = options.log;
    this.sendMail = options.sendMail;
    this.requestId = requestId;
  }

  /** Authorization (`invitations:write` in input.orgId) is declared on the mutation. */
  async create(
    principal: Principal,
    input: { orgId: string; email: string; role?: unknown; expiresInHours?: number | null },
    team?: { teamId: string; teamRole: string },
  ) {
    const email = validateEmail(input.email, 'input.email');
    const ttlHours = input.expiresInHours ?? DEFAULT_INVITATION_TTL_HOURS;
    if (!Number.isInteger(ttlHours) || ttlHours < 1 || ttlHours > MAX_INVITATION_TTL_HOURS)
      throw invalidField('input.expiresInHours', `expiresInHours must be from 1 to ${MAX_INVITATION_TTL_HOURS}`);
    const role = parseRole(input.role ?? 'member', 'input.role');
    assertCanGrant(principal, input.orgId, role, 'input.role');
    const org = await this.em.findOne(Organization, { id: input.orgId, deletedAt: null });
    if (!org) throw new TrellisError('not_found', 'Organization not found');
    const existing = await this.em.findOne(User, { email });
    if (existing && (await this.em.count(Membership, { orgId: org.id, userId: existing.id })))
      throw new TrellisError('already_exists', 'This person is already a member', { field: 'input.email' });
    // An expired pending invitation no longer blocks a new one.
    await this.em.nativeUpdate(
      Invitation,
      { orgId: org.id, email, status: 'pending', expiresAt: { $lte: new Date() } },
      { status: 'revoked', updatedAt: new Date() },
    );
    const token = newInvitationToken();
    const now = new Date();
    const invitation = this.em.create(Invitation, {
      id: newId('inv'),
      orgId: org.id,
      email,
      role,
      tokenHash: sha256Hex(token),
      status: 'pending',
      invitedBy: principal.userId ?? principal.id,
      acceptedBy: null,
      teamId: team?.teamId ?? null,
      teamRole: team?.teamRole ?? null,
      expiresAt: new Date(now.getTime() + ttlHours * 3_600_000),
      respondedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    recordEvent(this.em, {
      orgId: org.id,
      type: 'invitation.created',
      subject: { type: 'invitation', id: invitation.id },
      data: {
        invitationId: invitation.id,
        email,
        role,
        expiresAt: invitation.expiresAt.toISOString(),
        ...(team ? { teamId: team.teamId, teamRole: team.teamRole } : {}),
      },
      actor: principal,
      requestId: this.requestId,
    });
    await this.em.flush().catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new TrellisError('already_exists', 'A pending invitation for this email exists; resend it instead', {
          field: 'input.email',
        });
      throw error;
    });
    await this.sendMail({
      kind: 'invitation',
      to: email,
      token,
      expiresAt: invitation.expiresAt,
      organizationName: org.name,
    });
    return { invitation, token };
  }

  async list(orgId: string, status: InvitationStatus | null | undefined, page: PageArgs): Promise<Page<InvitationRow>> {
    const limit = pageSize(page.limit);
    const after = decodeCursor(page.cursor, { c: 'time', i: 'text' });
    const now = new Date();
    const filter: Record<string, unknown> = { orgId };
    if (status === 'expired') Object.assign(filter, { status: 'pending', expiresAt: { $lte: now } });
    else if (status === 'pending') Object.assign(filter, { status: 'pending', expiresAt: { $gt: now } });
    else if (status) filter.status = status;
    if (after)
      filter.$or = [{ createdAt: { $lt: new Date(after.c) } }, { createdAt: new Date(after.c), id: { $lt: after.i } }];
    const rows = await this.em.find(Invitation, filter, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: limit + 1,
    });
    return toPage(rows, limit, (r) => ({ c: r.createdAt.toISOString(), i: r.id }));
  }

  /** A team's invitations, newest first (authorization is declared on the field). */
  forTeam(teamId: string, status: InvitationStatus | null | undefined): Promise<InvitationRow[]> {
    const now = new Date();
    const where: Record<string, unknown> = { teamId };
    if (status === 'pending') Object.assign(where, { status: 'pending', expiresAt: { $gt: now } });
    else if (status === 'expired') Object.assign(where, { status: 'pending', expiresAt: { $lte: now } });
    else if (status) where.status = status;
    return this.em.find(Invitation, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 200 });
  }

  /** What the invitee sees before answering: no credentials needed, only the token. */
  async info(token: string) {
    const invitation = await this.#byToken(this.em, token);
    const org = await this.em.findOne(Organization, { id: invitation.orgId, deletedAt: null });
    if (!org) throw notFound();
    const inviter = invitation.invitedBy.startsWith('usr_')
      ? await this.em.findOne(User, { id: invitation.invitedBy })
      : null;
    return {
      organizationName: org.name,
      organizationSlug: org.slug,
      email: invitation.email,
      role: invitation.role,
      status: statusOf(invitation),
      expiresAt: invitation.expiresAt,
      invitedByName: inviter?.name ?? null,
    };
  }

  async #byToken(em: EntityManager, token: string, lock = false): Promise<InvitationRow> {
    if (!isWellFormedToken(token, 'tri_')) throw notFound();
    const invitation = await em.findOne(
      Invitation,
      { tokenHash: sha256Hex(token) },
      lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
    if (!invitation) throw notFound();
    return invitation;
  }

  /**
   * Accepts by link token. A signed-in user accepts for themselves (the
   * invitation must be addressed to their email); without credentials the
   * invitee gives a password, which signs in the existing account of that
   * email or creates it, and gets a session back.
   */
  async acceptByToken(
    principal: Principal,
    token: string,
    input: { password?: string | null; name?: string | null },
    accounts: AccountService,
    clientIp?: string,
  ): Promise<InvitationAcceptance> {
    if (principal.kind === 'api_key' || principal.kind === 'service')
      throw new TrellisError('forbidden', 'An invitation is accepted by a person, not an API key');
    if (principal.kind === 'anonymous') {
      if (!input.password)
        throw new TrellisError('validation_failed', 'Sign in, or give a password for the invited account', {
          field: 'input.password',
        });
      const preview = await this.#byToken(this.em, token);
      await this.throttle.limiter.consume(this.throttle.key('login', clientIp, preview.email));
    }
    return this.#accept(principal, (em) => this.#byToken(em, token, true), input, accounts);
  }

  /** Accepts by id: for a signed-in user to whom the invitation is addressed (anyone else: 404). */
  async acceptById(principal: Principal, id: string, accounts: AccountService): Promise<InvitationAcceptance> {
    if (principal.kind !== 'user' || !principal.userId)
      throw new TrellisError('forbidden', 'An invitation is accepted by a signed-in user');
    const user = await this.em.findOneOrFail(User, { id: principal.userId });
    return this.#accept(
      principal,
      async (em) => {
        const invitation = await em.findOne(Invitation, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!invitation || invitation.email !== user.email) throw notFound();
        return invitation;
      },
      {},
      accounts,
    );
  }

  async #accept(
    principal: Principal,
    load: (em: EntityManager) => Promise<InvitationRow>,
    input: { password?: string | null; name?: string | null },
    accounts: AccountService,
  ): Promise<InvitationAcceptance> {
    const result = await this.em.transactional(async (em) => {
      const invitation = await load(em);
      assertPending(invitation);
      const organization = await em.findOne(Organization, { id: invitation.orgId, deletedAt: null });
      if (!organization) throw notFound();
      let userId: string;
      let session: IssuedSession | null = null;
      if (principal.kind === 'user' && principal.userId) {
        const user = await em.findOneOrFail(User, { id: principal.userId });
        if (user.email !== invitation.email)
          throw new TrellisError('forbidden', 'This invitation is addressed to another email address');
        userId = user.id;
      } else {
        session = await accounts.withEm(em).sessionForInvitee(invitation.email, input.password ?? '', input.name);
        userId = session.user.id;
      }
      if (await em.count(Membership, { orgId: invitation.orgId, userId }))
        throw new TrellisError('already_exists', 'You are already a member of this organization');
      const now = new Date();
      em.create(Membership, {
        id: newId('mem'),
        orgId: invitation.orgId,
        userId,
        role: invitation.role,
        createdAt: now,
      });
      if (invitation.teamId && (await em.count(Team, { id: invitation.teamId })))
        em.create(TeamMember, {
          id: newId('tmm'),
          teamId: invitation.teamId,
          orgId: invitation.orgId,
          userId,
          role: invitation.teamRole ?? 'member',
          createdAt: now,
        });
      invitation.status = 'accepted';
      invitation.acceptedBy = userId;
      invitation.respondedAt = now;
      invitation.updatedAt = now;
      const actor = principal.kind === 'anonymous' ? { ...principal, kind: 'user' as const, id: userId } : principal;
      recordEvent(em, {
        orgId: invitation.orgId,
        type: 'invitation.accepted',
        subject: { type: 'invitation', id: invitation.id },
        data: { invitationId: invitation.id, userId, role: invitation.role },
        actor,
        requestId: this.requestId,
      });
      recordEvent(em, {
        orgId: invitation.orgId,
        type: 'member.added',
        subject: { type: 'user', id: userId },
        data: { userId, role: invitation.role, invitationId: invitation.id },
        actor,
        requestId: this.requestId,
      });
      return { invitation, organization, role: invitation.role as Role, session, userId };
    });
    await this.invalidate({ userIds: [result.userId] });
    return result;
  }

  async decline(token: string) {
    await this.em.transactional(async (em) => {
      const invitation = await this.#byToken(em, token, true);
      assertPending(invitation);
      const now = new Date();
      invitation.status = 'declined';
      invitation.respondedAt = now;
      invitation.updatedAt = now;
      recordEvent(em, {
        orgId: invitation.orgId,
        type: 'invitation.declined',
        subject: { type: 'invitation', id: invitation.id },
        data: { invitationId: invitation.id },
        requestId: this.requestId,
      });
    });
    return this.info(token);
  }

  /** An invitation the caller may manage: another organization's is 404, too weak a role 403. */
  async #manageable(em: EntityManager, principal: Principal, id: string, orgId?: string | null) {
    assertNamedOrg(principal, orgId);
    const invitation = await em.findOne(Invitation, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!invitation || (orgId && invitation.orgId !== orgId)) throw notFound();
    requireOrgAccess(principal, invitation.orgId, 'Invitation');
    authorize(principal, 'invitations:write', invitation.orgId);
    return invitation;
  }

  async revoke(principal: Principal, id: string, orgId?: string | null): Promise<InvitationRow> {
    return this.em.transactional(async (em) => {
      const invitation = await this.#manageable(em, principal, id, orgId);
      if (invitation.status !== 'pending')
        throw new TrellisError('conflict', `This invitation is ${invitation.status}`, {
          details: { status: invitation.status },
        });
      invitation.status = 'revoked';
      invitation.updatedAt = new Date();
      recordEvent(em, {
        orgId: invitation.orgId,
        type: 'invitation.revoked',
        subject: { type: 'invitation', id: invitation.id },
        data: { invitationId: invitation.id },
        actor: principal,
        requestId: this.requestId,
      });
      return invitation;
    });
  }

  /** Issues a fresh link (the old one stops working) and a fresh expiry; only pending invitations. */
  async resend(principal: Principal, id: string, orgId?: string | null) {
    const token = newInvitationToken();
    const { invitation, organizationName } = await this.em.transactional(async (em) => {
      const invitation = await this.#manageable(em, principal, id, orgId);
      if (invitation.status !== 'pending')
        throw new TrellisError('conflict', `This invitation is ${invitation.status}`, {
          details: { status: invitation.status },
        });
      const now = new Date();
      invitation.tokenHash = sha256Hex(token);
      invitation.expiresAt = new Date(now.getTime() + DEFAULT_INVITATION_TTL_HOURS * 3_600_000);
      invitation.updatedAt = now;
      const org = await em.findOneOrFail(Organization, { id: invitation.orgId });
      return { invitation, organizationName: org.name };
    });
    await this.sendMail({
      kind: 'invitation',
      to: invitation.email,
      token,
      expiresAt: invitation.expiresAt,
      organizationName,
    });
    return { invitation, token };
  }
}
