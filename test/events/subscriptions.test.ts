/**
 * Subscriptions through the gateway over graphql-ws: the acceptance scenario (control plane pushes
 * with fields from several subgraphs, another org receives nothing), authentication, authorization,
 * per-org order, resume without gap or duplicate, resync, and per-connection limits.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createOrm } from '../../kernel/database.ts';
import { EventLogService } from '../../subgraphs/events/log.ts';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { logOf, ok } from './helpers.ts';
import { closeClients, connect, received, wsUrl } from './ws-client.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await closeClients();
  await closeAll();
});

const CONTROL_PLANE = /* GraphQL */ `
  subscription ControlPlane($orgId: ID!, $since: SafeInt) {
    controlPlane(orgId: $orgId, since: $since) {
      kind
      seq
      orgId
      ... on InitialState {
        organization { id name }
      }
      ... on StateChange {
        action
        status
        previousStatus
        workflowId
        workflow { id name status organization { id name } }
      }
      ... on ResyncRequired { reason prunedThroughSeq }
    }
  }
`;

const EVENTS = /* GraphQL */ `
  subscription Events($orgId: ID!, $types: [String!], $since: SafeInt) {
    events(orgId: $orgId, types: $types, since: $since) { id seq type subject { type id } data }
  }
`;

/** The organization's log head once everything recorded so far reached it. */
async function headOf(user: TestUser): Promise<number> {
  const log = await logOf(platform, user);
  return log.at(-1)?.seq ?? 0;
}

async function createWorkflow(user: TestUser, name: string): Promise<string> {
  const data = await ok(
    platform,
    'mutation($orgId: ID!, $name: String!) { createWorkflow(orgId: $orgId, input: { name: $name, budgetMicros: 1000000 }) { id } }',
    { orgId: user.orgId, name },
    user.token,
  );
  return data.createWorkflow.id;
}

