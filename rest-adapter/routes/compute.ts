/**
 * Compute's `/v1` routes (routes.tsv rows owned by compute, seed 003): catalog, VMs, provider side.
 * Written in the `operation:` form (the compact form had not landed when these were written).
 */
import { defineRoutes } from '../route-table.ts';

export const computeRoutes = defineRoutes([
  // ---- catalog ----------------------------------------------------------------------------------
  {
    method: 'GET',
    path: '/v1/gpu-models',
    owner: 'compute',
    summary: 'GPU model catalog',
    operation: /* GraphQL */ `query ComputeGpuModels { gpuModels { id name manufacturer vramGb } }`,
  },
  {
    method: 'GET',
    path: '/v1/gpu-availability',
    owner: 'compute',
    summary: 'GPU availability by model (free GPUs of online nodes, live)',
    operation: /* GraphQL */ `
      query ComputeGpuAvailability {
        gpuAvailability { gpuModelId name availableGpus totalGpus regions { region tier availableGpus totalGpus } }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/pricing',
    owner: 'compute',
    summary: 'GPU pricing in integer cents per GPU-hour, by model and tier',
    operation: /* GraphQL */ `
      query ComputePricing {
        pricing { currency gpus { gpuModelId gpuModelName tier pricePerGpuHourCents providerPricePerGpuHourCents } }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/locations',
    owner: 'compute',
    summary: 'Locations / regions',
    operation: /* GraphQL */ `query ComputeLocations { locations { id name country } }`,
  },
  {
    method: 'GET',
    path: '/v1/vm-templates',
    owner: 'compute',
    summary: 'VM template catalog',
    operation: /* GraphQL */ `
      query ComputeVmTemplates {
        vmTemplates { id name description imageUrl containerPort containerCommand gpuModelId gpuCount diskSizeGb envVars }
      }
    `,
  },

  // ---- VMs -----------------------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/vms/create',
    owner: 'compute',
    summary: 'Create a VM',
    body: 'input',
    status: 201,
    operation: /* GraphQL */ `
      mutation CreateVm($orgId: ID!, $input: CreateVmInput!) { createVm(orgId: $orgId, input: $input) { id name status statusReason gpuModelId gpuCount tier imageUrl containerPort containerCommand envVarNames
          diskSizeGb preferredRegions allowFallback registryCredentialId healthCheckPath healthCheckPort templateId public
          resourceSize privileged kernelModules region nodeId runtime endpointUrl pricePerHourCents createdAt updatedAt
          startedAt terminatedAt organization { id } } }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/vms',
    owner: 'compute',
    summary: "List an org's VMs (cursor-paginated, newest first)",
    paginated: true,
    operation: /* GraphQL */ `
      query ComputeListVms($orgId: ID!, $limit: Int, $cursor: String) {
        vms(orgId: $orgId, limit: $limit, cursor: $cursor) { items { id name status statusReason gpuModelId gpuCount tier imageUrl containerPort containerCommand envVarNames
          diskSizeGb preferredRegions allowFallback registryCredentialId healthCheckPath healthCheckPort templateId public
          resourceSize privileged kernelModules region nodeId runtime endpointUrl pricePerHourCents createdAt updatedAt
          startedAt terminatedAt organization { id } } nextCursor }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/vms/{id}',
    owner: 'compute',
    summary: 'Get a VM by id',
    operation: /* GraphQL */ `query GetVm($id: ID!) { vm(id: $id) { id name status statusReason gpuModelId gpuCount tier imageUrl containerPort containerCommand envVarNames
          diskSizeGb preferredRegions allowFallback registryCredentialId healthCheckPath healthCheckPort templateId public
          resourceSize privileged kernelModules region nodeId runtime endpointUrl pricePerHourCents createdAt updatedAt
          startedAt terminatedAt organization { id } } }`,
  },
  {
    method: 'GET',
    path: '/v1/vms/{id}/detail',
    owner: 'compute',
    summary: 'Get a VM with its GPU/node/template info and price',
    operation: /* GraphQL */ `
      query ComputeVmDetail($id: ID!) {
        vmDetail(id: $id) {
          vm { id name status statusReason gpuModelId gpuCount tier imageUrl containerPort containerCommand envVarNames
          diskSizeGb preferredRegions allowFallback registryCredentialId healthCheckPath healthCheckPort templateId public
          resourceSize privileged kernelModules region nodeId runtime endpointUrl pricePerHourCents createdAt updatedAt
          startedAt terminatedAt organization { id } }
          gpuModel { id name manufacturer vramGb }
          node { id name region tier runtime status }
          template { id name description imageUrl containerPort gpuModelId gpuCount diskSizeGb }
          pricePerHourCents
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/vms/{id}/stop',
    owner: 'compute',
    summary: 'Stop a VM',
    operation: /* GraphQL */ `
      mutation ComputeStopVm($id: ID!) {
        stopVm(id: $id) {
          id name status statusReason gpuModelId gpuCount tier imageUrl containerPort containerCommand envVarNames
          diskSizeGb preferredRegions allowFallback registryCredentialId healthCheckPath healthCheckPort templateId public
          resourceSize privileged kernelModules region nodeId runtime endpointUrl pricePerHourCents createdAt updatedAt
          startedAt terminatedAt organization { id }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/vms/{id}/restart',
    owner: 'compute',
    summary: 'Restart a VM (in place when running; scheduled again when stopped or failed)',
    operation: /* GraphQL */ `
      mutation ComputeRestartVm($id: ID!) {
        restartVm(id: $id) {
          id name status statusReason gpuModelId gpuCount tier imageUrl containerPort containerCommand envVarNames
          diskSizeGb preferredRegions allowFallback registryCredentialId healthCheckPath healthCheckPort templateId public
          resourceSize privileged kernelModules region nodeId runtime endpointUrl pricePerHourCents createdAt updatedAt
          startedAt terminatedAt organization { id }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/vms/{id}/reboot',
    owner: 'compute',
    summary: 'Reboot a running VM',
    status: 204,
    operation: /* GraphQL */ `
      mutation ComputeRebootVm($id: ID!) {
        rebootVm(id: $id) {
          id name status statusReason gpuModelId gpuCount tier imageUrl containerPort containerCommand envVarNames
          diskSizeGb preferredRegions allowFallback registryCredentialId healthCheckPath healthCheckPort templateId public
          resourceSize privileged kernelModules region nodeId runtime endpointUrl pricePerHourCents createdAt updatedAt
          startedAt terminatedAt organization { id }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/vms/{id}/terminate',
    owner: 'compute',
    summary: 'Terminate a VM',
    operation: /* GraphQL */ `
      mutation ComputeTerminateVm($id: ID!) {
        terminateVm(id: $id) {
          id name status statusReason gpuModelId gpuCount tier imageUrl containerPort containerCommand envVarNames
          diskSizeGb preferredRegions allowFallback registryCredentialId healthCheckPath healthCheckPort templateId public
          resourceSize privileged kernelModules region nodeId runtime endpointUrl pricePerHourCents createdAt updatedAt
          startedAt terminatedAt organization { id }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/vms/{id}/resize-disk',
    owner: 'compute',
    summary: "Resize a stopped VM's disk (larger only)",
    status: 204,
    operation: /* GraphQL */ `
      mutation ComputeResizeVmDisk($id: ID!, $newSizeGb: Int!) { resizeVmDisk(id: $id, newSizeGb: $newSizeGb) { id } }
    `,
  },

  // ---- clusters --------------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/clusters/create',
    owner: 'compute',
    summary: 'Create a cluster',
    body: 'input',
    status: 201,
    operation: /* GraphQL */ `
      mutation ComputeCreateCluster($orgId: ID!, $input: CreateClusterInput!) {
        createCluster(orgId: $orgId, input: $input) {
          id name status statusReason replicaCount gpuModelId gpusPerReplica tier imageUrl containerPort
          preferredRegions pricePerHourCents endpointUrl createdAt updatedAt organization { id }
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/clusters',
    owner: 'compute',
    summary: "List an org's clusters (cursor-paginated)",
    paginated: true,
    operation: /* GraphQL */ `
      query ComputeListClusters($orgId: ID!, $limit: Int, $cursor: String) {
        clusters(orgId: $orgId, limit: $limit, cursor: $cursor) {
          items {
            id name status statusReason replicaCount gpuModelId gpusPerReplica tier imageUrl containerPort
          preferredRegions pricePerHourCents endpointUrl createdAt updatedAt organization { id }
          }
          nextCursor
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/clusters/{id}',
    owner: 'compute',
    summary: 'Get a cluster by id',
    operation: /* GraphQL */ `
      query ComputeGetCluster($id: ID!) {
        cluster(id: $id) {
          id name status statusReason replicaCount gpuModelId gpusPerReplica tier imageUrl containerPort
          preferredRegions pricePerHourCents endpointUrl createdAt updatedAt organization { id }
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/clusters/{id}/detail',
    owner: 'compute',
    summary: 'Get a cluster with its replicas (and their health) and GPU model',
    operation: /* GraphQL */ `
      query ComputeClusterDetail($id: ID!) {
        clusterDetail(id: $id) {
          cluster {
            id name status statusReason replicaCount gpuModelId gpusPerReplica tier imageUrl containerPort
          preferredRegions pricePerHourCents endpointUrl createdAt updatedAt organization { id }
          }
          gpuModel { id name manufacturer vramGb }
          replicas { id name status statusReason healthy nodeId region runtime createdAt updatedAt startedAt }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/clusters/{id}/scale',
    owner: 'compute',
    summary: "Scale a cluster's replica count",
    operation: /* GraphQL */ `
      mutation ComputeScaleCluster($id: ID!, $replicaCount: Int!) {
        scaleCluster(id: $id, replicaCount: $replicaCount) {
          id name status statusReason replicaCount gpuModelId gpusPerReplica tier imageUrl containerPort
          preferredRegions pricePerHourCents endpointUrl createdAt updatedAt organization { id }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/clusters/{id}/stop',
    owner: 'compute',
    summary: 'Stop a cluster',
    operation: /* GraphQL */ `
      mutation ComputeStopCluster($id: ID!) {
        stopCluster(id: $id) {
          id name status statusReason replicaCount gpuModelId gpusPerReplica tier imageUrl containerPort
          preferredRegions pricePerHourCents endpointUrl createdAt updatedAt organization { id }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/clusters/{id}/restart',
    owner: 'compute',
    summary: 'Restart a cluster',
    operation: /* GraphQL */ `
      mutation ComputeRestartCluster($id: ID!) {
        restartCluster(id: $id) {
          id name status statusReason replicaCount gpuModelId gpusPerReplica tier imageUrl containerPort
          preferredRegions pricePerHourCents endpointUrl createdAt updatedAt organization { id }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/clusters/{id}/terminate',
    owner: 'compute',
    summary: 'Terminate a cluster',
    operation: /* GraphQL */ `
      mutation ComputeTerminateCluster($id: ID!) {
        terminateCluster(id: $id) {
          id name status statusReason replicaCount gpuModelId gpusPerReplica tier imageUrl containerPort
          preferredRegions pricePerHourCents endpointUrl createdAt updatedAt organization { id }
        }
      }
    `,
  },

  // ---- SSH keys, registry credentials, Telegram --------------------------------------------------
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/ssh-keys',
    owner: 'compute',
    summary: "List the org's SSH public keys",
    operation: /* GraphQL */ `
      query ComputeSshKeys($orgId: ID!) {
        sshKeys(orgId: $orgId) { id name publicKey fingerprint createdAt }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/ssh-keys/create',
    owner: 'compute',
    summary: 'Add an SSH public key (computes its fingerprint; a duplicate is 409)',
    operation: /* GraphQL */ `
      mutation ComputeCreateSshKey($orgId: ID!, $name: String!, $publicKey: String!) {
        createSshKey(orgId: $orgId, name: $name, publicKey: $publicKey) { id name publicKey fingerprint createdAt }
      }
    `,
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/ssh-keys/{id}',
    owner: 'compute',
    summary: 'Delete an SSH public key',
    status: 204,
    operation: /* GraphQL */ `
      mutation ComputeDeleteSshKey($orgId: ID!, $id: ID!) {
        deleteSshKey(orgId: $orgId, id: $id)
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/vms/{id}/ssh-keys',
    owner: 'compute',
    summary: "SSH keys attached to a VM + the org's keys",
    operation: /* GraphQL */ `
      query ComputeVmSshKeys($id: ID!) {
        vmSshKeys(id: $id) {
          attached { id name publicKey fingerprint createdAt }
          available { id name publicKey fingerprint createdAt }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/vms/{id}/ssh-keys',
    owner: 'compute',
    summary: 'Attach an org SSH key to a VM',
    status: 204,
    operation: /* GraphQL */ `
      mutation ComputeAttachVmSshKey($id: ID!, $sshKeyId: ID!) {
        attachVmSshKey(id: $id, sshKeyId: $sshKeyId)
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/vms/{id}/telegram-link',
    owner: 'compute',
    summary: "Get a VM's Telegram link (503 telegram_not_configured without a bot)",
    operation: /* GraphQL */ `
      query ComputeVmTelegramLink($id: ID!) {
        vmTelegramLink(id: $id) { vmId url }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/registry-credentials',
    owner: 'compute',
    summary: "List the org's registry credentials (never the secrets)",
    operation: /* GraphQL */ `
      query ComputeRegistryCredentials($orgId: ID!) {
        registryCredentials(orgId: $orgId) { id name server authType createdAt }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/registry-credentials/create',
    owner: 'compute',
    summary: 'Create a registry credential (sealed at rest, never returned)',
    body: 'input',
    operation: /* GraphQL */ `
      mutation ComputeCreateRegistryCredential($orgId: ID!, $input: CreateRegistryCredentialInput!) {
        createRegistryCredential(orgId: $orgId, input: $input) { id name server authType createdAt }
      }
    `,
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/registry-credentials/{id}',
    owner: 'compute',
    summary: 'Delete a registry credential',
    status: 204,
    operation: /* GraphQL */ `
      mutation ComputeDeleteRegistryCredential($orgId: ID!, $id: ID!) {
        deleteRegistryCredential(orgId: $orgId, id: $id)
      }
    `,
  },

  // ---- provider side -----------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/provider/apply',
    owner: 'compute',
    summary: 'Submit a provider application',
    status: 204,
    operation: /* GraphQL */ `
      mutation ComputeApplyForProvider($orgId: ID!, $note: String!) {
        applyForProvider(orgId: $orgId, note: $note) { isProvider applicationStatus submittedAt }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/provider/status',
    owner: 'compute',
    summary: 'Provider status (isProvider + application status)',
    operation: /* GraphQL */ `query ComputeProviderStatus($orgId: ID!) { providerStatus(orgId: $orgId) { isProvider applicationStatus submittedAt } }`,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/provider/tokens',
    owner: 'compute',
    summary: 'Generate a provisioning token (shown once; owner/admin, provider only)',
    body: 'input',
    operation: /* GraphQL */ `
      mutation ComputeCreateProvisioningToken($orgId: ID!, $input: CreateProvisioningTokenInput) {
        createProvisioningToken(orgId: $orgId, input: $input) { token provisioningToken { id name prefix nodeType nodePool maxNodes nodesEnrolled expiresAt revokedAt createdAt } }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/provider/tokens',
    owner: 'compute',
    summary: "List the org's provisioning tokens (never the tokens themselves)",
    operation: /* GraphQL */ `query ComputeProvisioningTokens($orgId: ID!) { provisioningTokens(orgId: $orgId) { id name prefix nodeType nodePool maxNodes nodesEnrolled expiresAt revokedAt createdAt } }`,
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/provider/tokens/{id}',
    owner: 'compute',
    summary: "Revoke a provisioning token (disconnects its nodes' agents)",
    status: 204,
    operation: /* GraphQL */ `
      mutation ComputeRevokeProvisioningToken($orgId: ID!, $id: ID!) { revokeProvisioningToken(orgId: $orgId, id: $id) }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/provider/nodes',
    owner: 'compute',
    summary: "List the provider org's nodes (with GPUs + location)",
    operation: /* GraphQL */ `
      query ComputeProviderNodes($orgId: ID!, $status: String, $includeRemoved: Boolean) {
        providerNodes(orgId: $orgId, status: $status, includeRemoved: $includeRemoved) { id name status region tier gpuModelId gpuModelName gpuTotal gpuUsed cpuCores memoryGb diskGb runtime labels
          lastHeartbeatAt createdAt }
      }
    `,
  },
  {
    method: 'PATCH',
    path: '/v1/orgs/{orgId}/provider/nodes/{nodeId}',
    owner: 'compute',
    summary: "Set a node's operator status (online / draining / maintenance / removed) or labels",
    body: 'input',
    operation: /* GraphQL */ `
      mutation ComputeUpdateProviderNode($orgId: ID!, $nodeId: ID!, $input: UpdateProviderNodeInput!) {
        updateProviderNode(orgId: $orgId, nodeId: $nodeId, input: $input) { id name status region tier gpuModelId gpuModelName gpuTotal gpuUsed cpuCores memoryGb diskGb runtime labels
          lastHeartbeatAt createdAt }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/provider/stats',
    owner: 'compute',
    summary: 'Provider node + token stats (utilisation)',
    operation: /* GraphQL */ `
      query ComputeProviderStats($orgId: ID!) {
        providerStats(orgId: $orgId) { nodes onlineNodes gpuTotal gpuUsed utilizationPercent activeTokens runningWorkloads }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/provider/earnings',
    owner: 'compute',
    summary: 'Provider earnings (GPU-hours × the provider rate until billing posts earnings)',
    operation: /* GraphQL */ `
      query ComputeProviderEarnings($orgId: ID!) {
        providerEarnings(orgId: $orgId) { currency totalCents gpuHours basis payouts }
      }
    `,
  },
]);
