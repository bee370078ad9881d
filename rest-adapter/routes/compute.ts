/**
 * Compute's `/v1` routes (routes.tsv rows owned by compute, seed 003): catalog, VMs, clusters, SSH keys,
 * registry credentials and the provider side. Each route names its root field (docs/rest.md); `select`
 * where a seed documents a nested shape the type's fragment leaves out.
 */
import { defineRoutes } from '../route-table.ts';
import { snapshotArchiveHandlers } from '../snapshot-archives.ts';

const owner = 'compute';

// biome-ignore format: a table, one route a line or two
export const computeRoutes = defineRoutes([
  // ---- gpu-models ----------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/gpu-models', owner, query: 'gpuModels',
    summary: 'GPU model catalog' },
  // ---- gpu-availability ----------------------------------------------------------------------------
  { method: 'GET', path: '/v1/gpu-availability', owner, query: 'gpuAvailability',
    summary: 'GPU availability by model (free GPUs of online nodes, live)' },
  // ---- pricing -------------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/pricing', owner, query: 'pricing',
    summary: 'GPU pricing in integer cents per GPU-hour, by model and tier' },
  // ---- locations -----------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/locations', owner, query: 'locations',
    summary: 'Locations / regions' },
  // ---- vm-templates --------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/vm-templates', owner, query: 'vmTemplates',
    summary: 'VM template catalog' },
  // ---- vms -----------------------------------------------------------------------------------------
  { method: 'POST', path: '/v1/orgs/{orgId}/vms/create', owner, body: 'input', mutation: 'createVm(orgId: $orgId, input: $input)',
    summary: 'Create a VM' },
  { method: 'GET', path: '/v1/orgs/{orgId}/vms', owner, paginated: true, query: 'vms(orgId: $orgId, limit: $limit, cursor: $cursor)',
    summary: 'List an org\'s VMs (cursor-paginated, newest first)' },
  { method: 'GET', path: '/v1/vms/{id}', owner, query: 'vm(id: $id)',
    summary: 'Get a VM by id' },
  { method: 'GET', path: '/v1/vms/{id}/detail', owner, query: 'vmDetail(id: $id)',
    summary: 'Get a VM with its GPU/node/template info and price' },
  { method: 'POST', path: '/v1/vms/{id}/stop', owner, mutation: 'stopVm(id: $id)',
    summary: 'Stop a VM' },
  { method: 'POST', path: '/v1/vms/{id}/restart', owner, mutation: 'restartVm(id: $id)',
    summary: 'Restart a VM (in place when running; scheduled again when stopped or failed)' },
  { method: 'POST', path: '/v1/vms/{id}/reboot', owner, status: 204, mutation: 'rebootVm(id: $id)',
    summary: 'Reboot a running VM' },
  { method: 'POST', path: '/v1/vms/{id}/terminate', owner, mutation: 'terminateVm(id: $id)',
    summary: 'Terminate a VM' },
  { method: 'POST', path: '/v1/vms/{id}/resize-disk', owner, status: 204, mutation: 'resizeVmDisk(id: $id, newSizeGb: $newSizeGb)',
    summary: 'Resize a stopped VM\'s disk (larger only)' },
  // ---- clusters ------------------------------------------------------------------------------------
  { method: 'POST', path: '/v1/orgs/{orgId}/clusters/create', owner, body: 'input', mutation: 'createCluster(orgId: $orgId, input: $input)',
    summary: 'Create a cluster' },
  { method: 'GET', path: '/v1/orgs/{orgId}/clusters', owner, paginated: true, query: 'clusters(orgId: $orgId, limit: $limit, cursor: $cursor)',
    summary: 'List an org\'s clusters (cursor-paginated)' },
  { method: 'GET', path: '/v1/clusters/{id}', owner, query: 'cluster(id: $id)',
    summary: 'Get a cluster by id' },
  { method: 'GET', path: '/v1/clusters/{id}/detail', owner, query: 'clusterDetail(id: $id)',
    summary: 'Get a cluster with its replicas (and their health) and GPU model' },
  { method: 'POST', path: '/v1/clusters/{id}/scale', owner, mutation: 'scaleCluster(id: $id, replicaCount: $replicaCount)',
    summary: 'Scale a cluster\'s replica count' },
  { method: 'POST', path: '/v1/clusters/{id}/stop', owner, mutation: 'stopCluster(id: $id)',
    summary: 'Stop a cluster' },
  { method: 'POST', path: '/v1/clusters/{id}/restart', owner, mutation: 'restartCluster(id: $id)',
    summary: 'Restart a cluster' },
  { method: 'POST', path: '/v1/clusters/{id}/terminate', owner, mutation: 'terminateCluster(id: $id)',
    summary: 'Terminate a cluster' },
  // ---- snapshots -----------------------------------------------------------------------------------
  { method: 'POST', path: '/v1/vms/{id}/snapshots', owner, mutation: 'createVmSnapshot(id: $id, name: $name)',
    summary: 'Create a snapshot of a stopped VM\'s disk (409 in any other status)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/snapshots', owner, query: 'snapshots(orgId: $orgId, vmId: $vmId)',
    summary: 'List an org\'s VM snapshots (optionally filtered by source VM)' },
  { method: 'DELETE', path: '/v1/snapshots/{id}', owner, status: 204, mutation: 'deleteSnapshot(id: $id)',
    summary: 'Soft-delete a snapshot (409 while a VM forked from it is not terminated)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/vms/fork', owner, body: 'input', mutation: 'forkVm(orgId: $orgId, input: $input)',
    summary: 'Fork a new VM from a snapshot (its disk restored from the archive, on the snapshot\'s node)' },
  // ---- transfers -----------------------------------------------------------------------------------
  { method: 'POST', path: '/v1/orgs/{orgId}/transfers', owner, body: 'input', mutation: 'initiateTransfer(orgId: $orgId, input: $input)',
    summary: 'Initiate a resource transfer (a VM or cluster) to another org the caller belongs to (owner/admin)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/transfers/incoming', owner, query: 'incomingTransfers(orgId: $orgId)',
    summary: 'Pending incoming transfers (with both organizations\' names)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/transfers/outgoing', owner, query: 'outgoingTransfers(orgId: $orgId)',
    summary: 'Outgoing transfers, all statuses (with both organizations\' names)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/transfers/pending-count', owner, query: 'transferPendingCount(orgId: $orgId)',
    summary: 'Count of pending incoming transfers' },
  { method: 'GET', path: '/v1/transfers/target-orgs', owner, query: 'transferTargetOrgs',
    summary: 'Orgs the caller belongs to (for the transfer target dropdown)' },
  { method: 'POST', path: '/v1/transfers/{id}/accept', owner, status: 204, mutation: 'acceptTransfer(id: $id, sshKeyIds: $sshKeyIds)',
    summary: 'Accept a pending incoming transfer (target org owner/admin): the resource moves atomically' },
  { method: 'POST', path: '/v1/transfers/{id}/cancel', owner, status: 204, mutation: 'cancelTransfer(id: $id)',
    summary: 'Cancel a pending outgoing transfer (source org owner/admin)' },
  { method: 'POST', path: '/v1/transfers/{id}/reject', owner, status: 204, mutation: 'rejectTransfer(id: $id)',
    summary: 'Reject a pending incoming transfer (target org owner/admin)' },
  // ---- runner-pools (job-queue workers; docs/compute.md#runner-pools) -------------------------------
  { method: 'GET', path: '/v1/orgs/{orgId}/runner-pools', owner, query: 'runnerPools(orgId: $orgId)',
    summary: 'List runner pools (with active/queued jobs)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/runner-pools', owner, body: 'input', mutation: 'createRunnerPool(orgId: $orgId, input: $input)',
    summary: 'Create a runner pool (a RAM tier and a size, bound to its own job queue `pool.<id>`)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/runner-pools/{id}', owner, query: 'runnerPool(orgId: $orgId, id: $id)',
    summary: 'Get a runner pool (with active/queued jobs)' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}/runner-pools/{id}', owner, mutation: 'deleteRunnerPool(orgId: $orgId, id: $id)',
    summary: 'Delete a runner pool, or drain it while jobs are queued or running (call again after the drain)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/runner-pools/{id}/jobs', owner, paginated: true, query: 'runnerPoolJobs(orgId: $orgId, id: $id, limit: $limit, cursor: $cursor)',
    summary: 'List a runner pool\'s jobs (cursor-paginated, newest first)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/runner-pools/{id}/metrics', owner, query: 'runnerPoolMetrics(orgId: $orgId, id: $id)',
    summary: 'Runner pool job metrics (last 30 days) + cost against the reference price' },
  { method: 'POST', path: '/v1/orgs/{orgId}/runner-pools/{id}/resize', owner, mutation: 'resizeRunnerPool(orgId: $orgId, id: $id, poolRamGb: $poolRamGb, size: $size)',
    summary: 'Change a runner pool\'s RAM tier (later claims are billed at the new tier) and/or its number of runners' },
  // ---- ssh-keys ------------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/orgs/{orgId}/ssh-keys', owner, query: 'sshKeys(orgId: $orgId)',
    summary: 'List the org\'s SSH public keys' },
  { method: 'POST', path: '/v1/orgs/{orgId}/ssh-keys/create', owner, mutation: 'createSshKey(orgId: $orgId, name: $name, publicKey: $publicKey)',
    summary: 'Add an SSH public key (computes its fingerprint; a duplicate is 409)' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}/ssh-keys/{id}', owner, status: 204, mutation: 'deleteSshKey(orgId: $orgId, id: $id)',
    summary: 'Delete an SSH public key' },
  // ---- vms -----------------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/vms/{id}/ssh-keys', owner, query: 'vmSshKeys(id: $id)',
    summary: 'SSH keys attached to a VM + the org\'s keys' },
  { method: 'POST', path: '/v1/vms/{id}/ssh-keys', owner, status: 204, mutation: 'attachVmSshKey(id: $id, sshKeyId: $sshKeyId)',
    summary: 'Attach an org SSH key to a VM' },
  { method: 'GET', path: '/v1/vms/{id}/telegram-link', owner, query: 'vmTelegramLink(id: $id)',
    summary: 'Get a VM\'s Telegram link (503 telegram_not_configured without a bot)' },
  // ---- registry-credentials ------------------------------------------------------------------------
  { method: 'GET', path: '/v1/orgs/{orgId}/registry-credentials', owner, query: 'registryCredentials(orgId: $orgId)',
    summary: 'List the org\'s registry credentials (never the secrets)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/registry-credentials/create', owner, body: 'input', mutation: 'createRegistryCredential(orgId: $orgId, input: $input)',
    summary: 'Create a registry credential (sealed at rest, never returned)' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}/registry-credentials/{id}', owner, status: 204, mutation: 'deleteRegistryCredential(orgId: $orgId, id: $id)',
    summary: 'Delete a registry credential' },
  // ---- provider ------------------------------------------------------------------------------------
  { method: 'POST', path: '/v1/orgs/{orgId}/provider/apply', owner, status: 204, mutation: 'applyForProvider(orgId: $orgId, note: $note)',
    summary: 'Submit a provider application' },
  { method: 'GET', path: '/v1/orgs/{orgId}/provider/status', owner, query: 'providerStatus(orgId: $orgId)',
    summary: 'Provider status (isProvider + application status)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/provider/tokens', owner, body: 'input', mutation: 'createProvisioningToken(orgId: $orgId, input: $input)',
    summary: 'Generate a provisioning token (shown once; owner/admin, provider only)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/provider/tokens', owner, query: 'provisioningTokens(orgId: $orgId)',
    summary: 'List the org\'s provisioning tokens (never the tokens themselves)' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}/provider/tokens/{id}', owner, status: 204, mutation: 'revokeProvisioningToken(orgId: $orgId, id: $id)',
    summary: 'Revoke a provisioning token (disconnects its nodes\' agents)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/provider/nodes', owner, query: 'providerNodes(orgId: $orgId, status: $status, includeRemoved: $includeRemoved)',
    summary: 'List the provider org\'s nodes (with GPUs + location)' },
  { method: 'PATCH', path: '/v1/orgs/{orgId}/provider/nodes/{nodeId}', owner, body: 'input', mutation: 'updateProviderNode(orgId: $orgId, nodeId: $nodeId, input: $input)',
    summary: 'Set a node\'s operator status (online / draining / maintenance / removed) or labels' },
  { method: 'GET', path: '/v1/orgs/{orgId}/provider/stats', owner, query: 'providerStats(orgId: $orgId)',
    summary: 'Provider node + token stats (utilisation)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/provider/earnings', owner, query: 'providerEarnings(orgId: $orgId)',
    summary: 'Provider earnings (GPU-hours × the provider rate until billing posts earnings)' },
]);

