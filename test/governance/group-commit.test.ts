/**
 * Group commit of the hot path's budget statements (subgraphs/governance/group-commit.ts):
 * - concurrent executes of one workflow run in shared transactions and still grant exactly what
 *   fits (300 against room for 100 → exactly 100, reserved = 100 × cost);
 * - statements queued together run in one transaction, in arrival order, each seeing the ones before;
 * - a statement that fails rolls its group back and the others run again on their own: they succeed
 *   once each, it fails alone;
 * - a track naming an unknown execution, grouped with valid tracks of the same workflow, is
 *   refused alone;
 * - a group's tracks settle in one statement with the answers, stored rows and outbox rows the same
 *   tracks give one by one (duplicates, settled executions, repeats within the group, a daily
 *   organization budget);
 * - a group is written in one go (every statement sent before the first answer) and consecutive
 *   groups of a lane run on one checked-out connection;
 * - a track naming only its execution takes its workflow from the executions this process reserved
 *   (no look-up), once, and only for the execution's organization;
 * - the group's lock on executions finds them by primary key even when the statistics of a young
 *   table would rather scan the organization's executions.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativePool } from '../../kernel/database.ts';
import { KEYED_PLANNING } from '../../kernel/pipelined-transaction.ts';
import type { Principal } from '../../kernel/principal.ts';
import { GroupCommit, LOCK_EXECUTIONS } from '../../subgraphs/governance/group-commit.ts';
import { reserveGroupStatement } from '../../subgraphs/governance/reserve-group.ts';
import { preparedConfig, sql } from '../../subgraphs/governance/sql.ts';
import { RecentExecutions } from '../../subgraphs/governance/state.ts';
import { type TrackItem, trackGroupStatement } from '../../subgraphs/governance/track-group.ts';
import { closeAll, type TestPlatform, type TestUser } from '../harness.ts';
import { planNodes } from '../query-plans.ts';
import { type DirectGovernance, type GovernanceBed, openGovernanceBed, ownerPrincipal } from './direct.ts';

let platform: TestPlatform;
let user: TestUser;
let principal: Principal;
let gov: DirectGovernance;
let db: pg.Client;

let bed: GovernanceBed | undefined;

beforeAll(async () => {
  bed = await openGovernanceBed('Group commit');
  ({ platform, gov, db } = bed);
  user = bed.users[0] as TestUser;
  principal = ownerPrincipal(user);
});
afterAll(async () => {
  await (bed ? bed.close() : closeAll());
});

const newWorkflow = (budgetMicros: number | null) =>
  gov.services().workflows.create(principal, user.orgId, { name: 'group', budgetMicros });

/** A statement that reserves one micro-dollar on the workflow and returns the total reserved after it. */
const reserveOne = (workflowId: string) =>
  sql`update workflows set reserved_micros = reserved_micros + 1 where id = ${workflowId} returning reserved_micros`;

