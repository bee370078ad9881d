/**
 * Correctness under concurrency, end to end through the gateway (GraphQL):
 * - 500 concurrent execute calls against a budget with room for 100 grant exactly 100;
 * - reservations never settled expire (sweeper worker) and return their budget;
 * - retried track events are counted once, even when the retries race;
 * - a track without an event id settles its execution once, however often it is retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { createWorkflow, EXECUTE, gql, TRACK, WORKFLOW } from './helpers.ts';

let platform: TestPlatform;
let user: TestUser;

beforeAll(async () => {
  // A fast sweeper so expiry is observable within the test.
  platform = await startTestPlatform({ TRELLIS_GOVERNANCE_SWEEP_INTERVAL_MS: '100' });
  user = await platform.signup('Concurrency');
});
afterAll(closeAll);

const readWorkflow = async (id: string) => (await gql(platform, { token: user.token }, WORKFLOW, { id })).workflow;

describe('budget reservations under concurrency', () => {
  it('grants exactly 100 of 500 concurrent executes when the budget has room for 100', async () => {
    const cost = 10_000;
    const wf = await createWorkflow(platform, user, { name: 'race', budgetMicros: 100 * cost });
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        platform.graphql(
          EXECUTE,
          { input: { workflowId: wf.id, estimatedCostMicros: cost, tags: [`call-${i}`] } },
          {
            token: user.token,
          },
        ),
      ),
    );
    for (const r of results) expect(r.body.errors).toBeUndefined();
    const executions = results.map((r) => r.body.data.execute);
    const granted = executions.filter((e) => e.allowed);
    const denied = executions.filter((e) => !e.allowed);
    expect(granted).toHaveLength(100);
    expect(denied).toHaveLength(400);
    for (const e of denied) expect(e).toMatchObject({ decision: 'DENY', status: 'DENIED', reason: 'budget_exceeded' });
    expect(new Set(executions.map((e) => e.executionId)).size).toBe(500);

    const workflow = await readWorkflow(wf.id);
    expect(workflow).toMatchObject({ reservedMicros: 100 * cost, spentMicros: 0, remainingMicros: 0 });

    const listed = await gql(
      platform,
      { token: user.token },
      `query($orgId: ID!, $wf: ID!) {
          reserved: executions(orgId: $orgId, workflowId: $wf, status: RESERVED, limit: 200) { items { id } nextCursor }
          denied: executions(orgId: $orgId, workflowId: $wf, decision: DENY, limit: 200) { items { id } nextCursor }
        }`,
      { orgId: user.orgId, wf: wf.id },
    );
    expect(listed.reserved.items).toHaveLength(100);
    expect(listed.reserved.nextCursor).toBeNull();
    expect(listed.denied.items).toHaveLength(200);
    expect(listed.denied.nextCursor).not.toBeNull();
  });

  it('returns the budget of reservations that expire unsettled', async () => {
    const wf = await createWorkflow(platform, user, { name: 'expiry', budgetMicros: 3_000 });
    const caller = { token: user.token };
    const first = (
      await gql(platform, caller, EXECUTE, { input: { workflowId: wf.id, estimatedCostMicros: 2_000, ttlSeconds: 1 } })
    ).execute;
    expect(first.allowed).toBe(true);
    const blocked = (await gql(platform, caller, EXECUTE, { input: { workflowId: wf.id, estimatedCostMicros: 2_000 } }))
      .execute;
    expect(blocked).toMatchObject({ allowed: false, reason: 'budget_exceeded' });

    const workflow = await eventually(async () => {
      const w = await readWorkflow(wf.id);
      return w.reservedMicros === 0 ? w : undefined;
    });
    expect(workflow).toMatchObject({ reservedMicros: 0, spentMicros: 0, remainingMicros: 3_000 });
    const execution = (
      await gql(platform, caller, `query($id: ID!) { execution(id: $id) { status } }`, { id: first.executionId })
    ).execution;
    expect(execution.status).toBe('EXPIRED');

    const again = (await gql(platform, caller, EXECUTE, { input: { workflowId: wf.id, estimatedCostMicros: 2_000 } }))
      .execute;
    expect(again.allowed).toBe(true);

    // Spend reported after the reservation expired is still recorded (and the budget not released twice).
    const late = (
      await gql(platform, caller, TRACK, {
        input: { executionId: first.executionId, costMicros: 1_500, eventId: 'late-1' },
      })
    ).track;
    expect(late).toMatchObject({ recorded: true, settled: false, spentMicros: 1_500 });
    expect(await readWorkflow(wf.id)).toMatchObject({ spentMicros: 1_500, reservedMicros: 2_000 });
  });

  it('settles an execution once when 20 identical tracks without an eventId race', async () => {
    const caller = { token: user.token };
    const wf = await createWorkflow(platform, user, { name: 'settle-once', budgetMicros: 1_000_000 });
    const { executionId } = (
      await gql(platform, caller, EXECUTE, { input: { workflowId: wf.id, estimatedCostMicros: 50_000 } })
    ).execute;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        platform.graphql(TRACK, { input: { executionId, costMicros: 12_345 } }, { token: user.token }),
      ),
    );
    for (const r of results) expect(r.body.errors).toBeUndefined();
    const tracked = results.map((r) => r.body.data.track);
    expect(tracked.filter((t) => t.recorded)).toHaveLength(1);
    expect(tracked.filter((t) => t.duplicate)).toHaveLength(19);
    expect(new Set(tracked.map((t) => t.eventId)).size).toBe(1);
    expect(await readWorkflow(wf.id)).toMatchObject({ spentMicros: 12_345, reservedMicros: 0 });

    // More spend on the same execution needs its own event id; a retry without one is still a duplicate.
    const more = (await gql(platform, caller, TRACK, { input: { executionId, costMicros: 1_000, eventId: 'more-1' } }))
      .track;
    expect(more).toMatchObject({ recorded: true, spentMicros: 13_345 });
    const retried = (await gql(platform, caller, TRACK, { input: { executionId, costMicros: 12_345 } })).track;
    expect(retried).toMatchObject({ recorded: false, duplicate: true });
    expect((await readWorkflow(wf.id)).spentMicros).toBe(13_345);
  });

  it('counts racing retries of the same track events once', async () => {
    const wf = await createWorkflow(platform, user, { name: 'retries', budgetMicros: null });
    const events = Array.from({ length: 20 }, (_, i) => ({ eventId: `retry-${i}`, costMicros: 1_000 + i }));
    const sends = events.flatMap((e) => Array.from({ length: 5 }, () => e));
    const results = await Promise.all(
      sends.map((e) => platform.graphql(TRACK, { input: { ...e, workflowId: wf.id } }, { token: user.token })),
    );
    for (const r of results) expect(r.body.errors).toBeUndefined();
    const tracked = results.map((r) => r.body.data.track);
    expect(tracked.filter((t) => t.recorded)).toHaveLength(20);
    expect(tracked.filter((t) => t.duplicate)).toHaveLength(80);
    const expected = events.reduce((sum, e) => sum + e.costMicros, 0);
    expect((await readWorkflow(wf.id)).spentMicros).toBe(expected);
  });
});
