/**
 * Seed 000 (agent governance SDK): `init()` → verify, then the signed SDK
 * calls with `X-Workflow-Id`, the SDK's reads, and the dashboard's workflow
 * controls. Paths are the seed's `/api/v1/…` on `/v1`. The control-plane
 * WebSocket (`/ws/control/{org_id}`) and register's API key + secret are
 * helper B's (issue #9 items 3, 4): add their examples here when they land.
 */
import type { SeedExample } from './examples.ts';

export const seed000: SeedExample[] = [
  {
    name: 'init(): verify the API key, get its HMAC secret_key',
    method: 'POST',
    path: '/v1/auth/verify',
    as: 'apiKeyHeader',
    expect: { status: 200, fields: ['valid', 'secret_key'], values: { valid: true, secret_key: '{signingSecret}' } },
  },
  {
    name: 'gate: binary budget pre-flight, bound to a workflow by X-Workflow-Id',
    method: 'POST',
    path: '/v1/gate',
    as: 'signed',
    headers: { 'X-Workflow-Id': '{workflowId}' },
    body: { model: 'gpt-4o', estimatedCostMicros: 20000 },
    expect: { status: 200, values: { allowed: true, decision: 'allow', workflowId: '{workflowId}' } },
  },
  {
    name: 'execute: policy evaluation + budget reservation',
    method: 'POST',
    path: '/v1/execute',
    as: 'signed',
    headers: { 'X-Workflow-Id': '{workflowId}' },
    body: { model: 'gpt-4o', estimatedCostMicros: 20000 },
    expect: { status: 200, fields: ['executionId', 'reservedMicros'], values: { allowed: true, status: 'reserved' } },
    save: { executionId: 'executionId' },
  },
  {
    name: 'track: a single cost / token / latency event',
    method: 'POST',
    path: '/v1/track',
    as: 'signed',
    headers: { 'X-Workflow-Id': '{workflowId}' },
    body: { executionId: '{executionId}', costMicros: 18000, inputTokens: 900, outputTokens: 300, latencyMs: 850 },
    expect: { status: 200, values: { recorded: true, settled: true, executionId: '{executionId}' } },
  },
  {
    name: 'track/batch: a bare array of events',
    method: 'POST',
    path: '/v1/track/batch',
    as: 'signed',
    headers: { 'X-Workflow-Id': '{workflowId}' },
    body: [
      { eventId: 'evt-{run}-1', model: 'gpt-4o-mini', costMicros: 120, inputTokens: 40, outputTokens: 10 },
      { eventId: 'evt-{run}-2', model: 'gpt-4o-mini', costMicros: 80, inputTokens: 30, outputTokens: 5 },
    ],
    expect: { status: 200, values: { recorded: 2, duplicates: 0, failed: 0 } },
  },
  {
    name: 'track/batch: the same events again are counted once',
    method: 'POST',
    path: '/v1/track/batch',
    as: 'signed',
    headers: { 'X-Workflow-Id': '{workflowId}' },
    body: {
      events: [
        { eventId: 'evt-{run}-1', model: 'gpt-4o-mini', costMicros: 120 },
        { eventId: 'evt-{run}-2', model: 'gpt-4o-mini', costMicros: 80 },
      ],
    },
    expect: { status: 200, values: { recorded: 0, duplicates: 2 } },
  },
  {
    name: 'check: legacy advisory pre-flight',
    method: 'POST',
    path: '/v1/check',
    as: 'signed',
    headers: { 'X-Workflow-Id': '{workflowId}' },
    body: { estimatedCostMicros: 5 },
    expect: { status: 200, values: { allowed: true, advisory: true } },
  },
  {
    name: 'SDK policy fetch',
    method: 'GET',
    path: '/v1/orgs/{orgId}/policies',
    as: 'signed',
    expect: { status: 200, fields: ['items'] },
  },
  {
    name: 'SDK workflow lookup on first gate',
    method: 'GET',
    path: '/v1/orgs/{orgId}/workflows/{workflowId}',
    as: 'signed',
    expect: { status: 200, values: { id: '{workflowId}', status: 'active' }, fields: ['budgetMicros', 'spentMicros'] },
  },
  {
    name: 'control-plane poll fallback: status',
    method: 'GET',
    path: '/v1/orgs/{orgId}/status',
    as: 'signed',
    expect: { status: 200, fields: ['budget', 'rate', 'limits', 'workflows', 'generatedAt'] },
  },
  {
    name: 'an org in the URL other than the key’s is 403',
    method: 'GET',
    path: '/v1/orgs/{otherOrgId}/status',
    as: 'signed',
    expect: { status: 403, error: 'org_mismatch' },
  },
  {
    name: 'dashboard: pause a workflow',
    method: 'POST',
    path: '/v1/orgs/{orgId}/workflows/{workflowId}/pause',
    as: 'session',
    expect: { status: 200, values: { status: 'paused' } },
  },
  {
    name: 'dashboard: resume it',
    method: 'POST',
    path: '/v1/orgs/{orgId}/workflows/{workflowId}/resume',
    as: 'session',
    expect: { status: 200, values: { status: 'active' } },
  },
  {
    name: 'dashboard: list executions',
    method: 'GET',
    path: '/v1/orgs/{orgId}/executions?status=settled',
    as: 'session',
    expect: { status: 200, values: { 'items.0.id': '{executionId}', 'items.0.status': 'settled' } },
  },
  {
    name: 'dashboard: kill a workflow; the next gate is denied',
    method: 'POST',
    path: '/v1/orgs/{orgId}/workflows/{workflowId}/kill',
    as: 'session',
    expect: { status: 200, values: { status: 'killed' } },
  },
  {
    name: 'gate after a kill',
    method: 'POST',
    path: '/v1/gate',
    as: 'signed',
    headers: { 'X-Workflow-Id': '{workflowId}' },
    body: {},
    expect: { status: 200, values: { allowed: false, decision: 'deny', reason: 'workflow_killed' } },
  },
];
