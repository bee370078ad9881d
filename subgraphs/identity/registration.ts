/**
 * Seed 000's sign-up (`POST /v1/auth/register` → `signUp`): one call gives an SDK everything it
 * needs — the account and a session (with its refresh token), a first organization (or the one an
 * invite code joins), and an API key of it with its HMAC signing secret, both shown once.
 *
 * One transaction: the account, its session, the organization (or the invitation's membership) and
 * the key commit together or not at all — a failure in any step (even the last, minting the key)
 * leaves no account behind, so the email can simply register again. What needs no transaction runs
 * before it: the invite code check, the rate limit, validation and the password hash (argon2).
 * Auth invalidations the steps raise are published only once the transaction has committed.
 */
import { TrellisError } from '../../kernel/errors.ts';
import type { Principal, Role } from '../../kernel/principal.ts';
import type { AccountService, IssuedSession, RegisterInput } from './accounts.ts';
import type { ApiKeyService, MintedKey } from './api-keys.ts';
import type { OrganizationRow } from './entities.ts';
import type { InvitationService } from './invitations.ts';
import type { OrganizationService } from './organizations.ts';
import { normalizeEmail } from './support.ts';

export interface SignUpInput extends RegisterInput {
  inviteCode?: string | null;
  organizationName?: string | null;
}

export interface Registration extends IssuedSession {
  organization: OrganizationRow;
  apiKey: MintedKey;
}

/** The services a sign-up step uses, all on one entity manager. */
export interface SignUpSteps {
  accounts: AccountService;
  organizations: OrganizationService;
  invitations: InvitationService;
  apiKeys: ApiKeyService;
}

export interface SignUpServices extends SignUpSteps {
  /** Runs `work` in one transaction with the services bound to it; invalidations publish after commit. */
  transaction<T>(work: (steps: SignUpSteps) => Promise<T>): Promise<T>;
}

export async function signUp(services: SignUpServices, input: SignUpInput, clientIp?: string): Promise<Registration> {
  const inviteCode = input.inviteCode?.trim() || null;
  if (inviteCode) await checkInviteCode(services.invitations, inviteCode, input.email);
  const prepared = await services.accounts.prepareAccount(input, clientIp);
  return services.transaction(async (steps) => {
    const session = await steps.accounts.createAccount(prepared);
    const userId = session.user.id;
    const asUser = (memberships: Principal['memberships']): Principal => ({
      kind: 'user',
      id: userId,
      userId,
      memberships,
      scopes: ['*'],
    });
    let organization: OrganizationRow;
    let role: Role = 'owner';
    if (inviteCode) {
      const accepted = await steps.invitations.acceptByToken(asUser([]), inviteCode, {}, steps.accounts);
      organization = accepted.organization;
      role = accepted.role;
    } else {
      const name = (input.organizationName?.trim() || defaultOrgName(session.user)).slice(0, 100);
      organization = await steps.organizations.create(asUser([]), { name });
    }
    const apiKey = await steps.apiKeys.create(asUser([{ orgId: organization.id, role }]), {
      orgId: organization.id,
      name: 'default',
      description: 'Created at sign-up',
    });
    return { ...session, organization, apiKey };
  });
}

/** An invite code must be a pending invitation addressed to the email signing up (422 otherwise). */
async function checkInviteCode(invitations: InvitationService, code: string, email: string): Promise<void> {
  const refuse = (message: string) => new TrellisError('validation_failed', message, { field: 'input.inviteCode' });
  const info = await invitations.info(code).catch((error: unknown) => {
    if (error instanceof TrellisError && error.code === 'not_found')
      throw refuse('inviteCode is not a valid invitation');
    throw error;
  });
  if (info.status !== 'pending') throw refuse(`inviteCode is an invitation that is ${info.status}`);
  if (info.email !== normalizeEmail(email)) throw refuse('inviteCode was sent to another email address');
}

function defaultOrgName(user: { name?: string | null; email: string }): string {
  return `${user.name ?? user.email.split('@')[0]}'s organization`;
}
