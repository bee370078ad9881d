/**
 * Acceptance of the AI gateway (issue #12): the official `openai` client, pointed at Trellis with a
 * Trellis key, completes chats (plain and streamed) against a local OpenAI-compatible upstream; the
 * spend shows in governance's status; after a kill the next call is refused before the upstream;
 * 300 concurrent streams against room for 100 estimates reach the upstream at most 100 times.
 */
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { startTestUpstream, type TestUpstream } from './test-upstream.ts';

let upstream: TestUpstream;
/** A second provider that fails (503) and falls back to `local`. */
let flaky: TestUpstream;
let platform: TestPlatform;
let owner: TestUser;
let key: string;
const MODEL = 'test-model';
const MESSAGES = [{ role: 'user' as const, content: 'Say hello' }];

async function createWorkflow(name: string, budgetMicros: number): Promise<string> {
  const created = await platform.graphql(
    'mutation($orgId: ID!, $input: CreateWorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { id } }',
    { orgId: owner.orgId, input: { name, budgetMicros } },
    { token: owner.token },
  );
  return created.body.data.createWorkflow.id;
}

/** The workflow's spend once nothing is reserved (settlement follows the answer; 15 s is for a loaded CI machine). */
async function workflowSpend(id: string): Promise<{ spentMicros: number; reservedMicros: number }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const result = await platform.graphql(
      'query($id: ID!) { workflow(id: $id) { spentMicros reservedMicros } }',
      { id },
      { token: owner.token },
    );
    const spend = result.body.data.workflow;
    if (spend.reservedMicros === 0 || Date.now() > deadline) return spend;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const client = (workflowId: string) =>
  new OpenAI({ apiKey: key, baseURL: `${platform.url}/v1`, defaultHeaders: { 'x-workflow-id': workflowId } });

beforeAll(async () => {
  upstream = await startTestUpstream();
  flaky = await startTestUpstream();
  flaky.failStatus = 503;
  const prices = { inputMicrosPerMillion: 1_000_000, outputMicrosPerMillion: 2_000_000 };
  platform = await startTestPlatform({
    TRELLIS_AI_PROVIDERS: JSON.stringify([
      {
        id: 'local',
        kind: 'openai_compatible',
        baseUrl: `${upstream.url}/v1`,
        models: [
          { id: MODEL, ...prices },
          { id: 'shared-model', ...prices },
        ],
      },
      {
        id: 'flaky',
        kind: 'openai_compatible',
        baseUrl: `${flaky.url}/v1`,
        models: [{ id: 'shared-model', ...prices }],
        fallback: 'local',
      },
      {
        id: 'byok',
        kind: 'openai_compatible',
        baseUrl: `${upstream.url}/v1`,
        credential: 'BYOK_OPENAI_KEY',
        models: [{ id: 'byok-model', ...prices }],
      },
      {
        id: 'claude',
        kind: 'anthropic',
        baseUrl: upstream.url,
        apiKey: 'test',
        models: [{ id: 'claude-test', ...prices }],
      },
    ]),
    TRELLIS_AI_MAX_RETRIES: '1',
    TRELLIS_AI_APPROVAL_HOLD_SECONDS: '8',
    TRELLIS_AI_STREAM_KEEPALIVE_SECONDS: '1',
    TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE: '100000',
  });
  owner = await platform.signup('AI Org');
  key = (await platform.apiKey(owner, ['ai:write', 'executions:write'])).key;
}, 60_000);

afterAll(async () => {
  await closeAll();
  await upstream?.close();
  await flaky?.close();
});

