import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { VmView } from '../vms.ts';
import type { ClusterView, ReplicaView } from '../clusters.ts';
import type { OrganizationRef } from '../../../kernel/federation.ts';
import type { ComputeContext } from '../index.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** RFC 3339 UTC timestamp. */
  DateTime: { input: Date | string; output: Date | string; }
  /** Arbitrary JSON value. */
  JSON: { input: unknown; output: unknown; }
  /** Integer in the IEEE-754 safe range (±9,007,199,254,740,991): money in cents or micro-dollars. */
  SafeInt: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type AgentAssignments = {
  __typename?: 'AgentAssignments';
  version: Scalars['String']['output'];
  workloads: Array<AgentWorkload>;
};

export type AgentReportInput = {
  /** host:port of the workload on the node (running). */
  address?: InputMaybe<Scalars['String']['input']>;
  generation: Scalars['Int']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
  /** provisioning | running | stopped | terminated | failed */
  state: Scalars['String']['input'];
  workloadId: Scalars['ID']['input'];
};

export type AgentWorkload = {
  __typename?: 'AgentWorkload';
  clusterId?: Maybe<Scalars['ID']['output']>;
  containerCommand?: Maybe<Array<Scalars['String']['output']>>;
  containerPort: Scalars['Int']['output'];
  /** running | stopped | terminated */
  desiredState: Scalars['String']['output'];
  diskSizeGb: Scalars['Int']['output'];
  envVars: Scalars['JSON']['output'];
  generation: Scalars['Int']['output'];
  healthCheckPath: Scalars['String']['output'];
  healthCheckPort?: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  imageUrl?: Maybe<Scalars['String']['output']>;
  /** vm | replica */
  kind: Scalars['String']['output'];
  name: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  public: Scalars['Boolean']['output'];
  /** Registry credentials opened for this node's agent only (null when none). */
  registryAuth?: Maybe<Scalars['JSON']['output']>;
  sshPublicKeys: Array<Scalars['String']['output']>;
};

/** What the gateway needs to know about an organization before a call. */
export type AiCallContext = {
  __typename?: 'AiCallContext';
  defaultWorkflowId?: Maybe<Scalars['ID']['output']>;
  /** The calling organization's vault value for a provider's `credential` (internal: the AI gateway's signature); null when absent. Audited. */
  providerCredential?: Maybe<Scalars['String']['output']>;
  requestLogging: Scalars['Boolean']['output'];
};


/** What the gateway needs to know about an organization before a call. */
export type AiCallContextProviderCredentialArgs = {
  key: Scalars['String']['input'];
  provider: Scalars['String']['input'];
  signature: Scalars['String']['input'];
};

export type AiCallStatus =
  /** The client went away mid-stream; what was consumed is recorded. */
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED';

/** How to reach the AI proxy: an OpenAI-compatible base URL and a Trellis API key. */
export type AiProxyInfo = {
  __typename?: 'AiProxyInfo';
  /** How a client authenticates, in one line. */
  authentication: Scalars['String']['output'];
  baseUrl: Scalars['String']['output'];
  /** Scopes a proxy-scoped API key carries (create one with POST /v1/orgs/{orgId}/api-keys). */
  keyScopes: Array<Scalars['String']['output']>;
  settings: AiProxySettings;
};

/** The AI proxy settings of an organization. */
export type AiProxySettings = {
  __typename?: 'AiProxySettings';
  /** Governance workflow of calls that name none (no X-Workflow-Id, key not bound to a workflow). */
  defaultWorkflowId?: Maybe<Scalars['ID']['output']>;
  logRetentionDays: Scalars['Int']['output'];
  /** Keep prompts and completions of this organization's calls (off by default), for logRetentionDays. */
  requestLogging: Scalars['Boolean']['output'];
};

export type AiProxySettingsInput = {
  /** A workflow id (wf_…); null clears it. */
  defaultWorkflowId?: InputMaybe<Scalars['ID']['input']>;
  /** 1–90 days. */
  logRetentionDays?: InputMaybe<Scalars['Int']['input']>;
  requestLogging?: InputMaybe<Scalars['Boolean']['input']>;
};

/** AI proxy usage over the last `days` UTC days (today included). */
export type AiProxyUsage = {
  __typename?: 'AiProxyUsage';
  byKey: Array<AiUsageByKey>;
  byModel: Array<AiUsageByModel>;
  daily: Array<AiUsageDay>;
  days: Scalars['Int']['output'];
  since: Scalars['DateTime']['output'];
  totals: AiUsageTotals;
};

export type AiSurface =
  | 'CHAT_COMPLETIONS'
  | 'PROVIDERS_EXECUTE'
  | 'RESPONSES';

export type AiUsageByKey = {
  __typename?: 'AiUsageByKey';
  /** Null for calls made with a session. */
  apiKeyId?: Maybe<Scalars['ID']['output']>;
  calls: Scalars['Int']['output'];
  costMicros: Scalars['SafeInt']['output'];
};

export type AiUsageByModel = {
  __typename?: 'AiUsageByModel';
  calls: Scalars['Int']['output'];
  costMicros: Scalars['SafeInt']['output'];
  inputTokens: Scalars['SafeInt']['output'];
  model: Scalars['String']['output'];
  outputTokens: Scalars['SafeInt']['output'];
  provider: Scalars['String']['output'];
};

export type AiUsageDay = {
  __typename?: 'AiUsageDay';
  calls: Scalars['Int']['output'];
  costMicros: Scalars['SafeInt']['output'];
  /** UTC day, YYYY-MM-DD. */
  date: Scalars['String']['output'];
  failedCalls: Scalars['Int']['output'];
  inputTokens: Scalars['SafeInt']['output'];
  outputTokens: Scalars['SafeInt']['output'];
};

export type AiUsageTotals = {
  __typename?: 'AiUsageTotals';
  calls: Scalars['Int']['output'];
  costMicros: Scalars['SafeInt']['output'];
  failedCalls: Scalars['Int']['output'];
  inputTokens: Scalars['SafeInt']['output'];
  outputTokens: Scalars['SafeInt']['output'];
};

/** An uploaded file (seed 001 assets): its bytes are in the configured storage driver. */
export type Asset = {
  __typename?: 'Asset';
  contentType: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Where to download it: `GET /v1/assets/{id}`. */
  downloadPath: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  /** Hex SHA-256 of the bytes (also the download's ETag). */
  sha256: Scalars['String']['output'];
  sizeBytes: Scalars['SafeInt']['output'];
};

