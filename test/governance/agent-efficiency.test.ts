/**
 * The agent-efficiency dashboard (seed 004 `GET /v1/orgs/{orgId}/dashboard/agent-efficiency`): agents created in
 * compute with budget workflows, spend tracked on those workflows, tasks finished by a worker key — governance
 * learns the agents and their task outcomes from compute's events only, and reports per agent tokens, cost,
 * outcomes and tasks per 1k tokens, best first; a redelivered event counts once. Moving an agent to another workflow moves its spend; the window
 * is bounded; another organization's path is 403 and its own dashboard lists none of these agents.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { createWorkflow, gql, TRACK } from './helpers.ts';

let platform: TestPlatform;
let user: TestUser;
let other: TestUser;
let key: string;
let worker: string;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off' });
  user = await platform.signup('Efficiency Org');
  other = await platform.signup('Other Efficiency Org');
  key = (await platform.apiKey(user, ['compute:write'])).key;
  worker = (await platform.apiKey(user, ['jobs:work'])).key;
}, 60_000);
afterAll(closeAll);

const data = (r: { body: unknown }) => (r.body as { data: Json }).data;

async function call(method: string, path: string, body?: unknown, token = key) {
  const response = await platform.rest(method, path, { token, body });
  return response;
}

async function createAgent(name: string, workflowId?: string): Promise<Json> {
  const created = await call('POST', '/v1/public/agents', { name, role: 'ops', ...(workflowId ? { workflowId } : {}) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return data(created);
}

/** Queues `count` tasks for the agent, claims them with the worker key and finishes each one. */
async function runTasks(agent: Json, outcomes: ('complete' | 'fail')[]) {
  for (const [i] of outcomes.entries()) {
    const task = await call('POST', '/v1/public/tasks', { title: `${agent.name} task ${i}`, assigned_to: agent.id });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
  }
  const claim = await call(
    'POST',
    '/v1/jobs/claim',
    { worker_id: 'efficiency-runner', queue_name: agent.queue, batch_size: outcomes.length },
    worker,
  );
  const claimed = data(claim) as Json[];
  expect(claimed).toHaveLength(outcomes.length);
  for (const [i, job] of claimed.entries()) {
    const done =
      outcomes[i] === 'complete'
        ? await call('POST', `/v1/jobs/${job.id}/complete`, { result: { ok: true } }, worker)
        : await call('POST', `/v1/jobs/${job.id}/fail`, { error: { reason: 'boom' }, retryable: false }, worker);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
  }
}

async function track(workflowId: string, inputTokens: number, outputTokens: number, costMicros: number) {
  await gql(platform, { token: user.token }, TRACK, { input: { workflowId, costMicros, inputTokens, outputTokens } });
}

const dashboard = async (query = '') => {
  const response = await call(
    'GET',
    `/v1/orgs/${user.orgId}/dashboard/agent-efficiency${query}`,
    undefined,
    user.token,
  );
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return data(response) as Json[];
};

