/** Small rules shared by identity's services. */
import { TrellisError } from '../../kernel/errors.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { MailMessage } from '../../kernel/mail.ts';
import { invitationMail, passwordResetMail } from '../../kernel/mail-templates.ts';
import type { Platform } from '../../kernel/platform.ts';
import { isRole, type Principal, type Role, roleIn } from '../../kernel/principal.ts';
import { createRateLimiter, type RateLimiter } from '../../kernel/rate-limit.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const normalizeEmail = (email: string): string => email.normalize('NFKC').trim().toLowerCase();
export const isEmail = (email: string): boolean => EMAIL.test(email) && email.length <= 254;

export function validateEmail(email: string, field = 'email'): string {
  const normalized = normalizeEmail(email);
  if (!isEmail(normalized)) throw new TrellisError('validation_failed', 'email is not a valid address', { field });
  return normalized;
}

/** The signed-in user behind a session; API keys act for an organization, not a person. */
export function requireUser(principal: Principal, what = 'This operation'): string {
  if (principal.kind !== 'user' || !principal.userId)
    throw new TrellisError('forbidden', `${what} needs a signed-in user (session token), not an API key`);
  return principal.userId;
}

/**
 * An organization named alongside an object id (`/v1/orgs/{orgId}/api-keys/{id}`):
 * not the caller's → 403; the object must then belong to it, else 404.
 */
export function assertNamedOrg(principal: Principal, orgId: string | null | undefined, field = 'orgId'): void {
  if (orgId == null) return;
  if (!roleIn(principal, orgId)) throw new TrellisError('org_mismatch', undefined, { field });
}

/** GraphQL enum value (`ADMIN`) or REST string (`admin`) → Role. */
export function parseRole(value: unknown, field: string): Role {
  const role = typeof value === 'string' ? value.toLowerCase() : value;
  if (!isRole(role))
    throw new TrellisError('validation_failed', 'role must be owner, admin, member or viewer', { field });
  return role;
}

export const isUniqueViolation = (error: unknown): boolean => (error as { code?: string })?.code === '23505';

/** Messages identity would email (password resets, invitations). */
export interface IdentityMail {
  kind: 'password_reset' | 'invitation';
  to: string;
  /** The one-time token the link carries; never logged. */
  token: string;
  expiresAt: Date;
  organizationName?: string;
}

export interface Mailer {
  send(mail: IdentityMail): Promise<void>;
}

/** Sends one of identity's messages; never throws (a failed send is logged, the request still succeeds). */
export type SendMail = (mail: IdentityMail) => Promise<void>;

/**
 * Embedders may route identity's messages elsewhere with `setMailer` (the identity tests catch
 * tokens this way); otherwise they go through the platform's mail transport (kernel/mail.ts).
 */
let mailer: Mailer | undefined;
export function setMailer(next: Mailer | undefined): void {
  mailer = next;
}

/** Renders identity's message with its template and sends it through the platform's transport. */
export function identityMessage(mail: IdentityMail, publicUrl: string): MailMessage {
  return mail.kind === 'invitation'
    ? invitationMail({
        to: mail.to,
        token: mail.token,
        organizationName: mail.organizationName,
        expiresAt: mail.expiresAt,
        publicUrl,
      })
    : passwordResetMail({ to: mail.to, token: mail.token, expiresAt: mail.expiresAt, publicUrl });
}

export function mailSender(platform: Pick<Platform, 'mail' | 'config'>, log: Logger): SendMail {
  return async (mail) => {
    try {
      if (mailer) await mailer.send(mail);
      else await platform.mail.send(identityMessage(mail, platform.config.mail.publicUrl));
    } catch (err) {
      // The token is in the message, never in the log.
      log.warn({ err, kind: mail.kind }, 'mail delivery failed');
    }
  };
}

/** Per IP + email limits on register, login and forgot-password: one counter family per process group. */
export interface AuthThrottle {
  limiter: RateLimiter;
  key(action: 'login' | 'register' | 'forgot', clientIp: string | undefined, email: string): string;
}

const throttles = new WeakMap<Platform, AuthThrottle>();

export function authThrottle(platform: Platform): AuthThrottle {
  let throttle = throttles.get(platform);
  if (!throttle) {
    throttle = {
      limiter: createRateLimiter(platform, {
        name: 'auth',
        points: platform.config.rateLimits.authPer15Minutes,
        durationSeconds: 15 * 60,
        message: 'Too many attempts for this email from this address; retry later',
      }),
      key: (action, clientIp, email) => `${action}:${clientIp ?? 'unknown'}:${email}`,
    };
    throttles.set(platform, throttle);
  }
  return throttle;
}
