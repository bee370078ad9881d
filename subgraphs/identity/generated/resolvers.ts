import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { IdentityContext } from '../index.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** RFC 3339 UTC timestamp. */
  DateTime: { input: Date | string; output: Date | string; }
  /** Arbitrary JSON value. */
  JSON: { input: unknown; output: unknown; }
  /** Integer in the IEEE-754 safe range (±9,007,199,254,740,991): money in cents or micro-dollars. */
  SafeInt: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type AcceptInvitationInput = {
  name?: InputMaybe<Scalars['String']['input']>;
  /** Without a session: the password of the invited email's account (created when it does not exist). */
  password?: InputMaybe<Scalars['String']['input']>;
};

export type AddMemberInput = {
  email: Scalars['String']['input'];
  role: Role;
};

export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  disabledAt?: Maybe<Scalars['DateTime']['output']>;
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** Updated in batches by the gateways (within a few seconds). */
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  organization: Organization;
  organizationId: Scalars['ID']['output'];
  /** First characters of the key, to recognise it in lists. */
  prefix: Scalars['String']['output'];
  /** Until when the key replaced by the last rotation keeps working. */
  previousKeyExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The role the key acts with (its creator's role when it was minted). */
  role: Role;
  scopes: Array<Scalars['String']['output']>;
  status: ApiKeyStatus;
  /** Requests per day over the last `days` days. */
  usage: Array<ApiKeyDailyUsage>;
  /** Requests authenticated with this key (batched like lastUsedAt). */
  usageCount: Scalars['SafeInt']['output'];
  /** The one workflow this key may act on, when bound. */
  workflowId?: Maybe<Scalars['ID']['output']>;
};


export type ApiKeyUsageArgs = {
  days?: InputMaybe<Scalars['Int']['input']>;
};

export type ApiKeyDailyUsage = {
  __typename?: 'ApiKeyDailyUsage';
  day: Scalars['DateTime']['output'];
  requests: Scalars['SafeInt']['output'];
};

export type ApiKeyPage = {
  __typename?: 'ApiKeyPage';
  items: Array<ApiKey>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type ApiKeyStatus =
  | 'ACTIVE'
  | 'DISABLED'
  | 'EXPIRED'
  | 'REVOKED';

/** What `/v1/auth/verify` tells an SDK about its own key. */
export type ApiKeyVerification = {
  __typename?: 'ApiKeyVerification';
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  keyId: Scalars['ID']['output'];
  organizationId: Scalars['ID']['output'];
  prefix: Scalars['String']['output'];
  scopes: Array<Scalars['String']['output']>;
  /** The key's HMAC signing secret (`secret_key`). */
  signingSecret: Scalars['String']['output'];
  valid: Scalars['Boolean']['output'];
  workflowId?: Maybe<Scalars['ID']['output']>;
};

/** What the gateway learns about a credential (internal). */
export type AuthenticatedCredential = {
  __typename?: 'AuthenticatedCredential';
  /** When a cached copy must be dropped (credential or grace-period end). */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  previousSigningSecret?: Maybe<Scalars['String']['output']>;
  /** The principal, as JSON. */
  principal: Scalars['String']['output'];
  signingSecret?: Maybe<Scalars['String']['output']>;
};

export type AuthzCheckBatchInput = {
  checks: Array<AuthzCheckInput>;
};

export type AuthzCheckInput = {
  orgId: Scalars['ID']['input'];
  /** An action of the permission table, e.g. `api_keys:write`. */
  permission: Scalars['String']['input'];
};

export type AuthzDecision = {
  __typename?: 'AuthzDecision';
  allowed: Scalars['Boolean']['output'];
  organizationId: Scalars['ID']['output'];
  permission: Scalars['String']['output'];
  /** The error code that would deny it (org_mismatch, forbidden, insufficient_scope). */
  reason?: Maybe<Scalars['String']['output']>;
  requiredRole: Role;
  requiredScope: Scalars['String']['output'];
};

export type BootstrapInput = {
  name?: InputMaybe<Scalars['String']['input']>;
  orgName?: InputMaybe<Scalars['String']['input']>;
};

export type CreateApiKeyInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** live (default) or test: the key's prefix. */
  environment?: InputMaybe<Scalars['String']['input']>;
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  name: Scalars['String']['input'];
  orgId: Scalars['ID']['input'];
  /** `<resource>:read|write|*` or `*` (the default). */
  scopes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Bind the key to one workflow. */
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

export type CreateInvitationInput = {
  email: Scalars['String']['input'];
  /** Hours until the link expires (1 to 720, default 168 = 7 days). */
  expiresInHours?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  role?: InputMaybe<Role>;
};

export type CreateOrganizationInput = {
  billingEmail?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  /** Lowercase letters, digits and dashes; derived from the name when omitted. */
  slug?: InputMaybe<Scalars['String']['input']>;
};

export type CreateTeamInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  orgId: Scalars['ID']['input'];
};

export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  apiKey: ApiKey;
  /** The plaintext key: shown once, stored only as a hash. */
  key: Scalars['String']['output'];
  /** HMAC signing secret for request signatures: shown at creation and by verify. */
  signingSecret: Scalars['String']['output'];
};

export type CreatedInvitation = {
  __typename?: 'CreatedInvitation';
  invitation: Invitation;
  /** The link token (`tri_…`): shown once, stored only as a hash. Share it if no mailer is configured. */
  token: Scalars['String']['output'];
};

export type DeletedOrganization = {
  __typename?: 'DeletedOrganization';
  deletedAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
};

export type DeletedTeam = {
  __typename?: 'DeletedTeam';
  id: Scalars['ID']['output'];
  organizationId: Scalars['ID']['output'];
};

/** Every action (kernel permission table) the caller may perform in one organization. */
export type EffectivePermissions = {
  __typename?: 'EffectivePermissions';
  organizationId: Scalars['ID']['output'];
  permissions: Array<Scalars['String']['output']>;
  role: Role;
};

/** What an erasure did (`DELETE /v1/me`, `DELETE /v1/users/{id}`). */
export type ErasedUser = {
  __typename?: 'ErasedUser';
  /** Organizations deleted because the user was their only member. */
  deletedOrganizationIds: Array<Scalars['ID']['output']>;
  erasedAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Organizations that were told (one `user.erased` event each) and scrub the user's data in every subgraph. */
  organizationIds: Array<Scalars['ID']['output']>;
};

