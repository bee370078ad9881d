/**
 * Governance's tables (schema `governance`), as MikroORM schemas. The hot path
 * (gate / execute / track, the sweeper) and most reads use hand-written SQL
 * through `em.execute` (see sql.ts) so no identity map is loaded; these
 * definitions document the columns and serve the few ORM writes.
 */
import { defineEntity, p } from '@mikro-orm/core';

export const Workflow = defineEntity({
  name: 'Workflow',
  tableName: 'workflows',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    name: p.string(),
    /** active | paused | killed */
    status: p.string(),
    /** Integer micro-dollars; null means unlimited. */
    budgetMicros: p.bigint('number').nullable(),
    spentMicros: p.bigint('number'),
    reservedMicros: p.bigint('number').default(0),
    /** none | daily | monthly */
    budgetPeriod: p.string().default('none'),
    periodStartedAt: p.datetime().nullable(),
    periodEndsAt: p.datetime().nullable(),
    previousPeriodSpentMicros: p.bigint('number').default(0),
    resetAnnouncedAt: p.datetime().nullable(),
    statusReason: p.text().nullable(),
    pausedAt: p.datetime().nullable(),
    killedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export const OrgSettings = defineEntity({
  name: 'OrgSettings',
  tableName: 'org_settings',
  properties: {
    orgId: p.string().primary(),
    alertThresholds: p.array().nullable(),
    dailyBudgetMicros: p.bigint('number').nullable(),
    dailySpentMicros: p.bigint('number').default(0),
    dailyReservedMicros: p.bigint('number').default(0),
    dayEndsAt: p.datetime().nullable(),
    updatedAt: p.datetime(),
  },
});

export const Policy = defineEntity({
  name: 'Policy',
  tableName: 'policies',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    name: p.string(),
    description: p.text().nullable(),
    priority: p.integer(),
    enabled: p.boolean(),
    /** allow | deny | require_approval | cap_cost | rate_limit */
    action: p.string(),
    match: p.json<Record<string, unknown>>(),
    maxCostMicros: p.bigint('number').nullable(),
    rateLimit: p.integer().nullable(),
    rateWindowSeconds: p.integer().nullable(),
    rateUnit: p.string().nullable(),
    ratePer: p.string().nullable(),
    templateId: p.string().nullable(),
    createdBy: p.string().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export const TemplateEnablement = defineEntity({
  name: 'TemplateEnablement',
  tableName: 'template_enablements',
  properties: {
    orgId: p.string().primary(),
    templateId: p.string().primary(),
    parameters: p.json<Record<string, unknown>>(),
    policyId: p.string().nullable(),
    enabledBy: p.string().nullable(),
    enabledAt: p.datetime(),
  },
});

export const Execution = defineEntity({
  name: 'Execution',
  tableName: 'executions',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    workflowId: p.string().nullable(),
    apiKeyId: p.string().nullable(),
    principalId: p.string().nullable(),
    model: p.string().nullable(),
    provider: p.string().nullable(),
    tags: p.array(),
    metadata: p.json<Record<string, unknown>>().nullable(),
    /** allow | deny | require_approval */
    decision: p.string(),
    /** reserved | settled | expired | denied | pending_approval */
    status: p.string(),
    reason: p.string().nullable(),
    policyId: p.string().nullable(),
    approvalId: p.string().nullable(),
    estimatedCostMicros: p.bigint('number'),
    reservedMicros: p.bigint('number'),
    orgReserved: p.boolean(),
    actualCostMicros: p.bigint('number').nullable(),
    inputTokens: p.bigint('number').nullable(),
    outputTokens: p.bigint('number').nullable(),
    latencyMs: p.integer().nullable(),
    expiresAt: p.datetime().nullable(),
    settledAt: p.datetime().nullable(),
    /** A held execution's call started (startHeldExecution): once. */
    startedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

export const UsageEvent = defineEntity({
  name: 'UsageEvent',
  tableName: 'usage_events',
  properties: {
    orgId: p.string().primary(),
    eventId: p.string().primary(),
    executionId: p.string().nullable(),
    workflowId: p.string().nullable(),
    apiKeyId: p.string().nullable(),
    model: p.string().nullable(),
    provider: p.string().nullable(),
    costMicros: p.bigint('number'),
    inputTokens: p.bigint('number'),
    outputTokens: p.bigint('number'),
    latencyMs: p.integer().nullable(),
    tags: p.array(),
    metadata: p.json<Record<string, unknown>>().nullable(),
    occurredAt: p.datetime(),
    recordedAt: p.datetime(),
  },
});

export const RateCounter = defineEntity({
  name: 'RateCounter',
  tableName: 'rate_counters',
  properties: {
    policyId: p.string().primary(),
    subject: p.string().primary(),
    windowStart: p.datetime().primary(),
    windowEndsAt: p.datetime(),
    calls: p.bigint('number'),
    tokens: p.bigint('number'),
  },
});

export const Approval = defineEntity({
  name: 'Approval',
  tableName: 'approvals',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    /** The SDK execution it holds, or null for a pipeline run's approval node (runId, nodeId). */
    executionId: p.string().unique().nullable(),
    runId: p.string().nullable(),
    nodeId: p.string().nullable(),
    message: p.text().nullable(),
    workflowId: p.string().nullable(),
    policyId: p.string().nullable(),
    /** pending | approved | denied | expired */
    status: p.string(),
    amountMicros: p.bigint('number'),
    model: p.string().nullable(),
    requestedBy: p.string().nullable(),
    decidedBy: p.string().nullable(),
    note: p.text().nullable(),
    expiresAt: p.datetime(),
    decidedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

export const Alert = defineEntity({
  name: 'Alert',
  tableName: 'alerts',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    /** workflow_budget | org_daily_budget */
    kind: p.string(),
    workflowId: p.string().nullable(),
    thresholdPercent: p.integer(),
    periodKey: p.string(),
    budgetMicros: p.bigint('number'),
    spentMicros: p.bigint('number'),
    message: p.text(),
    createdAt: p.datetime(),
    dismissedAt: p.datetime().nullable(),
    dismissedBy: p.string().nullable(),
  },
});

export const AlertChannel = defineEntity({
  name: 'AlertChannel',
  tableName: 'alert_channels',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    /** email | webhook */
    kind: p.string(),
    target: p.string(),
    name: p.string().nullable(),
    enabled: p.boolean(),
    createdBy: p.string().nullable(),
    createdAt: p.datetime(),
  },
});

export const NotificationSetting = defineEntity({
  name: 'NotificationSetting',
  tableName: 'notification_settings',
  properties: {
    orgId: p.string().primary(),
    userId: p.string().primary(),
    emailEnabled: p.boolean(),
    inAppEnabled: p.boolean(),
    alertThresholds: p.array().nullable(),
    events: p.array(),
    digest: p.string(),
    updatedAt: p.datetime(),
  },
});

export const governanceEntities = [
  Workflow,
  OrgSettings,
  Policy,
  TemplateEnablement,
  Execution,
  UsageEvent,
  RateCounter,
  Approval,
  Alert,
  AlertChannel,
  NotificationSetting,
];
