/**
 * A synchronous run (`POST /v1/workflow-definitions/{id}/run`) waits at most until shortly before the gateway's
 * deadline for the request (TRELLIS_SUBGRAPH_TIMEOUT_MS, docs/pipelines.md §Runs), then answers 202 with the
 * run: a slow node with a `timeoutSeconds` beyond that deadline is never a 503 `service_unavailable`.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, startTestPlatform, type TestPlatform } from '../harness.ts';

const DEADLINE_MS = 5000;

let platform: TestPlatform;
let key: string;
let slow: Server;
let slowUrl: string;
const held: ServerResponse[] = [];

beforeAll(async () => {
  // Answers only when the test ends: the http node runs for as long as the test looks.
  slow = createServer((_req, res) => {
    held.push(res);
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
  platform = await startTestPlatform({
    TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    TRELLIS_SUBGRAPH_TIMEOUT_MS: String(DEADLINE_MS),
  });
  const user = await platform.signup('Sync Deadline Org');
  key = (await platform.apiKey(user)).key;
}, 60_000);
afterAll(async () => {
  for (const res of held) res.end('{}');
  slow.close();
  await closeAll();
});

describe('synchronous runs and the gateway deadline', () => {
  it('answers 202 with the running run before the deadline when timeoutSeconds is longer', async () => {
    const defined = await platform.rest('POST', '/v1/workflow-definitions', {
      token: key,
      body: { name: 'slow-call', nodes: [{ id: 'slow', type: 'http', url: `${slowUrl}/slow` }] },
    });
    expect(defined.status, JSON.stringify(defined.body)).toBe(201);
    const started = Date.now();
    const ran = await platform.rest('POST', `/v1/workflow-definitions/${defined.body.data.id}/run`, {
      token: key,
      body: { timeoutSeconds: 60 },
    });
    const elapsed = Date.now() - started;
    expect(ran.status, JSON.stringify(ran.body)).toBe(202);
    expect(ran.body.data).toMatchObject({ status: 'running' });
    expect(typeof ran.body.data.id).toBe('string');
    expect(elapsed).toBeLessThan(DEADLINE_MS);
    // It waited (for the deadline less its margin), not answered at once.
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS / 2);
    expect(held.length).toBeGreaterThan(0);
  });
});
