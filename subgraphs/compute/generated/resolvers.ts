import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { VmView } from '../vms.ts';
import type { ClusterView, ReplicaView } from '../clusters.ts';
import type { JobView } from '../jobs/service.ts';
import type { AgentView, AgentTemplateView, AgentTaskView, AgentQueueHealthView } from '../agents/service.ts';
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

export type AddBreakpointInput = {
  /** Only runs of this definition (every definition by default). */
  definitionId?: InputMaybe<Scalars['ID']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
  /** The node id to pause before. */
  stepId: Scalars['ID']['input'];
};

export type Agent = {
  __typename?: 'Agent';
  createdAt: Scalars['DateTime']['output'];
  currentTask?: Maybe<Scalars['String']['output']>;
  desiredState: AgentDesiredState;
  emoji?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  intervalSec?: Maybe<Scalars['Int']['output']>;
  lastHeartbeatAt?: Maybe<Scalars['DateTime']['output']>;
  model?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  /** The queue its tasks wait in (claim with this queue name). */
  queue: Scalars['String']['output'];
  /** Queued and running tasks. */
  queuedTasks: Scalars['Int']['output'];
  restartCount: Scalars['Int']['output'];
  role: Scalars['String']['output'];
  runningTasks: Scalars['Int']['output'];
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: AgentStatus;
  stoppedAt?: Maybe<Scalars['DateTime']['output']>;
  templateId?: Maybe<Scalars['ID']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** The governance workflow its tasks spend against (paused or killed: no new tasks). */
  workflowId?: Maybe<Scalars['ID']['output']>;
  workspacePath?: Maybe<Scalars['String']['output']>;
};

export type AgentAssignments = {
  __typename?: 'AgentAssignments';
  snapshots: Array<AgentSnapshotTask>;
  version: Scalars['String']['output'];
  workloads: Array<AgentWorkload>;
};

/** What the agent should be doing: its tasks are claimable only while `running`. */
export type AgentDesiredState =
  | 'DEACTIVATED'
  | 'RUNNING'
  | 'STOPPED';

