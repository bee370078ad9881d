/** Compute resolvers: translate GraphQL to service calls. */
import type { Resolvers } from './generated/resolvers.ts';

export const resolvers: Resolvers = {
  Query: {
    gpuModels: (_, __, ctx) => ctx.catalog.gpuModels(),
    locations: (_, __, ctx) => ctx.catalog.locations(),
    vmTemplates: (_, __, ctx) => ctx.catalog.vmTemplates(),
    pricing: (_, __, ctx) => ctx.catalog.pricing(),
    gpuAvailability: (_, __, ctx) => ctx.catalog.gpuAvailability(),
    vm: (_, args, ctx) => ctx.vms.get(ctx.principal, args.id),
    vmDetail: (_, args, ctx) => ctx.vms.detail(ctx.principal, args.id),
    vms: (_, args, ctx) => ctx.vms.list(args.orgId, args),
    providerStatus: (_, args, ctx) => ctx.providers.status(args.orgId),
    provisioningTokens: (_, args, ctx) => ctx.nodes.listTokens(args.orgId),
    providerNodes: (_, args, ctx) => ctx.nodes.listNodes(args.orgId, args.status, args.includeRemoved),
    providerStats: (_, args, ctx) => ctx.nodes.stats(args.orgId),
    providerEarnings: (_, args, ctx) => ctx.providers.earnings(args.orgId),
    agentAssignments: (_, args, ctx) =>
      ctx.nodes.assignments(args.nodeId, args.nodeSecret, args.version, args.waitSeconds),
  },
  Mutation: {
    createVm: (_, args, ctx) => ctx.vms.create(ctx.principal, args.orgId, args.input, ctx.meta.requestId),
    stopVm: (_, args, ctx) => ctx.vms.stop(ctx.principal, args.id, ctx.meta.requestId),
    restartVm: (_, args, ctx) => ctx.vms.restart(ctx.principal, args.id, ctx.meta.requestId),
    rebootVm: (_, args, ctx) => ctx.vms.reboot(ctx.principal, args.id, ctx.meta.requestId),
    terminateVm: (_, args, ctx) => ctx.vms.terminate(ctx.principal, args.id, ctx.meta.requestId),
    resizeVmDisk: (_, args, ctx) => ctx.vms.resizeDisk(ctx.principal, args.id, args.newSizeGb),
    upsertGpuModel: (_, args, ctx) => ctx.catalog.upsertGpuModel(ctx.principal, args.input),
    setGpuPrice: (_, args, ctx) => ctx.catalog.setGpuPrice(ctx.principal, args.input),
    upsertLocation: (_, args, ctx) => ctx.catalog.upsertLocation(ctx.principal, args.input),
    upsertVmTemplate: (_, args, ctx) => ctx.catalog.upsertVmTemplate(ctx.principal, args.input),
    decideProviderApplication: (_, args, ctx) => ctx.providers.decide(ctx.principal, args.orgId, args.approve),
    applyForProvider: (_, args, ctx) => ctx.providers.apply(args.orgId, args.note),
    createProvisioningToken: (_, args, ctx) =>
      ctx.nodes.createToken(args.orgId, args.input ?? {}, (orgId) => ctx.providers.requireProvider(orgId)),
    revokeProvisioningToken: (_, args, ctx) => ctx.nodes.revokeToken(args.orgId, args.id),
    updateProviderNode: (_, args, ctx) => ctx.nodes.updateNode(args.orgId, args.nodeId, args.input),
    agentRegister: (_, args, ctx) => ctx.nodes.register(args.token, args.inventory),
    agentHeartbeat: (_, args, ctx) => ctx.nodes.heartbeat(args.nodeId, args.nodeSecret),
    agentReport: (_, args, ctx) => ctx.nodes.report(args.nodeId, args.nodeSecret, args.input),
  },
  Vm: {
    __resolveReference: (ref, ctx) => ctx.vms.get(ctx.principal, ref.id),
    organization: (vm) => ({ id: vm.orgId }),
  },
  Organization: {
    __resolveReference: (ref) => ({ id: ref.id }),
    vms: (org, _, ctx) => ctx.vms.listByOrg(org.id),
  },
};
