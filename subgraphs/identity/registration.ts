/**
 * Seed 000's sign-up (`POST /v1/auth/register` → `signUp`): one call gives an SDK everything it
 * needs — the account and a session (with its refresh token), a first organization (or the one an
 * invite code joins), and an API key of it with its HMAC signing secret, both shown once.
 *
 * The steps commit one after another (account, organization or invitation, key). The invite code is
 * checked before the account is created; should a later step fail, the account exists and can sign in
 * and finish with `createOrganization` / `createApiKey` — nothing half-made is left behind in a step.
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

export interface SignUpServices {
  accounts: AccountService;
  organizations: OrganizationService;
  invitations: InvitationService;
  apiKeys: ApiKeyService;
}

export async function signUp(services: SignUpServices, input: SignUpInput, clientIp?: string): Promise<Registration> {
  const inviteCode = input.inviteCode?.trim() || null;
  if (inviteCode) await checkInviteCode(services.invitations, inviteCode, input.email);
  const session = await services.accounts.register(input, clientIp);
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
    const accepted = await services.invitations.acceptByToken(asUser([]), inviteCode, {}, services.accounts);
    organization = accepted.organization;
    role = accepted.role;
  } else {
    const name = (input.organizationName?.trim() || defaultOrgName(session.user)).slice(0, 100);
    organization = await services.organizations.create(asUser([]), { name });
  }
  const apiKey = await services.apiKeys.create(asUser([{ orgId: organization.id, role }]), {
    orgId: organization.id,
    name: 'default',
    description: 'Created at sign-up',
  });
  return { ...session, organization, apiKey };
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
