/**
 * Provider nodes (docs/pipelines.md §Provider nodes): a pipeline's model call goes through the AI gateway's one
 * governed path — governance `execute` against the run's workflow, the configured upstream, `track` of the actual
 * cost — so its answer feeds the next node, its spend shows once on the workflow, and a refusal (exhausted budget,
 * DENY policy, killed workflow) fails the node without any request reaching the upstream (the test upstream counts them).
 * A node slower than the run driver's lease (a model call often is) runs once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestUpstream, type TestUpstream } from '../ai/test-upstream.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

const MODEL = 'pipeline-model';
// 12 input tokens × $1/M + 6 output tokens × $2/M (the test upstream's usage) = 24 micro-dollars per call.
const CALL_COST = 24;

let platform: TestPlatform;
let upstream: TestUpstream;
let user: TestUser;
let key: string;
let target: Server;
let targetUrl: string;
const received: unknown[] = [];
let slowCalls = 0;

beforeAll(async () => {
  upstream = await startTestUpstream();
  target = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      received.push(JSON.parse(raw || 'null'));
      slowCalls += req.url === '/slow' ? 1 : 0;
      // Longer than the run driver's 10 s lease.
      setTimeout(
        () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"ok":true}');
        },
        req.url === '/slow' ? 12_000 : 0,
      );
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  platform = await startTestPlatform({
    TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    TRELLIS_AI_PROVIDERS: JSON.stringify([
      {
        id: 'local',
        kind: 'openai_compatible',
        baseUrl: `${upstream.url}/v1`,
        models: [{ id: MODEL, inputMicrosPerMillion: 1_000_000, outputMicrosPerMillion: 2_000_000 }],
      },
    ]),
    TRELLIS_AI_MAX_RETRIES: '0',
  });
  user = await platform.signup('Pipeline Provider Org');
  key = (await platform.apiKey(user)).key;
}, 60_000);

afterAll(async () => {
  target?.close();
  await closeAll();
  await upstream?.close();
});

async function createWorkflow(owner: TestUser, name: string, budgetMicros: number): Promise<string> {
  const created = await platform.graphql(
    'mutation($orgId: ID!, $input: CreateWorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { id } }',
    { orgId: owner.orgId, input: { name, budgetMicros } },
    { token: owner.token },
  );
  return created.body.data.createWorkflow.id as string;
}

async function spentOf(owner: TestUser, workflowId: string): Promise<number> {
  const answer = await platform.graphql(
    'query($id: ID!) { workflow(id: $id) { spentMicros } }',
    { id: workflowId },
    { token: owner.token },
  );
  return answer.body.data.workflow.spentMicros as number;
}

/** Defines and runs a pipeline synchronously; the finished run. */
async function run(token: string, name: string, nodes: Json[], body: Json = {}): Promise<Json> {
  const defined = await platform.rest('POST', '/v1/workflow-definitions', { token, body: { name, nodes } });
  expect(defined.status, JSON.stringify(defined.body)).toBe(201);
  const ran = await platform.rest('POST', `/v1/workflow-definitions/${defined.body.data.id}/run`, {
    token,
    body: { timeoutSeconds: 30, ...body },
  });
  expect(ran.status, JSON.stringify(ran.body)).toBe(200);
  return (await platform.rest('GET', `/v1/workflow-runs/${ran.body.data.id}`, { token })).body.data as Json;
}

const node = (runView: Json, id: string): Json => runView.nodes.find((n: Json) => n.nodeId === id);

