/** Identity resolvers: translate GraphQL to service calls, nothing more. */
import { TrellisError } from '../../kernel/errors.ts';
import type { IdentityContext } from './index.ts';

type Org = { id: string };

export const resolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: IdentityContext) => ({ principal: ctx.principal }),
    organization: (_: unknown, args: { id: string }, ctx: IdentityContext) => ctx.organizations.get(args.id),
    _authenticate: async (_: unknown, args: { credential: string }, ctx: IdentityContext) => {
      if (ctx.principal.kind !== 'service') throw new TrellisError('forbidden', 'Internal query');
      const resolved = await ctx.accounts.authenticate(args.credential, ctx.box);
      if (!resolved) return null;
      return { principal: JSON.stringify(resolved.principal), signingSecret: resolved.signingSecret ?? null };
    },
  },
  Mutation: {
    register: (_: unknown, args: { input: { email: string; password: string; name?: string } }, ctx: IdentityContext) =>
      ctx.accounts.register(args.input),
    login: (_: unknown, args: { email: string; password: string }, ctx: IdentityContext) =>
      ctx.accounts.login(args.email, args.password),
    createOrganization: (_: unknown, args: { input: { name: string; slug?: string } }, ctx: IdentityContext) =>
      ctx.organizations.create(ctx.principal, args.input, ctx.meta.requestId),
    createApiKey: (
      _: unknown,
      args: { input: { orgId: string; name: string; scopes?: string[]; expiresAt?: Date } },
      ctx: IdentityContext,
    ) => ctx.apiKeys.create(ctx.principal, args.input, ctx.meta.requestId),
  },
  Me: {
    principalId: (me: { principal: IdentityContext['principal'] }) => me.principal.id,
    kind: (me: { principal: IdentityContext['principal'] }) => me.principal.kind,
    scopes: (me: { principal: IdentityContext['principal'] }) => me.principal.scopes,
    user: (me: { principal: IdentityContext['principal'] }, _: unknown, ctx: IdentityContext) =>
      me.principal.userId ? ctx.accounts.user(me.principal.userId) : null,
    organizations: (me: { principal: IdentityContext['principal'] }, _: unknown, ctx: IdentityContext) =>
      ctx.organizations.listFor(me.principal.memberships.map((m) => m.orgId)),
  },
  Organization: {
    __resolveReference: (ref: Org, ctx: IdentityContext) => ctx.organizations.get(ref.id),
    viewerRole: (org: Org, _: unknown, ctx: IdentityContext) =>
      ctx.principal.memberships.find((m) => m.orgId === org.id)?.role.toUpperCase() ?? null,
  },
  User: {
    __resolveReference: (ref: { id: string }, ctx: IdentityContext) => ctx.accounts.user(ref.id),
  },
  ApiKey: {
    organization: (key: { orgId: string }) => ({ id: key.orgId }),
  },
};
