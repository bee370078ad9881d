/**
 * A subgraph down, a subgraph hung, and a subgraph's PostgreSQL down (issue 8, item 14), each
 * through a TCP proxy the test cuts, pauses and restores. Asserted: the caller gets the documented
 * 503 `service_unavailable` with `Retry-After` on GraphQL and REST (not 500 `internal`), logged
 * once as a warning and never as an error; a hung subgraph is cut off at the gateway's deadline;
 * the gateway stays ready and reports the subgraph as degraded, while the subgraph whose database
 * is gone reports itself unready; everything recovers without a restart, with no data lost.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { type FaultProxy, startFaultProxy } from '../fault-proxy.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { type CapturedLog, call, captureLog, graphql, type Replica, startReplica } from './support.ts';

let platform: TestPlatform;
let log: CapturedLog;
let database: FaultProxy;
let governance: FaultProxy;
let governanceUrl: string;
let replica: Replica;
let owner: TestUser;
let workflowId: string;

const WORKFLOWS = 'query($o: ID!) { workflows(orgId: $o) { items { id name } } }';

beforeAll(async () => {
  const admin = new URL(inject('adminDatabaseUrl'));
  database = await startFaultProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
  log = captureLog();
  // Governance reaches its own database through the proxy; the other subgraphs directly.
  // Small pools, so a few stranded connections would exhaust one.
  platform = await startTestPlatform(
    (url) => ({ TRELLIS_GOVERNANCE_DATABASE_URL: database.urlFor(url), TRELLIS_DB_POOL_MAX: '3' }),
    { logger: log.logger },
  );
  governanceUrl = platform.app.subgraphs.find((s) => s.name === 'governance')?.url as string;
  const target = new URL(governanceUrl);
  governance = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
  // A replica that reaches governance over HTTP through the proxy, with a 1 s subgraph deadline.
  replica = await startReplica(platform, {
    subgraphUrls: { governance: governance.urlFor(governanceUrl) },
    config: (config) => ({ ...config, graphql: { ...config.graphql, subgraphTimeoutMs: 1_000 } }),
  });
  owner = await platform.signup('Subgraph Faults');
  const created = await graphql(
    platform.url,
    owner.token,
    'mutation($o: ID!) { createWorkflow(orgId: $o, input: { name: "survivor" }) { id } }',
    { o: owner.orgId },
  );
  workflowId = created.body.data.createWorkflow.id;
});
afterAll(async () => {
  await governance?.restore();
  await database?.restore();
  await replica?.close();
  await closeAll();
  await governance?.close();
  await database?.close();
});

/** Asserts the documented outage answer on GraphQL (HTTP 503 without data) and REST, each with Retry-After. */
async function expectUnavailable(baseUrl: string): Promise<number[]> {
  const viaGraphql = await graphql(baseUrl, owner.token, WORKFLOWS, { o: owner.orgId });
  expect(viaGraphql.body.errors?.[0]?.extensions?.code, JSON.stringify(viaGraphql.body)).toBe('service_unavailable');
  expect(viaGraphql.status).toBe(503);
  expect(viaGraphql.headers.get('retry-after')).toBe('5');
  const viaRest = await call(`${baseUrl}/v1/orgs/${owner.orgId}/workflows`, owner.token);
  expect(viaRest.status, JSON.stringify(viaRest.body)).toBe(503);
  expect(viaRest.body.error.code).toBe('service_unavailable');
  expect(viaRest.headers.get('retry-after')).toBe('5');
  return [viaGraphql.ms, viaRest.ms];
}

async function expectWorkflowsBack(baseUrl: string): Promise<void> {
  await eventually(async () => {
    const answer = await graphql(baseUrl, owner.token, WORKFLOWS, { o: owner.orgId });
    return answer.body.data?.workflows.items.some((w: { id: string }) => w.id === workflowId);
  }, 15_000);
}

const errorLines = (captured: CapturedLog) =>
  captured.lines.filter((l) => l.level >= 50 && ['unexpected GraphQL error', 'REST request failed'].includes(l.msg));

