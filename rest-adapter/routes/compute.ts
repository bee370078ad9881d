/**
 * Compute's `/v1` routes (routes.tsv rows owned by compute, seed 003): catalog, VMs, clusters, SSH keys,
 * registry credentials and the provider side. Each route names its root field (docs/rest.md); `select`
 * where a seed documents a nested shape the type's fragment leaves out.
 */
import { defineRoutes } from '../route-table.ts';

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
