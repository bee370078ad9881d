/**
 * Seed 004 through REST and GraphQL: the notifications inbox (create for self or a member, list
 * with filters and cursor, unread count, mark one / all read, each user sees only their own) and
 * the activity log (record with seed spellings, filters, stats), with client mistakes as 4xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeClients, connect, received } from '../events/ws-client.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let owner: TestUser;
let member: TestUser;

beforeAll(async () => {
  platform = await startTestPlatform();
  owner = await platform.signup('Inbox Org');
  member = await platform.signup('Member Home');
  const added = await platform.graphql(
    'mutation($o: ID!, $input: AddMemberInput!) { addMember(orgId: $o, input: $input) { userId } }',
    { o: owner.orgId, input: { email: member.email, role: 'MEMBER' } },
    { token: owner.token },
  );
  expect(added.body.errors).toBeUndefined();
});
afterAll(async () => {
  await closeClients();
  await closeAll();
});

const rest = (user: TestUser, method: string, path: string, body?: unknown) =>
  platform.rest(method, `/v1/orgs/${owner.orgId}${path}`, { token: user.token, body });

describe('notifications inbox', () => {
  it('creates, lists, counts and marks read — each user only their own', async () => {
    const mine = await rest(owner, 'POST', '/notifications', { title: 'Hello', message: 'For me', type: 'success' });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect(mine.body.data).toMatchObject({ title: 'Hello', type: 'success', read: false, userId: owner.userId });
    for (let n = 0; n < 3; n++) {
      const sent = await rest(owner, 'POST', '/notifications', {
        title: `Note ${n}`,
        message: 'From the admin',
        user_id: member.userId,
        link: '/orgs/x/alerts',
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    }
    // A member may not write to others' inboxes (admin only), nor may anyone target a non-member.
    expect(
      (await rest(member, 'POST', '/notifications', { title: 't', message: 'm', user_id: owner.userId })).status,
    ).toBe(403);
    const stranger = await platform.signup('Stranger');
    const notMember = await rest(owner, 'POST', '/notifications', {
      title: 't',
      message: 'm',
      user_id: stranger.userId,
    });
    expect(notMember.status).toBe(404);
    expect(notMember.body.error.field).toBe('user_id'); // as this client spelled it
    const tooLong = await rest(owner, 'POST', '/notifications', { title: 'x'.repeat(201), message: 'm' });
    expect([tooLong.status, tooLong.body.error.code, tooLong.body.error.field]).toEqual([
      422,
      'validation_failed',
      'title',
    ]);

    const page = await rest(member, 'GET', '/notifications?limit=2');
    expect(page.body.data.items.map((n: Json) => n.title)).toEqual(['Note 2', 'Note 1']);
    const next = await platform.rest(
      'GET',
      new URL(page.body.links.next, platform.url).pathname + new URL(page.body.links.next, platform.url).search,
      {
        token: member.token,
      },
    );
    expect(next.body.data.items.map((n: Json) => n.title)).toEqual(['Note 0']);
    expect((await rest(member, 'GET', '/notifications/unread-count')).body.data).toEqual({ count: 3 });

    const one = page.body.data.items[0].id;
    const marked = await platform.graphql(
      'mutation($o: ID!, $id: ID!) { markNotificationRead(orgId: $o, id: $id) { read readAt } }',
      { o: owner.orgId, id: one },
      { token: member.token },
    );
    expect(marked.body.data.markNotificationRead.read).toBe(true);
    // Someone else's notification is not found, not readable.
    const foreign = await platform.graphql(
      'mutation($o: ID!, $id: ID!) { markNotificationRead(orgId: $o, id: $id) { read } }',
      { o: owner.orgId, id: one },
      { token: owner.token },
    );
    expect(foreign.body.errors[0].extensions.code).toBe('not_found');
    expect((await rest(member, 'GET', '/notifications?read=false')).body.data.items).toHaveLength(2);
    expect((await rest(member, 'GET', '/notifications?read=true')).body.data.items.map((n: Json) => n.id)).toEqual([
      one,
    ]);
    const all = await rest(member, 'PATCH', '/notifications/read-all');
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.data).toEqual({ updated: 2 });
    expect((await rest(member, 'GET', '/notifications/unread-count')).body.data).toEqual({ count: 0 });
    expect((await rest(owner, 'GET', '/notifications')).body.data.items.map((n: Json) => n.title)).toEqual(['Hello']);
    expect((await rest(owner, 'GET', '/notifications?type=warning')).body.data.items).toEqual([]);
  });

  it("pushes a new notification live to its user's subscription, and only theirs", async () => {
    const SUB = `subscription($o: ID!, $u: ID!) {
      notificationReceived(orgId: $o, userId: $u) { type data subject { type id } }
    }`;
    const mine = connect(platform.url, { authorization: `Bearer ${member.token}` }).subscribe(SUB, {
      o: owner.orgId,
      u: member.userId,
    });
    const spy = connect(platform.url, { authorization: `Bearer ${owner.token}` }).subscribe(SUB, {
      o: owner.orgId,
      u: member.userId,
    });
    await new Promise((r) => setTimeout(r, 500));
    const sent = await rest(owner, 'POST', '/notifications', { title: 'Live', message: 'now', user_id: member.userId });
    const [push] = await received(mine, 1);
    expect(push.data.notificationReceived).toMatchObject({
      type: 'notification.created',
      subject: { type: 'notification', id: sent.body.data.id },
      data: { userId: member.userId, type: 'info' },
    });
    // Subscribing to someone else's inbox is refused.
    await new Promise((r) => setTimeout(r, 300));
    expect(spy.messages.filter((m) => m.data)).toEqual([]);
    expect(JSON.stringify(spy.errors.length ? spy.errors : spy.messages)).toContain('forbidden');
  });

  it('an API key has no inbox', async () => {
    const key = await platform.apiKey(owner);
    const res = await platform.rest('GET', `/v1/orgs/${owner.orgId}/notifications`, {
      headers: { 'x-api-key': key.key },
    });
    expect(res.status).toBe(403);
  });
});

describe('activity log', () => {
  it('records with the seed spellings, filters, and counts', async () => {
    const record = (body: Json) => rest(member, 'POST', '/activity-log', body);
    const first = await record({
      actor_type: 'agent',
      actor_id: 'agent-7',
      action: 'deploy',
      entity_type: 'vm',
      entity_id: 'vm_1',
      metadata: { ok: true },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.data).toMatchObject({
      actorType: 'agent',
      actorId: 'agent-7',
      action: 'deploy',
      entityType: 'vm',
      metadata: { ok: true },
    });
    await record({ actor_type: 'user', actor_id: member.userId, action: 'deploy' });
    await record({ actor_type: 'system', actor_id: 'cron', action: 'cleanup' });
    const bad = await record({ actor_type: 'robot', actor_id: 'x', action: 'y' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('actor_type');
    const badMeta = await record({ actor_type: 'agent', actor_id: 'x', action: 'y', metadata: [1] });
    expect([badMeta.status, badMeta.body.error.field]).toEqual([422, 'metadata']);

    const deploys = await rest(owner, 'GET', '/activity-log?action=deploy');
    expect(deploys.body.data.items.map((a: Json) => a.actorId)).toEqual([member.userId, 'agent-7']);
    const agents = await rest(owner, 'GET', '/activity-log?actorType=AGENT');
    expect(agents.body.data.items.map((a: Json) => a.action)).toEqual(['deploy']);
    const stats = await rest(owner, 'GET', '/activity-log/stats');
    expect(stats.body.data).toMatchObject({
      total: 3,
      days: 30,
      byAction: [
        { action: 'deploy', count: 2 },
        { action: 'cleanup', count: 1 },
      ],
    });
    expect(stats.body.data.byDay).toEqual([{ day: new Date().toISOString().slice(0, 10), count: 3 }]);
    expect((await rest(owner, 'GET', '/activity-log/stats?days=0')).status).toBe(422);
    // Kept apart from the audit trail: recording activity adds nothing to it.
    const audit = await rest(owner, 'GET', '/audit-log?action=activity.*');
    expect(audit.body.data.items).toEqual([]);
  });
});
