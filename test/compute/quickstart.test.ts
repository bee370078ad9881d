/**
 * Seed 003's quickstart, literally, on the embedded default (one local node agent, `process` runtime):
 * catalog → create with its body → poll until running → endpointUrl answers → terminate. Also the state
 * machine's 409s and the endpoint's data-plane auth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let key: string;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'rtx-4090:2,a100-80gb:1' });
  user = await platform.signup('Quickstart Org');
  key = (await platform.apiKey(user, ['vms:write', 'billing:read'])).key;
}, 60_000);
afterAll(closeAll);

describe('seed 003 quickstart', () => {
  it('catalog → create → running → endpoint answers → terminate', async () => {
    const availability = await platform.rest('GET', '/v1/gpu-availability', { token: key });
    expect(availability.status).toBe(200);
    const rtx = availability.body.data.find((m: Json) => m.gpuModelId === 'rtx-4090');
    expect(rtx).toMatchObject({ availableGpus: 2, totalGpus: 2 });
    const pricing = await platform.rest('GET', '/v1/pricing', { token: key });
    expect(pricing.body.data.gpus).toContainEqual(
      expect.objectContaining({ gpuModelId: 'rtx-4090', tier: 'community', pricePerGpuHourCents: 59 }),
    );

    const started = Date.now();
    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
      token: key,
      body: {
        name: 'my-first-vm',
        gpuModelId: 'rtx-4090',
        gpuCount: 1,
        imageUrl: 'ghcr.io/my-org/my-image:latest',
        diskSizeGb: 100,
        envVars: { MODEL: 'llama-3' },
      },
    });
    expect(created.status, JSON.stringify(created.body.error)).toBe(200); // seed 003: 200 Created
    const vmId = created.body.data.id;
    expect(['pending', 'provisioning']).toContain(created.body.data.status);

    const running = await eventually(async () => {
      const vm = await platform.rest('GET', `/v1/vms/${vmId}`, { token: key });
      return vm.body.data.status === 'running' ? vm.body.data : undefined;
    }, 20_000);
    const latency = Date.now() - started;
    expect(running).toMatchObject({ name: 'my-first-vm', pricePerHourCents: 59, runtime: 'process', region: 'local' });
    expect(latency).toBeLessThan(30_000); // seconds on a quiet machine (bench/); generous for a loaded CI

    // The endpoint: an API key of the VM's org passes; no credential, or another org's, does not.
    const page = await fetch(`${running.endpointUrl}health`, { headers: { authorization: `Bearer ${key}` } });
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ vmId, name: 'my-first-vm', imageUrl: 'ghcr.io/my-org/my-image:latest' });
    expect((await fetch(`${running.endpointUrl}health`)).status).toBe(401);
    const mallory = await platform.signup('Mallory Org');
    const malloryKey = (await platform.apiKey(mallory)).key;
    expect((await fetch(running.endpointUrl, { headers: { authorization: `Bearer ${malloryKey}` } })).status).toBe(401);

    const detail = await platform.rest('GET', `/v1/vms/${vmId}/detail`, { token: key });
    expect(detail.body.data).toMatchObject({
      pricePerHourCents: 59,
      gpuModel: { id: 'rtx-4090' },
      node: { runtime: 'process', region: 'local' },
    });

    const terminated = await platform.rest('POST', `/v1/vms/${vmId}/terminate`, { token: key });
    expect(terminated.status).toBe(200);
    expect(terminated.body.data.status).toBe('terminating');
    await eventually(async () => {
      const vm = await platform.rest('GET', `/v1/vms/${vmId}`, { token: key });
      return vm.body.data.status === 'terminated' ? true : undefined;
    }, 20_000);
    const after = await platform.rest('GET', '/v1/gpu-availability', { token: key });
    expect(after.body.data.find((m: Json) => m.gpuModelId === 'rtx-4090').availableGpus).toBe(2);
  }, 60_000);

  it('stop → stopped; illegal transitions are 409; resize only grows a stopped disk', async () => {
    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
      token: key,
      body: { name: 'lifecycle', gpuModelId: 'a100-80gb', public: true },
    });
    const vmId = created.body.data.id;
    const running = await eventually(async () => {
      const vm = await platform.rest('GET', `/v1/vms/${vmId}`, { token: key });
      return vm.body.data.status === 'running' ? vm.body.data : undefined;
    }, 20_000);
    expect((await fetch(running.endpointUrl)).status).toBe(200); // public: no credential needed
    expect(
      (await platform.rest('POST', `/v1/vms/${vmId}/resize-disk`, { token: key, body: { newSizeGb: 80 } })).status,
    ).toBe(409);
    expect((await platform.rest('POST', `/v1/vms/${vmId}/stop`, { token: key })).body.data.status).toBe('stopping');
    await eventually(async () => {
      const vm = await platform.rest('GET', `/v1/vms/${vmId}`, { token: key });
      return vm.body.data.status === 'stopped' ? true : undefined;
    }, 20_000);
    const reboot = await platform.rest('POST', `/v1/vms/${vmId}/reboot`, { token: key });
    expect(reboot.status).toBe(409);
    expect(reboot.body.error.code).toBe('conflict');
    const shrink = await platform.rest('POST', `/v1/vms/${vmId}/resize-disk`, { token: key, body: { newSizeGb: 10 } });
    expect(shrink.status).toBe(409);
    expect(
      (await platform.rest('POST', `/v1/vms/${vmId}/resize-disk`, { token: key, body: { newSizeGb: 80 } })).status,
    ).toBe(204);
    const restarted = await platform.rest('POST', `/v1/vms/${vmId}/restart`, { token: key });
    expect(['provisioning', 'pending']).toContain(restarted.body.data.status);
    await eventually(async () => {
      const vm = await platform.rest('GET', `/v1/vms/${vmId}`, { token: key });
      return vm.body.data.status === 'running' ? true : undefined;
    }, 20_000);
    await platform.rest('POST', `/v1/vms/${vmId}/terminate`, { token: key });
    await eventually(async () => {
      const vm = await platform.rest('GET', `/v1/vms/${vmId}`, { token: key });
      return vm.body.data.status === 'terminated' ? true : undefined;
    }, 20_000);
    const again = await platform.rest('POST', `/v1/vms/${vmId}/terminate`, { token: key });
    expect(again.status).toBe(409);
  }, 60_000);

  it('rejects each invalid value with a 422 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'name'],
      [{ name: 'x', gpuModelId: 'no-such-gpu' }, 'gpuModelId'],
      [{ name: 'x', tier: 'gold' }, 'tier'],
      [{ name: 'x', gpuCount: 0 }, 'gpuCount'],
      [{ name: 'x', containerPort: 70000 }, 'containerPort'],
      [{ name: 'x', preferredRegions: ['mars-1'] }, 'preferredRegions[0]'],
      [{ name: 'x', envVars: { '1BAD': 'x' } }, 'envVars.1BAD'],
      [{ name: 'x', healthCheckPath: 'no-slash' }, 'healthCheckPath'],
      [{ name: 'x', kernelModules: ['Bad Module'] }, 'kernelModules[0]'],
      [{ name: 'x', diskSizeGb: 0 }, 'diskSizeGb'],
      [{ name: 'x', templateId: 'tpl-nope' }, 'templateId'],
    ];
    for (const [body, field] of cases) {
      const answer = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, { token: key, body });
      expect({ body, status: answer.status, field: answer.body.error?.field }).toEqual({ body, status: 422, field });
    }
  });
});
