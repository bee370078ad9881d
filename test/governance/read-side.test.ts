/**
 * The read side and budget lifecycle through GraphQL: budget alerts at the
 * default and configured thresholds (once per period), dismissal, alert
 * channels, notification settings, workflow updates, budget periods with
 * automatic reset (and its announcement), executions filters and pages,
 * quota per API key, the dashboard.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionService } from '../../subgraphs/governance/executions.ts';
import { WorkflowService, type WorkflowView } from '../../subgraphs/governance/workflows.ts';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform } from '../harness.ts';
import { directGovernance, ownerPrincipal } from './direct.ts';
import { createWorkflow, EXECUTE, gql, gqlErrorCode, type Json, TRACK, WORKFLOW } from './helpers.ts';

let platform: TestPlatform;
let db: pg.Client;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_GOVERNANCE_SWEEP_INTERVAL_MS: '100' });
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await closeAll();
});

const ALERTS = `query($orgId: ID!, $all: Boolean) {
  alerts(orgId: $orgId, includeDismissed: $all) { items { id kind workflowId thresholdPercent budgetMicros spentMicros dismissedAt } }
}`;

describe('budget alerts', () => {
  it('raises each default threshold (50/80/100 %) once, and dismisses', async () => {
    const user = await platform.signup('Alerts');
    const caller = { token: user.token };
    const wf = await createWorkflow(platform, user, { budgetMicros: 1_000 });
    const spend = (costMicros: number) => gql(platform, caller, TRACK, { input: { workflowId: wf.id, costMicros } });
    await spend(400);
    expect((await gql(platform, caller, ALERTS, { orgId: user.orgId })).alerts.items).toEqual([]);
    await spend(150); // 55 %
    await spend(300); // 85 %
    await spend(200); // 105 %
    await spend(10); // nothing new
    const alerts = (await gql(platform, caller, ALERTS, { orgId: user.orgId })).alerts.items;
    expect(alerts.map((a: Json) => [a.thresholdPercent, a.spentMicros])).toEqual([
      [100, 1_050],
      [80, 850],
      [50, 550],
    ]);
    expect(alerts[0]).toMatchObject({
      kind: 'WORKFLOW_BUDGET',
      workflowId: wf.id,
      budgetMicros: 1_000,
      dismissedAt: null,
    });

    const DISMISS =
      'mutation($orgId: ID!, $id: ID!) { dismissAlert(orgId: $orgId, alertId: $id) { id dismissedAt dismissedBy } }';
    const dismissed = (await gql(platform, caller, DISMISS, { orgId: user.orgId, id: alerts[2].id })).dismissAlert;
    expect(dismissed.dismissedAt).toBeTruthy();
    expect(dismissed.dismissedBy).toBe(user.userId);
    const again = (await gql(platform, caller, DISMISS, { orgId: user.orgId, id: alerts[2].id })).dismissAlert;
    expect(again.dismissedAt).toBe(dismissed.dismissedAt);
    expect((await gql(platform, caller, ALERTS, { orgId: user.orgId })).alerts.items).toHaveLength(2);
    expect((await gql(platform, caller, ALERTS, { orgId: user.orgId, all: true })).alerts.items).toHaveLength(3);

    const events = await db.query(
      `select type, data from governance.outbox where org_id = $1 and type like 'alert.%' order by occurred_at, id`,
      [user.orgId],
    );
    expect(events.rows.map((r) => r.type)).toEqual([
      'alert.triggered',
      'alert.triggered',
      'alert.triggered',
      'alert.dismissed',
    ]);
    expect(events.rows[0].data).toMatchObject({ workflowId: wf.id, thresholdPercent: 50, budgetMicros: 1_000 });

    const status = (
      await gql(platform, caller, 'query($orgId: ID!) { orgStatus(orgId: $orgId) { activeAlerts } }', {
        orgId: user.orgId,
      })
    ).orgStatus;
    expect(status.activeAlerts).toBe(2);
  });

  it('raises every threshold a single large event crosses, and uses the organization thresholds', async () => {
    const user = await platform.signup('Thresholds');
    const caller = { token: user.token };
    const wf = await createWorkflow(platform, user, { budgetMicros: 1_000 });
    await gql(platform, caller, TRACK, { input: { workflowId: wf.id, costMicros: 1_000 } });
    expect(
      (await gql(platform, caller, ALERTS, { orgId: user.orgId })).alerts.items.map((a: Json) => a.thresholdPercent),
    ).toEqual([100, 80, 50]);

    const settings = (
      await gql(
        platform,
        caller,
        'mutation($orgId: ID!) { updateGovernanceSettings(orgId: $orgId, input: { alertThresholds: [90, 25, 25] }) { alertThresholds } }',
        { orgId: user.orgId },
      )
    ).updateGovernanceSettings;
    expect(settings.alertThresholds).toEqual([25, 90]);
    const other = await createWorkflow(platform, user, { budgetMicros: 100 });
    await gql(platform, caller, TRACK, { input: { workflowId: other.id, costMicros: 50 } });
    const forOther = (await gql(platform, caller, ALERTS, { orgId: user.orgId })).alerts.items.filter(
      (a: Json) => a.workflowId === other.id,
    );
    expect(forOther.map((a: Json) => a.thresholdPercent)).toEqual([25]);
    expect(
      await gqlErrorCode(
        platform,
        caller,
        'mutation($orgId: ID!) { updateGovernanceSettings(orgId: $orgId, input: { alertThresholds: [0] }) { alertThresholds } }',
        { orgId: user.orgId },
      ),
    ).toBe('validation_failed');
  });
});

describe('alert channels and notification settings', () => {
  it('validates channels and keeps per-user settings', async () => {
    const user = await platform.signup('Channels');
    const caller = { token: user.token };
    const CREATE =
      'mutation($orgId: ID!, $input: CreateAlertChannelInput!) { createAlertChannel(orgId: $orgId, input: $input) { id kind target enabled } }';
    const hook = (
      await gql(platform, caller, CREATE, {
        orgId: user.orgId,
        input: { kind: 'WEBHOOK', target: 'https://93.184.215.14/t' },
      })
    ).createAlertChannel;
    expect(hook).toMatchObject({ kind: 'WEBHOOK', target: 'https://93.184.215.14/t', enabled: true });
    for (const input of [
      { kind: 'EMAIL', target: 'not-an-email' },
      { kind: 'WEBHOOK', target: 'not a url' },
      { kind: 'WEBHOOK', target: 'https://user:pw@example.com/' },
    ])
      expect(await gqlErrorCode(platform, caller, CREATE, { orgId: user.orgId, input })).toBe('validation_failed');
    expect(
      await gqlErrorCode(platform, caller, CREATE, {
        orgId: user.orgId,
        input: { kind: 'WEBHOOK', target: 'https://93.184.215.14/t' },
      }),
    ).toBe('already_exists');

    const GET =
      'query($orgId: ID!) { notificationSettings(orgId: $orgId) { userId emailEnabled inAppEnabled alertThresholds events digest } }';
    expect((await gql(platform, caller, GET, { orgId: user.orgId })).notificationSettings).toEqual({
      userId: user.userId,
      emailEnabled: true,
      inAppEnabled: true,
      alertThresholds: null,
      events: [],
      digest: 'NONE',
    });
    const UPDATE =
      'mutation($orgId: ID!, $input: UpdateNotificationSettingsInput!) { updateNotificationSettings(orgId: $orgId, input: $input) { emailEnabled inAppEnabled alertThresholds events digest } }';
    await gql(platform, caller, UPDATE, {
      orgId: user.orgId,
      input: { alertThresholds: [80, 100], events: ['alert.*'] },
    });
    const updated = (await gql(platform, caller, UPDATE, { orgId: user.orgId, input: { inAppEnabled: false } }))
      .updateNotificationSettings;
    expect(updated).toEqual({
      emailEnabled: true,
      inAppEnabled: false,
      alertThresholds: [80, 100],
      events: ['alert.*'],
      digest: 'NONE',
    });
    expect(
      await gqlErrorCode(platform, caller, UPDATE, { orgId: user.orgId, input: { events: ['Not An Event'] } }),
    ).toBe('validation_failed');
  });
});

describe('workflow updates and budget periods', () => {
  it('updates name, budget and period with a workflow.updated event; a killed workflow cannot change', async () => {
    const user = await platform.signup('Updates');
    const caller = { token: user.token };
    const wf = await createWorkflow(platform, user, { name: 'before', budgetMicros: 100 });
    const UPDATE =
      'mutation($id: ID!, $input: UpdateWorkflowInput!) { updateWorkflow(id: $id, input: $input) { name budgetMicros budgetPeriod periodEndsAt } }';
    const updated = (
      await gql(platform, caller, UPDATE, { id: wf.id, input: { name: 'after', budgetPeriod: 'MONTHLY' } })
    ).updateWorkflow;
    expect(updated).toMatchObject({ name: 'after', budgetMicros: 100, budgetPeriod: 'MONTHLY' });
    const ends = new Date(updated.periodEndsAt);
    expect(ends.getUTCDate()).toBe(1);
    expect(ends.getUTCHours()).toBe(0);
    const unlimited = (await gql(platform, caller, UPDATE, { id: wf.id, input: { budgetMicros: null } }))
      .updateWorkflow;
    expect(unlimited.budgetMicros).toBeNull();
    expect(await gqlErrorCode(platform, caller, UPDATE, { id: wf.id, input: { name: '' } })).toBe('validation_failed');
    const event = await db.query(
      `select data from governance.outbox where subject_id = $1 and type = 'workflow.updated' order by occurred_at limit 1`,
      [wf.id],
    );
    expect(event.rows[0].data.changes).toMatchObject({
      name: { from: 'before', to: 'after' },
      budgetPeriod: { from: 'none', to: 'monthly' },
    });
    await gql(platform, caller, 'mutation($id: ID!) { killWorkflow(id: $id) { status } }', { id: wf.id });
    expect(await gqlErrorCode(platform, caller, UPDATE, { id: wf.id, input: { name: 'x' } })).toBe('conflict');
  });

  it('resets a periodic budget when the period ends and announces it', async () => {
    const user = await platform.signup('Periods');
    const caller = { token: user.token };
    const wf = await createWorkflow(platform, user, { budgetMicros: 1_000, budgetPeriod: 'DAILY' });
    const read = async () => (await gql(platform, caller, WORKFLOW, { id: wf.id })).workflow;
    const first = await read();
    expect(first.budgetPeriod).toBe('DAILY');
    expect(new Date(first.periodEndsAt).getTime() - new Date(first.periodStartedAt).getTime()).toBe(86_400_000);
    await gql(platform, caller, TRACK, { input: { workflowId: wf.id, costMicros: 900 } });
    expect(
      (await gql(platform, caller, EXECUTE, { input: { workflowId: wf.id, estimatedCostMicros: 200 } })).execute
        .allowed,
    ).toBe(false);

    // The day is over (moved back in time rather than waiting for midnight UTC).
    await db.query(
      `update governance.workflows set period_started_at = period_started_at - interval '1 day',
         period_ends_at = now() - interval '1 second', reset_announced_at = period_started_at - interval '1 day'
       where id = $1`,
      [wf.id],
    );
    const rolled = await read();
    expect(rolled).toMatchObject({ spentMicros: 0, remainingMicros: 1_000 });
    expect(
      (await gql(platform, caller, EXECUTE, { input: { workflowId: wf.id, estimatedCostMicros: 1_000 } })).execute
        .allowed,
    ).toBe(true);
    const reset = await eventually(async () => {
      const r = await db.query(
        `select data from governance.outbox where subject_id = $1 and type = 'workflow.budget_reset'`,
        [wf.id],
      );
      return r.rows.length > 0 ? r : undefined;
    }, 10_000);
    expect(reset.rows).toHaveLength(1);
    expect(reset.rows[0].data).toMatchObject({ workflowId: wf.id, previousPeriodSpentMicros: 900, spentMicros: 0 });
    const stored = await db.query(
      'select spent_micros, previous_period_spent_micros from governance.workflows where id = $1',
      [wf.id],
    );
    expect(stored.rows[0]).toEqual({ spent_micros: '0', previous_period_spent_micros: '900' });
  });
});

describe('executions, quota and dashboard', () => {
  it('filters and pages executions, breaks usage down per key, and builds the dashboard', async () => {
    const user = await platform.signup('Reads');
    const caller = { token: user.token };
    const wf = await createWorkflow(platform, user, { budgetMicros: 10_000 });
    const other = await createWorkflow(platform, user, { budgetMicros: 10_000 });
    const keyA = await platform.apiKey(user);
    const keyB = await platform.apiKey(user);
    for (let i = 0; i < 5; i++) {
      const e = (
        await gql(platform, { token: keyA.key }, EXECUTE, {
          input: { workflowId: wf.id, model: 'gpt-4o', estimatedCostMicros: 100 },
        })
      ).execute;
      await gql(platform, { token: keyA.key }, TRACK, {
        input: { executionId: e.executionId, costMicros: 90, inputTokens: 10, outputTokens: 5 },
      });
    }
    await gql(platform, { token: keyB.key }, EXECUTE, {
      input: { workflowId: other.id, model: 'claude', estimatedCostMicros: 20_000 },
    });

    const PAGE = `query($orgId: ID!, $cursor: String, $wf: ID, $decision: ExecutionDecision) {
      executions(orgId: $orgId, workflowId: $wf, decision: $decision, limit: 2, cursor: $cursor) {
        items { id workflowId apiKeyId decision status } nextCursor
      }
    }`;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = (await gql(platform, caller, PAGE, { orgId: user.orgId, wf: wf.id, cursor })).executions;
      seen.push(...page.items.map((e: Json) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect([...seen].sort().reverse()).toEqual(seen); // newest first
    const denied = (await gql(platform, caller, PAGE, { orgId: user.orgId, decision: 'DENY' })).executions.items;
    expect(denied).toEqual([expect.objectContaining({ workflowId: other.id, apiKeyId: keyB.id, status: 'DENIED' })]);
    expect(await gqlErrorCode(platform, caller, PAGE, { orgId: user.orgId, cursor: 'garbage!' })).toBe(
      'invalid_request',
    );

    const quota = (
      await gql(
        platform,
        caller,
        'query($orgId: ID!) { usageQuota(orgId: $orgId) { totalCostMicros totalExecutions keys { apiKeyId executions deniedExecutions trackedEvents costMicros inputTokens outputTokens } } }',
        { orgId: user.orgId },
      )
    ).usageQuota;
    expect(quota.totalCostMicros).toBe(450);
    expect(quota.totalExecutions).toBe(6);
    expect(quota.keys).toEqual([
      {
        apiKeyId: keyA.id,
        executions: 5,
        deniedExecutions: 0,
        trackedEvents: 5,
        costMicros: 450,
        inputTokens: 50,
        outputTokens: 25,
      },
      {
        apiKeyId: keyB.id,
        executions: 1,
        deniedExecutions: 1,
        trackedEvents: 0,
        costMicros: 0,
        inputTokens: 0,
        outputTokens: 0,
      },
    ]);

    const dashboard = (
      await gql(
        platform,
        caller,
        `query($orgId: ID!) { governanceDashboard(orgId: $orgId) {
          status { budget { workflowSpentMicros } rate { callsInWindow } workflows { active } }
          topWorkflows { id spentMicros }
          recentExecutions { id }
          spendByDay { day costMicros events }
          spendByModel { model costMicros events }
        } }`,
        { orgId: user.orgId },
      )
    ).governanceDashboard;
    expect(dashboard.status).toMatchObject({
      budget: { workflowSpentMicros: 450 },
      rate: { callsInWindow: 6 },
      workflows: { active: 2 },
    });
    expect(dashboard.topWorkflows[0]).toEqual({ id: wf.id, spentMicros: 450 });
    expect(dashboard.recentExecutions).toHaveLength(6);
    expect(dashboard.spendByDay).toHaveLength(30);
    expect(dashboard.spendByDay.at(-1)).toEqual({
      day: new Date().toISOString().slice(0, 10),
      costMicros: 450,
      events: 5,
    });
    expect(dashboard.spendByModel).toEqual([{ model: 'gpt-4o', costMicros: 450, events: 5 }]);

    const burn = (
      await gql(
        platform,
        caller,
        'query($id: ID!) { workflow(id: $id) { burnRateMicrosPerHour timeToExhaustionSeconds } }',
        {
          id: wf.id,
        },
      )
    ).workflow;
    expect(burn.burnRateMicrosPerHour).toBe(450); // 450 in the 60-minute window
    expect(burn.timeToExhaustionSeconds).toBe(Math.floor((10_000 - 450) / (450 / 3600)));
  });
});

describe('nested fields are batched per request (no N+1)', () => {
  /** Governance services on one EntityManager fork that counts its statements, like one request. */
  async function countingServices() {
    const direct = await directGovernance(platform.databaseUrl);
    const em = direct.orm.em.fork();
    const statements: string[] = [];
    const execute = em.execute.bind(em) as (...args: unknown[]) => Promise<unknown>;
    (em as unknown as { execute: (...args: unknown[]) => Promise<unknown> }).execute = (...args) => {
      statements.push(String(args[0]));
      return execute(...args);
    };
    return {
      statements,
      workflows: new WorkflowService(em, direct.state),
      executions: new ExecutionService(em),
      close: () => direct.close(),
    };
  }

  it('loads N workflows, executions, burn rates and organizations’ workflows in one statement each', async () => {
    const a = await platform.signup('Batch A');
    const b = await platform.signup('Batch B');
    const wfs = [
      await createWorkflow(platform, a, { name: 'a1', budgetMicros: 1_000_000 }),
      await createWorkflow(platform, a, { name: 'a2', budgetMicros: 1_000_000 }),
      await createWorkflow(platform, b, { name: 'b1', budgetMicros: 1_000_000 }),
    ];
    const owners = [a, a, b];
    const executionIds: string[] = [];
    for (const [i, wf] of wfs.entries()) {
      const caller = { token: (owners[i] as typeof a).token };
      const { execute } = await gql(platform, caller, EXECUTE, {
        input: { workflowId: wf.id, estimatedCostMicros: 10 },
      });
      executionIds.push(execute.executionId);
      await gql(platform, caller, TRACK, { input: { workflowId: wf.id, costMicros: 3_600 * (i + 1) } });
    }
    const s = await countingServices();
    try {
      const loaded = await Promise.all([...wfs.map((w) => s.workflows.load(w.id)), s.workflows.load('wf_missing')]);
      expect(loaded.map((w) => w?.id ?? null)).toEqual([...wfs.map((w) => w.id), null]);
      expect(s.statements).toHaveLength(1);

      s.statements.length = 0;
      const executions = await Promise.all(executionIds.map((id) => s.executions.load(id)));
      expect(executions.map((e) => e?.workflowId)).toEqual(wfs.map((w) => w.id));
      expect(s.statements).toHaveLength(1);

      s.statements.length = 0;
      const burns = await Promise.all(loaded.slice(0, 3).map((w) => s.workflows.burn(w as WorkflowView)));
      expect(s.statements).toHaveLength(1);
      // Each workflow's own spend: 3,600 × (i + 1) micro-dollars within the window.
      const rates = burns.map((r) => r.burnRateMicrosPerHour);
      expect(rates[0]).toBeGreaterThan(0);
      expect(rates[1]).toBe((rates[0] as number) * 2);
      expect(rates[2]).toBe((rates[0] as number) * 3);

      s.statements.length = 0;
      const owner = {
        ...ownerPrincipal(a),
        memberships: [
          { orgId: a.orgId, role: 'owner' as const },
          { orgId: b.orgId, role: 'owner' as const },
        ],
      };
      const [ofA, ofB] = await Promise.all([
        s.workflows.listByOrg(owner, a.orgId),
        s.workflows.listByOrg(owner, b.orgId),
      ]);
      expect(s.statements).toHaveLength(1);
      expect(ofA?.map((w) => w.name)).toEqual(['a2', 'a1']); // newest first
      expect(ofB?.map((w) => w.name)).toEqual(['b1']);
    } finally {
      await s.close();
    }
  });
});