/** An autoscaling inference endpoint: replicas of one workload behind one endpoint. */
export type Cluster = {
  __typename?: 'Cluster';
  containerPort: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Load-balances across healthy replicas; needs a credential of the cluster's organization. */
  endpointUrl?: Maybe<Scalars['String']['output']>;
  gpuModelId: Scalars['String']['output'];
  gpusPerReplica: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  imageUrl?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  organization: Organization;
  preferredRegions: Array<Scalars['String']['output']>;
  /** Price of all desired replicas per hour, in cents. */
  pricePerHourCents: Scalars['Int']['output'];
  /** Desired number of replicas. */
  replicaCount: Scalars['Int']['output'];
  status: ClusterStatus;
  statusReason?: Maybe<Scalars['String']['output']>;
  tier: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type ClusterDetail = {
  __typename?: 'ClusterDetail';
  cluster: Cluster;
  gpuModel?: Maybe<GpuModel>;
  replicas: Array<Replica>;
};

export type ClusterPage = {
  __typename?: 'ClusterPage';
  items: Array<Cluster>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

/** pending | running | degraded | failed | stopped | terminated — derived from the replicas' health. */
export type ClusterStatus =
  | 'DEGRADED'
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING'
  | 'STOPPED'
  | 'TERMINATED';

/** seed 003's cluster body. */
export type CreateClusterInput = {
  allowFallback?: InputMaybe<Scalars['Boolean']['input']>;
  containerCommand?: InputMaybe<Array<Scalars['String']['input']>>;
  containerPort?: InputMaybe<Scalars['Int']['input']>;
  diskSizeGb?: InputMaybe<Scalars['Int']['input']>;
  envVars?: InputMaybe<Scalars['JSON']['input']>;
  gpuModelId?: InputMaybe<Scalars['String']['input']>;
  gpusPerReplica?: InputMaybe<Scalars['Int']['input']>;
  healthCheckPath?: InputMaybe<Scalars['String']['input']>;
  healthCheckPort?: InputMaybe<Scalars['Int']['input']>;
  healthChecks?: InputMaybe<Array<HealthCheckInput>>;
  imageUrl?: InputMaybe<Scalars['String']['input']>;
  kernelModules?: InputMaybe<Array<Scalars['String']['input']>>;
  name: Scalars['String']['input'];
  preferredRegions?: InputMaybe<Array<Scalars['String']['input']>>;
  privileged?: InputMaybe<Scalars['Boolean']['input']>;
  registryCredentialId?: InputMaybe<Scalars['String']['input']>;
  replicaCount?: InputMaybe<Scalars['Int']['input']>;
  resourceSize?: InputMaybe<Scalars['String']['input']>;
  templateId?: InputMaybe<Scalars['String']['input']>;
  tier?: InputMaybe<Scalars['String']['input']>;
};

export type CreateProvisioningTokenInput = {
  expiresInHours?: InputMaybe<Scalars['Int']['input']>;
  /** Enrollment quota; 0/omitted = unlimited. */
  maxNodes?: InputMaybe<Scalars['Int']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  /** Pool (tier) enrolled nodes land in: community (default) or secure. */
  nodePool?: InputMaybe<Scalars['String']['input']>;
  nodeType?: InputMaybe<Scalars['String']['input']>;
};

export type CreateRegistryCredentialInput = {
  authType: Scalars['String']['input'];
  /** basic: { username, password }; token: { token }. */
  credentials: Scalars['JSON']['input'];
  name: Scalars['String']['input'];
  server: Scalars['String']['input'];
};

/** seed 003's create body. Each rejected value is a 422 naming its field. */
export type CreateVmInput = {
  allowFallback?: InputMaybe<Scalars['Boolean']['input']>;
  containerCommand?: InputMaybe<Array<Scalars['String']['input']>>;
  containerPort?: InputMaybe<Scalars['Int']['input']>;
  diskSizeGb?: InputMaybe<Scalars['Int']['input']>;
  envVars?: InputMaybe<Scalars['JSON']['input']>;
  gpuCount?: InputMaybe<Scalars['Int']['input']>;
  gpuModelId?: InputMaybe<Scalars['String']['input']>;
  healthCheckPath?: InputMaybe<Scalars['String']['input']>;
  healthCheckPort?: InputMaybe<Scalars['Int']['input']>;
  healthChecks?: InputMaybe<Array<HealthCheckInput>>;
  /** Recorded, and pulled by the `docker` runtime; the `process` runtime runs its built-in workload instead. */
  imageUrl?: InputMaybe<Scalars['String']['input']>;
  kernelModules?: InputMaybe<Array<Scalars['String']['input']>>;
  name: Scalars['String']['input'];
  preferredRegions?: InputMaybe<Array<Scalars['String']['input']>>;
  privileged?: InputMaybe<Scalars['Boolean']['input']>;
  /** true = open endpoint (no data-plane auth); default false requires an org API key. */
  public?: InputMaybe<Scalars['Boolean']['input']>;
  registryCredentialId?: InputMaybe<Scalars['String']['input']>;
  resourceSize?: InputMaybe<Scalars['String']['input']>;
  sshKeyIds?: InputMaybe<Array<Scalars['String']['input']>>;
  templateId?: InputMaybe<Scalars['String']['input']>;
  /** `community` (default) or `secure`. */
  tier?: InputMaybe<Scalars['String']['input']>;
};

/** The token itself is shown here once; only its SHA-256 is kept. */
export type CreatedProvisioningToken = {
  __typename?: 'CreatedProvisioningToken';
  provisioningToken: ProvisioningToken;
  token: Scalars['String']['output'];
};

/** A secret of the organization's vault (docs/credentials.md): its name and description, never its value. */
export type Credential = {
  __typename?: 'Credential';
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  /** The name jobs, pipeline nodes and providers use to ask for it (`OPENAI_API_KEY`). */
  key: Scalars['String']['output'];
  /** When the value was last read (revealed, or received by a job, a run or a provider). */
  lastAccessedAt?: Maybe<Scalars['DateTime']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** The user or API key that last wrote the value. */
  updatedBy?: Maybe<Scalars['String']['output']>;
};

/** Live availability: the free GPUs of online nodes (neither draining, in maintenance, lost nor removed). */
export type GpuAvailability = {
  __typename?: 'GpuAvailability';
  availableGpus: Scalars['Int']['output'];
  gpuModelId: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  regions: Array<RegionAvailability>;
  totalGpus: Scalars['Int']['output'];
};

export type GpuModel = {
  __typename?: 'GpuModel';
  id: Scalars['ID']['output'];
  manufacturer: Scalars['String']['output'];
  name: Scalars['String']['output'];
  vramGb: Scalars['Int']['output'];
};

export type GpuModelInput = {
  id: Scalars['ID']['input'];
  manufacturer: Scalars['String']['input'];
  name: Scalars['String']['input'];
  vramGb: Scalars['Int']['input'];
};

/** List price of one GPU for one hour, in integer cents, by GPU model and tier (`community`, `secure`). */
export type GpuPrice = {
  __typename?: 'GpuPrice';
  gpuModelId: Scalars['ID']['output'];
  gpuModelName: Scalars['String']['output'];
  pricePerGpuHourCents: Scalars['Int']['output'];
  /** What the provider serving the GPU earns per hour (until billing posts real earnings). */
  providerPricePerGpuHourCents: Scalars['Int']['output'];
  tier: Scalars['String']['output'];
};

export type GpuPriceInput = {
  gpuModelId: Scalars['ID']['input'];
  pricePerGpuHourCents: Scalars['Int']['input'];
  providerPricePerGpuHourCents: Scalars['Int']['input'];
  tier: Scalars['String']['input'];
};

export type HealthCheckInput = {
  intervalSeconds?: InputMaybe<Scalars['Int']['input']>;
  path?: InputMaybe<Scalars['String']['input']>;
  port?: InputMaybe<Scalars['Int']['input']>;
};

export type Location = {
  __typename?: 'Location';
  country: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type LocationInput = {
  country: Scalars['String']['input'];
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Internal: handle a batch for one of this subgraph's event consumers; answers { processed, failed }. */
  _consumeEvents?: Maybe<Scalars['JSON']['output']>;
  agentHeartbeat: Scalars['Boolean']['output'];
  /** The node agent registers with a provisioning token (seed 003) and its inventory. */
  agentRegister: NodeRegistration;
  agentReport: Scalars['Boolean']['output'];
  applyForProvider: ProviderStatus;
  attachVmSshKey: Scalars['Boolean']['output'];
  createCluster: Cluster;
  createProvisioningToken: CreatedProvisioningToken;
  createRegistryCredential: RegistryCredential;
  createSshKey: SshKey;
  createVm: Vm;
  /** Platform administrators: decide a provider application. */
  decideProviderApplication: ProviderStatus;
  deleteCredential: Scalars['Boolean']['output'];
  deleteRegistryCredential: Scalars['Boolean']['output'];
  deleteSshKey: Scalars['Boolean']['output'];
  /** Creates or replaces a credential (the value is not returned). */
  putCredential: Credential;
  rebootVm: Vm;
  /** Records a call the AI gateway made (internal: the signature is the gateway's). True when newly recorded. */
  recordAiCall: Scalars['Boolean']['output'];
  /** Records an upload the REST adapter stored (internal: the signature is the adapter's). */
  registerAsset: Asset;
  resizeVmDisk: Vm;
  restartCluster: Cluster;
  restartVm: Vm;
  revokeProvisioningToken: Scalars['Boolean']['output'];
  scaleCluster: Cluster;
  setGpuPrice: GpuPrice;
  stopCluster: Cluster;
  stopVm: Vm;
  terminateCluster: Cluster;
  terminateVm: Vm;
  updateAiProxySettings: AiProxySettings;
  updateProviderNode: ProviderNode;
  /** Platform administrators: the catalog. */
  upsertGpuModel: GpuModel;
  upsertLocation: Location;
  upsertVmTemplate: VmTemplate;
};


export type Mutation_ConsumeEventsArgs = {
  consumer: Scalars['String']['input'];
  events: Scalars['JSON']['input'];
};


export type MutationAgentHeartbeatArgs = {
  nodeId: Scalars['ID']['input'];
  nodeSecret: Scalars['String']['input'];
};


export type MutationAgentRegisterArgs = {
  inventory: NodeInventoryInput;
  token: Scalars['String']['input'];
};


export type MutationAgentReportArgs = {
  input: AgentReportInput;
  nodeId: Scalars['ID']['input'];
  nodeSecret: Scalars['String']['input'];
};


export type MutationApplyForProviderArgs = {
  note: Scalars['String']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationAttachVmSshKeyArgs = {
  id: Scalars['ID']['input'];
  sshKeyId: Scalars['ID']['input'];
};


export type MutationCreateClusterArgs = {
  input: CreateClusterInput;
  orgId: Scalars['ID']['input'];
};


export type MutationCreateProvisioningTokenArgs = {
  input?: InputMaybe<CreateProvisioningTokenInput>;
  orgId: Scalars['ID']['input'];
};


export type MutationCreateRegistryCredentialArgs = {
  input: CreateRegistryCredentialInput;
  orgId: Scalars['ID']['input'];
};


export type MutationCreateSshKeyArgs = {
  name: Scalars['String']['input'];
  orgId: Scalars['ID']['input'];
  publicKey: Scalars['String']['input'];
};


export type MutationCreateVmArgs = {
  input: CreateVmInput;
  orgId: Scalars['ID']['input'];
};


export type MutationDecideProviderApplicationArgs = {
  approve: Scalars['Boolean']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationDeleteCredentialArgs = {
  key: Scalars['String']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationDeleteRegistryCredentialArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationDeleteSshKeyArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationPutCredentialArgs = {
  input: PutCredentialInput;
  orgId: Scalars['ID']['input'];
};


export type MutationRebootVmArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRecordAiCallArgs = {
  input: RecordAiCallInput;
  signature: Scalars['String']['input'];
};


export type MutationRegisterAssetArgs = {
  input: RegisterAssetInput;
  signature: Scalars['String']['input'];
};


export type MutationResizeVmDiskArgs = {
  id: Scalars['ID']['input'];
  newSizeGb: Scalars['Int']['input'];
};


export type MutationRestartClusterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRestartVmArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeProvisioningTokenArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationScaleClusterArgs = {
  id: Scalars['ID']['input'];
  replicaCount: Scalars['Int']['input'];
};


export type MutationSetGpuPriceArgs = {
  input: GpuPriceInput;
};


export type MutationStopClusterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStopVmArgs = {
  id: Scalars['ID']['input'];
};


export type MutationTerminateClusterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationTerminateVmArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdateAiProxySettingsArgs = {
  input: AiProxySettingsInput;
  orgId: Scalars['ID']['input'];
};


export type MutationUpdateProviderNodeArgs = {
  input: UpdateProviderNodeInput;
  nodeId: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationUpsertGpuModelArgs = {
  input: GpuModelInput;
};


export type MutationUpsertLocationArgs = {
  input: LocationInput;
};


export type MutationUpsertVmTemplateArgs = {
  input: VmTemplateInput;
};

export type NodeInventoryInput = {
  /** host:port where the agent's ingress answers for its workloads. */
  address: Scalars['String']['input'];
  cpuCores?: InputMaybe<Scalars['Int']['input']>;
  diskGb?: InputMaybe<Scalars['Int']['input']>;
  gpuCount: Scalars['Int']['input'];
  gpuModelId: Scalars['String']['input'];
  memoryGb?: InputMaybe<Scalars['Int']['input']>;
  name: Scalars['String']['input'];
  region: Scalars['String']['input'];
  runtime: Scalars['String']['input'];
};

export type NodeRegistration = {
  __typename?: 'NodeRegistration';
  heartbeatSeconds: Scalars['Int']['output'];
  nodeId: Scalars['ID']['output'];
  /** The node's own credential for every later agent call (shown once, stored hashed). */
  nodeSecret: Scalars['String']['output'];
};

export type Organization = {
  __typename?: 'Organization';
  id: Scalars['ID']['output'];
  /** The organization's VMs, newest first (at most 100; use Query.vms to page). */
  vms: Array<Vm>;
};

export type Pricing = {
  __typename?: 'Pricing';
  currency: Scalars['String']['output'];
  gpus: Array<GpuPrice>;
};

export type ProviderEarnings = {
  __typename?: 'ProviderEarnings';
  /** How the figure is computed until billing posts earnings from its usage records. */
  basis: Scalars['String']['output'];
  currency: Scalars['String']['output'];
  gpuHours: Scalars['Float']['output'];
  payouts: Array<Scalars['JSON']['output']>;
  /** GPU-hours served by the provider's nodes × the provider's rate, in cents. */
  totalCents: Scalars['Int']['output'];
};

export type ProviderNode = {
  __typename?: 'ProviderNode';
  cpuCores: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  diskGb: Scalars['Int']['output'];
  gpuModelId: Scalars['String']['output'];
  gpuModelName?: Maybe<Scalars['String']['output']>;
  gpuTotal: Scalars['Int']['output'];
  gpuUsed: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  labels: Scalars['JSON']['output'];
  lastHeartbeatAt: Scalars['DateTime']['output'];
  memoryGb: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  region: Scalars['String']['output'];
  runtime: Scalars['String']['output'];
  /** online | lost | draining | maintenance | removed */
  status: Scalars['String']['output'];
  tier: Scalars['String']['output'];
};

export type ProviderStats = {
  __typename?: 'ProviderStats';
  activeTokens: Scalars['Int']['output'];
  gpuTotal: Scalars['Int']['output'];
  gpuUsed: Scalars['Int']['output'];
  nodes: Scalars['Int']['output'];
  onlineNodes: Scalars['Int']['output'];
  runningWorkloads: Scalars['Int']['output'];
  /** gpuUsed / gpuTotal of online nodes, in percent (0 when there are none). */
  utilizationPercent: Scalars['Int']['output'];
};

export type ProviderStatus = {
  __typename?: 'ProviderStatus';
  /** none | pending | approved | rejected */
  applicationStatus: Scalars['String']['output'];
  isProvider: Scalars['Boolean']['output'];
  submittedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type ProvisioningToken = {
  __typename?: 'ProvisioningToken';
  createdAt: Scalars['DateTime']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  maxNodes: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  nodePool: Scalars['String']['output'];
  nodeType?: Maybe<Scalars['String']['output']>;
  nodesEnrolled: Scalars['Int']['output'];
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type PutCredentialInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** 1–128 of A–Z a–z 0–9 _ . - starting with a letter or _. */
  key: Scalars['String']['input'];
  /** The secret (at most 64 KiB); sealed at rest, never listed. */
  value: Scalars['String']['input'];
};

export type Query = {
  __typename?: 'Query';
  /** The node agent's long poll: answers when the node's assignments change, or after waitSeconds. */
  agentAssignments: AgentAssignments;
  /** Where a cluster's endpoint sends requests: `address/replicaId` of each healthy replica (node agents). */
  agentClusterEndpoints: Array<Scalars['String']['output']>;
  aiCallContext: AiCallContext;
  aiProxy: AiProxyInfo;
  /** Usage of the AI proxy per UTC day, with totals and spend by model and by key (1–90 days, default 30). */
  aiProxyUsage: AiProxyUsage;
  /** An asset's metadata (another organization's is not found). */
  asset?: Maybe<Asset>;
  cluster?: Maybe<Cluster>;
  clusterDetail?: Maybe<ClusterDetail>;
  clusters: ClusterPage;
  /** One credential with its decrypted value (scope `credentials:reveal`); the read is in the audit trail. */
  credential: RevealedCredential;
  /** The vault's credential names (never values). */
  credentials: Array<Credential>;
  gpuAvailability: Array<GpuAvailability>;
  gpuModels: Array<GpuModel>;
  locations: Array<Location>;
  pricing: Pricing;
  providerEarnings: ProviderEarnings;
  providerNodes: Array<ProviderNode>;
  providerStats: ProviderStats;
  providerStatus: ProviderStatus;
  provisioningTokens: Array<ProvisioningToken>;
  registryCredentials: Array<RegistryCredential>;
  sshKeys: Array<SshKey>;
  vm?: Maybe<Vm>;
  vmDetail?: Maybe<VmDetail>;
  vmSshKeys: VmSshKeys;
  vmTelegramLink: TelegramLink;
  vmTemplates: Array<VmTemplate>;
  vms: VmPage;
};


export type QueryAgentAssignmentsArgs = {
  nodeId: Scalars['ID']['input'];
  nodeSecret: Scalars['String']['input'];
  version?: InputMaybe<Scalars['String']['input']>;
  waitSeconds?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAgentClusterEndpointsArgs = {
  clusterId: Scalars['ID']['input'];
  nodeId: Scalars['ID']['input'];
  nodeSecret: Scalars['String']['input'];
};


export type QueryAiCallContextArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryAiProxyArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryAiProxyUsageArgs = {
  days?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryAssetArgs = {
  id: Scalars['ID']['input'];
};


export type QueryClusterArgs = {
  id: Scalars['ID']['input'];
};


export type QueryClusterDetailArgs = {
  id: Scalars['ID']['input'];
};


export type QueryClustersArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryCredentialArgs = {
  key: Scalars['String']['input'];
  orgId: Scalars['ID']['input'];
};


export type QueryCredentialsArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryProviderEarningsArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryProviderNodesArgs = {
  includeRemoved?: InputMaybe<Scalars['Boolean']['input']>;
  orgId: Scalars['ID']['input'];
  status?: InputMaybe<Scalars['String']['input']>;
};


export type QueryProviderStatsArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryProviderStatusArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryProvisioningTokensArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryRegistryCredentialsArgs = {
  orgId: Scalars['ID']['input'];
};


export type QuerySshKeysArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryVmArgs = {
  id: Scalars['ID']['input'];
};


export type QueryVmDetailArgs = {
  id: Scalars['ID']['input'];
};


export type QueryVmSshKeysArgs = {
  id: Scalars['ID']['input'];
};


export type QueryVmTelegramLinkArgs = {
  id: Scalars['ID']['input'];
};


export type QueryVmsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};

/** One model call, as the AI gateway made it (signed by the gateway). */
export type RecordAiCallInput = {
  apiKeyId?: InputMaybe<Scalars['ID']['input']>;
  /** The gateway's id of the call (aic_…); a record with the same id is stored once. */
  callId: Scalars['String']['input'];
  costMicros: Scalars['SafeInt']['input'];
  errorCode?: InputMaybe<Scalars['String']['input']>;
  estimatedCostMicros: Scalars['SafeInt']['input'];
  executionId?: InputMaybe<Scalars['ID']['input']>;
  inputTokens: Scalars['SafeInt']['input'];
  latencyMs: Scalars['Int']['input'];
  /** Prompt and completion, only when the organization turned request logging on. */
  log?: InputMaybe<Scalars['JSON']['input']>;
  model: Scalars['String']['input'];
  orgId: Scalars['ID']['input'];
  outputTokens: Scalars['SafeInt']['input'];
  provider: Scalars['String']['input'];
  status: AiCallStatus;
  stream: Scalars['Boolean']['input'];
  surface: AiSurface;
  timeToFirstTokenMs?: InputMaybe<Scalars['Int']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

export type RegionAvailability = {
  __typename?: 'RegionAvailability';
  availableGpus: Scalars['Int']['output'];
  region: Scalars['String']['output'];
  tier: Scalars['String']['output'];
  totalGpus: Scalars['Int']['output'];
};

/** What the REST adapter stored (internal: signed by the process that streamed the upload). */
export type RegisterAssetInput = {
  /** The asset id the adapter minted (`ast_…`). */
  assetId: Scalars['String']['input'];
  contentType: Scalars['String']['input'];
  driver: Scalars['String']['input'];
  name: Scalars['String']['input'];
  orgId: Scalars['ID']['input'];
  sha256: Scalars['String']['input'];
  sizeBytes: Scalars['SafeInt']['input'];
};

/** Never carries the credentials: they are sealed at rest and handed only to the agent that pulls the image. */
export type RegistryCredential = {
  __typename?: 'RegistryCredential';
  /** basic | token */
  authType: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  server: Scalars['String']['output'];
};

export type Replica = {
  __typename?: 'Replica';
  createdAt: Scalars['DateTime']['output'];
  /** A replica is healthy while it runs and answers its health check. */
  healthy: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  nodeId?: Maybe<Scalars['String']['output']>;
  region?: Maybe<Scalars['String']['output']>;
  runtime?: Maybe<Scalars['String']['output']>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: VmStatus;
  statusReason?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
};

/** A credential with its decrypted value: only from `credential(orgId, key)`, which is audited. */
export type RevealedCredential = {
  __typename?: 'RevealedCredential';
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  key: Scalars['String']['output'];
  lastAccessedAt?: Maybe<Scalars['DateTime']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  updatedBy?: Maybe<Scalars['String']['output']>;
  value: Scalars['String']['output'];
};

/** Membership roles, weakest first. */
export type Role =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER'
  | 'VIEWER';

export type SshKey = {
  __typename?: 'SshKey';
  createdAt: Scalars['DateTime']['output'];
  /** SHA256:… (as ssh-keygen -l prints it). */
  fingerprint: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Normalised OpenSSH public key. */
  publicKey: Scalars['String']['output'];
};

export type TelegramLink = {
  __typename?: 'TelegramLink';
  url: Scalars['String']['output'];
  vmId: Scalars['ID']['output'];
};

export type UpdateProviderNodeInput = {
  labels?: InputMaybe<Scalars['JSON']['input']>;
  /** online | draining | maintenance | removed */
  status?: InputMaybe<Scalars['String']['input']>;
};

/** A GPU virtual machine: a workload placed on a provider node. */
export type Vm = {
  __typename?: 'Vm';
  allowFallback: Scalars['Boolean']['output'];
  containerCommand?: Maybe<Array<Scalars['String']['output']>>;
  containerPort: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  diskSizeGb: Scalars['Int']['output'];
  /** Where the workload answers; a non-public endpoint needs an API key of the VM's organization. */
  endpointUrl?: Maybe<Scalars['String']['output']>;
  /** Names only: values may be secrets and are handed only to the node's agent. */
  envVarNames: Array<Scalars['String']['output']>;
  gpuCount: Scalars['Int']['output'];
  gpuModelId: Scalars['String']['output'];
  healthCheckPath?: Maybe<Scalars['String']['output']>;
  healthCheckPort?: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  imageUrl?: Maybe<Scalars['String']['output']>;
  kernelModules: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  nodeId?: Maybe<Scalars['String']['output']>;
  organization: Organization;
  preferredRegions: Array<Scalars['String']['output']>;
  pricePerHourCents: Scalars['Int']['output'];
  privileged: Scalars['Boolean']['output'];
  public: Scalars['Boolean']['output'];
  region?: Maybe<Scalars['String']['output']>;
  registryCredentialId?: Maybe<Scalars['String']['output']>;
  resourceSize?: Maybe<Scalars['String']['output']>;
  /** The agent runtime that serves the VM (`process`, `docker`); null until placed. */
  runtime?: Maybe<Scalars['String']['output']>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: VmStatus;
  /** Why the VM is pending, failed or was stopped (human readable). */
  statusReason?: Maybe<Scalars['String']['output']>;
  templateId?: Maybe<Scalars['String']['output']>;
  terminatedAt?: Maybe<Scalars['DateTime']['output']>;
  tier: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

/** A VM with its GPU model, node, template and price (GET /v1/vms/{id}/detail). */
export type VmDetail = {
  __typename?: 'VmDetail';
  gpuModel?: Maybe<GpuModel>;
  node?: Maybe<VmNode>;
  pricePerHourCents: Scalars['Int']['output'];
  template?: Maybe<VmTemplate>;
  vm: Vm;
};

export type VmNode = {
  __typename?: 'VmNode';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  region: Scalars['String']['output'];
  runtime: Scalars['String']['output'];
  status: Scalars['String']['output'];
  tier: Scalars['String']['output'];
};

export type VmPage = {
  __typename?: 'VmPage';
  items: Array<Vm>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type VmSshKeys = {
  __typename?: 'VmSshKeys';
  attached: Array<SshKey>;
  /** The organization's keys (attachable). */
  available: Array<SshKey>;
};

/** seed 003's lifecycle: pending → provisioning → running → stopping → stopped → … → terminating → terminated, or failed. */
export type VmStatus =
  | 'FAILED'
  | 'PENDING'
  | 'PROVISIONING'
  | 'RUNNING'
  | 'STOPPED'
  | 'STOPPING'
  | 'TERMINATED'
  | 'TERMINATING';

/** A VM preset: image, port, hardware. `templateId` on create fills what the body leaves out. */
export type VmTemplate = {
  __typename?: 'VmTemplate';
  containerCommand?: Maybe<Array<Scalars['String']['output']>>;
  containerPort?: Maybe<Scalars['Int']['output']>;
  description: Scalars['String']['output'];
  diskSizeGb: Scalars['Int']['output'];
  envVars: Scalars['JSON']['output'];
  gpuCount: Scalars['Int']['output'];
  gpuModelId?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  imageUrl?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
};

export type VmTemplateInput = {
  containerCommand?: InputMaybe<Array<Scalars['String']['input']>>;
  containerPort?: InputMaybe<Scalars['Int']['input']>;
  description: Scalars['String']['input'];
  diskSizeGb?: InputMaybe<Scalars['Int']['input']>;
  envVars?: InputMaybe<Scalars['JSON']['input']>;
  gpuCount?: InputMaybe<Scalars['Int']['input']>;
  gpuModelId?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  imageUrl?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Cluster: Cluster;
  Organization: Organization;
  Vm: Vm;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Cluster:
    ( { __typename: 'Cluster' }
    & GraphQLRecursivePick<FederationTypes['Cluster'], {"id":true}> );
  Organization:
    ( { __typename: 'Organization' }
    & GraphQLRecursivePick<FederationTypes['Organization'], {"id":true}> );
  Vm:
    ( { __typename: 'Vm' }
    & GraphQLRecursivePick<FederationTypes['Vm'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AgentAssignments: ResolverTypeWrapper<Partial<AgentAssignments>>;
  AgentReportInput: ResolverTypeWrapper<Partial<AgentReportInput>>;
  Int: ResolverTypeWrapper<Partial<Scalars['Int']['output']>>;
  ID: ResolverTypeWrapper<Partial<Scalars['ID']['output']>>;
  AgentWorkload: ResolverTypeWrapper<Partial<AgentWorkload>>;
  Boolean: ResolverTypeWrapper<Partial<Scalars['Boolean']['output']>>;
  AiCallContext: ResolverTypeWrapper<Partial<AiCallContext>>;
  AiCallStatus: ResolverTypeWrapper<Partial<AiCallStatus>>;
  AiProxyInfo: ResolverTypeWrapper<Partial<AiProxyInfo>>;
  AiProxySettings: ResolverTypeWrapper<Partial<AiProxySettings>>;
  AiProxySettingsInput: ResolverTypeWrapper<Partial<AiProxySettingsInput>>;
  AiProxyUsage: ResolverTypeWrapper<Partial<AiProxyUsage>>;
  AiSurface: ResolverTypeWrapper<Partial<AiSurface>>;
  AiUsageByKey: ResolverTypeWrapper<Partial<AiUsageByKey>>;
  AiUsageByModel: ResolverTypeWrapper<Partial<AiUsageByModel>>;
  AiUsageDay: ResolverTypeWrapper<Partial<AiUsageDay>>;
  AiUsageTotals: ResolverTypeWrapper<Partial<AiUsageTotals>>;
  Asset: ResolverTypeWrapper<Partial<Asset>>;
  Cluster: ResolverTypeWrapper<ClusterView>;
  ClusterDetail: ResolverTypeWrapper<Partial<Omit<ClusterDetail, 'cluster' | 'replicas'> & { cluster: ResolversTypes['Cluster'], replicas: Array<ResolversTypes['Replica']> }>>;
  ClusterPage: ResolverTypeWrapper<Partial<Omit<ClusterPage, 'items'> & { items: Array<ResolversTypes['Cluster']> }>>;
  ClusterStatus: ResolverTypeWrapper<Partial<ClusterStatus>>;
  CreateClusterInput: ResolverTypeWrapper<Partial<CreateClusterInput>>;
  CreateProvisioningTokenInput: ResolverTypeWrapper<Partial<CreateProvisioningTokenInput>>;
  CreateRegistryCredentialInput: ResolverTypeWrapper<Partial<CreateRegistryCredentialInput>>;
  CreateVmInput: ResolverTypeWrapper<Partial<CreateVmInput>>;
  CreatedProvisioningToken: ResolverTypeWrapper<Partial<CreatedProvisioningToken>>;
  Credential: ResolverTypeWrapper<Partial<Credential>>;
  DateTime: ResolverTypeWrapper<Partial<Scalars['DateTime']['output']>>;
  GpuAvailability: ResolverTypeWrapper<Partial<GpuAvailability>>;
  GpuModel: ResolverTypeWrapper<Partial<GpuModel>>;
  GpuModelInput: ResolverTypeWrapper<Partial<GpuModelInput>>;
  GpuPrice: ResolverTypeWrapper<Partial<GpuPrice>>;
  GpuPriceInput: ResolverTypeWrapper<Partial<GpuPriceInput>>;
  HealthCheckInput: ResolverTypeWrapper<Partial<HealthCheckInput>>;
  JSON: ResolverTypeWrapper<Partial<Scalars['JSON']['output']>>;
  Location: ResolverTypeWrapper<Partial<Location>>;
  LocationInput: ResolverTypeWrapper<Partial<LocationInput>>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NodeInventoryInput: ResolverTypeWrapper<Partial<NodeInventoryInput>>;
  NodeRegistration: ResolverTypeWrapper<Partial<NodeRegistration>>;
  Organization: ResolverTypeWrapper<OrganizationRef>;
  Pricing: ResolverTypeWrapper<Partial<Pricing>>;
  ProviderEarnings: ResolverTypeWrapper<Partial<ProviderEarnings>>;
  Float: ResolverTypeWrapper<Partial<Scalars['Float']['output']>>;
  ProviderNode: ResolverTypeWrapper<Partial<ProviderNode>>;
  ProviderStats: ResolverTypeWrapper<Partial<ProviderStats>>;
  ProviderStatus: ResolverTypeWrapper<Partial<ProviderStatus>>;
  ProvisioningToken: ResolverTypeWrapper<Partial<ProvisioningToken>>;
  PutCredentialInput: ResolverTypeWrapper<Partial<PutCredentialInput>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordAiCallInput: ResolverTypeWrapper<Partial<RecordAiCallInput>>;
  RegionAvailability: ResolverTypeWrapper<Partial<RegionAvailability>>;
  RegisterAssetInput: ResolverTypeWrapper<Partial<RegisterAssetInput>>;
  RegistryCredential: ResolverTypeWrapper<Partial<RegistryCredential>>;
  Replica: ResolverTypeWrapper<ReplicaView>;
  RevealedCredential: ResolverTypeWrapper<Partial<RevealedCredential>>;
  Role: ResolverTypeWrapper<Partial<Role>>;
  SafeInt: ResolverTypeWrapper<Partial<Scalars['SafeInt']['output']>>;
  SshKey: ResolverTypeWrapper<Partial<SshKey>>;
  TelegramLink: ResolverTypeWrapper<Partial<TelegramLink>>;
  UpdateProviderNodeInput: ResolverTypeWrapper<Partial<UpdateProviderNodeInput>>;
  Vm: ResolverTypeWrapper<VmView>;
  VmDetail: ResolverTypeWrapper<Partial<Omit<VmDetail, 'vm'> & { vm: ResolversTypes['Vm'] }>>;
  VmNode: ResolverTypeWrapper<Partial<VmNode>>;
  VmPage: ResolverTypeWrapper<Partial<Omit<VmPage, 'items'> & { items: Array<ResolversTypes['Vm']> }>>;
  VmSshKeys: ResolverTypeWrapper<Partial<VmSshKeys>>;
  VmStatus: ResolverTypeWrapper<Partial<VmStatus>>;
  VmTemplate: ResolverTypeWrapper<Partial<VmTemplate>>;
  VmTemplateInput: ResolverTypeWrapper<Partial<VmTemplateInput>>;
  String: ResolverTypeWrapper<Partial<Scalars['String']['output']>>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AgentAssignments: Partial<AgentAssignments>;
  AgentReportInput: Partial<AgentReportInput>;
  Int: Partial<Scalars['Int']['output']>;
  ID: Partial<Scalars['ID']['output']>;
  AgentWorkload: Partial<AgentWorkload>;
  Boolean: Partial<Scalars['Boolean']['output']>;
  AiCallContext: Partial<AiCallContext>;
  AiProxyInfo: Partial<AiProxyInfo>;
  AiProxySettings: Partial<AiProxySettings>;
  AiProxySettingsInput: Partial<AiProxySettingsInput>;
  AiProxyUsage: Partial<AiProxyUsage>;
  AiUsageByKey: Partial<AiUsageByKey>;
  AiUsageByModel: Partial<AiUsageByModel>;
  AiUsageDay: Partial<AiUsageDay>;
  AiUsageTotals: Partial<AiUsageTotals>;
  Asset: Partial<Asset>;
  Cluster: ClusterView;
  ClusterDetail: Partial<Omit<ClusterDetail, 'cluster' | 'replicas'> & { cluster: ResolversParentTypes['Cluster'], replicas: Array<ResolversParentTypes['Replica']> }>;
  ClusterPage: Partial<Omit<ClusterPage, 'items'> & { items: Array<ResolversParentTypes['Cluster']> }>;
  CreateClusterInput: Partial<CreateClusterInput>;
  CreateProvisioningTokenInput: Partial<CreateProvisioningTokenInput>;
  CreateRegistryCredentialInput: Partial<CreateRegistryCredentialInput>;
  CreateVmInput: Partial<CreateVmInput>;
  CreatedProvisioningToken: Partial<CreatedProvisioningToken>;
  Credential: Partial<Credential>;
  DateTime: Partial<Scalars['DateTime']['output']>;
  GpuAvailability: Partial<GpuAvailability>;
  GpuModel: Partial<GpuModel>;
  GpuModelInput: Partial<GpuModelInput>;
  GpuPrice: Partial<GpuPrice>;
  GpuPriceInput: Partial<GpuPriceInput>;
  HealthCheckInput: Partial<HealthCheckInput>;
  JSON: Partial<Scalars['JSON']['output']>;
  Location: Partial<Location>;
  LocationInput: Partial<LocationInput>;
  Mutation: Record<PropertyKey, never>;
  NodeInventoryInput: Partial<NodeInventoryInput>;
  NodeRegistration: Partial<NodeRegistration>;
  Organization: OrganizationRef;
  Pricing: Partial<Pricing>;
  ProviderEarnings: Partial<ProviderEarnings>;
  Float: Partial<Scalars['Float']['output']>;
  ProviderNode: Partial<ProviderNode>;
  ProviderStats: Partial<ProviderStats>;
  ProviderStatus: Partial<ProviderStatus>;
  ProvisioningToken: Partial<ProvisioningToken>;
  PutCredentialInput: Partial<PutCredentialInput>;
  Query: Record<PropertyKey, never>;
  RecordAiCallInput: Partial<RecordAiCallInput>;
  RegionAvailability: Partial<RegionAvailability>;
  RegisterAssetInput: Partial<RegisterAssetInput>;
  RegistryCredential: Partial<RegistryCredential>;
  Replica: ReplicaView;
  RevealedCredential: Partial<RevealedCredential>;
  SafeInt: Partial<Scalars['SafeInt']['output']>;
  SshKey: Partial<SshKey>;
  TelegramLink: Partial<TelegramLink>;
  UpdateProviderNodeInput: Partial<UpdateProviderNodeInput>;
  Vm: VmView;
  VmDetail: Partial<Omit<VmDetail, 'vm'> & { vm: ResolversParentTypes['Vm'] }>;
  VmNode: Partial<VmNode>;
  VmPage: Partial<Omit<VmPage, 'items'> & { items: Array<ResolversParentTypes['Vm']> }>;
  VmSshKeys: Partial<VmSshKeys>;
  VmTemplate: Partial<VmTemplate>;
  VmTemplateInput: Partial<VmTemplateInput>;
  String: Partial<Scalars['String']['output']>;
}>;

export type AuthzDirectiveArgs = {
  org?: Maybe<Scalars['String']['input']>;
  permission?: Maybe<Scalars['String']['input']>;
  workflow?: Maybe<Scalars['String']['input']>;
};

export type AuthzDirectiveResolver<Result, Parent, ContextType = ComputeContext, Args = AuthzDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type PublicDirectiveArgs = { };

export type PublicDirectiveResolver<Result, Parent, ContextType = ComputeContext, Args = PublicDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AgentAssignmentsResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AgentAssignments'] = ResolversParentTypes['AgentAssignments']> = ResolversObject<{
  version?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  workloads?: Resolver<Array<ResolversTypes['AgentWorkload']>, ParentType, ContextType>;
}>;

export type AgentWorkloadResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AgentWorkload'] = ResolversParentTypes['AgentWorkload']> = ResolversObject<{
  clusterId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  containerCommand?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  containerPort?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  desiredState?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  diskSizeGb?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  envVars?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  generation?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  healthCheckPath?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  healthCheckPort?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  imageUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  public?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  registryAuth?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  sshPublicKeys?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AiCallContextResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiCallContext'] = ResolversParentTypes['AiCallContext']> = ResolversObject<{
  defaultWorkflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  providerCredential?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType, RequireFields<AiCallContextProviderCredentialArgs, 'key' | 'provider' | 'signature'>>;
  requestLogging?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type AiProxyInfoResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiProxyInfo'] = ResolversParentTypes['AiProxyInfo']> = ResolversObject<{
  authentication?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  baseUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  keyScopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  settings?: Resolver<ResolversTypes['AiProxySettings'], ParentType, ContextType>;
}>;

export type AiProxySettingsResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiProxySettings'] = ResolversParentTypes['AiProxySettings']> = ResolversObject<{
  defaultWorkflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  logRetentionDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  requestLogging?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type AiProxyUsageResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiProxyUsage'] = ResolversParentTypes['AiProxyUsage']> = ResolversObject<{
  byKey?: Resolver<Array<ResolversTypes['AiUsageByKey']>, ParentType, ContextType>;
  byModel?: Resolver<Array<ResolversTypes['AiUsageByModel']>, ParentType, ContextType>;
  daily?: Resolver<Array<ResolversTypes['AiUsageDay']>, ParentType, ContextType>;
  days?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  since?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  totals?: Resolver<ResolversTypes['AiUsageTotals'], ParentType, ContextType>;
}>;

export type AiUsageByKeyResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiUsageByKey'] = ResolversParentTypes['AiUsageByKey']> = ResolversObject<{
  apiKeyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type AiUsageByModelResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiUsageByModel'] = ResolversParentTypes['AiUsageByModel']> = ResolversObject<{
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type AiUsageDayResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiUsageDay'] = ResolversParentTypes['AiUsageDay']> = ResolversObject<{
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  date?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  failedCalls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type AiUsageTotalsResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiUsageTotals'] = ResolversParentTypes['AiUsageTotals']> = ResolversObject<{
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  failedCalls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type AssetResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Asset'] = ResolversParentTypes['Asset']> = ResolversObject<{
  contentType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  downloadPath?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  sha256?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sizeBytes?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type ClusterResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Cluster'] = ResolversParentTypes['Cluster'], FederationReferenceType extends FederationReferenceTypes['Cluster'] = FederationReferenceTypes['Cluster']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Cluster']> | FederationReferenceType, FederationReferenceType, ContextType>;
  containerPort?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  endpointUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  gpuModelId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  gpusPerReplica?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  imageUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  preferredRegions?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  pricePerHourCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  replicaCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ClusterStatus'], ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type ClusterDetailResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['ClusterDetail'] = ResolversParentTypes['ClusterDetail']> = ResolversObject<{
  cluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType>;
  gpuModel?: Resolver<Maybe<ResolversTypes['GpuModel']>, ParentType, ContextType>;
  replicas?: Resolver<Array<ResolversTypes['Replica']>, ParentType, ContextType>;
}>;

export type ClusterPageResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['ClusterPage'] = ResolversParentTypes['ClusterPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Cluster']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type CreatedProvisioningTokenResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['CreatedProvisioningToken'] = ResolversParentTypes['CreatedProvisioningToken']> = ResolversObject<{
  provisioningToken?: Resolver<ResolversTypes['ProvisioningToken'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CredentialResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Credential'] = ResolversParentTypes['Credential']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lastAccessedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  updatedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type GpuAvailabilityResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['GpuAvailability'] = ResolversParentTypes['GpuAvailability']> = ResolversObject<{
  availableGpus?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  gpuModelId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  regions?: Resolver<Array<ResolversTypes['RegionAvailability']>, ParentType, ContextType>;
  totalGpus?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type GpuModelResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['GpuModel'] = ResolversParentTypes['GpuModel']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  manufacturer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vramGb?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type GpuPriceResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['GpuPrice'] = ResolversParentTypes['GpuPrice']> = ResolversObject<{
  gpuModelId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  gpuModelName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  pricePerGpuHourCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  providerPricePerGpuHourCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type LocationResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Location'] = ResolversParentTypes['Location']> = ResolversObject<{
  country?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  _consumeEvents?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Mutation_ConsumeEventsArgs, 'consumer' | 'events'>>;
  agentHeartbeat?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationAgentHeartbeatArgs, 'nodeId' | 'nodeSecret'>>;
  agentRegister?: Resolver<ResolversTypes['NodeRegistration'], ParentType, ContextType, RequireFields<MutationAgentRegisterArgs, 'inventory' | 'token'>>;
  agentReport?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationAgentReportArgs, 'input' | 'nodeId' | 'nodeSecret'>>;
  applyForProvider?: Resolver<ResolversTypes['ProviderStatus'], ParentType, ContextType, RequireFields<MutationApplyForProviderArgs, 'note' | 'orgId'>>;
  attachVmSshKey?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationAttachVmSshKeyArgs, 'id' | 'sshKeyId'>>;
  createCluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType, RequireFields<MutationCreateClusterArgs, 'input' | 'orgId'>>;
  createProvisioningToken?: Resolver<ResolversTypes['CreatedProvisioningToken'], ParentType, ContextType, RequireFields<MutationCreateProvisioningTokenArgs, 'orgId'>>;
  createRegistryCredential?: Resolver<ResolversTypes['RegistryCredential'], ParentType, ContextType, RequireFields<MutationCreateRegistryCredentialArgs, 'input' | 'orgId'>>;
  createSshKey?: Resolver<ResolversTypes['SshKey'], ParentType, ContextType, RequireFields<MutationCreateSshKeyArgs, 'name' | 'orgId' | 'publicKey'>>;
  createVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationCreateVmArgs, 'input' | 'orgId'>>;
  decideProviderApplication?: Resolver<ResolversTypes['ProviderStatus'], ParentType, ContextType, RequireFields<MutationDecideProviderApplicationArgs, 'approve' | 'orgId'>>;
  deleteCredential?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteCredentialArgs, 'key' | 'orgId'>>;
  deleteRegistryCredential?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteRegistryCredentialArgs, 'id' | 'orgId'>>;
  deleteSshKey?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteSshKeyArgs, 'id' | 'orgId'>>;
  putCredential?: Resolver<ResolversTypes['Credential'], ParentType, ContextType, RequireFields<MutationPutCredentialArgs, 'input' | 'orgId'>>;
  rebootVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationRebootVmArgs, 'id'>>;
  recordAiCall?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRecordAiCallArgs, 'input' | 'signature'>>;
  registerAsset?: Resolver<ResolversTypes['Asset'], ParentType, ContextType, RequireFields<MutationRegisterAssetArgs, 'input' | 'signature'>>;
  resizeVmDisk?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationResizeVmDiskArgs, 'id' | 'newSizeGb'>>;
  restartCluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType, RequireFields<MutationRestartClusterArgs, 'id'>>;
  restartVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationRestartVmArgs, 'id'>>;
  revokeProvisioningToken?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRevokeProvisioningTokenArgs, 'id' | 'orgId'>>;
  scaleCluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType, RequireFields<MutationScaleClusterArgs, 'id' | 'replicaCount'>>;
  setGpuPrice?: Resolver<ResolversTypes['GpuPrice'], ParentType, ContextType, RequireFields<MutationSetGpuPriceArgs, 'input'>>;
  stopCluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType, RequireFields<MutationStopClusterArgs, 'id'>>;
  stopVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationStopVmArgs, 'id'>>;
  terminateCluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType, RequireFields<MutationTerminateClusterArgs, 'id'>>;
  terminateVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationTerminateVmArgs, 'id'>>;
  updateAiProxySettings?: Resolver<ResolversTypes['AiProxySettings'], ParentType, ContextType, RequireFields<MutationUpdateAiProxySettingsArgs, 'input' | 'orgId'>>;
  updateProviderNode?: Resolver<ResolversTypes['ProviderNode'], ParentType, ContextType, RequireFields<MutationUpdateProviderNodeArgs, 'input' | 'nodeId' | 'orgId'>>;
  upsertGpuModel?: Resolver<ResolversTypes['GpuModel'], ParentType, ContextType, RequireFields<MutationUpsertGpuModelArgs, 'input'>>;
  upsertLocation?: Resolver<ResolversTypes['Location'], ParentType, ContextType, RequireFields<MutationUpsertLocationArgs, 'input'>>;
  upsertVmTemplate?: Resolver<ResolversTypes['VmTemplate'], ParentType, ContextType, RequireFields<MutationUpsertVmTemplateArgs, 'input'>>;
}>;

export type NodeRegistrationResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['NodeRegistration'] = ResolversParentTypes['NodeRegistration']> = ResolversObject<{
  heartbeatSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  nodeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  nodeSecret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type OrganizationResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  vms?: Resolver<Array<ResolversTypes['Vm']>, ParentType, ContextType>;
}>;

export type PricingResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Pricing'] = ResolversParentTypes['Pricing']> = ResolversObject<{
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  gpus?: Resolver<Array<ResolversTypes['GpuPrice']>, ParentType, ContextType>;
}>;

export type ProviderEarningsResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['ProviderEarnings'] = ResolversParentTypes['ProviderEarnings']> = ResolversObject<{
  basis?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  gpuHours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  payouts?: Resolver<Array<ResolversTypes['JSON']>, ParentType, ContextType>;
  totalCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ProviderNodeResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['ProviderNode'] = ResolversParentTypes['ProviderNode']> = ResolversObject<{
  cpuCores?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  diskGb?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  gpuModelId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  gpuModelName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  gpuTotal?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  gpuUsed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  labels?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  lastHeartbeatAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  memoryGb?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  region?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  runtime?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ProviderStatsResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['ProviderStats'] = ResolversParentTypes['ProviderStats']> = ResolversObject<{
  activeTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  gpuTotal?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  gpuUsed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  nodes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  onlineNodes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  runningWorkloads?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  utilizationPercent?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ProviderStatusResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['ProviderStatus'] = ResolversParentTypes['ProviderStatus']> = ResolversObject<{
  applicationStatus?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  isProvider?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  submittedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type ProvisioningTokenResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['ProvisioningToken'] = ResolversParentTypes['ProvisioningToken']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  maxNodes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nodePool?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nodeType?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  nodesEnrolled?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  agentAssignments?: Resolver<ResolversTypes['AgentAssignments'], ParentType, ContextType, RequireFields<QueryAgentAssignmentsArgs, 'nodeId' | 'nodeSecret'>>;
  agentClusterEndpoints?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType, RequireFields<QueryAgentClusterEndpointsArgs, 'clusterId' | 'nodeId' | 'nodeSecret'>>;
  aiCallContext?: Resolver<ResolversTypes['AiCallContext'], ParentType, ContextType, RequireFields<QueryAiCallContextArgs, 'orgId'>>;
  aiProxy?: Resolver<ResolversTypes['AiProxyInfo'], ParentType, ContextType, RequireFields<QueryAiProxyArgs, 'orgId'>>;
  aiProxyUsage?: Resolver<ResolversTypes['AiProxyUsage'], ParentType, ContextType, RequireFields<QueryAiProxyUsageArgs, 'days' | 'orgId'>>;
  asset?: Resolver<Maybe<ResolversTypes['Asset']>, ParentType, ContextType, RequireFields<QueryAssetArgs, 'id'>>;
  cluster?: Resolver<Maybe<ResolversTypes['Cluster']>, ParentType, ContextType, RequireFields<QueryClusterArgs, 'id'>>;
  clusterDetail?: Resolver<Maybe<ResolversTypes['ClusterDetail']>, ParentType, ContextType, RequireFields<QueryClusterDetailArgs, 'id'>>;
  clusters?: Resolver<ResolversTypes['ClusterPage'], ParentType, ContextType, RequireFields<QueryClustersArgs, 'orgId'>>;
  credential?: Resolver<ResolversTypes['RevealedCredential'], ParentType, ContextType, RequireFields<QueryCredentialArgs, 'key' | 'orgId'>>;
  credentials?: Resolver<Array<ResolversTypes['Credential']>, ParentType, ContextType, RequireFields<QueryCredentialsArgs, 'orgId'>>;
  gpuAvailability?: Resolver<Array<ResolversTypes['GpuAvailability']>, ParentType, ContextType>;
  gpuModels?: Resolver<Array<ResolversTypes['GpuModel']>, ParentType, ContextType>;
  locations?: Resolver<Array<ResolversTypes['Location']>, ParentType, ContextType>;
  pricing?: Resolver<ResolversTypes['Pricing'], ParentType, ContextType>;
  providerEarnings?: Resolver<ResolversTypes['ProviderEarnings'], ParentType, ContextType, RequireFields<QueryProviderEarningsArgs, 'orgId'>>;
  providerNodes?: Resolver<Array<ResolversTypes['ProviderNode']>, ParentType, ContextType, RequireFields<QueryProviderNodesArgs, 'orgId'>>;
  providerStats?: Resolver<ResolversTypes['ProviderStats'], ParentType, ContextType, RequireFields<QueryProviderStatsArgs, 'orgId'>>;
  providerStatus?: Resolver<ResolversTypes['ProviderStatus'], ParentType, ContextType, RequireFields<QueryProviderStatusArgs, 'orgId'>>;
  provisioningTokens?: Resolver<Array<ResolversTypes['ProvisioningToken']>, ParentType, ContextType, RequireFields<QueryProvisioningTokensArgs, 'orgId'>>;
  registryCredentials?: Resolver<Array<ResolversTypes['RegistryCredential']>, ParentType, ContextType, RequireFields<QueryRegistryCredentialsArgs, 'orgId'>>;
  sshKeys?: Resolver<Array<ResolversTypes['SshKey']>, ParentType, ContextType, RequireFields<QuerySshKeysArgs, 'orgId'>>;
  vm?: Resolver<Maybe<ResolversTypes['Vm']>, ParentType, ContextType, RequireFields<QueryVmArgs, 'id'>>;
  vmDetail?: Resolver<Maybe<ResolversTypes['VmDetail']>, ParentType, ContextType, RequireFields<QueryVmDetailArgs, 'id'>>;
  vmSshKeys?: Resolver<ResolversTypes['VmSshKeys'], ParentType, ContextType, RequireFields<QueryVmSshKeysArgs, 'id'>>;
  vmTelegramLink?: Resolver<ResolversTypes['TelegramLink'], ParentType, ContextType, RequireFields<QueryVmTelegramLinkArgs, 'id'>>;
  vmTemplates?: Resolver<Array<ResolversTypes['VmTemplate']>, ParentType, ContextType>;
  vms?: Resolver<ResolversTypes['VmPage'], ParentType, ContextType, RequireFields<QueryVmsArgs, 'orgId'>>;
}>;

export type RegionAvailabilityResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['RegionAvailability'] = ResolversParentTypes['RegionAvailability']> = ResolversObject<{
  availableGpus?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  region?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  totalGpus?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type RegistryCredentialResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['RegistryCredential'] = ResolversParentTypes['RegistryCredential']> = ResolversObject<{
  authType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  server?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ReplicaResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Replica'] = ResolversParentTypes['Replica']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  healthy?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nodeId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  region?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  runtime?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['VmStatus'], ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type RevealedCredentialResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['RevealedCredential'] = ResolversParentTypes['RevealedCredential']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lastAccessedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  updatedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface SafeIntScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['SafeInt'], any> {
  name: 'SafeInt';
}

export type SshKeyResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['SshKey'] = ResolversParentTypes['SshKey']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  fingerprint?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  publicKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type TelegramLinkResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['TelegramLink'] = ResolversParentTypes['TelegramLink']> = ResolversObject<{
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vmId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type VmResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Vm'] = ResolversParentTypes['Vm'], FederationReferenceType extends FederationReferenceTypes['Vm'] = FederationReferenceTypes['Vm']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Vm']> | FederationReferenceType, FederationReferenceType, ContextType>;
  allowFallback?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  containerCommand?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  containerPort?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  diskSizeGb?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  endpointUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  envVarNames?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  gpuCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  gpuModelId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  healthCheckPath?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  healthCheckPort?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  imageUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  kernelModules?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nodeId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  preferredRegions?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  pricePerHourCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  privileged?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  public?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  region?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  registryCredentialId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  resourceSize?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  runtime?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['VmStatus'], ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  templateId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  terminatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type VmDetailResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['VmDetail'] = ResolversParentTypes['VmDetail']> = ResolversObject<{
  gpuModel?: Resolver<Maybe<ResolversTypes['GpuModel']>, ParentType, ContextType>;
  node?: Resolver<Maybe<ResolversTypes['VmNode']>, ParentType, ContextType>;
  pricePerHourCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  template?: Resolver<Maybe<ResolversTypes['VmTemplate']>, ParentType, ContextType>;
  vm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType>;
}>;

export type VmNodeResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['VmNode'] = ResolversParentTypes['VmNode']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  region?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  runtime?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type VmPageResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['VmPage'] = ResolversParentTypes['VmPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Vm']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type VmSshKeysResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['VmSshKeys'] = ResolversParentTypes['VmSshKeys']> = ResolversObject<{
  attached?: Resolver<Array<ResolversTypes['SshKey']>, ParentType, ContextType>;
  available?: Resolver<Array<ResolversTypes['SshKey']>, ParentType, ContextType>;
}>;

export type VmTemplateResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['VmTemplate'] = ResolversParentTypes['VmTemplate']> = ResolversObject<{
  containerCommand?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  containerPort?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  diskSizeGb?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  envVars?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  gpuCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  gpuModelId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  imageUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = ComputeContext> = ResolversObject<{
  AgentAssignments?: AgentAssignmentsResolvers<ContextType>;
  AgentWorkload?: AgentWorkloadResolvers<ContextType>;
  AiCallContext?: AiCallContextResolvers<ContextType>;
  AiProxyInfo?: AiProxyInfoResolvers<ContextType>;
  AiProxySettings?: AiProxySettingsResolvers<ContextType>;
  AiProxyUsage?: AiProxyUsageResolvers<ContextType>;
  AiUsageByKey?: AiUsageByKeyResolvers<ContextType>;
  AiUsageByModel?: AiUsageByModelResolvers<ContextType>;
  AiUsageDay?: AiUsageDayResolvers<ContextType>;
  AiUsageTotals?: AiUsageTotalsResolvers<ContextType>;
  Asset?: AssetResolvers<ContextType>;
  Cluster?: ClusterResolvers<ContextType>;
  ClusterDetail?: ClusterDetailResolvers<ContextType>;
  ClusterPage?: ClusterPageResolvers<ContextType>;
  CreatedProvisioningToken?: CreatedProvisioningTokenResolvers<ContextType>;
  Credential?: CredentialResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  GpuAvailability?: GpuAvailabilityResolvers<ContextType>;
  GpuModel?: GpuModelResolvers<ContextType>;
  GpuPrice?: GpuPriceResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Location?: LocationResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  NodeRegistration?: NodeRegistrationResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  Pricing?: PricingResolvers<ContextType>;
  ProviderEarnings?: ProviderEarningsResolvers<ContextType>;
  ProviderNode?: ProviderNodeResolvers<ContextType>;
  ProviderStats?: ProviderStatsResolvers<ContextType>;
  ProviderStatus?: ProviderStatusResolvers<ContextType>;
  ProvisioningToken?: ProvisioningTokenResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RegionAvailability?: RegionAvailabilityResolvers<ContextType>;
  RegistryCredential?: RegistryCredentialResolvers<ContextType>;
  Replica?: ReplicaResolvers<ContextType>;
  RevealedCredential?: RevealedCredentialResolvers<ContextType>;
  SafeInt?: GraphQLScalarType;
  SshKey?: SshKeyResolvers<ContextType>;
  TelegramLink?: TelegramLinkResolvers<ContextType>;
  Vm?: VmResolvers<ContextType>;
  VmDetail?: VmDetailResolvers<ContextType>;
  VmNode?: VmNodeResolvers<ContextType>;
  VmPage?: VmPageResolvers<ContextType>;
  VmSshKeys?: VmSshKeysResolvers<ContextType>;
  VmTemplate?: VmTemplateResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = ComputeContext> = ResolversObject<{
  authz?: AuthzDirectiveResolver<any, any, ContextType>;
  public?: PublicDirectiveResolver<any, any, ContextType>;
}>;