/** Node agents move snapshot archives with their own node credential (rest-adapter/snapshot-archives.ts). */
export const snapshotArchiveRoutes = defineRoutes([
  {
    kind: 'handler',
    method: 'PUT',
    path: '/v1/agent/snapshots/{snapshotId}/archive',
    owner,
    public: true,
    streamedBody: 'application/gzip',
    beyondContract:
      'issue #10: a node agent uploads the snapshot it took, so that a fork can run on any node (seed 003 has no agent routes)',
    summary:
      'Node agents: upload the archive of a snapshot the node is taking (X-Trellis-Node-Id, X-Trellis-Node-Secret); streamed, at most TRELLIS_SNAPSHOT_MAX_BYTES; the snapshot becomes available',
    handler: snapshotArchiveHandlers.upload,
  },
  {
    kind: 'handler',
    method: 'GET',
    path: '/v1/agent/snapshots/{snapshotId}/archive',
    owner,
    public: true,
    produces: 'application/gzip',
    beyondContract: 'issue #10: the node running a fork downloads its snapshot archive (seed 003 has no agent routes)',
    summary:
      'Node agents: download the archive of the snapshot a VM assigned to the node is forked from (X-Trellis-Node-Id, X-Trellis-Node-Secret; X-Content-SHA256)',
    handler: snapshotArchiveHandlers.download,
  },
]);
