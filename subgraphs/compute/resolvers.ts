/** Compute resolvers: translate GraphQL to service calls. */
import type { ComputeContext } from './index.ts';

export const resolvers = {
  Query: {
    vm: (_: unknown, args: { id: string }, ctx: ComputeContext) => ctx.vms.get(ctx.principal, args.id),
  },
  Mutation: {
    createVm: (
      _: unknown,
      args: { orgId: string; input: { name: string; gpuModel: string; gpuCount?: number } },
      ctx: ComputeContext,
    ) => ctx.vms.create(ctx.principal, args.orgId, args.input, ctx.meta.requestId),
  },
  Vm: {
    __resolveReference: (ref: { id: string }, ctx: ComputeContext) => ctx.vms.get(ctx.principal, ref.id),
    organization: (vm: { orgId: string }) => ({ id: vm.orgId }),
    status: (vm: { status: string }) => vm.status.toUpperCase(),
  },
  Organization: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    vms: (org: { id: string }, _: unknown, ctx: ComputeContext) => ctx.vms.listByOrg(org.id),
  },
};
