/**
 * Governance REST routes (routes.tsv, seed 000): workflows, policies and
 * templates, the SDK calls (HMAC-signed: gate, execute, track, track/batch,
 * check), executions, status, quota, dashboard, alerts, alert channels and
 * notification settings. The audit-log routes are served by the events
 * subgraph's table. Each route names its root field (docs/rest.md).
 */
import { defineRoutes } from '../route-table.ts';

const owner = 'governance';

// biome-ignore format: a table, one route a line or two
export const governanceRoutes = defineRoutes([
  // ---- SDK calls (signed) ---------------------------------------------------------------------
  { method: 'POST', path: '/v1/gate', owner, signed: true, body: 'input', mutation: 'gate(input: $input)',
    summary: 'Binary budget pre-flight (called from @protect entry)' },
  { method: 'POST', path: '/v1/execute', owner, signed: true, body: 'input', mutation: 'execute(input: $input)',
    summary: 'Full policy evaluation + budget reservation (called from @protect body)' },
  { method: 'POST', path: '/v1/track', owner, signed: true, body: 'input', mutation: 'track(input: $input)',
    summary: 'Single cost / token / latency event' },
  { method: 'POST', path: '/v1/track/batch', owner, signed: true, body: 'input', arrayBody: 'events', mutation: 'trackBatch(input: $input)',
    summary: 'Batched events (≤ 100 per batch)' },
  { method: 'POST', path: '/v1/check', owner, signed: true, body: 'input', mutation: 'legacyCheck(input: $input)',
    summary: 'Legacy pre-flight (advisory, no scope check; new code uses /gate)' },

  // ---- workflows ------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/orgs/{orgId}/workflows', owner, paginated: true, query: 'workflows(...)',
    summary: 'List workflows' },
  { method: 'POST', path: '/v1/orgs/{orgId}/workflows', owner, status: 201, body: 'input', mutation: 'createWorkflow(orgId: $orgId, input: $input)',
    summary: 'Create workflow' },
  { method: 'GET', path: '/v1/orgs/{orgId}/workflows/{workflowId}', owner, query: 'workflow(orgId: $orgId, id: $workflowId)',
    summary: 'Workflow lookup (called from SDK on first gate per workflow)' },
  { method: 'PATCH', path: '/v1/orgs/{orgId}/workflows/{workflowId}', owner, body: 'input', mutation: 'updateWorkflow(orgId: $orgId, id: $workflowId, input: $input)',
    summary: 'Update (budget, name, …)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/workflows/{workflowId}/pause', owner, mutation: 'pauseWorkflow(id: $workflowId, ...)',
    summary: 'Pause (broadcasts StateChange over WS)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/workflows/{workflowId}/resume', owner, mutation: 'resumeWorkflow(id: $workflowId, ...)',
    summary: 'Resume' },
  { method: 'POST', path: '/v1/orgs/{orgId}/workflows/{workflowId}/kill', owner, mutation: 'killWorkflow(id: $workflowId, ...)',
    summary: 'Kill (broadcasts StateChange over WS)' },

  // ---- policies and templates -----------------------------------------------------------------
  { method: 'GET', path: '/v1/orgs/{orgId}/policies', owner, paginated: true, query: 'policies(...)',
    summary: 'Policy fetch (called from SDK on first @protect and on PolicyInvalidated WS push)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/policies', owner, status: 201, body: 'input', mutation: 'createPolicy(orgId: $orgId, input: $input)',
    summary: 'Create' },
  { method: 'GET', path: '/v1/orgs/{orgId}/policies/templates', owner, query: 'policyTemplates(orgId: $orgId)',
    summary: 'List policy templates' },
  { method: 'POST', path: '/v1/orgs/{orgId}/policies/templates/{templateId}/enable', owner, mutation: 'enablePolicyTemplate(...)',
    summary: 'Enable a template (body: { "parameters": { … } })' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}/policies/templates/{templateId}', owner, mutation: 'disablePolicyTemplate(...)',
    summary: 'Disable a template' },
  { method: 'PATCH', path: '/v1/orgs/{orgId}/policies/{policyId}', owner, body: 'input', mutation: 'updatePolicy(orgId: $orgId, id: $policyId, input: $input)',
    summary: 'Update' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}/policies/{policyId}', owner, mutation: 'deletePolicy(orgId: $orgId, id: $policyId)',
    summary: 'Delete' },
  { method: 'POST', path: '/v1/policies/toggle', owner, body: 'input', mutation: 'togglePolicy(input: $input)',
    summary: 'Toggle a policy active/inactive (body: { "policyId", "enabled"? })' },

  // ---- executions and the organization read side ----------------------------------------------
  { method: 'GET', path: '/v1/orgs/{orgId}/executions', owner, paginated: true, query: 'executions(...)',
    summary: 'List executions (filters: workflowId, status, decision, model, provider, apiKeyId, since, until)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/executions/{executionId}', owner, query: 'execution(orgId: $orgId, id: $executionId)',
    summary: 'One execution' },
  { method: 'GET', path: '/v1/orgs/{orgId}/status', owner, query: 'orgStatus(orgId: $orgId)',
    summary: 'Control-plane poll fallback: budget, rate, plan limits, time to exhaustion' },
  { method: 'GET', path: '/v1/orgs/{orgId}/quota', owner, query: 'usageQuota(...)',
    summary: 'Quota / per-key usage breakdown (since, until; default: this UTC month)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/dashboard', owner, query: 'governanceDashboard(orgId: $orgId)',
    summary: 'Dashboard payload' },
  { method: 'GET', path: '/v1/orgs/{orgId}/dashboard/agent-efficiency', owner, query: 'agentEfficiency(orgId: $orgId, days: $days)',
    summary: 'Per-agent efficiency KPIs (tokens, cost, tasks per 1k tokens), sorted by tasks per 1k tokens (days: 1–365, default 30)' },

  // ---- alerts, channels, notification settings ------------------------------------------------
  { method: 'GET', path: '/v1/orgs/{orgId}/alerts', owner, paginated: true, query: 'alerts(...)',
    summary: 'Active alerts (includeDismissed=true for all)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/alerts/{alertId}/dismiss', owner, mutation: 'dismissAlert(...)',
    summary: 'Dismiss' },
  { method: 'GET', path: '/v1/orgs/{orgId}/alert-channels', owner, query: 'alertChannels(orgId: $orgId)',
    summary: 'Channels' },
  { method: 'POST', path: '/v1/orgs/{orgId}/alert-channels', owner, status: 201, body: 'input', mutation: 'createAlertChannel(orgId: $orgId, input: $input)',
    summary: 'Channels (email address or webhook URL)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/notification-settings', owner, query: 'notificationSettings(orgId: $orgId)',
    summary: 'Per-user settings' },
  { method: 'PATCH', path: '/v1/orgs/{orgId}/notification-settings', owner, body: 'input', mutation: 'updateNotificationSettings(orgId: $orgId, input: $input)',
    summary: 'Per-user settings' },
  // ---- approval gates of pipeline runs (seed 002 /approvals, /runs/:id/approve|deny) -----------------
  { method: 'GET', path: '/v1/approvals', owner, paginated: true, fill: { orgId: 'callerOrg' }, query: 'approvals(...)',
    summary: 'List pending approvals (SDK executions\' and pipeline runs\'; status= for decided ones)' },
  { method: 'POST', path: '/v1/workflow-runs/{id}/approve', owner,
    mutation: 'approveWorkflowRun(runId: $id, note: $note)', summary: 'Approve the run\'s pending approval gate (the run continues)' },
  { method: 'POST', path: '/v1/workflow-runs/{id}/deny', owner,
    mutation: 'denyWorkflowRun(runId: $id, note: $note)', summary: 'Deny the run\'s pending approval gate (the run fails: approval_denied)' },
]);
