/** The AI gateway's resolvers in compute: translate GraphQL to AiRecords calls. */
import type { ComputeContext } from '../index.ts';
import type { RecordAiCallInput } from './records.ts';

type Ctx = ComputeContext;

export const aiResolvers = {
  Query: {
    aiProxy: (_: unknown, args: { orgId: string }, ctx: Ctx) => ctx.ai.proxyInfo(args.orgId),
    aiProxyUsage: (_: unknown, args: { orgId: string; days?: number | null }, ctx: Ctx) =>
      ctx.ai.usage(args.orgId, args.days),
    // `orgId` on the parent for `providerCredential` (vault/resolvers.ts).
    aiCallContext: async (_: unknown, args: { orgId: string }, ctx: Ctx) => ({
      ...(await ctx.ai.settings(args.orgId)),
      orgId: args.orgId,
    }),
  },
  Mutation: {
    updateAiProxySettings: (
      _: unknown,
      args: { orgId: string; input: Parameters<Ctx['ai']['updateSettings']>[2] },
      ctx: Ctx,
    ) => ctx.ai.updateSettings(ctx.principal, args.orgId, args.input, ctx.meta.requestId),
    recordAiCall: (_: unknown, args: { input: RecordAiCallInput; signature: string }, ctx: Ctx) =>
      ctx.ai.record(ctx.principal, args.input, args.signature, ctx.meta.requestId),
  },
};
