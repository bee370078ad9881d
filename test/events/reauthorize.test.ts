/**
 * Live streams are re-authorized whenever identity changes a credential or a membership
 * (issue 8, item 8): a revoked or disabled API key ends its graphql-ws connection with 4403
 * within a second (its SSE stream with an `error` event), and a member removed from the
 * organization receives no further event of it on any transport.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { openSse, type SseStream } from '../sse-client.ts';
import { ok, sleep } from './helpers.ts';
import { closeClients, connect, received, wsUrl } from './ws-client.ts';

let platform: TestPlatform;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  // A long cache: only re-authorization, never expiry, can end the streams below.
  platform = await startTestPlatform({ TRELLIS_AUTH_CACHE_TTL_MS: '600000' });
});
afterAll(async () => {
  for (const cleanup of cleanups) cleanup();
  await closeClients();
  await closeAll();
});

const EVENTS = /* GraphQL */ `
  subscription Events($orgId: ID!) { events(orgId: $orgId, types: ["workflow.*"], since: 0) { seq type data } }
`;

async function createWorkflow(user: TestUser, name: string): Promise<void> {
  await ok(
    platform,
    'mutation($orgId: ID!, $name: String!) { createWorkflow(orgId: $orgId, input: { name: $name }) { id } }',
    { orgId: user.orgId, name },
    user.token,
  );
}

/** A second user, added to `owner`'s organization with `role`. */
async function memberOf(owner: TestUser, role = 'MEMBER'): Promise<{ token: string; userId: string }> {
  const member = await platform.signup('Member Home');
  await ok(
    platform,
    'mutation($o: ID!, $e: String!, $r: Role!) { addMember(orgId: $o, input: { email: $e, role: $r }) { userId } }',
    { o: owner.orgId, e: member.email, r: role },
    owner.token,
  );
  return member;
}

async function removeMember(owner: TestUser, userId: string): Promise<void> {
  await ok(
    platform,
    'mutation($o: ID!, $u: ID!) { removeMember(orgId: $o, userId: $u) { userId } }',
    { o: owner.orgId, u: userId },
    owner.token,
  );
}

const sse = async (path: string, token: string): Promise<SseStream> => {
  const stream = await openSse(`${platform.url}${path}`, { authorization: `Bearer ${token}` });
  cleanups.push(stream.close);
  expect(stream.status).toBe(200);
  return stream;
};

function eventsSocket(orgId: string, token: string) {
  const socket = new WebSocket(wsUrl(platform.url, `/v1/events/ws?orgId=${orgId}&types=workflow.*`), {
    headers: { authorization: `Bearer ${token}` },
  });
  cleanups.push(() => socket.close());
  // biome-ignore lint/suspicious/noExplicitAny: JSON frames are asserted field by field
  const state = { frames: [] as any[], closed: undefined as number | undefined, closedAt: 0 };
  socket.on('message', (data) => state.frames.push(JSON.parse(String(data))));
  socket.on('close', (code) => {
    state.closed = code;
    state.closedAt = Date.now();
  });
  return state;
}

