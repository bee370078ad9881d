/**
 * Identity's `/v1` routes: the 46 routes.tsv rows owned by identity (seeds
 * 000, 001, 003, 004). Public: register, login, OAuth register, the invite
 * link routes and auth/verify (which authenticates with the API key itself).
 * Seed field spellings are declared here as aliases (`fullName`,
 * `organization_id`; lowercase enum values are accepted everywhere); an API
 * key's own organization is the default where a route names none.
 */
import { defineRoutes } from '../route-table.ts';

/** Seed spellings of an organization id in bodies; an API key's own organization is the default. */
const ORG_ALIASES = { organizationId: 'orgId', organization_id: 'orgId' };

export const identityRoutes = defineRoutes([
  // ---- accounts and sessions (seed 000) ---------------------------------------------------
  {
    method: 'POST',
    path: '/v1/auth/register',
    owner: 'identity',
    summary: 'Create an account; returns a session token',
    public: true,
    body: 'input',
    status: 201,
    operation: /* GraphQL */ `
      mutation IdentityRegister($input: RegisterInput!) {
        register(input: $input) { token expiresAt user { id email name createdAt } }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/auth/login',
    owner: 'identity',
    summary: 'Dashboard session token (email + password)',
    public: true,
    operation: /* GraphQL */ `
      mutation IdentityLogin($email: String!, $password: String!) {
        login(email: $email, password: $password) { token expiresAt user { id email name } }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/auth/oauth/register',
    owner: 'identity',
    summary: 'OAuth signup (503 until an OAuth provider is configured)',
    public: true,
    body: 'input',
    operation: /* GraphQL */ `
      mutation IdentityOAuthRegister($input: OAuthRegisterInput!) {
        oauthRegister(input: $input) { token expiresAt user { id email } }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/auth/verify',
    owner: 'identity',
    summary: 'SDK init(): verifies the API key sent and returns its HMAC signing secret',
    public: true,
    signed: true,
    operation: /* GraphQL */ `
      query IdentityVerifyApiKey {
        verifyApiKey { valid keyId organizationId prefix scopes workflowId expiresAt signingSecret }
      }
    `,
  },
  // ---- the caller (seeds 001, 003) -------------------------------------------------------
  {
    method: 'GET',
    path: '/v1/me',
    owner: 'identity',
    summary: 'Current principal: profile, memberships, scopes',
    signed: true,
    operation: /* GraphQL */ `
      query IdentityMe {
        me {
          principalId
          kind
          organizationId
          workflowId
          scopes
          user { id email name avatarUrl defaultOrganizationId onboardedAt createdAt }
          memberships { organizationId role organization { id name slug } }
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/me/organizations',
    owner: 'identity',
    summary: 'My organizations',
    result: 'me.organizations',
    operation: /* GraphQL */ `
      query IdentityMyOrganizations {
        me { organizations { id name slug createdAt viewerRole } }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/me/teams',
    owner: 'identity',
    summary: 'My teams',
    result: 'me.teams',
    operation: /* GraphQL */ `
      query IdentityMyTeams {
        me { teams { id name description createdAt organization { id } } }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/me/permissions',
    owner: 'identity',
    summary: 'Effective permissions per organization (from the permission table)',
    result: 'me.permissions',
    operation: /* GraphQL */ `
      query IdentityMyPermissions {
        me { permissions { organizationId role permissions } }
      }
    `,
  },
  {
    method: 'PATCH',
    path: '/v1/me/profile',
    owner: 'identity',
    summary: "Update the caller's profile (fullName, avatarUrl, defaultOrganizationId)",
    body: 'input',
    aliases: { fullName: 'name' },
    operation: /* GraphQL */ `
      mutation IdentityUpdateProfile($input: UpdateProfileInput!) {
        updateProfile(input: $input) { id email name avatarUrl defaultOrganizationId }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/onboarding/bootstrap',
    owner: 'identity',
    summary: "Create the caller's profile + first org (idempotent)",
    body: 'input',
    aliases: { fullName: 'name' },
    operation: /* GraphQL */ `
      mutation IdentityBootstrap($input: BootstrapInput) {
        bootstrapOnboarding(input: $input) {
          created
          user { id email name onboardedAt defaultOrganizationId }
          organization { id name slug createdAt }
        }
      }
    `,
  },
  // ---- organizations (seeds 000, 001, 003) -----------------------------------------------
  {
    method: 'POST',
    path: '/v1/organizations',
    owner: 'identity',
    summary: 'Create organization (the caller becomes owner)',
    body: 'input',
    status: 201,
    operation: /* GraphQL */ `
      mutation IdentityCreateOrganization($input: CreateOrganizationInput!) {
        createOrganization(input: $input) { id name slug billingEmail createdAt viewerRole }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs',
    owner: 'identity',
    summary: 'Create an organization (caller becomes owner)',
    body: 'input',
    operation: /* GraphQL */ `
      mutation IdentityCreateOrg($input: CreateOrganizationInput!) {
        createOrganization(input: $input) { id name slug billingEmail createdAt viewerRole }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/organizations/{id}',
    owner: 'identity',
    summary: 'Get organization, with its workflows, VMs, balance and webhooks (one query across all five subgraphs)',
    operation: /* GraphQL */ `
      query GetOrganization($id: ID!) {
        organization(id: $id) {
          id
          name
          slug
          createdAt
          viewerRole
          workflows { id name status budgetMicros spentMicros }
          vms { id name gpuModel gpuCount status }
          balance { availableCents currency }
          webhooks { id name url events enabled }
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}',
    owner: 'identity',
    summary: 'Organization settings',
    signed: true,
    operation: /* GraphQL */ `
      query IdentityGetOrg($orgId: ID!) {
        organization(id: $orgId) { id name slug billingEmail createdAt updatedAt viewerRole }
      }
    `,
  },
  {
    method: 'PATCH',
    path: '/v1/orgs/{orgId}',
    owner: 'identity',
    summary: 'Update an organization (owner/admin): name, slug, billingEmail',
    body: 'input',
    operation: /* GraphQL */ `
      mutation IdentityUpdateOrg($orgId: ID!, $input: UpdateOrganizationInput!) {
        updateOrganization(id: $orgId, input: $input) { id name slug billingEmail createdAt updatedAt viewerRole }
      }
    `,
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}',
    owner: 'identity',
    summary: 'Delete an organization (owner only; soft delete)',
    operation: /* GraphQL */ `
      mutation IdentityDeleteOrg($orgId: ID!) {
        deleteOrganization(id: $orgId) { id deletedAt }
      }
    `,
  },
  // ---- members ---------------------------------------------------------------------------
  {
    method: 'GET',
    path: '/v1/organizations/{id}/members',
    owner: 'identity',
    summary: 'List members',
    paginated: true,
    result: 'organization.members',
    operation: /* GraphQL */ `
      query IdentityOrganizationMembers($id: ID!, $limit: Int, $cursor: String) {
        organization(id: $id) {
          members(limit: $limit, cursor: $cursor) {
            items { userId role joinedAt user { id email name } }
            nextCursor
          }
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/members',
    owner: 'identity',
    summary: 'Members',
    paginated: true,
    result: 'organization.members',
    operation: /* GraphQL */ `
      query IdentityOrgMembers($orgId: ID!, $limit: Int, $cursor: String) {
        organization(id: $orgId) {
          members(limit: $limit, cursor: $cursor) {
            items { userId role joinedAt user { id email name } }
            nextCursor
          }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/members/add',
    owner: 'identity',
    summary: 'Add a member by email (owner/admin)',
    body: 'input',
    operation: /* GraphQL */ `
      mutation IdentityAddMember($orgId: ID!, $input: AddMemberInput!) {
        addMember(orgId: $orgId, input: $input) { userId role joinedAt user { id email name } }
      }
    `,
  },
  {
    method: 'PATCH',
    path: '/v1/orgs/{orgId}/members/{userId}',
    owner: 'identity',
    summary: 'Update member role (owner/admin; the last owner cannot be demoted)',
    operation: /* GraphQL */ `
      mutation IdentityUpdateMemberRole($orgId: ID!, $userId: ID!, $role: Role!) {
        updateMemberRole(orgId: $orgId, userId: $userId, role: $role) { userId role joinedAt user { id email name } }
      }
    `,
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/members/{userId}',
    owner: 'identity',
    summary: 'Remove member (owner/admin; the last owner cannot be removed)',
    status: 204,
    operation: /* GraphQL */ `
      mutation IdentityRemoveMember($orgId: ID!, $userId: ID!) {
        removeMember(orgId: $orgId, userId: $userId) { organizationId userId }
      }
    `,
  },
  // ---- teams -----------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/teams',
    owner: 'identity',
    summary: 'Create team (RBAC enforced)',
    status: 201,
    body: 'input',
    fill: { orgId: 'callerOrg' },
    aliases: ORG_ALIASES,
    operation: /* GraphQL */ `
      mutation IdentityCreateTeam($input: CreateTeamInput!) {
        createTeam(input: $input) { id name description createdAt organization { id } }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/teams/{id}',
    owner: 'identity',
    summary: 'Get team',
    operation: /* GraphQL */ `
      query IdentityGetTeam($id: ID!) {
        team(id: $id) {
          id
          name
          description
          createdAt
          organization { id }
          members { addedAt user { id email name } }
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/organizations/{id}/teams',
    owner: 'identity',
    summary: 'List teams',
    paginated: true,
    result: 'organization.teams',
    operation: /* GraphQL */ `
      query IdentityOrganizationTeams($id: ID!, $limit: Int, $cursor: String) {
        organization(id: $id) {
          teams(limit: $limit, cursor: $cursor) {
            items { id name description createdAt }
            nextCursor
          }
        }
      }
    `,
  },
  // ---- invitations -----------------------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/invitations',
    owner: 'identity',
    summary: 'Create invitation (RBAC enforced); returns the link token once',
    status: 201,
    body: 'input',
    fill: { orgId: 'callerOrg' },
    aliases: ORG_ALIASES,
    operation: /* GraphQL */ `
      mutation IdentityCreateInvitation($input: CreateInvitationInput!) {
        createInvitation(input: $input) {
          token
          invitation { id email role status expiresAt createdAt organization { id } }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/invites',
    owner: 'identity',
    summary: 'Invite (owner/admin); returns the link token once',
    status: 201,
    body: 'input',
    fill: { orgId: 'path' },
    operation: /* GraphQL */ `
      mutation IdentityInvite($input: CreateInvitationInput!) {
        createInvitation(input: $input) {
          token
          invitation { id email role status expiresAt createdAt organization { id } }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/invitations/{id}/accept',
    owner: 'identity',
    summary: 'Accept invitation (as the signed-in user it is addressed to)',
    operation: /* GraphQL */ `
      mutation IdentityAcceptInvitationById($id: ID!) {
        acceptInvitationById(id: $id) { invitationId role organization { id name slug } }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/invitations/{id}/revoke',
    owner: 'identity',
    summary: 'Revoke invitation',
    operation: /* GraphQL */ `
      mutation IdentityRevokeInvitation($id: ID!) {
        revokeInvitation(id: $id) { id email role status expiresAt }
      }
    `,
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/invites/{inviteId}',
    owner: 'identity',
    summary: 'Revoke invite',
    operation: /* GraphQL */ `
      mutation IdentityRevokeInvite($orgId: ID!, $inviteId: ID!) {
        revokeInvitation(id: $inviteId, orgId: $orgId) { id email role status expiresAt }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/invites/{inviteId}/resend',
    owner: 'identity',
    summary: 'Resend invite: a fresh link token and expiry (the old link stops working)',
    operation: /* GraphQL */ `
      mutation IdentityResendInvite($orgId: ID!, $inviteId: ID!) {
        resendInvitation(id: $inviteId, orgId: $orgId) {
          token
          invitation { id email role status expiresAt }
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/invites/{token}',
    owner: 'identity',
    summary: 'Public invite info',
    public: true,
    operation: /* GraphQL */ `
      query IdentityInviteInfo($token: String!) {
        invitationByToken(token: $token) {
          organizationName
          organizationSlug
          email
          role
          status
          expiresAt
          invitedByName
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/invites/{token}/accept',
    owner: 'identity',
    summary: 'Public invite accept (signed in, or with the invited account password: returns a session)',
    public: true,
    body: 'input',
    operation: /* GraphQL */ `
      mutation IdentityAcceptInvite($token: String!, $input: AcceptInvitationInput) {
        acceptInvitation(token: $token, input: $input) {
          invitationId
          role
          organization { id name slug }
          session { token expiresAt user { id email name } }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/invites/{token}/decline',
    owner: 'identity',
    summary: 'Public invite decline',
    public: true,
    operation: /* GraphQL */ `
      mutation IdentityDeclineInvite($token: String!) {
        declineInvitation(token: $token) { organizationName email role status expiresAt }
      }
    `,
  },
  // ---- API keys (seeds 000, 001, 003) ----------------------------------------------------
  {
    method: 'GET',
    path: '/v1/api-keys',
    owner: 'identity',
    summary: "List keys (no secrets) of ?orgId=, or of the calling key's organization",
    paginated: true,
    fill: { orgId: 'callerOrg' },
    operation: /* GraphQL */ `
      query IdentityListApiKeys($orgId: ID!, $workflowId: ID, $includeRevoked: Boolean, $limit: Int, $cursor: String) {
        apiKeys(orgId: $orgId, workflowId: $workflowId, includeRevoked: $includeRevoked, limit: $limit, cursor: $cursor) {
          items {
            id name prefix scopes role workflowId status organizationId
            createdAt expiresAt disabledAt revokedAt previousKeyExpiresAt lastUsedAt usageCount
          }
          nextCursor
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/api-keys',
    owner: 'identity',
    summary: 'Create key (returns the raw key and signing secret once)',
    status: 201,
    body: 'input',
    fill: { orgId: 'callerOrg' },
    aliases: ORG_ALIASES,
    operation: /* GraphQL */ `
      mutation IdentityCreateApiKey($input: CreateApiKeyInput!) {
        createApiKey(input: $input) {
          key
          signingSecret
          apiKey { id name prefix scopes role workflowId status organizationId createdAt expiresAt }
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/api-keys/{id}',
    owner: 'identity',
    summary: 'Get key metadata (no secrets)',
    operation: /* GraphQL */ `
      query IdentityGetApiKey($id: ID!) {
        apiKey(id: $id) {
          id name prefix scopes role workflowId status organizationId
          createdAt expiresAt disabledAt revokedAt previousKeyExpiresAt lastUsedAt usageCount
        }
      }
    `,
  },
  {
    method: 'DELETE',
    path: '/v1/api-keys/{id}',
    owner: 'identity',
    summary: 'Revoke key (immediately unusable on every gateway)',
    operation: /* GraphQL */ `
      mutation IdentityRevokeApiKey($id: ID!) {
        revokeApiKey(id: $id) { id name prefix status revokedAt }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/api-keys/{id}/disable',
    owner: 'identity',
    summary: 'Disable key',
    operation: /* GraphQL */ `
      mutation IdentityDisableApiKey($id: ID!) {
        disableApiKey(id: $id) { id name prefix status disabledAt }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/api-keys',
    owner: 'identity',
    summary: "List an org's API keys (no secrets)",
    paginated: true,
    operation: /* GraphQL */ `
      query IdentityListOrgApiKeys($orgId: ID!, $workflowId: ID, $includeRevoked: Boolean, $limit: Int, $cursor: String) {
        apiKeys(orgId: $orgId, workflowId: $workflowId, includeRevoked: $includeRevoked, limit: $limit, cursor: $cursor) {
          items {
            id name prefix scopes role workflowId status organizationId
            createdAt expiresAt disabledAt revokedAt previousKeyExpiresAt lastUsedAt usageCount
          }
          nextCursor
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/api-keys',
    owner: 'identity',
    summary: 'Mint key (returns the raw key and signing secret once)',
    status: 201,
    body: 'input',
    fill: { orgId: 'path' },
    operation: /* GraphQL */ `
      mutation IdentityMintOrgApiKey($input: CreateApiKeyInput!) {
        createApiKey(input: $input) {
          key
          signingSecret
          apiKey { id name prefix scopes role workflowId status organizationId createdAt expiresAt }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/api-keys/create',
    owner: 'identity',
    summary: 'Create an API key (returns the plaintext once)',
    body: 'input',
    fill: { orgId: 'path' },
    operation: /* GraphQL */ `
      mutation IdentityCreateOrgApiKey($input: CreateApiKeyInput!) {
        createApiKey(input: $input) {
          key
          signingSecret
          apiKey { id name prefix scopes role workflowId status organizationId createdAt expiresAt }
        }
      }
    `,
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/api-keys/{id}',
    owner: 'identity',
    summary: 'Revoke an API key',
    status: 204,
    operation: /* GraphQL */ `
      mutation IdentityRevokeOrgApiKey($orgId: ID!, $id: ID!) {
        revokeApiKey(id: $id, orgId: $orgId) { id status revokedAt }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/api-keys/{id}/rotate',
    owner: 'identity',
    summary: 'Rotate the HMAC secret in place (emits KeyRotated); optional graceSeconds for the old secret',
    operation: /* GraphQL */ `
      mutation IdentityRotateApiKeySecret($orgId: ID!, $id: ID!, $graceSeconds: Int) {
        rotateApiKeySecret(id: $id, orgId: $orgId, graceSeconds: $graceSeconds) {
          signingSecret
          previousSecretExpiresAt
          apiKey { id prefix status }
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/workflows/{workflowId}/api-keys',
    owner: 'identity',
    summary: 'Per-workflow key listing (another organization’s workflow is 404)',
    paginated: true,
    result: 'workflow.organization.apiKeys',
    operation: /* GraphQL */ `
      query IdentityWorkflowApiKeys($workflowId: ID!, $limit: Int, $cursor: String) {
        workflow(id: $workflowId) {
          id
          organization {
            apiKeys(workflowId: $workflowId, limit: $limit, cursor: $cursor) {
              items { id name prefix scopes role workflowId status createdAt expiresAt lastUsedAt usageCount }
              nextCursor
            }
          }
        }
      }
    `,
  },
  // ---- authorization (seed 001) ----------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/authz/check',
    owner: 'identity',
    summary: 'Single permission check: { orgId, permission } (the rules @authz enforces)',
    body: 'input',
    fill: { orgId: 'callerOrg' },
    aliases: { ...ORG_ALIASES, action: 'permission' },
    operation: /* GraphQL */ `
      query IdentityAuthzCheck($input: AuthzCheckInput!) {
        authzCheck(input: $input) { organizationId permission allowed reason requiredRole requiredScope }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/authz/check-batch',
    owner: 'identity',
    summary: 'Batch permission check: { checks: [{ orgId, permission }] } (at most 100)',
    body: 'input',
    // Applied to each check: its organization defaults to the API key's own.
    fill: { orgId: 'callerOrg' },
    aliases: { ...ORG_ALIASES, action: 'permission' },
    operation: /* GraphQL */ `
      query IdentityAuthzCheckBatch($input: AuthzCheckBatchInput!) {
        authzCheckBatch(input: $input) { organizationId permission allowed reason requiredRole requiredScope }
      }
    `,
  },
]);
