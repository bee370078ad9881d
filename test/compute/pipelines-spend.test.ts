/**
 * Run spend beyond job nodes (docs/pipelines.md §Governance): an http node's `costMicros` is the run's spend —
 * on the node and the run (`GET /v1/workflow-runs/{id}`) — and is tracked once against the run's governance
 * workflow (its status shows it); a bad cost is a 422 naming the node.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let key: string;
let target: Server;
let targetUrl: string;

beforeAll(async () => {
  target = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  platform = await startTestPlatform({ TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  user = await platform.signup('Pipeline Spend Org');
  key = (await platform.apiKey(user)).key;
}, 60_000);
afterAll(async () => {
  target.close();
  await closeAll();
});

const rest = (method: string, path: string, body?: unknown) => platform.rest(method, path, { token: key, body });

async function spentOf(workflowId: string): Promise<number> {
  const answer = await platform.graphql(
    'query($id: ID!) { workflow(id: $id) { spentMicros } }',
    { id: workflowId },
    { token: user.token },
  );
  return answer.body.data.workflow.spentMicros as number;
}

describe('run spend of http nodes', () => {
  it('adds an http node’s costMicros to the run and tracks it once against the run’s workflow', async () => {
    const created = await platform.graphql(
      'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "pipeline-spend", budgetMicros: 1000000 }) { id } }',
      { orgId: user.orgId },
      { token: user.token },
    );
    const workflowId = created.body.data.createWorkflow.id as string;
    const defined = await rest('POST', '/v1/workflow-definitions', {
      name: 'paid-calls',
      nodes: [
        { id: 'paid', type: 'http', url: `${targetUrl}/paid`, costMicros: 2500 },
        { id: 'free', type: 'http', url: `${targetUrl}/free`, dependsOn: ['paid'] },
      ],
    });
    expect(defined.status, JSON.stringify(defined.body)).toBe(201);
    const ran = await rest('POST', `/v1/workflow-definitions/${defined.body.data.id}/run`, {
      workflowId,
      timeoutSeconds: 30,
    });
    expect(ran.status, JSON.stringify(ran.body)).toBe(200);
    const run = (await rest('GET', `/v1/workflow-runs/${ran.body.data.id}`)).body.data as Json;
    expect(run.status).toBe('succeeded');
    expect(run.spendMicros).toBe(2500);
    const costs = Object.fromEntries(run.nodes.map((n: Json) => [n.nodeId, n.costMicros]));
    expect(costs).toEqual({ paid: 2500, free: 0 });

    const deadline = Date.now() + 15_000;
    let spent = await spentOf(workflowId);
    while (spent < 2500 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      spent = await spentOf(workflowId);
    }
    expect(spent).toBe(2500);
    // Nothing more arrives later (one usage event per node completion).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await spentOf(workflowId)).toBe(2500);
  }, 60_000);

  it('refuses a cost that is not a non-negative integer, naming the node', async () => {
    const refused = await rest('POST', '/v1/workflow-definitions', {
      name: 'bad-cost',
      nodes: [{ id: 'call', type: 'http', url: `${targetUrl}/x`, costMicros: -1 }],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.field).toBe('nodes[0].costMicros');
  });
});
