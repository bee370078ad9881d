import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandaloneRestAdapter } from '../gateway/extensions.ts';
import { loadConfig } from '../kernel/config.ts';
import { createLogger } from '../kernel/logger.ts';
import { createPlatform, type Platform } from '../kernel/platform.ts';
import type { RunningService } from '../kernel/subgraph.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform } from './harness.ts';

let platform: TestPlatform;
let adapterPlatform: Platform;
let adapter: RunningService;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_REST_MODE: 'off' });
  const shared = platform.app.platform;
  const identityUrl = platform.app.subgraphs.find((s) => s.name === 'identity')?.url as string;
  const config = loadConfig({
    NODE_ENV: 'test',
    TRELLIS_REST_MODE: 'standalone',
    TRELLIS_REST_PORT: '0',
    TRELLIS_REST_GATEWAY_URL: platform.url,
    TRELLIS_IDENTITY_URL: identityUrl,
    TRELLIS_INTERNAL_SECRET: shared.internalSecret,
    TRELLIS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    TRELLIS_LOG_LEVEL: 'silent',
  });
  adapterPlatform = await createPlatform(config, createLogger('silent'));
  adapter = await startStandaloneRestAdapter(adapterPlatform);
});
afterAll(async () => {
  await adapter?.close();
  await adapterPlatform?.close();
  await closeAll();
});

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