describe('graphql-ws', () => {
  for (const action of ['revoke', 'disable'] as const) {
    it(`a ${action}d API key is closed with 4403 within a second`, async () => {
      const owner = await platform.signup(`WS ${action}`);
      const key = await platform.apiKey(owner);
      const client = connect(platform.url, { apiKey: key.key });
      const stream = client.subscribe(EVENTS, { orgId: owner.orgId });
      await createWorkflow(owner, 'before');
      await received(stream, 1);

      const path =
        action === 'disable' ? `/v1/api-keys/${key.id}/disable` : `/v1/orgs/${owner.orgId}/api-keys/${key.id}`;
      const changed = await platform.rest(action === 'disable' ? 'POST' : 'DELETE', path, { token: owner.token });
      expect(changed.status).toBeLessThan(300);
      const answeredAt = Date.now();
      await eventually(() => client.closed, 2_000);
      expect(client.closed?.code).toBe(4403);
      const count = stream.messages.length;
      await createWorkflow(owner, 'after');
      await sleep(300);
      expect(stream.messages.length).toBe(count);
      expect(Date.now() - answeredAt).toBeLessThan(2_000);
    });
  }

  it('a removed member receives no further event (the subscription ends with forbidden)', async () => {
    const owner = await platform.signup('WS Removal');
    const member = await memberOf(owner);
    const client = connect(platform.url, { authorization: member.token });
    const stream = client.subscribe(EVENTS, { orgId: owner.orgId });
    await createWorkflow(owner, 'seen');
    await received(stream, 1);

    await removeMember(owner, member.userId);
    await eventually(() => stream.completed || stream.errors.length > 0 || client.closed, 2_000);
    const count = stream.messages.length;
    await createWorkflow(owner, 'unseen');
    await sleep(500);
    expect(stream.messages.slice(count)).toEqual([]);
    expect(JSON.stringify(stream.messages)).not.toContain('unseen');
  });
});

describe('Server-Sent Events', () => {
  it('a revoked API key ends the stream with an error event', async () => {
    const owner = await platform.signup('SSE Revoke');
    const key = await platform.apiKey(owner);
    const stream = await sse(`/v1/events/stream?orgId=${owner.orgId}&types=workflow.*&lastEventId=0`, key.key);
    await createWorkflow(owner, 'before');
    await eventually(() => stream.messages.some((m) => m.event === 'workflow.created'));

    const revoked = await platform.rest('DELETE', `/v1/orgs/${owner.orgId}/api-keys/${key.id}`, {
      token: owner.token,
    });
    expect(revoked.status).toBe(204);
    await eventually(() => stream.ended, 2_000);
    const error = stream.messages.find((m) => m.event === 'error');
    expect(JSON.parse(error?.data ?? '{}').code).toBe('unauthenticated');
    expect(stream.ended).toBe('end');
  });

  it('a removed member receives no further event', async () => {
    const owner = await platform.signup('SSE Removal');
    const member = await memberOf(owner);
    const stream = await sse(`/v1/events/stream?orgId=${owner.orgId}&types=workflow.*&lastEventId=0`, member.token);
    await createWorkflow(owner, 'seen');
    await eventually(() => stream.messages.some((m) => m.event === 'workflow.created'));

    await removeMember(owner, member.userId);
    await eventually(() => stream.ended, 2_000);
    await createWorkflow(owner, 'unseen');
    await sleep(500);
    expect(JSON.stringify(stream.messages)).not.toContain('unseen');
    const error = stream.messages.find((m) => m.event === 'error');
    expect(['forbidden', 'org_mismatch']).toContain(JSON.parse(error?.data ?? '{}').code);
  });
});

describe('/v1/events/ws', () => {
  it('a revoked API key is closed with 4403; a removed member is closed and receives nothing more', async () => {
    const owner = await platform.signup('Events WS');
    const key = await platform.apiKey(owner);
    const member = await memberOf(owner);
    const byKey = eventsSocket(owner.orgId, key.key);
    const byMember = eventsSocket(owner.orgId, member.token);
    await eventually(
      () => byKey.frames.some((f) => f.type === 'ready') && byMember.frames.some((f) => f.type === 'ready'),
    );

    await platform.rest('DELETE', `/v1/orgs/${owner.orgId}/api-keys/${key.id}`, { token: owner.token });
    await eventually(() => byKey.closed, 2_000);
    expect(byKey.closed).toBe(4403);

    await removeMember(owner, member.userId);
    await eventually(() => byMember.closed, 2_000);
    expect(byMember.closed).toBe(4403);
    await createWorkflow(owner, 'unseen');
    await sleep(300);
    expect(byMember.frames.filter((f) => f.type === 'event')).toEqual([]);
  });
});