describe('provider nodes', () => {
  it('runs provider → http: the model’s answer is the http body, and the call’s cost is spent once', async () => {
    const workflowId = await createWorkflow(user, 'pipeline-llm', 10_000_000);
    const before = upstream.count('/v1/chat/completions');
    const finished = await run(
      key,
      'summarise',
      [
        { id: 'ask', type: 'provider', model: MODEL, prompt: 'Summarise {{ input.topic }}', maxTokens: 50 },
        {
          id: 'post',
          type: 'http',
          dependsOn: ['ask'],
          url: `${targetUrl}/answers`,
          body: { answer: '{{ nodes.ask.output.output }}', tokens: '{{ nodes.ask.output.usage.outputTokens }}' },
        },
      ],
      { workflowId, input: { topic: 'trellis' } },
    );
    expect(finished.status, JSON.stringify(finished)).toBe('succeeded');
    expect(upstream.count('/v1/chat/completions')).toBe(before + 1);
    const sent = upstream.last('/v1/chat/completions')?.body as Json;
    expect(sent.messages).toEqual([{ role: 'user', content: 'Summarise trellis' }]);
    expect(sent.model).toBe(MODEL);
    expect(received.at(-1)).toEqual({ answer: 'Hello from the test upstream.', tokens: 6 });

    const ask = node(finished, 'ask');
    expect(ask.output).toMatchObject({
      output: 'Hello from the test upstream.',
      usage: { inputTokens: 12, outputTokens: 6 },
      costMicros: CALL_COST,
      provider: 'local',
      model: MODEL,
    });
    expect(ask.costMicros).toBe(CALL_COST);
    expect(finished.spendMicros).toBe(CALL_COST);

    // Recorded like any gateway call (the record behind provider.call.completed and the proxy usage).
    const usage = await platform.rest('GET', `/v1/orgs/${user.orgId}/ai/proxy-usage?days=7`, { token: user.token });
    expect(usage.body.data.totals).toMatchObject({ calls: 1, inputTokens: 12, outputTokens: 6, costMicros: CALL_COST });

    // Tracked by the governed call itself; governance's run-spend consumer must not add it a second time.
    expect(await spentOf(user, workflowId)).toBe(CALL_COST);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await spentOf(user, workflowId)).toBe(CALL_COST);
  }, 60_000);

  it('fails the node with governance’s reason, before any upstream request, when the budget is exhausted', async () => {
    const workflowId = await createWorkflow(user, 'pipeline-poor', 1);
    const before = upstream.count();
    const finished = await run(key, 'too-expensive', [{ id: 'ask', type: 'provider', model: MODEL, prompt: 'Hi' }], {
      workflowId,
    });
    expect(finished.status).toBe('failed');
    expect(node(finished, 'ask').error).toMatch(/^budget_exhausted \(budget_exceeded\): /);
    expect(upstream.count()).toBe(before);
    expect(finished.spendMicros).toBe(0);
  }, 60_000);

  it('fails the node on a DENY policy, before any upstream request', async () => {
    const workflowId = await createWorkflow(user, 'pipeline-denied', 10_000_000);
    const policy = await platform.graphql(
      'mutation($orgId: ID!, $input: CreatePolicyInput!) { createPolicy(orgId: $orgId, input: $input) { id } }',
      { orgId: user.orgId, input: { name: 'no models here', action: 'DENY', match: { workflowIds: [workflowId] } } },
      { token: user.token },
    );
    expect(policy.body.data?.createPolicy?.id, JSON.stringify(policy.body)).toBeTruthy();
    const before = upstream.count();
    const finished = await run(key, 'denied', [{ id: 'ask', type: 'provider', model: MODEL, prompt: 'Hi' }], {
      workflowId,
    });
    expect(finished.status).toBe('failed');
    expect(node(finished, 'ask').error).toMatch(/^call_denied \(policy_denied\): /);
    expect(upstream.count()).toBe(before);
  }, 60_000);

  it('after a kill, a new run’s provider node fails and the upstream receives nothing', async () => {
    // Its own organization: the gateway caches an organization's default workflow for a few seconds.
    const owner = await platform.signup('Pipeline Provider Kill Org');
    const ownerKey = (await platform.apiKey(owner)).key;
    const workflowId = await createWorkflow(owner, 'default-ai', 10_000_000);
    const settings = await platform.graphql(
      'mutation($orgId: ID!, $input: AiProxySettingsInput!) { updateAiProxySettings(orgId: $orgId, input: $input) { defaultWorkflowId } }',
      { orgId: owner.orgId, input: { defaultWorkflowId: workflowId } },
      { token: owner.token },
    );
    expect(settings.body.data?.updateAiProxySettings, JSON.stringify(settings.body)).toEqual({
      defaultWorkflowId: workflowId,
    });
    const killed = await platform.rest('POST', `/v1/orgs/${owner.orgId}/workflows/${workflowId}/kill`, {
      token: owner.token,
    });
    expect(killed.status).toBe(200);
    const before = upstream.count();
    // A run bound to no workflow: its model call is executed against the organization's default (killed) one.
    const finished = await run(ownerKey, 'after-kill', [
      { id: 'ask', type: 'provider', model: MODEL, messages: [{ role: 'user', content: 'Hi' }] },
    ]);
    expect(finished.status).toBe('failed');
    expect(node(finished, 'ask').error).toMatch(/^call_denied \(workflow_killed\): /);
    expect(upstream.count()).toBe(before);
  }, 60_000);

  it('fails the node with the gateway’s code for a model no provider serves', async () => {
    const workflowId = await createWorkflow(user, 'pipeline-unknown', 10_000_000);
    const before = upstream.count();
    const finished = await run(key, 'unknown-model', [{ id: 'ask', type: 'provider', model: 'nope', prompt: 'Hi' }], {
      workflowId,
    });
    expect(finished.status).toBe('failed');
    expect(node(finished, 'ask').error).toMatch(/^model_not_found: /);
    expect(upstream.count()).toBe(before);
  }, 60_000);

  it('executes a node that outlasts the driver’s lease once (the claim is renewed while it runs)', async () => {
    const defined = await platform.rest('POST', '/v1/workflow-definitions', {
      token: key,
      body: { name: 'slow', nodes: [{ id: 'slow', type: 'http', url: `${targetUrl}/slow`, timeoutSeconds: 30 }] },
    });
    expect(defined.status, JSON.stringify(defined.body)).toBe(201);
    const started = await platform.rest('POST', `/v1/workflow-definitions/${defined.body.data.id}/start`, {
      token: key,
      body: {},
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const deadline = Date.now() + 30_000;
    let status = started.body.data.status as string;
    while (!['succeeded', 'failed'].includes(status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await platform.rest('GET', `/v1/workflow-runs/${started.body.data.id}`, { token: key })).body.data
        .status;
    }
    expect(status).toBe('succeeded');
    expect(slowCalls).toBe(1);
  }, 60_000);

  it('refuses a provider node without a model, or with both messages and prompt, naming the node', async () => {
    const noModel = await platform.rest('POST', '/v1/workflow-definitions', {
      token: key,
      body: { name: 'no-model', nodes: [{ id: 'ask', type: 'provider', prompt: 'Hi' }] },
    });
    expect(noModel.status).toBe(422);
    expect(noModel.body.error.field).toBe('nodes[0].model');

    const both = await platform.rest('POST', '/v1/workflow-definitions', {
      token: key,
      body: {
        name: 'both',
        nodes: [
          { id: 'ask', type: 'provider', model: MODEL, prompt: 'Hi', messages: [{ role: 'user', content: 'Hi' }] },
        ],
      },
    });
    expect(both.status).toBe(422);
    expect(both.body.error.message).toMatch(/\(ask\).*exactly one of messages or prompt/);
  });
});
