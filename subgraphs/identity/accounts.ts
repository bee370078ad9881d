/**
 * Accounts and sessions: register, login, logout, password reset, profile,
 * onboarding, and the gateway's credential resolution.
 *
 * Passwords are argon2id (@node-rs/argon2 defaults); session and reset tokens
 * are random and stored only as SHA-256 digests. Register, login and
 * forgot-password are rate limited per client IP + email.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hash, verify } from '@node-rs/argon2';
import type { PublishAuthInvalidation } from '../../kernel/auth-invalidation.ts';
import { invalidField, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import type { Logger } from '../../kernel/logger.ts';
import {
  isRole,
  type Principal,
  type Membership as PrincipalMembership,
  type Role,
  roleRank,
} from '../../kernel/principal.ts';
import { type SecretBox, sha256Hex } from '../../kernel/secrets.ts';
import {
  isWellFormedApiKey,
  isWellFormedToken,
  newPasswordResetToken,
  newRefreshToken,
  newSessionToken,
} from './credentials.ts';
import {
  ApiKey,
  Membership,
  Organization,
  type OrganizationRow,
  PasswordReset,
  Session,
  User,
  type UserRow,
} from './entities.ts';
import { freeSlug, type OrganizationService } from './organizations.ts';
import {
  type AuthThrottle,
  isEmail,
  isUniqueViolation,
  normalizeEmail,
  requireUser,
  type SendMail,
  validateEmail,
} from './support.ts';

const MIN_PASSWORD = 10;
const MAX_PASSWORD = 256;
/** A hash to verify against when the email is unknown, so timing does not reveal which emails exist. */
const DUMMY_HASH = await hash('trellis-timing-equaliser');

export function validatePassword(password: string, field = 'password'): void {
  if (password.length < MIN_PASSWORD) throw invalidField(field, `password must be at least ${MIN_PASSWORD} characters`);
  if (password.length > MAX_PASSWORD) throw invalidField(field, `password must be at most ${MAX_PASSWORD} characters`);
}

export const hashPassword = (password: string): Promise<string> => hash(password);

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
  user: UserRow;
}

type NewSession = Omit<IssuedSession, 'user'>;

/** A registration checked and hashed, ready to be written (`AccountService.createAccount`). */
export interface PreparedAccount {
  email: string;
  username: string | null;
  name: string | null;
  passwordHash: string;
  termsAcceptedAt: Date | null;
  privacyAcceptedAt: Date | null;
  now: Date;
}

const emailTaken = () =>
  new TrellisError('already_exists', 'An account with this email already exists', { field: 'input.email' });
const usernameTaken = () => new TrellisError('already_exists', 'This username is taken', { field: 'input.username' });

export interface RegisterInput {
  email: string;
  password: string;
  name?: string | null;
  username?: string | null;
  termsAccepted?: boolean | null;
  privacyAccepted?: boolean | null;
}

const USERNAME = /^[A-Za-z0-9._-]{3,40}$/;

/** A username as stored (trimmed), or null; 422 naming `field` when malformed. */
export function cleanUsername(value: string | null | undefined, field: string): string | null {
  const username = value?.trim();
  if (!username) return null;
  if (!USERNAME.test(username)) throw invalidField(field, 'username must be 3 to 40 letters, digits, ".", "_" or "-"');
  return username;
}

/** Seed 004 requires both acceptances: absent is allowed (seed 000 sends neither), false is refused. */
function acceptance(value: boolean | null | undefined, field: string, now: Date): Date | null {
  if (value === false) throw invalidField(field, `${field.split('.').pop()} must be true to register`);
  return value ? now : null;
}

export interface ResolvedCredential {
  principal: Principal;
  signingSecret?: string;
  previousSigningSecret?: string;
  /** When the gateway must stop trusting its cached copy (credential or grace expiry). */
  expiresAt?: Date;
}

export interface AccountSettings {
  sessionTtlHours: number;
  refreshTokenTtlDays: number;
}

/** How long a password reset token stays usable. */
export const PASSWORD_RESET_TTL_MINUTES = 60;

export class AccountService {
  private readonly em: EntityManager;
  private readonly settings: AccountSettings;
  private readonly throttle: AuthThrottle;
  private readonly invalidate: PublishAuthInvalidation;
  private readonly log: Logger;
  private readonly sendMail: SendMail;

