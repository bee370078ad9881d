/**
 * Vault secrets referenced by name in pipeline nodes (docs/pipelines.md §Secrets): an http node's headers and
 * body send `{{ secrets.NAME }}`, opened at execution through the vault; the value reaches the target but no
 * database row (runs, node rows, outbox, event log…) and no log line; unknown names are a 422 naming the node,
 * secrets outside headers/body a 422, and a secret deleted after the definition was saved fails the node clearly.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { tablesContaining } from '../secret-scan.ts';

const SECRET = 'tok-7f3a9c1e5b2d48a6-do-not-leak';
const logText: string[] = [];

let platform: TestPlatform;
let user: TestUser;
let key: string;
let target: Server;
let targetUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  target = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logText.push(String(chunk));
      done();
    },
  });
  platform = await startTestPlatform(
    { TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
    { logger: pino({ level: 'trace' }, sink) },
  );
  user = await platform.signup('Pipeline Secrets Org');
  key = (await platform.apiKey(user)).key;
  const stored = await platform.rest('POST', `/v1/orgs/${user.orgId}/credentials`, {
    token: user.token,
    body: { key: 'DEPLOY_TOKEN', value: SECRET },
  });
  expect(stored.status, JSON.stringify(stored.body)).toBeLessThan(300);
}, 60_000);
afterAll(async () => {
  target.close();
  await closeAll();
});

const rest = (method: string, path: string, body?: unknown) => platform.rest(method, path, { token: key, body });

describe('secrets by name in pipeline nodes', () => {
  it('sends the secret in headers and body, and keeps it out of every row, event and log line', async () => {
    const defined = await rest('POST', '/v1/workflow-definitions', {
      name: 'deploy-with-token',
      nodes: [
        {
          id: 'deploy',
          type: 'http',
          url: `${targetUrl}/deploy`,
          headers: { authorization: 'Bearer {{ secrets.DEPLOY_TOKEN }}' },
          body: { token: '{{ secrets.DEPLOY_TOKEN }}', ref: '{{ input.ref }}' },
        },
      ],
    });
    expect(defined.status, JSON.stringify(defined.body)).toBe(201);
    const ran = await rest('POST', `/v1/workflow-definitions/${defined.body.data.id}/run`, {
      input: { ref: 'v1' },
      timeoutSeconds: 30,
    });
    expect(ran.status, JSON.stringify(ran.body)).toBe(200);
    expect(ran.body.data.status).toBe('succeeded');
    const call = received.at(-1);
    expect(call?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(JSON.parse(call?.body ?? '{}')).toEqual({ token: SECRET, ref: 'v1' });
    expect(JSON.stringify(ran.body)).not.toContain(SECRET);

    // The access is audited by name; the events are delivered before we look at the event log.
    const deadline = Date.now() + 10_000;
    let accessed: Json[] = [];
    while (accessed.length === 0 && Date.now() < deadline) {
      const events = await platform.graphql(
        'query($orgId: ID!) { events(orgId: $orgId, filter: { types: ["credential.accessed", "run.completed", "run.node_completed"] }) { items { type data } } }',
        { orgId: user.orgId },
        { token: user.token },
      );
      const items = (events.body.data?.events?.items ?? []) as Json[];
      accessed = items.filter((e) => e.type === 'credential.accessed');
      if (accessed.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(accessed[0]?.data).toMatchObject({ key: 'DEPLOY_TOKEN', purpose: 'workflow_run' });

    expect(await tablesContaining(platform.databaseUrl, SECRET)).toEqual([]);
    expect(logText.join('')).not.toContain(SECRET);
    // The check can fail: the clear value is where it was sent.
    expect(await tablesContaining(platform.databaseUrl, 'Pipeline Secrets Org')).not.toEqual([]);
  }, 60_000);

  it('refuses unknown secret names and secrets outside headers and body with a 422 naming the node', async () => {
    const unknown = await rest('POST', '/v1/workflow-definitions', {
      name: 'unknown-secret',
      nodes: [{ id: 'call', type: 'http', url: `${targetUrl}/x`, headers: { 'x-key': '{{ secrets.NOPE }}' } }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('validation_failed');
    expect(unknown.body.error.field).toBe('nodes[0].headers');
    expect(unknown.body.error.message).toContain('(call): unknown secret "NOPE"');

    for (const node of [
      { id: 'leak', type: 'http', url: `${targetUrl}/x`, input: { t: '{{ secrets.DEPLOY_TOKEN }}' } },
      { id: 'leak', type: 'http', url: `${targetUrl}/{{ secrets.DEPLOY_TOKEN }}` },
      { id: 'leak', type: 'approval', message: 'token {{ secrets.DEPLOY_TOKEN }}' },
    ]) {
      const refused = await rest('POST', '/v1/workflow-definitions', { name: 'secret-elsewhere', nodes: [node] });
      expect(refused.status, JSON.stringify(node)).toBe(422);
      expect(refused.body.error.message).toContain(
        '(leak): "secrets.DEPLOY_TOKEN" may be used only in an http node\'s headers or body',
      );
    }
  });

  it('fails the node with a clear message when the secret was deleted after the definition was saved', async () => {
    const stored = await platform.rest('POST', `/v1/orgs/${user.orgId}/credentials`, {
      token: user.token,
      body: { key: 'SHORT_LIVED', value: 'short-lived-value' },
    });
    expect(stored.status).toBeLessThan(300);
    const defined = await rest('POST', '/v1/workflow-definitions', {
      name: 'short-lived',
      nodes: [{ id: 'call', type: 'http', url: `${targetUrl}/x`, headers: { 'x-key': '{{ secrets.SHORT_LIVED }}' } }],
    });
    expect(defined.status).toBe(201);
    const deleted = await platform.rest('DELETE', `/v1/orgs/${user.orgId}/credentials/SHORT_LIVED`, {
      token: user.token,
    });
    expect(deleted.status).toBeLessThan(300);
    const before = received.length;
    const ran = await rest('POST', `/v1/workflow-definitions/${defined.body.data.id}/run`, { timeoutSeconds: 30 });
    expect(ran.body.data.status).toBe('failed');
    expect(ran.body.data.error).toContain(`secret "SHORT_LIVED" is not in the organization's vault`);
    expect(received.length).toBe(before);
  });
});
