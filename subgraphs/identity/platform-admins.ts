/**
 * Platform administrators from the operator's shell (`trellis admin grant|revoke <email>`): how
 * an installation gets an administrator besides its first account — after the first one left, was
 * erased, or on an installation restored from elsewhere — without an administrator to ask.
 * Administrators also change each other with `PATCH /v1/users/{id}` (users.ts).
 *
 * The change commits with a row in the revocation log, so every gateway drops the user's cached
 * principal (at once over the bus, within TRELLIS_AUTH_REVOCATION_POLL_MS otherwise): live sessions
 * gain or lose the role without signing in again.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PublishAuthInvalidation } from '../../kernel/auth-invalidation.ts';
import { TrellisError } from '../../kernel/errors.ts';
import { User } from './entities.ts';
import { normalizeEmail } from './support.ts';

export interface PlatformAdminChange {
  userId: string;
  email: string;
  platformAdmin: boolean;
  /** False when the account already had (or lacked) the role: nothing was written. */
  changed: boolean;
  /** Administrators the installation has after the change. */
  administrators: number;
}

export async function setPlatformAdmin(
  em: EntityManager,
  email: string,
  platformAdmin: boolean,
  invalidate: PublishAuthInvalidation,
): Promise<PlatformAdminChange> {
  const address = normalizeEmail(email);
  const result = await em.transactional(async (tx) => {
    const user = await tx.findOne(User, { email: address, erasedAt: null });
    if (!user) throw new TrellisError('not_found', `No account with the email ${address}`);
    const changed = user.platformAdmin !== platformAdmin;
    if (changed) {
      user.platformAdmin = platformAdmin;
      user.updatedAt = new Date();
      await tx.flush();
    }
    const administrators = await tx.count(User, { platformAdmin: true, erasedAt: null });
    return { userId: user.id, email: user.email, platformAdmin, changed, administrators };
  });
  // The user's cached principal carries platformAdmin: drop it on every gateway.
  if (result.changed) await invalidate({ userIds: [result.userId] });
  return result;
}
