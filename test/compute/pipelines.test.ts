/**
 * Pipelines over REST (docs/pipelines.md): definition validation (422 naming the node), a run through
 * http → approval → condition → http with the approval decided on the governance routes, the run's events in
 * order on its SSE stream, synchronous runs (200 finished / 202 waiting), idempotent creation, resume of a
 * run waiting on input, breakpoints, triggers, sessions, cancel, and admission refused for a paused workflow.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { openSse, type SseStream } from '../sse-client.ts';

let platform: TestPlatform;
let user: TestUser;
/** The org's `*` API key: routes without an org in the path act in its organization. */
let key: string;
/** A worker's key (jobs:work only): it claims and completes the job nodes' jobs. */
let worker: string;
let target: Server;
let targetUrl: string;
const received: Json[] = [];
const streams: SseStream[] = [];

beforeAll(async () => {
  target = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ path: req.url, method: req.method, body: body ? JSON.parse(body) : null });
      res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, path: req.url, echo: body ? JSON.parse(body) : null }));
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  platform = await startTestPlatform({
    TRELLIS_LOCAL_NODE: 'off',
    TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  });
  user = await platform.signup('Pipelines Org');
  key = (await platform.apiKey(user)).key;
  worker = (await platform.apiKey(user, ['jobs:work'])).key;
}, 60_000);
afterAll(async () => {
  for (const stream of streams) stream.close();
  target.close();
  await closeAll();
});

const rest = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  platform.rest(method, path, { token: key, body, headers });