  constructor(
    em: EntityManager,
    settings: AccountSettings,
    throttle: AuthThrottle,
    invalidate: PublishAuthInvalidation,
    log: Logger,
    sendMail: SendMail,
  ) {
    this.em = em;
    this.settings = settings;
    this.throttle = throttle;
    this.invalidate = invalidate;
    this.log = log;
    this.sendMail = sendMail;
  }

  async register(input: RegisterInput, clientIp?: string): Promise<IssuedSession> {
    return this.createAccount(await this.prepareAccount(input, clientIp));
  }

  /**
   * Everything about a registration that needs no transaction: the rate limit, the checks (422/409
   * naming the field) and the password hash (argon2, the slow part, kept out of any transaction).
   */
  async prepareAccount(input: RegisterInput, clientIp?: string): Promise<PreparedAccount> {
    const email = validateEmail(input.email, 'input.email');
    await this.throttle.limiter.consume(this.throttle.key('register', clientIp, email));
    validatePassword(input.password, 'input.password');
    const username = cleanUsername(input.username, 'input.username');
    const now = new Date();
    const termsAcceptedAt = acceptance(input.termsAccepted, 'input.termsAccepted', now);
    const privacyAcceptedAt = acceptance(input.privacyAccepted, 'input.privacyAccepted', now);
    const name = cleanName(input.name, 'input.name');
    if (await this.em.count(User, { email })) throw emailTaken();
    if (username && (await usernameInUse(this.em, username))) throw usernameTaken();
    const passwordHash = await hashPassword(input.password);
    return { email, username, name, passwordHash, termsAcceptedAt, privacyAcceptedAt, now };
  }

