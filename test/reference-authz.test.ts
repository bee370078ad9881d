/**
 * Entity references resolved for a caller answer what the root field reading the type answers
 * (docs/authorization.md §Entity references): the scope (403 insufficient_scope on that field) and the
 * organization (another organization's object is not found), while service principals resolve them all.
 * Through the gateway: `StateChange.workflow` of a controlPlane subscription (events subgraph → governance's
 * Workflow) with a key holding only `events:read`. Each subgraph's `__resolveReference` is also asked
 * directly, the way the gateway asks it (`_entities` with a signed principal).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_HEADER, type Principal, servicePrincipal, signPrincipal } from '../kernel/principal.ts';
import { closeClients, connect, received } from './events/ws-client.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from './harness.ts';

let platform: TestPlatform;
let alice: TestUser;
let bob: TestUser;
let workflowId: string;

async function gql(user: TestUser, query: string, variables: Record<string, unknown> = {}): Promise<Json> {
  const result = await platform.graphql(query, { o: user.orgId, ...variables }, { token: user.token });
  if (!result.body.data || result.body.errors) throw new Error(JSON.stringify(result.body));
  return result.body.data;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  [alice, bob] = await Promise.all([platform.signup('Reference Alice'), platform.signup('Reference Bob')]);
  workflowId = (
    await gql(
      alice,
      'mutation($o: ID!) { createWorkflow(orgId: $o, input: { name: "referenced-agent", budgetMicros: 1000000 }) { id } }',
    )
  ).createWorkflow.id;
}, 120_000);
afterAll(async () => {
  await closeClients();
  await closeAll();
});

const apiKey = (user: TestUser, scopes: string[]): Principal => ({
  kind: 'api_key',
  id: `key_reference_${scopes.join('_')}`,
  orgId: user.orgId,
  memberships: [{ orgId: user.orgId, role: 'owner' }],
  scopes,
});
const session = (user: TestUser): Principal => ({
  kind: 'user',
  id: user.userId,
  userId: user.userId,
  memberships: [{ orgId: user.orgId, role: 'owner' }],
  scopes: ['*'],
});
const service = servicePrincipal('reference-test');

/** What the gateway asks a subgraph for one entity of another subgraph's object, as `principal`. */
async function entity(subgraph: string, principal: Principal, typename: string, id: string, selection: string) {
  const url = platform.app.subgraphs.find((s) => s.name === subgraph)?.url as string;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [PRINCIPAL_HEADER]: signPrincipal(platform.app.platform.internalSecret, principal),
    },
    body: JSON.stringify({
      query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`,
      variables: { r: [{ __typename: typename, id }] },
    }),
  });
  const body = (await response.json()) as Json;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return {
    value: body.data?._entities?.[0] ?? null,
    code: (body.errors?.[0]?.extensions?.code as string | undefined) ?? null,
  };
}

describe('StateChange.workflow through the gateway (controlPlane subscription)', () => {
  async function stateChangeSeenWith(scopes: string[], name: string) {
    const key = await platform.apiKey(alice, scopes);
    const client = connect(platform.url, { apiKey: key.key });
    const stream = client.subscribe(
      `subscription($orgId: ID!) {
        controlPlane(orgId: $orgId) { kind ... on StateChange { action workflowId workflow { id name } } }
      }`,
      { orgId: alice.orgId },
    );
    await received(stream, 1); // InitialState
    await gql(
      alice,
      'mutation($o: ID!, $n: String!) { createWorkflow(orgId: $o, input: { name: $n, budgetMicros: 1000 }) { id } }',
      { n: name },
    );
    const messages = await received(stream, 2);
    stream.dispose();
    return messages[1];
  }

  it('an events:read key gets the change without the workflow (insufficient_scope on that field)', async () => {
    const message = await stateChangeSeenWith(['events:read'], 'hidden-from-events-reader');
    expect(message.data.controlPlane).toMatchObject({ kind: 'StateChange', action: 'created', workflow: null });
    expect(JSON.stringify(message)).not.toContain('hidden-from-events-reader');
    expect(message.errors?.[0]?.extensions?.code).toBe('insufficient_scope');
  });

  it('a key with events:read and workflows:read gets the workflow', async () => {
    const message = await stateChangeSeenWith(['events:read', 'workflows:read'], 'shown-to-workflow-reader');
    expect(message.errors).toBeUndefined();
    expect(message.data.controlPlane.workflow).toMatchObject({ name: 'shown-to-workflow-reader' });
  });
});

describe('each subgraph’s __resolveReference applies the root field’s rule', () => {
  it('governance Workflow: workflows:read and the workflow’s organization', async () => {
    const select = 'id name';
    expect(await entity('governance', apiKey(alice, ['events:read']), 'Workflow', workflowId, select)).toEqual({
      value: null,
      code: 'insufficient_scope',
    });
    expect(await entity('governance', apiKey(bob, ['workflows:read']), 'Workflow', workflowId, select)).toEqual({
      value: null,
      code: 'not_found',
    });
    for (const principal of [apiKey(alice, ['workflows:read']), service]) {
      const { value } = await entity('governance', principal, 'Workflow', workflowId, select);
      expect(value).toMatchObject({ name: 'referenced-agent' });
    }
  });

  it('compute Vm and Cluster: vms:read / clusters:read and the object’s organization', async () => {
    const vm = (
      await gql(
        alice,
        'mutation($o: ID!) { createVm(orgId: $o, input: { name: "referenced-vm", gpuModelId: "h100-80gb" }) { id } }',
      )
    ).createVm.id;
    const cluster = (
      await gql(
        alice,
        'mutation($o: ID!) { createCluster(orgId: $o, input: { name: "referenced-cluster", gpuModelId: "h100-80gb", replicaCount: 1 }) { id } }',
      )
    ).createCluster.id;
    for (const [typename, id, scope, name] of [
      ['Vm', vm, 'vms:read', 'referenced-vm'],
      ['Cluster', cluster, 'clusters:read', 'referenced-cluster'],
    ]) {
      expect(await entity('compute', apiKey(alice, ['events:read']), typename, id, 'name')).toEqual({
        value: null,
        code: 'insufficient_scope',
      });
      expect(await entity('compute', apiKey(bob, [scope]), typename, id, 'name')).toEqual({
        value: null,
        code: 'not_found',
      });
      for (const principal of [apiKey(alice, [scope]), service])
        expect((await entity('compute', principal, typename, id, 'name')).value).toEqual({ name });
    }
  });

  it('identity Organization: members only, like organization(id)', async () => {
    expect(await entity('identity', apiKey(bob, ['*']), 'Organization', alice.orgId, 'name')).toEqual({
      value: null,
      code: 'not_found',
    });
    for (const principal of [apiKey(alice, ['events:read']), session(alice), service])
      expect((await entity('identity', principal, 'Organization', alice.orgId, 'name')).value).toEqual({
        name: 'Reference Alice',
      });
  });

  it('identity User: oneself (or a platform administrator, like user(id)); services', async () => {
    const other = await entity('identity', session(bob), 'User', alice.userId, 'email');
    expect(other).toEqual({ value: null, code: 'forbidden' });
    for (const principal of [session(alice), service])
      expect((await entity('identity', principal, 'User', alice.userId, 'email')).value).toEqual({
        email: alice.email,
      });
  });
});