describe('controlPlane over graphql-ws (acceptance)', () => {
  it('pushes a state change made in another request, with fields from two subgraphs; another org gets nothing', async () => {
    const alice = await platform.signup('Alice Corp');
    const bob = await platform.signup('Bob Corp');
    const aliceKey = await platform.apiKey(alice);
    const bobKey = await platform.apiKey(bob);

    const aliceClient = connect(platform.url, { apiKey: aliceKey.key });
    const bobClient = connect(platform.url, { authorization: `Bearer ${bobKey.key}` });
    const aliceStream = aliceClient.subscribe(CONTROL_PLANE, { orgId: alice.orgId });
    const bobStream = bobClient.subscribe(CONTROL_PLANE, { orgId: bob.orgId });

    const [aliceInitial] = await received(aliceStream, 1);
    expect(aliceInitial.data.controlPlane).toMatchObject({
      kind: 'InitialState',
      orgId: alice.orgId,
      organization: { id: alice.orgId, name: 'Alice Corp' },
    });
    const [bobInitial] = await received(bobStream, 1);
    expect(bobInitial.data.controlPlane.kind).toBe('InitialState');

    // Another request changes state: create, then pause and kill (governance's mutations).
    const workflowId = await createWorkflow(alice, 'nightly-agent');
    await ok(
      platform,
      'mutation($id: ID!) { pauseWorkflow(id: $id, reason: "test") { id status } }',
      { id: workflowId },
      alice.token,
    );
    await ok(
      platform,
      'mutation($id: ID!) { killWorkflow(id: $id, reason: "test") { id status } }',
      { id: workflowId },
      alice.token,
    );

    const messages = await received(aliceStream, 4);
    const changes = messages.slice(1).map((m) => m.data.controlPlane);
    expect(messages.every((m) => m.errors === undefined)).toBe(true);
    expect(changes.map((c) => [c.kind, c.action])).toEqual([
      ['StateChange', 'created'],
      ['StateChange', 'paused'],
      ['StateChange', 'killed'],
    ]);
    const paused = changes[1];
    expect(paused.status).toBe('paused');
    expect(paused.previousStatus).toBe('active');
    // `workflow { name }` comes from governance, `organization { name }` from identity.
    expect(paused.workflow).toMatchObject({
      id: workflowId,
      name: 'nightly-agent',
      organization: { name: 'Alice Corp' },
    });
    const seqs = changes.map((c) => c.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);

    // Bob's stream: a change in Bob's org arrives, and it is the first thing after InitialState.
    const bobWorkflow = await createWorkflow(bob, 'bob-agent');
    const bobMessages = await received(bobStream, 2);
    expect(bobMessages.length).toBe(2);
    expect(bobMessages[1].data.controlPlane).toMatchObject({ kind: 'StateChange', workflowId: bobWorkflow });
    expect(JSON.stringify(bobMessages)).not.toContain(alice.orgId);
  });

  it('resolves workflowStateChanged { workflow { name organization { name } } } through the supergraph', async () => {
    const user = await platform.signup('Federated Org');
    const key = await platform.apiKey(user, ['workflows:read']);
    const client = connect(platform.url, { apiKey: key.key });
    const workflowId = await createWorkflow(user, 'watched');
    // Subscribe once the creation is in the log, so the first push is the pause.
    await eventually(async () => (await logOf(platform, user)).some((e) => e.subject?.id === workflowId));
    const stream = client.subscribe(
      `subscription($orgId: ID!, $id: ID, $since: SafeInt) {
        workflowStateChanged(orgId: $orgId, workflowId: $id, since: $since) {
          action seq workflow { name status organization { name } }
        }
      }`,
      { orgId: user.orgId, id: workflowId, since: await headOf(user) },
    );
    await createWorkflow(user, 'other'); // another workflow's change is filtered out
    await ok(platform, 'mutation($id: ID!) { pauseWorkflow(id: $id) { id } }', { id: workflowId }, user.token);
    const [message] = await received(stream, 1);
    expect(message.data.workflowStateChanged).toMatchObject({
      action: 'paused',
      workflow: { name: 'watched', status: 'PAUSED', organization: { name: 'Federated Org' } },
    });
  });

  it('closes the connection with 4403 when the credential is not valid', async () => {
    const client = connect(platform.url, { apiKey: 'trl_live_not_a_real_key_0000000000' });
    const stream = client.subscribe(CONTROL_PLANE, { orgId: 'org_x' });
    await eventually(() => client.closed);
    expect(client.closed?.code).toBe(4403);
    expect(stream.messages).toEqual([]);
  });

  it('refuses a subscription to another organization', async () => {
    const alice = await platform.signup('Alice Two');
    const mallory = await platform.signup('Mallory');
    const malloryKey = await platform.apiKey(mallory);
    const client = connect(platform.url, { apiKey: malloryKey.key });
    const stream = client.subscribe(CONTROL_PLANE, { orgId: alice.orgId });
    await eventually(() => stream.errors.length > 0);
    expect(JSON.stringify(stream.errors)).toContain('org_mismatch');
    expect(stream.messages).toEqual([]);
  });

  it('authenticates with a session token too and serves queries over the same socket', async () => {
    const user = await platform.signup('Session Org');
    const client = connect(platform.url, { authorization: user.token });
    const query = client.subscribe('query($id: ID!) { organization(id: $id) { name } }', { id: user.orgId });
    const [result] = await received(query, 1);
    expect(result.data.organization.name).toBe('Session Org');
  });
});

describe('wire format', () => {
  /** A raw graphql-transport-ws client: every frame as received, text or binary. */
  async function rawClient(apiKey: string) {
    const socket = new WebSocket(wsUrl(platform.url), 'graphql-transport-ws');
    const frames: { text: string; binary: boolean }[] = [];
    socket.on('message', (data, isBinary) => frames.push({ text: String(data), binary: isBinary }));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { apiKey } }));
    await eventually(() => frames.some((f) => JSON.parse(f.text).type === 'connection_ack'));
    const nextFrames = (id: string) => frames.filter((f) => JSON.parse(f.text).id === id);
    return { socket, frames, nextFrames };
  }

  it('sends each subscriber the exact graphql-ws next message, as a text frame, with its own id', async () => {
    const user = await platform.signup('Wire Org');
    const key = await platform.apiKey(user);
    const client = await rawClient(key.key);
    const query =
      'subscription($orgId: ID!) { controlPlane(orgId: $orgId) { kind seq ... on StateChange { action workflowId } } }';
    // Two subscriptions of one group on one socket: one resolution, one payload, two ids.
    for (const id of ['wire-a', 'wire-b'])
      client.socket.send(
        JSON.stringify({ id, type: 'subscribe', payload: { query, variables: { orgId: user.orgId } } }),
      );
    await eventually(() => client.nextFrames('wire-a').length >= 1 && client.nextFrames('wire-b').length >= 1);
    const workflowId = await createWorkflow(user, 'wired');
    const pushed = (id: string) =>
      eventually(() => client.nextFrames(id).find((f) => f.text.includes(workflowId)), 15_000);
    const [a, b] = await Promise.all([pushed('wire-a'), pushed('wire-b')]);
    const seq = JSON.parse(a.text).payload.data.controlPlane.seq;
    const payload = { data: { controlPlane: { kind: 'StateChange', seq, action: 'created', workflowId } } };
    expect(a.text).toBe(JSON.stringify({ id: 'wire-a', type: 'next', payload }));
    expect(b.text).toBe(JSON.stringify({ id: 'wire-b', type: 'next', payload }));
    expect(client.frames.filter((f) => f.binary)).toEqual([]);
    client.socket.close();
  });
});