describe('agent efficiency', () => {
  let alpha: Json;
  let beta: Json;
  let gamma: Json;
  let alphaBudget: { id: string };

  it("reports each agent's tokens, cost and task outcomes, sorted by tasks per 1k tokens", async () => {
    alphaBudget = await createWorkflow(platform, user, { name: 'alpha-budget' });
    const betaBudget = await createWorkflow(platform, user, { name: 'beta-budget' });
    alpha = await createAgent('alpha', alphaBudget.id);
    beta = await createAgent('beta', betaBudget.id);
    gamma = await createAgent('gamma');

    await track(alphaBudget.id, 1_000, 500, 1_500);
    await track(alphaBudget.id, 500, 0, 500); // alpha: 2,000 tokens, 2,000 µ$
    await track(betaBudget.id, 3_000, 1_000, 7_000); // beta: 4,000 tokens, 7,000 µ$
    await runTasks(alpha, ['complete', 'complete']); // 1 task per 1k tokens
    await runTasks(beta, ['complete', 'complete', 'complete', 'fail']); // 0.75 per 1k tokens
    await runTasks(gamma, ['complete']); // no workflow: no tokens

    const kpis = await eventually(async () => {
      const rows = await dashboard();
      const done = rows.reduce((sum, r) => sum + r.tasksCompleted + r.tasksFailed, 0);
      return rows.length === 3 && done === 7 ? rows : undefined;
    });
    expect(kpis.map((r) => r.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect(kpis[0]).toEqual({
      agentId: alpha.id,
      name: 'alpha',
      workflowId: alphaBudget.id,
      deactivated: false,
      inputTokens: 1_500,
      outputTokens: 500,
      totalTokens: 2_000,
      costMicros: 2_000,
      trackedEvents: 2,
      tasksCompleted: 2,
      tasksFailed: 0,
      tasksCancelled: 0,
      tasksPer1kTokens: 1,
      costPerTaskMicros: 1_000,
    });
    expect(kpis[1]).toMatchObject({
      agentId: beta.id,
      inputTokens: 3_000,
      outputTokens: 1_000,
      costMicros: 7_000,
      tasksCompleted: 3,
      tasksFailed: 1,
      tasksPer1kTokens: 0.75,
      costPerTaskMicros: 2_333,
    });
    expect(kpis[2]).toMatchObject({
      agentId: gamma.id,
      workflowId: null,
      totalTokens: 0,
      costMicros: 0,
      tasksCompleted: 1,
      tasksPer1kTokens: null,
    });

    // The same through GraphQL, over a one-day window (today: everything above).
    const viaGraphql = await gql(
      platform,
      { token: user.token },
      'query($orgId: ID!) { agentEfficiency(orgId: $orgId, days: 1) { name tasksPer1kTokens } }',
      { orgId: user.orgId },
    );
    expect(viaGraphql.agentEfficiency).toEqual([
      { name: 'alpha', tasksPer1kTokens: 1 },
      { name: 'beta', tasksPer1kTokens: 0.75 },
      { name: 'gamma', tasksPer1kTokens: null },
    ]);
  });

  it("follows an agent's workflow and lifecycle from compute's events", async () => {
    const moved = await call('PATCH', `/v1/public/agents/${gamma.id}`, { workflowId: alphaBudget.id });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((await call('DELETE', `/v1/public/agents/${beta.id}`)).status).toBe(200);
    const kpis = await eventually(async () => {
      const rows = await dashboard();
      const g = rows.find((r) => r.agentId === gamma.id);
      const b = rows.find((r) => r.agentId === beta.id);
      return g?.workflowId === alphaBudget.id && b?.deactivated ? rows : undefined;
    });
    // gamma now spends against alpha's workflow: 1 task over 2,000 tokens.
    expect(kpis.find((r) => r.agentId === gamma.id)).toMatchObject({ totalTokens: 2_000, tasksPer1kTokens: 0.5 });
    expect(kpis.map((r) => r.name)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('a redelivered agent or task event counts once (the consumer dedupes by event id)', async () => {
    const before = await dashboard();
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      // The events service forgets it delivered this organization's events to the consumer: all go again.
      const replayed = await db.query(
        `update events.consumer_deliveries set status = 'pending', completed_at = null, next_attempt_at = now()
          where consumer = 'governance.agent-efficiency' and org_id = $1 and status = 'done' returning event_id`,
        [user.orgId],
      );
      expect(replayed.rowCount).toBeGreaterThanOrEqual(10);
      await eventually(async () => {
        const pending = await db.query(
          `select 1 from events.consumer_deliveries
            where consumer = 'governance.agent-efficiency' and org_id = $1 and status <> 'done'`,
          [user.orgId],
        );
        return pending.rowCount === 0;
      });
    } finally {
      await db.end();
    }
    expect(await dashboard()).toEqual(before);
  });

  it('bounds the window to 1–365 days, in the client’s terms', async () => {
    const cases = [
      ['0', 422, 'validation_failed'],
      ['366', 422, 'validation_failed'],
      ['1.5', 400, 'invalid_request'],
    ] as const;
    for (const [days, status, code] of cases) {
      const response = await call(
        'GET',
        `/v1/orgs/${user.orgId}/dashboard/agent-efficiency?days=${days}`,
        undefined,
        user.token,
      );
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      expect((response.body as Json).error).toMatchObject({ code, field: 'days' });
    }
    expect(await dashboard('?days=365')).toHaveLength(3);
  });

  it("another organization's path is 403, and its own dashboard lists none of these agents", async () => {
    const theirs = await call('GET', `/v1/orgs/${user.orgId}/dashboard/agent-efficiency`, undefined, other.token);
    expect(theirs.status).toBe(403);
    const own = await call('GET', `/v1/orgs/${other.orgId}/dashboard/agent-efficiency`, undefined, other.token);
    expect(own.status).toBe(200);
    expect(data(own)).toEqual([]);
  });
});
