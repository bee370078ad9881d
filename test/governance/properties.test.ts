/**
 * Property-based checks of the budget invariants against the real database,
 * with every call of a run fired concurrently through the governance services:
 * - concurrent reservations never exceed the budget, and a call is refused
 *   only when it could not fit (the grant is maximal for the order served);
 * - each track event id is counted once however often and concurrently it is
 *   retried;
 * - settling and expiring the same reservations concurrently releases each
 *   reservation exactly once.
 */
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../kernel/principal.ts';
import { evaluate, type PolicyRecord } from '../../subgraphs/governance/policy-engine.ts';
import { closeAll, type TestUser } from '../harness.ts';
import { type DirectGovernance, type GovernanceBed, openGovernanceBed, ownerPrincipal } from './direct.ts';

let user: TestUser;
let principal: Principal;
let gov: DirectGovernance;
let db: pg.Client;

let bed: GovernanceBed | undefined;

beforeAll(async () => {
  bed = await openGovernanceBed('Properties');
  ({ gov, db } = bed);
  user = bed.users[0] as TestUser;
  principal = ownerPrincipal(user);
});
afterAll(async () => {
  await (bed ? bed.close() : closeAll());
});

const newWorkflow = (budgetMicros: number | null) =>
  gov.services().workflows.create(principal, user.orgId, { name: 'prop', budgetMicros });