describe('AI gateway through the official openai client', () => {
  it('completes a chat, plain and streamed, and the spend shows in the status', async () => {
    const workflowId = await createWorkflow('chat', 10_000_000);
    const openai = client(workflowId);
    const completion = await openai.chat.completions.create({ model: MODEL, messages: MESSAGES });
    expect(completion.choices[0]?.message.content).toBe('Hello from the test upstream.');

    const stream = await openai.chat.completions.create({ model: MODEL, messages: MESSAGES, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello from the test upstream.');
    expect(upstream.count('/v1/chat/completions')).toBe(2);

    // 12 input tokens × $1/M + 6 output tokens × $2/M = 24 micro-dollars per call, settled.
    expect(await workflowSpend(workflowId)).toEqual({ spentMicros: 48, reservedMicros: 0 });
    const status = await platform.rest('GET', `/v1/orgs/${owner.orgId}/status`, { token: owner.token });
    expect(status.status).toBe(200);
    expect(status.body.data.budget.totalSpentMicros).toBeGreaterThanOrEqual(48);

    // The call's record commits beside track, after the answer.
    const usage = await eventually(async () => {
      const answer = await platform.rest('GET', `/v1/orgs/${owner.orgId}/ai/proxy-usage?days=7`, {
        token: owner.token,
      });
      return answer.body.data?.totals?.calls === 2 && answer;
    });
    expect(usage.status).toBe(200);
    expect(usage.body.data.totals).toMatchObject({ calls: 2, inputTokens: 24, outputTokens: 12, costMicros: 48 });
    expect(usage.body.data.byModel[0]).toMatchObject({ model: MODEL, provider: 'local', calls: 2 });
  });

  it('answers a plain call before its settlement commits; the reservation holds the estimate until it does', async () => {
    const workflowId = await createWorkflow('answer first', 10_000_000);
    // While the call is upstream, another transaction takes the workflow's row: track (after the
    // answer) waits for it, as it would for a slow commit.
    const locker = new pg.Client({ connectionString: platform.databaseUrl });
    await locker.connect();
    try {
      upstream.beforeAnswer = async () => {
        upstream.beforeAnswer = null;
        await locker.query('begin');
        await locker.query('select 1 from governance.workflows where id = $1 for update', [workflowId]);
      };
      const call = client(workflowId).chat.completions.create({ model: MODEL, messages: MESSAGES });
      const answered = await Promise.race([
        call.then((completion) => completion.choices[0]?.message.content),
        new Promise((resolve) => setTimeout(() => resolve('not answered while the row was held'), 10_000)),
      ]);
      expect(answered).toBe('Hello from the test upstream.');
      const held = await platform.graphql(
        'query($id: ID!) { workflow(id: $id) { spentMicros reservedMicros } }',
        { id: workflowId },
        { token: owner.token },
      );
      expect(held.body.data.workflow.spentMicros).toBe(0);
      expect(held.body.data.workflow.reservedMicros).toBeGreaterThan(0);
    } finally {
      upstream.beforeAnswer = null;
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
    }
    expect(await workflowSpend(workflowId)).toEqual({ spentMicros: 24, reservedMicros: 0 });
  });

  it('executes and settles straight on governance and compute: execute, track and record skip the gateway pipeline', async () => {
    const workflowId = await createWorkflow('direct settlement', 10_000_000);
    await client(workflowId).chat.completions.create({ model: MODEL, messages: MESSAGES });
    expect(await workflowSpend(workflowId)).toMatchObject({ reservedMicros: 0 });
    const scrape = async (url: string) => (await fetch(new URL('/metrics', url))).text();
    const baseOf = (name: string) => platform.app.subgraphs.find((s) => s.name === name)?.url as string;
    const gateway = await scrape(platform.url);
    for (const operation of ['AiGatewayExecute', 'AiGatewayTrack', 'AiGatewayRecord'])
      expect(gateway).not.toContain(`operation="${operation}"`);
    const governance = await scrape(baseOf('governance'));
    expect(governance).toMatch(/trellis_graphql_operations_total\{[^}]*operation="AiGatewayExecute"/);
    expect(governance).toMatch(/trellis_graphql_operations_total\{[^}]*operation="AiGatewayTrack"/);
    expect(await scrape(baseOf('compute'))).toMatch(
      /trellis_graphql_operations_total\{[^}]*operation="AiGatewayRecord"/,
    );
  });

  it('refuses calls with admission_paused while the operator paused admission, without reaching the upstream', async () => {
    const workflowId = await createWorkflow('paused', 10_000_000);
    // The first account of the platform (owner) is its administrator.
    const paused = await platform.rest('POST', '/v1/gateway/pause', {
      token: owner.token,
      body: { reason: 'maintenance' },
    });
    expect(paused.status).toBe(200);
    try {
      const before = upstream.count();
      for (const stream of [false, true]) {
        const refused = await client(workflowId)
          .chat.completions.create({ model: MODEL, messages: MESSAGES, stream })
          .catch((error) => error);
        expect(refused).toBeInstanceOf(OpenAI.APIError);
        expect(refused.status).toBe(503);
        expect(refused.code).toBe('admission_paused');
      }
      const executed = await platform.rest('POST', '/v1/providers/execute', {
        token: key,
        headers: { 'x-workflow-id': workflowId },
        body: { model: MODEL, prompt: 'Say hello', maxTokens: 10 },
      });
      expect(executed.status).toBe(503);
      expect(executed.body.error.code).toBe('admission_paused');
      expect(upstream.count()).toBe(before);
      expect(await workflowSpend(workflowId)).toEqual({ spentMicros: 0, reservedMicros: 0 });
    } finally {
      const resumed = await platform.rest('POST', '/v1/gateway/resume', { token: owner.token, body: {} });
      expect(resumed.status).toBe(200);
    }
    const completion = await client(workflowId).chat.completions.create({ model: MODEL, messages: MESSAGES });
    expect(completion.choices[0]?.message.content).toBe('Hello from the test upstream.');
  });

  it('answers the Responses API and seed 001 providers routes', async () => {
    const workflowId = await createWorkflow('responses', 10_000_000);
    const response = await client(workflowId).responses.create({ model: MODEL, input: 'Say hello' });
    expect(response.output_text).toBe('Hello from the test upstream.');

    const providers = await platform.rest('GET', '/v1/providers', { token: key });
    expect(providers.body.data.providers[0]).toMatchObject({
      id: 'local',
      kind: 'openai_compatible',
      models: [expect.objectContaining({ id: MODEL, inputMicrosPerMillion: 1_000_000 }), expect.anything()],
    });
    expect(JSON.stringify(providers.body)).not.toContain(upstream.url);

    const executed = await platform.rest('POST', '/v1/providers/execute', {
      token: key,
      headers: { 'x-workflow-id': workflowId },
      body: { model: MODEL, prompt: 'Say hello', maxTokens: 10 },
    });
    expect(executed.status).toBe(200);
    expect(executed.body.data).toMatchObject({ output: 'Hello from the test upstream.', costMicros: 24 });

    const unknown = await client(workflowId)
      .chat.completions.create({ model: 'nope', messages: MESSAGES })
      .catch((e) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown.code).toBe('model_not_found');
  });

  it('refuses the next call after a kill without reaching the upstream', async () => {
    const workflowId = await createWorkflow('killed', 10_000_000);
    await client(workflowId).chat.completions.create({ model: MODEL, messages: MESSAGES });
    const killed = await platform.rest('POST', `/v1/orgs/${owner.orgId}/workflows/${workflowId}/kill`, {
      token: owner.token,
    });
    expect(killed.status).toBe(200);
    const before = upstream.count();
    const refused = await client(workflowId)
      .chat.completions.create({ model: MODEL, messages: MESSAGES, stream: true })
      .catch((error) => error);
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(refused.code).toBe('call_denied');
    expect(refused.error).toMatchObject({ type: 'permission_error', details: { reason: 'workflow_killed' } });
    expect(upstream.count()).toBe(before);
  });

  it('lets at most 100 of 300 concurrent streams reach the upstream when the budget holds 100 estimates', async () => {
    const estimate = await platform.rest('POST', '/v1/providers/estimate', {
      token: key,
      body: { model: MODEL, messages: MESSAGES, maxTokens: 10 },
    });
    const estimated: number = estimate.body.data.estimatedCostMicros;
    // The upstream reports exactly the estimate, so settling gives nothing back for later calls.
    upstream.usage.prompt_tokens = estimate.body.data.estimatedInputTokens;
    upstream.usage.completion_tokens = 10;
    upstream.chunkDelayMs = 5;
    const budget = 100 * estimated;
    const workflowId = await createWorkflow('crowd', budget);
    const before = upstream.count('/v1/chat/completions');
    const answers = await Promise.all(
      Array.from({ length: 300 }, async () => {
        const response = await fetch(`${platform.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-workflow-id': workflowId },
          body: JSON.stringify({ model: MODEL, messages: MESSAGES, max_tokens: 10, stream: true }),
        });
        const text = await response.text();
        return { status: response.status, text };
      }),
    );
    const reached = upstream.count('/v1/chat/completions') - before;
    const ok = answers.filter((a) => a.status === 200);
    expect(reached).toBeLessThanOrEqual(100);
    expect(ok.length).toBe(reached);
    expect(ok.length).toBeGreaterThan(0);
    for (const answer of ok) expect(answer.text.endsWith('data: [DONE]\n\n')).toBe(true);
    const refused = answers.filter((a) => a.status !== 200);
    expect(new Set(refused.map((a) => a.status))).toEqual(new Set([402]));
    expect(JSON.parse(refused[0]?.text ?? '{}').error).toMatchObject({
      code: 'budget_exhausted',
      type: 'insufficient_quota',
    });
    const spend = await workflowSpend(workflowId);
    expect(spend.reservedMicros).toBe(0);
    expect(spend.spentMicros).toBeLessThanOrEqual(budget);
    expect(spend.spentMicros).toBe(ok.length * estimated);
  }, 120_000);

  it('records provider.call.completed without the prompt', async () => {
    const events = await platform.graphql(
      'query($orgId: ID!) { events(orgId: $orgId, filter: { types: ["provider.call.completed"] }, limit: 5) { items { type data } } }',
      { orgId: owner.orgId },
      { token: owner.token },
    );
    const items: Json[] = events.body.data?.events.items ?? [];
    expect(items.length).toBeGreaterThan(0);
    expect(items[0].data).toMatchObject({ model: MODEL, provider: 'local', status: 'completed' });
    expect(JSON.stringify(items)).not.toContain('Say hello');
  });

  it('speaks Anthropic through the same OpenAI surface (plain and streamed)', async () => {
    const workflowId = await createWorkflow('anthropic', 10_000_000);
    upstream.usage.prompt_tokens = 12;
    upstream.usage.completion_tokens = 6;
    const before = upstream.count('/v1/messages');
    const openai = client(workflowId);
    const completion = await openai.chat.completions.create({
      model: 'claude-test',
      messages: [{ role: 'system', content: 'Be brief.' }, ...MESSAGES],
    });
    expect(completion.choices[0]?.message.content).toBe('Hello from the test upstream.');
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 6 });
    const stream = await openai.chat.completions.create({
      model: 'claude-test',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Hello from the test upstream.');
    expect(usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 6 });
    expect(upstream.count('/v1/messages')).toBe(before + 2);
    expect(await workflowSpend(workflowId)).toEqual({ spentMicros: 48, reservedMicros: 0 });
  });

  it('answers the Responses API from Anthropic, translated to and from Messages (plain and streamed)', async () => {
    const workflowId = await createWorkflow('anthropic-responses', 10_000_000);
    const before = upstream.count('/v1/messages');
    const openai = client(workflowId);
    const response = await openai.responses.create({
      model: 'claude-test',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Say hello' }] },
        { type: 'function_call', call_id: 'toolu_1', name: 'lookup', arguments: '{"q":"x"}' },
        { type: 'function_call_output', call_id: 'toolu_1', output: 'found' },
      ],
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' }, strict: false }],
      max_output_tokens: 50,
    });
    expect(response.output_text).toBe('Hello from the test upstream.');
    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'claude-test' });
    expect(response.usage).toMatchObject({ input_tokens: 12, output_tokens: 6, total_tokens: 18 });
    const sent = upstream.last('/v1/messages')?.body as Json;
    expect(sent).toMatchObject({
      model: 'claude-test',
      max_tokens: 50,
      system: 'Be brief.',
      tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Say hello' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'x' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'found' }] },
      ],
    });

    const stream = await openai.responses.create({ model: 'claude-test', input: 'Say hello', stream: true });
    const types: string[] = [];
    let text = '';
    let completed: Json | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response as unknown as Json;
    }
    expect(text).toBe('Hello from the test upstream.');
    expect(types[0]).toBe('response.created');
    expect(types).toContain('response.output_item.added');
    expect(types.at(-1)).toBe('response.completed');
    expect(completed?.output).toEqual([
      expect.objectContaining({
        type: 'message',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Hello from the test upstream.', annotations: [] }],
      }),
    ]);
    expect(completed?.usage).toMatchObject({ input_tokens: 12, output_tokens: 6 });
    expect(upstream.count('/v1/messages')).toBe(before + 2);
    expect(await workflowSpend(workflowId)).toEqual({ spentMicros: 48, reservedMicros: 0 });
  });

  it("uses the organization's own vault key for a provider configured with `credential`, and audits it", async () => {
    const workflowId = await createWorkflow('byok', 10_000_000);
    const openai = client(workflowId);
    // No vault value and no configured key: refused before any upstream request, naming the credential.
    const before = upstream.count('/v1/chat/completions');
    const refused = await openai.chat.completions
      .create({ model: 'byok/byok-model', messages: MESSAGES })
      .catch((error: unknown) => error as { status: number; code: string; message: string });
    expect(refused).toMatchObject({ status: 503, code: 'provider_unavailable' });
    expect((refused as { message: string }).message).toContain('BYOK_OPENAI_KEY');
    expect(upstream.count('/v1/chat/completions')).toBe(before);

    const saved = await platform.rest('POST', `/v1/orgs/${owner.orgId}/credentials`, {
      token: owner.token,
      body: { key: 'BYOK_OPENAI_KEY', value: 'sk-org-own-key' },
    });
    expect(saved.status).toBe(201);
    // The gateway caches an organization's call context for up to 5 s: the new key applies within it.
    const until = Date.now() + 10_000;
    let completion: OpenAI.ChatCompletion | undefined;
    while (!completion) {
      completion = await openai.chat.completions
        .create({ model: 'byok/byok-model', messages: MESSAGES }, { maxRetries: 0 })
        .catch((error: { code?: string }) => {
          if (error.code !== 'provider_unavailable' || Date.now() > until) throw error;
          return new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 200));
        });
    }
    expect(completion.choices[0]?.message.content).toBe('Hello from the test upstream.');
    expect(upstream.last('/v1/chat/completions')?.headers.authorization).toBe('Bearer sk-org-own-key');
    const deadline = Date.now() + 10_000;
    let accessed: Json[] = [];
    while (accessed.length === 0 && Date.now() < deadline) {
      const events = await platform.graphql(
        'query($o: ID!) { events(orgId: $o, filter: { types: ["credential.accessed"] }) { items { data } } }',
        { o: owner.orgId },
        { token: owner.token },
      );
      accessed = events.body.data?.events.items ?? [];
      if (!accessed.length) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(accessed[0]?.data).toMatchObject({ key: 'BYOK_OPENAI_KEY', purpose: 'ai_provider', subjectId: 'byok' });
    expect(JSON.stringify(accessed)).not.toContain('sk-org-own-key');
  });

  it('holds a call that needs an approval: approved it proceeds, denied it is refused, unanswered it can resume', async () => {
    // Its own organization: the approval policy must not touch the other tests' calls.
    const boss = await platform.signup('Approval Org');
    const callerKey = (await platform.apiKey(boss, ['ai:write', 'executions:write'])).key;
    const wf = (
      await platform.graphql(
        'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "held", budgetMicros: 10000000 }) { id } }',
        { orgId: boss.orgId },
        { token: boss.token },
      )
    ).body.data.createWorkflow.id as string;
    await platform.graphql(
      'mutation($orgId: ID!) { enablePolicyTemplate(orgId: $orgId, templateId: "tpl_approval_above_amount", parameters: { thresholdMicros: 100 }) { enabled } }',
      { orgId: boss.orgId },
      { token: boss.token },
    );
    const openai = new OpenAI({
      apiKey: callerKey,
      baseURL: `${platform.url}/v1`,
      defaultHeaders: { 'x-workflow-id': wf },
      maxRetries: 0,
    });
    const seen = new Set<string>();
    /** The next pending approval of the organization, once the held call opened it. */
    const nextApproval = async (): Promise<{ id: string; executionId: string }> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const result = await platform.graphql(
          'query($orgId: ID!) { approvals(orgId: $orgId, status: PENDING) { items { id executionId } } }',
          { orgId: boss.orgId },
          { token: boss.token },
        );
        const found = (result.body.data?.approvals.items ?? []).find((a: Json) => !seen.has(a.id));
        if (found) {
          seen.add(found.id);
          return found;
        }
        if (Date.now() > deadline) throw new Error('no pending approval appeared');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const decide = (verb: 'approveApproval' | 'denyApproval', id: string) =>
      platform.graphql(`mutation($id: ID!) { ${verb}(id: $id) { status } }`, { id }, { token: boss.token });
    const before = upstream.count('/v1/chat/completions');

    // Approved while held: the same request proceeds.
    const approvedCall = openai.chat.completions.create({ model: MODEL, messages: MESSAGES });
    await decide('approveApproval', (await nextApproval()).id);
    expect((await approvedCall).choices[0]?.message.content).toBe('Hello from the test upstream.');
    expect(upstream.count('/v1/chat/completions')).toBe(before + 1);

    // Denied while held: refused in OpenAI's shape, without reaching the upstream.
    const deniedCall = openai.chat.completions.create({ model: MODEL, messages: MESSAGES }).catch((e: unknown) => e);
    await decide('denyApproval', (await nextApproval()).id);
    const denied = (await deniedCall) as { status: number; code: string; error: Json };
    expect(denied).toMatchObject({ status: 403, code: 'call_denied' });
    expect(denied.error.details).toMatchObject({ reason: 'approval_denied' });
    expect(upstream.count('/v1/chat/completions')).toBe(before + 1);

    // Undecided for the hold (8 s here): 409 with the execution to resume; approved later, the retry proceeds.
    const pendingCall = openai.chat.completions.create({ model: MODEL, messages: MESSAGES }).catch((e: unknown) => e);
    const third = await nextApproval();
    const pending = (await pendingCall) as { status: number; error: Json; headers: Headers };
    expect(pending).toMatchObject({ status: 409 });
    expect(pending.error.details).toMatchObject({ reason: 'approval_pending', executionId: third.executionId });
    expect(pending.headers.get('x-should-retry')).toBe('false');
    await decide('approveApproval', third.id);
    const resumed = await openai.chat.completions.create(
      { model: MODEL, messages: MESSAGES },
      { headers: { 'x-trellis-execution-id': third.executionId } },
    );
    expect(resumed.choices[0]?.message.content).toBe('Hello from the test upstream.');
    expect(upstream.count('/v1/chat/completions')).toBe(before + 2);
    // The execution ran once: resuming it again is refused.
    const again = await openai.chat.completions
      .create({ model: MODEL, messages: MESSAGES }, { headers: { 'x-trellis-execution-id': third.executionId } })
      .catch((e: unknown) => e as { status: number });
    expect(again).toMatchObject({ status: 409 });
    expect(upstream.count('/v1/chat/completions')).toBe(before + 2);

    // Two resumes of one approved execution at once: one runs, the other is refused — one upstream request.
    const heldCall = openai.chat.completions.create({ model: MODEL, messages: MESSAGES }).catch((e: unknown) => e);
    const fourth = await nextApproval();
    expect(await heldCall).toMatchObject({ status: 409 });
    await decide('approveApproval', fourth.id);
    const resume = () =>
      openai.chat.completions
        .create({ model: MODEL, messages: MESSAGES }, { headers: { 'x-trellis-execution-id': fourth.executionId } })
        .then(
          () => 200,
          (e: { status: number }) => e.status,
        );
    expect((await Promise.all([resume(), resume()])).sort()).toEqual([200, 409]);
    expect(upstream.count('/v1/chat/completions')).toBe(before + 3);
  }, 60_000);

  it('keeps a held stream alive with SSE comments; approved it streams, denied the refusal comes in the stream', async () => {
    const boss = await platform.signup('Held Stream Org');
    const callerKey = (await platform.apiKey(boss, ['ai:write', 'executions:write'])).key;
    const wf = (
      await platform.graphql(
        'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "held stream", budgetMicros: 10000000 }) { id } }',
        { orgId: boss.orgId },
        { token: boss.token },
      )
    ).body.data.createWorkflow.id as string;
    await platform.graphql(
      'mutation($orgId: ID!) { enablePolicyTemplate(orgId: $orgId, templateId: "tpl_approval_above_amount", parameters: { thresholdMicros: 100 }) { enabled } }',
      { orgId: boss.orgId },
      { token: boss.token },
    );
    const pendingApproval = async (): Promise<string> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const result = await platform.graphql(
          'query($orgId: ID!) { approvals(orgId: $orgId, status: PENDING) { items { id } } }',
          { orgId: boss.orgId },
          { token: boss.token },
        );
        const found = result.body.data?.approvals.items?.[0];
        if (found) return found.id;
        if (Date.now() > deadline) throw new Error('no pending approval appeared');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    /** Streams a held chat, deciding its approval once a keepalive came (1 s interval here). */
    const heldStream = async (verb: 'approveApproval' | 'denyApproval') => {
      const response = await fetch(`${platform.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${callerKey}`, 'x-workflow-id': wf },
        body: JSON.stringify({ model: MODEL, messages: MESSAGES, stream: true }),
      });
      // The first keepalive committed the 200 and the SSE headers while the call was still held.
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      let decided = false;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        if (!decided && text.includes(': keepalive\n\n')) {
          decided = true;
          const id = await pendingApproval();
          await platform.graphql(`mutation($id: ID!) { ${verb}(id: $id) { status } }`, { id }, { token: boss.token });
        }
      }
      return text;
    };
    const before = upstream.count('/v1/chat/completions');

    const approved = await heldStream('approveApproval');
    const events = approved.split('\n\n').filter(Boolean);
    expect(events[0]).toBe(': keepalive');
    expect(approved).toContain('"content":"Hello"');
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(upstream.count('/v1/chat/completions')).toBe(before + 1);

    const denied = await heldStream('denyApproval');
    expect(denied.startsWith(': keepalive\n\n')).toBe(true);
    const error = JSON.parse(
      (denied.split('\n\n').find((e) => e.startsWith('data: {')) as string).slice('data: '.length),
    ) as { error: Json };
    expect(error.error).toMatchObject({ code: 'call_denied', type: 'permission_error' });
    expect(error.error.details).toMatchObject({ reason: 'approval_denied' });
    expect(denied.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(upstream.count('/v1/chat/completions')).toBe(before + 1);
  });

  it('retries a failing provider (honouring retry-after-ms), then falls back to the configured one', async () => {
    const workflowId = await createWorkflow('fallback', 10_000_000);
    const before = upstream.count('/v1/chat/completions');
    const completion = await client(workflowId).chat.completions.create({
      model: 'flaky/shared-model',
      messages: MESSAGES,
    });
    expect(completion.choices[0]?.message.content).toBe('Hello from the test upstream.');
    expect(flaky.count('/v1/chat/completions')).toBe(2); // the request and its one retry
    expect(upstream.count('/v1/chat/completions')).toBe(before + 1);
  });

  it('settles what a stream consumed when the client disconnects mid-stream', async () => {
    const workflowId = await createWorkflow('disconnect', 10_000_000);
    upstream.chunkDelayMs = 200;
    const controller = new AbortController();
    const response = await fetch(`${platform.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-workflow-id': workflowId },
      body: JSON.stringify({ model: MODEL, messages: MESSAGES, max_tokens: 50, stream: true }),
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    while (!seen.includes('Hello')) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    upstream.chunkDelayMs = 0;
    const spend = await workflowSpend(workflowId);
    expect(spend.reservedMicros).toBe(0);
    // Input (estimated, no usage came) plus the one or two deltas streamed; far below the 50-token reservation.
    expect(spend.spentMicros).toBeGreaterThan(0);
    expect(spend.spentMicros).toBeLessThan(50 * 2);
    const deadline = Date.now() + 15_000;
    let cancelled: Json | undefined;
    while (!cancelled && Date.now() < deadline) {
      const events = await platform.graphql(
        'query($orgId: ID!) { events(orgId: $orgId, filter: { types: ["provider.call.*"] }, limit: 50) { items { data } } }',
        { orgId: owner.orgId },
        { token: owner.token },
      );
      cancelled = (events.body.data?.events.items ?? []).find((e: Json) => e.data.workflowId === workflowId);
      if (!cancelled) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(cancelled?.data).toMatchObject({ status: 'cancelled', stream: true });
  });

  it('keeps prompts only when the organization turns request logging on', async () => {
    const workflowId = await createWorkflow('logging', 10_000_000);
    const select = async (text: string, values: unknown[]) => {
      const client = new pg.Client({ connectionString: platform.databaseUrl });
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    };
    const logged = () =>
      select('select body, expires_at from compute.ai_request_logs where org_id = $1', [owner.orgId]);
    // A call is recorded (with its log, if any) after its answer: wait for the record, then look.
    const recorded = (calls: number) =>
      eventually(
        async () =>
          (await select('select count(*)::int as n from compute.ai_calls where workflow_id = $1', [workflowId]))[0]
            ?.n === calls,
      );
    await client(workflowId).chat.completions.create({ model: MODEL, messages: MESSAGES });
    await recorded(1);
    expect(await logged()).toEqual([]);
    const updated = await platform.graphql(
      'mutation($orgId: ID!) { updateAiProxySettings(orgId: $orgId, input: { requestLogging: true, logRetentionDays: 3 }) { requestLogging logRetentionDays } }',
      { orgId: owner.orgId },
      { token: owner.token },
    );
    expect(updated.body.data.updateAiProxySettings).toEqual({ requestLogging: true, logRetentionDays: 3 });
    // The gateway caches the organization's settings for a few seconds.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    await client(workflowId).chat.completions.create({ model: MODEL, messages: MESSAGES });
    await recorded(2);
    const rows = await logged();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0].body)).toContain('Say hello');
    expect(new Date(rows[0].expires_at).getTime()).toBeGreaterThan(Date.now() + 2.9 * 86_400_000);
    const info = await platform.rest('GET', `/v1/orgs/${owner.orgId}/ai/proxy`, { token: owner.token });
    expect(info.status).toBe(200);
    expect(info.body.data).toMatchObject({
      keyScopes: ['ai:write', 'executions:write'],
      settings: { requestLogging: true },
    });
    expect(info.body.data.keys.length).toBeGreaterThan(0);
  }, 30_000);
});
