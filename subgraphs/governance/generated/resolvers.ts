import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { GovernanceContext } from '../index.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
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

/** One agent's efficiency over a window of whole UTC days. */
export type AgentEfficiency = {
  __typename?: 'AgentEfficiency';
  agentId: Scalars['ID']['output'];
  costMicros: Scalars['SafeInt']['output'];
  /** Cost per completed task, rounded; null when no task completed. */
  costPerTaskMicros?: Maybe<Scalars['SafeInt']['output']>;
  deactivated: Scalars['Boolean']['output'];
  inputTokens: Scalars['SafeInt']['output'];
  name: Scalars['String']['output'];
  outputTokens: Scalars['SafeInt']['output'];
  tasksCancelled: Scalars['Int']['output'];
  tasksCompleted: Scalars['Int']['output'];
  /** Tasks dead-lettered (failed after their last attempt). */
  tasksFailed: Scalars['Int']['output'];
  /** Completed tasks per 1,000 tokens (input + output); null when the window has no tokens. */
  tasksPer1kTokens?: Maybe<Scalars['Float']['output']>;
  totalTokens: Scalars['SafeInt']['output'];
  /** Tracked usage events on the workflow. */
  trackedEvents: Scalars['Int']['output'];
  /** The governance workflow the agent spends against; its tracked tokens and cost are the agent's. */
  workflowId?: Maybe<Scalars['ID']['output']>;
};

export type AlertChannel = {
  __typename?: 'AlertChannel';
  createdAt: Scalars['DateTime']['output'];
  enabled: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  kind: AlertChannelKind;
  name?: Maybe<Scalars['String']['output']>;
  organization: Organization;
  /** A webhook channel's signing secret (`whsec_…`, verified like event webhooks): in the creation response only. */
  signingSecret?: Maybe<Scalars['String']['output']>;
  /** An email address, an http(s) URL, or a Slack URL's masked form. */
  target: Scalars['String']['output'];
};

export type AlertChannelKind =
  | 'EMAIL'
  /** A Slack incoming webhook URL (kept sealed; `target` shows a masked form). */
  | 'SLACK'
  | 'WEBHOOK';

export type ApiKeyUsage = {
  __typename?: 'ApiKeyUsage';
  /** Null for calls made with a session (dashboard) rather than an API key. */
  apiKeyId?: Maybe<Scalars['ID']['output']>;
  costMicros: Scalars['SafeInt']['output'];
  deniedExecutions: Scalars['Int']['output'];
  executions: Scalars['Int']['output'];
  inputTokens: Scalars['SafeInt']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  outputTokens: Scalars['SafeInt']['output'];
  trackedEvents: Scalars['Int']['output'];
};

/** A call held by a REQUIRE_APPROVAL policy, or a pipeline run's approval node, until someone decides. */
export type Approval = {
  __typename?: 'Approval';
  amountMicros: Scalars['SafeInt']['output'];
  createdAt: Scalars['DateTime']['output'];
  decidedAt?: Maybe<Scalars['DateTime']['output']>;
  decidedBy?: Maybe<Scalars['String']['output']>;
  execution?: Maybe<Execution>;
  /** The SDK execution held (null for a run's approval gate). */
  executionId?: Maybe<Scalars['ID']['output']>;
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  message?: Maybe<Scalars['String']['output']>;
  model?: Maybe<Scalars['String']['output']>;
  nodeId?: Maybe<Scalars['ID']['output']>;
  note?: Maybe<Scalars['String']['output']>;
  organization: Organization;
  policyId?: Maybe<Scalars['ID']['output']>;
  requestedBy?: Maybe<Scalars['String']['output']>;
  /** The pipeline run waiting at this gate (null for an SDK execution's approval). */
  runId?: Maybe<Scalars['ID']['output']>;
  status: ApprovalStatus;
  workflowId?: Maybe<Scalars['ID']['output']>;
};