describe('budget invariants (fast-check, real PostgreSQL)', () => {
  it('concurrent reservations: granted ≤ budget, denials only when the call could not fit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5_000 }),
        fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 80 }),
        async (budget, costs) => {
          const wf = await newWorkflow(budget);
          const results = await Promise.all(
            costs.map((cost) =>
              gov.services().sdk.execute(principal, { workflowId: wf.id, estimatedCostMicros: cost }),
            ),
          );
          const granted = results.filter((r) => r.allowed).map((r) => r.reservedMicros);
          const sum = granted.reduce((a, b) => a + b, 0);
          expect(sum).toBeLessThanOrEqual(budget);
          const left = budget - sum;
          results.forEach((r, i) => {
            const cost = costs[i] as number;
            if (r.allowed) expect(r.reservedMicros).toBe(cost);
            else {
              expect(r.reason).toBe('budget_exceeded');
              // Reservations only grow in this run, so what was left when a call was refused is ≥ what is left now.
              if (cost > 0) expect(cost).toBeGreaterThan(left);
              else expect(left).toBe(0);
            }
          });
          const stored = await gov.services().workflows.find(wf.id);
          expect(stored?.reservedMicros).toBe(sum);
          expect(stored?.spentMicros).toBe(0);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('track events are counted once per event id, whatever the retries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 15 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
        async (costs, picks) => {
          const wf = await newWorkflow(null);
          const run = Math.random().toString(36).slice(2);
          const sends = picks.map((p) => ({ id: p % costs.length, cost: costs[p % costs.length] as number }));
          const results = await Promise.all(
            sends.map((s) =>
              gov.services().sdk.track(principal, { workflowId: wf.id, eventId: `${run}-${s.id}`, costMicros: s.cost }),
            ),
          );
          const unique = new Map(sends.map((s) => [s.id, s.cost]));
          expect(results.filter((r) => r.recorded)).toHaveLength(unique.size);
          expect(results.filter((r) => r.duplicate)).toHaveLength(sends.length - unique.size);
          const expected = [...unique.values()].reduce((a, b) => a + b, 0);
          expect((await gov.services().workflows.find(wf.id))?.spentMicros).toBe(expected);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('settle and expiry racing on the same reservations release each exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            estimate: fc.integer({ min: 1, max: 1_000 }),
            actual: fc.integer({ min: 0, max: 1_500 }),
            tracked: fc.boolean(),
            retries: fc.integer({ min: 1, max: 3 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        async (calls) => {
          const wf = await newWorkflow(1_000_000);
          const executions = await Promise.all(
            calls.map((c) =>
              gov.services().sdk.execute(principal, { workflowId: wf.id, estimatedCostMicros: c.estimate }),
            ),
          );
          for (const e of executions) expect(e.allowed).toBe(true);
          // Every reservation is now past its expiry: the sweeper and the tracks race for them.
          await db.query(
            `update governance.executions set expires_at = now() - interval '1 second' where id = any($1)`,
            [executions.map((e) => e.executionId)],
          );
          const tracks = calls.flatMap((c, i) =>
            c.tracked
              ? Array.from({ length: c.retries }, () =>
                  gov.services().sdk.track(principal, {
                    executionId: executions[i]?.executionId,
                    eventId: `settle-${executions[i]?.executionId}`,
                    costMicros: c.actual,
                  }),
                )
              : [],
          );
          await Promise.all([...tracks, gov.sweep(), gov.sweep()]);
          await gov.sweep(); // whatever the tracks did not settle is expired now
          const stored = await gov.services().workflows.find(wf.id);
          expect(stored?.reservedMicros).toBe(0);
          const spent = calls.filter((c) => c.tracked).reduce((a, c) => a + c.actual, 0);
          expect(stored?.spentMicros).toBe(spent);
          const statuses = await db.query(
            'select status, count(*)::int as n from governance.executions where workflow_id = $1 group by status',
            [wf.id],
          );
          const byStatus = Object.fromEntries(statuses.rows.map((r) => [r.status, r.n]));
          expect((byStatus.settled ?? 0) + (byStatus.expired ?? 0)).toBe(calls.length);
          expect(byStatus.settled ?? 0).toBe(calls.filter((c) => c.tracked).length);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('the sweeper', () => {
  it('expires undecided approvals: execution denied, reservation returned, approval.expired recorded', async () => {
    const s = gov.services();
    await s.policies.create(principal, user.orgId, {
      name: 'approve big calls',
      action: 'require_approval',
      match: { minEstimatedCostMicros: 1_000 },
    });
    const wf = await newWorkflow(10_000);
    const held = await gov.services().sdk.execute(principal, { workflowId: wf.id, estimatedCostMicros: 4_000 });
    expect(held).toMatchObject({ decision: 'require_approval', status: 'pending_approval' });
    expect((await gov.services().workflows.find(wf.id))?.reservedMicros).toBe(4_000);
    await db.query(`update governance.executions set expires_at = now() - interval '1 second' where id = $1`, [
      held.executionId,
    ]);
    const swept = await gov.sweep();
    expect(swept.expiredApprovals).toBe(1);
    expect((await gov.services().workflows.find(wf.id))?.reservedMicros).toBe(0);
    const execution = await db.query('select status, decision, reason from governance.executions where id = $1', [
      held.executionId,
    ]);
    expect(execution.rows[0]).toEqual({ status: 'denied', decision: 'deny', reason: 'approval_expired' });
    const approval = await db.query('select status from governance.approvals where id = $1', [held.approvalId]);
    expect(approval.rows[0].status).toBe('expired');
    const events = await db.query(`select type from governance.outbox where subject_id = $1 order by occurred_at, id`, [
      held.approvalId,
    ]);
    expect(events.rows.map((r) => r.type)).toEqual(['approval.requested', 'approval.expired']);
    await expect(gov.services().approvals.approve(principal, held.approvalId as string, null)).rejects.toMatchObject({
      code: 'conflict',
    });
    await s.policies.toggle(principal, {
      policyId: (await s.policies.list(user.orgId, {})).items[0]?.id as string,
      enabled: false,
    });
  });
});

describe('policy evaluation (fast-check, pure)', () => {
  const policy = (
    id: string,
    action: PolicyRecord['action'],
    match: PolicyRecord['match'],
    extra: Partial<PolicyRecord> = {},
  ) =>
    ({
      id,
      orgId: 'org_1',
      name: id,
      description: null,
      priority: 0,
      enabled: true,
      action,
      match,
      maxCostMicros: null,
      rateLimit: null,
      templateId: null,
      createdAt: new Date(0),
      updatedAt: new Date(0),
      ...extra,
    }) as PolicyRecord;

  it('the first matching ALLOW/DENY/REQUIRE_APPROVAL decides; limits that hold fall through', () => {
    const models = ['gpt-4o', 'gpt-4o-mini', 'claude-3', 'llama'];
    const arbPolicy = fc.record({
      action: fc.constantFrom('allow', 'deny', 'require_approval', 'cap_cost'),
      model: fc.option(fc.constantFrom(...models), { nil: undefined }),
      cap: fc.integer({ min: 0, max: 1_000 }),
      enabled: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(arbPolicy, { maxLength: 8 }),
        fc.constantFrom(...models),
        fc.integer({ min: 0, max: 1_000 }),
        (specs, model, cost) => {
          const policies = specs.map((s, i) =>
            policy(`p${i}`, s.action as PolicyRecord['action'], s.model ? { models: [s.model] } : {}, {
              enabled: s.enabled,
              maxCostMicros: s.action === 'cap_cost' ? s.cap : null,
            }),
          );
          const verdict = evaluate(policies, {
            workflowId: null,
            model,
            provider: null,
            apiKeyId: null,
            tags: [],
            metadata: null,
            estimatedCostMicros: cost,
          });
          // Reference model: scan in order.
          const decisive = policies.find(
            (p) =>
              p.enabled &&
              (!p.match.models || p.match.models.includes(model)) &&
              (p.action !== 'cap_cost' || cost > (p.maxCostMicros ?? 0)),
          );
          if (!decisive) expect(verdict).toMatchObject({ decision: 'allow', policyId: null });
          else {
            expect(verdict.policyId).toBe(decisive.id);
            expect(verdict.decision).toBe(decisive.action === 'cap_cost' ? 'deny' : decisive.action);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
