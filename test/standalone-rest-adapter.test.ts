import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../kernel/subgraph.ts';
import { closeAll, type Json, startStandaloneAdapter, startTestPlatform, type TestPlatform } from './harness.ts';

let platform: TestPlatform;
let adapter: RunningService;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_REST_MODE: 'off' });
  adapter = await startStandaloneAdapter(platform);
});
afterAll(closeAll);

describe('standalone REST adapter in front of a remote gateway', () => {
  it('serves the same route and envelope over the network', async () => {
    const user = await platform.signup('Standalone Org');
    const response = await fetch(`${adapter.url}/v1/organizations/${user.orgId}`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(body.data).toMatchObject({ id: user.orgId, name: 'Standalone Org', balance: { availableCents: 0 } });
    expect(body.context.principal_id).toBe(user.userId);
  });

  it('is not mounted on the gateway when the gateway runs without it', async () => {
    const response = await platform.rest('GET', '/v1/organizations/org_x');
    expect(response.status).not.toBe(200);
    expect(response.body?.meta).toBeUndefined();
  });

  it('refuses callers without credentials before reaching the gateway', async () => {
    const response = await fetch(`${adapter.url}/v1/organizations/org_x`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });
});