async function define(name: string, nodes: unknown[], extra: Record<string, unknown> = {}) {
  const created = await rest('POST', '/v1/workflow-definitions', { name, nodes, ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.data as Json;
}

async function runInStatus(id: string, statuses: string[]) {
  return eventually(
    async () => {
      const run = (await rest('GET', `/v1/workflow-runs/${id}`)).body.data;
      return statuses.includes(run?.status) ? run : undefined;
    },
    15_000,
    `run ${id} in ${statuses.join('/')}`,
  );
}

describe('definitions', () => {
  it('refuses a cycle, an unknown reference and a bad expression with 422 naming the node', async () => {
    const cycle = await rest('POST', '/v1/workflow-definitions', {
      name: 'cyclic',
      nodes: [
        { id: 'a', type: 'wait', seconds: 1, dependsOn: ['c'] },
        { id: 'b', type: 'wait', seconds: 1, dependsOn: ['a'] },
        { id: 'c', type: 'wait', seconds: 1, dependsOn: ['b'] },
      ],
    });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error.code).toBe('validation_failed');
    expect(cycle.body.error.message).toMatch(/cycle/);
    expect(cycle.body.error.message).toMatch(/\((a|b|c)\)/);

    const unknown = await rest('POST', '/v1/workflow-definitions', {
      name: 'unknown-ref',
      nodes: [{ id: 'only', type: 'wait', seconds: 1, dependsOn: ['ghost'] }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toMatch(/only.*ghost/);

    const notAncestor = await rest('POST', '/v1/workflow-definitions', {
      name: 'bad-template',
      nodes: [
        { id: 'a', type: 'wait', seconds: 0 },
        { id: 'b', type: 'parallel', input: { x: '{{ nodes.a.output }}' } },
      ],
    });
    expect(notAncestor.status).toBe(422);
    expect(notAncestor.body.error.message).toMatch(/\(b\).*nodes\.a/);

    const badExpr = await rest('POST', '/v1/workflow-definitions', {
      name: 'bad-expr',
      nodes: [{ id: 'check', type: 'condition', expr: 'input.x == (1' }],
    });
    expect(badExpr.status).toBe(422);
    expect(badExpr.body.error.field).toBe('nodes[0].expr');

    const provider = await rest('POST', '/v1/workflow-definitions', {
      name: 'provider',
      nodes: [{ id: 'llm', type: 'provider', prompt: 'Hi' }],
    });
    expect(provider.status).toBe(422);
    expect(provider.body.error.field).toBe('nodes[0].model');

    const privateTarget = await platform.rest('POST', '/v1/workflow-definitions', {
      token: key,
      body: { name: 'ssrf', nodes: [{ id: 'h', type: 'http', url: 'http://169.254.169.254/latest/meta-data' }] },
    });
    // Private targets are allowed in this test platform; metadata addresses are still refused by name? No:
    // with TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS every address is allowed, so this only checks the shape.
    expect([201, 422]).toContain(privateTarget.status);
  });

  it('versions a definition by name, lists the latest and describes triggers and approval gates', async () => {
    const v1 = await define('versioned', [{ id: 'w', type: 'wait', seconds: 0 }]);
    const v2 = await define(
      'versioned',
      [
        { id: 'w', type: 'wait', seconds: 0 },
        { id: 'gate', type: 'approval', dependsOn: ['w'] },
      ],
      { triggers: [{ id: 'manual', description: 'by hand' }] },
    );
    expect(v2.id).toBe(v1.id);
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const described = (await rest('GET', `/v1/workflow-definitions/${v1.id}`)).body.data;
    expect(described).toMatchObject({ version: 2, approvalGates: ['gate'] });
    expect(described.triggers).toEqual([
      expect.objectContaining({ id: `${v1.id}.manual`, name: 'manual', description: 'by hand' }),
    ]);
    const old = (await rest('GET', `/v1/workflow-definitions/${v1.id}?version=1`)).body.data;
    expect(old.version).toBe(1);
    const list = (await rest('GET', '/v1/workflow-definitions')).body.data.items;
    expect(list.filter((d: Json) => d.id === v1.id)).toHaveLength(1);
  });
});

describe('runs', () => {
  it('runs http → approval → condition → http end to end; the approval is decided on governance routes', async () => {
    const definition = await define('deploy', [
      { id: 'build', type: 'http', url: `${targetUrl}/build`, body: { ref: '{{ input.ref }}' } },
      { id: 'gate', type: 'approval', dependsOn: ['build'], message: 'Ship {{ input.ref }}?' },
      {
        id: 'check',
        type: 'condition',
        dependsOn: ['gate'],
        expr: "nodes.build.output.status == 200 && input.env == 'prod'",
        onTrue: ['ship'],
        onFalse: ['skipShip'],
      },
      {
        id: 'ship',
        type: 'http',
        url: `${targetUrl}/ship`,
        body: { built: '{{ nodes.build.output.body.echo.ref }}', by: '{{ nodes.gate.output.decidedBy }}' },
      },
      { id: 'skipShip', type: 'http', url: `${targetUrl}/never` },
    ]);
    const started = await rest('POST', `/v1/workflow-definitions/${definition.id}/start`, {
      input: { ref: 'v1.2.3', env: 'prod' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const runId = started.body.data.id as string;
    const stream = await openSse(`${platform.url}/v1/workflow-runs/${runId}/events?orgId=${user.orgId}`, {
      authorization: `Bearer ${key}`,
    });
    streams.push(stream);

    const waiting = await runInStatus(runId, ['waiting']);
    expect(waiting.nodes.find((n: Json) => n.nodeId === 'gate').status).toBe('waiting');
    const approval = await eventually(
      async () => {
        const list = (await rest('GET', '/v1/approvals')).body.data.items as Json[];
        return list.find((a) => a.runId === runId);
      },
      15_000,
      'the governance approval',
    );
    expect(approval).toMatchObject({ nodeId: 'gate', status: 'pending', message: 'Ship v1.2.3?' });

    const approved = await rest('POST', `/v1/workflow-runs/${runId}/approve`, { note: 'go' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.data.status).toBe('approved');
    const again = await rest('POST', `/v1/workflow-runs/${runId}/approve`, {});
    expect(again.status).toBe(404); // no pending gate any more

    const done = await runInStatus(runId, ['succeeded', 'failed']);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    const byNode = Object.fromEntries(done.nodes.map((n: Json) => [n.nodeId, n.status]));
    expect(byNode).toEqual({
      build: 'succeeded',
      gate: 'succeeded',
      check: 'succeeded',
      ship: 'succeeded',
      skipShip: 'skipped',
    });
    expect(received.filter((r) => r.path === '/build')).toEqual([
      { path: '/build', method: 'POST', body: { ref: 'v1.2.3' } },
    ]);
    const ship = received.filter((r) => r.path === '/ship');
    expect(ship).toHaveLength(1);
    expect(ship[0].body.built).toBe('v1.2.3');
    expect(received.some((r) => r.path === '/never')).toBe(false);

    const types = await eventually(
      async () => {
        const seen = stream.messages.map((m) => m.event);
        return seen.includes('run.succeeded') ? seen : undefined;
      },
      15_000,
      'run.succeeded on the stream',
    );
    // A stream opened after the run ended still starts at the run's first event (its history is replayed).
    const late = await openSse(`${platform.url}/v1/workflow-runs/${runId}/events?orgId=${user.orgId}`, {
      authorization: `Bearer ${key}`,
    });
    streams.push(late);
    const replayed = await eventually(
      async () => {
        const seen = late.messages.map((m) => m.event);
        return seen.includes('run.succeeded') ? seen : undefined;
      },
      15_000,
      'the finished run replayed on a late stream',
    );
    expect(replayed[0]).toBe('run.created');
    expect(replayed.filter((t) => t === 'run.succeeded')).toHaveLength(1);
    const order = [
      'run.created',
      'run.started',
      'run.node_started',
      'run.node_completed',
      'run.approval_requested',
      'run.waiting',
      'run.node_completed',
      'run.succeeded',
    ];
    let at = -1;
    for (const type of order) {
      const next = types.indexOf(type as string, at + 1);
      expect(next, `${type} after position ${at} in ${types.join(',')}`).toBeGreaterThan(at);
      at = next;
    }
    const completed = stream.messages
      .filter((m) => m.event === 'run.node_completed')
      .map((m) => JSON.parse(m.data as string).data.nodeId);
    expect(completed.sort()).toEqual(['build', 'check', 'gate', 'ship']);
  });

  it('acceptance: job → approval → http; a worker completes the job, approving resumes the run, the stream shows every step in order', async () => {
    const definition = await define('release', [
      { id: 'build', type: 'job', queue: 'builds', jobType: 'build', input: { ref: '{{ input.ref }}' } },
      { id: 'gate', type: 'approval', dependsOn: ['build'], message: 'Ship {{ input.ref }}?' },
      {
        id: 'ship',
        type: 'http',
        dependsOn: ['gate'],
        url: `${targetUrl}/release`,
        body: { artifact: '{{ nodes.build.output.result.artifact }}', approvedBy: '{{ nodes.gate.output.decidedBy }}' },
      },
    ]);
    const runId = (await rest('POST', `/v1/workflow-definitions/${definition.id}/start`, { input: { ref: 'v2' } })).body
      .data.id as string;
    const stream = await openSse(`${platform.url}/v1/workflow-runs/${runId}/events?orgId=${user.orgId}`, {
      authorization: `Bearer ${key}`,
    });
    streams.push(stream);

    // The worker claims the build job (its payload rendered from the run's input) and completes it.
    const claimed = await eventually(
      async () => {
        const r = await platform.rest('POST', '/v1/jobs/claim', {
          token: worker,
          body: { workerId: 'builder-1', queue: 'builds' },
        });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        return r.body.data[0];
      },
      15_000,
      'the build job',
    );
    expect(claimed).toMatchObject({ type: 'build', payload: { ref: 'v2' } });
    const completed = await platform.rest('POST', `/v1/jobs/${claimed.id}/complete`, {
      token: worker,
      body: { workerId: 'builder-1', result: { artifact: 'build-v2.tar' } },
    });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);

    const waiting = await eventually(
      async () => {
        const run = (await rest('GET', `/v1/workflow-runs/${runId}`)).body.data;
        const gate = run.nodes.find((n: Json) => n.nodeId === 'gate');
        return run.status === 'waiting' && gate?.status === 'waiting' ? run : undefined;
      },
      15_000,
      'the run to wait at the gate',
    );
    expect(waiting.nodes.find((n: Json) => n.nodeId === 'build')).toMatchObject({
      status: 'succeeded',
      jobId: claimed.id,
      output: { jobId: claimed.id, result: { artifact: 'build-v2.tar' } },
    });
    expect(received.some((r) => r.path === '/release')).toBe(false);
    await eventually(
      async () => {
        const list = (await rest('GET', '/v1/approvals')).body.data.items as Json[];
        return list.find((a) => a.runId === runId);
      },
      15_000,
      'the governance approval',
    );
    expect((await rest('POST', `/v1/workflow-runs/${runId}/approve`, {})).status).toBe(200);

    const done = await runInStatus(runId, ['succeeded', 'failed']);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    const release = received.filter((r) => r.path === '/release');
    expect(release).toHaveLength(1);
    expect(release[0].body).toEqual({ artifact: 'build-v2.tar', approvedBy: expect.stringMatching(/^key_/) });

    const steps = await eventually(
      async () => {
        const seen = stream.messages.map((m) => {
          const event = JSON.parse(m.data as string);
          return event.data.nodeId ? `${m.event}:${event.data.nodeId}` : m.event;
        });
        return seen.includes('run.succeeded') ? seen : undefined;
      },
      15_000,
      'run.succeeded on the stream',
    );
    expect(steps.filter((s) => s !== 'run.waiting')).toEqual([
      'run.created',
      'run.started',
      'run.node_started:build',
      'run.node_completed:build',
      'run.node_started:gate',
      'run.approval_requested:gate',
      // governance's approval, pushed on the run's stream too
      'approval.requested:gate',
      'approval.approved:gate',
      'run.node_completed:gate',
      'run.node_started:ship',
      'run.node_completed:ship',
      'run.succeeded',
    ]);
  });

  it('a denied approval fails the run; a failing http node fails it too, and so does a provider node without providers', async () => {
    const definition = await define('deny-me', [
      { id: 'gate', type: 'approval' },
      { id: 'after', type: 'parallel', dependsOn: ['gate'] },
    ]);
    const runId = (await rest('POST', `/v1/workflow-definitions/${definition.id}/start`, {})).body.data.id;
    await eventually(
      async () => {
        const list = (await rest('GET', '/v1/approvals')).body.data.items as Json[];
        return list.find((a) => a.runId === runId);
      },
      15_000,
      'approval',
    );
    expect((await rest('POST', `/v1/workflow-runs/${runId}/deny`, { note: 'no' })).status).toBe(200);
    const denied = await runInStatus(runId, ['failed']);
    expect(denied.error).toMatch(/approval_denied/);
    expect(denied.nodes.map((n: Json) => n.nodeId)).toEqual(['gate']);

    const failing = await define('fails', [{ id: 'boom', type: 'http', url: `${targetUrl}/fail` }]);
    const sync = await rest('POST', `/v1/workflow-definitions/${failing.id}/run`, { timeoutSeconds: 10 });
    expect(sync.status).toBe(200);
    expect(sync.body.data).toMatchObject({ status: 'failed', statusReason: 'node_failed' });
    expect(sync.body.data.error).toMatch(/HTTP 500/);

    // No model provider is configured on this platform: a provider node fails with the AI gateway's 503 code.
    const unserved = await define('no-upstream', [{ id: 'ask', type: 'provider', model: 'any-model', prompt: 'Hi' }]);
    const refused = await rest('POST', `/v1/workflow-definitions/${unserved.id}/run`, { timeoutSeconds: 10 });
    expect(refused.status).toBe(200);
    expect(refused.body.data).toMatchObject({ status: 'failed', statusReason: 'node_failed' });
    expect(refused.body.data.error).toMatch(/provider_unavailable: No model provider is configured/);
  });

  it('runs synchronously: 200 with the finished run, 202 when it waits', async () => {
    const quick = await define('quick', [
      { id: 'a', type: 'parallel', input: { n: '{{ input.n }}' } },
      { id: 'b', type: 'parallel', input: { m: '{{ input.n }}' } },
      { id: 'j', type: 'join', dependsOn: ['a', 'b'] },
    ]);
    const done = await rest('POST', `/v1/workflow-definitions/${quick.id}/run`, { input: { n: 7 } });
    expect(done.status).toBe(200);
    expect(done.body.data.status).toBe('succeeded');
    expect(done.body.data.output).toEqual({
      j: { a: { status: 'succeeded', output: { n: 7 } }, b: { status: 'succeeded', output: { m: 7 } } },
    });

    const gated = await define('gated', [{ id: 'gate', type: 'approval' }]);
    const pending = await rest('POST', `/v1/workflow-definitions/${gated.id}/run`, { timeoutSeconds: 5 });
    expect(pending.status).toBe(202);
    expect(pending.body.data).toMatchObject({ status: 'waiting', id: expect.stringMatching(/^run_/) });
  });

  it('creates runs idempotently, starts, resumes a run waiting for input, and cancels', async () => {
    const definition = await define('needs-input', [
      { id: 'ask', type: 'wait', forInput: true },
      { id: 'use', type: 'parallel', dependsOn: ['ask'], input: { answer: '{{ nodes.ask.output.input.answer }}' } },
    ]);
    const body = { definitionId: definition.id, input: { q: 1 }, idempotencyKey: 'create-once' };
    const first = await rest('POST', '/v1/workflow-runs', body);
    const second = await rest('POST', '/v1/workflow-runs', body);
    expect(first.status).toBe(201);
    expect(second.body.data.id).toBe(first.body.data.id);
    expect(first.body.data.status).toBe('pending');
    const conflict = await rest('POST', '/v1/workflow-runs', { ...body, input: { q: 2 } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('idempotency_conflict');

    const runId = first.body.data.id;
    expect((await rest('POST', `/v1/workflow-runs/${runId}/resume`, {})).status).toBe(409);
    expect((await rest('POST', `/v1/workflow-runs/${runId}/start`)).status).toBe(200);
    await runInStatus(runId, ['waiting']);
    const resumed = await rest('POST', `/v1/workflow-runs/${runId}/resume`, { input: { answer: 42 } });
    expect(resumed.status).toBe(200);
    const done = await runInStatus(runId, ['succeeded']);
    expect(done.output).toEqual({ use: { answer: 42 } });

    const other = (await rest('POST', '/v1/workflow-runs', { definitionId: definition.id, start: true })).body.data.id;
    await runInStatus(other, ['waiting']);
    const cancelled = await rest('POST', `/v1/workflow-runs/${other}/cancel`, { reason: 'not needed' });
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', statusReason: 'not needed' });
    expect((await rest('POST', `/v1/workflow-runs/${other}/resume`, { input: {} })).status).toBe(409);
  });

  it('pauses at a breakpoint, lists the run, and releases it', async () => {
    const definition = await define('debugged', [
      { id: 'first', type: 'parallel' },
      { id: 'second', type: 'parallel', dependsOn: ['first'] },
    ]);
    const bp = await rest('POST', '/v1/debug/breakpoints', { stepId: 'second', definitionId: definition.id });
    expect(bp.status).toBe(201);
    expect((await rest('GET', '/v1/debug/breakpoints')).body.data).toEqual([
      expect.objectContaining({ stepId: 'second' }),
    ]);
    const runId = (await rest('POST', `/v1/workflow-definitions/${definition.id}/start`, {})).body.data.id;
    const paused = await runInStatus(runId, ['paused_at_breakpoint']);
    expect(paused.pausedAtNode).toBe('second');
    expect(paused.nodes.map((n: Json) => n.nodeId)).toEqual(['first']);
    expect((await rest('GET', '/v1/debug/runs')).body.data.map((r: Json) => r.id)).toContain(runId);
    expect((await rest('POST', `/v1/debug/runs/${runId}/release`)).status).toBe(200);
    await runInStatus(runId, ['succeeded']);
    expect((await rest('DELETE', '/v1/debug/breakpoints/second')).status).toBe(204);
    expect((await rest('DELETE', '/v1/debug/breakpoints/second')).status).toBe(404);
  });

  it('fires a trigger, carries a session from run to run, prunes and drops sessions', async () => {
    const definition = await define(
      'chat',
      [{ id: 'reply', type: 'parallel', input: { turn: '{{ input.turn }}', seen: '{{ input.reply.seen }}' } }],
      {
        triggers: [{ id: 'hook' }],
      },
    );
    const triggers = (await rest('GET', '/v1/triggers')).body.data as Json[];
    expect(triggers.map((t) => t.id)).toContain(`${definition.id}.hook`);
    const fired = await rest('POST', `/v1/triggers/${definition.id}.hook/fire`, { payload: { turn: 1 } });
    expect(fired.status).toBe(202);
    expect(fired.body.data.triggerId).toBe(`${definition.id}.hook`);
    expect((await rest('POST', `/v1/triggers/${definition.id}.nope/fire`, {})).status).toBe(404);

    const first = await rest('POST', `/v1/workflow-definitions/${definition.id}/run`, {
      input: { turn: 1 },
      newSession: true,
    });
    const sessionId = first.body.data.sessionId as string;
    expect(sessionId).toMatch(/^ses_/);
    const session = await eventually(
      async () => {
        const s = (await rest('GET', `/v1/sessions/${sessionId}`)).body.data;
        return s?.status === 'active' ? s : undefined;
      },
      15_000,
      'the session to be idle',
    );
    expect(session.state).toEqual({ reply: { turn: 1, seen: null } });
    const resumed = await rest('POST', `/v1/sessions/${sessionId}/resume`, { input: { turn: 2 } });
    expect(resumed.status).toBe(202);
    const second = await runInStatus(resumed.body.data.id, ['succeeded']);
    expect(second.input).toEqual({ reply: { turn: 1, seen: null }, turn: 2 });
    expect((await rest('GET', '/v1/sessions')).body.data.items.map((s: Json) => s.id)).toContain(sessionId);
    await eventually(
      async () => ((await rest('GET', `/v1/sessions/${sessionId}`)).body.data?.status === 'active' ? true : undefined),
      15_000,
      'idle',
    );
    const pruned = await rest('POST', '/v1/sessions/prune', { idleSeconds: 0 });
    expect(pruned.body.data.pruned).toBeGreaterThanOrEqual(1);
    expect((await rest('GET', `/v1/sessions/${sessionId}`)).status).toBe(404);
  });

  it('refuses new runs of a paused workflow with call_denied, and admits them again once resumed', async () => {
    const created = await platform.graphql(
      'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "pipeline-budget" }) { id } }',
      { orgId: user.orgId },
      { token: user.token },
    );
    const workflowId = created.body.data.createWorkflow.id as string;
    const definition = await define('bound', [{ id: 'a', type: 'parallel' }]);
    await platform.rest('POST', `/v1/orgs/${user.orgId}/workflows/${workflowId}/pause`, {
      token: user.token,
      body: {},
    });
    const refused = await eventually(
      async () => {
        const r = await rest('POST', `/v1/workflow-definitions/${definition.id}/start`, { workflowId });
        return r.status === 403 ? r : undefined;
      },
      15_000,
      'the pause to reach compute',
    );
    expect(refused.body.error).toMatchObject({ code: 'call_denied' });
  });

  it('a killed workflow stops its waiting run at once (the kill makes the run due: its advance ends it)', async () => {
    const created = await platform.graphql(
      'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "pipeline-kill" }) { id } }',
      { orgId: user.orgId },
      { token: user.token },
    );
    const workflowId = created.body.data.createWorkflow.id as string;
    const definition = await define('killed', [
      { id: 'gate', type: 'approval', message: 'never decided' },
      { id: 'after', type: 'http', url: `${targetUrl}/after-kill`, dependsOn: ['gate'] },
    ]);
    const started = await rest('POST', `/v1/workflow-definitions/${definition.id}/start`, { workflowId });
    expect(started.status, JSON.stringify(started.body)).toBeLessThan(300);
    const runId = started.body.data.id as string;
    await runInStatus(runId, ['waiting']);
    const killed = await platform.rest('POST', `/v1/orgs/${user.orgId}/workflows/${workflowId}/kill`, {
      token: user.token,
      body: { reason: 'test' },
    });
    expect(killed.status, JSON.stringify(killed.body)).toBe(200);
    const run = await runInStatus(runId, ['failed']);
    expect(run).toMatchObject({ status: 'failed', statusReason: 'workflow_killed' });
    expect(received.some((r) => r.path === '/after-kill')).toBe(false);
  });
});
