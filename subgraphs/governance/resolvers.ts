/** Governance resolvers: translate GraphQL to service calls (and lowercase values to GraphQL enums). */
import { authorizeReference } from '../../kernel/permissions.ts';
import type { AlertChannelView, AlertView } from './alerts.ts';
import type { ApprovalView } from './approvals.ts';
import type { ExecutionFilters, ExecutionView } from './executions.ts';
import type { GovernanceContext } from './index.ts';
import type { PolicyRecord } from './policy-engine.ts';
import type { ExecuteInput, GateInput, TrackInput } from './sdk.ts';
import type { WorkflowView } from './workflows.ts';

type Ctx = GovernanceContext;
type Args<T = Record<string, never>> = T;
const upper = (value: string | null | undefined) => (value ? value.toUpperCase() : null);
const org = (parent: { orgId: string }) => ({ id: parent.orgId });

/** Burn rate and time to exhaustion share one query per workflow and request. */
const burnCache = new WeakMap<WorkflowView, ReturnType<Ctx['workflows']['burn']>>();
const burnOf = (workflow: WorkflowView, ctx: Ctx) => {
  let pending = burnCache.get(workflow);
  if (!pending) {
    pending = ctx.workflows.burn(workflow);
    burnCache.set(workflow, pending);
  }
  return pending;
};