describe('ordering and resume', () => {
  it('delivers every event of an organization in strictly increasing sequence, without gaps', async () => {
    const user = await platform.signup('Ordering Org');
    const key = await platform.apiKey(user);
    const client = connect(platform.url, { apiKey: key.key });
    // From the current head on: whatever happens after this point is delivered, however fast.
    const stream = client.subscribe(EVENTS, { orgId: user.orgId, since: await headOf(user) });
    await createWorkflow(user, 'first');
    await received(stream, 1);
    await Promise.all(Array.from({ length: 20 }, (_, i) => createWorkflow(user, `parallel-${i}`)));
    const log = await eventually(async () => {
      const all = await logOf(platform, user);
      return all.filter((e) => e.type === 'workflow.created').length >= 21 ? all : undefined;
    });
    const last = log.at(-1)?.seq ?? 0;
    const messages = await eventually(() =>
      stream.messages.at(-1)?.data.events.seq === last ? stream.messages : undefined,
    );
    const seqs = messages.map((m) => m.data.events.seq);
    const first = seqs[0];
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => first + i));
    expect(messages.map((m) => m.data.events.id)).toEqual(log.filter((e) => e.seq >= first).map((e) => e.id));
  });

  it('resumes with since: every missed event once, then live, with no gap and no duplicate', async () => {
    const user = await platform.signup('Resume Org');
    const key = await platform.apiKey(user);
    const client = connect(platform.url, { apiKey: key.key });
    const first = client.subscribe(CONTROL_PLANE, { orgId: user.orgId });
    await received(first, 1);
    await createWorkflow(user, 'w1');
    await createWorkflow(user, 'w2');
    const seen = await received(first, 3);
    const lastSeen = seen.at(-1).data.controlPlane.seq;
    first.dispose();

    // Missed while disconnected.
    const missed = [await createWorkflow(user, 'w3'), await createWorkflow(user, 'w4')];
    await eventually(
      async () => (await logOf(platform, user)).filter((e) => e.type === 'workflow.created').length === 4,
    );

    const resumed = client.subscribe(CONTROL_PLANE, { orgId: user.orgId, since: lastSeen });
    const replay = await received(resumed, 2);
    expect(replay.map((m) => m.data.controlPlane.workflowId)).toEqual(missed);
    const live = await createWorkflow(user, 'w5');
    const all = await received(resumed, 3);
    expect(all.map((m) => m.data.controlPlane.kind)).toEqual(['StateChange', 'StateChange', 'StateChange']);
    expect(all[2].data.controlPlane.workflowId).toBe(live);
    const seqs = all.map((m) => m.data.controlPlane.seq);
    expect(seqs[0]).toBeGreaterThan(lastSeen);
    expect(new Set(seqs).size).toBe(3);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('answers ResyncRequired then InitialState when the events after since were removed by retention', async () => {
    const user = await platform.signup('Retention Org');
    const key = await platform.apiKey(user);
    for (const name of ['r1', 'r2', 'r3']) await createWorkflow(user, name);
    const log = await eventually(async () => {
      const all = await logOf(platform, user);
      return all.filter((e) => e.type === 'workflow.created').length === 3 ? all : undefined;
    });
    const cut = log.find((e) => e.type === 'workflow.created')?.seq as number;
    // Age everything up to the first workflow past retention, then run the retention pass.
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    await db.query(
      "update events.event_log set recorded_at = now() - interval '40 days' where org_id = $1 and seq <= $2",
      [user.orgId, cut],
    );
    await db.end();
    const orm = await createOrm({
      schema: 'events',
      url: platform.databaseUrl,
      entities: [],
      migrations: [],
      poolMax: 1,
    });
    try {
      expect(await new EventLogService(orm.em.fork(), platform.app.platform).prune(30)).toBeGreaterThanOrEqual(cut);
    } finally {
      await orm.close();
    }
    const position = await ok(
      platform,
      'query($orgId: ID!) { eventStreamPosition(orgId: $orgId) { headSeq prunedThroughSeq retentionDays } }',
      { orgId: user.orgId },
      user.token,
    );
    expect(position.eventStreamPosition).toMatchObject({ prunedThroughSeq: cut, retentionDays: 30 });

    const client = connect(platform.url, { apiKey: key.key });
    const stale = client.subscribe(CONTROL_PLANE, { orgId: user.orgId, since: cut - 1 });
    const messages = await received(stale, 2);
    expect(messages.map((m) => m.data.controlPlane.kind)).toEqual(['ResyncRequired', 'InitialState']);
    expect(messages[0].data.controlPlane.prunedThroughSeq).toBe(cut);

    // From the cut on, nothing is missing: the retained changes are replayed.
    const fresh = client.subscribe(CONTROL_PLANE, { orgId: user.orgId, since: cut });
    const replay = await received(fresh, 2);
    expect(replay.map((m) => [m.data.controlPlane.kind, m.data.controlPlane.workflow?.name])).toEqual([
      ['StateChange', 'r2'],
      ['StateChange', 'r3'],
    ]);
  });

  it('answers ResyncRequired then InitialState when since is ahead of the log', async () => {
    const user = await platform.signup('Resync Org');
    const key = await platform.apiKey(user);
    const client = connect(platform.url, { apiKey: key.key });
    const stream = client.subscribe(CONTROL_PLANE, { orgId: user.orgId, since: 1_000_000 });
    const messages = await received(stream, 2);
    expect(messages.map((m) => m.data.controlPlane.kind)).toEqual(['ResyncRequired', 'InitialState']);
  });

  it('filters events by type and ends a non-control-plane stream that cannot resume', async () => {
    const user = await platform.signup('Filter Org');
    const key = await platform.apiKey(user);
    const client = connect(platform.url, { apiKey: key.key });
    const since = await headOf(user);
    const vms = client.subscribe(EVENTS, { orgId: user.orgId, types: ['vm.*'], since });
    const workflows = client.subscribe(EVENTS, { orgId: user.orgId, types: ['workflow.created'], since });
    await createWorkflow(user, 'not-a-vm');
    await ok(
      platform,
      'mutation($orgId: ID!) { createVm(orgId: $orgId, input: { name: "box", gpuModelId: "h100-80gb" }) { id } }',
      { orgId: user.orgId },
      user.token,
    );
    const [vmEvent] = await received(vms, 1);
    expect(vmEvent.data.events.type).toMatch(/^vm\./);
    const [workflowEvent] = await received(workflows, 1);
    expect(workflowEvent.data.events.type).toBe('workflow.created');
    expect(vms.messages.every((m) => m.data.events.type.startsWith('vm.'))).toBe(true);

    const ahead = client.subscribe(EVENTS, { orgId: user.orgId, since: 999_999 });
    await eventually(() => ahead.messages.length > 0 || ahead.errors.length > 0);
    expect(JSON.stringify([...ahead.messages, ...ahead.errors])).toContain('resync_required');
  });
});

describe('limits', () => {
  it('refuses subscriptions beyond the per-connection maximum and closes a client that floods messages', async () => {
    const limited = await startTestPlatform({
      TRELLIS_WS_MAX_SUBSCRIPTIONS: '2',
      TRELLIS_WS_MAX_MESSAGES_PER_SECOND: '1',
      TRELLIS_WS_MESSAGE_BURST: '6',
    });
    const user = await limited.signup('Limits Org');
    const key = await limited.apiKey(user);
    const client = connect(limited.url, { apiKey: key.key });
    const a = client.subscribe(EVENTS, { orgId: user.orgId });
    const b = client.subscribe(EVENTS, { orgId: user.orgId });
    const c = client.subscribe(EVENTS, { orgId: user.orgId });
    await eventually(() => c.errors.length > 0);
    expect(JSON.stringify(c.errors)).toContain('rate_limited');
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);

    // A raw socket sending pings as fast as it can is cut off with 4429.
    const socket = new WebSocket(wsUrl(limited.url), 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { apiKey: key.key } }));
    for (let i = 0; i < 50; i++) socket.send(JSON.stringify({ type: 'ping' }));
    expect(await closed).toBe(4429);
  });
});
