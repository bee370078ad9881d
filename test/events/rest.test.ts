/**
 * The events subgraph's `/v1` surface through the REST adapter: webhooks (seed 003), the audit
 * trail, Server-Sent Events with Last-Event-ID resume and heartbeats, and /v1/events/ws.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { newId } from '../../kernel/ids.ts';
import { httpIngest, type RelayedEvent } from '../../kernel/outbox-relay.ts';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { openSse, type SseStream } from '../sse-client.ts';
import { logOf, ok } from './helpers.ts';
import { wsUrl } from './ws-client.ts';

let platform: TestPlatform;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  platform = await startTestPlatform({
    TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    TRELLIS_SSE_HEARTBEAT_SECONDS: '1',
  });
});
afterAll(async () => {
  for (const cleanup of cleanups) cleanup();
  await closeAll();
});

/** Opens an SSE stream on the test platform; closed after the file. */
async function sse(path: string, headers: Record<string, string>): Promise<SseStream> {
  const stream = await openSse(`${platform.url}${path}`, headers);
  cleanups.push(stream.close);
  return stream;
}

async function createWorkflow(user: TestUser, name: string) {
  const data = await ok(
    platform,
    'mutation($orgId: ID!, $name: String!) { createWorkflow(orgId: $orgId, input: { name: $name }) { id } }',
    { orgId: user.orgId, name },
    user.token,
  );
  return data.createWorkflow.id as string;
}