export type Invitation = {
  __typename?: 'Invitation';
  createdAt: Scalars['DateTime']['output'];
  email: Scalars['String']['output'];
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  invitedBy?: Maybe<User>;
  organization: Organization;
  respondedAt?: Maybe<Scalars['DateTime']['output']>;
  role: Role;
  status: InvitationStatus;
  /** A team invitation: accepting also adds the invitee to this team. */
  teamId?: Maybe<Scalars['ID']['output']>;
  teamRole?: Maybe<TeamRole>;
};

export type InvitationAcceptance = {
  __typename?: 'InvitationAcceptance';
  invitationId: Scalars['ID']['output'];
  organization: Organization;
  role: Role;
  /** A new session, when the invitee accepted without signing in first. */
  session?: Maybe<Session>;
};

/** What the holder of an invitation link may see before answering. */
export type InvitationInfo = {
  __typename?: 'InvitationInfo';
  email: Scalars['String']['output'];
  expiresAt: Scalars['DateTime']['output'];
  invitedByName?: Maybe<Scalars['String']['output']>;
  organizationName: Scalars['String']['output'];
  organizationSlug: Scalars['String']['output'];
  role: Role;
  status: InvitationStatus;
};

export type InvitationPage = {
  __typename?: 'InvitationPage';
  items: Array<Invitation>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type InvitationStatus =
  | 'ACCEPTED'
  | 'DECLINED'
  | 'EXPIRED'
  | 'PENDING'
  | 'REVOKED';

export type LogoutResult = {
  __typename?: 'LogoutResult';
  revokedSessions: Scalars['Int']['output'];
};

/** The authenticated caller. */
export type Me = {
  __typename?: 'Me';
  /** user or api_key. */
  kind: Scalars['String']['output'];
  memberships: Array<MembershipSummary>;
  /** For an API key: the organization it is bound to. */
  organizationId?: Maybe<Scalars['ID']['output']>;
  organizations: Array<Organization>;
  permissions: Array<EffectivePermissions>;
  /** `usr_…` for a signed-in user, `key_…` for an API key. */
  principalId: Scalars['ID']['output'];
  scopes: Array<Scalars['String']['output']>;
  teams: Array<Team>;
  /** The signed-in user; for an API key, the user who minted it. */
  user?: Maybe<User>;
  /** For a workflow-bound API key: its workflow. */
  workflowId?: Maybe<Scalars['ID']['output']>;
};

/** A user's membership of an organization. */
export type Member = {
  __typename?: 'Member';
  joinedAt: Scalars['DateTime']['output'];
  organizationId: Scalars['ID']['output'];
  role: Role;
  user: User;
  userId: Scalars['ID']['output'];
};

export type MemberPage = {
  __typename?: 'MemberPage';
  items: Array<Member>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

/** The caller's role in one organization. */
export type MembershipSummary = {
  __typename?: 'MembershipSummary';
  organization: Organization;
  organizationId: Scalars['ID']['output'];
  role: Role;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Internal: handle a batch for one of this subgraph's event consumers; answers { processed, failed }. */
  _consumeEvents?: Maybe<Scalars['JSON']['output']>;
  /** Batched API-key usage from a gateway (internal). */
  _recordApiKeyUsage?: Maybe<Scalars['Int']['output']>;
  /** Public: accept by link token (signed in, or with the invited account's password). */
  acceptInvitation: InvitationAcceptance;
  /** Accept by id, as the signed-in user the invitation is addressed to. */
  acceptInvitationById: InvitationAcceptance;
  addMember: Member;
  /** Adds an organization member to the team (or changes their team role). */
  addTeamMember: Team;
  /** Idempotent: creates the caller's first organization once. */
  bootstrapOnboarding: OnboardingResult;
  createApiKey: CreatedApiKey;
  createInvitation: CreatedInvitation;
  createOrganization: Organization;
  createTeam: Team;
  /** Invites someone by email to the organization and this team (the link token is shown once). */
  createTeamInvitation: CreatedInvitation;
  declineInvitation: InvitationInfo;
  /** Erases the caller's account (GDPR): personal data removed or pseudonymised in every subgraph. Platform admins cannot. */
  deleteMe: ErasedUser;
  deleteOrganization: DeletedOrganization;
  deleteTeam: DeletedTeam;
  /** Platform administrators: erase another user's account (never one's own). */
  deleteUser: ErasedUser;
  disableApiKey: ApiKey;
  enableApiKey: ApiKey;
  /** Always true: never reveals whether the email has an account. */
  forgotPassword: Scalars['Boolean']['output'];
  login: Session;
  logout: LogoutResult;
  /** Not configured in this deployment: answers 503 service_unavailable. */
  oauthRegister: Session;
  /** Exchanges a refresh token for a new session (the refresh token rotates); reusing a used one revokes the whole sign-in. */
  refreshSession: Session;
  register: Session;
  removeMember: RemovedMember;
  removeTeamMember: Team;
  /** A fresh link token and expiry for a pending invitation (the old link stops working). */
  resendInvitation: CreatedInvitation;
  /** Uses a single-use reset token; ends every session of the account. */
  resetPassword: Scalars['Boolean']['output'];
  revokeApiKey: ApiKey;
  revokeInvitation: Invitation;
  /** New key and signing secret; the old key (and secret) stop working at once, or after graceHours (0 to 720). */
  rollApiKey: CreatedApiKey;
  /** New key; the old one keeps working for graceHours (default 24). The signing secret is unchanged. */
  rotateApiKey: CreatedApiKey;
  /** New HMAC signing secret in place (emits api_key.secret_rotated); the old one is accepted for graceSeconds. */
  rotateApiKeySecret: RotatedApiKeySecret;
  /** Register as seed 000's SDK does: the account, a session, its first organization and an API key with its secret. */
  signUp: Registration;
  /** Name, description, scopes, expiry or active flag. */
  updateApiKey: ApiKey;
  updateMemberRole: Member;
  updateOrganization: Organization;
  updateProfile: User;
  updateTeam: Team;
  /** Platform administrators: change a user's username, email or platform role. */
  updateUser: User;
};


export type Mutation_ConsumeEventsArgs = {
  consumer: Scalars['String']['input'];
  events: Scalars['JSON']['input'];
};


export type Mutation_RecordApiKeyUsageArgs = {
  usage: Scalars['JSON']['input'];
};


export type MutationAcceptInvitationArgs = {
  input?: InputMaybe<AcceptInvitationInput>;
  token: Scalars['String']['input'];
};


export type MutationAcceptInvitationByIdArgs = {
  id: Scalars['ID']['input'];
};


export type MutationAddMemberArgs = {
  input: AddMemberInput;
  orgId: Scalars['ID']['input'];
};


export type MutationAddTeamMemberArgs = {
  role?: InputMaybe<TeamRole>;
  teamId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationBootstrapOnboardingArgs = {
  input?: InputMaybe<BootstrapInput>;
};


export type MutationCreateApiKeyArgs = {
  input: CreateApiKeyInput;
};


export type MutationCreateInvitationArgs = {
  input: CreateInvitationInput;
};


export type MutationCreateOrganizationArgs = {
  input: CreateOrganizationInput;
};


export type MutationCreateTeamArgs = {
  input: CreateTeamInput;
};


export type MutationCreateTeamInvitationArgs = {
  input: TeamInvitationInput;
  teamId: Scalars['ID']['input'];
};


export type MutationDeclineInvitationArgs = {
  token: Scalars['String']['input'];
};


export type MutationDeleteOrganizationArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteTeamArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteUserArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDisableApiKeyArgs = {
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationEnableApiKeyArgs = {
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationForgotPasswordArgs = {
  email: Scalars['String']['input'];
};


export type MutationLoginArgs = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


export type MutationLogoutArgs = {
  all?: InputMaybe<Scalars['Boolean']['input']>;
};


export type MutationOauthRegisterArgs = {
  input: OAuthRegisterInput;
};


export type MutationRefreshSessionArgs = {
  refreshToken: Scalars['String']['input'];
};


export type MutationRegisterArgs = {
  input: RegisterInput;
};


export type MutationRemoveMemberArgs = {
  orgId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationRemoveTeamMemberArgs = {
  teamId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationResendInvitationArgs = {
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationResetPasswordArgs = {
  password: Scalars['String']['input'];
  token: Scalars['String']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationRevokeInvitationArgs = {
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationRollApiKeyArgs = {
  graceHours?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationRotateApiKeyArgs = {
  graceHours?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationRotateApiKeySecretArgs = {
  graceSeconds?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationSignUpArgs = {
  input: RegisterInput;
};


export type MutationUpdateApiKeyArgs = {
  id: Scalars['ID']['input'];
  input: UpdateApiKeyInput;
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationUpdateMemberRoleArgs = {
  orgId: Scalars['ID']['input'];
  role: Role;
  userId: Scalars['ID']['input'];
};


export type MutationUpdateOrganizationArgs = {
  id: Scalars['ID']['input'];
  input: UpdateOrganizationInput;
};


export type MutationUpdateProfileArgs = {
  input: UpdateProfileInput;
};


export type MutationUpdateTeamArgs = {
  id: Scalars['ID']['input'];
  input: UpdateTeamInput;
};


export type MutationUpdateUserArgs = {
  id: Scalars['ID']['input'];
  input: UpdateUserInput;
};

export type OAuthRegisterInput = {
  code?: InputMaybe<Scalars['String']['input']>;
  idToken?: InputMaybe<Scalars['String']['input']>;
  provider: Scalars['String']['input'];
};

export type OnboardingResult = {
  __typename?: 'OnboardingResult';
  /** False when the bootstrap had already run (nothing was created). */
  created: Scalars['Boolean']['output'];
  organization?: Maybe<Organization>;
  user: User;
};

/** A tenant: every resource in Trellis belongs to exactly one organization. */
export type Organization = {
  __typename?: 'Organization';
  /** API keys, newest first (never their secrets); revoked keys only with includeRevoked. */
  apiKeys: ApiKeyPage;
  /** Visible to those who may change it (organizations:write); null for others. */
  billingEmail?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Invitations, newest first. */
  invitations: InvitationPage;
  /** Members, oldest first. */
  members: MemberPage;
  name: Scalars['String']['output'];
  slug: Scalars['String']['output'];
  /** Teams, by name. */
  teams: TeamPage;
  updatedAt: Scalars['DateTime']['output'];
  /** The caller's role in this organization. */
  viewerRole?: Maybe<Role>;
};


/** A tenant: every resource in Trellis belongs to exactly one organization. */
export type OrganizationApiKeysArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  includeRevoked?: InputMaybe<Scalars['Boolean']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


/** A tenant: every resource in Trellis belongs to exactly one organization. */
export type OrganizationInvitationsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<InvitationStatus>;
};


/** A tenant: every resource in Trellis belongs to exactly one organization. */
export type OrganizationMembersArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** A tenant: every resource in Trellis belongs to exactly one organization. */
export type OrganizationTeamsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** One row of the permission table. */
export type PermissionRule = {
  __typename?: 'PermissionRule';
  description: Scalars['String']['output'];
  permission: Scalars['String']['output'];
  role: Role;
  scope: Scalars['String']['output'];
};

/** A user's role on the whole installation (not in an organization). */
export type PlatformRole =
  | 'ADMIN'
  | 'USER';

export type Query = {
  __typename?: 'Query';
  /** The revocation log after afterSeq, for the gateway's catch-up ({ head, events, reset }); refused to anyone else. */
  _authInvalidations?: Maybe<Scalars['JSON']['output']>;
  /** Resolves a credential for the gateway; refused to anyone else. */
  _authenticate?: Maybe<AuthenticatedCredential>;
  apiKey?: Maybe<ApiKey>;
  apiKeys: ApiKeyPage;
  authzCheck: AuthzDecision;
  authzCheckBatch: Array<AuthzDecision>;
  /** Public: what an invitation link is for. */
  invitationByToken: InvitationInfo;
  me: Me;
  /** Everything identity holds about the caller (GDPR export), as JSON; download it before erasing the account. */
  myDataExport: Scalars['JSON']['output'];
  /** Any member or key of the organization may read its basic record; lists need their own permission. */
  organization?: Maybe<Organization>;
  /** The permission table every check answers from. */
  permissionRules: Array<PermissionRule>;
  team?: Maybe<Team>;
  /** Platform administrators: one account. */
  user?: Maybe<User>;
  /** Platform administrators: every account, newest first (erased ones excluded); `search` matches email or username. */
  users: UserPage;
  /** The calling API key's metadata and HMAC signing secret (SDK init). Needs the key itself, unsigned is accepted. */
  verifyApiKey: ApiKeyVerification;
};


export type Query_AuthInvalidationsArgs = {
  afterSeq?: InputMaybe<Scalars['SafeInt']['input']>;
};


export type Query_AuthenticateArgs = {
  credential: Scalars['String']['input'];
};


export type QueryApiKeyArgs = {
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryApiKeysArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  includeRevoked?: InputMaybe<Scalars['Boolean']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryAuthzCheckArgs = {
  input: AuthzCheckInput;
};


export type QueryAuthzCheckBatchArgs = {
  input: AuthzCheckBatchInput;
};


export type QueryInvitationByTokenArgs = {
  token: Scalars['String']['input'];
};


export type QueryOrganizationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTeamArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUsersArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
};

export type RegisterInput = {
  email: Scalars['String']['input'];
  /** An invitation token (`tri_…`) for this email: the account joins that organization. */
  inviteCode?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  /** Sign-up only: the first organization's name (default: derived from the name or email). */
  organizationName?: InputMaybe<Scalars['String']['input']>;
  password: Scalars['String']['input'];
  /** Acceptance of the privacy policy, recorded with its time; false is refused. */
  privacyAccepted?: InputMaybe<Scalars['Boolean']['input']>;
  /** Acceptance of the terms of service, recorded with its time; false is refused. */
  termsAccepted?: InputMaybe<Scalars['Boolean']['input']>;
  /** Optional unique handle (seed 004). */
  username?: InputMaybe<Scalars['String']['input']>;
};

/** A new account (seed 000 sign-up): its session, its first organization, and an API key for the SDK. */
export type Registration = {
  __typename?: 'Registration';
  /** An API key of that organization with its HMAC signing secret (`secret_key`): shown once. */
  apiKey: CreatedApiKey;
  expiresAt: Scalars['DateTime']['output'];
  /** The organization created for the account (or the one its invite code joined). */
  organization: Organization;
  refreshExpiresAt: Scalars['DateTime']['output'];
  refreshToken: Scalars['String']['output'];
  /** The session token (`trs_…`), shown once. */
  token: Scalars['String']['output'];
  user: User;
};

export type RemovedMember = {
  __typename?: 'RemovedMember';
  organizationId: Scalars['ID']['output'];
  userId: Scalars['ID']['output'];
};

/** Membership roles, weakest first. */
export type Role =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER'
  | 'VIEWER';

export type RotatedApiKeySecret = {
  __typename?: 'RotatedApiKeySecret';
  apiKey: ApiKey;
  /** Until when the previous secret is still accepted (null: not at all). */
  previousSecretExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The new HMAC signing secret. */
  signingSecret: Scalars['String']['output'];
};

export type Session = {
  __typename?: 'Session';
  expiresAt: Scalars['DateTime']['output'];
  refreshExpiresAt: Scalars['DateTime']['output'];
  /** Exchanged at `refreshSession` (`/v1/auth/refresh`) for a new session and a new refresh token (`trf_…`), shown once. */
  refreshToken: Scalars['String']['output'];
  /** Opaque bearer token (`trs_…`), shown once. */
  token: Scalars['String']['output'];
  user: User;
};

export type Team = {
  __typename?: 'Team';
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Invitations to this team, newest first (pending only unless a status is given). */
  invitations: Array<Invitation>;
  members: Array<TeamMember>;
  name: Scalars['String']['output'];
  organization: Organization;
  updatedAt: Scalars['DateTime']['output'];
};


export type TeamInvitationsArgs = {
  status?: InputMaybe<InvitationStatus>;
};

export type TeamInvitationInput = {
  email: Scalars['String']['input'];
  /** Role in the team (default MEMBER); the invitee joins the organization as a member. */
  role?: InputMaybe<TeamRole>;
};

export type TeamMember = {
  __typename?: 'TeamMember';
  addedAt: Scalars['DateTime']['output'];
  role: TeamRole;
  user: User;
  userId: Scalars['ID']['output'];
};

export type TeamPage = {
  __typename?: 'TeamPage';
  items: Array<Team>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

/** A member's role in a team (seed 004). */
export type TeamRole =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER';

export type UpdateApiKeyInput = {
  /** false disables the key, true enables it again. */
  active?: InputMaybe<Scalars['Boolean']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  /** A future time, or null to never expire. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  scopes?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type UpdateOrganizationInput = {
  billingEmail?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  slug?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateProfileInput = {
  avatarUrl?: InputMaybe<Scalars['String']['input']>;
  defaultOrganizationId?: InputMaybe<Scalars['ID']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateTeamInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateUserInput = {
  email?: InputMaybe<Scalars['String']['input']>;
  /** Platform role: ADMIN or USER. */
  role?: InputMaybe<PlatformRole>;
  username?: InputMaybe<Scalars['String']['input']>;
};

/** A person who signs in with email and password. */
export type User = {
  __typename?: 'User';
  avatarUrl?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** The organization the dashboard opens by default. */
  defaultOrganizationId?: Maybe<Scalars['ID']['output']>;
  /** Lowercased and trimmed; unique. */
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name?: Maybe<Scalars['String']['output']>;
  /** When the onboarding bootstrap ran. */
  onboardedAt?: Maybe<Scalars['DateTime']['output']>;
  /** ADMIN: an operator of this installation (users administration, gateway controls); USER otherwise. */
  platformRole: PlatformRole;
  /** When the privacy policy was accepted at registration. */
  privacyAcceptedAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the terms of service were accepted at registration. */
  termsAcceptedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Unique (case-insensitively); 3 to 40 letters, digits, `.`, `_` or `-`. */
  username?: Maybe<Scalars['String']['output']>;
};

export type UserPage = {
  __typename?: 'UserPage';
  items: Array<User>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Organization: Organization;
  User: User;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Organization:
    ( { __typename: 'Organization' }
    & GraphQLRecursivePick<FederationTypes['Organization'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AcceptInvitationInput: ResolverTypeWrapper<Partial<AcceptInvitationInput>>;
  AddMemberInput: ResolverTypeWrapper<Partial<AddMemberInput>>;
  ApiKey: ResolverTypeWrapper<Partial<ApiKey>>;
  ID: ResolverTypeWrapper<Partial<Scalars['ID']['output']>>;
  Int: ResolverTypeWrapper<Partial<Scalars['Int']['output']>>;
  ApiKeyDailyUsage: ResolverTypeWrapper<Partial<ApiKeyDailyUsage>>;
  ApiKeyPage: ResolverTypeWrapper<Partial<ApiKeyPage>>;
  ApiKeyStatus: ResolverTypeWrapper<Partial<ApiKeyStatus>>;
  ApiKeyVerification: ResolverTypeWrapper<Partial<ApiKeyVerification>>;
  Boolean: ResolverTypeWrapper<Partial<Scalars['Boolean']['output']>>;
  AuthenticatedCredential: ResolverTypeWrapper<Partial<AuthenticatedCredential>>;
  AuthzCheckBatchInput: ResolverTypeWrapper<Partial<AuthzCheckBatchInput>>;
  AuthzCheckInput: ResolverTypeWrapper<Partial<AuthzCheckInput>>;
  AuthzDecision: ResolverTypeWrapper<Partial<AuthzDecision>>;
  BootstrapInput: ResolverTypeWrapper<Partial<BootstrapInput>>;
  CreateApiKeyInput: ResolverTypeWrapper<Partial<CreateApiKeyInput>>;
  CreateInvitationInput: ResolverTypeWrapper<Partial<CreateInvitationInput>>;
  CreateOrganizationInput: ResolverTypeWrapper<Partial<CreateOrganizationInput>>;
  CreateTeamInput: ResolverTypeWrapper<Partial<CreateTeamInput>>;
  CreatedApiKey: ResolverTypeWrapper<Partial<CreatedApiKey>>;
  CreatedInvitation: ResolverTypeWrapper<Partial<CreatedInvitation>>;
  DateTime: ResolverTypeWrapper<Partial<Scalars['DateTime']['output']>>;
  DeletedOrganization: ResolverTypeWrapper<Partial<DeletedOrganization>>;
  DeletedTeam: ResolverTypeWrapper<Partial<DeletedTeam>>;
  EffectivePermissions: ResolverTypeWrapper<Partial<EffectivePermissions>>;
  ErasedUser: ResolverTypeWrapper<Partial<ErasedUser>>;
  Invitation: ResolverTypeWrapper<Partial<Invitation>>;
  InvitationAcceptance: ResolverTypeWrapper<Partial<InvitationAcceptance>>;
  InvitationInfo: ResolverTypeWrapper<Partial<InvitationInfo>>;
  InvitationPage: ResolverTypeWrapper<Partial<InvitationPage>>;
  InvitationStatus: ResolverTypeWrapper<Partial<InvitationStatus>>;
  JSON: ResolverTypeWrapper<Partial<Scalars['JSON']['output']>>;
  LogoutResult: ResolverTypeWrapper<Partial<LogoutResult>>;
  Me: ResolverTypeWrapper<Partial<Me>>;
  Member: ResolverTypeWrapper<Partial<Member>>;
  MemberPage: ResolverTypeWrapper<Partial<MemberPage>>;
  MembershipSummary: ResolverTypeWrapper<Partial<MembershipSummary>>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OAuthRegisterInput: ResolverTypeWrapper<Partial<OAuthRegisterInput>>;
  OnboardingResult: ResolverTypeWrapper<Partial<OnboardingResult>>;
  Organization: ResolverTypeWrapper<Partial<Organization>>;
  PermissionRule: ResolverTypeWrapper<Partial<PermissionRule>>;
  PlatformRole: ResolverTypeWrapper<Partial<PlatformRole>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RegisterInput: ResolverTypeWrapper<Partial<RegisterInput>>;
  Registration: ResolverTypeWrapper<Partial<Registration>>;
  RemovedMember: ResolverTypeWrapper<Partial<RemovedMember>>;
  Role: ResolverTypeWrapper<Partial<Role>>;
  RotatedApiKeySecret: ResolverTypeWrapper<Partial<RotatedApiKeySecret>>;
  SafeInt: ResolverTypeWrapper<Partial<Scalars['SafeInt']['output']>>;
  Session: ResolverTypeWrapper<Partial<Session>>;
  Team: ResolverTypeWrapper<Partial<Team>>;
  TeamInvitationInput: ResolverTypeWrapper<Partial<TeamInvitationInput>>;
  TeamMember: ResolverTypeWrapper<Partial<TeamMember>>;
  TeamPage: ResolverTypeWrapper<Partial<TeamPage>>;
  TeamRole: ResolverTypeWrapper<Partial<TeamRole>>;
  UpdateApiKeyInput: ResolverTypeWrapper<Partial<UpdateApiKeyInput>>;
  UpdateOrganizationInput: ResolverTypeWrapper<Partial<UpdateOrganizationInput>>;
  UpdateProfileInput: ResolverTypeWrapper<Partial<UpdateProfileInput>>;
  UpdateTeamInput: ResolverTypeWrapper<Partial<UpdateTeamInput>>;
  UpdateUserInput: ResolverTypeWrapper<Partial<UpdateUserInput>>;
  User: ResolverTypeWrapper<Partial<User>>;
  UserPage: ResolverTypeWrapper<Partial<UserPage>>;
  String: ResolverTypeWrapper<Partial<Scalars['String']['output']>>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AcceptInvitationInput: Partial<AcceptInvitationInput>;
  AddMemberInput: Partial<AddMemberInput>;
  ApiKey: Partial<ApiKey>;
  ID: Partial<Scalars['ID']['output']>;
  Int: Partial<Scalars['Int']['output']>;
  ApiKeyDailyUsage: Partial<ApiKeyDailyUsage>;
  ApiKeyPage: Partial<ApiKeyPage>;
  ApiKeyVerification: Partial<ApiKeyVerification>;
  Boolean: Partial<Scalars['Boolean']['output']>;
  AuthenticatedCredential: Partial<AuthenticatedCredential>;
  AuthzCheckBatchInput: Partial<AuthzCheckBatchInput>;
  AuthzCheckInput: Partial<AuthzCheckInput>;
  AuthzDecision: Partial<AuthzDecision>;
  BootstrapInput: Partial<BootstrapInput>;
  CreateApiKeyInput: Partial<CreateApiKeyInput>;
  CreateInvitationInput: Partial<CreateInvitationInput>;
  CreateOrganizationInput: Partial<CreateOrganizationInput>;
  CreateTeamInput: Partial<CreateTeamInput>;
  CreatedApiKey: Partial<CreatedApiKey>;
  CreatedInvitation: Partial<CreatedInvitation>;
  DateTime: Partial<Scalars['DateTime']['output']>;
  DeletedOrganization: Partial<DeletedOrganization>;
  DeletedTeam: Partial<DeletedTeam>;
  EffectivePermissions: Partial<EffectivePermissions>;
  ErasedUser: Partial<ErasedUser>;
  Invitation: Partial<Invitation>;
  InvitationAcceptance: Partial<InvitationAcceptance>;
  InvitationInfo: Partial<InvitationInfo>;
  InvitationPage: Partial<InvitationPage>;
  JSON: Partial<Scalars['JSON']['output']>;
  LogoutResult: Partial<LogoutResult>;
  Me: Partial<Me>;
  Member: Partial<Member>;
  MemberPage: Partial<MemberPage>;
  MembershipSummary: Partial<MembershipSummary>;
  Mutation: Record<PropertyKey, never>;
  OAuthRegisterInput: Partial<OAuthRegisterInput>;
  OnboardingResult: Partial<OnboardingResult>;
  Organization: Partial<Organization | FederationReferenceTypes['Organization']>;
  PermissionRule: Partial<PermissionRule>;
  Query: Record<PropertyKey, never>;
  RegisterInput: Partial<RegisterInput>;
  Registration: Partial<Registration>;
  RemovedMember: Partial<RemovedMember>;
  RotatedApiKeySecret: Partial<RotatedApiKeySecret>;
  SafeInt: Partial<Scalars['SafeInt']['output']>;
  Session: Partial<Session>;
  Team: Partial<Team>;
  TeamInvitationInput: Partial<TeamInvitationInput>;
  TeamMember: Partial<TeamMember>;
  TeamPage: Partial<TeamPage>;
  UpdateApiKeyInput: Partial<UpdateApiKeyInput>;
  UpdateOrganizationInput: Partial<UpdateOrganizationInput>;
  UpdateProfileInput: Partial<UpdateProfileInput>;
  UpdateTeamInput: Partial<UpdateTeamInput>;
  UpdateUserInput: Partial<UpdateUserInput>;
  User: Partial<User | FederationReferenceTypes['User']>;
  UserPage: Partial<UserPage>;
  String: Partial<Scalars['String']['output']>;
}>;

export type AuthzDirectiveArgs = {
  org?: Maybe<Scalars['String']['input']>;
  permission?: Maybe<Scalars['String']['input']>;
  workflow?: Maybe<Scalars['String']['input']>;
};

export type AuthzDirectiveResolver<Result, Parent, ContextType = IdentityContext, Args = AuthzDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type PublicDirectiveArgs = { };

export type PublicDirectiveResolver<Result, Parent, ContextType = IdentityContext, Args = PublicDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ApiKeyResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  disabledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  previousKeyExpiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ApiKeyStatus'], ParentType, ContextType>;
  usage?: Resolver<Array<ResolversTypes['ApiKeyDailyUsage']>, ParentType, ContextType, RequireFields<ApiKeyUsageArgs, 'days'>>;
  usageCount?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type ApiKeyDailyUsageResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['ApiKeyDailyUsage'] = ResolversParentTypes['ApiKeyDailyUsage']> = ResolversObject<{
  day?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  requests?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type ApiKeyPageResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['ApiKeyPage'] = ResolversParentTypes['ApiKeyPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ApiKeyVerificationResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['ApiKeyVerification'] = ResolversParentTypes['ApiKeyVerification']> = ResolversObject<{
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  keyId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  signingSecret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  valid?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type AuthenticatedCredentialResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['AuthenticatedCredential'] = ResolversParentTypes['AuthenticatedCredential']> = ResolversObject<{
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  previousSigningSecret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  principal?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  signingSecret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AuthzDecisionResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['AuthzDecision'] = ResolversParentTypes['AuthzDecision']> = ResolversObject<{
  allowed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  permission?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  requiredRole?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  requiredScope?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CreatedApiKeyResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['CreatedApiKey'] = ResolversParentTypes['CreatedApiKey']> = ResolversObject<{
  apiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  signingSecret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CreatedInvitationResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['CreatedInvitation'] = ResolversParentTypes['CreatedInvitation']> = ResolversObject<{
  invitation?: Resolver<ResolversTypes['Invitation'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeletedOrganizationResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['DeletedOrganization'] = ResolversParentTypes['DeletedOrganization']> = ResolversObject<{
  deletedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type DeletedTeamResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['DeletedTeam'] = ResolversParentTypes['DeletedTeam']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type EffectivePermissionsResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['EffectivePermissions'] = ResolversParentTypes['EffectivePermissions']> = ResolversObject<{
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  permissions?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
}>;

export type ErasedUserResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['ErasedUser'] = ResolversParentTypes['ErasedUser']> = ResolversObject<{
  deletedOrganizationIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  erasedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  organizationIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type InvitationResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['Invitation'] = ResolversParentTypes['Invitation']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invitedBy?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  respondedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['InvitationStatus'], ParentType, ContextType>;
  teamId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  teamRole?: Resolver<Maybe<ResolversTypes['TeamRole']>, ParentType, ContextType>;
}>;

export type InvitationAcceptanceResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['InvitationAcceptance'] = ResolversParentTypes['InvitationAcceptance']> = ResolversObject<{
  invitationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  session?: Resolver<Maybe<ResolversTypes['Session']>, ParentType, ContextType>;
}>;

export type InvitationInfoResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['InvitationInfo'] = ResolversParentTypes['InvitationInfo']> = ResolversObject<{
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  invitedByName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  organizationName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organizationSlug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['InvitationStatus'], ParentType, ContextType>;
}>;

export type InvitationPageResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['InvitationPage'] = ResolversParentTypes['InvitationPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Invitation']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type LogoutResultResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['LogoutResult'] = ResolversParentTypes['LogoutResult']> = ResolversObject<{
  revokedSessions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MeResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['Me'] = ResolversParentTypes['Me']> = ResolversObject<{
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  memberships?: Resolver<Array<ResolversTypes['MembershipSummary']>, ParentType, ContextType>;
  organizationId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  organizations?: Resolver<Array<ResolversTypes['Organization']>, ParentType, ContextType>;
  permissions?: Resolver<Array<ResolversTypes['EffectivePermissions']>, ParentType, ContextType>;
  principalId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  teams?: Resolver<Array<ResolversTypes['Team']>, ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type MemberResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['Member'] = ResolversParentTypes['Member']> = ResolversObject<{
  joinedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  userId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type MemberPageResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['MemberPage'] = ResolversParentTypes['MemberPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Member']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type MembershipSummaryResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['MembershipSummary'] = ResolversParentTypes['MembershipSummary']> = ResolversObject<{
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  _consumeEvents?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Mutation_ConsumeEventsArgs, 'consumer' | 'events'>>;
  _recordApiKeyUsage?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType, RequireFields<Mutation_RecordApiKeyUsageArgs, 'usage'>>;
  acceptInvitation?: Resolver<ResolversTypes['InvitationAcceptance'], ParentType, ContextType, RequireFields<MutationAcceptInvitationArgs, 'token'>>;
  acceptInvitationById?: Resolver<ResolversTypes['InvitationAcceptance'], ParentType, ContextType, RequireFields<MutationAcceptInvitationByIdArgs, 'id'>>;
  addMember?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationAddMemberArgs, 'input' | 'orgId'>>;
  addTeamMember?: Resolver<ResolversTypes['Team'], ParentType, ContextType, RequireFields<MutationAddTeamMemberArgs, 'role' | 'teamId' | 'userId'>>;
  bootstrapOnboarding?: Resolver<ResolversTypes['OnboardingResult'], ParentType, ContextType, Partial<MutationBootstrapOnboardingArgs>>;
  createApiKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType, RequireFields<MutationCreateApiKeyArgs, 'input'>>;
  createInvitation?: Resolver<ResolversTypes['CreatedInvitation'], ParentType, ContextType, RequireFields<MutationCreateInvitationArgs, 'input'>>;
  createOrganization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType, RequireFields<MutationCreateOrganizationArgs, 'input'>>;
  createTeam?: Resolver<ResolversTypes['Team'], ParentType, ContextType, RequireFields<MutationCreateTeamArgs, 'input'>>;
  createTeamInvitation?: Resolver<ResolversTypes['CreatedInvitation'], ParentType, ContextType, RequireFields<MutationCreateTeamInvitationArgs, 'input' | 'teamId'>>;
  declineInvitation?: Resolver<ResolversTypes['InvitationInfo'], ParentType, ContextType, RequireFields<MutationDeclineInvitationArgs, 'token'>>;
  deleteMe?: Resolver<ResolversTypes['ErasedUser'], ParentType, ContextType>;
  deleteOrganization?: Resolver<ResolversTypes['DeletedOrganization'], ParentType, ContextType, RequireFields<MutationDeleteOrganizationArgs, 'id'>>;
  deleteTeam?: Resolver<ResolversTypes['DeletedTeam'], ParentType, ContextType, RequireFields<MutationDeleteTeamArgs, 'id'>>;
  deleteUser?: Resolver<ResolversTypes['ErasedUser'], ParentType, ContextType, RequireFields<MutationDeleteUserArgs, 'id'>>;
  disableApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationDisableApiKeyArgs, 'id'>>;
  enableApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationEnableApiKeyArgs, 'id'>>;
  forgotPassword?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationForgotPasswordArgs, 'email'>>;
  login?: Resolver<ResolversTypes['Session'], ParentType, ContextType, RequireFields<MutationLoginArgs, 'email' | 'password'>>;
  logout?: Resolver<ResolversTypes['LogoutResult'], ParentType, ContextType, RequireFields<MutationLogoutArgs, 'all'>>;
  oauthRegister?: Resolver<ResolversTypes['Session'], ParentType, ContextType, RequireFields<MutationOauthRegisterArgs, 'input'>>;
  refreshSession?: Resolver<ResolversTypes['Session'], ParentType, ContextType, RequireFields<MutationRefreshSessionArgs, 'refreshToken'>>;
  register?: Resolver<ResolversTypes['Session'], ParentType, ContextType, RequireFields<MutationRegisterArgs, 'input'>>;
  removeMember?: Resolver<ResolversTypes['RemovedMember'], ParentType, ContextType, RequireFields<MutationRemoveMemberArgs, 'orgId' | 'userId'>>;
  removeTeamMember?: Resolver<ResolversTypes['Team'], ParentType, ContextType, RequireFields<MutationRemoveTeamMemberArgs, 'teamId' | 'userId'>>;
  resendInvitation?: Resolver<ResolversTypes['CreatedInvitation'], ParentType, ContextType, RequireFields<MutationResendInvitationArgs, 'id'>>;
  resetPassword?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationResetPasswordArgs, 'password' | 'token'>>;
  revokeApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'id'>>;
  revokeInvitation?: Resolver<ResolversTypes['Invitation'], ParentType, ContextType, RequireFields<MutationRevokeInvitationArgs, 'id'>>;
  rollApiKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType, RequireFields<MutationRollApiKeyArgs, 'graceHours' | 'id'>>;
  rotateApiKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType, RequireFields<MutationRotateApiKeyArgs, 'graceHours' | 'id'>>;
  rotateApiKeySecret?: Resolver<ResolversTypes['RotatedApiKeySecret'], ParentType, ContextType, RequireFields<MutationRotateApiKeySecretArgs, 'graceSeconds' | 'id'>>;
  signUp?: Resolver<ResolversTypes['Registration'], ParentType, ContextType, RequireFields<MutationSignUpArgs, 'input'>>;
  updateApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationUpdateApiKeyArgs, 'id' | 'input'>>;
  updateMemberRole?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationUpdateMemberRoleArgs, 'orgId' | 'role' | 'userId'>>;
  updateOrganization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType, RequireFields<MutationUpdateOrganizationArgs, 'id' | 'input'>>;
  updateProfile?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationUpdateProfileArgs, 'input'>>;
  updateTeam?: Resolver<ResolversTypes['Team'], ParentType, ContextType, RequireFields<MutationUpdateTeamArgs, 'id' | 'input'>>;
  updateUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationUpdateUserArgs, 'id' | 'input'>>;
}>;

export type OnboardingResultResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['OnboardingResult'] = ResolversParentTypes['OnboardingResult']> = ResolversObject<{
  created?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  organization?: Resolver<Maybe<ResolversTypes['Organization']>, ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type OrganizationResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  apiKeys?: Resolver<ResolversTypes['ApiKeyPage'], ParentType, ContextType, RequireFields<OrganizationApiKeysArgs, 'includeRevoked'>>;
  billingEmail?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invitations?: Resolver<ResolversTypes['InvitationPage'], ParentType, ContextType, Partial<OrganizationInvitationsArgs>>;
  members?: Resolver<ResolversTypes['MemberPage'], ParentType, ContextType, Partial<OrganizationMembersArgs>>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  slug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  teams?: Resolver<ResolversTypes['TeamPage'], ParentType, ContextType, Partial<OrganizationTeamsArgs>>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  viewerRole?: Resolver<Maybe<ResolversTypes['Role']>, ParentType, ContextType>;
}>;

export type PermissionRuleResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['PermissionRule'] = ResolversParentTypes['PermissionRule']> = ResolversObject<{
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  permission?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  _authInvalidations?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, Partial<Query_AuthInvalidationsArgs>>;
  _authenticate?: Resolver<Maybe<ResolversTypes['AuthenticatedCredential']>, ParentType, ContextType, RequireFields<Query_AuthenticateArgs, 'credential'>>;
  apiKey?: Resolver<Maybe<ResolversTypes['ApiKey']>, ParentType, ContextType, RequireFields<QueryApiKeyArgs, 'id'>>;
  apiKeys?: Resolver<ResolversTypes['ApiKeyPage'], ParentType, ContextType, RequireFields<QueryApiKeysArgs, 'includeRevoked' | 'orgId'>>;
  authzCheck?: Resolver<ResolversTypes['AuthzDecision'], ParentType, ContextType, RequireFields<QueryAuthzCheckArgs, 'input'>>;
  authzCheckBatch?: Resolver<Array<ResolversTypes['AuthzDecision']>, ParentType, ContextType, RequireFields<QueryAuthzCheckBatchArgs, 'input'>>;
  invitationByToken?: Resolver<ResolversTypes['InvitationInfo'], ParentType, ContextType, RequireFields<QueryInvitationByTokenArgs, 'token'>>;
  me?: Resolver<ResolversTypes['Me'], ParentType, ContextType>;
  myDataExport?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  organization?: Resolver<Maybe<ResolversTypes['Organization']>, ParentType, ContextType, RequireFields<QueryOrganizationArgs, 'id'>>;
  permissionRules?: Resolver<Array<ResolversTypes['PermissionRule']>, ParentType, ContextType>;
  team?: Resolver<Maybe<ResolversTypes['Team']>, ParentType, ContextType, RequireFields<QueryTeamArgs, 'id'>>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType, RequireFields<QueryUserArgs, 'id'>>;
  users?: Resolver<ResolversTypes['UserPage'], ParentType, ContextType, Partial<QueryUsersArgs>>;
  verifyApiKey?: Resolver<ResolversTypes['ApiKeyVerification'], ParentType, ContextType>;
}>;

export type RegistrationResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['Registration'] = ResolversParentTypes['Registration']> = ResolversObject<{
  apiKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  refreshExpiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  refreshToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type RemovedMemberResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['RemovedMember'] = ResolversParentTypes['RemovedMember']> = ResolversObject<{
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  userId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type RotatedApiKeySecretResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['RotatedApiKeySecret'] = ResolversParentTypes['RotatedApiKeySecret']> = ResolversObject<{
  apiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
  previousSecretExpiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  signingSecret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface SafeIntScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['SafeInt'], any> {
  name: 'SafeInt';
}

export type SessionResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['Session'] = ResolversParentTypes['Session']> = ResolversObject<{
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  refreshExpiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  refreshToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type TeamResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['Team'] = ResolversParentTypes['Team']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invitations?: Resolver<Array<ResolversTypes['Invitation']>, ParentType, ContextType, RequireFields<TeamInvitationsArgs, 'status'>>;
  members?: Resolver<Array<ResolversTypes['TeamMember']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type TeamMemberResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['TeamMember'] = ResolversParentTypes['TeamMember']> = ResolversObject<{
  addedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['TeamRole'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  userId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type TeamPageResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['TeamPage'] = ResolversParentTypes['TeamPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Team']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type UserResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  avatarUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  defaultOrganizationId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  onboardedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  platformRole?: Resolver<ResolversTypes['PlatformRole'], ParentType, ContextType>;
  privacyAcceptedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  termsAcceptedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  username?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type UserPageResolvers<ContextType = IdentityContext, ParentType extends ResolversParentTypes['UserPage'] = ResolversParentTypes['UserPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['User']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = IdentityContext> = ResolversObject<{
  ApiKey?: ApiKeyResolvers<ContextType>;
  ApiKeyDailyUsage?: ApiKeyDailyUsageResolvers<ContextType>;
  ApiKeyPage?: ApiKeyPageResolvers<ContextType>;
  ApiKeyVerification?: ApiKeyVerificationResolvers<ContextType>;
  AuthenticatedCredential?: AuthenticatedCredentialResolvers<ContextType>;
  AuthzDecision?: AuthzDecisionResolvers<ContextType>;
  CreatedApiKey?: CreatedApiKeyResolvers<ContextType>;
  CreatedInvitation?: CreatedInvitationResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeletedOrganization?: DeletedOrganizationResolvers<ContextType>;
  DeletedTeam?: DeletedTeamResolvers<ContextType>;
  EffectivePermissions?: EffectivePermissionsResolvers<ContextType>;
  ErasedUser?: ErasedUserResolvers<ContextType>;
  Invitation?: InvitationResolvers<ContextType>;
  InvitationAcceptance?: InvitationAcceptanceResolvers<ContextType>;
  InvitationInfo?: InvitationInfoResolvers<ContextType>;
  InvitationPage?: InvitationPageResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  LogoutResult?: LogoutResultResolvers<ContextType>;
  Me?: MeResolvers<ContextType>;
  Member?: MemberResolvers<ContextType>;
  MemberPage?: MemberPageResolvers<ContextType>;
  MembershipSummary?: MembershipSummaryResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  OnboardingResult?: OnboardingResultResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  PermissionRule?: PermissionRuleResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Registration?: RegistrationResolvers<ContextType>;
  RemovedMember?: RemovedMemberResolvers<ContextType>;
  RotatedApiKeySecret?: RotatedApiKeySecretResolvers<ContextType>;
  SafeInt?: GraphQLScalarType;
  Session?: SessionResolvers<ContextType>;
  Team?: TeamResolvers<ContextType>;
  TeamMember?: TeamMemberResolvers<ContextType>;
  TeamPage?: TeamPageResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  UserPage?: UserPageResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = IdentityContext> = ResolversObject<{
  authz?: AuthzDirectiveResolver<any, any, ContextType>;
  public?: PublicDirectiveResolver<any, any, ContextType>;
}>;
