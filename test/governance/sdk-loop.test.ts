/**
 * The SDK loop through GraphQL: gate → execute (reserve) → track (settle) →
 * status shows the spend; pause / resume / kill and the denials they cause;
 * idempotent track; the workflow.* events written to the outbox.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { createWorkflow, EXECUTE, GATE, gql, gqlErrorCode, TRACK, WORKFLOW } from './helpers.ts';

let platform: TestPlatform;
let user: TestUser;
let db: pg.Client;

beforeAll(async () => {
  platform = await startTestPlatform();
  user = await platform.signup('Governance Loop');
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await closeAll();
});

describe('the SDK loop', () => {
  it('gates, reserves, settles and shows the spend', async () => {
    const caller = { token: user.token };
    const wf = await createWorkflow(platform, user, { name: 'loop', budgetMicros: 10_000_000 });
    expect(wf.status).toBe('ACTIVE');

    const gate = (await gql(platform, caller, GATE, { input: { workflowId: wf.id, estimatedCostMicros: 1_000_000 } }))
      .gate;
    expect(gate).toMatchObject({ allowed: true, decision: 'ALLOW', reason: null, remainingMicros: 10_000_000 });

    const exec = (
      await gql(platform, caller, EXECUTE, {
        input: { workflowId: wf.id, model: 'gpt-4o-mini', provider: 'openai', estimatedCostMicros: 1_000_000 },
      })
    ).execute;
    expect(exec).toMatchObject({
      allowed: true,
      decision: 'ALLOW',
      status: 'RESERVED',
      reservedMicros: 1_000_000,
      remainingMicros: 9_000_000,
    });
    expect(exec.executionId).toMatch(/^exe_/);
    expect(new Date(exec.expiresAt).getTime()).toBeGreaterThan(Date.now());

    let workflow = (await gql(platform, caller, WORKFLOW, { id: wf.id })).workflow;
    expect(workflow).toMatchObject({ spentMicros: 0, reservedMicros: 1_000_000, remainingMicros: 9_000_000 });

    const track = (
      await gql(platform, caller, TRACK, {
        input: {
          eventId: 'evt-loop-1',
          executionId: exec.executionId,
          costMicros: 700_000,
          inputTokens: 120,
          outputTokens: 80,
          latencyMs: 950,
        },
      })
    ).track;
    expect(track).toMatchObject({
      eventId: 'evt-loop-1',
      recorded: true,
      duplicate: false,
      settled: true,
      workflowId: wf.id,
      spentMicros: 700_000,
      remainingMicros: 9_300_000,
    });

    // A retried event is counted once.
    const retry = (
      await gql(platform, caller, TRACK, {
        input: { eventId: 'evt-loop-1', executionId: exec.executionId, costMicros: 700_000 },
      })
    ).track;
    expect(retry).toMatchObject({ recorded: false, duplicate: true, settled: false });

    workflow = (await gql(platform, caller, WORKFLOW, { id: wf.id })).workflow;
    expect(workflow).toMatchObject({ spentMicros: 700_000, reservedMicros: 0, remainingMicros: 9_300_000 });

    const execution = (
      await gql(
        platform,
        caller,
        `query($id: ID!) { execution(id: $id) { status decision actualCostMicros inputTokens outputTokens latencyMs } }`,
        { id: exec.executionId },
      )
    ).execution;
    expect(execution).toEqual({
      status: 'SETTLED',
      decision: 'ALLOW',
      actualCostMicros: 700_000,
      inputTokens: 120,
      outputTokens: 80,
      latencyMs: 950,
    });

    const status = (
      await gql(
        platform,
        caller,
        `query($orgId: ID!) { orgStatus(orgId: $orgId) {
          budget { workflowBudgetMicros workflowSpentMicros workflowRemainingMicros totalSpentMicros }
          rate { trackedEventsInWindow spendInWindowMicros callsInWindow }
          workflows { active paused killed }
        } }`,
        { orgId: user.orgId },
      )
    ).orgStatus;
    expect(status.budget).toMatchObject({ workflowBudgetMicros: 10_000_000, workflowSpentMicros: 700_000 });
    expect(status.rate).toMatchObject({ trackedEventsInWindow: 1, spendInWindowMicros: 700_000, callsInWindow: 1 });
  });

  it('records spend without an execution', async () => {
    const caller = { token: user.token };
    const wf = await createWorkflow(platform, user, { name: 'untracked', budgetMicros: 5_000_000 });
    const track = (await gql(platform, caller, TRACK, { input: { workflowId: wf.id, costMicros: 250_000 } })).track;
    expect(track).toMatchObject({ recorded: true, settled: false, executionId: null, spentMicros: 250_000 });
    expect(track.eventId).toBeTruthy();
    const orgLevel = (await gql(platform, caller, TRACK, { input: { orgId: user.orgId, costMicros: 10 } })).track;
    expect(orgLevel).toMatchObject({ recorded: true, workflowId: null, spentMicros: null });
  });

  it('denies paused and killed workflows with machine-readable reasons; kill is terminal', async () => {
    const caller = { token: user.token };
    const wf = await createWorkflow(platform, user, { name: 'switch', budgetMicros: 1_000_000 });
    const paused = (
      await gql(
        platform,
        caller,
        `mutation($id: ID!) { pauseWorkflow(id: $id, reason: "investigating") { status statusReason } }`,
        {
          id: wf.id,
        },
      )
    ).pauseWorkflow;
    expect(paused).toEqual({ status: 'PAUSED', statusReason: 'investigating' });

    const gate = (await gql(platform, caller, GATE, { input: { workflowId: wf.id } })).gate;
    expect(gate).toMatchObject({
      allowed: false,
      decision: 'DENY',
      reason: 'workflow_paused',
      workflowStatus: 'PAUSED',
    });
    const exec = (await gql(platform, caller, EXECUTE, { input: { workflowId: wf.id, estimatedCostMicros: 1 } }))
      .execute;
    expect(exec).toMatchObject({
      allowed: false,
      decision: 'DENY',
      status: 'DENIED',
      reason: 'workflow_paused',
      reservedMicros: 0,
    });

    const resumed = (
      await gql(platform, caller, `mutation($id: ID!) { resumeWorkflow(id: $id) { status } }`, { id: wf.id })
    ).resumeWorkflow;
    expect(resumed.status).toBe('ACTIVE');
    expect((await gql(platform, caller, GATE, { input: { workflowId: wf.id } })).gate.allowed).toBe(true);

    const killed = (
      await gql(platform, caller, `mutation($id: ID!) { killWorkflow(id: $id, reason: "runaway") { status } }`, {
        id: wf.id,
      })
    ).killWorkflow;
    expect(killed.status).toBe('KILLED');
    const denied = (await gql(platform, caller, GATE, { input: { workflowId: wf.id } })).gate;
    expect(denied).toMatchObject({ allowed: false, reason: 'workflow_killed' });
    expect(
      await gqlErrorCode(platform, caller, `mutation($id: ID!) { resumeWorkflow(id: $id) { status } }`, { id: wf.id }),
    ).toBe('conflict');
    expect(
      await gqlErrorCode(platform, caller, `mutation($id: ID!) { pauseWorkflow(id: $id) { status } }`, { id: wf.id }),
    ).toBe('conflict');

    // The workflow's own lifecycle events; the kill's alert (`notification.requested`, same subject) is
    // written by a consumer of `workflow.killed` whenever the event pipeline gets to it.
    const events = await db.query(
      `select type, data from governance.outbox where subject_id = $1 and type like 'workflow.%' order by occurred_at, id`,
      [wf.id],
    );
    expect(events.rows.map((r) => r.type)).toEqual([
      'workflow.created',
      'workflow.paused',
      'workflow.resumed',
      'workflow.killed',
    ]);
    expect(events.rows[3].data).toMatchObject({
      workflowId: wf.id,
      name: 'switch',
      status: 'killed',
      previousStatus: 'active',
      budgetMicros: 1_000_000,
      spentMicros: 0,
    });
  });

  it('denies calls the budget cannot cover and zero-cost calls once nothing is left', async () => {
    const caller = { token: user.token };
    const wf = await createWorkflow(platform, user, { name: 'small', budgetMicros: 100 });
    const over = (await gql(platform, caller, EXECUTE, { input: { workflowId: wf.id, estimatedCostMicros: 101 } }))
      .execute;
    expect(over).toMatchObject({ allowed: false, reason: 'budget_exceeded', remainingMicros: 100 });
    const exact = (await gql(platform, caller, EXECUTE, { input: { workflowId: wf.id, estimatedCostMicros: 100 } }))
      .execute;
    expect(exact).toMatchObject({ allowed: true, remainingMicros: 0 });
    const zero = (await gql(platform, caller, EXECUTE, { input: { workflowId: wf.id, estimatedCostMicros: 0 } }))
      .execute;
    expect(zero).toMatchObject({ allowed: false, reason: 'budget_exceeded' });
    const gate = (await gql(platform, caller, GATE, { input: { workflowId: wf.id } })).gate;
    expect(gate).toMatchObject({ allowed: false, reason: 'budget_exceeded', remainingMicros: 0 });
  });

  it('validates input and hides other organizations', async () => {
    const caller = { token: user.token };
    const wf = await createWorkflow(platform, user, { name: 'mine', budgetMicros: 100 });
    expect(
      await gqlErrorCode(platform, caller, EXECUTE, { input: { workflowId: wf.id, estimatedCostMicros: -1 } }),
    ).toBe('validation_failed');
    const mallory = await platform.signup('Mallory');
    expect(await gqlErrorCode(platform, { token: mallory.token }, GATE, { input: { workflowId: wf.id } })).toBe(
      'not_found',
    );
    expect(
      await gqlErrorCode(platform, { token: mallory.token }, GATE, { input: { workflowId: wf.id, orgId: user.orgId } }),
    ).toBe('org_mismatch');
    const other = await gql(platform, { token: mallory.token }, WORKFLOW, { id: wf.id }).catch((e) => e.errors);
    expect(other[0].extensions.code).toBe('not_found');
    expect(
      await gqlErrorCode(platform, caller, TRACK, {
        input: { executionId: 'exe_missing', orgId: user.orgId, costMicros: 1 },
      }),
    ).toBe('not_found');
  });
});