export const resolvers = {
  Query: {
    workflow: (_: unknown, a: Args<{ id: string; orgId?: string }>, ctx: Ctx) =>
      ctx.workflows.get(ctx.principal, a.id, a.orgId),
    workflows: (_: unknown, a: Args<{ orgId: string; status?: string; limit?: number; cursor?: string }>, ctx: Ctx) =>
      ctx.workflows.list(ctx.principal, a.orgId, a),
    policies: (_: unknown, a: Args<{ orgId: string; enabled?: boolean; limit?: number; cursor?: string }>, ctx: Ctx) =>
      ctx.policies.list(a.orgId, a),
    policyTemplates: (_: unknown, a: Args<{ orgId: string }>, ctx: Ctx) => ctx.policies.templates(a.orgId),
    executions: (_: unknown, a: Args<{ orgId: string } & ExecutionFilters>, ctx: Ctx) =>
      ctx.executions.list(ctx.principal, a.orgId, a),
    execution: (_: unknown, a: Args<{ id: string; orgId?: string }>, ctx: Ctx) =>
      ctx.executions.get(ctx.principal, a.id, a.orgId),
    approvals: (_: unknown, a: Args<{ orgId: string; status?: string; limit?: number; cursor?: string }>, ctx: Ctx) =>
      ctx.approvals.list(ctx.principal, a.orgId, a),
    approval: (_: unknown, a: Args<{ id: string; orgId?: string }>, ctx: Ctx) =>
      ctx.approvals.get(ctx.principal, a.id, a.orgId),
    orgStatus: (_: unknown, a: Args<{ orgId: string }>, ctx: Ctx) => ctx.insights.status(a.orgId),
    usageQuota: (_: unknown, a: Args<{ orgId: string; since?: Date; until?: Date }>, ctx: Ctx) =>
      ctx.insights.quota(a.orgId, a),
    governanceDashboard: (_: unknown, a: Args<{ orgId: string }>, ctx: Ctx) =>
      ctx.insights.dashboard(ctx.principal, a.orgId),
    agentEfficiency: (_: unknown, a: Args<{ orgId: string; days?: number | null }>, ctx: Ctx) =>
      ctx.agentEfficiency.list(ctx.principal, a.orgId, a),
    alerts: (
      _: unknown,
      a: Args<{ orgId: string; includeDismissed?: boolean; limit?: number; cursor?: string }>,
      ctx: Ctx,
    ) => ctx.alerts.list(ctx.principal, a.orgId, a),
    alertChannels: (_: unknown, a: Args<{ orgId: string }>, ctx: Ctx) => ctx.alerts.channels(a.orgId),
    notificationSettings: (_: unknown, a: Args<{ orgId: string }>, ctx: Ctx) =>
      ctx.alerts.notificationSettings(ctx.principal, a.orgId),
    governanceSettings: (_: unknown, a: Args<{ orgId: string }>, ctx: Ctx) => ctx.alerts.governanceSettings(a.orgId),
  },
  Mutation: {
    createWorkflow: (
      _: unknown,
      a: Args<{ orgId: string; input: { name: string; budgetMicros?: number; budgetPeriod?: string } }>,
      ctx: Ctx,
    ) => ctx.workflows.create(ctx.principal, a.orgId, a.input, ctx.meta.requestId),
    updateWorkflow: (
      _: unknown,
      a: Args<{
        id: string;
        orgId?: string;
        input: { name?: string; budgetMicros?: number | null; budgetPeriod?: string };
      }>,
      ctx: Ctx,
    ) => ctx.workflows.update(ctx.principal, a.id, a.orgId, a.input, ctx.meta.requestId),
    pauseWorkflow: (_: unknown, a: Args<{ id: string; orgId?: string; reason?: string }>, ctx: Ctx) =>
      ctx.workflows.pause(ctx.principal, a.id, a.orgId, a.reason, ctx.meta.requestId),
    resumeWorkflow: (_: unknown, a: Args<{ id: string; orgId?: string }>, ctx: Ctx) =>
      ctx.workflows.resume(ctx.principal, a.id, a.orgId, ctx.meta.requestId),
    killWorkflow: (_: unknown, a: Args<{ id: string; orgId?: string; reason?: string }>, ctx: Ctx) =>
      ctx.workflows.kill(ctx.principal, a.id, a.orgId, a.reason, ctx.meta.requestId),

    createPolicy: (_: unknown, a: Args<{ orgId: string; input: Record<string, never> }>, ctx: Ctx) =>
      ctx.policies.create(ctx.principal, a.orgId, a.input, ctx.meta.requestId),
    updatePolicy: (_: unknown, a: Args<{ orgId: string; id: string; input: Record<string, never> }>, ctx: Ctx) =>
      ctx.policies.update(ctx.principal, a.orgId, a.id, a.input, ctx.meta.requestId),
    deletePolicy: (_: unknown, a: Args<{ orgId: string; id: string }>, ctx: Ctx) =>
      ctx.policies.delete(ctx.principal, a.orgId, a.id, ctx.meta.requestId),
    togglePolicy: (_: unknown, a: Args<{ input: { policyId: string; enabled?: boolean } }>, ctx: Ctx) =>
      ctx.policies.toggle(ctx.principal, a.input, ctx.meta.requestId),
    enablePolicyTemplate: (
      _: unknown,
      a: Args<{ orgId: string; templateId: string; parameters?: unknown }>,
      ctx: Ctx,
    ) => ctx.policies.enableTemplate(ctx.principal, a.orgId, a.templateId, a.parameters, ctx.meta.requestId),
    disablePolicyTemplate: (_: unknown, a: Args<{ orgId: string; templateId: string }>, ctx: Ctx) =>
      ctx.policies.disableTemplate(ctx.principal, a.orgId, a.templateId, ctx.meta.requestId),

    gate: (_: unknown, a: Args<{ input: GateInput }>, ctx: Ctx) => ctx.sdk.gate(ctx.principal, a.input),
    execute: (_: unknown, a: Args<{ input: ExecuteInput }>, ctx: Ctx) =>
      ctx.sdk.execute(ctx.principal, a.input, ctx.meta.requestId),
    startHeldExecution: (_: unknown, a: Args<{ id: string }>, ctx: Ctx) =>
      ctx.executions.startHeld(ctx.principal, a.id),
    track: (_: unknown, a: Args<{ input: TrackInput }>, ctx: Ctx) =>
      ctx.sdk.track(ctx.principal, a.input, ctx.meta.requestId),
    trackBatch: (_: unknown, a: Args<{ input: { events: TrackInput[] } }>, ctx: Ctx) =>
      ctx.sdk.trackBatch(ctx.principal, a.input, ctx.meta.requestId),
    legacyCheck: (_: unknown, a: Args<{ input: GateInput }>, ctx: Ctx) => ctx.sdk.check(ctx.principal, a.input),

    approveApproval: (_: unknown, a: Args<{ id: string; orgId?: string; note?: string }>, ctx: Ctx) =>
      ctx.approvals.approve(ctx.principal, a.id, a.orgId, a.note, ctx.meta.requestId),
    denyApproval: (_: unknown, a: Args<{ id: string; orgId?: string; note?: string }>, ctx: Ctx) =>
      ctx.approvals.deny(ctx.principal, a.id, a.orgId, a.note, ctx.meta.requestId),
    approveWorkflowRun: (_: unknown, a: Args<{ runId: string; orgId?: string; note?: string }>, ctx: Ctx) =>
      ctx.approvals.decideRun(ctx.principal, a.runId, a.orgId, 'approved', a.note, ctx.meta.requestId),
    denyWorkflowRun: (_: unknown, a: Args<{ runId: string; orgId?: string; note?: string }>, ctx: Ctx) =>
      ctx.approvals.decideRun(ctx.principal, a.runId, a.orgId, 'denied', a.note, ctx.meta.requestId),

    dismissAlert: (_: unknown, a: Args<{ orgId: string; alertId: string }>, ctx: Ctx) =>
      ctx.alerts.dismiss(ctx.principal, a.orgId, a.alertId, ctx.meta.requestId),
    createAlertChannel: (
      _: unknown,
      a: Args<{ orgId: string; input: { kind: string; target: string; name?: string; enabled?: boolean } }>,
      ctx: Ctx,
    ) => ctx.alerts.createChannel(ctx.principal, a.orgId, a.input, ctx.meta.requestId),
    deleteAlertChannel: (_: unknown, a: Args<{ orgId: string; id: string }>, ctx: Ctx) =>
      ctx.alerts.deleteChannel(ctx.principal, a.orgId, a.id, ctx.meta.requestId),
    updateNotificationSettings: (_: unknown, a: Args<{ orgId: string; input: Record<string, never> }>, ctx: Ctx) =>
      ctx.alerts.updateNotificationSettings(ctx.principal, a.orgId, a.input),
    updateGovernanceSettings: (
      _: unknown,
      a: Args<{ orgId: string; input: { alertThresholds?: number[] | null } }>,
      ctx: Ctx,
    ) => ctx.alerts.updateGovernanceSettings(ctx.principal, a.orgId, a.input, ctx.meta.requestId),
  },

  Workflow: {
    // Reached from other subgraphs (`StateChange.workflow`): the rule of `workflow(id)`, not the parent's.
    __resolveReference: (ref: { id: string }, ctx: Ctx) =>
      authorizeReference(ctx.principal, 'workflows:read', 'Workflow', () => ctx.workflows.get(ctx.principal, ref.id)),
    organization: org,
    status: (w: WorkflowView) => upper(w.status),
    budgetPeriod: (w: WorkflowView) => upper(w.budgetPeriod),
    burnRateMicrosPerHour: async (w: WorkflowView, _: unknown, ctx: Ctx) =>
      (await burnOf(w, ctx)).burnRateMicrosPerHour,
    timeToExhaustionSeconds: async (w: WorkflowView, _: unknown, ctx: Ctx) =>
      (await burnOf(w, ctx)).timeToExhaustionSeconds,
  },
  Organization: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    workflows: (o: { id: string }, _: unknown, ctx: Ctx) => ctx.workflows.listByOrg(ctx.principal, o.id),
  },
  Policy: {
    organization: org,
    action: (p: PolicyRecord) => upper(p.action),
    rateLimit: (p: PolicyRecord) =>
      p.rateLimit ? { ...p.rateLimit, unit: upper(p.rateLimit.unit), per: upper(p.rateLimit.per) } : null,
  },
  PolicyMatch: {
    workflowIds: (m: PolicyRecord['match']) => m.workflowIds ?? [],
    models: (m: PolicyRecord['match']) => m.models ?? [],
    excludeModels: (m: PolicyRecord['match']) => m.excludeModels ?? [],
    providers: (m: PolicyRecord['match']) => m.providers ?? [],
    apiKeyIds: (m: PolicyRecord['match']) => m.apiKeyIds ?? [],
    tags: (m: PolicyRecord['match']) => m.tags ?? [],
    metadata: (m: PolicyRecord['match']) => m.metadata ?? null,
    minEstimatedCostMicros: (m: PolicyRecord['match']) => m.minEstimatedCostMicros ?? null,
  },
  GateResult: {
    decision: (r: { decision: string }) => upper(r.decision),
    workflowStatus: (r: { workflowStatus: string | null }) => upper(r.workflowStatus),
  },
  CheckResult: {
    decision: (r: { decision: string }) => upper(r.decision),
  },
  ExecuteResult: {
    decision: (r: { decision: string }) => upper(r.decision),
    status: (r: { status: string }) => upper(r.status),
  },
  Execution: {
    organization: org,
    decision: (e: ExecutionView) => upper(e.decision),
    status: (e: ExecutionView) => upper(e.status),
    workflow: (e: ExecutionView, _: unknown, ctx: Ctx) => (e.workflowId ? ctx.workflows.load(e.workflowId) : null),
  },
  Approval: {
    organization: org,
    status: (a: ApprovalView) => upper(a.status),
    execution: (a: ApprovalView, _: unknown, ctx: Ctx) => (a.executionId ? ctx.executions.load(a.executionId) : null),
  },
  OrgStatus: { organization: org },
  UsageQuota: { organization: org },
  BudgetAlert: {
    organization: org,
    kind: (a: AlertView) => upper(a.kind),
    workflow: (a: AlertView, _: unknown, ctx: Ctx) => (a.workflowId ? ctx.workflows.load(a.workflowId) : null),
  },
  AlertChannel: {
    organization: org,
    kind: (c: AlertChannelView) => upper(c.kind),
  },
  NotificationSettings: {
    organization: org,
    digest: (s: { digest: string }) => upper(s.digest),
  },
  GovernanceSettings: { organization: org },
};
