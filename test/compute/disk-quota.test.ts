/**
 * The process runtime's disk-quota watchdog (agent/runtime.ts), on the embedded node: a workload that
 * allocates more than its `diskSizeGb` in its disk directory is killed by the agent and the VM goes
 * `failed` with a `statusReason` naming the quota. `fallocate` reserves real blocks (what `du` counts)
 * without writing them, so 1 GiB + a little costs no I/O. Without the watchdog the VM stays `running`
 * and the test times out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'rtx-4090:1' });
  user = await platform.signup('Quota Org');
}, 60_000);
afterAll(closeAll);

describe('disk quota watchdog (process runtime)', () => {
  it('kills a workload that writes past diskSizeGb and fails its VM naming the quota', async () => {
    // Listens first (so the VM reaches running), then takes 1.1 GiB of its 1 GB disk.
    const script = `
      require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1', () => {
        require('node:child_process').execFileSync('fallocate', ['-l', String(1100 * 1024 * 1024), process.env.DISK_DIR + '/big']);
      });`;
    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
      token: user.token,
      body: { name: 'disk-hog', diskSizeGb: 1, containerCommand: [process.execPath, '-e', script] },
    });
    expect(created.status, JSON.stringify(created.body.error)).toBe(200);
    const id = created.body.data.id as string;

    const statuses = new Set<string>();
    const failed = await eventually(async () => {
      const vm = (await platform.rest('GET', `/v1/vms/${id}`, { token: user.token })).body.data;
      statuses.add(vm.status);
      return vm.status === 'failed' ? vm : undefined;
    }, 45_000);
    expect(statuses.has('running')).toBe(true);
    expect(failed.statusReason).toMatch(/exceeded its disk quota/);
    expect(failed.statusReason).toMatch(/diskSizeGb 1\b/);

    // Terminating gives the node its disk back.
    expect((await platform.rest('POST', `/v1/vms/${id}/terminate`, { token: user.token })).status).toBe(200);
  }, 90_000);
});
