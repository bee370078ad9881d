/**
 * Seed 000's control-plane WebSocket, `WS /ws/control/{org_id}`, with a raw `ws` client speaking the
 * documented protocol: API key + HMAC headers on connect, InitialState, Ping → Pong, Ack, a kill
 * pushed as StateChange within 1 s, resume after a reconnect with `?since=` (no gap, no duplicate),
 * and the socket closed when its key is revoked. Same feed, auth and re-authorization as the
 * graphql-ws `controlPlane` subscription.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeAll, type Json, startTestPlatform, type TestPlatform } from './harness.ts';
import { PASSWORD, signedHeaders, uniqueEmail } from './identity/support.ts';

let platform: TestPlatform;

interface Frame {
  type: string;
  seq?: number;
  [key: string]: Json;
}

interface ControlClient {
  frames: Frame[];
  /** Frames that arrived as binary WebSocket frames (the protocol's frames are text). */
  binaryFrames: number;
  socket: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  send(message: Record<string, unknown>): void;
  /** Waits for the first frame (after `from`) matching `match`. */
  next(match: (frame: Frame) => boolean, timeoutMs?: number, from?: number): Promise<Frame>;
}

interface Account {
  token: string;
  orgId: string;
  key: string;
  keyId: string;
  secret: string;
}

async function register(): Promise<Account> {
  const response = await platform.rest('POST', '/v1/auth/register', {
    body: { email: uniqueEmail('control'), password: PASSWORD },
  });
  const data = response.body.data;
  return {
    token: data.token,
    orgId: data.organization.id,
    key: data.apiKey.key,
    keyId: data.apiKey.apiKey.id,
    secret: data.apiKey.signingSecret,
  };
}

/** Connects as the seed-000 SDK does: X-API-Key, X-Signature over an empty body, X-Signature-Timestamp. */
function connect(account: Account, orgId = account.orgId, query = '', headers?: Record<string, string>): ControlClient {
  const url = `${platform.url.replace('http', 'ws')}/ws/control/${orgId}${query}`;
  const { 'content-type': _, ...signed } = signedHeaders(account.key, account.secret, '');
  const socket = new WebSocket(url, { headers: headers ?? signed });
  const frames: Frame[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const client: ControlClient = {
    frames,
    binaryFrames: 0,
    socket,
    closed,
    send: (message) => socket.send(JSON.stringify(message)),
    async next(match, timeoutMs = 5_000, from = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = frames.slice(from).find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching frame; got ${JSON.stringify(frames)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
  socket.on('message', (data, isBinary) => {
    frames.push(JSON.parse(String(data)));
    if (isBinary) client.binaryFrames++;
  });
  return client;
}

const open = (client: ControlClient) => new Promise((resolve) => client.socket.once('open', resolve));

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(closeAll);

describe('WS /ws/control/{org_id} (seed 000 protocol)', () => {
  it('InitialState, Ping → Pong, resume with since, a kill within 1 s, closed when the key is revoked', async () => {
    const owner = await register();
    const created = await platform.rest('POST', `/v1/orgs/${owner.orgId}/workflows`, {
      token: owner.token,
      body: { name: 'agent', budgetMicros: 1_000_000 },
    });
    const workflowId = created.body.data.id;
    const action = (verb: string) =>
      platform.rest('POST', `/v1/orgs/${owner.orgId}/workflows/${workflowId}/${verb}`, { token: owner.token });

    // First connection: the SDK says Subscribed and gets the organization's state.
    const first = connect(owner);
    await open(first);
    first.send({ type: 'Subscribed' });
    const initial = await first.next((f) => f.type === 'InitialState');
    expect(initial).toMatchObject({ orgId: owner.orgId, kind: 'InitialState', organization: { id: owner.orgId } });
    expect(initial.organization.workflows).toEqual([expect.objectContaining({ id: workflowId })]);
    first.send({ type: 'Ping' });
    await first.next((f) => f.type === 'Pong');
    first.send({ type: 'Ack', seq: initial.seq });
    first.socket.close();
    await first.closed;

    // While disconnected the workflow is paused; the reconnect resumes after the last seen seq.
    expect((await action('pause')).status).toBe(200);
    const second = connect(owner, owner.orgId, `?since=${initial.seq}`);
    // (A `created` StateChange may come first when its event reached the log after InitialState's head.)
    const paused = await second.next((f) => f.type === 'StateChange' && f.action === 'paused');
    expect(paused).toMatchObject({ action: 'paused', workflowId, status: 'paused' });
    expect(second.frames.some((f) => f.type === 'InitialState')).toBe(false);
    expect((await action('resume')).status).toBe(200);
    await second.next((f) => f.type === 'StateChange' && f.action === 'resumed');
    const third = connect(owner);
    await open(third);
    third.send({ type: 'Subscribed' });
    await third.next((f) => f.type === 'InitialState');

    // A kill reaches the raw socket as StateChange within 1 s.
    const sent = Date.now();
    expect((await action('kill')).status).toBe(200);
    const killed = await second.next((f) => f.type === 'StateChange' && f.action === 'killed', 1_000);
    expect(Date.now() - sent).toBeLessThan(1_000);
    expect(killed).toMatchObject({ workflowId, status: 'killed', event: { type: 'workflow.killed' } });
    // A third socket of the same caller shares the kill's resolution and frame: the same frame, as text.
    expect(killed).toEqual(await third.next((f) => f.type === 'StateChange' && f.action === 'killed', 1_000));
    expect([first.binaryFrames, second.binaryFrames, third.binaryFrames]).toEqual([0, 0, 0]);
    const seqs = second.frames.filter((f) => f.seq !== undefined).map((f) => f.seq as number);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));

    // Revoking the key closes the socket (4403) after an Error frame.
    const revoked = await platform.rest('DELETE', `/v1/orgs/${owner.orgId}/api-keys/${owner.keyId}`, {
      token: owner.token,
    });
    expect(revoked.status).toBe(204);
    const { code } = await second.closed;
    expect(code).toBe(4403);
    expect(second.frames.at(-1)).toMatchObject({ type: 'Error', code: 'unauthenticated' });
  });

  it('refuses another organization (org_mismatch), no or a bad credential, and a malformed since', async () => {
    const a = await register();
    const b = await register();
    const foreign = connect(b, a.orgId);
    expect((await foreign.closed).code).toBe(4403);
    expect(foreign.frames).toEqual([expect.objectContaining({ type: 'Error', code: 'org_mismatch' })]);
    const anonymous = connect(a, a.orgId, '', {});
    expect((await anonymous.closed).code).toBe(4403);
    expect(anonymous.frames[0]).toMatchObject({ type: 'Error', code: 'unauthenticated' });
    const forged = connect(a, a.orgId, '', { ...signedHeaders(a.key, 'trsk_wrong', ''), 'content-type': '' });
    expect((await forged.closed).code).toBe(4403);
    const badSince = connect(a, a.orgId, '?since=abc');
    expect((await badSince.closed).code).toBe(4400);
    expect(badSince.frames[0]).toMatchObject({ type: 'Error', code: 'validation_failed' });
  });

  it('answers an unknown message with Error and keeps the socket open', async () => {
    const a = await register();
    const client = connect(a);
    await open(client);
    client.send({ type: 'Dance' });
    await client.next((f) => f.type === 'Error' && f.code === 'invalid_request');
    client.send({ type: 'Ping' });
    await client.next((f) => f.type === 'Pong');
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
  });
});