describe('a subgraph unreachable from the gateway', () => {
  it('down: 503 service_unavailable with Retry-After, logged once; the gateway stays ready; recovers', async () => {
    await governance.cut();
    const warningsBefore = replica.log.count(40, 'dependency unavailable');
    await expectUnavailable(replica.gateway.url);
    expect(replica.log.count(40, 'dependency unavailable') - warningsBefore).toBe(2); // one per request
    expect(errorLines(replica.log)).toEqual([]);
    // What does not need governance is served.
    expect((await graphql(replica.gateway.url, owner.token, '{ me { principalId } }')).status).toBe(200);
    const ready = await call(`${replica.gateway.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.degraded.map((d: { name: string }) => d.name)).toEqual(['governance']);

    await governance.restore();
    await expectWorkflowsBack(replica.gateway.url);
    expect((await call(`${replica.gateway.url}/health/ready`)).body.degraded).toEqual([]);
  });

  it('hung: the gateway gives up at its deadline (TRELLIS_SUBGRAPH_TIMEOUT_MS) with 503', async () => {
    governance.pause();
    try {
      const [graphqlMs, restMs] = await expectUnavailable(replica.gateway.url);
      for (const ms of [graphqlMs, restMs]) {
        expect(ms).toBeGreaterThanOrEqual(900);
        expect(ms).toBeLessThan(5_000);
      }
    } finally {
      await governance.restore();
    }
    await expectWorkflowsBack(replica.gateway.url);
  });
});

describe('a subgraph whose PostgreSQL is down', () => {
  it('is 503 service_unavailable, the subgraph is unready, the gateway ready; recovers without a restart', async () => {
    await database.cut();
    const warningsBefore = log.count(40, 'dependency unavailable');
    await expectUnavailable(platform.url);
    const create = await call(`${platform.url}/v1/orgs/${owner.orgId}/workflows`, owner.token, {
      body: { name: 'during-outage' },
    });
    expect(create.status, JSON.stringify(create.body)).toBe(503);
    expect(log.count(40, 'dependency unavailable')).toBeGreaterThan(warningsBefore);
    expect(errorLines(log)).toEqual([]);

    const subgraphReady = await call(governanceUrl.replace(/\/graphql$/, '/health/ready'));
    expect(subgraphReady.status).toBe(503);
    const gatewayReady = await call(`${platform.url}/health/ready`);
    expect(gatewayReady.status).toBe(200);
    expect(gatewayReady.body.degraded.map((d: { name: string }) => d.name)).toEqual(['governance']);

    await database.restore();
    await expectWorkflowsBack(platform.url);
    const after = await call(`${platform.url}/v1/orgs/${owner.orgId}/workflows`, owner.token, {
      body: { name: 'after-outage' },
    });
    expect(after.status).toBe(201);
    expect((await call(governanceUrl.replace(/\/graphql$/, '/health/ready'))).status).toBe(200);
  });

  it('connections that break in the middle of a transaction are given back: the pool does not run dry', async () => {
    // The pool's connections open and idle, then checked out with their BEGIN in flight, then dead.
    await Promise.all(
      Array.from({ length: 6 }, () => graphql(platform.url, owner.token, WORKFLOWS, { o: owner.orgId })),
    );
    database.pause();
    const creates = Array.from({ length: 14 }, (_, i) =>
      call(`${platform.url}/v1/orgs/${owner.orgId}/workflows`, owner.token, { body: { name: `stranded-${i}` } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await database.cut();
    const answers = await Promise.all(creates);
    expect(answers.every((a) => a.status === 201 || a.status === 503)).toBe(true);

    await database.restore();
    // With leaked connections the pool stays exhausted and every later query waits forever.
    const recovered = await eventually(async () => {
      const answer = await call(`${platform.url}/v1/orgs/${owner.orgId}/workflows`, owner.token, {
        body: { name: 'after-stranding' },
      });
      return answer.status === 201 ? answer : undefined;
    }, 20_000);
    expect(recovered.body.data.name).toBe('after-stranding');
  });
});
