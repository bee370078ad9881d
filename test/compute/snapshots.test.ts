/**
 * Snapshots and fork on the embedded node (process runtime): a VM writes a marker into its disk; a
 * snapshot of it (stopped) is archived by the node's agent and stored by the control plane (size and
 * SHA-256); a fork restores the archive and serves the source's marker; a snapshot in use cannot be
 * deleted; a deleted one is no longer listed, its stored archive is removed and the row purged.
 * Forks on another node: snapshot-fork-nodes.test.ts.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphOrm } from '../../kernel/subgraph.ts';
import { subgraphs } from '../../subgraphs/index.ts';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'trellis-snapshots-'));
  platform = await startTestPlatform({
    TRELLIS_LOCAL_NODE: 'rtx-4090:2',
    TRELLIS_DATA_DIR: dataDir,
    // Far above the marker VMs' archives, below the 2 MiB of random bytes of the oversized one.
    TRELLIS_SNAPSHOT_MAX_BYTES: String(1024 * 1024),
  });
  user = await platform.signup('Snapshot Org');
}, 60_000);
afterAll(closeAll);

// Writes a marker naming the VM that first ran on this disk (kept when the disk is restored), and serves it.
const WORKLOAD = `
const fs = require('node:fs'); const file = process.env.DISK_DIR + '/marker.txt';
if (!fs.existsSync(file)) fs.writeFileSync(file, 'first written by ' + process.env.TRELLIS_VM_ID);
require('node:http').createServer((req, res) => res.end(fs.readFileSync(file))).listen(Number(process.env.PORT), '127.0.0.1');
`;

const vmStatus = (id: string, status: string) =>
  eventually(async () => {
    const vm = await platform.rest('GET', `/v1/vms/${id}`, { token: user.token });
    return vm.body.data.status === status ? vm.body.data : undefined;
  }, 30_000);

describe('snapshots and fork', () => {
  it('archives a stopped VM’s disk on its node and forks a VM restored from it', async () => {
    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
      token: user.token,
      body: { name: 'origin', public: true, diskSizeGb: 10, containerCommand: [process.execPath, '-e', WORKLOAD] },
    });
    expect(created.status, JSON.stringify(created.body.error)).toBe(200);
    const originId = created.body.data.id;
    const running = await vmStatus(originId, 'running');
    expect(await (await fetch(running.endpointUrl)).text()).toBe(`first written by ${originId}`);

    // Only a stopped VM is snapshotted.
    const tooEarly = await platform.rest('POST', `/v1/vms/${originId}/snapshots`, {
      token: user.token,
      body: { name: 'live' },
    });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.code).toBe('conflict');

    await platform.rest('POST', `/v1/vms/${originId}/stop`, { token: user.token });
    await vmStatus(originId, 'stopped');
    const snap = await platform.rest('POST', `/v1/vms/${originId}/snapshots`, {
      token: user.token,
      body: { name: 'before-upgrade' },
    });
    expect(snap.status, JSON.stringify(snap.body.error)).toBe(200);
    expect(snap.body.data).toMatchObject({ vmId: originId, name: 'before-upgrade', status: 'creating' });
    const snapshotId = snap.body.data.id;

    const available = await eventually(async () => {
      const list = await platform.rest('GET', `/v1/orgs/${user.orgId}/snapshots?vmId=${originId}`, {
        token: user.token,
      });
      const found = list.body.data.find((s: Json) => s.id === snapshotId);
      return found?.status === 'available' ? found : undefined;
    }, 30_000);
    expect(available.sizeBytes).toBeGreaterThan(0);
    expect(available.sha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = path.join(dataDir, 'assets', 'snapshots', user.orgId, snapshotId);
    expect(existsSync(stored)).toBe(true);
    const other = await platform.rest('GET', `/v1/orgs/${user.orgId}/snapshots?vmId=vm_none`, { token: user.token });
    expect(other.body.data).toEqual([]);

    const smaller = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/fork`, {
      token: user.token,
      body: { snapshotId, diskSizeGb: 5 },
    });
    expect(smaller.status).toBe(422);
    expect(smaller.body.error.field).toBe('diskSizeGb');

    const fork = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/fork`, {
      token: user.token,
      body: { snapshotId, name: 'child' },
    });
    expect(fork.status, JSON.stringify(fork.body.error)).toBe(200);
    expect(fork.body.data).toMatchObject({ name: 'child', sourceSnapshotId: snapshotId, diskSizeGb: 10 });
    const child = await vmStatus(fork.body.data.id, 'running');
    // The fork's disk is the snapshot's: the marker names the origin VM, not the fork.
    expect(await (await fetch(child.endpointUrl)).text()).toBe(`first written by ${originId}`);

    // In use by a live fork → 409; once the fork is terminated, deleted (soft) and purged by the agent.
    const inUse = await platform.rest('DELETE', `/v1/snapshots/${snapshotId}`, { token: user.token });
    expect(inUse.status).toBe(409);
    await platform.rest('POST', `/v1/vms/${child.id}/terminate`, { token: user.token });
    await vmStatus(child.id, 'terminated');
    const deleted = await platform.rest('DELETE', `/v1/snapshots/${snapshotId}`, { token: user.token });
    expect(deleted.status).toBe(204);
    const list = await platform.rest('GET', `/v1/orgs/${user.orgId}/snapshots`, { token: user.token });
    expect(list.body.data.map((s: Json) => s.id)).not.toContain(snapshotId);
    expect((await platform.rest('DELETE', `/v1/snapshots/${snapshotId}`, { token: user.token })).status).toBe(404);
    expect(existsSync(stored)).toBe(false);

    const orm = await createSubgraphOrm(subgraphs.compute, platform.databaseUrl, 1);
    try {
      await eventually(async () => {
        const [row] = await orm.em.fork().execute('select purged_at from snapshots where id = ?', [snapshotId]);
        return row?.purged_at ? true : undefined;
      }, 30_000);
    } finally {
      await orm.close();
    }
  });

  it('forks a snapshot whose VM moved to another organization (the stored archive keeps its key)', async () => {
    const lab = (
      await platform.graphql(
        'mutation($n: String!) { createOrganization(input: { name: $n }) { id } }',
        { n: 'Snapshot Lab' },
        { token: user.token },
      )
    ).body.data.createOrganization.id as string;
    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
      token: user.token,
      body: { name: 'mover', public: true, containerCommand: [process.execPath, '-e', WORKLOAD] },
    });
    const moverId = created.body.data.id as string;
    await vmStatus(moverId, 'running');
    await platform.rest('POST', `/v1/vms/${moverId}/stop`, { token: user.token });
    await vmStatus(moverId, 'stopped');
    const snapshotId = (
      await platform.rest('POST', `/v1/vms/${moverId}/snapshots`, { token: user.token, body: { name: 'moving' } })
    ).body.data.id as string;
    await eventually(async () => {
      const list = await platform.rest('GET', `/v1/orgs/${user.orgId}/snapshots`, { token: user.token });
      return list.body.data.find((s: Json) => s.id === snapshotId)?.status === 'available' ? true : undefined;
    }, 30_000);
    const offer = await platform.rest('POST', `/v1/orgs/${user.orgId}/transfers`, {
      token: user.token,
      body: { resourceType: 'vm', resourceId: moverId, targetOrgSlug: lab },
    });
    expect(offer.status, JSON.stringify(offer.body.error)).toBe(200);
    const accepted = await platform.rest('POST', `/v1/transfers/${offer.body.data.id}/accept`, { token: user.token });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(204);

    const fork = await platform.rest('POST', `/v1/orgs/${lab}/vms/fork`, {
      token: user.token,
      body: { snapshotId, name: 'moved-child' },
    });
    expect(fork.status, JSON.stringify(fork.body.error)).toBe(200);
    const child = await vmStatus(fork.body.data.id, 'running');
    expect(await (await fetch(child.endpointUrl)).text()).toBe(`first written by ${moverId}`);
  });

  it('fails a snapshot whose archive exceeds TRELLIS_SNAPSHOT_MAX_BYTES, storing nothing', async () => {
    const bulky = `require('node:fs').writeFileSync(process.env.DISK_DIR + '/bulk.bin', require('node:crypto').randomBytes(2 * 1024 * 1024));
require('node:http').createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');`;
    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
      token: user.token,
      body: { name: 'bulky', containerCommand: [process.execPath, '-e', bulky] },
    });
    const id = created.body.data.id as string;
    await vmStatus(id, 'running');
    await platform.rest('POST', `/v1/vms/${id}/stop`, { token: user.token });
    await vmStatus(id, 'stopped');
    const snapshotId = (
      await platform.rest('POST', `/v1/vms/${id}/snapshots`, { token: user.token, body: { name: 'too-big' } })
    ).body.data.id as string;
    const failed = await eventually(async () => {
      const list = await platform.rest('GET', `/v1/orgs/${user.orgId}/snapshots`, { token: user.token });
      const found = list.body.data.find((s: Json) => s.id === snapshotId);
      return found?.status === 'failed' ? found : undefined;
    }, 30_000);
    expect(failed.statusReason).toMatch(/did not store the archive: .*at most 1048576 bytes/);
    expect(failed.sha256).toBeNull();
    expect(existsSync(path.join(dataDir, 'assets', 'snapshots', user.orgId, snapshotId))).toBe(false);
  });

  it('refuses a snapshot of a VM that never ran, and hides another org’s snapshots', async () => {
    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
      token: user.token,
      body: { name: 'never-ran', gpuModelId: 'h100-80gb' },
    });
    const id = created.body.data.id;
    await platform.rest('POST', `/v1/vms/${id}/stop`, { token: user.token });
    const refused = await platform.rest('POST', `/v1/vms/${id}/snapshots`, { token: user.token, body: { name: 'x' } });
    expect(refused.status).toBe(409);
    const mallory = await platform.signup('Mallory Snapshots');
    const stolen = await platform.rest('POST', `/v1/vms/${id}/snapshots`, {
      token: mallory.token,
      body: { name: 'x' },
    });
    expect(stolen.status).toBe(404);
    const fork = await platform.rest('POST', `/v1/orgs/${mallory.orgId}/vms/fork`, {
      token: mallory.token,
      body: { snapshotId: 'snap_unknown' },
    });
    expect(fork.status).toBe(404);
    expect(fork.body.error.field).toBe('snapshotId');
  });
});
