import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, startTestPlatform, type TestPlatform } from './harness.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(closeAll);

describe('one query across all five subgraphs', () => {
  it('reads an organization with fields owned by identity, governance, compute, billing and events', async () => {
    const user = await platform.signup('Five Subgraphs');
    await platform.graphql(
      'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "agent", budgetMicros: 5000000 }) { id } }',
      { orgId: user.orgId },
      { token: user.token },
    );
    await platform.graphql(
      'mutation($orgId: ID!) { createVm(orgId: $orgId, input: { name: "trainer", gpuModelId: "h100-80gb" }) { id } }',
      { orgId: user.orgId },
      { token: user.token },
    );
    const result = await platform.graphql(
      `query Overview($id: ID!) {
        organization(id: $id) {
          name
          workflows { name budgetMicros status }
          vms { name gpuModelId status }
          balance { availableCents currency }
          webhooks { url }
        }
      }`,
      { id: user.orgId },
      { token: user.token },
    );
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.organization).toEqual({
      name: 'Five Subgraphs',
      workflows: [{ name: 'agent', budgetMicros: 5_000_000, status: 'ACTIVE' }],
      vms: [{ name: 'trainer', gpuModelId: 'h100-80gb', status: 'PENDING' }],
      balance: { availableCents: 0, currency: 'usd' },
      webhooks: [],
    });
  });

  it('refuses another organization’s data with 403 and returns nothing', async () => {
    const alice = await platform.signup('Alice Org');
    const mallory = await platform.signup('Mallory Org');
    const result = await platform.graphql(
      'query($id: ID!) { organization(id: $id) { name workflows { name } } }',
      { id: alice.orgId },
      { token: mallory.token },
    );
    expect(result.body.data?.organization ?? null).toBeNull();
    expect(result.body.errors[0].extensions.code).toBe('org_mismatch');
  });
});
