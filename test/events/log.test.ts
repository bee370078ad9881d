import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, startTestPlatform, type TestPlatform } from '../harness.ts';
import { eventually, logOf, ok } from './helpers.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(closeAll);

describe('event log', () => {
  it('records a change made through any subgraph, with actor, request id and subject', async () => {
    const user = await platform.signup('Log Org');
    const created = await ok(
      platform,
      'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "agent", budgetMicros: 100 }) { id } }',
      { orgId: user.orgId },
      user.token,
    );
    const workflowId = created.createWorkflow.id;
    const event = await eventually(async () =>
      (await logOf(platform, user)).find((e) => e.type === 'workflow.created' && e.subject?.id === workflowId),
    );
    expect(event.id).toMatch(/^evt_/);
    expect(event.actor).toEqual({ type: 'user', id: user.userId });
    expect(event.requestId).toBeTruthy();
    expect(event.seq).toBeGreaterThan(0);
  });
});
