/**
 * Agents, templates and tasks (seed 004 `/v1/public/*`): a template presets an agent; a task is a job on
 * its agent's queue; a stopped agent's tasks are not claimable until it starts; a restart hands the tasks
 * it held back to its queue; the queue-health dashboard counts per agent; another org sees nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let key: string;
let worker: string;
let other: TestUser;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off' });
  user = await platform.signup('Agents Org');
  key = (await platform.apiKey(user, ['compute:write'])).key;
  worker = (await platform.apiKey(user, ['jobs:work'])).key;
  other = await platform.signup('Other Agents Org');
}, 60_000);
afterAll(closeAll);

const data = (r: { body: unknown }) => (r.body as { data: Json }).data;
const code = (r: { body: unknown }) => (r.body as { error: { code: string } }).error?.code;

async function call(method: string, path: string, body?: unknown, token = key) {
  return platform.rest(method, path, { token, body });
}

async function claimFrom(queue: string) {
  return call('POST', '/v1/jobs/claim', { worker_id: 'agent-runner', queue_name: queue, batch_size: 5 }, worker);
}

describe('agents, templates and tasks', () => {
  let agent: Json;

  it('a template presets the agent it creates; a taken slug is 409', async () => {
    const template = await call('POST', '/v1/public/templates', {
      name: 'Researcher',
      slug: 'researcher',
      category: 'research',
      model: 'claude-haiku-4-5',
      interval_sec: 600,
      tools: ['web'],
      is_featured: true,
    });
    expect(template.status, JSON.stringify(template.body)).toBe(201);
    expect((await call('POST', '/v1/public/templates', { name: 'Again', slug: 'researcher' })).status).toBe(409);
    const featured = data(await call('GET', '/v1/public/templates?featured=true'));
    expect(featured.items.map((t: Json) => t.slug)).toEqual(['researcher']);

    const created = await call('POST', '/v1/public/agents', { name: 'felix', templateId: data(template).id });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    agent = data(created);
    expect(agent).toMatchObject({
      name: 'felix',
      role: 'research',
      model: 'claude-haiku-4-5',
      intervalSec: 600,
      status: 'idle',
      desiredState: 'running',
      queue: `agent.${agent.id}`,
    });
    expect((await call('POST', '/v1/public/agents', { name: 'felix', role: 'x' })).status).toBe(409);
  });

  it("a task waits in its agent's queue; a stopped agent's tasks are not claimable until it starts", async () => {
    const task = data(
      await call('POST', '/v1/public/tasks', {
        title: 'Summarise the paper',
        type: 'research',
        priority: 'high',
        assigned_to: 'felix',
        max_duration_seconds: 600,
      }),
    );
    expect(task).toMatchObject({ status: 'todo', assignedTo: agent.id, priority: 'high', maxDurationSeconds: 600 });

    const stopped = data(await call('POST', `/v1/public/agents/${agent.id}/stop`));
    expect(stopped).toMatchObject({ status: 'paused', desiredState: 'stopped', queuedTasks: 1 });
    const refused = await claimFrom(agent.queue);
    expect(refused.status).toBe(409);
    expect(code(refused)).toBe('conflict');
    expect(data(await call('GET', `/v1/public/tasks/${task.id}`)).status).toBe('todo');

    await call('POST', `/v1/public/agents/${agent.id}/start`);
    const [claimed] = data(await claimFrom(agent.queue));
    expect(claimed).toMatchObject({ id: task.id, status: 'running', agentId: agent.id, type: 'task.research' });
    expect(data(await call('GET', `/v1/public/tasks/${task.id}`)).status).toBe('in_progress');

    // A restart hands the task back to the queue; it is claimed and finished again.
    const restarted = data(await call('POST', `/v1/public/agents/${agent.id}/restart`));
    expect(restarted).toMatchObject({ restartCount: 1, runningTasks: 0, queuedTasks: 1 });
    // (after the job's retry delay: the restart counted as a failed attempt)
    const [again] = await eventually(async () => {
      const got = data(await claimFrom(agent.queue)) as Json[];
      return got.length ? got : undefined;
    });
    expect(again).toMatchObject({ id: task.id, attempts: 2 });
    await call('PATCH', `/v1/public/tasks/${task.id}`, { status: 'review', resolution: 'drafted' });
    expect(data(await call('GET', `/v1/public/tasks/${task.id}`))).toMatchObject({
      status: 'review',
      resolution: 'drafted',
    });
    const done = await call('POST', `/v1/jobs/${task.id}/complete`, { result: { summary: 'ok' } }, worker);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(data(await call('GET', `/v1/public/tasks/${task.id}`))).toMatchObject({
      status: 'done',
      result: { summary: 'ok' },
    });
  });

  it('a queued task moves to another agent; archiving cancels it; the dashboard counts per agent', async () => {
    const second = data(await call('POST', '/v1/public/agents', { name: 'ada', role: 'ops' }));
    const task = data(await call('POST', '/v1/public/tasks', { title: 'Rotate logs', assigned_to: agent.id }));
    const moved = data(await call('PATCH', `/v1/public/tasks/${task.id}`, { assigned_to: 'ada' }));
    expect(moved.assignedTo).toBe(second.id);
    expect(data(await claimFrom(agent.queue))).toEqual([]);
    const kept = data(await call('POST', '/v1/public/tasks', { title: 'Keep', assigned_to: 'ada' }));

    const archived = data(await call('DELETE', `/v1/public/tasks/${task.id}`));
    expect(archived.status).toBe('cancelled');
    const [claimed] = data(await claimFrom(second.queue));
    expect(claimed.id).toBe(kept.id);
    const inProgress = data(await call('GET', '/v1/public/tasks?status=in_progress'));
    expect(inProgress.items.map((t: Json) => t.id)).toEqual([kept.id]);

    const health = data(await call('GET', `/v1/orgs/${user.orgId}/dashboard/agent-queue-health`));
    const ada = health.find((h: Json) => h.agentId === second.id);
    const felix = health.find((h: Json) => h.agentId === agent.id);
    expect(ada).toMatchObject({ queued: 0, running: 1 });
    expect(felix).toMatchObject({ queued: 0, running: 0, completedLast24h: 1 });

    const deactivated = data(await call('DELETE', `/v1/public/agents/${second.id}`));
    expect(deactivated).toMatchObject({ status: 'offline', desiredState: 'deactivated' });
    expect((await call('POST', '/v1/public/tasks', { title: 'No', assigned_to: 'ada' })).status).toBe(409);
    const list = data(await call('GET', '/v1/public/agents?status=offline'));
    expect(list.items.map((a: Json) => a.name)).toEqual(['ada']);
  });

  it('another organization sees none of it', async () => {
    expect((await call('GET', `/v1/public/agents/${agent.id}`, undefined, other.token)).status).toBe(404);
    const theirs = await call(
      'GET',
      `/v1/public/tasks?orgId=${other.orgId}&assigned_to=${agent.id}`,
      undefined,
      other.token,
    );
    expect(data(theirs).items).toEqual([]);
    expect((await call('POST', `/v1/public/agents/${agent.id}/stop`, undefined, other.token)).status).toBe(404);
    expect(
      (await call('GET', `/v1/orgs/${user.orgId}/dashboard/agent-queue-health`, undefined, other.token)).status,
    ).toBe(403);
  });
});
