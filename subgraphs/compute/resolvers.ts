/** Compute resolvers: translate GraphQL to service calls. */
import type { Resolvers, VmStatus } from './generated/resolvers.ts';

export const resolvers: Resolvers = {
  Query: {
    vm: (_, args, ctx) => ctx.vms.get(ctx.principal, args.id),
  },
  Mutation: {
    createVm: (_, args, ctx) => ctx.vms.create(ctx.principal, args.orgId, args.input, ctx.meta.requestId),
  },
  Vm: {
    __resolveReference: (ref, ctx) => ctx.vms.get(ctx.principal, ref.id),
    organization: (vm) => ({ id: vm.orgId }),
    status: (vm) => vm.status.toUpperCase() as VmStatus,
  },
  Organization: {
    __resolveReference: (ref) => ({ id: ref.id }),
    vms: (org, _, ctx) => ctx.vms.listByOrg(org.id),
  },
};