describe('group commit of budget statements', () => {
  it('300 concurrent executes with room for 100 grant exactly 100, in shared transactions', async () => {
    const cost = 10_000;
    const wf = await newWorkflow(100 * cost);
    const before = { ...gov.state.commits.stats };
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        gov.services().sdk.execute(principal, { workflowId: wf.id, estimatedCostMicros: cost, tags: [`call-${i}`] }),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(100);
    for (const r of results.filter((r) => !r.allowed)) expect(r.reason).toBe('budget_exceeded');
    const stored = await gov.services().workflows.find(wf.id);
    expect(stored?.reservedMicros).toBe(100 * cost);
    const reserved = await db.query(
      `select count(*)::int as n, coalesce(sum(reserved_micros), 0)::bigint as total
       from governance.executions where workflow_id = $1 and status = 'reserved'`,
      [wf.id],
    );
    expect(reserved.rows[0]).toEqual({ n: 100, total: String(100 * cost) });
    // The executes did share transactions (otherwise this proves nothing about groups).
    const after = gov.state.commits.stats;
    expect(after.groups).toBeGreaterThan(before.groups);
    expect(after.statements - before.statements).toBeGreaterThan(after.groups - before.groups);
    expect(after.setReservations).toBeGreaterThan(before.setReservations);
  });

  it("reserves a group's executes in one statement with the lone statement's arithmetic, in arrival order", async () => {
    const wf = await newWorkflow(1_000);
    const key = { orgId: user.orgId, workflowId: wf.id };
    const costs = [600, 500, 300, 100, 0];
    const items = costs.map((cost, i) => ({
      id: `exe_group_${wf.id}_${i}`,
      apiKeyId: null,
      principalId: principal.id,
      model: 'gpt-4o-mini',
      provider: null,
      tags: [`t-${i}`, 'quote"d'],
      metadata: i === 0 ? { note: 'first' } : null,
      decision: 'allow',
      reason: null,
      policyId: null,
      cost,
      ttlSeconds: 60,
    }));
    const config = preparedConfig(reserveGroupStatement(key, items));
    if (!config) throw new Error('the group statement must be preparable');
    await db.query('set search_path to governance');
    const { rows } = await db.query({ text: config.text, values: config.values });
    // 600 fits, 500 would make 1,100, 300 makes 900, 100 makes 1,000, a free call is refused once nothing is left.
    expect(rows.map((row) => row.exec_status)).toEqual(['reserved', 'denied', 'reserved', 'reserved', 'denied']);
    expect(rows.map((row) => row.exec_reason)).toEqual([null, 'budget_exceeded', null, null, 'budget_exceeded']);
    expect(rows.map((row) => Number(row.cur_reserved))).toEqual([0, 600, 600, 900, 1_000]);
    expect(rows.map((row) => Number(row.res_reserved))).toEqual([600, 600, 900, 1_000, 1_000]);
    expect((await gov.services().workflows.find(wf.id))?.reservedMicros).toBe(1_000);
    const stored = await db.query(
      `select id, tags, metadata, reserved_micros::int as reserved from governance.executions where id = any($1) order by id`,
      [items.map((item) => item.id)],
    );
    expect(stored.rows.map((row) => row.reserved)).toEqual([600, 0, 300, 100, 0]);
    expect(stored.rows[0]).toMatchObject({ tags: ['t-0', 'quote"d'], metadata: { note: 'first' } });
  });

  it('runs statements queued together in one transaction, in arrival order', async () => {
    const wf = await newWorkflow(null);
    const commits = new GroupCommit();
    const em = gov.services().em;
    const rows = await Promise.all(
      Array.from({ length: 5 }, () => commits.run(em, { orgId: user.orgId, workflowId: wf.id }, reserveOne(wf.id))),
    );
    expect(rows.map((row) => Number(row?.reserved_micros))).toEqual([1, 2, 3, 4, 5]);
    expect(commits.stats).toEqual({ groups: 1, statements: 5, setReservations: 0, setTracks: 0 });
  });

  it('a failing statement fails alone: its group is rolled back and the others run once each', async () => {
    const wf = await newWorkflow(null);
    const commits = new GroupCommit();
    const em = gov.services().em;
    const outcomes = await Promise.allSettled([
      commits.run(em, { orgId: user.orgId, workflowId: wf.id }, reserveOne(wf.id)),
      commits.run(em, { orgId: user.orgId, workflowId: wf.id }, reserveOne(wf.id)),
      commits.run(
        em,
        { orgId: user.orgId, workflowId: wf.id },
        sql`select 1 / (select count(*) from workflows where id = ${'no-such-workflow'})::int`,
      ),
      commits.run(em, { orgId: user.orgId, workflowId: wf.id }, reserveOne(wf.id)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/division by zero/);
    // Three reservations, each applied once: the rolled-back group left nothing behind.
    expect((await gov.services().workflows.find(wf.id))?.reservedMicros).toBe(3);
    expect(commits.stats).toEqual({ groups: 0, statements: 0, setReservations: 0, setTracks: 0 });
  });

  it('a track of an unknown execution grouped with valid tracks is refused alone', async () => {
    const wf = await newWorkflow(1_000_000);
    const executions = await Promise.all(
      Array.from({ length: 20 }, () =>
        gov.services().sdk.execute(principal, { workflowId: wf.id, estimatedCostMicros: 1_000 }),
      ),
    );
    const ids = executions.map((e) => e.executionId);
    const tracks = await Promise.allSettled(
      [...ids.slice(0, 10), 'exe_does_not_exist', ...ids.slice(10)].map((executionId) =>
        gov.services().sdk.track(principal, { workflowId: wf.id, executionId, costMicros: 700 }),
      ),
    );
    const refused = tracks.filter((t) => t.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
    const recorded = tracks.filter((t) => t.status === 'fulfilled' && t.value.recorded && t.value.settled);
    expect(recorded).toHaveLength(20);
    const stored = await gov.services().workflows.find(wf.id);
    expect(stored).toMatchObject({ spentMicros: 20 * 700, reservedMicros: 0 });
  });

  it("settles a group's tracks in one statement, answering and storing what lone tracks would", async () => {
    // The same calls in two fresh organizations: one by one in one, all at once (one group) in the other.
    for (const dailyBudgetMicros of [null, 5_000]) {
      const alone = await settleScenario(false, dailyBudgetMicros);
      const grouped = await settleScenario(true, dailyBudgetMicros);
      expect(grouped).toEqual(alone);
    }
  });

  it("writes a group's statements before reading any answer, and a lane's groups share one connection", async () => {
    const wf = await newWorkflow(null);
    const commits = new GroupCommit(3);
    const em = gov.services().em;
    const pool = await nativePool(em);
    const connect = pool.connect;
    const log: string[] = [];
    let checkouts = 0;
    // Records when a checked-out client writes each statement to the wire (simple query or Execute) and when it is answered.
    pool.connect = (async () => {
      checkouts++;
      const client = await (connect as () => Promise<pg.PoolClient>).call(pool);
      const wire = (client as unknown as { connection: Record<'query' | 'execute', (...args: unknown[]) => void> })
        .connection;
      const sends = { query: wire.query, execute: wire.execute };
      for (const method of ['query', 'execute'] as const)
        wire[method] = (...args: unknown[]) => {
          log.push('sent');
          sends[method].apply(wire, args);
        };
      const { query, release } = client;
      const send = query as (config: pg.QueryConfig | string) => Promise<pg.QueryResult>;
      client.query = ((config: pg.QueryConfig | string) =>
        send.call(client, config).then((result) => {
          log.push('answered');
          return result;
        })) as unknown as typeof client.query;
      client.release = (error?: Error | boolean) => {
        Object.assign(wire, sends);
        client.query = query;
        client.release = release;
        release.call(client, error);
      };
      return client;
    }) as unknown as typeof pool.connect;
    try {
      const rows = await Promise.all(
        Array.from({ length: 6 }, () => commits.run(em, { orgId: user.orgId, workflowId: wf.id }, reserveOne(wf.id))),
      );
      expect(rows.map((row) => Number(row?.reserved_micros))).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      pool.connect = connect;
    }
    expect(commits.stats).toMatchObject({ groups: 2, statements: 6 });
    // Two groups of BEGIN, the workflow lock, three statements and COMMIT: each sent whole, then answered.
    const group = [...Array(6).fill('sent'), ...Array(6).fill('answered')];
    expect(log).toEqual([...group, ...group]);
    expect(checkouts).toBe(1);
  });

  it("locks a group's executions by primary key, not by scanning the organization's", async () => {
    // A temporary copy of executions is never analyzed: the statistics of a young table, every row in one organization.
    await db.query('begin');
    try {
      await db.query('create temp table executions (like governance.executions including all) on commit drop');
      await db.query(
        `insert into pg_temp.executions (id, org_id, decision, status, created_at)
         select 'exe_' || lpad(g::text, 6, '0'), 'org_young', 'allow', 'reserved', now() from generate_series(1, 7000) g`,
      );
      await db.query('set local plan_cache_mode = force_generic_plan');
      await db.query('set local search_path = pg_temp');
      await db.query(`prepare lock_executions (text[], text) as ${LOCK_EXECUTIONS}`);
      const plan = await db.query(
        "explain (analyze, buffers, format json) execute lock_executions('{exe_000005,exe_000006}', 'org_young')",
      );
      const conditions = JSON.stringify(plan.rows[0]).match(/"(Index|Recheck) Cond":"[^"]*"/g) ?? [];
      expect(conditions.length).toBeGreaterThan(0);
      for (const condition of conditions) expect(condition).not.toContain('org_id');
    } finally {
      await db.query('deallocate all');
      await db.query('rollback');
    }
  });

  it("keeps locking a group's executions by primary key with a plan cached while the table was empty", async () => {
    await db.query('begin');
    try {
      await db.query('create temp table executions (like governance.executions including all) on commit drop');
      await db.query('set local plan_cache_mode = force_generic_plan');
      await db.query('set local search_path = pg_temp');
      await db.query(`prepare lock_executions (text[], text) as ${LOCK_EXECUTIONS}`);
      await db.query("execute lock_executions('{exe_000005}', 'org_young')"); // plans it on the empty table
      await db.query(
        `insert into pg_temp.executions (id, org_id, decision, status, created_at)
         select 'exe_' || lpad(g::text, 6, '0'), 'org_young', 'allow', 'reserved', now() from generate_series(1, 20000) g`,
      );
      const plan = JSON.stringify(
        (await db.query("explain (format json) execute lock_executions('{exe_000006,exe_000005}', 'org_young')"))
          .rows[0],
      );
      expect(plan).toContain('executions_pkey');
      expect(plan).not.toContain('Seq Scan');
      const locked = await db.query("execute lock_executions('{exe_000006,exe_000005,exe_000006}', 'org_young')");
      expect(locked.rowCount).toBe(2);
    } finally {
      await db.query('deallocate all');
      await db.query('rollback');
    }
  });

  it("settles a track set's executions by primary key with a plan cached while the tables were young", async () => {
    const track = (n: number): TrackItem => ({
      eventId: `evt_young_${n}`,
      executionId: `exe_${String(n).padStart(6, '0')}`,
      workflowId: null,
      settlesOnce: false,
      apiKeyId: null,
      model: null,
      provider: null,
      cost: 10,
      inputTokens: 1,
      outputTokens: 1,
      latencyMs: null,
      tags: [],
      metadata: null,
      occurredAt: null,
      usageEventId: `evt_usage_young_${n}`,
      actorType: 'api_key',
      actorId: 'key_young',
      requestId: null,
    });
    const statement = (first: number) =>
      preparedConfig(
        trackGroupStatement({ orgId: 'org_young', workflowId: 'wf_young' }, [track(first), track(first + 1)]),
      );
    const planned = statement(5);
    if (!planned) throw new Error('the track set cannot be prepared');
    await db.query('begin');
    try {
      // Young copies of what the statement reads and writes: never analyzed, nearly empty when it is planned.
      for (const table of ['executions', 'workflows', 'org_settings', 'usage_events', 'outbox'])
        await db.query(`create temp table ${table} (like governance.${table} including all) on commit drop`);
      await db.query('set local search_path = governance');
      await db.query('set local plan_cache_mode = force_generic_plan');
      await db.query(KEYED_PLANNING.text);
      await db.query(`prepare track_set as ${planned.text}`);
      const execute = (values: unknown[]) =>
        `execute track_set(${values.map((value) => (value === null ? 'null' : `'${String(value).replaceAll("'", "''")}'`)).join(', ')})`;
      const addExecutions = (from: number, to: number) =>
        db.query(
          `insert into pg_temp.executions (id, org_id, decision, status, reserved_micros, created_at)
           select 'exe_' || lpad(g::text, 6, '0'), 'org_young', 'allow', 'reserved', 10, now()
           from generate_series($1::int, $2::int) g`,
          [from, to],
        );
      // Planned while the table is young (a few pages): a scan of it, hashed, is then the cheapest plan.
      await addExecutions(1, 500);
      await db.query(execute(planned.values));
      await addExecutions(500 + 1, 20_000);
      const later = statement(7);
      const [explained] = (await db.query(`explain (analyze, format json) ${execute(later?.values ?? [])}`)).rows[0][
        'QUERY PLAN'
      ];
      // Every read of executions is a look-up by key: no sequential scan, no walk of a whole index.
      const reads = planNodes(explained.Plan).filter(
        (node) => node['Relation Name'] === 'executions' && String(node['Node Type']).endsWith('Scan'),
      );
      expect(reads.length).toBeGreaterThan(0);
      for (const node of reads)
        expect(node).toMatchObject({ 'Index Name': 'executions_pkey', 'Index Cond': expect.any(String) });
      const settled = await db.query(
        "select id, status, actual_cost_micros from pg_temp.executions where id in ('exe_000007', 'exe_000008') order by id",
      );
      expect(settled.rows).toEqual([
        { id: 'exe_000007', status: 'settled', actual_cost_micros: '10' },
        { id: 'exe_000008', status: 'settled', actual_cost_micros: '10' },
      ]);
    } finally {
      await db.query('deallocate all');
      await db.query('rollback');
    }
  });

  it('a track naming only its execution takes its workflow from the executions reserved here', async () => {
    const wf = await newWorkflow(1_000_000);
    const execution = await gov.services().sdk.execute(principal, { workflowId: wf.id, estimatedCostMicros: 1_000 });
    const recent = gov.state.recentExecutions;
    expect(recent.take(execution.executionId, 'org_someone_else')).toBeUndefined();
    const tracked = await gov.services().sdk.track(principal, {
      orgId: user.orgId,
      executionId: execution.executionId,
      costMicros: 600,
    });
    expect(tracked).toMatchObject({ recorded: true, settled: true, workflowId: wf.id });
    // The track took it: a later one looks the workflow up.
    expect(recent.take(execution.executionId, user.orgId)).toBeUndefined();
    expect(await gov.services().workflows.find(wf.id)).toMatchObject({ spentMicros: 600, reservedMicros: 0 });
  });

  it('remembers a bounded number of executions, the oldest going first', () => {
    const recent = new RecentExecutions(2);
    recent.remember('exe_a', 'org_1', 'wf_1');
    recent.remember('exe_b', 'org_1', 'wf_2');
    recent.remember('exe_c', 'org_1', 'wf_3');
    expect(recent.take('exe_a', 'org_1')).toBeUndefined();
    expect(recent.take('exe_b', 'org_2')).toBeUndefined();
    expect(recent.take('exe_b', 'org_1')).toBe('wf_2');
    expect(recent.take('exe_c', 'org_1')).toBe('wf_3');
  });
});

/**
 * Executes six calls on a fresh organization's workflow, settles two of them and records one event
 * alone, then sends ten tracks (alone one after another, or all at once: one group) covering every
 * outcome: settle, settle with an event id, a settled execution again (duplicate), a repeat of an
 * execution of the group, an event id already stored, a call with no execution, extra spend on a
 * settled execution, zero cost, tokens and metadata. Returns the answers, the rows and the outbox
 * with ids replaced by names, so two runs compare.
 */
async function settleScenario(together: boolean, dailyBudgetMicros: number | null) {
  const owner = await platform.signup(`Tracks ${together ? 'grouped' : 'alone'}`);
  const who = ownerPrincipal(owner);
  const orgId = owner.orgId;
  if (dailyBudgetMicros !== null) {
    await db.query(
      `insert into governance.org_settings (org_id, daily_budget_micros, daily_spent_micros, daily_reserved_micros, day_ends_at, updated_at)
       values ($1, $2, 0, 0, governance.period_end('daily', now()), now())
       on conflict (org_id) do update set daily_budget_micros = excluded.daily_budget_micros`,
      [orgId, dailyBudgetMicros],
    );
    await gov.state.invalidate(orgId);
  }
  const sdk = gov.services().sdk;
  // The tracks cross the 50 % alert threshold of the workflow (and of the daily budget): the alert
  // records the spend as the crossing call left it.
  const wf = await gov.services().workflows.create(who, orgId, { name: 'tracks', budgetMicros: 5_000 });
  const e: string[] = [];
  for (let i = 0; i < 6; i++)
    e.push((await sdk.execute(who, { workflowId: wf.id, orgId, estimatedCostMicros: 700 })).executionId);
  const [e0, e1, e2, e3, e4, e5] = e as [string, string, string, string, string, string];
  await sdk.track(who, { orgId, executionId: e5, costMicros: 300 });
  await sdk.track(who, { orgId, executionId: e4, eventId: 'stored', costMicros: 50 });
  // Every call names its workflow, so all of them reach the group in this order (no look-up in between).
  const calls = [
    { orgId, executionId: e0, costMicros: 600 },
    { orgId, executionId: e1, eventId: 'ev-1', costMicros: 1_900 },
    { orgId, executionId: e5, costMicros: 100 },
    { orgId, executionId: e0, costMicros: 999 },
    { orgId, eventId: 'stored', costMicros: 50 },
    { orgId, eventId: 'no-execution', costMicros: 25, model: 'gpt-4o' },
    { orgId, executionId: e5, eventId: 'extra', costMicros: 40 },
    { orgId, executionId: e2, costMicros: 0 },
    { orgId, executionId: e1, eventId: 'ev-1b', costMicros: 5 },
    {
      orgId,
      executionId: e3,
      costMicros: 500,
      inputTokens: 10,
      outputTokens: 20,
      latencyMs: 30,
      tags: ['a', 'b'],
      metadata: { k: 'v' },
      model: 'm-1',
      occurredAt: '2026-01-02T03:04:05.000Z',
    },
  ];
  const before = { ...gov.state.commits.stats };
  let results: unknown[];
  if (together) results = await Promise.all(calls.map((call) => sdk.track(who, { ...call, workflowId: wf.id })));
  else {
    // One by one, in the order the group serves them: its set of distinct tracks, then the three
    // repeating an execution of the set (e0, e5, e1).
    results = [];
    for (const i of [0, 1, 2, 4, 5, 7, 9, 3, 6, 8])
      results[i] = await sdk.track(who, { ...(calls[i] as (typeof calls)[number]), workflowId: wf.id });
  }
  // Grouped: the seven distinct tracks in one statement, the repeats after it.
  expect(gov.state.commits.stats.setTracks - before.setTracks).toBe(together ? 7 : 0);
  const names = new Map<string, string>([
    [wf.id, 'wf'],
    [orgId, 'org'],
    ...e.map((id, i) => [id, `e${i}`] as [string, string]),
  ]);
  const named = (value: unknown) =>
    JSON.parse(JSON.stringify(value), (_key, v) =>
      typeof v === 'string' && names.has(v) ? names.get(v) : typeof v === 'string' && /^use_/.test(v) ? 'use_*' : v,
    );
  const workflow = await db.query('select spent_micros, reserved_micros from governance.workflows where id = $1', [
    wf.id,
  ]);
  const executions = await db.query(
    `select id, status, actual_cost_micros, input_tokens, output_tokens, latency_ms, settled_at is not null as settled
     from governance.executions where workflow_id = $1 order by created_at, id`,
    [wf.id],
  );
  const events = await db.query(
    `select event_id, execution_id, workflow_id, model, cost_micros, input_tokens, output_tokens, latency_ms, tags,
       metadata, occurred_at = recorded_at as occurred_now
     from governance.usage_events where org_id = $1 order by event_id`,
    [orgId],
  );
  const outbox = await db.query(
    `select subject_type, subject_id, actor_id, data - 'periodStart' - 'periodEnd' as data
     from governance.outbox where org_id = $1 and type = 'usage.recorded' order by subject_id, data->>'usageId'`,
    [orgId],
  );
  const org = await db.query(
    'select daily_spent_micros, daily_reserved_micros from governance.org_settings where org_id = $1',
    [orgId],
  );
  const alerts = await db.query(
    `select kind, workflow_id, threshold_percent, spent_micros from governance.alerts where org_id = $1
     order by kind, threshold_percent`,
    [orgId],
  );
  expect(alerts.rows.length).toBeGreaterThan(dailyBudgetMicros === null ? 0 : 1);
  return named({
    alerts: alerts.rows,
    results,
    workflow: workflow.rows,
    executions: executions.rows.map(({ id: _id, ...row }) => row),
    events: events.rows.map((row) => ({ ...row, event_id: /^use_/.test(row.event_id) ? 'use_*' : row.event_id })),
    outbox: outbox.rows.map((row) => ({ ...row, actor_id: row.actor_id === who.id ? 'owner' : row.actor_id })),
    org: org.rows,
  });
}
