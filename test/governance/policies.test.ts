/**
 * Policies through GraphQL: ordering and first-match-wins, every action
 * (allow, deny, require approval, cost cap, rate limits on calls and tokens),
 * matching on workflow / model / provider / API key / tags / metadata,
 * toggling, templates with their built-ins, the approval flow, and the
 * policy.* / policy_template.* / approval.* events.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { createWorkflow, EXECUTE, GATE, gql, gqlErrorCode, type Json, TRACK, WORKFLOW } from './helpers.ts';

let platform: TestPlatform;
let db: pg.Client;

beforeAll(async () => {
  platform = await startTestPlatform();
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await closeAll();
});

const CREATE_POLICY = `mutation($orgId: ID!, $input: CreatePolicyInput!) {
  createPolicy(orgId: $orgId, input: $input) {
    id name priority enabled action maxCostMicros templateId
    match { workflowIds models excludeModels providers apiKeyIds tags metadata minEstimatedCostMicros }
    rateLimit { limit windowSeconds unit per }
  }
}`;

async function fresh(name: string) {
  const user = await platform.signup(name);
  return { user, caller: { token: user.token } };
}

const policy = (user: TestUser, input: Record<string, unknown>) =>
  gql(platform, { token: user.token }, CREATE_POLICY, { orgId: user.orgId, input }).then((d) => d.createPolicy);

const execute = (user: TestUser, input: Record<string, unknown>, token = user.token) =>
  gql(platform, { token }, EXECUTE, { input }).then((d) => d.execute);

describe('policy evaluation', () => {
  it('evaluates in priority order; the first matching policy decides', async () => {
    const { user } = await fresh('Order');
    const wf = await createWorkflow(platform, user, { budgetMicros: 1_000_000 });
    const deny = await policy(user, {
      name: 'deny gpt-4',
      action: 'DENY',
      match: { models: ['gpt-4*'] },
      priority: 20,
    });
    const allow = await policy(user, {
      name: 'allow gpt-4o-mini',
      action: 'ALLOW',
      match: { models: ['gpt-4o-mini'] },
      priority: 10,
    });
    expect(deny).toMatchObject({ action: 'DENY', match: { models: ['gpt-4*'], providers: [] } });

    expect(await execute(user, { workflowId: wf.id, model: 'gpt-4o-mini', estimatedCostMicros: 1 })).toMatchObject({
      allowed: true,
      policyId: allow.id,
    });
    expect(await execute(user, { workflowId: wf.id, model: 'gpt-4-turbo', estimatedCostMicros: 1 })).toMatchObject({
      allowed: false,
      reason: 'policy_denied',
      policyId: deny.id,
    });
    // Swap the order: the deny now comes first and also catches gpt-4o-mini.
    await gql(
      platform,
      { token: user.token },
      'mutation($orgId: ID!, $id: ID!) { updatePolicy(orgId: $orgId, id: $id, input: { priority: 5 }) { priority } }',
      { orgId: user.orgId, id: deny.id },
    );
    expect(await execute(user, { workflowId: wf.id, model: 'gpt-4o-mini', estimatedCostMicros: 1 })).toMatchObject({
      allowed: false,
      policyId: deny.id,
    });
    // Disabled policies are skipped.
    await gql(
      platform,
      { token: user.token },
      'mutation($id: ID!) { togglePolicy(input: { policyId: $id }) { enabled } }',
      { id: deny.id },
    );
    expect(await execute(user, { workflowId: wf.id, model: 'gpt-4o-mini', estimatedCostMicros: 1 })).toMatchObject({
      allowed: true,
    });
    // A denied call reserves nothing; the list shows priority order.
    const listed = await gql(
      platform,
      { token: user.token },
      'query($orgId: ID!) { policies(orgId: $orgId) { items { id priority enabled } nextCursor } }',
      { orgId: user.orgId },
    );
    expect(listed.policies.items).toEqual([
      { id: deny.id, priority: 5, enabled: false },
      { id: allow.id, priority: 10, enabled: true },
    ]);
  });

  it('matches on workflow, provider, API key, tags and metadata', async () => {
    const { user } = await fresh('Matching');
    const a = await createWorkflow(platform, user, { name: 'a' });
    const b = await createWorkflow(platform, user, { name: 'b' });
    const key = await platform.apiKey(user);
    await policy(user, { name: 'wf a', action: 'DENY', match: { workflowIds: [a.id], providers: ['anthropic'] } });
    await policy(user, { name: 'tagged', action: 'DENY', match: { tags: ['experimental', 'batch'] } });
    await policy(user, { name: 'tenant', action: 'DENY', match: { metadata: { tenant: 'acme', tier: 2 } } });
    await policy(user, { name: 'key', action: 'DENY', match: { apiKeyIds: [key.id], models: ['o1'] } });

    const decide = async (input: Record<string, unknown>, token = user.token) =>
      (await execute(user, { estimatedCostMicros: 0, ...input }, token)).allowed;
    expect(await decide({ workflowId: a.id, provider: 'anthropic' })).toBe(false);
    expect(await decide({ workflowId: a.id, provider: 'openai' })).toBe(true);
    expect(await decide({ workflowId: b.id, provider: 'anthropic' })).toBe(true);
    expect(await decide({ workflowId: b.id, tags: ['batch', 'experimental', 'x'] })).toBe(false);
    expect(await decide({ workflowId: b.id, tags: ['batch'] })).toBe(true);
    expect(await decide({ workflowId: b.id, metadata: { tenant: 'acme', tier: 2, extra: true } })).toBe(false);
    expect(await decide({ workflowId: b.id, metadata: { tenant: 'acme', tier: 3 } })).toBe(true);
    expect(await decide({ workflowId: b.id, model: 'o1' })).toBe(true); // session, not the key
    expect(await decide({ workflowId: b.id, model: 'o1' }, key.key)).toBe(false);
    expect(await decide({ workflowId: b.id, model: 'o3' }, key.key)).toBe(true);
  });

  it('caps the cost per call and validates policy input', async () => {
    const { user } = await fresh('Cap');
    const wf = await createWorkflow(platform, user, {});
    const cap = await policy(user, { name: 'cap', action: 'CAP_COST', maxCostMicros: 1_000 });
    expect(await execute(user, { workflowId: wf.id, estimatedCostMicros: 1_000 })).toMatchObject({ allowed: true });
    expect(await execute(user, { workflowId: wf.id, estimatedCostMicros: 1_001 })).toMatchObject({
      allowed: false,
      reason: 'cost_cap_exceeded',
      policyId: cap.id,
    });
    const gate = (
      await gql(platform, { token: user.token }, GATE, { input: { workflowId: wf.id, estimatedCostMicros: 5_000 } })
    ).gate;
    expect(gate).toMatchObject({ allowed: false, reason: 'cost_cap_exceeded' });

    expect(
      await gqlErrorCode(platform, { token: user.token }, CREATE_POLICY, {
        orgId: user.orgId,
        input: { name: 'x', action: 'CAP_COST' },
      }),
    ).toBe('validation_failed');
    expect(
      await gqlErrorCode(platform, { token: user.token }, CREATE_POLICY, {
        orgId: user.orgId,
        input: { name: 'x', action: 'RATE_LIMIT' },
      }),
    ).toBe('validation_failed');
    const viewerKey = await platform.apiKey(user, ['policies:read']);
    expect(
      await gqlErrorCode(platform, { token: viewerKey.key }, CREATE_POLICY, {
        orgId: user.orgId,
        input: { name: 'x', action: 'DENY' },
      }),
    ).toBe('insufficient_scope');
  });

  it('rate-limits calls per window and tokens per window', async () => {
    const { user } = await fresh('Rate');
    const wf = await createWorkflow(platform, user, {});
    const other = await createWorkflow(platform, user, {});
    await policy(user, {
      name: '3 calls per workflow per hour',
      action: 'RATE_LIMIT',
      match: { models: ['gpt-4o'] },
      rateLimit: { limit: 3, windowSeconds: 3600, unit: 'CALLS', per: 'WORKFLOW' },
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => execute(user, { workflowId: wf.id, model: 'gpt-4o', estimatedCostMicros: 1 })),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
    const limited = results.find((r) => !r.allowed);
    expect(limited).toMatchObject({ reason: 'rate_limited' });
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    // Another workflow has its own counter; another model is not limited.
    expect((await execute(user, { workflowId: other.id, model: 'gpt-4o', estimatedCostMicros: 1 })).allowed).toBe(true);
    expect((await execute(user, { workflowId: wf.id, model: 'gpt-4o-mini', estimatedCostMicros: 1 })).allowed).toBe(
      true,
    );

    await policy(user, {
      name: '1000 tokens per org per hour',
      action: 'RATE_LIMIT',
      match: { models: ['claude*'] },
      rateLimit: { limit: 1000, windowSeconds: 3600, unit: 'TOKENS' },
    });
    const first = await execute(user, { workflowId: wf.id, model: 'claude-3', estimatedCostMicros: 1 });
    expect(first.allowed).toBe(true);
    await gql(platform, { token: user.token }, TRACK, {
      input: { executionId: first.executionId, costMicros: 1, inputTokens: 700, outputTokens: 300 },
    });
    expect(await execute(user, { workflowId: wf.id, model: 'claude-3', estimatedCostMicros: 1 })).toMatchObject({
      allowed: false,
      reason: 'rate_limited',
    });
  });
});

describe('templates', () => {
  it('lists the built-ins, enables them with parameters and disables them', async () => {
    const { user, caller } = await fresh('Templates');
    const wf = await createWorkflow(platform, user, {});
    const list = await gql(
      platform,
      caller,
      'query($orgId: ID!) { policyTemplates(orgId: $orgId) { id enabled defaultParameters } }',
      { orgId: user.orgId },
    );
    expect(list.policyTemplates.map((t: Json) => t.id)).toEqual([
      'tpl_model_allowlist',
      'tpl_cost_cap_per_call',
      'tpl_approval_above_amount',
      'tpl_daily_org_budget',
    ]);
    const ENABLE = `mutation($orgId: ID!, $id: ID!, $p: JSON) {
      enablePolicyTemplate(orgId: $orgId, templateId: $id, parameters: $p) { id enabled parameters policyId }
    }`;
    const allowlist = (
      await gql(platform, caller, ENABLE, {
        orgId: user.orgId,
        id: 'tpl_model_allowlist',
        p: { models: ['gpt-4o-mini'] },
      })
    ).enablePolicyTemplate;
    expect(allowlist).toMatchObject({ enabled: true, parameters: { models: ['gpt-4o-mini'] } });
    expect(allowlist.policyId).toMatch(/^pol_/);
    expect((await execute(user, { workflowId: wf.id, model: 'gpt-4o-mini', estimatedCostMicros: 1 })).allowed).toBe(
      true,
    );
    expect(await execute(user, { workflowId: wf.id, model: 'gpt-4o', estimatedCostMicros: 1 })).toMatchObject({
      allowed: false,
      reason: 'policy_denied',
    });
    expect((await execute(user, { workflowId: wf.id, estimatedCostMicros: 1 })).allowed).toBe(false); // unnamed model

    expect(
      await gqlErrorCode(platform, caller, ENABLE, { orgId: user.orgId, id: 'tpl_model_allowlist', p: { models: [] } }),
    ).toBe('validation_failed');
    expect(await gqlErrorCode(platform, caller, ENABLE, { orgId: user.orgId, id: 'tpl_nope' })).toBe('not_found');

    const disabled = (
      await gql(
        platform,
        caller,
        'mutation($orgId: ID!) { disablePolicyTemplate(orgId: $orgId, templateId: "tpl_model_allowlist") { enabled policyId } }',
        { orgId: user.orgId },
      )
    ).disablePolicyTemplate;
    expect(disabled).toEqual({ enabled: false, policyId: null });
    expect((await execute(user, { workflowId: wf.id, model: 'gpt-4o', estimatedCostMicros: 1 })).allowed).toBe(true);

    await gql(platform, caller, ENABLE, { orgId: user.orgId, id: 'tpl_cost_cap_per_call' }); // defaults: 1,000,000
    expect(await execute(user, { workflowId: wf.id, estimatedCostMicros: 1_000_001 })).toMatchObject({
      reason: 'cost_cap_exceeded',
    });

    const events = await db.query(
      `select type from governance.outbox where org_id = $1 and (type like 'policy%') order by occurred_at, id`,
      [user.orgId],
    );
    expect(events.rows.map((r) => r.type)).toEqual([
      'policy_template.enabled',
      'policy_template.disabled',
      'policy_template.enabled',
    ]);
  });

  it('enforces a daily organization budget across workflows, exactly under concurrency', async () => {
    const { user, caller } = await fresh('Daily');
    const a = await createWorkflow(platform, user, { name: 'a' });
    const b = await createWorkflow(platform, user, { name: 'b', budgetMicros: 1_000_000 });
    await gql(
      platform,
      caller,
      'mutation($orgId: ID!) { enablePolicyTemplate(orgId: $orgId, templateId: "tpl_daily_org_budget", parameters: { dailyBudgetMicros: 10000 }) { enabled } }',
      { orgId: user.orgId },
    );
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        execute(user, { workflowId: i % 2 ? a.id : b.id, estimatedCostMicros: 500 }),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
    for (const r of results.filter((r) => !r.allowed)) expect(r.reason).toBe('org_budget_exceeded');
    const status = (
      await gql(
        platform,
        caller,
        'query($orgId: ID!) { orgStatus(orgId: $orgId) { budget { dailyBudgetMicros dailyReservedMicros dailyRemainingMicros } } }',
        { orgId: user.orgId },
      )
    ).orgStatus;
    expect(status.budget).toEqual({ dailyBudgetMicros: 10_000, dailyReservedMicros: 10_000, dailyRemainingMicros: 0 });
    // Settling below the estimate frees room again.
    const granted = results.filter((r) => r.allowed);
    await gql(platform, caller, TRACK, { input: { executionId: granted[0].executionId, costMicros: 100 } });
    expect((await execute(user, { workflowId: a.id, estimatedCostMicros: 400 })).allowed).toBe(true);
    expect((await execute(user, { workflowId: a.id, estimatedCostMicros: 1 })).allowed).toBe(false);
    // The workflow that did not fit keeps its own reservation untouched.
    const wfB = (await gql(platform, caller, WORKFLOW, { id: b.id })).workflow;
    const settledOnB = granted[0].workflowId === b.id ? 1 : 0;
    expect(wfB.reservedMicros).toBe((granted.filter((r) => r.workflowId === b.id).length - settledOnB) * 500);
  });
});

describe('approvals (require approval)', () => {
  it('holds the call, lists it pending, and follows the decision', async () => {
    const { user, caller } = await fresh('Approvals');
    const wf = await createWorkflow(platform, user, { budgetMicros: 100_000_000 });
    await gql(
      platform,
      caller,
      'mutation($orgId: ID!) { enablePolicyTemplate(orgId: $orgId, templateId: "tpl_approval_above_amount", parameters: { thresholdMicros: 5000000 }) { enabled } }',
      { orgId: user.orgId },
    );
    expect((await execute(user, { workflowId: wf.id, estimatedCostMicros: 4_999_999 })).decision).toBe('ALLOW');
    const held = await execute(user, { workflowId: wf.id, estimatedCostMicros: 6_000_000, model: 'o1' });
    expect(held).toMatchObject({
      allowed: false,
      decision: 'REQUIRE_APPROVAL',
      status: 'PENDING_APPROVAL',
      reason: 'approval_required',
      reservedMicros: 6_000_000,
    });
    expect(held.approvalId).toMatch(/^apr_/);
    const gate = (await gql(platform, caller, GATE, { input: { workflowId: wf.id, estimatedCostMicros: 6_000_000 } }))
      .gate;
    expect(gate).toMatchObject({ allowed: true, decision: 'REQUIRE_APPROVAL', reason: 'approval_required' });

    const pending = await gql(
      platform,
      caller,
      'query($orgId: ID!) { approvals(orgId: $orgId) { items { id executionId status amountMicros model execution { status } } } }',
      { orgId: user.orgId },
    );
    expect(pending.approvals.items).toEqual([
      {
        id: held.approvalId,
        executionId: held.executionId,
        status: 'PENDING',
        amountMicros: 6_000_000,
        model: 'o1',
        execution: { status: 'PENDING_APPROVAL' },
      },
    ]);

    // Its call cannot start before the approval.
    expect(
      await gqlErrorCode(platform, caller, 'mutation($id: ID!) { startHeldExecution(id: $id) { id startedAt } }', {
        id: held.executionId,
      }),
    ).toBe('conflict');

    const approved = (
      await gql(
        platform,
        caller,
        'mutation($id: ID!) { approveApproval(id: $id, note: "ok") { status decidedBy note } }',
        {
          id: held.approvalId,
        },
      )
    ).approveApproval;
    expect(approved).toEqual({ status: 'APPROVED', decidedBy: user.userId, note: 'ok' });
    const execution = (
      await gql(platform, caller, 'query($id: ID!) { execution(id: $id) { decision status reason } }', {
        id: held.executionId,
      })
    ).execution;
    expect(execution).toEqual({ decision: 'ALLOW', status: 'RESERVED', reason: null });
    expect(
      await gqlErrorCode(platform, caller, 'mutation($id: ID!) { denyApproval(id: $id) { status } }', {
        id: held.approvalId,
      }),
    ).toBe('conflict');
    // Approved, its call starts once: a second start (a second resume of the held call) is refused.
    const started = (
      await gql(platform, caller, 'mutation($id: ID!) { startHeldExecution(id: $id) { id startedAt } }', {
        id: held.executionId,
      })
    ).startHeldExecution;
    expect(started.id).toBe(held.executionId);
    expect(Date.parse(started.startedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(
      await gqlErrorCode(platform, caller, 'mutation($id: ID!) { startHeldExecution(id: $id) { id startedAt } }', {
        id: held.executionId,
      }),
    ).toBe('conflict');

    // A denied approval denies the execution and returns its reservation.
    const second = await execute(user, { workflowId: wf.id, estimatedCostMicros: 7_000_000 });
    const before = (await gql(platform, caller, WORKFLOW, { id: wf.id })).workflow.reservedMicros;
    const denied = (
      await gql(platform, caller, 'mutation($id: ID!) { denyApproval(id: $id) { status } }', { id: second.approvalId })
    ).denyApproval;
    expect(denied.status).toBe('DENIED');
    const after = (await gql(platform, caller, WORKFLOW, { id: wf.id })).workflow.reservedMicros;
    expect(before - after).toBe(7_000_000);
    const deniedExecution = (
      await gql(platform, caller, 'query($id: ID!) { execution(id: $id) { decision status reason } }', {
        id: second.executionId,
      })
    ).execution;
    expect(deniedExecution).toEqual({ decision: 'DENY', status: 'DENIED', reason: 'approval_denied' });

    const events = await db.query(
      `select type, data from governance.outbox where org_id = $1 and type like 'approval.%' order by occurred_at, id`,
      [user.orgId],
    );
    expect(events.rows.map((r) => r.type)).toEqual([
      'approval.requested',
      'approval.approved',
      'approval.requested',
      'approval.denied',
    ]);
    expect(events.rows[1].data).toMatchObject({ executionId: held.executionId, decision: 'allow', status: 'approved' });

    // Members cannot decide (admin and up).
    const outsider = await platform.signup('Outsider');
    expect(
      await gqlErrorCode(
        platform,
        { token: outsider.token },
        'mutation($id: ID!) { approveApproval(id: $id) { status } }',
        {
          id: second.approvalId,
        },
      ),
    ).toBe('not_found');
    // Another organization's held execution is not there to start.
    expect(
      await gqlErrorCode(
        platform,
        { token: outsider.token },
        'mutation($id: ID!) { startHeldExecution(id: $id) { id startedAt } }',
        { id: second.executionId },
      ),
    ).toBe('not_found');
    expect(
      await gqlErrorCode(platform, caller, 'mutation($id: ID!) { startHeldExecution(id: $id) { id startedAt } }', {
        id: second.executionId,
      }),
    ).toBe('conflict');
  });
});

describe('policy change events', () => {
  it('emits policy.created, updated, toggled and deleted', async () => {
    const { user, caller } = await fresh('Policy events');
    const p = await policy(user, { name: 'p', action: 'ALLOW' });
    await gql(
      platform,
      caller,
      'mutation($o: ID!, $id: ID!) { updatePolicy(orgId: $o, id: $id, input: { name: "q" }) { name } }',
      {
        o: user.orgId,
        id: p.id,
      },
    );
    await gql(
      platform,
      caller,
      'mutation($id: ID!) { togglePolicy(input: { policyId: $id, enabled: false }) { enabled } }',
      {
        id: p.id,
      },
    );
    await gql(platform, caller, 'mutation($o: ID!, $id: ID!) { deletePolicy(orgId: $o, id: $id) { deleted } }', {
      o: user.orgId,
      id: p.id,
    });
    const events = await db.query(
      `select type, subject_type, subject_id from governance.outbox where org_id = $1 and type like 'policy.%' order by occurred_at, id`,
      [user.orgId],
    );
    expect(events.rows).toEqual(
      ['policy.created', 'policy.updated', 'policy.toggled', 'policy.deleted'].map((type) => ({
        type,
        subject_type: 'policy',
        subject_id: p.id,
      })),
    );
  });
});
