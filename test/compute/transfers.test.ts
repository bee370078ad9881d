/**
 * Transfers of VMs and clusters between organizations (seed 003): initiated by an owner/admin of the
 * source to an org the caller belongs to (named by slug), one pending offer per resource, accepted or
 * rejected by the target's owner/admin, cancelled by the source; accept re-homes the resource at once.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;
let targetOrgId: string;
const targetSlug = `alice-lab-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off' });
  alice = await platform.signup('Alice Source');
  bob = await platform.signup('Bob Org');
  mallory = await platform.signup('Mallory Org');
  const second = await platform.rest('POST', '/v1/orgs', {
    token: alice.token,
    body: { name: 'Alice Lab', slug: targetSlug },
  });
  targetOrgId = second.body.data.id ?? second.body.data.organization?.id;
  await platform.rest('POST', `/v1/orgs/${alice.orgId}/members/add`, {
    token: alice.token,
    body: { email: bob.email, role: 'member' },
  });
}, 60_000);
afterAll(closeAll);

describe('transfers', () => {
  it('moves a VM to another org of the caller on accept, exactly once', async () => {
    expect(targetOrgId).toMatch(/^org_/);
    // The target is named by slug once compute's directory has seen identity's organization.created.
    const targets = await eventually(async () => {
      const list = await platform.rest('GET', '/v1/transfers/target-orgs', { token: alice.token });
      return list.body.data.some((o: Json) => o.slug === targetSlug) ? list.body.data : undefined;
    }, 20_000);
    expect(targets.map((o: Json) => o.id).sort()).toEqual([alice.orgId, targetOrgId].sort());

    const vm = await platform.rest('POST', `/v1/orgs/${alice.orgId}/vms/create`, {
      token: alice.token,
      body: { name: 'moving-vm' },
    });
    const vmId = vm.body.data.id;
    const offer = { resourceType: 'vm', resourceId: vmId, targetOrgSlug: targetSlug, note: 'to the lab' };

    // A member who is not owner/admin cannot offer; a stranger's org is not a target.
    const byMember = await platform.rest('POST', `/v1/orgs/${alice.orgId}/transfers`, {
      token: bob.token,
      body: offer,
    });
    expect(byMember.status).toBe(403);
    const toStranger = await platform.rest('POST', `/v1/orgs/${alice.orgId}/transfers`, {
      token: alice.token,
      body: { ...offer, targetOrgSlug: mallory.orgId },
    });
    expect(toStranger.status).toBe(404);
    expect(toStranger.body.error.field).toBe('targetOrgSlug');
    const badType = await platform.rest('POST', `/v1/orgs/${alice.orgId}/transfers`, {
      token: alice.token,
      body: { ...offer, resourceType: 'disk' },
    });
    expect(badType.status).toBe(422);
    expect(badType.body.error.field).toBe('resourceType');

    const created = await platform.rest('POST', `/v1/orgs/${alice.orgId}/transfers`, {
      token: alice.token,
      body: offer,
    });
    expect(created.status, JSON.stringify(created.body.error)).toBe(200);
    expect(created.body.data).toMatchObject({
      status: 'pending',
      resourceName: 'moving-vm',
      sourceOrgId: alice.orgId,
      targetOrgId,
      targetOrgSlug: targetSlug,
      note: 'to the lab',
    });
    const transferId = created.body.data.id;
    const again = await platform.rest('POST', `/v1/orgs/${alice.orgId}/transfers`, { token: alice.token, body: offer });
    expect(again.status).toBe(409);

    const incoming = await platform.rest('GET', `/v1/orgs/${targetOrgId}/transfers/incoming`, { token: alice.token });
    expect(incoming.body.data.map((t: Json) => t.id)).toEqual([transferId]);
    expect(incoming.body.data[0].sourceOrgName).toBe('Alice Source');
    const count = await platform.rest('GET', `/v1/orgs/${targetOrgId}/transfers/pending-count`, {
      token: alice.token,
    });
    expect(count.body.data.count).toBe(1);
    const outgoing = await platform.rest('GET', `/v1/orgs/${alice.orgId}/transfers/outgoing`, { token: alice.token });
    expect(outgoing.body.data.map((t: Json) => t.id)).toEqual([transferId]);

    // Someone outside the target cannot accept (not found); the target's admin can, once.
    expect((await platform.rest('POST', `/v1/transfers/${transferId}/accept`, { token: mallory.token })).status).toBe(
      404,
    );
    expect((await platform.rest('POST', `/v1/transfers/${transferId}/accept`, { token: bob.token })).status).toBe(404);
    const accepted = await platform.rest('POST', `/v1/transfers/${transferId}/accept`, { token: alice.token });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(204);
    expect((await platform.rest('POST', `/v1/transfers/${transferId}/accept`, { token: alice.token })).status).toBe(
      409,
    );

    const sourceVms = await platform.rest('GET', `/v1/orgs/${alice.orgId}/vms`, { token: alice.token });
    expect(sourceVms.body.data.items.map((v: Json) => v.id)).not.toContain(vmId);
    const targetVms = await platform.rest('GET', `/v1/orgs/${targetOrgId}/vms`, { token: alice.token });
    expect(targetVms.body.data.items.map((v: Json) => v.id)).toContain(vmId);
    // Bob was a member of the source only: the VM is no longer his to see.
    expect((await platform.rest('GET', `/v1/vms/${vmId}`, { token: bob.token })).status).toBe(404);
    const after = await platform.rest('GET', `/v1/orgs/${alice.orgId}/transfers/outgoing`, { token: alice.token });
    expect(after.body.data[0]).toMatchObject({ id: transferId, status: 'accepted' });
    const none = await platform.rest('GET', `/v1/orgs/${targetOrgId}/transfers/pending-count`, { token: alice.token });
    expect(none.body.data.count).toBe(0);
  });

  it('cancels and rejects cluster transfers without moving anything', async () => {
    const cluster = await platform.rest('POST', `/v1/orgs/${alice.orgId}/clusters/create`, {
      token: alice.token,
      body: { name: 'moving-cluster', replicaCount: 1 },
    });
    const clusterId = cluster.body.data.id;
    const offer = { resourceType: 'cluster', resourceId: clusterId, targetOrgSlug: targetOrgId };
    const first = await platform.rest('POST', `/v1/orgs/${alice.orgId}/transfers`, { token: alice.token, body: offer });
    expect(first.status, JSON.stringify(first.body.error)).toBe(200);
    // Only the source cancels: the target side does not see a cancel of its own.
    expect(
      (await platform.rest('POST', `/v1/transfers/${first.body.data.id}/cancel`, { token: mallory.token })).status,
    ).toBe(404);
    expect(
      (await platform.rest('POST', `/v1/transfers/${first.body.data.id}/cancel`, { token: alice.token })).status,
    ).toBe(204);
    const second = await platform.rest('POST', `/v1/orgs/${alice.orgId}/transfers`, {
      token: alice.token,
      body: offer,
    });
    expect(second.status).toBe(200);
    expect(
      (await platform.rest('POST', `/v1/transfers/${second.body.data.id}/reject`, { token: alice.token })).status,
    ).toBe(204);
    const outgoing = await platform.rest('GET', `/v1/orgs/${alice.orgId}/transfers/outgoing`, { token: alice.token });
    const statuses = Object.fromEntries(outgoing.body.data.map((t: Json) => [t.id, t.status]));
    expect(statuses[first.body.data.id]).toBe('cancelled');
    expect(statuses[second.body.data.id]).toBe('rejected');
    const still = await platform.rest('GET', `/v1/clusters/${clusterId}`, { token: alice.token });
    expect(still.body.data.id).toBe(clusterId);
    const sourceClusters = await platform.rest('GET', `/v1/orgs/${alice.orgId}/clusters`, { token: alice.token });
    expect(sourceClusters.body.data.items.map((c: Json) => c.id)).toContain(clusterId);
  });
});
