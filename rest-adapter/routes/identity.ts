/**
 * Identity's `/v1` routes: the routes.tsv rows owned by identity (seeds 000,
 * 001, 003, 004). Public: register, login, OAuth register, the invite link
 * routes and auth/verify (which authenticates with the API key itself). Seed
 * field spellings are declared here as aliases (`fullName`,
 * `organization_id`; lowercase enum values are accepted everywhere); an API
 * key's own organization is the default where a route names none.
 */
import { defineRoutes } from '../route-table.ts';

const owner = 'identity';
/** Seed spellings of an organization id in bodies (`organization_id` too: snake_case is always accepted). */
const ORG_ALIASES = { organizationId: 'orgId' };
/** Seed 003's `fullName` (seed 004's snake_case register fields are accepted like every snake_case field). */
const REGISTER_ALIASES = { fullName: 'name' };

// biome-ignore format: a table, one route a line or two
export const identityRoutes = defineRoutes([
  // ---- accounts and sessions (seed 000) -----------------------------------------------------
  { method: 'POST', path: '/v1/auth/register', owner, public: true, body: 'input', status: 201, mutation: 'signUp(input: $input)',
    aliases: REGISTER_ALIASES,
    summary: 'Create an account (seed 000 and 004 bodies): the user, a session with a refresh token, the first organization and an API key with its signing secret (shown once)' },
  { method: 'POST', path: '/v1/auth/login', owner, public: true, mutation: 'login(...)',
    summary: 'Dashboard session token and refresh token (email + password)' },
  { method: 'POST', path: '/v1/auth/refresh', owner, public: true, mutation: 'refreshSession(...)',
    summary: 'Exchange a refresh token for a new session token (refresh token rotated; reusing a used one revokes the sign-in)' },
  { method: 'POST', path: '/v1/auth/logout', owner, aliases: { all_devices: 'all', allDevices: 'all' }, mutation: 'logout(...)',
    summary: 'Revoke the current session token (all_devices: every session of the user)' },
  { method: 'POST', path: '/v1/auth/forgot-password', owner, public: true, mutation: 'forgotPassword(...)',
    result: (data) => ({ success: data.forgotPassword }),
    summary: 'Request a password-reset email (always 200: no account enumeration)' },
  { method: 'POST', path: '/v1/auth/reset-password', owner, public: true, aliases: { new_password: 'password', newPassword: 'password' },
    mutation: 'resetPassword(...)', result: (data) => ({ success: data.resetPassword }),
    summary: 'Set a new password with the emailed reset token (ends every session of the account)' },
  { method: 'POST', path: '/v1/auth/oauth/register', owner, public: true, body: 'input', mutation: 'oauthRegister(input: $input)',
    summary: 'OAuth signup (503 until an OAuth provider is configured)' },
  { method: 'POST', path: '/v1/auth/verify', owner, public: true, signed: true, query: 'verifyApiKey',
    summary: 'SDK init(): verifies the API key sent and returns its HMAC signing secret' },

  // ---- the caller (seeds 001, 003) ----------------------------------------------------------
  { method: 'GET', path: '/v1/me', owner, signed: true, query: 'me', summary: 'Current principal: profile, memberships, scopes' },
  { method: 'GET', path: '/v1/me/organizations', owner, query: 'me.organizations', summary: 'My organizations' },
  { method: 'GET', path: '/v1/me/teams', owner, query: 'me.teams', summary: 'My teams' },
  { method: 'GET', path: '/v1/me/export', owner, query: 'myDataExport',
    beyondContract: "seed 004 names the export that DELETE /v1/me promises (issue #9) but lists no route for it",
    summary: 'Everything identity holds about the caller (profile, memberships, teams, sessions, keys, invitations) as JSON; take it before DELETE /v1/me' },
  { method: 'DELETE', path: '/v1/me', owner, mutation: 'deleteMe',
    summary: 'Delete own account (GDPR erasure in every subgraph; platform admins cannot self-delete)' },
  { method: 'GET', path: '/v1/me/permissions', owner, query: 'me.permissions',
    summary: 'Effective permissions per organization (from the permission table)' },
  { method: 'PATCH', path: '/v1/me/profile', owner, body: 'input', aliases: { fullName: 'name' }, mutation: 'updateProfile(input: $input)',
    summary: "Update the caller's profile (fullName, avatarUrl, defaultOrganizationId)" },
  { method: 'POST', path: '/v1/onboarding/bootstrap', owner, body: 'input', aliases: { fullName: 'name' }, mutation: 'bootstrapOnboarding(input: $input)',
    summary: "Create the caller's profile + first org (idempotent)" },

  // ---- organizations (seeds 000, 001, 003) --------------------------------------------------
  { method: 'POST', path: '/v1/organizations', owner, body: 'input', status: 201, mutation: 'createOrganization(input: $input)',
    summary: 'Create organization (the caller becomes owner)' },
  { method: 'POST', path: '/v1/orgs', owner, body: 'input', mutation: 'createOrganization(input: $input)',
    summary: 'Create an organization (caller becomes owner)' },
  {
    method: 'GET',
    path: '/v1/organizations/{id}',
    owner,
    summary: 'Get organization, with its workflows, VMs, balance and webhooks (one query across all five subgraphs)',
    // Hand-written on purpose: the one route that shows a federated read across every subgraph.
    operation: /* GraphQL */ `
      query GetOrganization($id: ID!) {
        organization(id: $id) {
          id name slug createdAt viewerRole
          workflows { id name status budgetMicros spentMicros }
          vms { id name gpuModelId gpuCount status }
          balance { availableCents currency }
          webhooks { id name url events enabled }
        }
      }
    `,
  },
  { method: 'GET', path: '/v1/orgs/{orgId}', owner, signed: true, query: 'organization(id: $orgId)', summary: 'Organization settings' },
  { method: 'PATCH', path: '/v1/orgs/{orgId}', owner, body: 'input', mutation: 'updateOrganization(id: $orgId, input: $input)',
    summary: 'Update an organization (owner/admin): name, slug, billingEmail' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}', owner, mutation: 'deleteOrganization(id: $orgId)',
    summary: 'Delete an organization (owner only; soft delete)' },

  // ---- members ------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/organizations/{id}/members', owner, paginated: true, query: 'organization(id: $id).members(...)',
    summary: 'List members' },
  { method: 'GET', path: '/v1/orgs/{orgId}/members', owner, paginated: true, query: 'organization(id: $orgId).members(...)',
    summary: 'Members' },
  { method: 'POST', path: '/v1/orgs/{orgId}/members/add', owner, body: 'input', mutation: 'addMember(orgId: $orgId, input: $input)',
    summary: 'Add a member by email (owner/admin)' },
  { method: 'PATCH', path: '/v1/orgs/{orgId}/members/{userId}', owner, mutation: 'updateMemberRole(...)',
    summary: 'Update member role (owner/admin; the last owner cannot be demoted)' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}/members/{userId}', owner, status: 204, mutation: 'removeMember(...)',
    summary: 'Remove member (owner/admin; the last owner cannot be removed)' },

  // ---- teams --------------------------------------------------------------------------------
  { method: 'POST', path: '/v1/teams', owner, status: 201, body: 'input', fill: { orgId: 'callerOrg' }, aliases: ORG_ALIASES,
    mutation: 'createTeam(input: $input)', summary: 'Create team (RBAC enforced)' },
  { method: 'GET', path: '/v1/teams/{id}', owner, query: 'team(id: $id)', select: '...TeamFields members { ...TeamMemberFields }',
    summary: 'Get team' },
  { method: 'GET', path: '/v1/organizations/{id}/teams', owner, paginated: true, query: 'organization(id: $id).teams(...)',
    summary: 'List teams' },
  { method: 'PATCH', path: '/v1/teams/{id}', owner, body: 'input', mutation: 'updateTeam(id: $id, input: $input)',
    summary: "Update a team's name or description" },
  { method: 'DELETE', path: '/v1/teams/{id}', owner, mutation: 'deleteTeam(id: $id)', summary: 'Delete a team (admin+)' },
  { method: 'GET', path: '/v1/teams/{id}/members', owner, query: 'team(id: $id).members', summary: 'List team members with roles' },
  { method: 'POST', path: '/v1/teams/{id}/members', owner, status: 201, mutation: 'addTeamMember(teamId: $id, ...)', select: '...TeamFields members { ...TeamMemberFields }',
    summary: 'Add an org member to a team (team role owner, admin or member)' },
  { method: 'GET', path: '/v1/teams/{id}/invites', owner, query: 'team(id: $id).invitations(...)',
    summary: 'List pending team invites (?status= for another state)' },
  { method: 'POST', path: '/v1/teams/{id}/invites', owner, status: 201, body: 'input', mutation: 'createTeamInvitation(teamId: $id, input: $input)',
    summary: 'Invite a user by email to a team (joins the organization as a member); returns the link token once' },

  // ---- invitations --------------------------------------------------------------------------
  { method: 'POST', path: '/v1/invitations', owner, status: 201, body: 'input', fill: { orgId: 'callerOrg' }, aliases: ORG_ALIASES,
    mutation: 'createInvitation(input: $input)', summary: 'Create invitation (RBAC enforced); returns the link token once' },
  // Pending by default, as seed 004 documents (the GraphQL field lists every status by default).
  { method: 'GET', path: '/v1/orgs/{orgId}/invites', owner, paginated: true, result: 'organization.invitations',
    operation: /* GraphQL */ `
      query GetOrgsOrgIdInvites($orgId: ID!, $status: InvitationStatus = PENDING, $limit: Int, $cursor: String) {
        organization(id: $orgId) {
          invitations(status: $status, limit: $limit, cursor: $cursor) {
            items { id email role status teamId teamRole expiresAt createdAt respondedAt organization { id } }
            nextCursor
          }
        }
      }`,
    summary: 'List pending invites (?status= for another state)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/invites', owner, status: 201, body: 'input', fill: { orgId: 'path' },
    mutation: 'createInvitation(input: $input)', summary: 'Invite (owner/admin); returns the link token once' },
  { method: 'POST', path: '/v1/invitations/{id}/accept', owner, mutation: 'acceptInvitationById(id: $id)',
    summary: 'Accept invitation (as the signed-in user it is addressed to)' },
  { method: 'POST', path: '/v1/invitations/{id}/revoke', owner, mutation: 'revokeInvitation(id: $id)', summary: 'Revoke invitation' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}/invites/{inviteId}', owner, mutation: 'revokeInvitation(id: $inviteId, orgId: $orgId)',
    summary: 'Revoke invite' },
  { method: 'POST', path: '/v1/orgs/{orgId}/invites/{inviteId}/resend', owner, mutation: 'resendInvitation(id: $inviteId, orgId: $orgId)',
    summary: 'Resend invite: a fresh link token and expiry (the old link stops working)' },
  { method: 'GET', path: '/v1/invites/{token}', owner, public: true, query: 'invitationByToken(token: $token)', summary: 'Public invite info' },
  { method: 'POST', path: '/v1/invites/{token}/accept', owner, public: true, body: 'input', mutation: 'acceptInvitation(...)',
    summary: 'Public invite accept (signed in, or with the invited account password: returns a session)' },
  { method: 'POST', path: '/v1/invites/{token}/decline', owner, public: true, mutation: 'declineInvitation(token: $token)',
    summary: 'Public invite decline' },

  // ---- API keys (seeds 000, 001, 003) -------------------------------------------------------
  { method: 'GET', path: '/v1/api-keys', owner, paginated: true, fill: { orgId: 'callerOrg' }, query: 'apiKeys(...)',
    summary: "List keys (no secrets) of ?orgId=, or of the calling key's organization" },
  { method: 'POST', path: '/v1/api-keys', owner, status: 201, body: 'input', fill: { orgId: 'callerOrg' }, aliases: ORG_ALIASES,
    mutation: 'createApiKey(input: $input)', summary: 'Create key (returns the raw key and signing secret once)' },
  { method: 'GET', path: '/v1/api-keys/{id}', owner, query: 'apiKey(id: $id)', summary: 'Get key metadata (no secrets)' },
  { method: 'DELETE', path: '/v1/api-keys/{id}', owner, mutation: 'revokeApiKey(id: $id)',
    summary: 'Revoke key (immediately unusable on every gateway)' },
  { method: 'POST', path: '/v1/api-keys/{id}/disable', owner, mutation: 'disableApiKey(id: $id)', summary: 'Disable key' },
  { method: 'GET', path: '/v1/orgs/{orgId}/api-keys', owner, paginated: true, query: 'apiKeys(...)',
    summary: "List an org's API keys (no secrets)" },
  { method: 'POST', path: '/v1/orgs/{orgId}/api-keys', owner, status: 201, body: 'input', fill: { orgId: 'path' },
    mutation: 'createApiKey(input: $input)', summary: 'Mint key (returns the raw key and signing secret once)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/api-keys/create', owner, body: 'input', fill: { orgId: 'path' },
    mutation: 'createApiKey(input: $input)', summary: 'Create an API key (returns the plaintext once)' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}/api-keys/{id}', owner, status: 204, mutation: 'revokeApiKey(...)',
    summary: 'Revoke an API key' },
  { method: 'PATCH', path: '/v1/orgs/{orgId}/api-keys/{id}', owner, body: 'input', aliases: { is_active: 'active', isActive: 'active' },
    mutation: 'updateApiKey(id: $id, orgId: $orgId, input: $input)',
    summary: "Update a key's name, description, scopes, expiry or active flag" },
  { method: 'POST', path: '/v1/orgs/{orgId}/api-keys/{id}/roll', owner, mutation: 'rollApiKey(...)',
    summary: 'Roll the key: new key and signing secret returned once; the old ones invalid now or after grace_hours' },
  { method: 'POST', path: '/v1/orgs/{orgId}/api-keys/{id}/rotate', owner, mutation: 'rotateApiKeySecret(...)',
    summary: 'Rotate the HMAC secret in place (emits KeyRotated); optional graceSeconds for the old secret' },
  { method: 'GET', path: '/v1/workflows/{workflowId}/api-keys', owner, paginated: true,
    query: 'workflow(id: $workflowId).organization.apiKeys(workflowId: $workflowId, limit: $limit, cursor: $cursor)',
    summary: 'Per-workflow key listing (another organization’s workflow is 404)' },

  // ---- authorization (seed 001) -------------------------------------------------------------
  { method: 'POST', path: '/v1/authz/check', owner, body: 'input', fill: { orgId: 'callerOrg' }, aliases: { ...ORG_ALIASES, action: 'permission' },
    query: 'authzCheck(input: $input)', summary: 'Single permission check: { orgId, permission } (the rules @authz enforces)' },
  // `fill` applies to each check: its organization defaults to the API key's own.
  { method: 'POST', path: '/v1/authz/check-batch', owner, body: 'input', fill: { orgId: 'callerOrg' }, aliases: { ...ORG_ALIASES, action: 'permission' },
    query: 'authzCheckBatch(input: $input)', summary: 'Batch permission check: { checks: [{ orgId, permission }] } (at most 100)' },

  // ---- users administration (platform administrators, seed 004) -----------------------------------
  { method: 'GET', path: '/v1/users', owner, paginated: true, query: 'users(...)',
    summary: 'List users (platform admin); ?search= matches email or username' },
  { method: 'GET', path: '/v1/users/{id}', owner, query: 'user(id: $id)', summary: 'Get a user (platform admin)' },
  { method: 'PATCH', path: '/v1/users/{id}', owner, body: 'input', mutation: 'updateUser(id: $id, input: $input)',
    summary: "Update a user's username, email or platform role (platform admin)" },
  { method: 'DELETE', path: '/v1/users/{id}', owner, mutation: 'deleteUser(id: $id)',
    summary: 'Delete (erase) a user (platform admin; not oneself)' },
]);
