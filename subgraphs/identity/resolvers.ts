/** Identity resolvers: translate GraphQL to service calls, nothing more. */
import { requireOrgAccess } from '../../kernel/authz.ts';
import { TrellisError } from '../../kernel/errors.ts';
import type { PageArgs } from '../../kernel/pagination.ts';
import { decide, effectivePermissions, PERMISSIONS, permissionRule } from '../../kernel/permissions.ts';
import { type Principal, roleIn } from '../../kernel/principal.ts';
import { type ApiKeyStatus, keyStatus, type UsageReport } from './api-keys.ts';
import type { ApiKeyRow, InvitationRow, TeamRow, UserRow } from './entities.ts';
import type { IdentityContext } from './index.ts';
import { type InvitationStatus, statusOf } from './invitations.ts';
import { parseTeamRole } from './teams.ts';

type Ctx = IdentityContext;
type Org = { id: string };
type MeParent = { principal: Principal };
type Check = { orgId: string; permission: string };
type RegisterArgs = Parameters<Ctx['accounts']['register']>[0] & { inviteCode?: string; organizationName?: string };

const upper = (value: string) => value.toUpperCase();
const lower = (value: string | null | undefined) => (value ? value.toLowerCase() : value);

function requireService(ctx: Ctx): void {
  if (ctx.principal.kind !== 'service' || ctx.principal.id !== 'svc_gateway')
    throw new TrellisError('forbidden', 'Internal operation');
}

function decision(ctx: Ctx, check: Check) {
  permissionRule(check.permission, 'input.permission');
  return {
    organizationId: check.orgId,
    permission: check.permission,
    ...decide(ctx.principal, check.permission, check.orgId),
  };
}

