/** Accounts, sessions and the gateway's credential resolution: identity's rules. */

import type { InferEntity } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hash, verify } from '@node-rs/argon2';
import { invalidField, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { isRole, type Principal } from '../../kernel/principal.ts';
import { type SecretBox, sha256Hex } from '../../kernel/secrets.ts';
import { isWellFormedApiKey, newSessionToken } from './credentials.ts';
import { ApiKey, Membership, Session, User } from './entities.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_PASSWORD = 10;
const MAX_PASSWORD = 256;
/** A hash to verify against when the email is unknown, so timing does not reveal which emails exist. */
const DUMMY_HASH = await hash('trellis-timing-equaliser');

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export function validateEmail(email: string, field = 'email'): string {
  const normalized = normalizeEmail(email);
  if (!EMAIL.test(normalized) || normalized.length > 254) throw invalidField(field, 'email is not a valid address');
  return normalized;
}

export function validatePassword(password: string, field = 'password'): void {
  if (password.length < MIN_PASSWORD) throw invalidField(field, `password must be at least ${MIN_PASSWORD} characters`);
  if (password.length > MAX_PASSWORD) throw invalidField(field, `password must be at most ${MAX_PASSWORD} characters`);
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  user: InferEntity<typeof User>;
}

export class AccountService {
  private readonly em: EntityManager;
  private readonly sessionTtlHours: number;

  constructor(em: EntityManager, sessionTtlHours: number) {
    this.em = em;
    this.sessionTtlHours = sessionTtlHours;
  }

  async register(input: { email: string; password: string; name?: string | null }): Promise<IssuedSession> {
    const email = validateEmail(input.email, 'input.email');
    validatePassword(input.password, 'input.password');
    if (await this.em.count(User, { email }))
      throw new TrellisError('already_exists', 'An account with this email already exists', { field: 'input.email' });
    const now = new Date();
    const user = this.em.create(User, {
      id: newId('usr'),
      email,
      passwordHash: await hash(input.password),
      name: input.name?.trim() || null,
      createdAt: now,
      updatedAt: now,
    });
    const session = this.#newSession(user.id, now);
    await this.em.flush().catch((error: { code?: string }) => {
      if (error.code === '23505')
        throw new TrellisError('already_exists', 'An account with this email already exists', { field: 'input.email' });
      throw error;
    });
    return { token: session.token, expiresAt: session.expiresAt, user };
  }

  async login(emailInput: string, password: string): Promise<IssuedSession> {
    const email = normalizeEmail(emailInput);
    const user = await this.em.findOne(User, { email }, { populate: ['passwordHash'] });
    const valid = await verify(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !valid) throw new TrellisError('unauthenticated', 'Email or password is incorrect');
    const session = this.#newSession(user.id, new Date());
    await this.em.flush();
    return { token: session.token, expiresAt: session.expiresAt, user };
  }

  #newSession(userId: string, now: Date): { token: string; expiresAt: Date } {
    const token = newSessionToken();
    const expiresAt = new Date(now.getTime() + this.sessionTtlHours * 3_600_000);
    this.em.create(Session, {
      id: newId('ses'),
      userId,
      tokenHash: sha256Hex(token),
      expiresAt,
      revokedAt: null,
      createdAt: now,
    });
    return { token, expiresAt };
  }

  user(id: string) {
    return this.em.findOne(User, { id });
  }

  /** Resolves a bearer credential to a principal, or null when it is unknown, expired or revoked. */
  async authenticate(
    credential: string,
    box: SecretBox,
  ): Promise<{ principal: Principal; signingSecret?: string } | null> {
    const tokenHash = sha256Hex(credential);
    const now = new Date();
    if (credential.startsWith('trs_')) {
      const session = await this.em.findOne(Session, { tokenHash });
      if (!session || session.revokedAt || session.expiresAt <= now) return null;
      const memberships = await this.em.find(Membership, { userId: session.userId });
      return {
        principal: {
          kind: 'user',
          id: session.userId,
          userId: session.userId,
          sessionId: session.id,
          memberships: memberships.flatMap((m) => (isRole(m.role) ? [{ orgId: m.orgId, role: m.role }] : [])),
          scopes: ['*'],
        },
      };
    }
    if (!isWellFormedApiKey(credential)) return null;
    const key = await this.em.findOne(ApiKey, { keyHash: tokenHash });
    if (!key || key.revokedAt || key.disabledAt || (key.expiresAt && key.expiresAt <= now)) return null;
    if (!isRole(key.role)) return null;
    return {
      principal: {
        kind: 'api_key',
        id: key.id,
        userId: key.createdBy,
        orgId: key.orgId,
        memberships: [{ orgId: key.orgId, role: key.role }],
        scopes: key.scopes,
        ...(key.workflowId ? { workflowId: key.workflowId } : {}),
      },
      signingSecret: box.open(key.signingSecretSealed, key.id),
    };
  }
}
