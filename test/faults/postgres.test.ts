/**
 * PostgreSQL cut off from the whole platform and restored (issue 8, item 14), without Redis, so
 * PostgreSQL also carries the bus (LISTEN/NOTIFY). Asserted: while it is down every call is 503
 * `service_unavailable` (never 500), subgraphs are unready and the gateways ready with their
 * dependencies degraded; once it is back, without a restart, calls succeed, nothing written
 * before is lost, and the bus itself reconnects — a revocation and a live event reach the other
 * replica through it again (the revocation poll and the head poll are set far beyond the test's
 * waits, so only the bus can carry them).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeClients, connect, received } from '../events/ws-client.ts';
import { eventually } from '../eventually.ts';
import { type FaultProxy, startFaultProxy } from '../fault-proxy.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { call, graphql, type Replica, startReplica } from './support.ts';

let database: FaultProxy;
let platform: TestPlatform;
let replica: Replica;
let owner: TestUser;

beforeAll(async () => {
  const admin = new URL(inject('adminDatabaseUrl'));
  database = await startFaultProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
  platform = await startTestPlatform((url) => ({
    DATABASE_URL: database.urlFor(url),
    REDIS_URL: '',
    TRELLIS_AUTH_CACHE_TTL_MS: '600000',
    TRELLIS_AUTH_REVOCATION_POLL_MS: '600000',
    TRELLIS_EVENT_HEAD_POLL_MS: '300000',
  }));
  replica = await startReplica(platform);
  owner = await platform.signup('Postgres Faults');
});
afterAll(async () => {
  await database?.restore();
  await closeClients();
  await replica?.close();
  await closeAll();
  await database?.close();
});

const buses = () => [platform.app.platform.bus, replica.platform.bus];
const WORKFLOWS = 'query($o: ID!) { workflows(orgId: $o) { items { name } } }';

describe('PostgreSQL down and back', () => {
  it('is 503 while down, recovers without a restart, and the bus reconnects', async () => {
    const key = await platform.apiKey(owner);
    const created = await graphql(
      platform.url,
      owner.token,
      'mutation($o: ID!) { createWorkflow(orgId: $o, input: { name: "kept" }) { id } }',
      { o: owner.orgId },
    );
    expect(created.status).toBe(200);
    expect((await call(`${replica.gateway.url}/v1/me`, key.key)).status).toBe(200);
    expect(buses().every((bus) => bus.kind === 'postgres' && bus.healthy())).toBe(true);

    await database.cut();
    await eventually(() => buses().every((bus) => !bus.healthy()), 5_000);
    for (const url of [platform.url, replica.gateway.url]) {
      const rest = await call(`${url}/v1/orgs/${owner.orgId}/workflows`, key.key);
      expect(rest.status, JSON.stringify(rest.body)).toBe(503);
      expect(rest.body.error.code).toBe('service_unavailable');
      expect(rest.headers.get('retry-after')).toBe('5');
      const ready = await call(`${url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body.degraded.map((d: { name: string }) => d.name)).toContain('bus');
    }
    const subgraph = await call(platform.app.subgraphs[0]?.url.replace(/\/graphql$/, '/health/ready') as string);
    expect(subgraph.status).toBe(503);

    await database.restore();
    await eventually(() => buses().every((bus) => bus.healthy()), 15_000);
    const listed = await eventually(async () => {
      const answer = await graphql(replica.gateway.url, owner.token, WORKFLOWS, { o: owner.orgId });
      return answer.status === 200 ? answer.body.data.workflows.items : undefined;
    }, 15_000);
    expect(listed.map((w: { name: string }) => w.name)).toContain('kept');

    // Through the reconnected bus: a live event reaches a subscriber on the replica…
    const client = connect(replica.gateway.url, { authorization: owner.token });
    const stream = client.subscribe('subscription($o: ID!) { controlPlane(orgId: $o) { kind } }', { o: owner.orgId });
    await received(stream, 1); // InitialState
    await graphql(
      platform.url,
      owner.token,
      'mutation($o: ID!) { createWorkflow(orgId: $o, input: { name: "after" }) { id } }',
      { o: owner.orgId },
    );
    await received(stream, 2, 5_000);
    // …and so does a revocation, at once.
    const revoked = await call(`${platform.url}/v1/orgs/${owner.orgId}/api-keys/${key.id}`, owner.token, {
      method: 'DELETE',
    });
    expect(revoked.status).toBe(204);
    await eventually(async () => (await call(`${replica.gateway.url}/v1/me`, key.key)).status === 401, 2_000);
  });
});