export const resolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: Ctx): MeParent => ({ principal: ctx.principal }),
    organization: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.organizations.get(args.id),
    team: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.teams.get(ctx.principal, args.id),
    apiKey: (_: unknown, args: { id: string; orgId?: string }, ctx: Ctx) =>
      ctx.apiKeys.get(ctx.principal, args.id, args.orgId),
    apiKeys: (
      _: unknown,
      args: PageArgs & { orgId: string; workflowId?: string; includeRevoked?: boolean },
      ctx: Ctx,
    ) => ctx.apiKeys.list(args.orgId, args, args),
    invitationByToken: (_: unknown, args: { token: string }, ctx: Ctx) => ctx.invitations.info(args.token),
    users: (_: unknown, args: PageArgs & { search?: string }, ctx: Ctx) =>
      ctx.users.list(ctx.principal, args.search, args),
    user: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.users.get(ctx.principal, args.id),
    myDataExport: (_: unknown, __: unknown, ctx: Ctx) => ctx.users.export(ctx.principal),
    verifyApiKey: (_: unknown, __: unknown, ctx: Ctx) => ctx.apiKeys.verifySelf(ctx.principal),
    permissionRules: () => Object.entries(PERMISSIONS).map(([permission, rule]) => ({ permission, ...rule })),
    authzCheck: (_: unknown, args: { input: Check }, ctx: Ctx) => decision(ctx, args.input),
    authzCheckBatch: (_: unknown, args: { input: { checks: Check[] } }, ctx: Ctx) => {
      const { checks } = args.input;
      if (checks.length > 100)
        throw new TrellisError('validation_failed', 'at most 100 checks', { field: 'input.checks' });
      // Same rule as a single check: naming an organization that is not the caller's is 403.
      checks.forEach((check, i) => {
        if (!roleIn(ctx.principal, check.orgId))
          throw new TrellisError('org_mismatch', undefined, { field: `input.checks.${i}.orgId` });
      });
      return checks.map((check) => decision(ctx, check));
    },
    _authenticate: async (_: unknown, args: { credential: string }, ctx: Ctx) => {
      requireService(ctx);
      const resolved = await ctx.accounts.authenticate(args.credential, ctx.box);
      if (!resolved) return null;
      return {
        principal: JSON.stringify(resolved.principal),
        signingSecret: resolved.signingSecret ?? null,
        previousSigningSecret: resolved.previousSigningSecret ?? null,
        expiresAt: resolved.expiresAt ?? null,
      };
    },
    _authInvalidations: (_: unknown, args: { afterSeq?: number | null }, ctx: Ctx) => {
      requireService(ctx);
      return ctx.invalidationsAfter(args.afterSeq ?? null);
    },
  },
  Mutation: {
    register: (_: unknown, args: { input: RegisterArgs }, ctx: Ctx) =>
      ctx.accounts.register(args.input, ctx.meta.clientIp),
    signUp: (_: unknown, args: { input: RegisterArgs }, ctx: Ctx) => ctx.signUp(args.input),
    refreshSession: (_: unknown, args: { refreshToken: string }, ctx: Ctx) => ctx.accounts.refresh(args.refreshToken),
    deleteMe: (_: unknown, __: unknown, ctx: Ctx) => ctx.users.eraseSelf(ctx.principal),
    updateUser: (
      _: unknown,
      args: { id: string; input: { username?: string; email?: string; role?: string } },
      ctx: Ctx,
    ) => ctx.users.update(ctx.principal, args.id, args.input),
    deleteUser: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.users.eraseOther(ctx.principal, args.id),
    login: (_: unknown, args: { email: string; password: string }, ctx: Ctx) =>
      ctx.accounts.login(args.email, args.password, ctx.meta.clientIp),
    oauthRegister: () => {
      throw new TrellisError('service_unavailable', 'OAuth sign-up is not configured on this deployment');
    },
    logout: (_: unknown, args: { all?: boolean }, ctx: Ctx) => ctx.accounts.logout(ctx.principal, args.all ?? false),
    forgotPassword: (_: unknown, args: { email: string }, ctx: Ctx) =>
      ctx.accounts.forgotPassword(args.email, ctx.meta.clientIp),
    resetPassword: (_: unknown, args: { token: string; password: string }, ctx: Ctx) =>
      ctx.accounts.resetPassword(args.token, args.password),
    updateProfile: (_: unknown, args: { input: Parameters<Ctx['accounts']['updateProfile']>[1] }, ctx: Ctx) =>
      ctx.accounts.updateProfile(ctx.principal, args.input),
    bootstrapOnboarding: (_: unknown, args: { input?: { orgName?: string; name?: string } }, ctx: Ctx) =>
      ctx.accounts.bootstrap(ctx.principal, args.input ?? {}, ctx.organizations),

    createOrganization: (
      _: unknown,
      args: { input: { name: string; slug?: string; billingEmail?: string } },
      ctx: Ctx,
    ) => ctx.organizations.create(ctx.principal, args.input),
    updateOrganization: (
      _: unknown,
      args: { id: string; input: { name?: string; slug?: string; billingEmail?: string } },
      ctx: Ctx,
    ) => ctx.organizations.update(ctx.principal, args.id, args.input),
    deleteOrganization: (_: unknown, args: { id: string }, ctx: Ctx) =>
      ctx.organizations.delete(ctx.principal, args.id),
    addMember: (_: unknown, args: { orgId: string; input: { email: string; role: string } }, ctx: Ctx) =>
      ctx.organizations.addMember(ctx.principal, args.orgId, args.input),
    updateMemberRole: (_: unknown, args: { orgId: string; userId: string; role: string }, ctx: Ctx) =>
      ctx.organizations.changeRole(ctx.principal, args.orgId, args.userId, args.role),
    removeMember: (_: unknown, args: { orgId: string; userId: string }, ctx: Ctx) =>
      ctx.organizations.removeMember(ctx.principal, args.orgId, args.userId),

    createTeam: (_: unknown, args: { input: { orgId: string; name: string; description?: string } }, ctx: Ctx) =>
      ctx.teams.create(ctx.principal, args.input),
    updateTeam: (_: unknown, args: { id: string; input: { name?: string; description?: string } }, ctx: Ctx) =>
      ctx.teams.update(ctx.principal, args.id, args.input),
    deleteTeam: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.teams.delete(ctx.principal, args.id),
    addTeamMember: (_: unknown, args: { teamId: string; userId: string; role?: string }, ctx: Ctx) =>
      ctx.teams.addMember(ctx.principal, args.teamId, args.userId, args.role),
    createTeamInvitation: async (
      _: unknown,
      args: { teamId: string; input: { email: string; role?: string } },
      ctx: Ctx,
    ) => {
      const team = await ctx.teams.forInvitation(ctx.principal, args.teamId);
      const teamRole = parseTeamRole(args.input.role ?? 'member', 'input.role');
      return ctx.invitations.create(
        ctx.principal,
        { orgId: team.orgId, email: args.input.email, role: 'member' },
        { teamId: team.id, teamRole },
      );
    },
    removeTeamMember: (_: unknown, args: { teamId: string; userId: string }, ctx: Ctx) =>
      ctx.teams.removeMember(ctx.principal, args.teamId, args.userId),

    createInvitation: (_: unknown, args: { input: { orgId: string; email: string; role?: string } }, ctx: Ctx) =>
      ctx.invitations.create(ctx.principal, args.input),
    revokeInvitation: (_: unknown, args: { id: string; orgId?: string }, ctx: Ctx) =>
      ctx.invitations.revoke(ctx.principal, args.id, args.orgId),
    resendInvitation: (_: unknown, args: { id: string; orgId?: string }, ctx: Ctx) =>
      ctx.invitations.resend(ctx.principal, args.id, args.orgId),
    acceptInvitation: (_: unknown, args: { token: string; input?: { password?: string; name?: string } }, ctx: Ctx) =>
      ctx.invitations.acceptByToken(ctx.principal, args.token, args.input ?? {}, ctx.accounts, ctx.meta.clientIp),
    acceptInvitationById: (_: unknown, args: { id: string }, ctx: Ctx) =>
      ctx.invitations.acceptById(ctx.principal, args.id, ctx.accounts),
    declineInvitation: (_: unknown, args: { token: string }, ctx: Ctx) => ctx.invitations.decline(args.token),

    createApiKey: (_: unknown, args: { input: Parameters<Ctx['apiKeys']['create']>[1] }, ctx: Ctx) =>
      ctx.apiKeys.create(ctx.principal, args.input),
    disableApiKey: (_: unknown, args: { id: string; orgId?: string }, ctx: Ctx) =>
      ctx.apiKeys.disable(ctx.principal, args.id, args.orgId),
    enableApiKey: (_: unknown, args: { id: string; orgId?: string }, ctx: Ctx) =>
      ctx.apiKeys.enable(ctx.principal, args.id, args.orgId),
    revokeApiKey: (_: unknown, args: { id: string; orgId?: string }, ctx: Ctx) =>
      ctx.apiKeys.revoke(ctx.principal, args.id, args.orgId),
    updateApiKey: (
      _: unknown,
      args: { id: string; orgId?: string; input: Parameters<Ctx['apiKeys']['update']>[3] },
      ctx: Ctx,
    ) => ctx.apiKeys.update(ctx.principal, args.id, args.orgId, args.input),
    rollApiKey: (_: unknown, args: { id: string; orgId?: string; graceHours?: number }, ctx: Ctx) =>
      ctx.apiKeys.roll(ctx.principal, args.id, args.orgId, args.graceHours),
    rotateApiKey: (_: unknown, args: { id: string; orgId?: string; graceHours?: number }, ctx: Ctx) =>
      ctx.apiKeys.rotate(ctx.principal, args.id, args.orgId, args.graceHours),
    rotateApiKeySecret: (_: unknown, args: { id: string; orgId?: string; graceSeconds?: number }, ctx: Ctx) =>
      ctx.apiKeys.rotateSecret(ctx.principal, args.id, args.orgId, args.graceSeconds),
    _recordApiKeyUsage: (_: unknown, args: { usage: unknown }, ctx: Ctx) => {
      requireService(ctx);
      if (!Array.isArray(args.usage))
        throw new TrellisError('validation_failed', 'usage must be a list', { field: 'usage' });
      return ctx.apiKeys.recordUsage(args.usage as UsageReport[]);
    },
  },
  Me: {
    principalId: (me: MeParent) => me.principal.id,
    kind: (me: MeParent) => me.principal.kind,
    scopes: (me: MeParent) => me.principal.scopes,
    organizationId: (me: MeParent) => me.principal.orgId ?? null,
    workflowId: (me: MeParent) => me.principal.workflowId ?? null,
    user: (me: MeParent, _: unknown, ctx: Ctx) => (me.principal.userId ? ctx.accounts.user(me.principal.userId) : null),
    organizations: (me: MeParent, _: unknown, ctx: Ctx) =>
      ctx.organizations.listFor(me.principal.memberships.map((m) => m.orgId)),
    memberships: async (me: MeParent, _: unknown, ctx: Ctx) => {
      const orgs = await ctx.organizations.listFor(me.principal.memberships.map((m) => m.orgId));
      return orgs.map((organization) => ({
        organization,
        organizationId: organization.id,
        role: upper(roleIn(me.principal, organization.id) ?? 'viewer'),
      }));
    },
    teams: (me: MeParent, _: unknown, ctx: Ctx) =>
      me.principal.userId
        ? ctx.teams.forUser(
            me.principal.userId,
            me.principal.memberships.map((m) => m.orgId),
          )
        : [],
    permissions: (me: MeParent) =>
      me.principal.memberships.map((m) => ({
        organizationId: m.orgId,
        role: upper(m.role),
        permissions: effectivePermissions(me.principal, m.orgId),
      })),
  },
  Organization: {
    // Every subgraph's objects name their organization: members only, like `organization(id)` (another
    // organization is not found); service principals belong to every organization.
    __resolveReference: (ref: Org, ctx: Ctx) => {
      requireOrgAccess(ctx.principal, ref.id, 'Organization');
      return ctx.organizations.get(ref.id);
    },
    viewerRole: (org: Org, _: unknown, ctx: Ctx) => {
      const role = roleIn(ctx.principal, org.id);
      return role && ctx.principal.kind !== 'service' ? upper(role) : null;
    },
    billingEmail: (org: Org & { billingEmail?: string | null }, _: unknown, ctx: Ctx) =>
      decide(ctx.principal, 'organizations:write', org.id).allowed ? (org.billingEmail ?? null) : null,
    members: (org: Org, args: PageArgs, ctx: Ctx) => ctx.organizations.members(org.id, args),
    teams: (org: Org, args: PageArgs, ctx: Ctx) => ctx.teams.list(org.id, args),
    invitations: (org: Org, args: PageArgs & { status?: string }, ctx: Ctx) =>
      ctx.invitations.list(org.id, lower(args.status) as InvitationStatus | undefined, args),
    apiKeys: (org: Org, args: PageArgs & { workflowId?: string; includeRevoked?: boolean }, ctx: Ctx) =>
      ctx.apiKeys.list(org.id, args, args),
  },
  User: {
    // One's own user (as `me.user`), else the rule of `user(id)` (platform administrators); services read any.
    __resolveReference: (ref: { id: string }, ctx: Ctx) =>
      ctx.principal.kind === 'service' || ref.id === ctx.principal.userId
        ? ctx.accounts.user(ref.id)
        : ctx.users.get(ctx.principal, ref.id),
    defaultOrganizationId: (user: UserRow) => user.defaultOrgId,
    platformRole: (user: UserRow) => (user.platformAdmin ? 'ADMIN' : 'USER'),
  },
  TeamMember: {
    role: (member: { role: string }) => upper(member.role),
  },
  DeletedTeam: {
    organizationId: (team: { organizationId: string }) => team.organizationId,
  },
  Member: {
    organizationId: (member: { orgId: string }) => member.orgId,
    role: (member: { role: string }) => upper(member.role),
  },
  Team: {
    organization: (team: TeamRow) => ({ id: team.orgId }),
    members: (team: TeamRow, _: unknown, ctx: Ctx) => ctx.teams.members(team.id),
    invitations: (team: TeamRow, args: { status?: string | null }, ctx: Ctx) =>
      ctx.invitations.forTeam(team.id, lower(args.status) as InvitationStatus | undefined),
  },
  Invitation: {
    organization: (invitation: InvitationRow) => ({ id: invitation.orgId }),
    role: (invitation: InvitationRow) => upper(invitation.role),
    status: (invitation: InvitationRow) => upper(statusOf(invitation)),
    teamRole: (invitation: InvitationRow) => (invitation.teamRole ? upper(invitation.teamRole) : null),
    invitedBy: (invitation: InvitationRow, _: unknown, ctx: Ctx) =>
      invitation.invitedBy.startsWith('usr_') ? ctx.accounts.user(invitation.invitedBy) : null,
  },
  InvitationInfo: {
    role: (info: { role: string }) => upper(info.role),
    status: (info: { status: string }) => upper(info.status),
  },
  InvitationAcceptance: {
    invitationId: (acceptance: { invitation: InvitationRow }) => acceptance.invitation.id,
    role: (acceptance: { role: string }) => upper(acceptance.role),
  },
  PermissionRule: {
    role: (rule: { role: string }) => upper(rule.role),
  },
  AuthzDecision: {
    requiredRole: (d: { requiredRole: string }) => upper(d.requiredRole),
  },
  ApiKey: {
    organization: (key: ApiKeyRow) => ({ id: key.orgId }),
    organizationId: (key: ApiKeyRow) => key.orgId,
    role: (key: ApiKeyRow) => upper(key.role),
    status: (key: ApiKeyRow): Uppercase<ApiKeyStatus> => upper(keyStatus(key)) as Uppercase<ApiKeyStatus>,
    previousKeyExpiresAt: (key: ApiKeyRow) =>
      key.previousKeyExpiresAt && key.previousKeyExpiresAt > new Date() ? key.previousKeyExpiresAt : null,
    usage: (key: ApiKeyRow, args: { days?: number }, ctx: Ctx) => ctx.apiKeys.usage(key.id, args.days),
  },
} satisfies Record<string, Record<string, unknown>>;
