/** The vault's and assets' resolvers in compute: translate GraphQL to VaultService / AssetRecords calls. */
import type { ComputeContext } from '../index.ts';
import type { RegisterAssetInput } from './assets.ts';

type Ctx = ComputeContext;
type PutInput = { key: string; value: string; description?: string | null };

export const vaultResolvers = {
  Query: {
    credentials: (_: unknown, args: { orgId: string }, ctx: Ctx) => ctx.vault.list(args.orgId),
    credential: (_: unknown, args: { orgId: string; key: string }, ctx: Ctx) =>
      ctx.vault.reveal(ctx.principal, args.orgId, args.key, ctx.meta.requestId),
    asset: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.assets.get(ctx.principal, args.id),
  },
  Mutation: {
    putCredential: (_: unknown, args: { orgId: string; input: PutInput }, ctx: Ctx) =>
      ctx.vault.put(ctx.principal, args.orgId, args.input, ctx.meta.requestId),
    deleteCredential: (_: unknown, args: { orgId: string; key: string }, ctx: Ctx) =>
      ctx.vault.delete(ctx.principal, args.orgId, args.key, ctx.meta.requestId),
    registerAsset: (_: unknown, args: { input: RegisterAssetInput; signature: string }, ctx: Ctx) =>
      ctx.assets.register(ctx.principal, args.input, args.signature, ctx.meta.requestId),
  },
  AiCallContext: {
    /** Only the AI gateway (which signs the request) receives a value; the access is audited. */
    providerCredential: (
      parent: { orgId: string },
      args: { provider: string; key: string; signature: string },
      ctx: Ctx,
    ) => ctx.vault.openForProvider(ctx.principal, { orgId: parent.orgId, ...args }, ctx.meta.requestId),
  },
};
