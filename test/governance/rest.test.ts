/**
 * The governance REST surface through the integrator's adapter, with request
 * signatures computed here exactly as an SDK (or curl + openssl) would:
 * the acceptance loop gate → execute → track → status, kill with a connected
 * controlPlane subscriber, then the next gate denied; workflow-bound keys
 * (X-Workflow-Id); the signed SDK routes. (The route contract is test/route-contract.test.ts.)
 */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { routes } from '../../rest-adapter/routes/index.ts';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { gql, type Json, signedHeaders, signedRest } from './helpers.ts';

let platform: TestPlatform;
let user: TestUser;
let key: { id: string; key: string; signingSecret: string };

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_HMAC_REQUIRED: 'true' });
  user = await platform.signup('REST Org');
  key = await platform.apiKey(user);
});
afterAll(closeAll);

/** Records controlPlane messages for an org over graphql-ws (a dashboard session: HMAC is required for keys here). */
function subscribeControlPlane(token: string, orgId: string) {
  const messages: Json[] = [];
  const errors: unknown[] = [];
  const client = createClient({
    url: `${platform.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const dispose = client.subscribe(
    {
      query: `subscription($orgId: ID!) {
        controlPlane(orgId: $orgId) {
          kind
          ... on StateChange { action status previousStatus workflowId }
        }
      }`,
      variables: { orgId },
    },
    { next: (m) => messages.push(m), error: (e) => errors.push(e), complete: () => undefined },
  );
  return {
    messages,
    errors,
    async close() {
      dispose();
      await client.dispose();
    },
  };
}

describe('REST with HMAC signatures (SDK acceptance loop)', () => {
  it('gate → execute → track settles; status shows the spend; kill is pushed and the next gate is denied', async () => {
    const created = await signedRest(platform, key, 'POST', `/v1/orgs/${user.orgId}/workflows`, {
      name: 'sdk-agent',
      budgetMicros: 5_000_000,
      budgetPeriod: 'DAILY',
    });
    expect(created.status).toBe(201);
    expect(created.body.error).toBeNull();
    const workflowId = created.body.data.id as string;
    expect(created.body.data).toMatchObject({ status: 'active', budgetPeriod: 'daily', spentMicros: 0 });

    const lookup = await signedRest(platform, key, 'GET', `/v1/orgs/${user.orgId}/workflows/${workflowId}`);
    expect(lookup.status).toBe(200);
    expect(lookup.body.data).toMatchObject({ id: workflowId, name: 'sdk-agent', remainingMicros: 5_000_000 });

    const gate = await signedRest(platform, key, 'POST', '/v1/gate', { workflowId, estimatedCostMicros: 400_000 });
    expect(gate.status).toBe(200);
    expect(gate.body.data).toMatchObject({ allowed: true, decision: 'allow', remainingMicros: 5_000_000 });

    const exec = await signedRest(platform, key, 'POST', '/v1/execute', {
      workflowId,
      model: 'gpt-4o-mini',
      provider: 'openai',
      estimatedCostMicros: 400_000,
    });
    expect(exec.status).toBe(200);
    expect(exec.body.data).toMatchObject({ allowed: true, status: 'reserved', reservedMicros: 400_000 });
    const executionId = exec.body.data.executionId as string;

    const track = await signedRest(platform, key, 'POST', '/v1/track', {
      eventId: 'sdk-evt-1',
      executionId,
      costMicros: 321_000,
      inputTokens: 1000,
      outputTokens: 200,
      latencyMs: 812,
    });
    expect(track.status).toBe(200);
    expect(track.body.data).toMatchObject({ recorded: true, settled: true, spentMicros: 321_000 });

    const status = await signedRest(platform, key, 'GET', `/v1/orgs/${user.orgId}/status`);
    expect(status.status).toBe(200);
    expect(status.body.data.budget).toMatchObject({
      workflowBudgetMicros: 5_000_000,
      workflowSpentMicros: 321_000,
      workflowReservedMicros: 0,
      workflowRemainingMicros: 4_679_000,
    });
    expect(status.body.data.rate.spendInWindowMicros).toBe(321_000);
    expect(status.body.data.timeToExhaustionSeconds).toBeGreaterThan(0);

    const execution = await signedRest(platform, key, 'GET', `/v1/orgs/${user.orgId}/executions/${executionId}`);
    expect(execution.body.data).toMatchObject({ status: 'settled', actualCostMicros: 321_000, apiKeyId: key.id });

    // A connected control-plane subscriber sees the kill; the next gate is denied.
    const subscriber = subscribeControlPlane(user.token, user.orgId);
    try {
      await eventually(() => subscriber.messages.length + subscriber.errors.length >= 1, 10_000);
      expect(subscriber.errors).toEqual([]);
      expect(subscriber.messages[0].data.controlPlane.kind).toBe('InitialState');

      const killed = await signedRest(platform, key, 'POST', `/v1/orgs/${user.orgId}/workflows/${workflowId}/kill`, {
        reason: 'runaway loop',
      });
      expect(killed.status).toBe(200);
      expect(killed.body.data).toMatchObject({ status: 'killed', statusReason: 'runaway loop' });

      const pushed = await eventually(() => {
        const changes = subscriber.messages.map((m) => m.data?.controlPlane).filter((m) => m?.kind === 'StateChange');
        return changes.some((c) => c.action === 'killed') ? changes : undefined;
      }, 10_000);
      expect(pushed.find((c) => c.action === 'killed')).toMatchObject({
        status: 'killed',
        previousStatus: 'active',
        workflowId,
      });
    } finally {
      await subscriber.close();
    }

    const denied = await signedRest(platform, key, 'POST', '/v1/gate', { workflowId });
    expect(denied.status).toBe(200);
    expect(denied.body.data).toMatchObject({ allowed: false, decision: 'deny', reason: 'workflow_killed' });
    const resume = await signedRest(platform, key, 'POST', `/v1/orgs/${user.orgId}/workflows/${workflowId}/resume`);
    expect(resume.status).toBe(409);
    expect(resume.body.error.code).toBe('conflict');
  });

  it('refuses unsigned, stale and tampered SDK requests when HMAC is required', async () => {
    const body = JSON.stringify({ orgId: user.orgId });
    const unsigned = await platform.rest('POST', '/v1/gate', {
      headers: { 'x-api-key': key.key, 'content-type': 'application/json' },
      rawBody: body,
    });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.code).toBe('invalid_signature');
    const stale = await platform.rest('POST', '/v1/gate', {
      headers: signedHeaders(key, body, {}, Math.floor(Date.now() / 1000) - 3600),
      rawBody: body,
    });
    expect(stale.status).toBe(401);
    const tampered = await platform.rest('POST', '/v1/gate', {
      headers: signedHeaders(key, body),
      rawBody: JSON.stringify({ orgId: user.orgId, estimatedCostMicros: 1 }),
    });
    expect(tampered.status).toBe(401);
  });

  it('binds calls to the workflow of an X-Workflow-Id key', async () => {
    const wf = (
      await gql(
        platform,
        { token: user.token },
        'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "bound", budgetMicros: 1000 }) { id } }',
        { orgId: user.orgId },
      )
    ).createWorkflow.id as string;
    const other = (
      await gql(
        platform,
        { token: user.token },
        'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "other", budgetMicros: 1000 }) { id } }',
        { orgId: user.orgId },
      )
    ).createWorkflow.id as string;
    const created = await platform.graphql(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key signingSecret apiKey { id } } }',
      { input: { orgId: user.orgId, name: 'bound key', workflowId: wf } },
      { token: user.token },
    );
    expect(created.body.errors).toBeUndefined();
    const bound = {
      key: created.body.data.createApiKey.key,
      signingSecret: created.body.data.createApiKey.signingSecret,
    };

    // No workflowId in the body: the key's binding supplies it.
    const exec = await signedRest(
      platform,
      bound,
      'POST',
      '/v1/execute',
      { estimatedCostMicros: 600 },
      { 'x-workflow-id': wf },
    );
    expect(exec.status).toBe(200);
    expect(exec.body.data).toMatchObject({ allowed: true, workflowId: wf });
    const second = await signedRest(platform, bound, 'POST', '/v1/execute', { estimatedCostMicros: 600 });
    expect(second.body.data).toMatchObject({ allowed: false, reason: 'budget_exceeded', workflowId: wf });

    const elsewhere = await signedRest(platform, bound, 'POST', '/v1/execute', {
      workflowId: other,
      estimatedCostMicros: 1,
    });
    expect(elsewhere.status).toBe(403);
    const wrongHeader = await signedRest(platform, bound, 'POST', '/v1/gate', {}, { 'x-workflow-id': other });
    expect(wrongHeader.status).toBe(403);
  });

  it('batches track events with per-item results, idempotent by event id', async () => {
    const wf = (
      await signedRest(platform, key, 'POST', `/v1/orgs/${user.orgId}/workflows`, {
        name: 'batch',
        budgetMicros: 10_000_000,
      })
    ).body.data.id;
    const events = [
      { eventId: 'b-1', workflowId: wf, costMicros: 100 },
      { eventId: 'b-2', workflowId: wf, costMicros: 200 },
      { eventId: 'b-1', workflowId: wf, costMicros: 100 },
      { eventId: 'b-3', workflowId: wf, costMicros: -5 },
      { eventId: 'b-4', executionId: 'exe_unknown', costMicros: 1 },
    ];
    const batch = await signedRest(platform, key, 'POST', '/v1/track/batch', { events });
    expect(batch.status).toBe(200);
    expect(batch.body.data).toMatchObject({ recorded: 2, duplicates: 1, failed: 2 });
    const results = batch.body.data.results;
    expect(results.map((r: Json) => [r.index, r.ok])).toEqual([
      [0, true],
      [1, true],
      [2, true],
      [3, false],
      [4, false],
    ]);
    expect(results[3].error).toMatchObject({ code: 'validation_failed', field: 'input.events.3.costMicros' });
    expect(results[4].error.code).toBe('not_found');
    const again = await signedRest(platform, key, 'POST', '/v1/track/batch', { events: events.slice(0, 2) });
    expect(again.body.data).toMatchObject({ recorded: 0, duplicates: 2, failed: 0 });
    const wfRead = await signedRest(platform, key, 'GET', `/v1/orgs/${user.orgId}/workflows/${wf}`);
    expect(wfRead.body.data.spentMicros).toBe(300);

    const tooMany = await signedRest(platform, key, 'POST', '/v1/track/batch', {
      events: Array.from({ length: 101 }, (_, i) => ({ eventId: `x-${i}`, workflowId: wf, costMicros: 1 })),
    });
    expect(tooMany.status).toBe(422);
  });

  it('answers the legacy check as advisory', async () => {
    const check = await signedRest(platform, key, 'POST', '/v1/check', { orgId: user.orgId, estimatedCostMicros: 5 });
    expect(check.status).toBe(200);
    expect(check.body.data).toMatchObject({ allowed: true, advisory: true, decision: 'allow' });
  });

  it('accepts HMAC signatures on exactly the SDK routes', () => {
    const signed = routes.filter((r) => r.owner === 'governance' && r.signed).map((r) => r.path);
    expect(signed.sort()).toEqual(['/v1/check', '/v1/execute', '/v1/gate', '/v1/track', '/v1/track/batch']);
  });
});

describe('REST read side and management routes', () => {
  it('manages policies, templates, toggles, alerts, channels and settings through REST', async () => {
    const base = `/v1/orgs/${user.orgId}`;
    const auth = { authorization: `Bearer ${user.token}` };
    const call = (method: string, path: string, body?: unknown) =>
      platform.rest(method, path, { headers: auth, ...(body === undefined ? {} : { body }) });

    const created = await call('POST', `${base}/policies`, {
      name: 'no llama',
      action: 'DENY',
      match: { models: ['llama*'] },
    });
    expect(created.status).toBe(201);
    const policyId = created.body.data.id;
    const list = await call('GET', `${base}/policies?limit=10`);
    expect(list.status).toBe(200);
    expect(list.body.data.items.map((p: Json) => p.id)).toContain(policyId);
    const patched = await call('PATCH', `${base}/policies/${policyId}`, { priority: 5, description: 'llamas' });
    expect(patched.body.data).toMatchObject({ priority: 5, description: 'llamas', action: 'deny' });
    const toggled = await call('POST', '/v1/policies/toggle', { policyId });
    expect(toggled.body.data.enabled).toBe(false);

    const templates = await call('GET', `${base}/policies/templates`);
    expect(templates.body.data.map((t: Json) => t.id)).toEqual(
      expect.arrayContaining([
        'tpl_model_allowlist',
        'tpl_cost_cap_per_call',
        'tpl_daily_org_budget',
        'tpl_approval_above_amount',
      ]),
    );
    const enabled = await call('POST', `${base}/policies/templates/tpl_cost_cap_per_call/enable`, {
      parameters: { maxCostMicros: 50 },
    });
    expect(enabled.status).toBe(200);
    expect(enabled.body.data).toMatchObject({ enabled: true, parameters: { maxCostMicros: 50 } });
    const disabled = await call('DELETE', `${base}/policies/templates/tpl_cost_cap_per_call`);
    expect(disabled.body.data.enabled).toBe(false);
    const removed = await call('DELETE', `${base}/policies/${policyId}`);
    expect(removed.body.data).toEqual({ id: policyId, deleted: true });
    expect((await call('DELETE', `${base}/policies/${policyId}`)).status).toBe(404);

    const channel = await call('POST', `${base}/alert-channels`, { kind: 'EMAIL', target: 'Ops@Example.com' });
    expect(channel.status).toBe(201);
    expect(channel.body.data).toMatchObject({ kind: 'email', target: 'ops@example.com', enabled: true });
    const badChannel = await call('POST', `${base}/alert-channels`, { kind: 'WEBHOOK', target: 'ftp://nope' });
    expect(badChannel.status).toBe(422);
    expect((await call('GET', `${base}/alert-channels`)).body.data).toHaveLength(1);

    const settings = await call('PATCH', `${base}/notification-settings`, { emailEnabled: false, digest: 'DAILY' });
    expect(settings.body.data).toMatchObject({ emailEnabled: false, digest: 'daily', userId: user.userId });
    expect((await call('GET', `${base}/notification-settings`)).body.data).toMatchObject({ emailEnabled: false });

    expect((await call('GET', `${base}/alerts`)).body.data).toMatchObject({ items: [] });
    expect((await call('POST', `${base}/alerts/alr_missing/dismiss`)).status).toBe(404);
    const executions = await call('GET', `${base}/executions?status=SETTLED&limit=5`);
    expect(executions.status).toBe(200);
    const quota = await call('GET', `${base}/quota`);
    expect(quota.status).toBe(200);
    expect(quota.body.data.keys.some((k: Json) => k.apiKeyId === key.id)).toBe(true);
    const dashboard = await call('GET', `${base}/dashboard`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.data.spendByDay).toHaveLength(30);
    const workflows = await call('GET', `${base}/workflows?limit=1`);
    expect(workflows.body.data.items).toHaveLength(1);
    expect(workflows.body.data.nextCursor).toBeTruthy();

    const mallory = await platform.signup('Mallory REST');
    const foreign = await platform.rest('GET', `${base}/workflows`, {
      headers: { authorization: `Bearer ${mallory.token}` },
    });
    expect(foreign.status).toBe(403);
  });
});
