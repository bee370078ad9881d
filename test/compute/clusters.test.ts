/**
 * A cluster on two real agent processes: one endpoint balancing across healthy replicas; SIGKILL the agent
 * of one replica → its node is lost within TRELLIS_NODE_LOST_SECONDS → the replica is unhealthy, the
 * cluster degraded, and a replacement is scheduled on the other node until the cluster runs again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let key: string;
const agents: ChildProcess[] = [];

beforeAll(async () => {
  platform = await startTestPlatform({
    TRELLIS_LOCAL_NODE: 'off',
    // 5 heartbeats: under a loaded full-suite run a heartbeat can be seconds late, and a node wrongly lost
    // before placement puts both replicas on the other box.
    TRELLIS_NODE_LOST_SECONDS: '5',
    TRELLIS_NODE_HEARTBEAT_SECONDS: '1',
  });
  user = await platform.signup('Cluster Org');
  key = (await platform.apiKey(user)).key;
}, 60_000);
afterAll(async () => {
  for (const agent of agents) if (agent.exitCode === null) agent.kill('SIGKILL');
  await closeAll();
});

function startAgent(token: string, name: string, gpus: number, dataDir: string): ChildProcess {
  const args = ['agent', '--url', platform.url, '--token', token, '--gpu', `rtx-4090:${gpus}`, '--name', name];
  const child = spawn(
    process.execPath,
    [path.resolve(import.meta.dirname, '../../bin/trellis.ts'), ...args, '--data-dir', dataDir],
    { stdio: 'ignore', env: { ...process.env, TRELLIS_LOG_LEVEL: 'silent', NODE_ENV: 'test' } },
  );
  agents.push(child);
  return child;
}

const detailOf = async (id: string) =>
  (await platform.rest('GET', `/v1/clusters/${id}/detail`, { token: key })).body.data as Json;

describe('clusters on two real agents', () => {
  it('balances across healthy replicas and reschedules a lost node’s replica on the other', async () => {
    await platform.rest('POST', `/v1/orgs/${user.orgId}/provider/apply`, { token: key, body: { note: 'two boxes' } });
    const token = (await platform.rest('POST', `/v1/orgs/${user.orgId}/provider/tokens`, { token: key, body: {} })).body
      .data.token;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'trellis-cluster-'));
    // Tightest fit puts the first replica on the 1-GPU box, the second on the 2-GPU box.
    const small = startAgent(token, 'small-box', 1, path.join(dataDir, 'small'));
    startAgent(token, 'big-box', 2, path.join(dataDir, 'big'));
    await eventually(async () => {
      const nodes = await platform.rest('GET', `/v1/orgs/${user.orgId}/provider/nodes`, { token: key });
      return nodes.body.data?.length === 2 ? true : undefined;
    }, 30_000);
    const nodes = (await platform.rest('GET', `/v1/orgs/${user.orgId}/provider/nodes`, { token: key })).body
      .data as Json[];
    const smallNode = nodes.find((n) => n.name === 'small-box')?.id;

    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/clusters/create`, {
      token: key,
      body: { name: 'llama-endpoint', gpuModelId: 'rtx-4090', replicaCount: 2, gpusPerReplica: 1 },
    });
    expect(created.status).toBe(200);
    const clusterId = created.body.data.id as string;
    const running = await eventually(async () => {
      const cluster = (await platform.rest('GET', `/v1/clusters/${clusterId}`, { token: key })).body.data;
      return cluster.status === 'running' ? cluster : undefined;
    }, 30_000);
    const detail = await detailOf(clusterId);
    expect(detail.replicas.filter((r: Json) => r.healthy)).toHaveLength(2);
    expect(new Set(detail.replicas.map((r: Json) => r.nodeId)).size).toBe(2);

    // One endpoint, balanced: the built-in workload names the replica that answered.
    const auth = { authorization: `Bearer ${key}` };
    const answeredBy = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${running.endpointUrl}health`, { headers: auth });
      expect(response.status).toBe(200);
      answeredBy.add(((await response.json()) as Json).vmId);
    }
    expect(answeredBy.size).toBe(2);
    expect((await fetch(`${running.endpointUrl}health`)).status).toBe(401);

    // SIGKILL the small box: its replica is unhealthy, the cluster degraded, then whole again on the big box.
    small.kill('SIGKILL');
    await eventually(async () => {
      const cluster = (await platform.rest('GET', `/v1/clusters/${clusterId}`, { token: key })).body.data;
      return cluster.status === 'degraded' ? true : undefined;
    }, 30_000);
    const healed = await eventually(async () => {
      const d = await detailOf(clusterId);
      const healthy = d.replicas.filter((r: Json) => r.healthy);
      return d.cluster.status === 'running' && healthy.length === 2 ? d : undefined;
    }, 40_000);
    expect(healed.replicas.filter((r: Json) => r.healthy).every((r: Json) => r.nodeId !== smallNode)).toBe(true);
    expect(healed.replicas.find((r: Json) => r.status === 'failed')?.statusReason).toMatch(/small-box was lost/);
    const events = await platform.graphql(
      'query($o: ID!) { events(orgId: $o, limit: 200) { items { type } } }',
      { o: user.orgId },
      { token: user.token },
    );
    expect(events.body.data.events.items.map((e: Json) => e.type)).toEqual(
      expect.arrayContaining([
        'replica.healthy',
        'replica.unhealthy',
        'cluster.degraded',
        'cluster.running',
        'node.lost',
      ]),
    );

    // Scale down, then terminate: replicas are terminated.
    expect(
      (await platform.rest('POST', `/v1/clusters/${clusterId}/scale`, { token: key, body: { replicaCount: 1 } })).body
        .data.replicaCount,
    ).toBe(1);
    await platform.rest('POST', `/v1/clusters/${clusterId}/terminate`, { token: key });
    await eventually(async () => {
      const d = await detailOf(clusterId);
      return d.cluster.status === 'terminated' &&
        d.replicas.every((r: Json) => ['terminated', 'failed'].includes(r.status))
        ? true
        : undefined;
    }, 30_000);
    expect((await platform.rest('POST', `/v1/clusters/${clusterId}/restart`, { token: key })).status).toBe(409);
  }, 150_000);
});
