/**
 * The gate's budget read, batched across requests (subgraphs/governance/gate-reads.ts):
 * - gates that arrive together share one statement, and each answers what it answers alone
 *   (budget left, a killed workflow, an unknown one);
 * - a batch mixes organizations: a workflow id read for another organization finds nothing;
 * - the read finds workflows and organization settings by primary key, even with a plan cached
 *   while the tables were young.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nativePool } from '../../kernel/database.ts';
import type { Principal } from '../../kernel/principal.ts';
import { GATE_READ } from '../../subgraphs/governance/gate-reads.ts';
import { closeAll, type TestUser } from '../harness.ts';
import { type DirectGovernance, type GovernanceBed, openGovernanceBed, ownerPrincipal } from './direct.ts';

let bed: GovernanceBed | undefined;
let alice: TestUser;
let bob: TestUser;
let gov: DirectGovernance;
let db: pg.Client;

beforeAll(async () => {
  bed = await openGovernanceBed('Gate reads A', 'Gate reads B');
  ({ gov, db } = bed);
  [alice, bob] = bed.users as [TestUser, TestUser];
});
afterAll(async () => {
  await (bed ? bed.close() : closeAll());
});

const workflow = (user: TestUser, budgetMicros: number | null) =>
  gov.services().workflows.create(ownerPrincipal(user), user.orgId, { name: 'gate', budgetMicros });

/** Counts the batched read's statements sent on the governance pool. */
async function countGateReads<T>(run: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const pool = await nativePool(gov.orm.em);
  const query = vi.spyOn(pool, 'query');
  try {
    const result = await run();
    const statements = query.mock.calls.filter(
      ([config]) => (config as { name?: string } | undefined)?.name === GATE_READ.name,
    ).length;
    return { result, statements };
  } finally {
    query.mockRestore();
  }
}

describe('batched gate reads', () => {
  it('gates arriving together share one statement and each answers what it answers alone', async () => {
    const roomy = await workflow(alice, 1_000);
    const tight = await workflow(alice, 5);
    const killed = await workflow(bob, null);
    await gov.services().workflows.kill(ownerPrincipal(bob), killed.id, bob.orgId, 'test');
    const gate = (user: TestUser, workflowId: string, cost: number) =>
      gov.services().sdk.gate(ownerPrincipal(user) as Principal, {
        workflowId,
        orgId: user.orgId,
        estimatedCostMicros: cost,
      });
    const alone = [
      await gate(alice, roomy.id, 10),
      await gate(alice, tight.id, 10),
      await gate(bob, killed.id, 10),
      await gate(alice, roomy.id, 2_000),
    ];
    const together = await countGateReads(() =>
      Promise.all([
        gate(alice, roomy.id, 10),
        gate(alice, tight.id, 10),
        gate(bob, killed.id, 10),
        gate(alice, roomy.id, 2_000),
      ]),
    );
    expect(together.statements).toBe(1);
    expect(together.result).toEqual(alone);
    expect(together.result.map((r) => [r.allowed, r.reason])).toEqual([
      [true, null],
      [false, 'budget_exceeded'],
      [false, 'workflow_killed'],
      [false, 'budget_exceeded'],
    ]);
    expect(together.result[0]).toMatchObject({ budgetMicros: 1_000, remainingMicros: 1_000 });
  });

  it("reads nothing for a workflow id given with another organization, in a batch with the owner's read", async () => {
    const owned = await workflow(alice, 500);
    const { em } = gov.services();
    const { result, statements } = await countGateReads(() =>
      Promise.all([
        gov.state.gateReads.load({ em, orgId: bob.orgId, workflowId: owned.id }),
        gov.state.gateReads.load({ em, orgId: alice.orgId, workflowId: owned.id }),
      ]),
    );
    expect(statements).toBe(1);
    expect(result[0]?.status ?? null).toBeNull();
    expect(result[0]?.budget_micros ?? null).toBeNull();
    expect(result[1]).toMatchObject({ status: 'active', budget_micros: '500' });
  });

  it('finds workflows and organization settings by primary key with a plan cached while the tables were young', async () => {
    await db.query('begin');
    try {
      // Young copies: never analyzed, a few rows when the statement is planned.
      for (const table of ['workflows', 'org_settings'])
        await db.query(`create temp table ${table} (like governance.${table} including all) on commit drop`);
      await db.query('set local search_path = pg_temp, governance');
      await db.query('set local plan_cache_mode = force_generic_plan');
      await db.query(`prepare gate_read (text[], text[]) as ${GATE_READ.text}`);
      const addWorkflows = (from: number, to: number) =>
        db.query(
          `insert into pg_temp.workflows (id, org_id, name, status, budget_micros, created_at, updated_at)
           select 'wf_' || lpad(g::text, 6, '0'), 'org_' || (g % 50), 'w', 'active', 100, now(), now()
           from generate_series($1::int, $2::int) g`,
          [from, to],
        );
      await addWorkflows(1, 20);
      await db.query(
        "insert into pg_temp.org_settings (org_id, daily_budget_micros, updated_at) values ('org_7', 1000, now())",
      );
      await db.query("execute gate_read('{wf_000007}', '{org_7}')"); // planned now, on the young tables
      await addWorkflows(21, 20_000);
      await db.query(
        `insert into pg_temp.org_settings (org_id, daily_budget_micros, updated_at) select 'org_x' || g, 1000, now() from generate_series(1, 5000) g`,
      );
      const [explained] = (
        await db.query(
          "explain (analyze, format json) execute gate_read('{wf_000007,wf_000057,wf_000008}', '{org_7,org_7,org_9}')",
        )
      ).rows[0]['QUERY PLAN'];
      const plan = JSON.stringify(explained);
      expect(plan).not.toContain('Seq Scan');
      expect(plan).toMatch(/"Index Name":"workflows_pkey"/);
      expect(plan).toMatch(/"Index Name":"org_settings_pkey"/);
      const rows = await db.query("execute gate_read('{wf_000007,wf_000057,wf_000008}', '{org_7,org_7,org_9}')");
      expect(rows.rows.map((r) => [r.n, r.status, r.daily_budget_micros])).toEqual([
        ['1', 'active', '1000'],
        ['2', 'active', '1000'],
        ['3', null, null],
      ]);
    } finally {
      await db.query('deallocate all');
      await db.query('rollback');
    }
  });
});