  /** Writes the user and its first session (within the caller's transaction when this service runs in one). */
  async createAccount(prepared: PreparedAccount): Promise<IssuedSession> {
    const { now } = prepared;
    return this.em
      .transactional(async (em) => {
        const user = em.create(User, {
          id: newId('usr'),
          email: prepared.email,
          passwordHash: prepared.passwordHash,
          name: prepared.name,
          avatarUrl: null,
          defaultOrgId: null,
          onboardedAt: null,
          username: prepared.username,
          termsAcceptedAt: prepared.termsAcceptedAt,
          privacyAcceptedAt: prepared.privacyAcceptedAt,
          platformAdmin: await isFirstAccount(em),
          erasedAt: null,
          createdAt: now,
          updatedAt: now,
        });
        const session = newSessionRow(em, this.settings, user.id, now);
        await em.flush();
        return { ...session, user };
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error))
          throw String((error as { constraint?: string }).constraint ?? '').includes('username')
            ? usernameTaken()
            : emailTaken();
        throw error;
      });
  }

  /**
   * Exchanges a refresh token: the old session ends, a new one (same family) begins with a new
   * refresh token. A refresh token that was already exchanged is a stolen copy or a replay: every
   * session of that sign-in (the family) is revoked, and the call is refused.
   */
  async refresh(refreshToken: string): Promise<IssuedSession> {
    const invalid = () => new TrellisError('unauthenticated', 'The refresh token is invalid, used or expired');
    if (!isWellFormedToken(refreshToken, 'trf_')) throw invalid();
    const outcome = await this.em.transactional(async (em) => {
      const session = await em.findOne(
        Session,
        { refreshTokenHash: sha256Hex(refreshToken) },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const now = new Date();
      if (!session) return { kind: 'invalid' as const };
      if (session.refreshedAt) {
        const family = await em.find(Session, { familyId: session.familyId ?? session.id, revokedAt: null });
        for (const member of family) member.revokedAt = now;
        return { kind: 'reused' as const, sessionIds: family.map((f) => f.id), userId: session.userId };
      }
      if (session.revokedAt || !session.refreshExpiresAt || session.refreshExpiresAt <= now)
        return { kind: 'invalid' as const };
      const user = await em.findOne(User, { id: session.userId, erasedAt: null });
      if (!user) return { kind: 'invalid' as const };
      session.refreshedAt = now;
      session.revokedAt = now;
      const next = newSessionRow(em, this.settings, user.id, now, session.familyId ?? session.id);
      return { kind: 'issued' as const, issued: { ...next, user }, endedSessionId: session.id };
    });
    if (outcome.kind === 'invalid') throw invalid();
    if (outcome.kind === 'reused') {
      this.log.warn({ userId: outcome.userId }, 'refresh token reused: every session of its sign-in revoked');
      if (outcome.sessionIds.length) await this.invalidate({ sessionIds: outcome.sessionIds });
      throw invalid();
    }
    await this.invalidate({ sessionIds: [outcome.endedSessionId] });
    return outcome.issued;
  }

  async login(emailInput: string, password: string, clientIp?: string): Promise<IssuedSession> {
    const email = normalizeEmail(emailInput);
    const throttleKey = this.throttle.key('login', clientIp, email);
    await this.throttle.limiter.consume(throttleKey);
    const user = await this.em.findOne(User, { email, erasedAt: null }, { populate: ['passwordHash'] });
    const valid = await verify(user?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
    if (!user || !valid) throw new TrellisError('unauthenticated', 'Email or password is incorrect');
    await this.throttle.limiter.reset(throttleKey);
    const session = this.#newSession(user.id, new Date());
    await this.em.flush();
    return { ...session, user };
  }

  /** Signs in (or creates) the account an invitation was addressed to. */
  async sessionForInvitee(email: string, password: string, name: string | null | undefined): Promise<IssuedSession> {
    const existing = await this.em.findOne(User, { email }, { populate: ['passwordHash'] });
    if (existing) {
      if (!(await verify(existing.passwordHash, password).catch(() => false)))
        throw new TrellisError('unauthenticated', 'An account with this email exists: its password is incorrect', {
          field: 'input.password',
        });
      const session = this.#newSession(existing.id, new Date());
      return { ...session, user: existing };
    }
    validatePassword(password, 'input.password');
    const now = new Date();
    const user = this.em.create(User, {
      id: newId('usr'),
      email,
      passwordHash: await hashPassword(password),
      name: cleanName(name, 'input.name'),
      avatarUrl: null,
      defaultOrgId: null,
      onboardedAt: null,
      username: null,
      termsAcceptedAt: null,
      privacyAcceptedAt: null,
      platformAdmin: await isFirstAccount(this.em),
      erasedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    const session = this.#newSession(user.id, now);
    return { ...session, user };
  }

  #newSession(userId: string, now: Date): NewSession {
    return newSessionRow(this.em, this.settings, userId, now);
  }

  /** Ends the caller's session, or every session of the caller's account. */
  async logout(principal: Principal, all: boolean): Promise<{ revokedSessions: number }> {
    const userId = requireUser(principal, 'Logging out');
    const now = new Date();
    if (all) {
      const revoked = await this.em.nativeUpdate(Session, { userId, revokedAt: null }, { revokedAt: now });
      await this.invalidate({ userIds: [userId] });
      return { revokedSessions: revoked };
    }
    if (!principal.sessionId) throw new TrellisError('forbidden', 'Logging out needs a session token');
    const revoked = await this.em.nativeUpdate(
      Session,
      { id: principal.sessionId, userId, revokedAt: null },
      { revokedAt: now },
    );
    await this.invalidate({ sessionIds: [principal.sessionId] });
    return { revokedSessions: revoked };
  }

  /**
   * Always succeeds, so it never reveals whether an account exists. For a known
   * email it issues a single-use reset token and hands it to the mailer.
   */
  async forgotPassword(emailInput: string, clientIp?: string): Promise<boolean> {
    const email = normalizeEmail(emailInput);
    await this.throttle.limiter.consume(this.throttle.key('forgot', clientIp, email));
    const user = isEmail(email) ? await this.em.findOne(User, { email, erasedAt: null }) : null;
    if (!user) return true;
    const token = newPasswordResetToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MINUTES * 60_000);
    // A new request supersedes older unused tokens.
    await this.em.nativeUpdate(PasswordReset, { userId: user.id, usedAt: null }, { usedAt: now });
    this.em.create(PasswordReset, {
      id: newId('pwr'),
      userId: user.id,
      tokenHash: sha256Hex(token),
      expiresAt,
      usedAt: null,
      createdAt: now,
    });
    await this.em.flush();
    await this.sendMail({ kind: 'password_reset', to: user.email, token, expiresAt });
    return true;
  }

  /** Uses a reset token once: sets the password and ends every session of the account. */
  async resetPassword(token: string, password: string): Promise<boolean> {
    const invalid = () => new TrellisError('unauthenticated', 'The reset token is invalid, used or expired');
    if (!isWellFormedToken(token, 'trr_')) throw invalid();
    validatePassword(password, 'password');
    const passwordHash = await hashPassword(password);
    const userId = await this.em.transactional(async (em) => {
      const reset = await em.findOne(
        PasswordReset,
        { tokenHash: sha256Hex(token) },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const now = new Date();
      if (!reset || reset.usedAt || reset.expiresAt <= now) throw invalid();
      reset.usedAt = now;
      const user = await em.findOneOrFail(User, { id: reset.userId });
      user.passwordHash = passwordHash;
      user.updatedAt = now;
      await em.nativeUpdate(Session, { userId: user.id, revokedAt: null }, { revokedAt: now });
      return user.id;
    });
    await this.invalidate({ userIds: [userId] });
    return true;
  }

  async updateProfile(
    principal: Principal,
    input: { name?: string | null; avatarUrl?: string | null; defaultOrganizationId?: string | null },
  ): Promise<UserRow> {
    const userId = requireUser(principal, 'Updating a profile');
    const user = await this.em.findOneOrFail(User, { id: userId });
    if (input.name !== undefined) user.name = cleanName(input.name, 'input.name');
    if (input.avatarUrl !== undefined) user.avatarUrl = cleanUrl(input.avatarUrl, 'input.avatarUrl');
    if (input.defaultOrganizationId !== undefined) {
      const orgId = input.defaultOrganizationId;
      if (orgId && !principal.memberships.some((m) => m.orgId === orgId))
        throw new TrellisError('org_mismatch', undefined, { field: 'input.defaultOrganizationId' });
      user.defaultOrgId = orgId || null;
    }
    user.updatedAt = new Date();
    await this.em.flush();
    return user;
  }

  /**
   * Idempotent first-run setup: the first call creates the caller's first
   * organization (unless they already belong to one) and marks the profile
   * onboarded; later calls return the same result without creating anything.
   */
  async bootstrap(
    principal: Principal,
    input: { orgName?: string | null; name?: string | null },
    organizations: OrganizationService,
  ): Promise<{ user: UserRow; organization: OrganizationRow | null; created: boolean }> {
    const userId = requireUser(principal, 'Onboarding');
    const result = await this.em.transactional(async (em) => {
      const user = await em.findOneOrFail(User, { id: userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const orgIds = (await memberOrgs(em, userId)).map((m) => m.orgId);
      if (user.onboardedAt || orgIds.length > 0) {
        if (!user.onboardedAt) user.onboardedAt = new Date();
        const preferred = user.defaultOrgId && orgIds.includes(user.defaultOrgId) ? user.defaultOrgId : orgIds[0];
        const organization = preferred ? await em.findOne(Organization, { id: preferred, deletedAt: null }) : null;
        return { user, organization, created: false };
      }
      if (input.name) user.name = cleanName(input.name, 'input.name');
      const orgName = input.orgName?.trim() || `${user.name ?? user.email.split('@')[0]}'s organization`;
      const slug = await freeSlug(em, orgName);
      const base = organizations.withEm(em).stage(principal, userId, { name: orgName.slice(0, 100), slug });
      user.onboardedAt = new Date();
      user.defaultOrgId = base.id;
      user.updatedAt = new Date();
      return { user, organization: base, created: true };
    });
    if (result.created) await this.invalidate({ userIds: [userId] });
    return result;
  }

  /** The same service on another entity manager (a transaction). */
  withEm(em: EntityManager): AccountService {
    return new AccountService(em, this.settings, this.throttle, this.invalidate, this.log, this.sendMail);
  }

  user(id: string) {
    return this.em.findOne(User, { id });
  }

  /** Resolves a bearer credential to a principal, or null when it is unknown, expired or revoked. */
  async authenticate(credential: string, box: SecretBox): Promise<ResolvedCredential | null> {
    const tokenHash = sha256Hex(credential);
    const now = new Date();
    if (credential.startsWith('trs_')) {
      if (!isWellFormedToken(credential, 'trs_')) return null;
      const session = await this.em.findOne(Session, { tokenHash });
      if (!session || session.revokedAt || session.expiresAt <= now) return null;
      const user = await this.em.findOne(User, { id: session.userId, erasedAt: null }, { fields: ['platformAdmin'] });
      if (!user) return null;
      return {
        principal: {
          kind: 'user',
          id: session.userId,
          userId: session.userId,
          sessionId: session.id,
          memberships: await memberOrgs(this.em, session.userId),
          scopes: ['*'],
          ...(user.platformAdmin ? { platformAdmin: true } : {}),
        },
        expiresAt: session.expiresAt,
      };
    }
    if (!isWellFormedApiKey(credential)) return null;
    let key = await this.em.findOne(ApiKey, { keyHash: tokenHash });
    let inGrace = false;
    if (!key) {
      key = await this.em.findOne(ApiKey, { previousKeyHash: tokenHash, previousKeyExpiresAt: { $gt: now } });
      inGrace = key !== null;
    }
    if (!key || key.revokedAt || key.disabledAt || (key.expiresAt && key.expiresAt <= now)) return null;
    if (!isRole(key.role)) return null;
    if (!(await this.em.count(Organization, { id: key.orgId, deletedAt: null }))) return null;
    // A key never outranks the person who minted it: it acts with the lower of its role and
    // their current one, and stops working when they leave the organization.
    let role: Role = key.role;
    if (key.createdBy.startsWith('usr_')) {
      const creator = await this.em.findOne(Membership, { orgId: key.orgId, userId: key.createdBy });
      if (!creator || !isRole(creator.role)) return null;
      if (roleRank(creator.role) < roleRank(role)) role = creator.role;
    }
    const secretInGrace = key.previousSecretSealed && key.previousSecretExpiresAt && key.previousSecretExpiresAt > now;
    const deadlines = [
      key.expiresAt,
      inGrace ? key.previousKeyExpiresAt : null,
      secretInGrace ? key.previousSecretExpiresAt : null,
    ]
      .filter((d): d is Date => d instanceof Date)
      .sort((a, b) => a.getTime() - b.getTime());
    return {
      principal: {
        kind: 'api_key',
        id: key.id,
        userId: key.createdBy.startsWith('usr_') ? key.createdBy : undefined,
        orgId: key.orgId,
        memberships: [{ orgId: key.orgId, role }],
        scopes: key.scopes,
        ...(key.workflowId ? { workflowId: key.workflowId } : {}),
      },
      signingSecret: box.open(key.signingSecretSealed, key.id),
      ...(secretInGrace && key.previousSecretSealed
        ? { previousSigningSecret: box.open(key.previousSecretSealed, key.id) }
        : {}),
      ...(deadlines[0] ? { expiresAt: deadlines[0] } : {}),
    };
  }
}

/** A session row (and its refresh token) staged on `em`; the plaintext tokens are returned once. */
export function newSessionRow(
  em: EntityManager,
  settings: AccountSettings,
  userId: string,
  now: Date,
  familyId?: string,
): NewSession {
  const token = newSessionToken();
  const refreshToken = newRefreshToken();
  const expiresAt = new Date(now.getTime() + settings.sessionTtlHours * 3_600_000);
  const refreshExpiresAt = new Date(now.getTime() + settings.refreshTokenTtlDays * 86_400_000);
  const id = newId('ses');
  em.create(Session, {
    id,
    userId,
    tokenHash: sha256Hex(token),
    expiresAt,
    revokedAt: null,
    familyId: familyId ?? id,
    refreshTokenHash: sha256Hex(refreshToken),
    refreshExpiresAt,
    refreshedAt: null,
    createdAt: now,
  });
  return { token, expiresAt, refreshToken, refreshExpiresAt };
}

/**
 * The first account of a fresh installation becomes its platform administrator (there is no one
 * else to grant it). Serialized by an advisory lock so two concurrent first sign-ups make one admin.
 */
async function isFirstAccount(em: EntityManager): Promise<boolean> {
  await em.execute(`select pg_advisory_xact_lock(hashtext('trellis.identity.first_account'))`);
  return (await em.count(User, {})) === 0;
}

async function usernameInUse(em: EntityManager, username: string): Promise<boolean> {
  const rows: unknown[] = await em.execute('select 1 from users where lower(username) = lower(?) limit 1', [username]);
  return rows.length > 0;
}

/** The caller's memberships in organizations that still exist, oldest first. */
export async function memberOrgs(em: EntityManager, userId: string): Promise<PrincipalMembership[]> {
  const rows = await em.find(Membership, { userId }, { orderBy: { createdAt: 'asc' } });
  if (rows.length === 0) return [];
  const live = new Set(
    (await em.find(Organization, { id: { $in: rows.map((m) => m.orgId) }, deletedAt: null }, { fields: ['id'] })).map(
      (o) => o.id,
    ),
  );
  return rows.flatMap((m) => (live.has(m.orgId) && isRole(m.role) ? [{ orgId: m.orgId, role: m.role }] : []));
}

function cleanName(value: string | null | undefined, field: string): string | null {
  const name = value?.trim();
  if (!name) return null;
  if (name.length > 100) throw invalidField(field, 'name must be at most 100 characters');
  return name;
}

function cleanUrl(value: string | null | undefined, field: string): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidField(field, 'must be an absolute https URL');
  }
  if (url.protocol !== 'https:' || value.length > 2048) throw invalidField(field, 'must be an absolute https URL');
  return url.toString();
}
