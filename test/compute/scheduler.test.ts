/**
 * The scheduler never double-books: 200 concurrent VM creates against 50 free GPUs, sent half to each of
 * two compute subgraph instances on one database, place exactly 50; no node is over capacity; the rest
 * are `pending` with a reason. The worker does not lock nor retry the pending ones until a node can take one.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPrincipal } from '../../kernel/principal.ts';
import { type RunningSubgraph, startSubgraph } from '../../kernel/subgraph.ts';
import { subgraphs } from '../../subgraphs/index.ts';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let second: RunningSubgraph;
let db: pg.Client;
let provisioningToken: string;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off', TRELLIS_NODE_LOST_SECONDS: '3600' });
  user = await platform.signup('Scheduler Org');
  second = await startSubgraph(subgraphs.compute, platform.app.platform, {
    databaseUrl: platform.databaseUrl,
    port: 0,
    host: '127.0.0.1',
  });
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
}, 60_000);
afterAll(async () => {
  await db?.end();
  await second?.close();
  await closeAll();
});

async function gql(query: string, variables: Record<string, unknown>) {
  const result = await platform.graphql(query, variables, { token: user.token });
  if (!result.body.data) throw new Error(JSON.stringify(result.body));
  return result.body.data as Json;
}

describe('scheduler', () => {
  it('200 concurrent creates on two compute replicas against 50 free GPUs place exactly 50', async () => {
    // Ten provider nodes of five RTX 4090 each (registered through the gateway like any agent).
    await gql('mutation($o: ID!) { applyForProvider(orgId: $o, note: "capacity") { isProvider } }', { o: user.orgId });
    const { token } = (
      await gql('mutation($o: ID!) { createProvisioningToken(orgId: $o) { token } }', { o: user.orgId })
    ).createProvisioningToken;
    provisioningToken = token;
    for (let i = 0; i < 10; i++)
      await platform.graphql(
        'mutation($t: String!, $i: NodeInventoryInput!) { agentRegister(token: $t, inventory: $i) { nodeId } }',
        {
          t: token,
          i: {
            name: `n${i}`,
            region: i % 2 ? 'us-east' : 'eu-west',
            gpuModelId: 'rtx-4090',
            gpuCount: 5,
            runtime: 'process',
            address: '127.0.0.1:9',
          },
        },
      );

    const first = platform.app.subgraphs.find((s) => s.name === 'compute')?.url as string;
    const principal = {
      kind: 'user' as const,
      id: user.userId,
      userId: user.userId,
      memberships: [{ orgId: user.orgId, role: 'owner' as const }],
      scopes: ['*'],
    };
    const secret = platform.app.platform.internalSecret;
    const create = async (i: number) => {
      const response = await fetch(i % 2 ? first : second.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trellis-principal': signPrincipal(secret, principal) },
        body: JSON.stringify({
          query: 'mutation($o: ID!, $i: CreateVmInput!) { createVm(orgId: $o, input: $i) { id status statusReason } }',
          variables: { o: user.orgId, i: { name: `vm-${i}`, gpuModelId: 'rtx-4090', preferredRegions: ['us-east'] } },
        }),
      });
      return ((await response.json()) as Json).data?.createVm;
    };
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => create(i)));
    const elapsed = Date.now() - started;
    expect(results.every((r) => r && ['PROVISIONING', 'PENDING'].includes(r.status))).toBe(true);
    expect(results.filter((r) => r.status === 'PROVISIONING').length).toBeLessThanOrEqual(50);

    // The worker places what found every candidate locked; never more than the 50 GPUs.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const statuses = await db.query(
      'select status, count(*)::int as n from compute.vms where org_id = $1 group by status order by status',
      [user.orgId],
    );
    expect(Object.fromEntries(statuses.rows.map((r) => [r.status, r.n]))).toEqual({ pending: 150, provisioning: 50 });
    const nodes = await db.query(
      `select n.id, n.gpu_used, n.gpu_total, (select count(*)::int from compute.vms v where v.node_id = n.id) as placed
       from compute.nodes n where n.org_id = $1`,
      [user.orgId],
    );
    for (const node of nodes.rows) {
      expect(node.gpu_used).toBeLessThanOrEqual(node.gpu_total);
      expect(node.placed).toBe(node.gpu_used);
    }
    const reasons = await db.query(
      "select distinct status_reason from compute.vms where status = 'pending' and org_id = $1",
      [user.orgId],
    );
    expect(reasons.rows.map((r) => r.status_reason)).toEqual([
      'waiting for capacity: no online community node has 1 free rtx-4090 GPU(s)',
    ]);
    console.log(`200 concurrent creates on two replicas: ${elapsed} ms`);
  }, 120_000);

  it('the worker leaves alone pending VMs no node can take, and places one as soon as a node can', async () => {
    // A row lock (`for update`) stamps the row's xmax: unchanged xmax over passes of both replicas' workers
    // means no pass locked them (before, every pass locked all 150, tried to place each and committed).
    const lockStamps = async () =>
      (
        await db.query("select id, xmax::text as xmax from compute.vms where org_id = $1 and status = 'pending'", [
          user.orgId,
        ])
      ).rows;
    const before = await lockStamps();
    expect(before).toHaveLength(150);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await lockStamps()).toEqual(before);

    // A node with one free GPU in the preferred region appears: the next pass places exactly one VM on it.
    const registered = await platform.graphql(
      'mutation($t: String!, $i: NodeInventoryInput!) { agentRegister(token: $t, inventory: $i) { nodeId } }',
      {
        t: provisioningToken,
        i: {
          name: 'late',
          region: 'us-east',
          gpuModelId: 'rtx-4090',
          gpuCount: 1,
          runtime: 'process',
          address: '127.0.0.1:9',
        },
      },
    );
    const nodeId = (registered.body.data as Json).agentRegister.nodeId as string;
    const placedOnNode = async () =>
      (
        await db.query(
          `select n.gpu_used, (select count(*)::int from compute.vms v where v.node_id = n.id) as placed
           from compute.nodes n where n.id = $1`,
          [nodeId],
        )
      ).rows[0];
    await eventually(async () => (await placedOnNode()).placed > 0, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await placedOnNode()).toEqual({ gpu_used: 1, placed: 1 });
    expect(await lockStamps()).toHaveLength(149);

    // One waits past TRELLIS_PENDING_TIMEOUT_SECONDS (900 s by default): the worker still fails it.
    const { id } = (await lockStamps())[0];
    await db.query("update compute.vms set pending_since = now() - interval '901 seconds' where id = $1", [id]);
    const expired = await eventually(async () => {
      const result = await db.query('select status, status_reason from compute.vms where id = $1', [id]);
      return result.rows[0].status !== 'pending' && result;
    }, 20_000);
    expect(expired.rows[0].status).toBe('failed');
    expect(expired.rows[0].status_reason).toMatch(/^no capacity within 900 s \(waiting for capacity/);
  }, 60_000);
});