describe('webhook routes', () => {
  it('create, list, update, toggle, regenerate, deliveries and delete', async () => {
    const user = await platform.signup('REST Hooks');
    const auth = { token: user.token };
    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/webhooks/create`, {
      ...auth,
      body: { name: 'deploys', url: 'http://127.0.0.1:9/hooks', events: ['cluster.running', 'cluster.failed'] },
    });
    expect(created.status).toBe(201);
    const hook = created.body.data;
    expect(hook).toMatchObject({
      name: 'deploys',
      events: ['cluster.running', 'cluster.failed'],
      enabled: true,
      secret: expect.stringMatching(/^whsec_/),
      secretPrefix: expect.stringMatching(/^whsec_/),
    });

    const list = await platform.rest('GET', `/v1/orgs/${user.orgId}/webhooks`, auth);
    expect(list.status).toBe(200);
    expect(list.body.data.items.map((w: { id: string }) => w.id)).toEqual([hook.id]);
    expect(JSON.stringify(list.body)).not.toContain(hook.secret);

    const patched = await platform.rest('PATCH', `/v1/orgs/${user.orgId}/webhooks/${hook.id}`, {
      ...auth,
      body: { name: 'renamed', events: ['vm.*'] },
    });
    expect(patched.body.data).toMatchObject({ name: 'renamed', events: ['vm.*'] });

    const toggled = await platform.rest('POST', `/v1/orgs/${user.orgId}/webhooks/${hook.id}/toggle`, {
      ...auth,
      body: { enabled: false },
    });
    expect(toggled.body.data.enabled).toBe(false);

    const rolled = await platform.rest('POST', `/v1/orgs/${user.orgId}/webhooks/${hook.id}/regenerate-secret`, auth);
    expect(rolled.body.data.secret).toMatch(/^whsec_/);
    expect(rolled.body.data.secret).not.toBe(hook.secret);

    const deliveries = await platform.rest(
      'GET',
      `/v1/orgs/${user.orgId}/webhooks/${hook.id}/deliveries?limit=5`,
      auth,
    );
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.data.items).toEqual([]);

    const invalid = await platform.rest('POST', `/v1/orgs/${user.orgId}/webhooks/create`, {
      ...auth,
      body: { name: 'x', url: 'not a url' },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe('validation_failed');

    const other = await platform.signup('Other REST Org');
    const foreign = await platform.rest('DELETE', `/v1/orgs/${other.orgId}/webhooks/${hook.id}`, {
      token: other.token,
    });
    expect(foreign.status).toBe(404);

    const deleted = await platform.rest('DELETE', `/v1/orgs/${user.orgId}/webhooks/${hook.id}`, auth);
    expect(deleted.status).toBe(204);
    const after = await platform.rest('GET', `/v1/orgs/${user.orgId}/webhooks`, auth);
    expect(after.body.data.items).toEqual([]);

    // Every change is in the log.
    const types = await eventually(async () => {
      const log = (await logOf(platform, user)).map((e) => e.type);
      return log.includes('webhook.deleted') ? log : undefined;
    });
    expect(types).toEqual(
      expect.arrayContaining(['webhook.created', 'webhook.updated', 'webhook.disabled', 'webhook.secret_rotated']),
    );
  });
});

describe('audit trail', () => {
  it('is the log filtered to people and API keys, by actor and action, on all three paths', async () => {
    const user = await platform.signup('Audit Org');
    const key = await platform.apiKey(user);
    await createWorkflow(user, 'audited');
    await platform.graphql(
      'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "by key" }) { id } }',
      { orgId: user.orgId },
      { headers: { authorization: `Bearer ${key.key}` } },
    );
    // A service-made event is not part of the audit trail.
    await httpIngest(
      platform.app.platform,
      'test',
    )([
      {
        id: newId('evt'),
        orgId: user.orgId,
        type: 'vm.running',
        subject: { type: 'vm', id: 'vm_1' },
        actor: { type: 'service', id: 'svc_compute' },
        requestId: null,
        data: { vmId: 'vm_1' },
        occurredAt: new Date().toISOString(),
        source: 'test',
      },
    ]);
    await eventually(async () => {
      const log = await logOf(platform, user);
      return log.filter((e) => e.type === 'workflow.created').length === 2 && log.some((e) => e.type === 'vm.running');
    });

    const all = await platform.rest('GET', `/v1/orgs/${user.orgId}/audit-log`, { token: user.token });
    expect(all.status).toBe(200);
    const actions = all.body.data.items.map((e: { type: string }) => e.type);
    expect(actions).toContain('workflow.created');
    expect(actions).not.toContain('vm.running');

    const byKey = await platform.rest(
      'GET',
      `/v1/organizations/${user.orgId}/audit-logs?actorId=${key.id}&action=workflow.*`,
      { token: user.token },
    );
    expect(byKey.body.data.items).toHaveLength(1);
    expect(byKey.body.data.items[0]).toMatchObject({
      type: 'workflow.created',
      actor: { type: 'api_key', id: key.id },
    });

    const global = await platform.rest('GET', '/v1/audit-logs?action=workflow.created&limit=1', { token: user.token });
    expect(global.body.data.items).toHaveLength(1);
    expect(global.body.data.nextCursor).toBeTruthy();
    expect(global.body.links.next).toContain('cursor=');
    const next = await platform.rest(
      'GET',
      `/v1/audit-logs?action=workflow.created&limit=1&cursor=${global.body.data.nextCursor}`,
      {
        token: user.token,
      },
    );
    expect(next.body.data.items).toHaveLength(1);
    expect(next.body.data.items[0].id).not.toBe(global.body.data.items[0].id);

    const stranger = await platform.signup('Stranger');
    const refused = await platform.rest('GET', `/v1/orgs/${user.orgId}/audit-log`, { token: stranger.token });
    expect(refused.status).toBe(403);
  });
});

describe('Server-Sent Events', () => {
  it('streams new events with ids, resumes after Last-Event-ID without gap or duplicate, and sends heartbeats', async () => {
    const user = await platform.signup('SSE Org');
    const key = await platform.apiKey(user);
    const headers = { authorization: `Bearer ${key.key}` };
    const first = await sse('/v1/events/stream?types=workflow.*', headers);
    expect(first.status).toBe(200);
    expect(first.contentType).toContain('text/event-stream');
    await eventually(() => first.comments.some((c) => c.startsWith('connected')));
    await createWorkflow(user, 'sse-1');
    await createWorkflow(user, 'sse-2');
    const seen = await eventually(() => (first.messages.length >= 2 ? first.messages : undefined));
    expect(seen.map((m) => m.event)).toEqual(['workflow.created', 'workflow.created']);
    expect(seen.map((m) => JSON.parse(m.data as string).data.name)).toEqual(['sse-1', 'sse-2']);
    await eventually(() => first.comments.some((c) => c.startsWith('heartbeat')));
    first.close();

    const lastId = seen[0]?.id as string;
    await createWorkflow(user, 'sse-3');
    const resumed = await sse('/v1/events/stream?types=workflow.*', { ...headers, 'last-event-id': lastId });
    const replay = await eventually(() => (resumed.messages.length >= 2 ? resumed.messages : undefined));
    expect(replay.map((m) => JSON.parse(m.data as string).data.name)).toEqual(['sse-2', 'sse-3']);
    expect(Number(replay[0]?.id)).toBeGreaterThan(Number(lastId));
    resumed.close();
  });

  it('streams one job and one workflow run, and refuses another organization', async () => {
    const user = await platform.signup('Job SSE Org');
    const ingest = httpIngest(platform.app.platform, 'test');
    const event = (
      type: string,
      subject: { type: string; id: string },
      data: Record<string, unknown>,
    ): RelayedEvent => ({
      id: newId('evt'),
      orgId: user.orgId,
      type,
      subject,
      actor: null,
      requestId: null,
      data,
      occurredAt: new Date().toISOString(),
      source: 'test',
    });
    // A real job (compute answers for it: an unknown job id is a 404, test/compute/jobs.test.ts).
    const submitted = await platform.graphql(
      'mutation($o: ID!) { submitJob(input: { orgId: $o, type: "sse" }) { job { id } } }',
      { o: user.orgId },
      { token: user.token },
    );
    const jobA = submitted.body.data.submitJob.job.id as string;
    // A real run too (compute answers for it: another organization's or an unknown run is a 404).
    const definition = await ok(
      platform,
      'mutation($o: ID!) { createWorkflowDefinition(input: { orgId: $o, name: "sse-run", nodes: [{ id: "gate", type: "approval", message: "sse" }] }) { id } }',
      { o: user.orgId },
      user.token,
    );
    const created = await ok(
      platform,
      'mutation($o: ID!, $d: ID!, $w: ID!) { createWorkflowRun(input: { orgId: $o, definitionId: $d, workflowId: $w }) { id } }',
      { o: user.orgId, d: definition.createWorkflowDefinition.id, w: await createWorkflow(user, 'sse-run') },
      user.token,
    );
    const runA = created.createWorkflowRun.id as string;
    const job = await sse(`/v1/jobs/${jobA}/events`, { authorization: `Bearer ${user.token}` });
    const run = await sse(`/v1/workflow-runs/${runA}/events`, { authorization: `Bearer ${user.token}` });
    await eventually(() => job.comments.length > 0 && run.comments.length > 0);
    await ingest([
      event('job.claimed', { type: 'job', id: 'job_B' }, { jobId: 'job_B' }),
      event('job.claimed', { type: 'job', id: jobA }, { jobId: jobA }),
      event('workflow_run.started', { type: 'workflow_run', id: runA }, { runId: runA }),
      event('job.succeeded', { type: 'job', id: jobA }, { jobId: jobA }),
    ]);
    // (the job's own job.submitted may be relayed after the stream opened: it is the job's too)
    const injected = () => job.messages.filter((m) => m.event !== 'job.submitted');
    const jobEvents = await eventually(() => (injected().length >= 2 ? injected() : undefined));
    expect(jobEvents.map((m) => m.event)).toEqual(['job.claimed', 'job.succeeded']);
    const unknown = await sse('/v1/jobs/job_A/events', { authorization: `Bearer ${user.token}` });
    expect(unknown.status).toBe(404);
    // (the run's own run.created may be relayed after the stream opened: it is the run's too)
    const injectedRun = () => run.messages.filter((m) => m.event === 'workflow_run.started');
    const runEvents = await eventually(() => (injectedRun().length >= 1 ? injectedRun() : undefined));
    expect(runEvents.map((m) => JSON.parse(m.data as string).subject.id)).toEqual([runA]);
    expect(run.messages.every((m) => JSON.parse(m.data as string).subject.id === runA)).toBe(true);
    const unknownRun = await sse('/v1/workflow-runs/run_A/events', { authorization: `Bearer ${user.token}` });
    expect(unknownRun.status).toBe(404);

    const stranger = await platform.signup('SSE Stranger');
    const refused = await sse(`/v1/events/stream?orgId=${user.orgId}`, { authorization: `Bearer ${stranger.token}` });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.raw).error.code).toBe('org_mismatch');
  });
});

/** A JSON Lines stream (`Accept: application/x-ndjson`): each line parsed; closed after the file. */
async function jsonLines(path: string, headers: Record<string, string>) {
  const controller = new AbortController();
  cleanups.push(() => controller.abort());
  const response = await fetch(`${platform.url}${path}`, {
    headers: { ...headers, accept: 'application/x-ndjson' },
    signal: controller.signal,
  });
  const stream = {
    status: response.status,
    contentType: response.headers.get('content-type'),
    // biome-ignore lint/suspicious/noExplicitAny: JSON payloads are asserted field by field
    lines: [] as any[],
    raw: '',
  };
  if (response.status !== 200 || !response.body) {
    stream.raw = await response.text();
    return { ...stream, close: () => controller.abort() };
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
          stream.lines.push(JSON.parse(buffer.slice(0, end)));
          buffer = buffer.slice(end + 1);
        }
      }
    } catch {
      // aborted
    }
  })();
  return { ...stream, close: () => controller.abort() };
}

describe('JSON Lines streams (seed 002)', () => {
  it('serves a run’s events one JSON object a line when asked by Accept, resumable, with the same 404', async () => {
    const user = await platform.signup('JSONL Org');
    const headers = { authorization: `Bearer ${user.token}` };
    const ingest = httpIngest(platform.app.platform, 'test');
    const definition = await ok(
      platform,
      'mutation($o: ID!) { createWorkflowDefinition(input: { orgId: $o, name: "jsonl-run", nodes: [{ id: "gate", type: "approval", message: "jsonl" }] }) { id } }',
      { o: user.orgId },
      user.token,
    );
    const created = await ok(
      platform,
      'mutation($o: ID!, $d: ID!, $w: ID!) { createWorkflowRun(input: { orgId: $o, definitionId: $d, workflowId: $w }) { id } }',
      { o: user.orgId, d: definition.createWorkflowDefinition.id, w: await createWorkflow(user, 'jsonl-run') },
      user.token,
    );
    const runId = created.createWorkflowRun.id as string;
    const probe = (n: number): RelayedEvent => ({
      id: newId('evt'),
      orgId: user.orgId,
      type: 'workflow_run.probe',
      subject: { type: 'workflow_run', id: runId },
      actor: null,
      requestId: null,
      data: { runId, n },
      occurredAt: new Date().toISOString(),
      source: 'test',
    });
    const stream = await jsonLines(`/v1/workflow-runs/${runId}/events`, headers);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('application/x-ndjson');
    await eventually(() => stream.lines.some((l) => l.event === 'connected'));
    await ingest([probe(1), probe(2)]);
    const probes = () => stream.lines.filter((l) => l.event === 'workflow_run.probe');
    const seen = await eventually(() => (probes().length >= 2 ? probes() : undefined));
    expect(seen.map((l) => l.data.data.n)).toEqual([1, 2]);
    expect(seen.every((l) => Number.isSafeInteger(l.id) && l.data.subject.id === runId)).toBe(true);
    expect(stream.lines.every((l) => l.event !== 'workflow_run.probe' || l.data.subject.id === runId)).toBe(true);
    await eventually(() => stream.lines.some((l) => l.event === 'heartbeat'));
    stream.close();

    // Resumes after the last id read, as SSE does with Last-Event-ID.
    const resumed = await jsonLines(`/v1/workflow-runs/${runId}/events`, {
      ...headers,
      'last-event-id': String(seen[0]?.id),
    });
    const replay = await eventually(() => {
      const found = resumed.lines.filter((l) => l.event === 'workflow_run.probe');
      return found.length >= 1 ? found : undefined;
    });
    expect(replay.map((l) => l.data.data.n)).toEqual([2]);

    const unknown = await jsonLines('/v1/workflow-runs/run_unknown/events', headers);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.raw).error.code).toBe('not_found');
    // Without Accept asking for lines the stream stays SSE.
    const sseStream = await sse(`/v1/workflow-runs/${runId}/events`, headers);
    expect(sseStream.contentType).toContain('text/event-stream');
  });
});

describe('/v1/events/ws', () => {
  it('streams the organization’s events as JSON frames and resumes with since', async () => {
    const user = await platform.signup('WS Org');
    const key = await platform.apiKey(user);
    // biome-ignore lint/suspicious/noExplicitAny: JSON payloads are asserted field by field
    const frames: any[] = [];
    const socket = new WebSocket(wsUrl(platform.url, '/v1/events/ws?types=workflow.created'), {
      headers: { authorization: `Bearer ${key.key}` },
    });
    cleanups.push(() => socket.close());
    socket.on('message', (data) => frames.push(JSON.parse(String(data))));
    await eventually(() => frames.some((f) => f.type === 'ready'));
    const workflowId = await createWorkflow(user, 'over-ws');
    const frame = await eventually(() => frames.find((f) => f.type === 'event'));
    expect(frame.event).toMatchObject({ type: 'workflow.created', orgId: user.orgId, subject: { id: workflowId } });
    socket.close();

    await createWorkflow(user, 'while-away');
    // biome-ignore lint/suspicious/noExplicitAny: JSON payloads are asserted field by field
    const resumedFrames: any[] = [];
    const resumed = new WebSocket(
      wsUrl(platform.url, `/v1/events/ws?types=workflow.created&since=${frame.event.seq}`),
      {
        headers: { authorization: `Bearer ${key.key}` },
      },
    );
    cleanups.push(() => resumed.close());
    resumed.on('message', (data) => resumedFrames.push(JSON.parse(String(data))));
    const replayed = await eventually(() => resumedFrames.find((f) => f.type === 'event'));
    expect(replayed.event.data.name).toBe('while-away');

    const denied = new WebSocket(wsUrl(platform.url, '/v1/events/ws'), {
      headers: { authorization: 'Bearer trs_nope' },
    });
    const code = await new Promise((resolve) => denied.on('close', (c) => resolve(c)));
    expect(code).toBe(4403);

    const plain = await platform.rest('GET', '/v1/events/ws', { token: user.token });
    expect(plain.status).toBe(400);
  });
});