export type AgentPage = {
  __typename?: 'AgentPage';
  items: Array<Agent>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type AgentQueueHealth = {
  __typename?: 'AgentQueueHealth';
  agentId: Scalars['ID']['output'];
  completedLast24h: Scalars['Int']['output'];
  desiredState: AgentDesiredState;
  failedLast24h: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  /** How long the oldest queued task has waited. */
  oldestWaitSeconds?: Maybe<Scalars['Int']['output']>;
  queued: Scalars['Int']['output'];
  running: Scalars['Int']['output'];
  status: AgentStatus;
  /** Median wait from submission to first claim over the last 24 h. */
  waitP50Seconds?: Maybe<Scalars['Float']['output']>;
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

/** A snapshot archive a node may move: the organization it belongs to and, once stored, its size and SHA-256. */
export type AgentSnapshotArchive = {
  __typename?: 'AgentSnapshotArchive';
  orgId: Scalars['ID']['output'];
  sha256?: Maybe<Scalars['String']['output']>;
  sizeBytes?: Maybe<Scalars['Float']['output']>;
  snapshotId: Scalars['ID']['output'];
  /** Where the archive is stored (kept when a transfer moves the snapshot to another organization). */
  storageKey?: Maybe<Scalars['String']['output']>;
};

export type AgentSnapshotReportInput = {
  reason?: InputMaybe<Scalars['String']['input']>;
  sizeBytes?: InputMaybe<Scalars['Float']['input']>;
  snapshotId: Scalars['ID']['input'];
  /** failed | purged (a snapshot becomes available when its archive is stored: PUT /v1/agent/snapshots/{id}/archive) */
  state: Scalars['String']['input'];
};

/** What a node's agent must do with a snapshot: archive a VM's disk (create) or remove a deleted archive (delete). */
export type AgentSnapshotTask = {
  __typename?: 'AgentSnapshotTask';
  /** create | delete */
  action: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  vmId: Scalars['ID']['output'];
};

/** Seed 004's agent states; `paused` while stopped, `offline` once deactivated. */
export type AgentStatus =
  | 'BLOCKED'
  | 'IDLE'
  | 'OFFLINE'
  | 'PAUSED'
  | 'WORKING';

export type AgentTask = {
  __typename?: 'AgentTask';
  /** The agent's id. */
  assignedTo: Scalars['ID']['output'];
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  /** The task's job id. */
  id: Scalars['ID']['output'];
  job: Job;
  maxDurationSeconds: Scalars['Int']['output'];
  orgId: Scalars['ID']['output'];
  priority: AgentTaskPriority;
  productId?: Maybe<Scalars['Int']['output']>;
  resolution?: Maybe<Scalars['String']['output']>;
  result?: Maybe<Scalars['JSON']['output']>;
  /** From its job: todo (queued), in_progress (running), done, cancelled, blocked (failed) — or review/blocked as set. */
  status: AgentTaskStatus;
  title: Scalars['String']['output'];
  type: AgentTaskType;
  updatedAt: Scalars['DateTime']['output'];
};

export type AgentTaskPage = {
  __typename?: 'AgentTaskPage';
  items: Array<AgentTask>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type AgentTaskPriority =
  | 'CRITICAL'
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type AgentTaskStatus =
  | 'BLOCKED'
  | 'CANCELLED'
  | 'DONE'
  | 'IN_PROGRESS'
  | 'REVIEW'
  | 'TODO';

export type AgentTaskType =
  | 'BUG'
  | 'CONTENT'
  | 'FEATURE'
  | 'INFRA'
  | 'OPS'
  | 'OTHER'
  | 'RESEARCH';

export type AgentTemplate = {
  __typename?: 'AgentTemplate';
  archivedAt?: Maybe<Scalars['DateTime']['output']>;
  capabilities: Array<Scalars['String']['output']>;
  category?: Maybe<Scalars['String']['output']>;
  config: Scalars['JSON']['output'];
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  icon?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  identity?: Maybe<Scalars['String']['output']>;
  intervalSec?: Maybe<Scalars['Int']['output']>;
  isFeatured: Scalars['Boolean']['output'];
  model?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  slug: Scalars['String']['output'];
  sortOrder: Scalars['Int']['output'];
  tools: Array<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
};

export type AgentTemplatePage = {
  __typename?: 'AgentTemplatePage';
  items: Array<AgentTemplate>;
  nextCursor?: Maybe<Scalars['String']['output']>;
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
  /** vm | replica | runner (a runner pool's runner: the agent runs its built-in runner program) */
  kind: Scalars['String']['output'];
  name: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  public: Scalars['Boolean']['output'];
  /** Registry credentials opened for this node's agent only (null when none). */
  registryAuth?: Maybe<Scalars['JSON']['output']>;
  /** Restore the disk from this snapshot's archive before the first start (a fork). */
  restoreSnapshotId?: Maybe<Scalars['ID']['output']>;
  /** SHA-256 (hex) the downloaded archive of restoreSnapshotId must have. */
  restoreSnapshotSha256?: Maybe<Scalars['String']['output']>;
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

export type ClaimJobsInput = {
  /** 1–100 (default 1). */
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  /** REST: defaults to the API key's organization. */
  orgId: Scalars['ID']['input'];
  /** Default `default`. */
  queue?: InputMaybe<Scalars['String']['input']>;
  /** The worker's own name (1–128 characters), recorded on the jobs it holds. */
  workerId: Scalars['String']['input'];
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

export type CompleteJobInput = {
  /** What the job cost, when the worker knows better than GPU-seconds × catalog price. */
  costMicros?: InputMaybe<Scalars['SafeInt']['input']>;
  result?: InputMaybe<Scalars['JSON']['input']>;
  workerId?: InputMaybe<Scalars['String']['input']>;
};

export type CreateAgentInput = {
  emoji?: InputMaybe<Scalars['String']['input']>;
  intervalSec?: InputMaybe<Scalars['Int']['input']>;
  model?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  /** REST: defaults to the API key's organization. */
  orgId: Scalars['ID']['input'];
  role?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<AgentStatus>;
  /** Fills model, interval and role from an agent template. */
  templateId?: InputMaybe<Scalars['ID']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
  workspacePath?: InputMaybe<Scalars['String']['input']>;
};

export type CreateAgentTaskInput = {
  /** The agent (id or name) whose queue the task waits in. */
  assignedTo: Scalars['String']['input'];
  description?: InputMaybe<Scalars['String']['input']>;
  /** The lease of one attempt (default 3600 s). */
  maxDurationSeconds?: InputMaybe<Scalars['Int']['input']>;
  /** REST: defaults to the API key's organization. */
  orgId: Scalars['ID']['input'];
  priority?: InputMaybe<AgentTaskPriority>;
  productId?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<AgentTaskStatus>;
  title: Scalars['String']['input'];
  type?: InputMaybe<AgentTaskType>;
};

export type CreateAgentTemplateInput = {
  capabilities?: InputMaybe<Array<Scalars['String']['input']>>;
  category?: InputMaybe<Scalars['String']['input']>;
  config?: InputMaybe<Scalars['JSON']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  icon?: InputMaybe<Scalars['String']['input']>;
  identity?: InputMaybe<Scalars['String']['input']>;
  intervalSec?: InputMaybe<Scalars['Int']['input']>;
  isFeatured?: InputMaybe<Scalars['Boolean']['input']>;
  model?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  /** REST: defaults to the API key's organization. */
  orgId: Scalars['ID']['input'];
  slug: Scalars['String']['input'];
  sortOrder?: InputMaybe<Scalars['Int']['input']>;
  tools?: InputMaybe<Array<Scalars['String']['input']>>;
};

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

export type CreateRunnerPoolInput = {
  diskSizeGb?: InputMaybe<Scalars['Int']['input']>;
  name: Scalars['String']['input'];
  /** 4, 8, 16, 32 or 64. */
  poolRamGb: Scalars['Int']['input'];
  /** 1–1000 (default 1). */
  size?: InputMaybe<Scalars['Int']['input']>;
};

export type CreateScheduleInput = {
  /** Cron expression (5 fields, or 6 with seconds). */
  cron?: InputMaybe<Scalars['String']['input']>;
  /** Start a run of this definition on each tick (give definitionId or job). */
  definitionId?: InputMaybe<Scalars['ID']['input']>;
  /** Fire once, after N seconds. */
  delay?: InputMaybe<Scalars['Int']['input']>;
  /** Fire every N seconds. */
  every?: InputMaybe<Scalars['Int']['input']>;
  /** The run's input (definitionId only). */
  input?: InputMaybe<Scalars['JSON']['input']>;
  /** Submit this job on each tick (give definitionId or job); idempotency key schedule:<id>:<tick>. */
  job?: InputMaybe<ScheduleJobInput>;
  /** skip (default) or catch_up. */
  missed?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
  /** IANA time zone of the cron expression (UTC by default). */
  timezone?: InputMaybe<Scalars['String']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
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

export type CreateWorkflowDefinitionInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** A definition with this name already in the organization gets a new version. */
  name: Scalars['String']['input'];
  /** The NodeDefinition list. */
  nodes: Scalars['JSON']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
  /** [{ id, type: "manual", description }] */
  triggers?: InputMaybe<Scalars['JSON']['input']>;
};

export type CreateWorkflowRunInput = {
  definitionId: Scalars['ID']['input'];
  /** The same key and body return the same run; another body with the key is 409 idempotency_conflict. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input?: InputMaybe<Scalars['JSON']['input']>;
  /** Open a new session (ACP) for this run; its output becomes the session's state. */
  newSession?: InputMaybe<Scalars['Boolean']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  /** Start at once (POST /v1/workflow-runs creates a pending run unless true). */
  start?: InputMaybe<Scalars['Boolean']['input']>;
  /** A definition version; the latest by default. */
  version?: InputMaybe<Scalars['Int']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
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

export type FailJobInput = {
  error?: InputMaybe<Scalars['JSON']['input']>;
  /** False: do not retry (the job fails now). */
  retryable?: InputMaybe<Scalars['Boolean']['input']>;
  workerId?: InputMaybe<Scalars['String']['input']>;
};

/** seed 003's fork body: the source VM's spec, with these overrides. */
export type ForkVmInput = {
  containerPort?: InputMaybe<Scalars['Int']['input']>;
  diskSizeGb?: InputMaybe<Scalars['Int']['input']>;
  envVars?: InputMaybe<Scalars['JSON']['input']>;
  gpuCount?: InputMaybe<Scalars['Int']['input']>;
  gpuModelId?: InputMaybe<Scalars['String']['input']>;
  imageUrl?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  resourceSize?: InputMaybe<Scalars['String']['input']>;
  snapshotId: Scalars['ID']['input'];
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

export type InitiateTransferInput = {
  note?: InputMaybe<Scalars['String']['input']>;
  resourceId: Scalars['ID']['input'];
  /** vm | cluster */
  resourceType: Scalars['String']['input'];
  /** The target organization's slug (or id); the caller must belong to it. */
  targetOrgSlug: Scalars['String']['input'];
};

export type Job = {
  __typename?: 'Job';
  agentId?: Maybe<Scalars['ID']['output']>;
  /** Claims so far (the current attempt's number while running). */
  attempts: Scalars['Int']['output'];
  /** The most the job can cost (catalog price × GPUs × timeout × attempts), micro-dollars. */
  costEstimateMicros: Scalars['SafeInt']['output'];
  /** What it cost, once finished (micro-dollars). */
  costMicros?: Maybe<Scalars['SafeInt']['output']>;
  createdAt: Scalars['DateTime']['output'];
  error?: Maybe<Scalars['JSON']['output']>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  gpuCount: Scalars['Int']['output'];
  gpuModelId?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  idempotencyKey?: Maybe<Scalars['String']['output']>;
  leaseExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  maxAttempts: Scalars['Int']['output'];
  orgId: Scalars['ID']['output'];
  organization: Organization;
  origin?: Maybe<JobOrigin>;
  payload?: Maybe<Scalars['JSON']['output']>;
  /** Higher runs first (−1000 to 1000). */
  priority: Scalars['Int']['output'];
  queue: Scalars['String']['output'];
  result?: Maybe<Scalars['JSON']['output']>;
  retryBackoff: Scalars['Boolean']['output'];
  retryDelaySeconds: Scalars['Int']['output'];
  /** The vault secrets the job names (names only; docs/jobs.md#secrets). */
  secretNames: Array<Scalars['String']['output']>;
  /**
   * The named secrets' values, name → value, opened from the vault for this attempt (each opening audited as
   * `credential.accessed`). Set only in a claim's answer (`claimJobs`, `runnerClaimJob`); null everywhere else.
   */
  secrets?: Maybe<Scalars['JSON']['output']>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: JobStatus;
  tier?: Maybe<Scalars['String']['output']>;
  /** The lease of one attempt: a worker that neither completes nor fails within it loses the job to the queue. */
  timeoutSeconds: Scalars['Int']['output'];
  type: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  workerId?: Maybe<Scalars['String']['output']>;
  workflowId?: Maybe<Scalars['ID']['output']>;
};

/** Where a pipeline job comes from: its run and node (workflow runs). */
export type JobOrigin = {
  __typename?: 'JobOrigin';
  nodeId: Scalars['String']['output'];
  runId: Scalars['ID']['output'];
};

export type JobOriginInput = {
  nodeId: Scalars['String']['input'];
  runId: Scalars['ID']['input'];
};

export type JobPage = {
  __typename?: 'JobPage';
  items: Array<Job>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type JobQueueStats = {
  __typename?: 'JobQueueStats';
  cancelled: Scalars['Int']['output'];
  failed: Scalars['Int']['output'];
  oldestQueuedSeconds?: Maybe<Scalars['Int']['output']>;
  queue: Scalars['String']['output'];
  queued: Scalars['Int']['output'];
  running: Scalars['Int']['output'];
  succeeded: Scalars['Int']['output'];
  throughputPerMinute: Scalars['Float']['output'];
  waitP50Ms?: Maybe<Scalars['Int']['output']>;
  waitP95Ms?: Maybe<Scalars['Int']['output']>;
};

export type JobStats = {
  __typename?: 'JobStats';
  cancelled: Scalars['Int']['output'];
  failed: Scalars['Int']['output'];
  queued: Scalars['Int']['output'];
  queues: Array<JobQueueStats>;
  running: Scalars['Int']['output'];
  succeeded: Scalars['Int']['output'];
  windowMinutes: Scalars['Int']['output'];
};

/** queued → running → succeeded | failed | cancelled (a failed attempt with attempts left returns to queued). */
export type JobStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type JobSubmission = {
  __typename?: 'JobSubmission';
  job: Job;
  /** True when an earlier submission with the same idempotency key was returned. */
  replayed: Scalars['Boolean']['output'];
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
  /** Accepts a pending transfer (owner/admin of the target): the resource moves atomically; sshKeyIds are the target's keys to attach. */
  acceptTransfer: Scalars['Boolean']['output'];
  addWorkflowBreakpoint: WorkflowBreakpoint;
  agentHeartbeat: Scalars['Boolean']['output'];
  /** The node agent registers with a provisioning token (seed 003) and its inventory. */
  agentRegister: NodeRegistration;
  agentReport: Scalars['Boolean']['output'];
  agentSnapshotReport: Scalars['Boolean']['output'];
  applyForProvider: ProviderStatus;
  /** Archives the task (status cancelled; its job is cancelled). */
  archiveAgentTask: AgentTask;
  archiveAgentTemplate: AgentTemplate;
  attachVmSshKey: Scalars['Boolean']['output'];
  cancelJob: Job;
  /** Cancels a pending transfer (owner/admin of the source). */
  cancelTransfer: Scalars['Boolean']['output'];
  cancelWorkflowRun: WorkflowRun;
  /** Claims up to `batchSize` jobs (none when the queue is empty), each with a lease of its `timeoutSeconds`. */
  claimJobs: Array<Job>;
  completeJob: Job;
  createAgent: Agent;
  createAgentTask: AgentTask;
  createAgentTemplate: AgentTemplate;
  createCluster: Cluster;
  createProvisioningToken: CreatedProvisioningToken;
  createRegistryCredential: RegistryCredential;
  createRunnerPool: RunnerPool;
  createSshKey: SshKey;
  createVm: Vm;
  /** Snapshots a stopped VM's disk (409 in any other status); the node's agent archives it. */
  createVmSnapshot: Snapshot;
  createWorkflowDefinition: WorkflowDefinition;
  /** Creates a run (pending unless input.start); idempotent with input.idempotencyKey. */
  createWorkflowRun: WorkflowRun;
  createWorkflowSchedule: WorkflowSchedule;
  /** Deactivates the agent (status offline): its queued tasks stay, unclaimable until it is started again. */
  deactivateAgent: Agent;
  /** Platform administrators: decide a provider application. */
  decideProviderApplication: ProviderStatus;
  deleteCredential: Scalars['Boolean']['output'];
  deleteRegistryCredential: Scalars['Boolean']['output'];
  /** Drains the pool (no new jobs); deletes it once nothing is queued or running — call again after the drain. */
  deleteRunnerPool: RunnerPool;
  /** Soft-deletes a snapshot (409 while a VM forked from it is not terminated). */
  deleteSnapshot: Scalars['Boolean']['output'];
  deleteSshKey: Scalars['Boolean']['output'];
  deleteWorkflowSchedule: Scalars['Boolean']['output'];
  deleteWorkflowSession: Scalars['Boolean']['output'];
  failJob: Job;
  /** Starts a run of the trigger's definition with the payload as input. */
  fireWorkflowTrigger: WorkflowRun;
  /** A new VM whose disk is restored from a snapshot. */
  forkVm: Vm;
  /** Keeps the current attempt's heartbeat fresh (refused once its lease expired). */
  heartbeatJob: Job;
  /** Offers a VM or cluster to another organization (owner/admin of the source; one pending offer per resource). */
  initiateTransfer: Transfer;
  pruneWorkflowSessions: PruneSessionsResult;
  /** Creates or replaces a credential (the value is not returned). */
  putCredential: Credential;
  rebootVm: Vm;
  /** An inbound webhook delivery (the REST route `POST /v1/triggers/{id}/webhook` forwards it): starts a run once per webhook-id. */
  receiveWorkflowWebhook: WorkflowRun;
  /** Records a call the AI gateway made (internal: the signature is the gateway's). True when newly recorded. */
  recordAiCall: Scalars['Boolean']['output'];
  /** The REST adapter stored a node's upload: the snapshot becomes available with the stored size and SHA-256. */
  recordSnapshotArchive: Snapshot;
  /** Records an upload the REST adapter stored (internal: the signature is the adapter's). */
  registerAsset: Asset;
  /** Rejects a pending transfer (owner/admin of the target). */
  rejectTransfer: Scalars['Boolean']['output'];
  releaseWorkflowRun: WorkflowRun;
  removeWorkflowBreakpoint: Scalars['Boolean']['output'];
  /** Changes the RAM tier (jobs claimed from now on are billed at the new tier) and/or the number of runners (0–1000): extra runners stop after their current job. */
  resizeRunnerPool: RunnerPool;
  resizeVmDisk: Vm;
  /** Stops and starts the agent; tasks it held running go back to its queue. */
  restartAgent: Agent;
  restartCluster: Cluster;
  restartVm: Vm;
  /** Resumes a run waiting on input (a wait node with forInput) or a timer. */
  resumeWorkflowRun: WorkflowRun;
  /** Starts a new run of the session's definition with the session's state and input. */
  resumeWorkflowSession: WorkflowRun;
  revokeProvisioningToken: Scalars['Boolean']['output'];
  /** Mints or rotates the signing secret of a `webhook` trigger (the previous secret stops verifying). */
  rotateWorkflowTriggerSecret: WorkflowTriggerSecret;
  /** Creates and starts a run, then waits up to timeoutSeconds (default 30, at most 120; never past the gateway's subgraph deadline) for it to finish. */
  runWorkflowDefinition: WorkflowRunResult;
  /** A pool runner claims one job of its pool's queue (null: none ready, the pool at its size, or the runner stopping). Its credential is the token its node agent handed it, valid only while the runner lives and only for its pool's queue. */
  runnerClaimJob?: Maybe<Job>;
  /** A pool runner completes or fails a job it holds. */
  runnerFinishJob: Job;
  /** A pool runner extends the lease of a job it holds. */
  runnerHeartbeatJob: Job;
  scaleCluster: Cluster;
  setGpuPrice: GpuPrice;
  startAgent: Agent;
  /** Creates and starts a run of a definition (async); returns the run. */
  startWorkflowDefinition: WorkflowRun;
  startWorkflowRun: WorkflowRun;
  /** Stops the agent (status paused): its tasks are not claimable until it starts. */
  stopAgent: Agent;
  stopCluster: Cluster;
  stopVm: Vm;
  submitJob: JobSubmission;
  terminateCluster: Cluster;
  terminateVm: Vm;
  updateAgent: Agent;
  updateAgentTask: AgentTask;
  updateAgentTemplate: AgentTemplate;
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


export type MutationAcceptTransferArgs = {
  id: Scalars['ID']['input'];
  sshKeyIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationAddWorkflowBreakpointArgs = {
  input: AddBreakpointInput;
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


export type MutationAgentSnapshotReportArgs = {
  input: AgentSnapshotReportInput;
  nodeId: Scalars['ID']['input'];
  nodeSecret: Scalars['String']['input'];
};


export type MutationApplyForProviderArgs = {
  note: Scalars['String']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationArchiveAgentTaskArgs = {
  id: Scalars['ID']['input'];
};


export type MutationArchiveAgentTemplateArgs = {
  id: Scalars['ID']['input'];
};


export type MutationAttachVmSshKeyArgs = {
  id: Scalars['ID']['input'];
  sshKeyId: Scalars['ID']['input'];
};


export type MutationCancelJobArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCancelTransferArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCancelWorkflowRunArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationClaimJobsArgs = {
  input: ClaimJobsInput;
};


export type MutationCompleteJobArgs = {
  id: Scalars['ID']['input'];
  input?: InputMaybe<CompleteJobInput>;
};


export type MutationCreateAgentArgs = {
  input: CreateAgentInput;
};


export type MutationCreateAgentTaskArgs = {
  input: CreateAgentTaskInput;
};


export type MutationCreateAgentTemplateArgs = {
  input: CreateAgentTemplateInput;
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


export type MutationCreateRunnerPoolArgs = {
  input: CreateRunnerPoolInput;
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


export type MutationCreateVmSnapshotArgs = {
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


export type MutationCreateWorkflowDefinitionArgs = {
  input: CreateWorkflowDefinitionInput;
};


export type MutationCreateWorkflowRunArgs = {
  input: CreateWorkflowRunInput;
};


export type MutationCreateWorkflowScheduleArgs = {
  input: CreateScheduleInput;
};


export type MutationDeactivateAgentArgs = {
  id: Scalars['ID']['input'];
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


export type MutationDeleteRunnerPoolArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationDeleteSnapshotArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteSshKeyArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationDeleteWorkflowScheduleArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteWorkflowSessionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationFailJobArgs = {
  id: Scalars['ID']['input'];
  input?: InputMaybe<FailJobInput>;
};


export type MutationFireWorkflowTriggerArgs = {
  id: Scalars['ID']['input'];
  payload?: InputMaybe<Scalars['JSON']['input']>;
};


export type MutationForkVmArgs = {
  input: ForkVmInput;
  orgId: Scalars['ID']['input'];
};


export type MutationHeartbeatJobArgs = {
  id: Scalars['ID']['input'];
  workerId?: InputMaybe<Scalars['String']['input']>;
};


export type MutationInitiateTransferArgs = {
  input: InitiateTransferInput;
  orgId: Scalars['ID']['input'];
};


export type MutationPruneWorkflowSessionsArgs = {
  input: PruneSessionsInput;
};


export type MutationPutCredentialArgs = {
  input: PutCredentialInput;
  orgId: Scalars['ID']['input'];
};


export type MutationRebootVmArgs = {
  id: Scalars['ID']['input'];
};


export type MutationReceiveWorkflowWebhookArgs = {
  messageId: Scalars['String']['input'];
  payload: Scalars['String']['input'];
  signature: Scalars['String']['input'];
  timestamp: Scalars['String']['input'];
  trigger: Scalars['ID']['input'];
};


export type MutationRecordAiCallArgs = {
  input: RecordAiCallInput;
  signature: Scalars['String']['input'];
};


export type MutationRecordSnapshotArchiveArgs = {
  input: SnapshotArchiveRecordInput;
  signature: Scalars['String']['input'];
};


export type MutationRegisterAssetArgs = {
  input: RegisterAssetInput;
  signature: Scalars['String']['input'];
};


export type MutationRejectTransferArgs = {
  id: Scalars['ID']['input'];
};


export type MutationReleaseWorkflowRunArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRemoveWorkflowBreakpointArgs = {
  orgId: Scalars['ID']['input'];
  stepId: Scalars['ID']['input'];
};


export type MutationResizeRunnerPoolArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
  poolRamGb?: InputMaybe<Scalars['Int']['input']>;
  size?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationResizeVmDiskArgs = {
  id: Scalars['ID']['input'];
  newSizeGb: Scalars['Int']['input'];
};


export type MutationRestartAgentArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRestartClusterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRestartVmArgs = {
  id: Scalars['ID']['input'];
};


export type MutationResumeWorkflowRunArgs = {
  id: Scalars['ID']['input'];
  input?: InputMaybe<Scalars['JSON']['input']>;
};


export type MutationResumeWorkflowSessionArgs = {
  id: Scalars['ID']['input'];
  input?: InputMaybe<Scalars['JSON']['input']>;
};


export type MutationRevokeProvisioningTokenArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationRotateWorkflowTriggerSecretArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRunWorkflowDefinitionArgs = {
  id: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input?: InputMaybe<Scalars['JSON']['input']>;
  newSession?: InputMaybe<Scalars['Boolean']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  timeoutSeconds?: InputMaybe<Scalars['Int']['input']>;
  version?: InputMaybe<Scalars['Int']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationRunnerClaimJobArgs = {
  runnerId: Scalars['ID']['input'];
  runnerToken: Scalars['String']['input'];
};


export type MutationRunnerFinishJobArgs = {
  input: RunnerFinishJobInput;
  jobId: Scalars['ID']['input'];
  runnerId: Scalars['ID']['input'];
  runnerToken: Scalars['String']['input'];
};


export type MutationRunnerHeartbeatJobArgs = {
  jobId: Scalars['ID']['input'];
  runnerId: Scalars['ID']['input'];
  runnerToken: Scalars['String']['input'];
};


export type MutationScaleClusterArgs = {
  id: Scalars['ID']['input'];
  replicaCount: Scalars['Int']['input'];
};


export type MutationSetGpuPriceArgs = {
  input: GpuPriceInput;
};


export type MutationStartAgentArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStartWorkflowDefinitionArgs = {
  id: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input?: InputMaybe<Scalars['JSON']['input']>;
  newSession?: InputMaybe<Scalars['Boolean']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  version?: InputMaybe<Scalars['Int']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationStartWorkflowRunArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStopAgentArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStopClusterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStopVmArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSubmitJobArgs = {
  input: SubmitJobInput;
};


export type MutationTerminateClusterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationTerminateVmArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdateAgentArgs = {
  id: Scalars['ID']['input'];
  input: UpdateAgentInput;
};


export type MutationUpdateAgentTaskArgs = {
  id: Scalars['ID']['input'];
  input: UpdateAgentTaskInput;
};


export type MutationUpdateAgentTemplateArgs = {
  id: Scalars['ID']['input'];
  input: UpdateAgentTemplateInput;
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

/** One runner of a pool: a workload on a node running the built-in runner program. */
export type PoolRunner = {
  __typename?: 'PoolRunner';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The node it runs on (null while pending). */
  nodeId?: Maybe<Scalars['ID']['output']>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** pending (waiting for a runner slot) | provisioning | running | stopping (finishing its job) | stopped | failed */
  status: Scalars['String']['output'];
  statusReason?: Maybe<Scalars['String']['output']>;
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

export type PruneSessionsInput = {
  /** Also prune sessions idle for longer than this (seconds); expired sessions are always pruned. */
  idleSeconds?: InputMaybe<Scalars['Int']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
};

export type PruneSessionsResult = {
  __typename?: 'PruneSessionsResult';
  pruned: Scalars['Int']['output'];
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
  agent?: Maybe<Agent>;
  /** The node agent's long poll: answers when the node's assignments change, or after waitSeconds. */
  agentAssignments: AgentAssignments;
  /** Where a cluster's endpoint sends requests: `address/replicaId` of each healthy replica (node agents). */
  agentClusterEndpoints: Array<Scalars['String']['output']>;
  /** Per agent: queued and running tasks, wait times, completions and failures. */
  agentQueueHealth: Array<AgentQueueHealth>;
  /** The node may download this snapshot's archive (a VM assigned to it is forked from it). Else not_found. */
  agentSnapshotDownload: AgentSnapshotArchive;
  /** The node may upload this snapshot's archive (it is taking it): where it belongs. Else not_found. */
  agentSnapshotUpload: AgentSnapshotArchive;
  agentTask?: Maybe<AgentTask>;
  agentTasks: AgentTaskPage;
  agentTemplate?: Maybe<AgentTemplate>;
  agentTemplates: AgentTemplatePage;
  agents: AgentPage;
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
  /** Pending transfers offered to the organization. */
  incomingTransfers: Array<Transfer>;
  job?: Maybe<Job>;
  /** Per queue: depth, in flight, throughput, failures and wait p50/p95 over the last `windowMinutes` (default 60). */
  jobStats: JobStats;
  jobs: JobPage;
  locations: Array<Location>;
  /** Transfers the organization offered, every status. */
  outgoingTransfers: Array<Transfer>;
  /** Runs paused at a breakpoint. */
  pausedWorkflowRuns: Array<WorkflowRun>;
  pricing: Pricing;
  providerEarnings: ProviderEarnings;
  providerNodes: Array<ProviderNode>;
  providerStats: ProviderStats;
  providerStatus: ProviderStatus;
  provisioningTokens: Array<ProvisioningToken>;
  registryCredentials: Array<RegistryCredential>;
  runnerPool?: Maybe<RunnerPool>;
  /** The pool queue's jobs, newest first. */
  runnerPoolJobs: JobPage;
  runnerPoolMetrics: RunnerPoolMetrics;
  /** The organization's runner pools (not deleted) with their active and queued jobs. */
  runnerPools: Array<RunnerPool>;
  /** An org's snapshots, newest first (optionally of one VM); deleted ones are not listed. */
  snapshots: Array<Snapshot>;
  sshKeys: Array<SshKey>;
  transferPendingCount: TransferPendingCount;
  /** The organizations the caller belongs to. */
  transferTargetOrgs: Array<TransferTargetOrg>;
  vm?: Maybe<Vm>;
  vmDetail?: Maybe<VmDetail>;
  vmSshKeys: VmSshKeys;
  vmTelegramLink: TelegramLink;
  vmTemplates: Array<VmTemplate>;
  vms: VmPage;
  workflowBreakpoints: Array<WorkflowBreakpoint>;
  workflowDefinition?: Maybe<WorkflowDefinition>;
  workflowDefinitions: WorkflowDefinitionPage;
  workflowRun?: Maybe<WorkflowRun>;
  workflowRuns: WorkflowRunPage;
  workflowSchedules: Array<WorkflowSchedule>;
  workflowSession?: Maybe<WorkflowSession>;
  workflowSessions: WorkflowSessionPage;
  workflowTriggers: Array<WorkflowTrigger>;
};


export type QueryAgentArgs = {
  id: Scalars['ID']['input'];
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


export type QueryAgentQueueHealthArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryAgentSnapshotDownloadArgs = {
  nodeId: Scalars['ID']['input'];
  nodeSecret: Scalars['String']['input'];
  snapshotId: Scalars['ID']['input'];
};


export type QueryAgentSnapshotUploadArgs = {
  nodeId: Scalars['ID']['input'];
  nodeSecret: Scalars['String']['input'];
  snapshotId: Scalars['ID']['input'];
};


export type QueryAgentTaskArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAgentTasksArgs = {
  assignedTo?: InputMaybe<Scalars['String']['input']>;
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  priority?: InputMaybe<AgentTaskPriority>;
  status?: InputMaybe<Array<AgentTaskStatus>>;
};


export type QueryAgentTemplateArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAgentTemplatesArgs = {
  category?: InputMaybe<Scalars['String']['input']>;
  cursor?: InputMaybe<Scalars['String']['input']>;
  featured?: InputMaybe<Scalars['Boolean']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryAgentsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  role?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<Array<AgentStatus>>;
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


export type QueryIncomingTransfersArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryJobStatsArgs = {
  orgId: Scalars['ID']['input'];
  windowMinutes?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryJobsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  queue?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<Array<JobStatus>>;
  type?: InputMaybe<Scalars['String']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryOutgoingTransfersArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryPausedWorkflowRunsArgs = {
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


export type QueryRunnerPoolArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type QueryRunnerPoolJobsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryRunnerPoolMetricsArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type QueryRunnerPoolsArgs = {
  orgId: Scalars['ID']['input'];
};


export type QuerySnapshotsArgs = {
  orgId: Scalars['ID']['input'];
  vmId?: InputMaybe<Scalars['ID']['input']>;
};


export type QuerySshKeysArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryTransferPendingCountArgs = {
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


export type QueryWorkflowBreakpointsArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryWorkflowDefinitionArgs = {
  id: Scalars['ID']['input'];
  version?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWorkflowDefinitionsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryWorkflowRunArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWorkflowRunsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  definitionId?: InputMaybe<Scalars['ID']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  status?: InputMaybe<WorkflowRunStatus>;
};


export type QueryWorkflowSchedulesArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryWorkflowSessionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWorkflowSessionsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryWorkflowTriggersArgs = {
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

export type RunnerFinishJobInput = {
  error?: InputMaybe<Scalars['JSON']['input']>;
  result?: InputMaybe<Scalars['JSON']['input']>;
  retryable?: InputMaybe<Scalars['Boolean']['input']>;
  /** true: the job completed with `result`; false: it failed with `error` (retried as the job says unless retryable is false). */
  succeeded: Scalars['Boolean']['input'];
};

export type RunnerPool = {
  __typename?: 'RunnerPool';
  /** Jobs claimed and running now. */
  activeJobs: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  diskSizeGb?: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  orgId: Scalars['ID']['output'];
  /** RAM tier of each runner (4, 8, 16, 32 or 64 GB): sets the price per runner-minute. */
  poolRamGb: Scalars['Int']['output'];
  /** Price of one runner-minute at the current tier (micro-dollars); jobs are billed at the tier they were claimed at. */
  pricePerMinuteMicros: Scalars['SafeInt']['output'];
  /** The job queue to submit to and claim from. */
  queue: Scalars['String']['output'];
  /** Jobs waiting for a runner. */
  queuedJobs: Scalars['Int']['output'];
  /** The pool's runners that are pending, starting, running or stopping, with their nodes. */
  runners: Array<PoolRunner>;
  /** Most runners working at once: claims beyond it get nothing until a job finishes. */
  size: Scalars['Int']['output'];
  /** active | draining (takes no new jobs, finishes its queue) | deleted */
  status: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

/** The last 30 days of a pool's finished jobs, and what their runner-minutes cost against the reference price. */
export type RunnerPoolMetrics = {
  __typename?: 'RunnerPoolMetrics';
  cancelled: Scalars['Int']['output'];
  /** Runner-minutes at the price of the tier each job was claimed at (micro-dollars). */
  costMicros: Scalars['SafeInt']['output'];
  days: Scalars['Int']['output'];
  durationP50Seconds?: Maybe<Scalars['Int']['output']>;
  durationP95Seconds?: Maybe<Scalars['Int']['output']>;
  failed: Scalars['Int']['output'];
  poolId: Scalars['ID']['output'];
  pricePerMinuteMicros: Scalars['SafeInt']['output'];
  /** The same minutes at the reference price of a hosted CI runner with the same RAM (micro-dollars). */
  referenceCostMicros: Scalars['SafeInt']['output'];
  referencePerMinuteMicros: Scalars['SafeInt']['output'];
  /** Each job's run time rounded up to whole minutes, summed. */
  runnerMinutes: Scalars['SafeInt']['output'];
  /** The pool's runners now (pending, starting, running or stopping) and their nodes. */
  runners: Array<PoolRunner>;
  savingsMicros: Scalars['SafeInt']['output'];
  succeeded: Scalars['Int']['output'];
  /** succeeded / totalJobs (null without jobs). */
  successRate?: Maybe<Scalars['Float']['output']>;
  totalJobs: Scalars['Int']['output'];
};

export type ScheduleJobInput = {
  maxAttempts?: InputMaybe<Scalars['Int']['input']>;
  payload?: InputMaybe<Scalars['JSON']['input']>;
  priority?: InputMaybe<Scalars['Int']['input']>;
  /** The job queue (default: default). */
  queue?: InputMaybe<Scalars['String']['input']>;
  timeoutSeconds?: InputMaybe<Scalars['Int']['input']>;
  type: Scalars['String']['input'];
};

/** A point-in-time archive of a stopped VM's disk, taken on the node it last ran on and stored by the control plane. */
export type Snapshot = {
  __typename?: 'Snapshot';
  createdAt: Scalars['DateTime']['output'];
  /** The source VM's disk size: a fork's disk is at least this large. */
  diskSizeGb: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** The node that took the archive (a fork runs on any node). */
  nodeId: Scalars['ID']['output'];
  /** SHA-256 (hex) of the stored archive, once available: the agent restoring a fork checks it. */
  sha256?: Maybe<Scalars['String']['output']>;
  /** The archive's size once available. */
  sizeBytes?: Maybe<Scalars['Float']['output']>;
  /** creating | available | failed | deleted */
  status: Scalars['String']['output'];
  statusReason?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** The VM the snapshot was taken of. */
  vmId: Scalars['ID']['output'];
};

/** What the REST adapter stored for a node's upload (signed by the adapter: only it records archives). */
export type SnapshotArchiveRecordInput = {
  nodeId: Scalars['ID']['input'];
  sha256: Scalars['String']['input'];
  sizeBytes: Scalars['Float']['input'];
  snapshotId: Scalars['ID']['input'];
  /** The key agentSnapshotUpload named, where the archive was stored. */
  storageKey: Scalars['String']['input'];
};

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

export type SubmitJobInput = {
  gpuCount?: InputMaybe<Scalars['Int']['input']>;
  /** GPUs the job runs on, priced from the catalog (cost estimate). */
  gpuModelId?: InputMaybe<Scalars['String']['input']>;
  /** Same key and same body → the same job; same key, other body → 409 idempotency_conflict. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** 1–100 (default 3). */
  maxAttempts?: InputMaybe<Scalars['Int']['input']>;
  /** REST: defaults to the API key's organization. */
  orgId: Scalars['ID']['input'];
  origin?: InputMaybe<JobOriginInput>;
  payload?: InputMaybe<Scalars['JSON']['input']>;
  priority?: InputMaybe<Scalars['Int']['input']>;
  /** Queue name (default `default`): letters, digits, `.`, `_`, `-`. */
  queue?: InputMaybe<Scalars['String']['input']>;
  retryBackoff?: InputMaybe<Scalars['Boolean']['input']>;
  /** Delay before a retry, 0–3600 s (default 1); doubled per attempt with `retryBackoff` (default true). */
  retryDelaySeconds?: InputMaybe<Scalars['Int']['input']>;
  /**
   * Vault secrets the worker receives when it claims the job (names, at most 20; each must be in the
   * organization's vault). Never put a secret's value in `payload`: the payload is stored with the job.
   */
  secrets?: InputMaybe<Array<Scalars['String']['input']>>;
  tier?: InputMaybe<Scalars['String']['input']>;
  /** Lease of one attempt, 1–86400 s (default 900). */
  timeoutSeconds?: InputMaybe<Scalars['Int']['input']>;
  type: Scalars['String']['input'];
  /** A governance workflow: its pause or kill refuses new jobs. */
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

export type TelegramLink = {
  __typename?: 'TelegramLink';
  url: Scalars['String']['output'];
  vmId: Scalars['ID']['output'];
};

/** An offer of a VM or cluster from one organization to another. */
export type Transfer = {
  __typename?: 'Transfer';
  createdAt: Scalars['DateTime']['output'];
  decidedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** Who offered it (user or API key id). */
  initiatedBy: Scalars['String']['output'];
  note?: Maybe<Scalars['String']['output']>;
  resourceId: Scalars['ID']['output'];
  resourceName: Scalars['String']['output'];
  /** vm | cluster */
  resourceType: Scalars['String']['output'];
  sourceOrgId: Scalars['ID']['output'];
  sourceOrgName?: Maybe<Scalars['String']['output']>;
  sourceOrgSlug?: Maybe<Scalars['String']['output']>;
  /** pending | accepted | rejected | cancelled */
  status: Scalars['String']['output'];
  targetOrgId: Scalars['ID']['output'];
  targetOrgName?: Maybe<Scalars['String']['output']>;
  targetOrgSlug?: Maybe<Scalars['String']['output']>;
};

export type TransferPendingCount = {
  __typename?: 'TransferPendingCount';
  count: Scalars['Int']['output'];
};

/** An organization the caller belongs to, as a transfer target. */
export type TransferTargetOrg = {
  __typename?: 'TransferTargetOrg';
  id: Scalars['ID']['output'];
  name?: Maybe<Scalars['String']['output']>;
  /** The caller's role there (accepting needs owner or admin). */
  role: Scalars['String']['output'];
  slug?: Maybe<Scalars['String']['output']>;
};

export type UpdateAgentInput = {
  currentTask?: InputMaybe<Scalars['String']['input']>;
  emoji?: InputMaybe<Scalars['String']['input']>;
  intervalSec?: InputMaybe<Scalars['Int']['input']>;
  model?: InputMaybe<Scalars['String']['input']>;
  role?: InputMaybe<Scalars['String']['input']>;
  /** idle, working or blocked (what the agent reports); use start/stop/DELETE for the lifecycle. */
  status?: InputMaybe<AgentStatus>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
  workspacePath?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateAgentTaskInput = {
  /** Another agent (id or name), while the task is still queued. */
  assignedTo?: InputMaybe<Scalars['String']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  maxDurationSeconds?: InputMaybe<Scalars['Int']['input']>;
  priority?: InputMaybe<AgentTaskPriority>;
  productId?: InputMaybe<Scalars['Int']['input']>;
  resolution?: InputMaybe<Scalars['String']['input']>;
  /** review or blocked (labels), cancelled (cancels the job), todo/in_progress (clears a label). */
  status?: InputMaybe<AgentTaskStatus>;
  title?: InputMaybe<Scalars['String']['input']>;
  type?: InputMaybe<AgentTaskType>;
};

export type UpdateAgentTemplateInput = {
  capabilities?: InputMaybe<Array<Scalars['String']['input']>>;
  category?: InputMaybe<Scalars['String']['input']>;
  config?: InputMaybe<Scalars['JSON']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  icon?: InputMaybe<Scalars['String']['input']>;
  identity?: InputMaybe<Scalars['String']['input']>;
  intervalSec?: InputMaybe<Scalars['Int']['input']>;
  isFeatured?: InputMaybe<Scalars['Boolean']['input']>;
  model?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['Int']['input']>;
  tools?: InputMaybe<Array<Scalars['String']['input']>>;
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
  /** The snapshot this VM was forked from (its disk was restored from it). */
  sourceSnapshotId?: Maybe<Scalars['ID']['output']>;
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

export type WorkflowBreakpoint = {
  __typename?: 'WorkflowBreakpoint';
  createdAt: Scalars['DateTime']['output'];
  definitionId?: Maybe<Scalars['ID']['output']>;
  orgId: Scalars['ID']['output'];
  stepId: Scalars['ID']['output'];
};

/** A version of a pipeline. `nodes` is the NodeDefinition list (docs/pipelines.md §Nodes). */
export type WorkflowDefinition = {
  __typename?: 'WorkflowDefinition';
  /** Ids of the definition's approval nodes. */
  approvalGates: Array<Scalars['ID']['output']>;
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  nodes: Scalars['JSON']['output'];
  orgId: Scalars['ID']['output'];
  triggers: Array<WorkflowTrigger>;
  version: Scalars['Int']['output'];
};

export type WorkflowDefinitionPage = {
  __typename?: 'WorkflowDefinitionPage';
  items: Array<WorkflowDefinition>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

/** One node of a run: its execution (at most one per node). */
export type WorkflowNodeExecution = {
  __typename?: 'WorkflowNodeExecution';
  attempts: Scalars['Int']['output'];
  /** What the node's completion cost in micro-dollars (an http node's costMicros), tracked against the run's workflow. */
  costMicros: Scalars['SafeInt']['output'];
  error?: Maybe<Scalars['String']['output']>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The job (job nodes) or child run (subworkflow nodes) it waits on. */
  jobId?: Maybe<Scalars['ID']['output']>;
  nodeId: Scalars['ID']['output'];
  output?: Maybe<Scalars['JSON']['output']>;
  startedAt: Scalars['DateTime']['output'];
  /** running, waiting, succeeded, failed, skipped */
  status: Scalars['String']['output'];
  type: Scalars['String']['output'];
  waitUntil?: Maybe<Scalars['DateTime']['output']>;
};

export type WorkflowRun = {
  __typename?: 'WorkflowRun';
  createdAt: Scalars['DateTime']['output'];
  definitionId: Scalars['ID']['output'];
  definitionVersion: Scalars['Int']['output'];
  error?: Maybe<Scalars['String']['output']>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  input: Scalars['JSON']['output'];
  nodes: Array<WorkflowNodeExecution>;
  orgId: Scalars['ID']['output'];
  output?: Maybe<Scalars['JSON']['output']>;
  parentRunId?: Maybe<Scalars['ID']['output']>;
  /** The node a run paused at a breakpoint waits before. */
  pausedAtNode?: Maybe<Scalars['ID']['output']>;
  sessionId?: Maybe<Scalars['ID']['output']>;
  /** The run's spend so far in micro-dollars: its nodes' tracked costs (job nodes' spend is their jobs'). */
  spendMicros: Scalars['SafeInt']['output'];
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: WorkflowRunStatus;
  statusReason?: Maybe<Scalars['String']['output']>;
  triggerId?: Maybe<Scalars['ID']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** The governance workflow the run is bound to (its budget and kill switch). */
  workflowId?: Maybe<Scalars['ID']['output']>;
};

export type WorkflowRunPage = {
  __typename?: 'WorkflowRunPage';
  items: Array<WorkflowRun>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

/** What a synchronous run returns: the run, and whether it finished within the timeout. */
export type WorkflowRunResult = {
  __typename?: 'WorkflowRunResult';
  finished: Scalars['Boolean']['output'];
  run: WorkflowRun;
};

export type WorkflowRunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'PAUSED_AT_BREAKPOINT'
  | 'PENDING'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'WAITING';

export type WorkflowSchedule = {
  __typename?: 'WorkflowSchedule';
  createdAt: Scalars['DateTime']['output'];
  cron?: Maybe<Scalars['String']['output']>;
  /** The definition whose run a tick starts (target run). */
  definitionId?: Maybe<Scalars['ID']['output']>;
  everySeconds?: Maybe<Scalars['Int']['output']>;
  fireCount: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  input: Scalars['JSON']['output'];
  /** The job a tick submits (target job): queue, type, payload, priority, maxAttempts, timeoutSeconds. */
  job?: Maybe<Scalars['JSON']['output']>;
  /** cron, every, delay */
  kind: Scalars['String']['output'];
  lastFiredAt?: Maybe<Scalars['DateTime']['output']>;
  /** skip or catch_up: what a tick missed while no replica ran does. */
  missed: Scalars['String']['output'];
  name?: Maybe<Scalars['String']['output']>;
  nextFireAt?: Maybe<Scalars['DateTime']['output']>;
  orgId: Scalars['ID']['output'];
  /** What a tick does: run (start a run of definitionId) or job (submit the job spec). */
  target: Scalars['String']['output'];
  timezone?: Maybe<Scalars['String']['output']>;
  workflowId?: Maybe<Scalars['ID']['output']>;
};

/** An agent (ACP) session: a conversational state carried from run to run of one definition. */
export type WorkflowSession = {
  __typename?: 'WorkflowSession';
  createdAt: Scalars['DateTime']['output'];
  definitionId: Scalars['ID']['output'];
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastRunId?: Maybe<Scalars['ID']['output']>;
  orgId: Scalars['ID']['output'];
  runCount: Scalars['Int']['output'];
  state: Scalars['JSON']['output'];
  /** active, running, closed */
  status: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type WorkflowSessionPage = {
  __typename?: 'WorkflowSessionPage';
  items: Array<WorkflowSession>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

/** A trigger declared by a definition (`type` manual or webhook); `id` is `<definitionId>.<name>`. */
export type WorkflowTrigger = {
  __typename?: 'WorkflowTrigger';
  definitionId: Scalars['ID']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  type: Scalars['String']['output'];
};

/** A webhook trigger's signing secret (Standard Webhooks, `whsec_…`), shown once, and the URL to POST to. */
export type WorkflowTriggerSecret = {
  __typename?: 'WorkflowTriggerSecret';
  rotatedAt: Scalars['DateTime']['output'];
  secret: Scalars['String']['output'];
  triggerId: Scalars['ID']['output'];
  url: Scalars['String']['output'];
  /** The governance workflow its runs are bound to: the minting key's, if bound. */
  workflowId?: Maybe<Scalars['ID']['output']>;
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
  AddBreakpointInput: ResolverTypeWrapper<Partial<AddBreakpointInput>>;
  ID: ResolverTypeWrapper<Partial<Scalars['ID']['output']>>;
  Agent: ResolverTypeWrapper<AgentView>;
  Int: ResolverTypeWrapper<Partial<Scalars['Int']['output']>>;
  AgentAssignments: ResolverTypeWrapper<Partial<AgentAssignments>>;
  AgentDesiredState: ResolverTypeWrapper<Partial<AgentDesiredState>>;
  AgentPage: ResolverTypeWrapper<Partial<Omit<AgentPage, 'items'> & { items: Array<ResolversTypes['Agent']> }>>;
  AgentQueueHealth: ResolverTypeWrapper<AgentQueueHealthView>;
  Float: ResolverTypeWrapper<Partial<Scalars['Float']['output']>>;
  AgentReportInput: ResolverTypeWrapper<Partial<AgentReportInput>>;
  AgentSnapshotArchive: ResolverTypeWrapper<Partial<AgentSnapshotArchive>>;
  AgentSnapshotReportInput: ResolverTypeWrapper<Partial<AgentSnapshotReportInput>>;
  AgentSnapshotTask: ResolverTypeWrapper<Partial<AgentSnapshotTask>>;
  AgentStatus: ResolverTypeWrapper<Partial<AgentStatus>>;
  AgentTask: ResolverTypeWrapper<AgentTaskView>;
  AgentTaskPage: ResolverTypeWrapper<Partial<Omit<AgentTaskPage, 'items'> & { items: Array<ResolversTypes['AgentTask']> }>>;
  AgentTaskPriority: ResolverTypeWrapper<Partial<AgentTaskPriority>>;
  AgentTaskStatus: ResolverTypeWrapper<Partial<AgentTaskStatus>>;
  AgentTaskType: ResolverTypeWrapper<Partial<AgentTaskType>>;
  AgentTemplate: ResolverTypeWrapper<AgentTemplateView>;
  Boolean: ResolverTypeWrapper<Partial<Scalars['Boolean']['output']>>;
  AgentTemplatePage: ResolverTypeWrapper<Partial<Omit<AgentTemplatePage, 'items'> & { items: Array<ResolversTypes['AgentTemplate']> }>>;
  AgentWorkload: ResolverTypeWrapper<Partial<AgentWorkload>>;
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
  ClaimJobsInput: ResolverTypeWrapper<Partial<ClaimJobsInput>>;
  Cluster: ResolverTypeWrapper<ClusterView>;
  ClusterDetail: ResolverTypeWrapper<Partial<Omit<ClusterDetail, 'cluster' | 'replicas'> & { cluster: ResolversTypes['Cluster'], replicas: Array<ResolversTypes['Replica']> }>>;
  ClusterPage: ResolverTypeWrapper<Partial<Omit<ClusterPage, 'items'> & { items: Array<ResolversTypes['Cluster']> }>>;
  ClusterStatus: ResolverTypeWrapper<Partial<ClusterStatus>>;
  CompleteJobInput: ResolverTypeWrapper<Partial<CompleteJobInput>>;
  CreateAgentInput: ResolverTypeWrapper<Partial<CreateAgentInput>>;
  CreateAgentTaskInput: ResolverTypeWrapper<Partial<CreateAgentTaskInput>>;
  CreateAgentTemplateInput: ResolverTypeWrapper<Partial<CreateAgentTemplateInput>>;
  CreateClusterInput: ResolverTypeWrapper<Partial<CreateClusterInput>>;
  CreateProvisioningTokenInput: ResolverTypeWrapper<Partial<CreateProvisioningTokenInput>>;
  CreateRegistryCredentialInput: ResolverTypeWrapper<Partial<CreateRegistryCredentialInput>>;
  CreateRunnerPoolInput: ResolverTypeWrapper<Partial<CreateRunnerPoolInput>>;
  CreateScheduleInput: ResolverTypeWrapper<Partial<CreateScheduleInput>>;
  CreateVmInput: ResolverTypeWrapper<Partial<CreateVmInput>>;
  CreateWorkflowDefinitionInput: ResolverTypeWrapper<Partial<CreateWorkflowDefinitionInput>>;
  CreateWorkflowRunInput: ResolverTypeWrapper<Partial<CreateWorkflowRunInput>>;
  CreatedProvisioningToken: ResolverTypeWrapper<Partial<CreatedProvisioningToken>>;
  Credential: ResolverTypeWrapper<Partial<Credential>>;
  DateTime: ResolverTypeWrapper<Partial<Scalars['DateTime']['output']>>;
  FailJobInput: ResolverTypeWrapper<Partial<FailJobInput>>;
  ForkVmInput: ResolverTypeWrapper<Partial<ForkVmInput>>;
  GpuAvailability: ResolverTypeWrapper<Partial<GpuAvailability>>;
  GpuModel: ResolverTypeWrapper<Partial<GpuModel>>;
  GpuModelInput: ResolverTypeWrapper<Partial<GpuModelInput>>;
  GpuPrice: ResolverTypeWrapper<Partial<GpuPrice>>;
  GpuPriceInput: ResolverTypeWrapper<Partial<GpuPriceInput>>;
  HealthCheckInput: ResolverTypeWrapper<Partial<HealthCheckInput>>;
  InitiateTransferInput: ResolverTypeWrapper<Partial<InitiateTransferInput>>;
  JSON: ResolverTypeWrapper<Partial<Scalars['JSON']['output']>>;
  Job: ResolverTypeWrapper<JobView>;
  JobOrigin: ResolverTypeWrapper<Partial<JobOrigin>>;
  JobOriginInput: ResolverTypeWrapper<Partial<JobOriginInput>>;
  JobPage: ResolverTypeWrapper<Partial<Omit<JobPage, 'items'> & { items: Array<ResolversTypes['Job']> }>>;
  JobQueueStats: ResolverTypeWrapper<Partial<JobQueueStats>>;
  JobStats: ResolverTypeWrapper<Partial<JobStats>>;
  JobStatus: ResolverTypeWrapper<Partial<JobStatus>>;
  JobSubmission: ResolverTypeWrapper<Partial<Omit<JobSubmission, 'job'> & { job: ResolversTypes['Job'] }>>;
  Location: ResolverTypeWrapper<Partial<Location>>;
  LocationInput: ResolverTypeWrapper<Partial<LocationInput>>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NodeInventoryInput: ResolverTypeWrapper<Partial<NodeInventoryInput>>;
  NodeRegistration: ResolverTypeWrapper<Partial<NodeRegistration>>;
  Organization: ResolverTypeWrapper<OrganizationRef>;
  PoolRunner: ResolverTypeWrapper<Partial<PoolRunner>>;
  Pricing: ResolverTypeWrapper<Partial<Pricing>>;
  ProviderEarnings: ResolverTypeWrapper<Partial<ProviderEarnings>>;
  ProviderNode: ResolverTypeWrapper<Partial<ProviderNode>>;
  ProviderStats: ResolverTypeWrapper<Partial<ProviderStats>>;
  ProviderStatus: ResolverTypeWrapper<Partial<ProviderStatus>>;
  ProvisioningToken: ResolverTypeWrapper<Partial<ProvisioningToken>>;
  PruneSessionsInput: ResolverTypeWrapper<Partial<PruneSessionsInput>>;
  PruneSessionsResult: ResolverTypeWrapper<Partial<PruneSessionsResult>>;
  PutCredentialInput: ResolverTypeWrapper<Partial<PutCredentialInput>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordAiCallInput: ResolverTypeWrapper<Partial<RecordAiCallInput>>;
  RegionAvailability: ResolverTypeWrapper<Partial<RegionAvailability>>;
  RegisterAssetInput: ResolverTypeWrapper<Partial<RegisterAssetInput>>;
  RegistryCredential: ResolverTypeWrapper<Partial<RegistryCredential>>;
  Replica: ResolverTypeWrapper<ReplicaView>;
  RevealedCredential: ResolverTypeWrapper<Partial<RevealedCredential>>;
  Role: ResolverTypeWrapper<Partial<Role>>;
  RunnerFinishJobInput: ResolverTypeWrapper<Partial<RunnerFinishJobInput>>;
  RunnerPool: ResolverTypeWrapper<Partial<RunnerPool>>;
  RunnerPoolMetrics: ResolverTypeWrapper<Partial<RunnerPoolMetrics>>;
  SafeInt: ResolverTypeWrapper<Partial<Scalars['SafeInt']['output']>>;
  ScheduleJobInput: ResolverTypeWrapper<Partial<ScheduleJobInput>>;
  Snapshot: ResolverTypeWrapper<Partial<Snapshot>>;
  SnapshotArchiveRecordInput: ResolverTypeWrapper<Partial<SnapshotArchiveRecordInput>>;
  SshKey: ResolverTypeWrapper<Partial<SshKey>>;
  SubmitJobInput: ResolverTypeWrapper<Partial<SubmitJobInput>>;
  TelegramLink: ResolverTypeWrapper<Partial<TelegramLink>>;
  Transfer: ResolverTypeWrapper<Partial<Transfer>>;
  TransferPendingCount: ResolverTypeWrapper<Partial<TransferPendingCount>>;
  TransferTargetOrg: ResolverTypeWrapper<Partial<TransferTargetOrg>>;
  UpdateAgentInput: ResolverTypeWrapper<Partial<UpdateAgentInput>>;
  UpdateAgentTaskInput: ResolverTypeWrapper<Partial<UpdateAgentTaskInput>>;
  UpdateAgentTemplateInput: ResolverTypeWrapper<Partial<UpdateAgentTemplateInput>>;
  UpdateProviderNodeInput: ResolverTypeWrapper<Partial<UpdateProviderNodeInput>>;
  Vm: ResolverTypeWrapper<VmView>;
  VmDetail: ResolverTypeWrapper<Partial<Omit<VmDetail, 'vm'> & { vm: ResolversTypes['Vm'] }>>;
  VmNode: ResolverTypeWrapper<Partial<VmNode>>;
  VmPage: ResolverTypeWrapper<Partial<Omit<VmPage, 'items'> & { items: Array<ResolversTypes['Vm']> }>>;
  VmSshKeys: ResolverTypeWrapper<Partial<VmSshKeys>>;
  VmStatus: ResolverTypeWrapper<Partial<VmStatus>>;
  VmTemplate: ResolverTypeWrapper<Partial<VmTemplate>>;
  VmTemplateInput: ResolverTypeWrapper<Partial<VmTemplateInput>>;
  WorkflowBreakpoint: ResolverTypeWrapper<Partial<WorkflowBreakpoint>>;
  WorkflowDefinition: ResolverTypeWrapper<Partial<WorkflowDefinition>>;
  WorkflowDefinitionPage: ResolverTypeWrapper<Partial<WorkflowDefinitionPage>>;
  WorkflowNodeExecution: ResolverTypeWrapper<Partial<WorkflowNodeExecution>>;
  WorkflowRun: ResolverTypeWrapper<Partial<WorkflowRun>>;
  WorkflowRunPage: ResolverTypeWrapper<Partial<WorkflowRunPage>>;
  WorkflowRunResult: ResolverTypeWrapper<Partial<WorkflowRunResult>>;
  WorkflowRunStatus: ResolverTypeWrapper<Partial<WorkflowRunStatus>>;
  WorkflowSchedule: ResolverTypeWrapper<Partial<WorkflowSchedule>>;
  WorkflowSession: ResolverTypeWrapper<Partial<WorkflowSession>>;
  WorkflowSessionPage: ResolverTypeWrapper<Partial<WorkflowSessionPage>>;
  WorkflowTrigger: ResolverTypeWrapper<Partial<WorkflowTrigger>>;
  WorkflowTriggerSecret: ResolverTypeWrapper<Partial<WorkflowTriggerSecret>>;
  String: ResolverTypeWrapper<Partial<Scalars['String']['output']>>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AddBreakpointInput: Partial<AddBreakpointInput>;
  ID: Partial<Scalars['ID']['output']>;
  Agent: AgentView;
  Int: Partial<Scalars['Int']['output']>;
  AgentAssignments: Partial<AgentAssignments>;
  AgentPage: Partial<Omit<AgentPage, 'items'> & { items: Array<ResolversParentTypes['Agent']> }>;
  AgentQueueHealth: AgentQueueHealthView;
  Float: Partial<Scalars['Float']['output']>;
  AgentReportInput: Partial<AgentReportInput>;
  AgentSnapshotArchive: Partial<AgentSnapshotArchive>;
  AgentSnapshotReportInput: Partial<AgentSnapshotReportInput>;
  AgentSnapshotTask: Partial<AgentSnapshotTask>;
  AgentTask: AgentTaskView;
  AgentTaskPage: Partial<Omit<AgentTaskPage, 'items'> & { items: Array<ResolversParentTypes['AgentTask']> }>;
  AgentTemplate: AgentTemplateView;
  Boolean: Partial<Scalars['Boolean']['output']>;
  AgentTemplatePage: Partial<Omit<AgentTemplatePage, 'items'> & { items: Array<ResolversParentTypes['AgentTemplate']> }>;
  AgentWorkload: Partial<AgentWorkload>;
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
  ClaimJobsInput: Partial<ClaimJobsInput>;
  Cluster: ClusterView;
  ClusterDetail: Partial<Omit<ClusterDetail, 'cluster' | 'replicas'> & { cluster: ResolversParentTypes['Cluster'], replicas: Array<ResolversParentTypes['Replica']> }>;
  ClusterPage: Partial<Omit<ClusterPage, 'items'> & { items: Array<ResolversParentTypes['Cluster']> }>;
  CompleteJobInput: Partial<CompleteJobInput>;
  CreateAgentInput: Partial<CreateAgentInput>;
  CreateAgentTaskInput: Partial<CreateAgentTaskInput>;
  CreateAgentTemplateInput: Partial<CreateAgentTemplateInput>;
  CreateClusterInput: Partial<CreateClusterInput>;
  CreateProvisioningTokenInput: Partial<CreateProvisioningTokenInput>;
  CreateRegistryCredentialInput: Partial<CreateRegistryCredentialInput>;
  CreateRunnerPoolInput: Partial<CreateRunnerPoolInput>;
  CreateScheduleInput: Partial<CreateScheduleInput>;
  CreateVmInput: Partial<CreateVmInput>;
  CreateWorkflowDefinitionInput: Partial<CreateWorkflowDefinitionInput>;
  CreateWorkflowRunInput: Partial<CreateWorkflowRunInput>;
  CreatedProvisioningToken: Partial<CreatedProvisioningToken>;
  Credential: Partial<Credential>;
  DateTime: Partial<Scalars['DateTime']['output']>;
  FailJobInput: Partial<FailJobInput>;
  ForkVmInput: Partial<ForkVmInput>;
  GpuAvailability: Partial<GpuAvailability>;
  GpuModel: Partial<GpuModel>;
  GpuModelInput: Partial<GpuModelInput>;
  GpuPrice: Partial<GpuPrice>;
  GpuPriceInput: Partial<GpuPriceInput>;
  HealthCheckInput: Partial<HealthCheckInput>;
  InitiateTransferInput: Partial<InitiateTransferInput>;
  JSON: Partial<Scalars['JSON']['output']>;
  Job: JobView;
  JobOrigin: Partial<JobOrigin>;
  JobOriginInput: Partial<JobOriginInput>;
  JobPage: Partial<Omit<JobPage, 'items'> & { items: Array<ResolversParentTypes['Job']> }>;
  JobQueueStats: Partial<JobQueueStats>;
  JobStats: Partial<JobStats>;
  JobSubmission: Partial<Omit<JobSubmission, 'job'> & { job: ResolversParentTypes['Job'] }>;
  Location: Partial<Location>;
  LocationInput: Partial<LocationInput>;
  Mutation: Record<PropertyKey, never>;
  NodeInventoryInput: Partial<NodeInventoryInput>;
  NodeRegistration: Partial<NodeRegistration>;
  Organization: OrganizationRef;
  PoolRunner: Partial<PoolRunner>;
  Pricing: Partial<Pricing>;
  ProviderEarnings: Partial<ProviderEarnings>;
  ProviderNode: Partial<ProviderNode>;
  ProviderStats: Partial<ProviderStats>;
  ProviderStatus: Partial<ProviderStatus>;
  ProvisioningToken: Partial<ProvisioningToken>;
  PruneSessionsInput: Partial<PruneSessionsInput>;
  PruneSessionsResult: Partial<PruneSessionsResult>;
  PutCredentialInput: Partial<PutCredentialInput>;
  Query: Record<PropertyKey, never>;
  RecordAiCallInput: Partial<RecordAiCallInput>;
  RegionAvailability: Partial<RegionAvailability>;
  RegisterAssetInput: Partial<RegisterAssetInput>;
  RegistryCredential: Partial<RegistryCredential>;
  Replica: ReplicaView;
  RevealedCredential: Partial<RevealedCredential>;
  RunnerFinishJobInput: Partial<RunnerFinishJobInput>;
  RunnerPool: Partial<RunnerPool>;
  RunnerPoolMetrics: Partial<RunnerPoolMetrics>;
  SafeInt: Partial<Scalars['SafeInt']['output']>;
  ScheduleJobInput: Partial<ScheduleJobInput>;
  Snapshot: Partial<Snapshot>;
  SnapshotArchiveRecordInput: Partial<SnapshotArchiveRecordInput>;
  SshKey: Partial<SshKey>;
  SubmitJobInput: Partial<SubmitJobInput>;
  TelegramLink: Partial<TelegramLink>;
  Transfer: Partial<Transfer>;
  TransferPendingCount: Partial<TransferPendingCount>;
  TransferTargetOrg: Partial<TransferTargetOrg>;
  UpdateAgentInput: Partial<UpdateAgentInput>;
  UpdateAgentTaskInput: Partial<UpdateAgentTaskInput>;
  UpdateAgentTemplateInput: Partial<UpdateAgentTemplateInput>;
  UpdateProviderNodeInput: Partial<UpdateProviderNodeInput>;
  Vm: VmView;
  VmDetail: Partial<Omit<VmDetail, 'vm'> & { vm: ResolversParentTypes['Vm'] }>;
  VmNode: Partial<VmNode>;
  VmPage: Partial<Omit<VmPage, 'items'> & { items: Array<ResolversParentTypes['Vm']> }>;
  VmSshKeys: Partial<VmSshKeys>;
  VmTemplate: Partial<VmTemplate>;
  VmTemplateInput: Partial<VmTemplateInput>;
  WorkflowBreakpoint: Partial<WorkflowBreakpoint>;
  WorkflowDefinition: Partial<WorkflowDefinition>;
  WorkflowDefinitionPage: Partial<WorkflowDefinitionPage>;
  WorkflowNodeExecution: Partial<WorkflowNodeExecution>;
  WorkflowRun: Partial<WorkflowRun>;
  WorkflowRunPage: Partial<WorkflowRunPage>;
  WorkflowRunResult: Partial<WorkflowRunResult>;
  WorkflowSchedule: Partial<WorkflowSchedule>;
  WorkflowSession: Partial<WorkflowSession>;
  WorkflowSessionPage: Partial<WorkflowSessionPage>;
  WorkflowTrigger: Partial<WorkflowTrigger>;
  WorkflowTriggerSecret: Partial<WorkflowTriggerSecret>;
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

export type AgentResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Agent'] = ResolversParentTypes['Agent']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  currentTask?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  desiredState?: Resolver<ResolversTypes['AgentDesiredState'], ParentType, ContextType>;
  emoji?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  intervalSec?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  lastHeartbeatAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  queue?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  queuedTasks?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  restartCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  runningTasks?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AgentStatus'], ParentType, ContextType>;
  stoppedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  templateId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  workspacePath?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AgentAssignmentsResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AgentAssignments'] = ResolversParentTypes['AgentAssignments']> = ResolversObject<{
  snapshots?: Resolver<Array<ResolversTypes['AgentSnapshotTask']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  workloads?: Resolver<Array<ResolversTypes['AgentWorkload']>, ParentType, ContextType>;
}>;

export type AgentPageResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AgentPage'] = ResolversParentTypes['AgentPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Agent']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AgentQueueHealthResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AgentQueueHealth'] = ResolversParentTypes['AgentQueueHealth']> = ResolversObject<{
  agentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  completedLast24h?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  desiredState?: Resolver<ResolversTypes['AgentDesiredState'], ParentType, ContextType>;
  failedLast24h?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  oldestWaitSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  queued?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  running?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AgentStatus'], ParentType, ContextType>;
  waitP50Seconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
}>;

export type AgentSnapshotArchiveResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AgentSnapshotArchive'] = ResolversParentTypes['AgentSnapshotArchive']> = ResolversObject<{
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  sha256?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sizeBytes?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  snapshotId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  storageKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AgentSnapshotTaskResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AgentSnapshotTask'] = ResolversParentTypes['AgentSnapshotTask']> = ResolversObject<{
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  vmId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type AgentTaskResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AgentTask'] = ResolversParentTypes['AgentTask']> = ResolversObject<{
  assignedTo?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  job?: Resolver<ResolversTypes['Job'], ParentType, ContextType>;
  maxDurationSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  priority?: Resolver<ResolversTypes['AgentTaskPriority'], ParentType, ContextType>;
  productId?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  resolution?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  result?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AgentTaskStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['AgentTaskType'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type AgentTaskPageResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AgentTaskPage'] = ResolversParentTypes['AgentTaskPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['AgentTask']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AgentTemplateResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AgentTemplate'] = ResolversParentTypes['AgentTemplate']> = ResolversObject<{
  archivedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  capabilities?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  category?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  config?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  icon?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  identity?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  intervalSec?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  isFeatured?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  slug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sortOrder?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tools?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type AgentTemplatePageResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AgentTemplatePage'] = ResolversParentTypes['AgentTemplatePage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['AgentTemplate']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
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
  restoreSnapshotId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  restoreSnapshotSha256?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
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

export type JobResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Job'] = ResolversParentTypes['Job']> = ResolversObject<{
  agentId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costEstimateMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  costMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  gpuCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  gpuModelId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  idempotencyKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  leaseExpiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  maxAttempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  origin?: Resolver<Maybe<ResolversTypes['JobOrigin']>, ParentType, ContextType>;
  payload?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  priority?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  queue?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  result?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  retryBackoff?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  retryDelaySeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  secretNames?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  secrets?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['JobStatus'], ParentType, ContextType>;
  tier?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  timeoutSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  workerId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type JobOriginResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['JobOrigin'] = ResolversParentTypes['JobOrigin']> = ResolversObject<{
  nodeId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  runId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type JobPageResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['JobPage'] = ResolversParentTypes['JobPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Job']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type JobQueueStatsResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['JobQueueStats'] = ResolversParentTypes['JobQueueStats']> = ResolversObject<{
  cancelled?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  oldestQueuedSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  queue?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  queued?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  running?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  succeeded?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  throughputPerMinute?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  waitP50Ms?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  waitP95Ms?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type JobStatsResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['JobStats'] = ResolversParentTypes['JobStats']> = ResolversObject<{
  cancelled?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  queued?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  queues?: Resolver<Array<ResolversTypes['JobQueueStats']>, ParentType, ContextType>;
  running?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  succeeded?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  windowMinutes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type JobSubmissionResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['JobSubmission'] = ResolversParentTypes['JobSubmission']> = ResolversObject<{
  job?: Resolver<ResolversTypes['Job'], ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type LocationResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Location'] = ResolversParentTypes['Location']> = ResolversObject<{
  country?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  _consumeEvents?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Mutation_ConsumeEventsArgs, 'consumer' | 'events'>>;
  acceptTransfer?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationAcceptTransferArgs, 'id'>>;
  addWorkflowBreakpoint?: Resolver<ResolversTypes['WorkflowBreakpoint'], ParentType, ContextType, RequireFields<MutationAddWorkflowBreakpointArgs, 'input'>>;
  agentHeartbeat?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationAgentHeartbeatArgs, 'nodeId' | 'nodeSecret'>>;
  agentRegister?: Resolver<ResolversTypes['NodeRegistration'], ParentType, ContextType, RequireFields<MutationAgentRegisterArgs, 'inventory' | 'token'>>;
  agentReport?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationAgentReportArgs, 'input' | 'nodeId' | 'nodeSecret'>>;
  agentSnapshotReport?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationAgentSnapshotReportArgs, 'input' | 'nodeId' | 'nodeSecret'>>;
  applyForProvider?: Resolver<ResolversTypes['ProviderStatus'], ParentType, ContextType, RequireFields<MutationApplyForProviderArgs, 'note' | 'orgId'>>;
  archiveAgentTask?: Resolver<ResolversTypes['AgentTask'], ParentType, ContextType, RequireFields<MutationArchiveAgentTaskArgs, 'id'>>;
  archiveAgentTemplate?: Resolver<ResolversTypes['AgentTemplate'], ParentType, ContextType, RequireFields<MutationArchiveAgentTemplateArgs, 'id'>>;
  attachVmSshKey?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationAttachVmSshKeyArgs, 'id' | 'sshKeyId'>>;
  cancelJob?: Resolver<ResolversTypes['Job'], ParentType, ContextType, RequireFields<MutationCancelJobArgs, 'id'>>;
  cancelTransfer?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationCancelTransferArgs, 'id'>>;
  cancelWorkflowRun?: Resolver<ResolversTypes['WorkflowRun'], ParentType, ContextType, RequireFields<MutationCancelWorkflowRunArgs, 'id'>>;
  claimJobs?: Resolver<Array<ResolversTypes['Job']>, ParentType, ContextType, RequireFields<MutationClaimJobsArgs, 'input'>>;
  completeJob?: Resolver<ResolversTypes['Job'], ParentType, ContextType, RequireFields<MutationCompleteJobArgs, 'id'>>;
  createAgent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType, RequireFields<MutationCreateAgentArgs, 'input'>>;
  createAgentTask?: Resolver<ResolversTypes['AgentTask'], ParentType, ContextType, RequireFields<MutationCreateAgentTaskArgs, 'input'>>;
  createAgentTemplate?: Resolver<ResolversTypes['AgentTemplate'], ParentType, ContextType, RequireFields<MutationCreateAgentTemplateArgs, 'input'>>;
  createCluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType, RequireFields<MutationCreateClusterArgs, 'input' | 'orgId'>>;
  createProvisioningToken?: Resolver<ResolversTypes['CreatedProvisioningToken'], ParentType, ContextType, RequireFields<MutationCreateProvisioningTokenArgs, 'orgId'>>;
  createRegistryCredential?: Resolver<ResolversTypes['RegistryCredential'], ParentType, ContextType, RequireFields<MutationCreateRegistryCredentialArgs, 'input' | 'orgId'>>;
  createRunnerPool?: Resolver<ResolversTypes['RunnerPool'], ParentType, ContextType, RequireFields<MutationCreateRunnerPoolArgs, 'input' | 'orgId'>>;
  createSshKey?: Resolver<ResolversTypes['SshKey'], ParentType, ContextType, RequireFields<MutationCreateSshKeyArgs, 'name' | 'orgId' | 'publicKey'>>;
  createVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationCreateVmArgs, 'input' | 'orgId'>>;
  createVmSnapshot?: Resolver<ResolversTypes['Snapshot'], ParentType, ContextType, RequireFields<MutationCreateVmSnapshotArgs, 'id' | 'name'>>;
  createWorkflowDefinition?: Resolver<ResolversTypes['WorkflowDefinition'], ParentType, ContextType, RequireFields<MutationCreateWorkflowDefinitionArgs, 'input'>>;
  createWorkflowRun?: Resolver<ResolversTypes['WorkflowRun'], ParentType, ContextType, RequireFields<MutationCreateWorkflowRunArgs, 'input'>>;
  createWorkflowSchedule?: Resolver<ResolversTypes['WorkflowSchedule'], ParentType, ContextType, RequireFields<MutationCreateWorkflowScheduleArgs, 'input'>>;
  deactivateAgent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType, RequireFields<MutationDeactivateAgentArgs, 'id'>>;
  decideProviderApplication?: Resolver<ResolversTypes['ProviderStatus'], ParentType, ContextType, RequireFields<MutationDecideProviderApplicationArgs, 'approve' | 'orgId'>>;
  deleteCredential?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteCredentialArgs, 'key' | 'orgId'>>;
  deleteRegistryCredential?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteRegistryCredentialArgs, 'id' | 'orgId'>>;
  deleteRunnerPool?: Resolver<ResolversTypes['RunnerPool'], ParentType, ContextType, RequireFields<MutationDeleteRunnerPoolArgs, 'id' | 'orgId'>>;
  deleteSnapshot?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteSnapshotArgs, 'id'>>;
  deleteSshKey?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteSshKeyArgs, 'id' | 'orgId'>>;
  deleteWorkflowSchedule?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteWorkflowScheduleArgs, 'id'>>;
  deleteWorkflowSession?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteWorkflowSessionArgs, 'id'>>;
  failJob?: Resolver<ResolversTypes['Job'], ParentType, ContextType, RequireFields<MutationFailJobArgs, 'id'>>;
  fireWorkflowTrigger?: Resolver<ResolversTypes['WorkflowRun'], ParentType, ContextType, RequireFields<MutationFireWorkflowTriggerArgs, 'id'>>;
  forkVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationForkVmArgs, 'input' | 'orgId'>>;
  heartbeatJob?: Resolver<ResolversTypes['Job'], ParentType, ContextType, RequireFields<MutationHeartbeatJobArgs, 'id'>>;
  initiateTransfer?: Resolver<ResolversTypes['Transfer'], ParentType, ContextType, RequireFields<MutationInitiateTransferArgs, 'input' | 'orgId'>>;
  pruneWorkflowSessions?: Resolver<ResolversTypes['PruneSessionsResult'], ParentType, ContextType, RequireFields<MutationPruneWorkflowSessionsArgs, 'input'>>;
  putCredential?: Resolver<ResolversTypes['Credential'], ParentType, ContextType, RequireFields<MutationPutCredentialArgs, 'input' | 'orgId'>>;
  rebootVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationRebootVmArgs, 'id'>>;
  receiveWorkflowWebhook?: Resolver<ResolversTypes['WorkflowRun'], ParentType, ContextType, RequireFields<MutationReceiveWorkflowWebhookArgs, 'messageId' | 'payload' | 'signature' | 'timestamp' | 'trigger'>>;
  recordAiCall?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRecordAiCallArgs, 'input' | 'signature'>>;
  recordSnapshotArchive?: Resolver<ResolversTypes['Snapshot'], ParentType, ContextType, RequireFields<MutationRecordSnapshotArchiveArgs, 'input' | 'signature'>>;
  registerAsset?: Resolver<ResolversTypes['Asset'], ParentType, ContextType, RequireFields<MutationRegisterAssetArgs, 'input' | 'signature'>>;
  rejectTransfer?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRejectTransferArgs, 'id'>>;
  releaseWorkflowRun?: Resolver<ResolversTypes['WorkflowRun'], ParentType, ContextType, RequireFields<MutationReleaseWorkflowRunArgs, 'id'>>;
  removeWorkflowBreakpoint?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRemoveWorkflowBreakpointArgs, 'orgId' | 'stepId'>>;
  resizeRunnerPool?: Resolver<ResolversTypes['RunnerPool'], ParentType, ContextType, RequireFields<MutationResizeRunnerPoolArgs, 'id' | 'orgId'>>;
  resizeVmDisk?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationResizeVmDiskArgs, 'id' | 'newSizeGb'>>;
  restartAgent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType, RequireFields<MutationRestartAgentArgs, 'id'>>;
  restartCluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType, RequireFields<MutationRestartClusterArgs, 'id'>>;
  restartVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationRestartVmArgs, 'id'>>;
  resumeWorkflowRun?: Resolver<ResolversTypes['WorkflowRun'], ParentType, ContextType, RequireFields<MutationResumeWorkflowRunArgs, 'id'>>;
  resumeWorkflowSession?: Resolver<ResolversTypes['WorkflowRun'], ParentType, ContextType, RequireFields<MutationResumeWorkflowSessionArgs, 'id'>>;
  revokeProvisioningToken?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRevokeProvisioningTokenArgs, 'id' | 'orgId'>>;
  rotateWorkflowTriggerSecret?: Resolver<ResolversTypes['WorkflowTriggerSecret'], ParentType, ContextType, RequireFields<MutationRotateWorkflowTriggerSecretArgs, 'id'>>;
  runWorkflowDefinition?: Resolver<ResolversTypes['WorkflowRunResult'], ParentType, ContextType, RequireFields<MutationRunWorkflowDefinitionArgs, 'id'>>;
  runnerClaimJob?: Resolver<Maybe<ResolversTypes['Job']>, ParentType, ContextType, RequireFields<MutationRunnerClaimJobArgs, 'runnerId' | 'runnerToken'>>;
  runnerFinishJob?: Resolver<ResolversTypes['Job'], ParentType, ContextType, RequireFields<MutationRunnerFinishJobArgs, 'input' | 'jobId' | 'runnerId' | 'runnerToken'>>;
  runnerHeartbeatJob?: Resolver<ResolversTypes['Job'], ParentType, ContextType, RequireFields<MutationRunnerHeartbeatJobArgs, 'jobId' | 'runnerId' | 'runnerToken'>>;
  scaleCluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType, RequireFields<MutationScaleClusterArgs, 'id' | 'replicaCount'>>;
  setGpuPrice?: Resolver<ResolversTypes['GpuPrice'], ParentType, ContextType, RequireFields<MutationSetGpuPriceArgs, 'input'>>;
  startAgent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType, RequireFields<MutationStartAgentArgs, 'id'>>;
  startWorkflowDefinition?: Resolver<ResolversTypes['WorkflowRun'], ParentType, ContextType, RequireFields<MutationStartWorkflowDefinitionArgs, 'id'>>;
  startWorkflowRun?: Resolver<ResolversTypes['WorkflowRun'], ParentType, ContextType, RequireFields<MutationStartWorkflowRunArgs, 'id'>>;
  stopAgent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType, RequireFields<MutationStopAgentArgs, 'id'>>;
  stopCluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType, RequireFields<MutationStopClusterArgs, 'id'>>;
  stopVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationStopVmArgs, 'id'>>;
  submitJob?: Resolver<ResolversTypes['JobSubmission'], ParentType, ContextType, RequireFields<MutationSubmitJobArgs, 'input'>>;
  terminateCluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType, RequireFields<MutationTerminateClusterArgs, 'id'>>;
  terminateVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationTerminateVmArgs, 'id'>>;
  updateAgent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType, RequireFields<MutationUpdateAgentArgs, 'id' | 'input'>>;
  updateAgentTask?: Resolver<ResolversTypes['AgentTask'], ParentType, ContextType, RequireFields<MutationUpdateAgentTaskArgs, 'id' | 'input'>>;
  updateAgentTemplate?: Resolver<ResolversTypes['AgentTemplate'], ParentType, ContextType, RequireFields<MutationUpdateAgentTemplateArgs, 'id' | 'input'>>;
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

export type PoolRunnerResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['PoolRunner'] = ResolversParentTypes['PoolRunner']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  nodeId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
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

export type PruneSessionsResultResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['PruneSessionsResult'] = ResolversParentTypes['PruneSessionsResult']> = ResolversObject<{
  pruned?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  agent?: Resolver<Maybe<ResolversTypes['Agent']>, ParentType, ContextType, RequireFields<QueryAgentArgs, 'id'>>;
  agentAssignments?: Resolver<ResolversTypes['AgentAssignments'], ParentType, ContextType, RequireFields<QueryAgentAssignmentsArgs, 'nodeId' | 'nodeSecret'>>;
  agentClusterEndpoints?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType, RequireFields<QueryAgentClusterEndpointsArgs, 'clusterId' | 'nodeId' | 'nodeSecret'>>;
  agentQueueHealth?: Resolver<Array<ResolversTypes['AgentQueueHealth']>, ParentType, ContextType, RequireFields<QueryAgentQueueHealthArgs, 'orgId'>>;
  agentSnapshotDownload?: Resolver<ResolversTypes['AgentSnapshotArchive'], ParentType, ContextType, RequireFields<QueryAgentSnapshotDownloadArgs, 'nodeId' | 'nodeSecret' | 'snapshotId'>>;
  agentSnapshotUpload?: Resolver<ResolversTypes['AgentSnapshotArchive'], ParentType, ContextType, RequireFields<QueryAgentSnapshotUploadArgs, 'nodeId' | 'nodeSecret' | 'snapshotId'>>;
  agentTask?: Resolver<Maybe<ResolversTypes['AgentTask']>, ParentType, ContextType, RequireFields<QueryAgentTaskArgs, 'id'>>;
  agentTasks?: Resolver<ResolversTypes['AgentTaskPage'], ParentType, ContextType, RequireFields<QueryAgentTasksArgs, 'orgId'>>;
  agentTemplate?: Resolver<Maybe<ResolversTypes['AgentTemplate']>, ParentType, ContextType, RequireFields<QueryAgentTemplateArgs, 'id'>>;
  agentTemplates?: Resolver<ResolversTypes['AgentTemplatePage'], ParentType, ContextType, RequireFields<QueryAgentTemplatesArgs, 'orgId'>>;
  agents?: Resolver<ResolversTypes['AgentPage'], ParentType, ContextType, RequireFields<QueryAgentsArgs, 'orgId'>>;
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
  incomingTransfers?: Resolver<Array<ResolversTypes['Transfer']>, ParentType, ContextType, RequireFields<QueryIncomingTransfersArgs, 'orgId'>>;
  job?: Resolver<Maybe<ResolversTypes['Job']>, ParentType, ContextType, RequireFields<QueryJobArgs, 'id'>>;
  jobStats?: Resolver<ResolversTypes['JobStats'], ParentType, ContextType, RequireFields<QueryJobStatsArgs, 'orgId'>>;
  jobs?: Resolver<ResolversTypes['JobPage'], ParentType, ContextType, RequireFields<QueryJobsArgs, 'orgId'>>;
  locations?: Resolver<Array<ResolversTypes['Location']>, ParentType, ContextType>;
  outgoingTransfers?: Resolver<Array<ResolversTypes['Transfer']>, ParentType, ContextType, RequireFields<QueryOutgoingTransfersArgs, 'orgId'>>;
  pausedWorkflowRuns?: Resolver<Array<ResolversTypes['WorkflowRun']>, ParentType, ContextType, RequireFields<QueryPausedWorkflowRunsArgs, 'orgId'>>;
  pricing?: Resolver<ResolversTypes['Pricing'], ParentType, ContextType>;
  providerEarnings?: Resolver<ResolversTypes['ProviderEarnings'], ParentType, ContextType, RequireFields<QueryProviderEarningsArgs, 'orgId'>>;
  providerNodes?: Resolver<Array<ResolversTypes['ProviderNode']>, ParentType, ContextType, RequireFields<QueryProviderNodesArgs, 'orgId'>>;
  providerStats?: Resolver<ResolversTypes['ProviderStats'], ParentType, ContextType, RequireFields<QueryProviderStatsArgs, 'orgId'>>;
  providerStatus?: Resolver<ResolversTypes['ProviderStatus'], ParentType, ContextType, RequireFields<QueryProviderStatusArgs, 'orgId'>>;
  provisioningTokens?: Resolver<Array<ResolversTypes['ProvisioningToken']>, ParentType, ContextType, RequireFields<QueryProvisioningTokensArgs, 'orgId'>>;
  registryCredentials?: Resolver<Array<ResolversTypes['RegistryCredential']>, ParentType, ContextType, RequireFields<QueryRegistryCredentialsArgs, 'orgId'>>;
  runnerPool?: Resolver<Maybe<ResolversTypes['RunnerPool']>, ParentType, ContextType, RequireFields<QueryRunnerPoolArgs, 'id' | 'orgId'>>;
  runnerPoolJobs?: Resolver<ResolversTypes['JobPage'], ParentType, ContextType, RequireFields<QueryRunnerPoolJobsArgs, 'id' | 'orgId'>>;
  runnerPoolMetrics?: Resolver<ResolversTypes['RunnerPoolMetrics'], ParentType, ContextType, RequireFields<QueryRunnerPoolMetricsArgs, 'id' | 'orgId'>>;
  runnerPools?: Resolver<Array<ResolversTypes['RunnerPool']>, ParentType, ContextType, RequireFields<QueryRunnerPoolsArgs, 'orgId'>>;
  snapshots?: Resolver<Array<ResolversTypes['Snapshot']>, ParentType, ContextType, RequireFields<QuerySnapshotsArgs, 'orgId'>>;
  sshKeys?: Resolver<Array<ResolversTypes['SshKey']>, ParentType, ContextType, RequireFields<QuerySshKeysArgs, 'orgId'>>;
  transferPendingCount?: Resolver<ResolversTypes['TransferPendingCount'], ParentType, ContextType, RequireFields<QueryTransferPendingCountArgs, 'orgId'>>;
  transferTargetOrgs?: Resolver<Array<ResolversTypes['TransferTargetOrg']>, ParentType, ContextType>;
  vm?: Resolver<Maybe<ResolversTypes['Vm']>, ParentType, ContextType, RequireFields<QueryVmArgs, 'id'>>;
  vmDetail?: Resolver<Maybe<ResolversTypes['VmDetail']>, ParentType, ContextType, RequireFields<QueryVmDetailArgs, 'id'>>;
  vmSshKeys?: Resolver<ResolversTypes['VmSshKeys'], ParentType, ContextType, RequireFields<QueryVmSshKeysArgs, 'id'>>;
  vmTelegramLink?: Resolver<ResolversTypes['TelegramLink'], ParentType, ContextType, RequireFields<QueryVmTelegramLinkArgs, 'id'>>;
  vmTemplates?: Resolver<Array<ResolversTypes['VmTemplate']>, ParentType, ContextType>;
  vms?: Resolver<ResolversTypes['VmPage'], ParentType, ContextType, RequireFields<QueryVmsArgs, 'orgId'>>;
  workflowBreakpoints?: Resolver<Array<ResolversTypes['WorkflowBreakpoint']>, ParentType, ContextType, RequireFields<QueryWorkflowBreakpointsArgs, 'orgId'>>;
  workflowDefinition?: Resolver<Maybe<ResolversTypes['WorkflowDefinition']>, ParentType, ContextType, RequireFields<QueryWorkflowDefinitionArgs, 'id'>>;
  workflowDefinitions?: Resolver<ResolversTypes['WorkflowDefinitionPage'], ParentType, ContextType, RequireFields<QueryWorkflowDefinitionsArgs, 'orgId'>>;
  workflowRun?: Resolver<Maybe<ResolversTypes['WorkflowRun']>, ParentType, ContextType, RequireFields<QueryWorkflowRunArgs, 'id'>>;
  workflowRuns?: Resolver<ResolversTypes['WorkflowRunPage'], ParentType, ContextType, RequireFields<QueryWorkflowRunsArgs, 'orgId'>>;
  workflowSchedules?: Resolver<Array<ResolversTypes['WorkflowSchedule']>, ParentType, ContextType, RequireFields<QueryWorkflowSchedulesArgs, 'orgId'>>;
  workflowSession?: Resolver<Maybe<ResolversTypes['WorkflowSession']>, ParentType, ContextType, RequireFields<QueryWorkflowSessionArgs, 'id'>>;
  workflowSessions?: Resolver<ResolversTypes['WorkflowSessionPage'], ParentType, ContextType, RequireFields<QueryWorkflowSessionsArgs, 'orgId'>>;
  workflowTriggers?: Resolver<Array<ResolversTypes['WorkflowTrigger']>, ParentType, ContextType, RequireFields<QueryWorkflowTriggersArgs, 'orgId'>>;
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

export type RunnerPoolResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['RunnerPool'] = ResolversParentTypes['RunnerPool']> = ResolversObject<{
  activeJobs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  diskSizeGb?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  poolRamGb?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pricePerMinuteMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  queue?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  queuedJobs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  runners?: Resolver<Array<ResolversTypes['PoolRunner']>, ParentType, ContextType>;
  size?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type RunnerPoolMetricsResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['RunnerPoolMetrics'] = ResolversParentTypes['RunnerPoolMetrics']> = ResolversObject<{
  cancelled?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  days?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  durationP50Seconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  durationP95Seconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  poolId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  pricePerMinuteMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  referenceCostMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  referencePerMinuteMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  runnerMinutes?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  runners?: Resolver<Array<ResolversTypes['PoolRunner']>, ParentType, ContextType>;
  savingsMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  succeeded?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  successRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  totalJobs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export interface SafeIntScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['SafeInt'], any> {
  name: 'SafeInt';
}

export type SnapshotResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Snapshot'] = ResolversParentTypes['Snapshot']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  diskSizeGb?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nodeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  sha256?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sizeBytes?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  vmId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

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

export type TransferResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Transfer'] = ResolversParentTypes['Transfer']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  decidedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  initiatedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  note?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  resourceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  resourceName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  resourceType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sourceOrgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  sourceOrgName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sourceOrgSlug?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  targetOrgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  targetOrgName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  targetOrgSlug?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type TransferPendingCountResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['TransferPendingCount'] = ResolversParentTypes['TransferPendingCount']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type TransferTargetOrgResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['TransferTargetOrg'] = ResolversParentTypes['TransferTargetOrg']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  slug?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
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
  sourceSnapshotId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
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

export type WorkflowBreakpointResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['WorkflowBreakpoint'] = ResolversParentTypes['WorkflowBreakpoint']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  definitionId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  stepId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type WorkflowDefinitionResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['WorkflowDefinition'] = ResolversParentTypes['WorkflowDefinition']> = ResolversObject<{
  approvalGates?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nodes?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  triggers?: Resolver<Array<ResolversTypes['WorkflowTrigger']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type WorkflowDefinitionPageResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['WorkflowDefinitionPage'] = ResolversParentTypes['WorkflowDefinitionPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['WorkflowDefinition']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type WorkflowNodeExecutionResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['WorkflowNodeExecution'] = ResolversParentTypes['WorkflowNodeExecution']> = ResolversObject<{
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  jobId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  nodeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  output?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  waitUntil?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type WorkflowRunResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['WorkflowRun'] = ResolversParentTypes['WorkflowRun']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  definitionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  definitionVersion?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  input?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['WorkflowNodeExecution']>, ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  output?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  parentRunId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  pausedAtNode?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  sessionId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  spendMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WorkflowRunStatus'], ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  triggerId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type WorkflowRunPageResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['WorkflowRunPage'] = ResolversParentTypes['WorkflowRunPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['WorkflowRun']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type WorkflowRunResultResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['WorkflowRunResult'] = ResolversParentTypes['WorkflowRunResult']> = ResolversObject<{
  finished?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  run?: Resolver<ResolversTypes['WorkflowRun'], ParentType, ContextType>;
}>;

export type WorkflowScheduleResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['WorkflowSchedule'] = ResolversParentTypes['WorkflowSchedule']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  cron?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  definitionId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  everySeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  fireCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  input?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  job?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lastFiredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  missed?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  nextFireAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  target?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  timezone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type WorkflowSessionResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['WorkflowSession'] = ResolversParentTypes['WorkflowSession']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  definitionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastRunId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  orgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  runCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type WorkflowSessionPageResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['WorkflowSessionPage'] = ResolversParentTypes['WorkflowSessionPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['WorkflowSession']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type WorkflowTriggerResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['WorkflowTrigger'] = ResolversParentTypes['WorkflowTrigger']> = ResolversObject<{
  definitionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type WorkflowTriggerSecretResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['WorkflowTriggerSecret'] = ResolversParentTypes['WorkflowTriggerSecret']> = ResolversObject<{
  rotatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  triggerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = ComputeContext> = ResolversObject<{
  Agent?: AgentResolvers<ContextType>;
  AgentAssignments?: AgentAssignmentsResolvers<ContextType>;
  AgentPage?: AgentPageResolvers<ContextType>;
  AgentQueueHealth?: AgentQueueHealthResolvers<ContextType>;
  AgentSnapshotArchive?: AgentSnapshotArchiveResolvers<ContextType>;
  AgentSnapshotTask?: AgentSnapshotTaskResolvers<ContextType>;
  AgentTask?: AgentTaskResolvers<ContextType>;
  AgentTaskPage?: AgentTaskPageResolvers<ContextType>;
  AgentTemplate?: AgentTemplateResolvers<ContextType>;
  AgentTemplatePage?: AgentTemplatePageResolvers<ContextType>;
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
  Job?: JobResolvers<ContextType>;
  JobOrigin?: JobOriginResolvers<ContextType>;
  JobPage?: JobPageResolvers<ContextType>;
  JobQueueStats?: JobQueueStatsResolvers<ContextType>;
  JobStats?: JobStatsResolvers<ContextType>;
  JobSubmission?: JobSubmissionResolvers<ContextType>;
  Location?: LocationResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  NodeRegistration?: NodeRegistrationResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  PoolRunner?: PoolRunnerResolvers<ContextType>;
  Pricing?: PricingResolvers<ContextType>;
  ProviderEarnings?: ProviderEarningsResolvers<ContextType>;
  ProviderNode?: ProviderNodeResolvers<ContextType>;
  ProviderStats?: ProviderStatsResolvers<ContextType>;
  ProviderStatus?: ProviderStatusResolvers<ContextType>;
  ProvisioningToken?: ProvisioningTokenResolvers<ContextType>;
  PruneSessionsResult?: PruneSessionsResultResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RegionAvailability?: RegionAvailabilityResolvers<ContextType>;
  RegistryCredential?: RegistryCredentialResolvers<ContextType>;
  Replica?: ReplicaResolvers<ContextType>;
  RevealedCredential?: RevealedCredentialResolvers<ContextType>;
  RunnerPool?: RunnerPoolResolvers<ContextType>;
  RunnerPoolMetrics?: RunnerPoolMetricsResolvers<ContextType>;
  SafeInt?: GraphQLScalarType;
  Snapshot?: SnapshotResolvers<ContextType>;
  SshKey?: SshKeyResolvers<ContextType>;
  TelegramLink?: TelegramLinkResolvers<ContextType>;
  Transfer?: TransferResolvers<ContextType>;
  TransferPendingCount?: TransferPendingCountResolvers<ContextType>;
  TransferTargetOrg?: TransferTargetOrgResolvers<ContextType>;
  Vm?: VmResolvers<ContextType>;
  VmDetail?: VmDetailResolvers<ContextType>;
  VmNode?: VmNodeResolvers<ContextType>;
  VmPage?: VmPageResolvers<ContextType>;
  VmSshKeys?: VmSshKeysResolvers<ContextType>;
  VmTemplate?: VmTemplateResolvers<ContextType>;
  WorkflowBreakpoint?: WorkflowBreakpointResolvers<ContextType>;
  WorkflowDefinition?: WorkflowDefinitionResolvers<ContextType>;
  WorkflowDefinitionPage?: WorkflowDefinitionPageResolvers<ContextType>;
  WorkflowNodeExecution?: WorkflowNodeExecutionResolvers<ContextType>;
  WorkflowRun?: WorkflowRunResolvers<ContextType>;
  WorkflowRunPage?: WorkflowRunPageResolvers<ContextType>;
  WorkflowRunResult?: WorkflowRunResultResolvers<ContextType>;
  WorkflowSchedule?: WorkflowScheduleResolvers<ContextType>;
  WorkflowSession?: WorkflowSessionResolvers<ContextType>;
  WorkflowSessionPage?: WorkflowSessionPageResolvers<ContextType>;
  WorkflowTrigger?: WorkflowTriggerResolvers<ContextType>;
  WorkflowTriggerSecret?: WorkflowTriggerSecretResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = ComputeContext> = ResolversObject<{
  authz?: AuthzDirectiveResolver<any, any, ContextType>;
  public?: PublicDirectiveResolver<any, any, ContextType>;
}>;
