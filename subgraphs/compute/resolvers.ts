/** Compute resolvers: translate GraphQL to service calls. */
import { authorizeReference } from '../../kernel/permissions.ts';
import type { Resolvers } from './generated/resolvers.ts';

/** GraphQL enums are UPPERCASE; compute stores and emits seed 003's lowercase names (REST answers lowercase too). */
const lowercaseValues = (...names: string[]) => Object.fromEntries(names.map((n) => [n.toUpperCase(), n]));

export const resolvers: Resolvers = {
  VmStatus: lowercaseValues(
    'pending',
    'provisioning',
    'running',
    'stopping',
    'stopped',
    'terminating',
    'terminated',
    'failed',
  ),
  ClusterStatus: lowercaseValues('pending', 'running', 'degraded', 'failed', 'stopped', 'terminated'),
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
    cluster: (_, args, ctx) => ctx.clusters.get(ctx.principal, args.id),
    clusterDetail: (_, args, ctx) => ctx.clusters.detail(ctx.principal, args.id),
    clusters: (_, args, ctx) => ctx.clusters.list(args.orgId, args),
    sshKeys: (_, args, ctx) => ctx.access.listSshKeys(args.orgId),
    vmSshKeys: (_, args, ctx) => ctx.access.vmSshKeys(ctx.principal, args.id),
    registryCredentials: (_, args, ctx) => ctx.access.listRegistryCredentials(args.orgId),
    vmTelegramLink: (_, args, ctx) => ctx.access.telegramLink(ctx.principal, args.id),
    agentClusterEndpoints: (_, args, ctx) => ctx.nodes.clusterEndpoints(args.nodeId, args.nodeSecret, args.clusterId),
    snapshots: (_, args, ctx) => ctx.snapshots.list(args.orgId, args.vmId),
    agentSnapshotUpload: async (_, args, ctx) => {
      await ctx.nodes.authenticate(ctx.em as never, args.nodeId, args.nodeSecret);
      return ctx.snapshots.uploadTarget(args.nodeId, args.snapshotId);
    },
    agentSnapshotDownload: async (_, args, ctx) => {
      await ctx.nodes.authenticate(ctx.em as never, args.nodeId, args.nodeSecret);
      return ctx.snapshots.downloadSource(args.nodeId, args.snapshotId);
    },
    incomingTransfers: (_, args, ctx) => ctx.transfers.incoming(args.orgId),
    outgoingTransfers: (_, args, ctx) => ctx.transfers.outgoing(args.orgId),
    transferPendingCount: async (_, args, ctx) => ({ count: await ctx.transfers.pendingCount(args.orgId) }),
    transferTargetOrgs: (_, __, ctx) => ctx.transfers.targetOrgs(ctx.principal),
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
    createCluster: (_, args, ctx) => ctx.clusters.create(ctx.principal, args.orgId, args.input, ctx.meta.requestId),
    scaleCluster: (_, args, ctx) => ctx.clusters.scale(ctx.principal, args.id, args.replicaCount),
    stopCluster: (_, args, ctx) => ctx.clusters.stop(ctx.principal, args.id),
    restartCluster: (_, args, ctx) => ctx.clusters.restart(ctx.principal, args.id),
    terminateCluster: (_, args, ctx) => ctx.clusters.terminate(ctx.principal, args.id),
    createSshKey: (_, args, ctx) => ctx.access.createSshKey(args.orgId, args),
    deleteSshKey: (_, args, ctx) => ctx.access.deleteSshKey(args.orgId, args.id),
    attachVmSshKey: (_, args, ctx) => ctx.access.attachSshKey(ctx.principal, args.id, args.sshKeyId),
    createRegistryCredential: (_, args, ctx) => ctx.access.createRegistryCredential(args.orgId, args.input),
    deleteRegistryCredential: (_, args, ctx) => ctx.access.deleteRegistryCredential(args.orgId, args.id),
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
    createVmSnapshot: (_, args, ctx) => ctx.snapshots.create(ctx.principal, args.id, args.name, ctx.meta.requestId),
    deleteSnapshot: (_, args, ctx) => ctx.snapshots.delete(ctx.principal, args.id, ctx.meta.requestId),
    initiateTransfer: (_, args, ctx) =>
      ctx.transfers.initiate(ctx.principal, args.orgId, args.input, ctx.meta.requestId),
    acceptTransfer: (_, args, ctx) => ctx.transfers.accept(ctx.principal, args.id, args.sshKeyIds, ctx.meta.requestId),
    rejectTransfer: (_, args, ctx) => ctx.transfers.reject(ctx.principal, args.id, ctx.meta.requestId),
    cancelTransfer: (_, args, ctx) => ctx.transfers.cancel(ctx.principal, args.id, ctx.meta.requestId),
    forkVm: (_, args, ctx) => ctx.snapshots.fork(ctx.principal, args.orgId, args.input, ctx.meta.requestId),
    agentSnapshotReport: async (_, args, ctx) => {
      await ctx.nodes.authenticate(ctx.em as never, args.nodeId, args.nodeSecret);
      return ctx.snapshots.report(args.nodeId, args.input);
    },
    recordSnapshotArchive: (_, args, ctx) => ctx.snapshots.recordArchive(args.input, args.signature),
  },
  AgentAssignments: {
    snapshots: (assignments, _, ctx) => ctx.snapshots.nodeTasks((assignments as { nodeId: string }).nodeId),
  },
  Vm: {
    // The rule of `vm(id)` for any subgraph that names a VM.
    __resolveReference: (ref, ctx) =>
      authorizeReference(ctx.principal, 'vms:read', 'VM', () => ctx.vms.get(ctx.principal, ref.id)),
    organization: (vm) => ({ id: vm.orgId }),
  },
  Cluster: {
    __resolveReference: (ref, ctx) =>
      authorizeReference(ctx.principal, 'clusters:read', 'cluster', () => ctx.clusters.get(ctx.principal, ref.id)),
    organization: (cluster) => ({ id: cluster.orgId }),
  },
  Organization: {
    __resolveReference: (ref) => ({ id: ref.id }),
    vms: (org, _, ctx) => ctx.vms.listByOrg(org.id),
  },
};