export type ApprovalPage = {
  __typename?: 'ApprovalPage';
  items: Array<Approval>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type ApprovalStatus =
  | 'APPROVED'
  | 'DENIED'
  | 'EXPIRED'
  | 'PENDING';

/** Raised once per budget period when spend crosses a threshold (percent of budget). */
export type BudgetAlert = {
  __typename?: 'BudgetAlert';
  budgetMicros: Scalars['SafeInt']['output'];
  createdAt: Scalars['DateTime']['output'];
  dismissedAt?: Maybe<Scalars['DateTime']['output']>;
  dismissedBy?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  kind: BudgetAlertKind;
  message: Scalars['String']['output'];
  organization: Organization;
  spentMicros: Scalars['SafeInt']['output'];
  thresholdPercent: Scalars['Int']['output'];
  workflow?: Maybe<Workflow>;
  workflowId?: Maybe<Scalars['ID']['output']>;
};

export type BudgetAlertKind =
  | 'ORG_DAILY_BUDGET'
  | 'WORKFLOW_BUDGET';

export type BudgetAlertPage = {
  __typename?: 'BudgetAlertPage';
  items: Array<BudgetAlert>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

/** How a workflow's budget renews: never, at 00:00 UTC every day, or on the 1st of each month (UTC). */
export type BudgetPeriod =
  | 'DAILY'
  | 'MONTHLY'
  | 'NONE';

export type BudgetSummary = {
  __typename?: 'BudgetSummary';
  /** The daily organization budget (template tpl_daily_org_budget); null when not enabled. */
  dailyBudgetMicros?: Maybe<Scalars['SafeInt']['output']>;
  dailyRemainingMicros?: Maybe<Scalars['SafeInt']['output']>;
  dailyReservedMicros?: Maybe<Scalars['SafeInt']['output']>;
  dailySpentMicros?: Maybe<Scalars['SafeInt']['output']>;
  /** Spend of every workflow (budgeted or not) in its current period. */
  totalSpentMicros: Scalars['SafeInt']['output'];
  /** Sum over workflows with a budget. */
  workflowBudgetMicros: Scalars['SafeInt']['output'];
  /** Remaining across budgeted workflows. */
  workflowRemainingMicros: Scalars['SafeInt']['output'];
  workflowReservedMicros: Scalars['SafeInt']['output'];
  workflowSpentMicros: Scalars['SafeInt']['output'];
};

export type CheckInput = {
  estimatedCostMicros?: InputMaybe<Scalars['SafeInt']['input']>;
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  model?: InputMaybe<Scalars['String']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
  provider?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

/** Legacy pre-flight: advisory only, never blocks and reserves nothing. */
export type CheckResult = {
  __typename?: 'CheckResult';
  advisory: Scalars['Boolean']['output'];
  allowed: Scalars['Boolean']['output'];
  decision: ExecutionDecision;
  message?: Maybe<Scalars['String']['output']>;
  reason?: Maybe<Scalars['String']['output']>;
  remainingMicros?: Maybe<Scalars['SafeInt']['output']>;
};

export type CreateAlertChannelInput = {
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  kind: AlertChannelKind;
  name?: InputMaybe<Scalars['String']['input']>;
  target: Scalars['String']['input'];
};

export type CreatePolicyInput = {
  action: PolicyAction;
  description?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  match?: InputMaybe<PolicyMatchInput>;
  maxCostMicros?: InputMaybe<Scalars['SafeInt']['input']>;
  name: Scalars['String']['input'];
  /** Lower runs first; defaults to after the last policy. */
  priority?: InputMaybe<Scalars['Int']['input']>;
  rateLimit?: InputMaybe<PolicyRateLimitInput>;
};

export type CreateWorkflowInput = {
  /** Budget in micro-dollars; omit for unlimited. */
  budgetMicros?: InputMaybe<Scalars['SafeInt']['input']>;
  budgetPeriod?: InputMaybe<BudgetPeriod>;
  name: Scalars['String']['input'];
};

export type DailySpend = {
  __typename?: 'DailySpend';
  costMicros: Scalars['SafeInt']['output'];
  day: Scalars['String']['output'];
  events: Scalars['Int']['output'];
};

export type DeletedPolicy = {
  __typename?: 'DeletedPolicy';
  deleted: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
};

export type ExecuteInput = {
  /** Reserved against the budget until the call is tracked or the reservation expires. */
  estimatedCostMicros: Scalars['SafeInt']['input'];
  estimatedTokens?: InputMaybe<Scalars['Int']['input']>;
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  model?: InputMaybe<Scalars['String']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
  provider?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Reservation lifetime; defaults to TRELLIS_GOVERNANCE_RESERVATION_TTL_SECONDS. */
  ttlSeconds?: InputMaybe<Scalars['Int']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

export type ExecuteResult = {
  __typename?: 'ExecuteResult';
  allowed: Scalars['Boolean']['output'];
  /** Set when the decision is REQUIRE_APPROVAL. */
  approvalId?: Maybe<Scalars['ID']['output']>;
  decision: ExecutionDecision;
  executionId: Scalars['ID']['output'];
  /** When an unsettled reservation returns to the budget. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  message?: Maybe<Scalars['String']['output']>;
  policyId?: Maybe<Scalars['ID']['output']>;
  reason?: Maybe<Scalars['String']['output']>;
  remainingMicros?: Maybe<Scalars['SafeInt']['output']>;
  reservedMicros: Scalars['SafeInt']['output'];
  /** Seconds to wait before retrying (rate limits). */
  retryAfterSeconds?: Maybe<Scalars['Int']['output']>;
  status: ExecutionStatus;
  workflowId?: Maybe<Scalars['ID']['output']>;
};

export type Execution = {
  __typename?: 'Execution';
  actualCostMicros?: Maybe<Scalars['SafeInt']['output']>;
  apiKeyId?: Maybe<Scalars['ID']['output']>;
  approvalId?: Maybe<Scalars['ID']['output']>;
  createdAt: Scalars['DateTime']['output'];
  decision: ExecutionDecision;
  estimatedCostMicros: Scalars['SafeInt']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  inputTokens?: Maybe<Scalars['SafeInt']['output']>;
  latencyMs?: Maybe<Scalars['Int']['output']>;
  metadata?: Maybe<Scalars['JSON']['output']>;
  model?: Maybe<Scalars['String']['output']>;
  organization: Organization;
  outputTokens?: Maybe<Scalars['SafeInt']['output']>;
  policyId?: Maybe<Scalars['ID']['output']>;
  principalId?: Maybe<Scalars['String']['output']>;
  provider?: Maybe<Scalars['String']['output']>;
  reason?: Maybe<Scalars['String']['output']>;
  reservedMicros: Scalars['SafeInt']['output'];
  settledAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the call a held execution admitted started (startHeldExecution). */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: ExecutionStatus;
  tags: Array<Scalars['String']['output']>;
  workflow?: Maybe<Workflow>;
  workflowId?: Maybe<Scalars['ID']['output']>;
};

export type ExecutionDecision =
  | 'ALLOW'
  | 'DENY'
  | 'REQUIRE_APPROVAL';

export type ExecutionPage = {
  __typename?: 'ExecutionPage';
  items: Array<Execution>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type ExecutionStatus =
  | 'DENIED'
  /** Never tracked before its reservation expired; the reservation was returned to the budget. */
  | 'EXPIRED'
  | 'PENDING_APPROVAL'
  /** Allowed; the estimate is held against the budget. */
  | 'RESERVED'
  /** Tracked: actual cost recorded, reservation released. */
  | 'SETTLED';

/**
 * Gate, execute and check take the call's context. The workflow comes from workflowId or from the
 * API key's workflow binding (X-Workflow-Id); the organization from the API key, orgId, or the workflow.
 */
export type GateInput = {
  /** Expected cost of the call; 0 when unknown. */
  estimatedCostMicros?: InputMaybe<Scalars['SafeInt']['input']>;
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  model?: InputMaybe<Scalars['String']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
  provider?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

export type GateResult = {
  __typename?: 'GateResult';
  allowed: Scalars['Boolean']['output'];
  budgetMicros?: Maybe<Scalars['SafeInt']['output']>;
  decision: ExecutionDecision;
  message?: Maybe<Scalars['String']['output']>;
  policyId?: Maybe<Scalars['ID']['output']>;
  /** Machine-readable: workflow_paused, workflow_killed, budget_exceeded, org_budget_exceeded, policy_denied, cost_cap_exceeded, approval_required. */
  reason?: Maybe<Scalars['String']['output']>;
  /** Remaining budget (workflow, or the organization's daily budget when lower); null when unlimited. */
  remainingMicros?: Maybe<Scalars['SafeInt']['output']>;
  spentMicros?: Maybe<Scalars['SafeInt']['output']>;
  workflowId?: Maybe<Scalars['ID']['output']>;
  workflowStatus?: Maybe<WorkflowStatus>;
};

export type GovernanceDashboard = {
  __typename?: 'GovernanceDashboard';
  activeAlerts: Array<BudgetAlert>;
  pendingApprovals: Array<Approval>;
  recentExecutions: Array<Execution>;
  /** The last 30 days (UTC), oldest first. */
  spendByDay: Array<DailySpend>;
  spendByModel: Array<ModelSpend>;
  status: OrgStatus;
  /** Workflows with the most spend in their current period. */
  topWorkflows: Array<Workflow>;
};

export type GovernanceLimits = {
  __typename?: 'GovernanceLimits';
  alertThresholds: Array<Scalars['Int']['output']>;
  apiKeyRequestsPerMinute: Scalars['Int']['output'];
  approvalTtlSeconds: Scalars['Int']['output'];
  maxTrackBatchSize: Scalars['Int']['output'];
  reservationTtlSeconds: Scalars['Int']['output'];
};

/** Organization-wide governance settings. */
export type GovernanceSettings = {
  __typename?: 'GovernanceSettings';
  /** Budget alert thresholds in percent (default 50, 80, 100). */
  alertThresholds: Array<Scalars['Int']['output']>;
  dailyBudgetMicros?: Maybe<Scalars['SafeInt']['output']>;
  organization: Organization;
};

export type ModelSpend = {
  __typename?: 'ModelSpend';
  costMicros: Scalars['SafeInt']['output'];
  events: Scalars['Int']['output'];
  model?: Maybe<Scalars['String']['output']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Internal: handle a batch for one of this subgraph's event consumers; answers { processed, failed }. */
  _consumeEvents?: Maybe<Scalars['JSON']['output']>;
  approveApproval: Approval;
  /** Approves the pending approval gate of a pipeline run: the run continues. */
  approveWorkflowRun: Approval;
  createAlertChannel: AlertChannel;
  createPolicy: Policy;
  createWorkflow: Workflow;
  deleteAlertChannel: Scalars['Boolean']['output'];
  deletePolicy: DeletedPolicy;
  denyApproval: Approval;
  /** Denies the pending approval gate of a pipeline run: the run fails (approval_denied). */
  denyWorkflowRun: Approval;
  disablePolicyTemplate: PolicyTemplate;
  dismissAlert: BudgetAlert;
  enablePolicyTemplate: PolicyTemplate;
  /** Full policy evaluation and a budget reservation for the estimated cost. */
  execute: ExecuteResult;
  /** Binary pre-flight: is a call allowed right now? Reserves nothing. */
  gate: GateResult;
  /** Terminal: a killed workflow denies every call and cannot be resumed. */
  killWorkflow: Workflow;
  /** Legacy advisory pre-flight (no scope needed); new code uses gate. */
  legacyCheck: CheckResult;
  pauseWorkflow: Workflow;
  resumeWorkflow: Workflow;
  /**
   * Starts the call an approved held execution (REQUIRE_APPROVAL, then approved) admitted — once. Only its
   * caller may; a second start (the same execution resumed again) is a 409 conflict.
   */
  startHeldExecution: Execution;
  togglePolicy: Policy;
  /** Records actual cost, tokens and latency; settles the execution's reservation. */
  track: TrackResult;
  /** Up to 100 track events with per-item results; idempotent by event id. */
  trackBatch: TrackBatchResult;
  updateGovernanceSettings: GovernanceSettings;
  updateNotificationSettings: NotificationSettings;
  updatePolicy: Policy;
  updateWorkflow: Workflow;
};


export type Mutation_ConsumeEventsArgs = {
  consumer: Scalars['String']['input'];
  events: Scalars['JSON']['input'];
};


export type MutationApproveApprovalArgs = {
  id: Scalars['ID']['input'];
  note?: InputMaybe<Scalars['String']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationApproveWorkflowRunArgs = {
  note?: InputMaybe<Scalars['String']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
  runId: Scalars['ID']['input'];
};


export type MutationCreateAlertChannelArgs = {
  input: CreateAlertChannelInput;
  orgId: Scalars['ID']['input'];
};


export type MutationCreatePolicyArgs = {
  input: CreatePolicyInput;
  orgId: Scalars['ID']['input'];
};


export type MutationCreateWorkflowArgs = {
  input: CreateWorkflowInput;
  orgId: Scalars['ID']['input'];
};


export type MutationDeleteAlertChannelArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationDeletePolicyArgs = {
  id: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationDenyApprovalArgs = {
  id: Scalars['ID']['input'];
  note?: InputMaybe<Scalars['String']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationDenyWorkflowRunArgs = {
  note?: InputMaybe<Scalars['String']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
  runId: Scalars['ID']['input'];
};


export type MutationDisablePolicyTemplateArgs = {
  orgId: Scalars['ID']['input'];
  templateId: Scalars['ID']['input'];
};


export type MutationDismissAlertArgs = {
  alertId: Scalars['ID']['input'];
  orgId: Scalars['ID']['input'];
};


export type MutationEnablePolicyTemplateArgs = {
  orgId: Scalars['ID']['input'];
  parameters?: InputMaybe<Scalars['JSON']['input']>;
  templateId: Scalars['ID']['input'];
};


export type MutationExecuteArgs = {
  input: ExecuteInput;
};


export type MutationGateArgs = {
  input: GateInput;
};


export type MutationKillWorkflowArgs = {
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationLegacyCheckArgs = {
  input: CheckInput;
};


export type MutationPauseWorkflowArgs = {
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationResumeWorkflowArgs = {
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationStartHeldExecutionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationTogglePolicyArgs = {
  input: TogglePolicyInput;
};


export type MutationTrackArgs = {
  input: TrackInput;
};


export type MutationTrackBatchArgs = {
  input: TrackBatchInput;
};


export type MutationUpdateGovernanceSettingsArgs = {
  input: UpdateGovernanceSettingsInput;
  orgId: Scalars['ID']['input'];
};


export type MutationUpdateNotificationSettingsArgs = {
  input: UpdateNotificationSettingsInput;
  orgId: Scalars['ID']['input'];
};


export type MutationUpdatePolicyArgs = {
  id: Scalars['ID']['input'];
  input: UpdatePolicyInput;
  orgId: Scalars['ID']['input'];
};


export type MutationUpdateWorkflowArgs = {
  id: Scalars['ID']['input'];
  input: UpdateWorkflowInput;
  orgId?: InputMaybe<Scalars['ID']['input']>;
};

export type NotificationDigest =
  | 'DAILY'
  | 'NONE'
  | 'WEEKLY';

/** The calling user's notification preferences in one organization. */
export type NotificationSettings = {
  __typename?: 'NotificationSettings';
  /** Budget thresholds (percent) this user wants to hear about; null means the organization's. */
  alertThresholds?: Maybe<Array<Scalars['Int']['output']>>;
  digest: NotificationDigest;
  emailEnabled: Scalars['Boolean']['output'];
  /** Event types to notify about; empty means the defaults (alerts and approvals). */
  events: Array<Scalars['String']['output']>;
  inAppEnabled: Scalars['Boolean']['output'];
  organization: Organization;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  userId: Scalars['ID']['output'];
};

export type OrgStatus = {
  __typename?: 'OrgStatus';
  activeAlerts: Scalars['Int']['output'];
  budget: BudgetSummary;
  generatedAt: Scalars['DateTime']['output'];
  limits: GovernanceLimits;
  organization: Organization;
  pendingApprovals: Scalars['Int']['output'];
  rate: RateSummary;
  /** Seconds until the tightest budget runs out at the recent burn rate; null when unlimited or idle. */
  timeToExhaustionSeconds?: Maybe<Scalars['Int']['output']>;
  workflows: WorkflowCounts;
};

export type Organization = {
  __typename?: 'Organization';
  id: Scalars['ID']['output'];
  /** The organization's workflows, newest first (at most 100; use Query.workflows to page). */
  workflows: Array<Workflow>;
};

export type Policy = {
  __typename?: 'Policy';
  action: PolicyAction;
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  enabled: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  match: PolicyMatch;
  /** CAP_COST: the largest estimated cost allowed per call. */
  maxCostMicros?: Maybe<Scalars['SafeInt']['output']>;
  name: Scalars['String']['output'];
  organization: Organization;
  /** Lower runs first. */
  priority: Scalars['Int']['output'];
  /** RATE_LIMIT: the limit. */
  rateLimit?: Maybe<PolicyRateLimit>;
  /** Set when the policy was created by enabling a template. */
  templateId?: Maybe<Scalars['ID']['output']>;
  updatedAt: Scalars['DateTime']['output'];
};

/** What a matching policy does. Policies are evaluated in priority order; the first match decides. */
export type PolicyAction =
  | 'ALLOW'
  /** Deny calls whose estimated cost is above maxCostMicros; allow the others. */
  | 'CAP_COST'
  | 'DENY'
  /** Allow up to rateLimit.limit calls or tokens per window, then deny with reason rate_limited. */
  | 'RATE_LIMIT'
  | 'REQUIRE_APPROVAL';

/** Every non-empty condition must hold for a policy to match (empty lists match anything). */
export type PolicyMatch = {
  __typename?: 'PolicyMatch';
  apiKeyIds: Array<Scalars['ID']['output']>;
  /** Matches calls whose model is NOT one of these (a model allowlist denies everything else). */
  excludeModels: Array<Scalars['String']['output']>;
  /** The call's metadata must contain these key/value pairs. */
  metadata?: Maybe<Scalars['JSON']['output']>;
  /** Matches calls whose estimated cost is at least this amount. */
  minEstimatedCostMicros?: Maybe<Scalars['SafeInt']['output']>;
  /** Model names; a trailing * matches a prefix (`gpt-4*`). */
  models: Array<Scalars['String']['output']>;
  providers: Array<Scalars['String']['output']>;
  /** The call must carry all of these tags. */
  tags: Array<Scalars['String']['output']>;
  workflowIds: Array<Scalars['ID']['output']>;
};

export type PolicyMatchInput = {
  apiKeyIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  excludeModels?: InputMaybe<Array<Scalars['String']['input']>>;
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  minEstimatedCostMicros?: InputMaybe<Scalars['SafeInt']['input']>;
  models?: InputMaybe<Array<Scalars['String']['input']>>;
  providers?: InputMaybe<Array<Scalars['String']['input']>>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  workflowIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type PolicyPage = {
  __typename?: 'PolicyPage';
  items: Array<Policy>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type PolicyRateLimit = {
  __typename?: 'PolicyRateLimit';
  limit: Scalars['Int']['output'];
  per: RateLimitScope;
  unit: RateLimitUnit;
  windowSeconds: Scalars['Int']['output'];
};

export type PolicyRateLimitInput = {
  limit: Scalars['Int']['input'];
  per?: InputMaybe<RateLimitScope>;
  unit?: InputMaybe<RateLimitUnit>;
  windowSeconds: Scalars['Int']['input'];
};

/** A built-in policy recipe an organization can switch on with its own parameters. */
export type PolicyTemplate = {
  __typename?: 'PolicyTemplate';
  /** The parameters the template takes, with their defaults. */
  defaultParameters: Scalars['JSON']['output'];
  description: Scalars['String']['output'];
  enabled: Scalars['Boolean']['output'];
  enabledAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** The parameters in force when enabled. */
  parameters?: Maybe<Scalars['JSON']['output']>;
  /** The policy the template created (none for the daily organization budget). */
  policyId?: Maybe<Scalars['ID']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /**
   * Per-agent efficiency over the last `days` UTC days, today included (default 30, 1–365), sorted by tasks per
   * 1k tokens (agents without tokens last), at most 500 agents.
   */
  agentEfficiency: Array<AgentEfficiency>;
  alertChannels: Array<AlertChannel>;
  alerts: BudgetAlertPage;
  approval?: Maybe<Approval>;
  approvals: ApprovalPage;
  execution?: Maybe<Execution>;
  executions: ExecutionPage;
  governanceDashboard: GovernanceDashboard;
  governanceSettings: GovernanceSettings;
  notificationSettings: NotificationSettings;
  orgStatus: OrgStatus;
  policies: PolicyPage;
  policyTemplates: Array<PolicyTemplate>;
  usageQuota: UsageQuota;
  workflow?: Maybe<Workflow>;
  workflows: WorkflowPage;
};


export type QueryAgentEfficiencyArgs = {
  days?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryAlertChannelsArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryAlertsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  includeDismissed?: InputMaybe<Scalars['Boolean']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryApprovalArgs = {
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryApprovalsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  status?: InputMaybe<ApprovalStatus>;
};


export type QueryExecutionArgs = {
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryExecutionsArgs = {
  apiKeyId?: InputMaybe<Scalars['ID']['input']>;
  cursor?: InputMaybe<Scalars['String']['input']>;
  decision?: InputMaybe<ExecutionDecision>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  model?: InputMaybe<Scalars['String']['input']>;
  orgId: Scalars['ID']['input'];
  provider?: InputMaybe<Scalars['String']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  status?: InputMaybe<ExecutionStatus>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryGovernanceDashboardArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryGovernanceSettingsArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryNotificationSettingsArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryOrgStatusArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryPoliciesArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryPolicyTemplatesArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryUsageQuotaArgs = {
  orgId: Scalars['ID']['input'];
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryWorkflowArgs = {
  id: Scalars['ID']['input'];
  orgId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryWorkflowsArgs = {
  cursor?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
  status?: InputMaybe<WorkflowStatus>;
};

/** What one rate-limit counter covers. */
export type RateLimitScope =
  | 'API_KEY'
  | 'ORGANIZATION'
  | 'WORKFLOW';

export type RateLimitUnit =
  | 'CALLS'
  | 'TOKENS';

export type RateSummary = {
  __typename?: 'RateSummary';
  burnRateMicrosPerHour: Scalars['SafeInt']['output'];
  callsInWindow: Scalars['Int']['output'];
  callsPerMinute: Scalars['Float']['output'];
  spendInWindowMicros: Scalars['SafeInt']['output'];
  trackedEventsInWindow: Scalars['Int']['output'];
  windowMinutes: Scalars['Int']['output'];
};

/** Membership roles, weakest first. */
export type Role =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER'
  | 'VIEWER';

export type TogglePolicyInput = {
  /** The new state; omitted flips the current one. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  policyId: Scalars['ID']['input'];
};

export type TrackBatchError = {
  __typename?: 'TrackBatchError';
  code: Scalars['String']['output'];
  field?: Maybe<Scalars['String']['output']>;
  message: Scalars['String']['output'];
};

export type TrackBatchInput = {
  /** At most 100 events. */
  events: Array<TrackInput>;
};

export type TrackBatchItem = {
  __typename?: 'TrackBatchItem';
  error?: Maybe<TrackBatchError>;
  eventId?: Maybe<Scalars['String']['output']>;
  index: Scalars['Int']['output'];
  ok: Scalars['Boolean']['output'];
  result?: Maybe<TrackResult>;
};

export type TrackBatchResult = {
  __typename?: 'TrackBatchResult';
  duplicates: Scalars['Int']['output'];
  failed: Scalars['Int']['output'];
  recorded: Scalars['Int']['output'];
  results: Array<TrackBatchItem>;
};

export type TrackInput = {
  costMicros: Scalars['SafeInt']['input'];
  /**
   * Idempotency key: a retried event with the same id is counted once. Without one, a track of an
   * execution settles it once (a retry, or any later track without an id, is a duplicate); more spend on
   * one execution needs distinct ids. Generated when omitted.
   */
  eventId?: InputMaybe<Scalars['String']['input']>;
  /** The execution this spend settles; optional (spend without an execution is still recorded). */
  executionId?: InputMaybe<Scalars['ID']['input']>;
  inputTokens?: InputMaybe<Scalars['SafeInt']['input']>;
  latencyMs?: InputMaybe<Scalars['Int']['input']>;
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  model?: InputMaybe<Scalars['String']['input']>;
  occurredAt?: InputMaybe<Scalars['DateTime']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
  outputTokens?: InputMaybe<Scalars['SafeInt']['input']>;
  provider?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

export type TrackResult = {
  __typename?: 'TrackResult';
  duplicate: Scalars['Boolean']['output'];
  eventId: Scalars['String']['output'];
  executionId?: Maybe<Scalars['ID']['output']>;
  /** False when this event id had already been recorded (a retry). */
  recorded: Scalars['Boolean']['output'];
  remainingMicros?: Maybe<Scalars['SafeInt']['output']>;
  /** True when this event settled an open reservation. */
  settled: Scalars['Boolean']['output'];
  spentMicros?: Maybe<Scalars['SafeInt']['output']>;
  workflowId?: Maybe<Scalars['ID']['output']>;
};

export type UpdateGovernanceSettingsInput = {
  alertThresholds?: InputMaybe<Array<Scalars['Int']['input']>>;
};

export type UpdateNotificationSettingsInput = {
  alertThresholds?: InputMaybe<Array<Scalars['Int']['input']>>;
  digest?: InputMaybe<NotificationDigest>;
  emailEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  events?: InputMaybe<Array<Scalars['String']['input']>>;
  inAppEnabled?: InputMaybe<Scalars['Boolean']['input']>;
};

export type UpdatePolicyInput = {
  action?: InputMaybe<PolicyAction>;
  description?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  match?: InputMaybe<PolicyMatchInput>;
  maxCostMicros?: InputMaybe<Scalars['SafeInt']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  priority?: InputMaybe<Scalars['Int']['input']>;
  rateLimit?: InputMaybe<PolicyRateLimitInput>;
};

/** Fields left out stay unchanged; budgetMicros: null makes the budget unlimited. */
export type UpdateWorkflowInput = {
  budgetMicros?: InputMaybe<Scalars['SafeInt']['input']>;
  budgetPeriod?: InputMaybe<BudgetPeriod>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type UsageQuota = {
  __typename?: 'UsageQuota';
  apiKeyRequestsPerMinute: Scalars['Int']['output'];
  keys: Array<ApiKeyUsage>;
  organization: Organization;
  since: Scalars['DateTime']['output'];
  totalCostMicros: Scalars['SafeInt']['output'];
  totalExecutions: Scalars['Int']['output'];
  until: Scalars['DateTime']['output'];
};

/** A budgeted unit of agent work. Money is integer micro-dollars (1 USD = 1,000,000). */
export type Workflow = {
  __typename?: 'Workflow';
  /** Budget per period in micro-dollars; null means unlimited. */
  budgetMicros?: Maybe<Scalars['SafeInt']['output']>;
  budgetPeriod: BudgetPeriod;
  /** Spend rate over the recent window (TRELLIS_GOVERNANCE_BURN_WINDOW_MINUTES), micro-dollars per hour. */
  burnRateMicrosPerHour: Scalars['SafeInt']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  killedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  organization: Organization;
  pausedAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the budget next resets; null for BudgetPeriod.NONE. */
  periodEndsAt?: Maybe<Scalars['DateTime']['output']>;
  periodStartedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Spend of the previous period (periodic budgets). */
  previousPeriodSpentMicros: Scalars['SafeInt']['output'];
  /** budgetMicros − spentMicros − reservedMicros (never below 0); null when unlimited. */
  remainingMicros?: Maybe<Scalars['SafeInt']['output']>;
  /** Held by open reservations (executions not yet tracked or expired). */
  reservedMicros: Scalars['SafeInt']['output'];
  /** Settled spend in the current period. */
  spentMicros: Scalars['SafeInt']['output'];
  status: WorkflowStatus;
  /** Why the workflow was last paused or killed. */
  statusReason?: Maybe<Scalars['String']['output']>;
  /** Seconds until the remaining budget is gone at the recent burn rate; null when unlimited or idle. */
  timeToExhaustionSeconds?: Maybe<Scalars['Int']['output']>;
  updatedAt: Scalars['DateTime']['output'];
};

export type WorkflowCounts = {
  __typename?: 'WorkflowCounts';
  active: Scalars['Int']['output'];
  killed: Scalars['Int']['output'];
  paused: Scalars['Int']['output'];
};

export type WorkflowPage = {
  __typename?: 'WorkflowPage';
  items: Array<Workflow>;
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type WorkflowStatus =
  | 'ACTIVE'
  | 'KILLED'
  | 'PAUSED';

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
  Organization: Organization;
  Workflow: Workflow;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Organization:
    ( { __typename: 'Organization' }
    & GraphQLRecursivePick<FederationTypes['Organization'], {"id":true}> );
  Workflow:
    ( { __typename: 'Workflow' }
    & GraphQLRecursivePick<FederationTypes['Workflow'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AgentEfficiency: ResolverTypeWrapper<Partial<AgentEfficiency>>;
  ID: ResolverTypeWrapper<Partial<Scalars['ID']['output']>>;
  Boolean: ResolverTypeWrapper<Partial<Scalars['Boolean']['output']>>;
  Int: ResolverTypeWrapper<Partial<Scalars['Int']['output']>>;
  Float: ResolverTypeWrapper<Partial<Scalars['Float']['output']>>;
  AlertChannel: ResolverTypeWrapper<Partial<AlertChannel>>;
  AlertChannelKind: ResolverTypeWrapper<Partial<AlertChannelKind>>;
  ApiKeyUsage: ResolverTypeWrapper<Partial<ApiKeyUsage>>;
  Approval: ResolverTypeWrapper<Partial<Approval>>;
  ApprovalPage: ResolverTypeWrapper<Partial<ApprovalPage>>;
  ApprovalStatus: ResolverTypeWrapper<Partial<ApprovalStatus>>;
  BudgetAlert: ResolverTypeWrapper<Partial<BudgetAlert>>;
  BudgetAlertKind: ResolverTypeWrapper<Partial<BudgetAlertKind>>;
  BudgetAlertPage: ResolverTypeWrapper<Partial<BudgetAlertPage>>;
  BudgetPeriod: ResolverTypeWrapper<Partial<BudgetPeriod>>;
  BudgetSummary: ResolverTypeWrapper<Partial<BudgetSummary>>;
  CheckInput: ResolverTypeWrapper<Partial<CheckInput>>;
  CheckResult: ResolverTypeWrapper<Partial<CheckResult>>;
  CreateAlertChannelInput: ResolverTypeWrapper<Partial<CreateAlertChannelInput>>;
  CreatePolicyInput: ResolverTypeWrapper<Partial<CreatePolicyInput>>;
  CreateWorkflowInput: ResolverTypeWrapper<Partial<CreateWorkflowInput>>;
  DailySpend: ResolverTypeWrapper<Partial<DailySpend>>;
  DateTime: ResolverTypeWrapper<Partial<Scalars['DateTime']['output']>>;
  DeletedPolicy: ResolverTypeWrapper<Partial<DeletedPolicy>>;
  ExecuteInput: ResolverTypeWrapper<Partial<ExecuteInput>>;
  ExecuteResult: ResolverTypeWrapper<Partial<ExecuteResult>>;
  Execution: ResolverTypeWrapper<Partial<Execution>>;
  ExecutionDecision: ResolverTypeWrapper<Partial<ExecutionDecision>>;
  ExecutionPage: ResolverTypeWrapper<Partial<ExecutionPage>>;
  ExecutionStatus: ResolverTypeWrapper<Partial<ExecutionStatus>>;
  GateInput: ResolverTypeWrapper<Partial<GateInput>>;
  GateResult: ResolverTypeWrapper<Partial<GateResult>>;
  GovernanceDashboard: ResolverTypeWrapper<Partial<GovernanceDashboard>>;
  GovernanceLimits: ResolverTypeWrapper<Partial<GovernanceLimits>>;
  GovernanceSettings: ResolverTypeWrapper<Partial<GovernanceSettings>>;
  JSON: ResolverTypeWrapper<Partial<Scalars['JSON']['output']>>;
  ModelSpend: ResolverTypeWrapper<Partial<ModelSpend>>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NotificationDigest: ResolverTypeWrapper<Partial<NotificationDigest>>;
  NotificationSettings: ResolverTypeWrapper<Partial<NotificationSettings>>;
  OrgStatus: ResolverTypeWrapper<Partial<OrgStatus>>;
  Organization: ResolverTypeWrapper<Partial<Organization>>;
  Policy: ResolverTypeWrapper<Partial<Policy>>;
  PolicyAction: ResolverTypeWrapper<Partial<PolicyAction>>;
  PolicyMatch: ResolverTypeWrapper<Partial<PolicyMatch>>;
  PolicyMatchInput: ResolverTypeWrapper<Partial<PolicyMatchInput>>;
  PolicyPage: ResolverTypeWrapper<Partial<PolicyPage>>;
  PolicyRateLimit: ResolverTypeWrapper<Partial<PolicyRateLimit>>;
  PolicyRateLimitInput: ResolverTypeWrapper<Partial<PolicyRateLimitInput>>;
  PolicyTemplate: ResolverTypeWrapper<Partial<PolicyTemplate>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RateLimitScope: ResolverTypeWrapper<Partial<RateLimitScope>>;
  RateLimitUnit: ResolverTypeWrapper<Partial<RateLimitUnit>>;
  RateSummary: ResolverTypeWrapper<Partial<RateSummary>>;
  Role: ResolverTypeWrapper<Partial<Role>>;
  SafeInt: ResolverTypeWrapper<Partial<Scalars['SafeInt']['output']>>;
  TogglePolicyInput: ResolverTypeWrapper<Partial<TogglePolicyInput>>;
  TrackBatchError: ResolverTypeWrapper<Partial<TrackBatchError>>;
  TrackBatchInput: ResolverTypeWrapper<Partial<TrackBatchInput>>;
  TrackBatchItem: ResolverTypeWrapper<Partial<TrackBatchItem>>;
  TrackBatchResult: ResolverTypeWrapper<Partial<TrackBatchResult>>;
  TrackInput: ResolverTypeWrapper<Partial<TrackInput>>;
  TrackResult: ResolverTypeWrapper<Partial<TrackResult>>;
  UpdateGovernanceSettingsInput: ResolverTypeWrapper<Partial<UpdateGovernanceSettingsInput>>;
  UpdateNotificationSettingsInput: ResolverTypeWrapper<Partial<UpdateNotificationSettingsInput>>;
  UpdatePolicyInput: ResolverTypeWrapper<Partial<UpdatePolicyInput>>;
  UpdateWorkflowInput: ResolverTypeWrapper<Partial<UpdateWorkflowInput>>;
  UsageQuota: ResolverTypeWrapper<Partial<UsageQuota>>;
  Workflow: ResolverTypeWrapper<Partial<Workflow>>;
  WorkflowCounts: ResolverTypeWrapper<Partial<WorkflowCounts>>;
  WorkflowPage: ResolverTypeWrapper<Partial<WorkflowPage>>;
  WorkflowStatus: ResolverTypeWrapper<Partial<WorkflowStatus>>;
  String: ResolverTypeWrapper<Partial<Scalars['String']['output']>>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AgentEfficiency: Partial<AgentEfficiency>;
  ID: Partial<Scalars['ID']['output']>;
  Boolean: Partial<Scalars['Boolean']['output']>;
  Int: Partial<Scalars['Int']['output']>;
  Float: Partial<Scalars['Float']['output']>;
  AlertChannel: Partial<AlertChannel>;
  ApiKeyUsage: Partial<ApiKeyUsage>;
  Approval: Partial<Approval>;
  ApprovalPage: Partial<ApprovalPage>;
  BudgetAlert: Partial<BudgetAlert>;
  BudgetAlertPage: Partial<BudgetAlertPage>;
  BudgetSummary: Partial<BudgetSummary>;
  CheckInput: Partial<CheckInput>;
  CheckResult: Partial<CheckResult>;
  CreateAlertChannelInput: Partial<CreateAlertChannelInput>;
  CreatePolicyInput: Partial<CreatePolicyInput>;
  CreateWorkflowInput: Partial<CreateWorkflowInput>;
  DailySpend: Partial<DailySpend>;
  DateTime: Partial<Scalars['DateTime']['output']>;
  DeletedPolicy: Partial<DeletedPolicy>;
  ExecuteInput: Partial<ExecuteInput>;
  ExecuteResult: Partial<ExecuteResult>;
  Execution: Partial<Execution>;
  ExecutionPage: Partial<ExecutionPage>;
  GateInput: Partial<GateInput>;
  GateResult: Partial<GateResult>;
  GovernanceDashboard: Partial<GovernanceDashboard>;
  GovernanceLimits: Partial<GovernanceLimits>;
  GovernanceSettings: Partial<GovernanceSettings>;
  JSON: Partial<Scalars['JSON']['output']>;
  ModelSpend: Partial<ModelSpend>;
  Mutation: Record<PropertyKey, never>;
  NotificationSettings: Partial<NotificationSettings>;
  OrgStatus: Partial<OrgStatus>;
  Organization: Partial<Organization | FederationReferenceTypes['Organization']>;
  Policy: Partial<Policy>;
  PolicyMatch: Partial<PolicyMatch>;
  PolicyMatchInput: Partial<PolicyMatchInput>;
  PolicyPage: Partial<PolicyPage>;
  PolicyRateLimit: Partial<PolicyRateLimit>;
  PolicyRateLimitInput: Partial<PolicyRateLimitInput>;
  PolicyTemplate: Partial<PolicyTemplate>;
  Query: Record<PropertyKey, never>;
  RateSummary: Partial<RateSummary>;
  SafeInt: Partial<Scalars['SafeInt']['output']>;
  TogglePolicyInput: Partial<TogglePolicyInput>;
  TrackBatchError: Partial<TrackBatchError>;
  TrackBatchInput: Partial<TrackBatchInput>;
  TrackBatchItem: Partial<TrackBatchItem>;
  TrackBatchResult: Partial<TrackBatchResult>;
  TrackInput: Partial<TrackInput>;
  TrackResult: Partial<TrackResult>;
  UpdateGovernanceSettingsInput: Partial<UpdateGovernanceSettingsInput>;
  UpdateNotificationSettingsInput: Partial<UpdateNotificationSettingsInput>;
  UpdatePolicyInput: Partial<UpdatePolicyInput>;
  UpdateWorkflowInput: Partial<UpdateWorkflowInput>;
  UsageQuota: Partial<UsageQuota>;
  Workflow: Partial<Workflow | FederationReferenceTypes['Workflow']>;
  WorkflowCounts: Partial<WorkflowCounts>;
  WorkflowPage: Partial<WorkflowPage>;
  String: Partial<Scalars['String']['output']>;
}>;

export type AuthzDirectiveArgs = {
  org?: Maybe<Scalars['String']['input']>;
  permission?: Maybe<Scalars['String']['input']>;
  workflow?: Maybe<Scalars['String']['input']>;
};

export type AuthzDirectiveResolver<Result, Parent, ContextType = GovernanceContext, Args = AuthzDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type PublicDirectiveArgs = { };

export type PublicDirectiveResolver<Result, Parent, ContextType = GovernanceContext, Args = PublicDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AgentEfficiencyResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['AgentEfficiency'] = ResolversParentTypes['AgentEfficiency']> = ResolversObject<{
  agentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  costPerTaskMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  deactivated?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  tasksCancelled?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tasksCompleted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tasksFailed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tasksPer1kTokens?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  totalTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  trackedEvents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type AlertChannelResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['AlertChannel'] = ResolversParentTypes['AlertChannel']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['AlertChannelKind'], ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  signingSecret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  target?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ApiKeyUsageResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['ApiKeyUsage'] = ResolversParentTypes['ApiKeyUsage']> = ResolversObject<{
  apiKeyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  deniedExecutions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  executions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  trackedEvents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ApprovalResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['Approval'] = ResolversParentTypes['Approval']> = ResolversObject<{
  amountMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  decidedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  decidedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  execution?: Resolver<Maybe<ResolversTypes['Execution']>, ParentType, ContextType>;
  executionId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  nodeId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  note?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  policyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  requestedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  runId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ApprovalStatus'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type ApprovalPageResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['ApprovalPage'] = ResolversParentTypes['ApprovalPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Approval']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type BudgetAlertResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['BudgetAlert'] = ResolversParentTypes['BudgetAlert']> = ResolversObject<{
  budgetMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  dismissedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  dismissedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['BudgetAlertKind'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  spentMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  thresholdPercent?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  workflow?: Resolver<Maybe<ResolversTypes['Workflow']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type BudgetAlertPageResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['BudgetAlertPage'] = ResolversParentTypes['BudgetAlertPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['BudgetAlert']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type BudgetSummaryResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['BudgetSummary'] = ResolversParentTypes['BudgetSummary']> = ResolversObject<{
  dailyBudgetMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  dailyRemainingMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  dailyReservedMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  dailySpentMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  totalSpentMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  workflowBudgetMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  workflowRemainingMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  workflowReservedMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  workflowSpentMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type CheckResultResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['CheckResult'] = ResolversParentTypes['CheckResult']> = ResolversObject<{
  advisory?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  allowed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  decision?: Resolver<ResolversTypes['ExecutionDecision'], ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  remainingMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
}>;

export type DailySpendResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['DailySpend'] = ResolversParentTypes['DailySpend']> = ResolversObject<{
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  day?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  events?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeletedPolicyResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['DeletedPolicy'] = ResolversParentTypes['DeletedPolicy']> = ResolversObject<{
  deleted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ExecuteResultResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['ExecuteResult'] = ResolversParentTypes['ExecuteResult']> = ResolversObject<{
  allowed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  approvalId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  decision?: Resolver<ResolversTypes['ExecutionDecision'], ParentType, ContextType>;
  executionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  policyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  remainingMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  reservedMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  retryAfterSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ExecutionStatus'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type ExecutionResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['Execution'] = ResolversParentTypes['Execution']> = ResolversObject<{
  actualCostMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  apiKeyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  approvalId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  decision?: Resolver<ResolversTypes['ExecutionDecision'], ParentType, ContextType>;
  estimatedCostMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inputTokens?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  latencyMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  metadata?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  outputTokens?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  policyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  principalId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  provider?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reservedMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  settledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ExecutionStatus'], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  workflow?: Resolver<Maybe<ResolversTypes['Workflow']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type ExecutionPageResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['ExecutionPage'] = ResolversParentTypes['ExecutionPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Execution']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type GateResultResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['GateResult'] = ResolversParentTypes['GateResult']> = ResolversObject<{
  allowed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  budgetMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  decision?: Resolver<ResolversTypes['ExecutionDecision'], ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  policyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  remainingMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  spentMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  workflowStatus?: Resolver<Maybe<ResolversTypes['WorkflowStatus']>, ParentType, ContextType>;
}>;

export type GovernanceDashboardResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['GovernanceDashboard'] = ResolversParentTypes['GovernanceDashboard']> = ResolversObject<{
  activeAlerts?: Resolver<Array<ResolversTypes['BudgetAlert']>, ParentType, ContextType>;
  pendingApprovals?: Resolver<Array<ResolversTypes['Approval']>, ParentType, ContextType>;
  recentExecutions?: Resolver<Array<ResolversTypes['Execution']>, ParentType, ContextType>;
  spendByDay?: Resolver<Array<ResolversTypes['DailySpend']>, ParentType, ContextType>;
  spendByModel?: Resolver<Array<ResolversTypes['ModelSpend']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrgStatus'], ParentType, ContextType>;
  topWorkflows?: Resolver<Array<ResolversTypes['Workflow']>, ParentType, ContextType>;
}>;

export type GovernanceLimitsResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['GovernanceLimits'] = ResolversParentTypes['GovernanceLimits']> = ResolversObject<{
  alertThresholds?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  apiKeyRequestsPerMinute?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  approvalTtlSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  maxTrackBatchSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reservationTtlSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type GovernanceSettingsResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['GovernanceSettings'] = ResolversParentTypes['GovernanceSettings']> = ResolversObject<{
  alertThresholds?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  dailyBudgetMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type ModelSpendResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['ModelSpend'] = ResolversParentTypes['ModelSpend']> = ResolversObject<{
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  events?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  _consumeEvents?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Mutation_ConsumeEventsArgs, 'consumer' | 'events'>>;
  approveApproval?: Resolver<ResolversTypes['Approval'], ParentType, ContextType, RequireFields<MutationApproveApprovalArgs, 'id'>>;
  approveWorkflowRun?: Resolver<ResolversTypes['Approval'], ParentType, ContextType, RequireFields<MutationApproveWorkflowRunArgs, 'runId'>>;
  createAlertChannel?: Resolver<ResolversTypes['AlertChannel'], ParentType, ContextType, RequireFields<MutationCreateAlertChannelArgs, 'input' | 'orgId'>>;
  createPolicy?: Resolver<ResolversTypes['Policy'], ParentType, ContextType, RequireFields<MutationCreatePolicyArgs, 'input' | 'orgId'>>;
  createWorkflow?: Resolver<ResolversTypes['Workflow'], ParentType, ContextType, RequireFields<MutationCreateWorkflowArgs, 'input' | 'orgId'>>;
  deleteAlertChannel?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteAlertChannelArgs, 'id' | 'orgId'>>;
  deletePolicy?: Resolver<ResolversTypes['DeletedPolicy'], ParentType, ContextType, RequireFields<MutationDeletePolicyArgs, 'id' | 'orgId'>>;
  denyApproval?: Resolver<ResolversTypes['Approval'], ParentType, ContextType, RequireFields<MutationDenyApprovalArgs, 'id'>>;
  denyWorkflowRun?: Resolver<ResolversTypes['Approval'], ParentType, ContextType, RequireFields<MutationDenyWorkflowRunArgs, 'runId'>>;
  disablePolicyTemplate?: Resolver<ResolversTypes['PolicyTemplate'], ParentType, ContextType, RequireFields<MutationDisablePolicyTemplateArgs, 'orgId' | 'templateId'>>;
  dismissAlert?: Resolver<ResolversTypes['BudgetAlert'], ParentType, ContextType, RequireFields<MutationDismissAlertArgs, 'alertId' | 'orgId'>>;
  enablePolicyTemplate?: Resolver<ResolversTypes['PolicyTemplate'], ParentType, ContextType, RequireFields<MutationEnablePolicyTemplateArgs, 'orgId' | 'templateId'>>;
  execute?: Resolver<ResolversTypes['ExecuteResult'], ParentType, ContextType, RequireFields<MutationExecuteArgs, 'input'>>;
  gate?: Resolver<ResolversTypes['GateResult'], ParentType, ContextType, RequireFields<MutationGateArgs, 'input'>>;
  killWorkflow?: Resolver<ResolversTypes['Workflow'], ParentType, ContextType, RequireFields<MutationKillWorkflowArgs, 'id'>>;
  legacyCheck?: Resolver<ResolversTypes['CheckResult'], ParentType, ContextType, RequireFields<MutationLegacyCheckArgs, 'input'>>;
  pauseWorkflow?: Resolver<ResolversTypes['Workflow'], ParentType, ContextType, RequireFields<MutationPauseWorkflowArgs, 'id'>>;
  resumeWorkflow?: Resolver<ResolversTypes['Workflow'], ParentType, ContextType, RequireFields<MutationResumeWorkflowArgs, 'id'>>;
  startHeldExecution?: Resolver<ResolversTypes['Execution'], ParentType, ContextType, RequireFields<MutationStartHeldExecutionArgs, 'id'>>;
  togglePolicy?: Resolver<ResolversTypes['Policy'], ParentType, ContextType, RequireFields<MutationTogglePolicyArgs, 'input'>>;
  track?: Resolver<ResolversTypes['TrackResult'], ParentType, ContextType, RequireFields<MutationTrackArgs, 'input'>>;
  trackBatch?: Resolver<ResolversTypes['TrackBatchResult'], ParentType, ContextType, RequireFields<MutationTrackBatchArgs, 'input'>>;
  updateGovernanceSettings?: Resolver<ResolversTypes['GovernanceSettings'], ParentType, ContextType, RequireFields<MutationUpdateGovernanceSettingsArgs, 'input' | 'orgId'>>;
  updateNotificationSettings?: Resolver<ResolversTypes['NotificationSettings'], ParentType, ContextType, RequireFields<MutationUpdateNotificationSettingsArgs, 'input' | 'orgId'>>;
  updatePolicy?: Resolver<ResolversTypes['Policy'], ParentType, ContextType, RequireFields<MutationUpdatePolicyArgs, 'id' | 'input' | 'orgId'>>;
  updateWorkflow?: Resolver<ResolversTypes['Workflow'], ParentType, ContextType, RequireFields<MutationUpdateWorkflowArgs, 'id' | 'input'>>;
}>;

export type NotificationSettingsResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['NotificationSettings'] = ResolversParentTypes['NotificationSettings']> = ResolversObject<{
  alertThresholds?: Resolver<Maybe<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
  digest?: Resolver<ResolversTypes['NotificationDigest'], ParentType, ContextType>;
  emailEnabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  events?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  inAppEnabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  userId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type OrgStatusResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['OrgStatus'] = ResolversParentTypes['OrgStatus']> = ResolversObject<{
  activeAlerts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  budget?: Resolver<ResolversTypes['BudgetSummary'], ParentType, ContextType>;
  generatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  limits?: Resolver<ResolversTypes['GovernanceLimits'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  pendingApprovals?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rate?: Resolver<ResolversTypes['RateSummary'], ParentType, ContextType>;
  timeToExhaustionSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  workflows?: Resolver<ResolversTypes['WorkflowCounts'], ParentType, ContextType>;
}>;

export type OrganizationResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  workflows?: Resolver<Array<ResolversTypes['Workflow']>, ParentType, ContextType>;
}>;

export type PolicyResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['Policy'] = ResolversParentTypes['Policy']> = ResolversObject<{
  action?: Resolver<ResolversTypes['PolicyAction'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  match?: Resolver<ResolversTypes['PolicyMatch'], ParentType, ContextType>;
  maxCostMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  priority?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rateLimit?: Resolver<Maybe<ResolversTypes['PolicyRateLimit']>, ParentType, ContextType>;
  templateId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type PolicyMatchResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['PolicyMatch'] = ResolversParentTypes['PolicyMatch']> = ResolversObject<{
  apiKeyIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  excludeModels?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  metadata?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  minEstimatedCostMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  models?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  providers?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  workflowIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type PolicyPageResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['PolicyPage'] = ResolversParentTypes['PolicyPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Policy']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type PolicyRateLimitResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['PolicyRateLimit'] = ResolversParentTypes['PolicyRateLimit']> = ResolversObject<{
  limit?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  per?: Resolver<ResolversTypes['RateLimitScope'], ParentType, ContextType>;
  unit?: Resolver<ResolversTypes['RateLimitUnit'], ParentType, ContextType>;
  windowSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type PolicyTemplateResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['PolicyTemplate'] = ResolversParentTypes['PolicyTemplate']> = ResolversObject<{
  defaultParameters?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  enabledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  parameters?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  policyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  agentEfficiency?: Resolver<Array<ResolversTypes['AgentEfficiency']>, ParentType, ContextType, RequireFields<QueryAgentEfficiencyArgs, 'orgId'>>;
  alertChannels?: Resolver<Array<ResolversTypes['AlertChannel']>, ParentType, ContextType, RequireFields<QueryAlertChannelsArgs, 'orgId'>>;
  alerts?: Resolver<ResolversTypes['BudgetAlertPage'], ParentType, ContextType, RequireFields<QueryAlertsArgs, 'orgId'>>;
  approval?: Resolver<Maybe<ResolversTypes['Approval']>, ParentType, ContextType, RequireFields<QueryApprovalArgs, 'id'>>;
  approvals?: Resolver<ResolversTypes['ApprovalPage'], ParentType, ContextType, RequireFields<QueryApprovalsArgs, 'orgId'>>;
  execution?: Resolver<Maybe<ResolversTypes['Execution']>, ParentType, ContextType, RequireFields<QueryExecutionArgs, 'id'>>;
  executions?: Resolver<ResolversTypes['ExecutionPage'], ParentType, ContextType, RequireFields<QueryExecutionsArgs, 'orgId'>>;
  governanceDashboard?: Resolver<ResolversTypes['GovernanceDashboard'], ParentType, ContextType, RequireFields<QueryGovernanceDashboardArgs, 'orgId'>>;
  governanceSettings?: Resolver<ResolversTypes['GovernanceSettings'], ParentType, ContextType, RequireFields<QueryGovernanceSettingsArgs, 'orgId'>>;
  notificationSettings?: Resolver<ResolversTypes['NotificationSettings'], ParentType, ContextType, RequireFields<QueryNotificationSettingsArgs, 'orgId'>>;
  orgStatus?: Resolver<ResolversTypes['OrgStatus'], ParentType, ContextType, RequireFields<QueryOrgStatusArgs, 'orgId'>>;
  policies?: Resolver<ResolversTypes['PolicyPage'], ParentType, ContextType, RequireFields<QueryPoliciesArgs, 'orgId'>>;
  policyTemplates?: Resolver<Array<ResolversTypes['PolicyTemplate']>, ParentType, ContextType, RequireFields<QueryPolicyTemplatesArgs, 'orgId'>>;
  usageQuota?: Resolver<ResolversTypes['UsageQuota'], ParentType, ContextType, RequireFields<QueryUsageQuotaArgs, 'orgId'>>;
  workflow?: Resolver<Maybe<ResolversTypes['Workflow']>, ParentType, ContextType, RequireFields<QueryWorkflowArgs, 'id'>>;
  workflows?: Resolver<ResolversTypes['WorkflowPage'], ParentType, ContextType, RequireFields<QueryWorkflowsArgs, 'orgId'>>;
}>;

export type RateSummaryResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['RateSummary'] = ResolversParentTypes['RateSummary']> = ResolversObject<{
  burnRateMicrosPerHour?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  callsInWindow?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  callsPerMinute?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  spendInWindowMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  trackedEventsInWindow?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  windowMinutes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export interface SafeIntScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['SafeInt'], any> {
  name: 'SafeInt';
}

export type TrackBatchErrorResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['TrackBatchError'] = ResolversParentTypes['TrackBatchError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type TrackBatchItemResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['TrackBatchItem'] = ResolversParentTypes['TrackBatchItem']> = ResolversObject<{
  error?: Resolver<Maybe<ResolversTypes['TrackBatchError']>, ParentType, ContextType>;
  eventId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  result?: Resolver<Maybe<ResolversTypes['TrackResult']>, ParentType, ContextType>;
}>;

export type TrackBatchResultResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['TrackBatchResult'] = ResolversParentTypes['TrackBatchResult']> = ResolversObject<{
  duplicates?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  recorded?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  results?: Resolver<Array<ResolversTypes['TrackBatchItem']>, ParentType, ContextType>;
}>;

export type TrackResultResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['TrackResult'] = ResolversParentTypes['TrackResult']> = ResolversObject<{
  duplicate?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  executionId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  recorded?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  remainingMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  settled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  spentMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type UsageQuotaResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['UsageQuota'] = ResolversParentTypes['UsageQuota']> = ResolversObject<{
  apiKeyRequestsPerMinute?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  keys?: Resolver<Array<ResolversTypes['ApiKeyUsage']>, ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  since?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  totalCostMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  totalExecutions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  until?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type WorkflowResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['Workflow'] = ResolversParentTypes['Workflow'], FederationReferenceType extends FederationReferenceTypes['Workflow'] = FederationReferenceTypes['Workflow']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Workflow']> | FederationReferenceType, FederationReferenceType, ContextType>;
  budgetMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  budgetPeriod?: Resolver<ResolversTypes['BudgetPeriod'], ParentType, ContextType>;
  burnRateMicrosPerHour?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  killedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  pausedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  periodEndsAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  periodStartedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  previousPeriodSpentMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  remainingMicros?: Resolver<Maybe<ResolversTypes['SafeInt']>, ParentType, ContextType>;
  reservedMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  spentMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WorkflowStatus'], ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  timeToExhaustionSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type WorkflowCountsResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['WorkflowCounts'] = ResolversParentTypes['WorkflowCounts']> = ResolversObject<{
  active?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  killed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  paused?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type WorkflowPageResolvers<ContextType = GovernanceContext, ParentType extends ResolversParentTypes['WorkflowPage'] = ResolversParentTypes['WorkflowPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Workflow']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = GovernanceContext> = ResolversObject<{
  AgentEfficiency?: AgentEfficiencyResolvers<ContextType>;
  AlertChannel?: AlertChannelResolvers<ContextType>;
  ApiKeyUsage?: ApiKeyUsageResolvers<ContextType>;
  Approval?: ApprovalResolvers<ContextType>;
  ApprovalPage?: ApprovalPageResolvers<ContextType>;
  BudgetAlert?: BudgetAlertResolvers<ContextType>;
  BudgetAlertPage?: BudgetAlertPageResolvers<ContextType>;
  BudgetSummary?: BudgetSummaryResolvers<ContextType>;
  CheckResult?: CheckResultResolvers<ContextType>;
  DailySpend?: DailySpendResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeletedPolicy?: DeletedPolicyResolvers<ContextType>;
  ExecuteResult?: ExecuteResultResolvers<ContextType>;
  Execution?: ExecutionResolvers<ContextType>;
  ExecutionPage?: ExecutionPageResolvers<ContextType>;
  GateResult?: GateResultResolvers<ContextType>;
  GovernanceDashboard?: GovernanceDashboardResolvers<ContextType>;
  GovernanceLimits?: GovernanceLimitsResolvers<ContextType>;
  GovernanceSettings?: GovernanceSettingsResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  ModelSpend?: ModelSpendResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  NotificationSettings?: NotificationSettingsResolvers<ContextType>;
  OrgStatus?: OrgStatusResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  Policy?: PolicyResolvers<ContextType>;
  PolicyMatch?: PolicyMatchResolvers<ContextType>;
  PolicyPage?: PolicyPageResolvers<ContextType>;
  PolicyRateLimit?: PolicyRateLimitResolvers<ContextType>;
  PolicyTemplate?: PolicyTemplateResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RateSummary?: RateSummaryResolvers<ContextType>;
  SafeInt?: GraphQLScalarType;
  TrackBatchError?: TrackBatchErrorResolvers<ContextType>;
  TrackBatchItem?: TrackBatchItemResolvers<ContextType>;
  TrackBatchResult?: TrackBatchResultResolvers<ContextType>;
  TrackResult?: TrackResultResolvers<ContextType>;
  UsageQuota?: UsageQuotaResolvers<ContextType>;
  Workflow?: WorkflowResolvers<ContextType>;
  WorkflowCounts?: WorkflowCountsResolvers<ContextType>;
  WorkflowPage?: WorkflowPageResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = GovernanceContext> = ResolversObject<{
  authz?: AuthzDirectiveResolver<any, any, ContextType>;
  public?: PublicDirectiveResolver<any, any, ContextType>;
}>;
