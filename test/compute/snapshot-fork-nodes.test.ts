/**
 * Forks on another node than the snapshot's (issue #10), with two real agent processes: the snapshot's
 * archive is uploaded to the control plane (stored with its SHA-256, not kept on the node), the node that
 * took it is cordoned, and the fork lands on the other node and serves the marker written before the
 * snapshot. A node downloads an archive only for a VM of the snapshot's organization assigned to it; a
 * corrupted stored archive fails the fork with a reason.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphOrm } from '../../kernel/subgraph.ts';
import { subgraphs } from '../../subgraphs/index.ts';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let key: string;
let dataDir: string;
const agents: ChildProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'trellis-fork-nodes-'));
  platform = await startTestPlatform({
    TRELLIS_LOCAL_NODE: 'off',
    TRELLIS_DATA_DIR: path.join(dataDir, 'control-plane'),
    TRELLIS_NODE_HEARTBEAT_SECONDS: '1',
    // The node this test plays never heartbeats: it must stay online for the test.
    TRELLIS_NODE_LOST_SECONDS: '300',
  });
  user = await platform.signup('Fork Org');
  key = (await platform.apiKey(user)).key;
}, 60_000);
afterAll(async () => {
  for (const agent of agents) if (agent.exitCode === null) agent.kill('SIGKILL');
  await closeAll();
});

function startAgent(token: string, name: string, gpus: number): void {
  const args = ['agent', '--url', platform.url, '--token', token, '--gpu', `rtx-4090:${gpus}`, '--name', name];
  agents.push(
    spawn(
      process.execPath,
      [path.resolve(import.meta.dirname, '../../bin/trellis.ts'), ...args, '--data-dir', path.join(dataDir, name)],
      { stdio: 'ignore', env: { ...process.env, TRELLIS_LOG_LEVEL: 'silent', NODE_ENV: 'test' } },
    ),
  );
}

const onlineNodes = (count: number) =>
  eventually(async () => {
    const nodes = (await platform.rest('GET', `/v1/orgs/${user.orgId}/provider/nodes`, { token: key })).body
      .data as Json[];
    return nodes.filter((n) => n.status === 'online').length === count ? nodes : undefined;
  }, 40_000);

const vmStatus = (id: string, status: string) =>
  eventually(async () => {
    const vm = (await platform.rest('GET', `/v1/vms/${id}`, { token: key })).body.data;
    if (vm.status === 'failed' && status !== 'failed') throw new Error(`VM failed: ${vm.statusReason}`);
    return vm.status === status ? vm : undefined;
  }, 40_000);

// Writes a marker naming the VM that first ran on this disk (kept when the disk is restored), and serves it.
const WORKLOAD = `
const fs = require('node:fs'); const file = process.env.DISK_DIR + '/marker.txt';
if (!fs.existsSync(file)) fs.writeFileSync(file, 'first written by ' + process.env.TRELLIS_VM_ID);
require('node:http').createServer((req, res) => res.end(fs.readFileSync(file))).listen(Number(process.env.PORT), '127.0.0.1');
`;

const archiveUrl = (snapshotId: string) => `${platform.url}/v1/agent/snapshots/${snapshotId}/archive`;
const asNode = (node: { nodeId: string; nodeSecret: string }) => ({
  'x-trellis-node-id': node.nodeId,
  'x-trellis-node-secret': node.nodeSecret,
});

describe('forks on any node', () => {
  it('stores the archive in the control plane and forks it onto another node; nodes move only their own archives', async () => {
    await platform.rest('POST', `/v1/orgs/${user.orgId}/provider/apply`, { token: key, body: { note: 'boxes' } });
    const token = (await platform.rest('POST', `/v1/orgs/${user.orgId}/provider/tokens`, { token: key, body: {} })).body
      .data.token as string;
    startAgent(token, 'box-a', 1);
    const [boxA] = await onlineNodes(1);

    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
      token: key,
      body: { name: 'origin', public: true, diskSizeGb: 10, containerCommand: [process.execPath, '-e', WORKLOAD] },
    });
    expect(created.status, JSON.stringify(created.body.error)).toBe(200);
    const originId = created.body.data.id as string;
    const origin = await vmStatus(originId, 'running');
    expect(origin.nodeId).toBe(boxA?.id);
    expect(await (await fetch(origin.endpointUrl)).text()).toBe(`first written by ${originId}`);
    await platform.rest('POST', `/v1/vms/${originId}/stop`, { token: key });
    await vmStatus(originId, 'stopped');

    startAgent(token, 'box-b', 2);
    const nodes = await onlineNodes(2);
    const boxB = nodes.find((n) => n.name === 'box-b') as Json;

    // The snapshot is available once stored, with the stored bytes' SHA-256; box A keeps no copy.
    const snapshotId = (
      await platform.rest('POST', `/v1/vms/${originId}/snapshots`, { token: key, body: { name: 'marked' } })
    ).body.data.id as string;
    const snapshot = await eventually(async () => {
      const list = await platform.rest('GET', `/v1/orgs/${user.orgId}/snapshots`, { token: key });
      const found = list.body.data.find((s: Json) => s.id === snapshotId);
      if (found?.status === 'failed') throw new Error(`snapshot failed: ${found.statusReason}`);
      return found?.status === 'available' ? found : undefined;
    }, 40_000);
    const stored = path.join(dataDir, 'control-plane', 'assets', 'snapshots', user.orgId, snapshotId);
    const bytes = await readFile(stored);
    expect(snapshot.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(snapshot.sizeBytes).toBe(bytes.length);
    // The control plane answers the upload once stored (the snapshot is then available); box A removes its
    // copy when that answer reaches it, so a loaded machine may list it available a moment before.
    await eventually(async () => !existsSync(path.join(dataDir, 'box-a', 'snapshots', `${snapshotId}.tar.gz`)), 10_000);

    // Box A is cordoned: the fork lands on box B and sees the marker written before the snapshot.
    const cordoned = await platform.rest('PATCH', `/v1/orgs/${user.orgId}/provider/nodes/${boxA?.id}`, {
      token: key,
      body: { status: 'draining' },
    });
    expect(cordoned.status, JSON.stringify(cordoned.body.error)).toBe(200);
    const fork = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/fork`, {
      token: key,
      body: { snapshotId, name: 'child' },
    });
    expect(fork.status, JSON.stringify(fork.body.error)).toBe(200);
    const child = await vmStatus(fork.body.data.id, 'running');
    expect(child.nodeId).toBe(boxB.id);
    expect(await (await fetch(child.endpointUrl)).text()).toBe(`first written by ${originId}`);

    // A node the test plays (its secret known): it may move no archive that is not its own to move.
    const register = async (tokenOf: string, name: string) =>
      (
        await platform.graphql(
          'mutation($t: String!, $i: NodeInventoryInput!) { agentRegister(token: $t, inventory: $i) { nodeId nodeSecret } }',
          {
            t: tokenOf,
            i: { name, region: 'us-east', gpuModelId: 'l40s', gpuCount: 2, runtime: 'process', address: '127.0.0.1:9' },
          },
        )
      ).body.data.agentRegister as { nodeId: string; nodeSecret: string };
    const played = await register(token, 'played-box');
    const refused = await fetch(archiveUrl(snapshotId), { headers: asNode(played) });
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as Json).error.code).toBe('not_found');
    // Uploading over a snapshot it is not taking, or without / with another node's credential.
    const overwrite = await fetch(archiveUrl(snapshotId), { method: 'PUT', headers: asNode(played), body: 'junk' });
    expect(overwrite.status).toBe(404);
    expect((await fetch(archiveUrl(snapshotId))).status).toBe(401);
    const borrowed = await fetch(archiveUrl(snapshotId), {
      headers: asNode({ nodeId: String(boxB.id), nodeSecret: played.nodeSecret }),
    });
    expect(borrowed.status).toBe(401);
    expect(
      createHash('sha256')
        .update(await readFile(stored))
        .digest('hex'),
    ).toBe(snapshot.sha256);

    // Another organization's VM on the played node, pointing at this org's snapshot (written in the
    // database: the API never forks another org's snapshot) does not open the archive to that node.
    const mallory = await platform.signup('Mallory Forks');
    const malloryVm = await platform.rest('POST', `/v1/orgs/${mallory.orgId}/vms/create`, {
      token: mallory.token,
      body: { name: 'mallory-on-played', gpuModelId: 'l40s' },
    });
    expect(malloryVm.body.data.nodeId).toBe(played.nodeId);
    const orm = await createSubgraphOrm(subgraphs.compute, platform.databaseUrl, 1);
    try {
      await orm.em
        .fork()
        .execute('update vms set source_snapshot_id = ? where id = ?', [snapshotId, malloryVm.body.data.id]);
    } finally {
      await orm.close();
    }
    expect((await fetch(archiveUrl(snapshotId), { headers: asNode(played) })).status).toBe(404);
    // This org's own fork assigned to the played node opens it, with the recorded SHA-256.
    const onPlayed = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/fork`, {
      token: key,
      body: { snapshotId, name: 'on-played', gpuModelId: 'l40s' },
    });
    expect(onPlayed.body.data.nodeId).toBe(played.nodeId);
    const opened = await fetch(archiveUrl(snapshotId), { headers: asNode(played) });
    expect(opened.status).toBe(200);
    expect(opened.headers.get('x-content-sha256')).toBe(snapshot.sha256);
    expect(
      createHash('sha256')
        .update(Buffer.from(await opened.arrayBuffer()))
        .digest('hex'),
    ).toBe(snapshot.sha256);

    // A corrupted stored archive: the next fork fails before its first start, saying so.
    await writeFile(stored, Buffer.concat([bytes.subarray(0, bytes.length - 8), Buffer.from('corrupt!')]));
    const broken = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/fork`, {
      token: key,
      body: { snapshotId, name: 'broken' },
    });
    expect(broken.status, JSON.stringify(broken.body.error)).toBe(200);
    const failed = await vmStatus(broken.body.data.id, 'failed');
    expect(failed.statusReason).toMatch(/snapshot archive is corrupted/);
  }, 180_000);
});
