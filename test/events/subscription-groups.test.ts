/**
 * Subscription payloads are resolved once per event and group of subscribers — same selection and
 * variables, same permission set — and fanned out (issue 16, item 4). Proven here: two keys with
 * the same organization, scopes and binding share one resolution; a workflow-bound key and a key
 * without `workflows:read`, subscribed next to org-wide keys with the same selection, never receive
 * what their own credential could not read; and a shared group still ends a revoked key's stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionSetOf } from '../../gateway/subscriptions.ts';
import type { Principal } from '../../kernel/principal.ts';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { logOf, ok } from './helpers.ts';
import { closeClients, connect, type Recorded, received } from './ws-client.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await closeClients();
  await closeAll();
});

const CONTROL_PLANE = /* GraphQL */ `
  subscription Groups($orgId: ID!) {
    controlPlane(orgId: $orgId) {
      kind
      seq
      ... on InitialState { organization { workflows { id name } } }
      ... on StateChange { action workflowId workflow { id name } }
    }
  }
`;

async function createWorkflow(user: TestUser, name: string): Promise<string> {
  const data = await ok(
    platform,
    'mutation($orgId: ID!, $name: String!) { createWorkflow(orgId: $orgId, input: { name: $name }) { id } }',
    { orgId: user.orgId, name },
    user.token,
  );
  return data.createWorkflow.id;
}

async function boundKey(user: TestUser, workflowId: string): Promise<string> {
  const data = await ok(
    platform,
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
    { input: { orgId: user.orgId, name: 'bound key', workflowId } },
    user.token,
  );
  return data.createApiKey.key;
}

/** Payload resolutions of `controlPlane` so far (the gateway's own counter). */
async function resolutions(): Promise<number> {
  const text = await (await fetch(`${platform.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('trellis_ws_payload_resolutions_total{field="controlPlane"'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** The StateChange messages of `recorded` for `workflowId`, once `count` arrived. */
async function stateChanges(recorded: Recorded, workflowId: string, count = 1) {
  return eventually(() => {
    const found = recorded.messages.filter((m) => m.data?.controlPlane?.workflowId === workflowId);
    return found.length >= count ? found : undefined;
  });
}

describe('permissionSetOf', () => {
  const key = (overrides: Partial<Principal>): Principal => ({
    kind: 'api_key',
    id: 'key_a',
    userId: 'usr_1',
    orgId: 'org_1',
    memberships: [{ orgId: 'org_1', role: 'admin' }],
    scopes: ['events:read', 'workflows:read'],
    ...overrides,
  });

  it('ignores only what names the credential', () => {
    expect(permissionSetOf(key({ id: 'key_b', scopes: ['workflows:read', 'events:read'] }))).toBe(
      permissionSetOf(key({})),
    );
    expect(permissionSetOf({ ...key({}), kind: 'user', id: 'usr_1', sessionId: 'ses_1' })).toBe(
      permissionSetOf({ ...key({}), kind: 'user', id: 'usr_1', sessionId: 'ses_2' }),
    );
  });

  it('differs for every property that can change what the caller reads', () => {
    const base = permissionSetOf(key({}));
    const variants: Partial<Principal>[] = [
      { scopes: ['events:read'] },
      { workflowId: 'wf_1' },
      { memberships: [{ orgId: 'org_1', role: 'viewer' }] },
      { orgId: 'org_2', memberships: [{ orgId: 'org_2', role: 'admin' }] },
      { userId: 'usr_2' },
      { kind: 'user', id: 'usr_1' },
      { platformAdmin: true },
    ];
    for (const variant of variants) expect(permissionSetOf(key(variant)), JSON.stringify(variant)).not.toBe(base);
    // A user principal's id is the user: two users never share.
    expect(permissionSetOf(key({ kind: 'user', id: 'usr_1' }))).not.toBe(
      permissionSetOf(key({ kind: 'user', id: 'usr_2' })),
    );
  });
});

describe('controlPlane payloads resolved per selection and permission set', () => {
  it('shares one resolution between same-permission keys and never hands a subscriber what it cannot read', async () => {
    const owner = await platform.signup('Groups Corp');
    const ownWorkflow = await createWorkflow(owner, 'bound-visible');
    await createWorkflow(owner, 'other-hidden');
    const wideA = await platform.apiKey(owner);
    const wideB = await platform.apiKey(owner);
    const narrow = await platform.apiKey(owner, ['events:read']);
    const bound = await boundKey(owner, ownWorkflow);
    // The set-up's events reach the log through the outbox relays, asynchronously: one still in flight when the
    // subscribers connect would be resolved for every group (a loaded CI run counted 9 resolutions for 6).
    await eventually(async () => {
      const length = (await logOf(platform, owner)).length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      return (await logOf(platform, owner)).length === length;
    });
    const before = await resolutions();

    const subscribe = (apiKey: string) =>
      connect(platform.url, { apiKey }).subscribe(CONTROL_PLANE, { orgId: owner.orgId });
    const streams = {
      wideA: subscribe(wideA.key),
      wideB: subscribe(wideB.key),
      narrow: subscribe(narrow.key),
      bound: subscribe(bound),
    };
    const initial = async (stream: Recorded) => (await received(stream, 1))[0];
    const names = (message: { data?: { controlPlane?: { organization?: { workflows?: { name: string }[] } } } }) =>
      message.data?.controlPlane?.organization?.workflows?.map((w) => w.name).sort() ?? null;

    // InitialState lists the workflows (Organization.workflows needs workflows:read; a bound key sees its own).
    const [a0, b0, narrow0, bound0] = await Promise.all(Object.values(streams).map(initial));
    expect(names(a0)).toEqual(['bound-visible', 'other-hidden']);
    expect(b0).toEqual(a0);
    expect(names(narrow0)).toBeNull();
    expect(narrow0.errors?.[0]?.extensions?.code).toBe('insufficient_scope');
    expect(names(bound0)).toEqual(['bound-visible']);
    // Three groups for four subscribers: the two org-wide keys share one resolution.
    expect((await resolutions()) - before).toBe(3);

    // A StateChange of a workflow the bound key may not read: the org-wide keys read it, the bound key does not.
    const secret = await createWorkflow(owner, 'secret-name');
    const [a] = await stateChanges(streams.wideA, secret);
    const [b] = await stateChanges(streams.wideB, secret);
    const [boundChange] = await stateChanges(streams.bound, secret);
    await stateChanges(streams.narrow, secret);
    expect(a.data.controlPlane.workflow).toEqual({ id: secret, name: 'secret-name' });
    expect(b).toEqual(a);
    expect(boundChange.data.controlPlane.workflow).toBeNull();
    expect(boundChange.errors?.[0]?.extensions?.code).toBe('not_found');
    expect(JSON.stringify(streams.bound.messages)).not.toContain('secret-name');
    expect(JSON.stringify(streams.bound.messages)).not.toContain('other-hidden');
    expect((await resolutions()) - before).toBe(6);

    // The bound key does read its own workflow.
    await ok(
      platform,
      'mutation($id: ID!, $orgId: ID, $input: UpdateWorkflowInput!) { updateWorkflow(id: $id, orgId: $orgId, input: $input) { id } }',
      { id: ownWorkflow, orgId: owner.orgId, input: { name: 'bound-renamed' } },
      owner.token,
    );
    const [own] = await stateChanges(streams.bound, ownWorkflow);
    expect(own.data.controlPlane.workflow).toEqual({ id: ownWorkflow, name: 'bound-renamed' });
  });

  it('fans one resolution out to a group larger than one write turn, each frame under its own subscription id', async () => {
    const owner = await platform.signup('Groups Fanout');
    const key = await platform.apiKey(owner);
    // 6 connections × 50 subscriptions (the per-connection maximum): 300 subscribers, one group,
    // more than the 256 sockets the gateway writes in one turn of the event loop.
    const clients = Array.from({ length: 6 }, () => connect(platform.url, { apiKey: key.key }));
    const streams = clients.flatMap((client) =>
      Array.from({ length: 50 }, () => client.subscribe(CONTROL_PLANE, { orgId: owner.orgId })),
    );
    await Promise.all(streams.map((stream) => received(stream, 1)));
    const before = await resolutions();
    const workflow = await createWorkflow(owner, 'fanned-out');
    for (const stream of streams) {
      const [change] = await stateChanges(stream, workflow);
      expect(change.data.controlPlane.workflow).toEqual({ id: workflow, name: 'fanned-out' });
    }
    expect((await resolutions()) - before).toBe(1);

    // A subscription the client completes ends alone: the others of its connection keep receiving.
    const [stopped, ...others] = streams;
    stopped?.dispose();
    const next = await createWorkflow(owner, 'after-complete');
    for (const stream of others) await stateChanges(stream, next);
    for (const stream of streams) {
      expect(stream.errors).toEqual([]);
      // Exactly once each: InitialState, then one StateChange per workflow.
      expect(stream.messages.filter((m) => m.data?.controlPlane?.workflowId === workflow)).toHaveLength(1);
    }
    await Promise.all(clients.map((client) => client.dispose()));
  });

  it('ends the stream of a revoked key while a key of the same permission set keeps receiving', async () => {
    const owner = await platform.signup('Groups Revoke');
    const kept = await platform.apiKey(owner);
    const revoked = await platform.apiKey(owner);
    const keptClient = connect(platform.url, { apiKey: kept.key });
    const revokedClient = connect(platform.url, { apiKey: revoked.key });
    const keptStream = keptClient.subscribe(CONTROL_PLANE, { orgId: owner.orgId });
    const revokedStream = revokedClient.subscribe(CONTROL_PLANE, { orgId: owner.orgId });
    await received(keptStream, 1);
    await received(revokedStream, 1);
    await ok(
      platform,
      'mutation($orgId: ID!, $id: ID!) { revokeApiKey(orgId: $orgId, id: $id) { id } }',
      { orgId: owner.orgId, id: revoked.id },
      owner.token,
    );
    await eventually(() => (revokedClient.closed ? true : undefined));
    expect(revokedClient.closed?.code).toBe(4403);
    const after = revokedStream.messages.length;
    const workflow = await createWorkflow(owner, 'after-revoke');
    await stateChanges(keptStream, workflow);
    expect(revokedStream.messages.length).toBe(after);
  });
});
