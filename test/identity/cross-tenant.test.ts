/**
 * The cross-tenant matrix: every identity operation, run by a second
 * organization's owner (session) and by its `*` API key against the first
 * organization's objects, must answer 403 or 404 and return none of them —
 * over GraphQL and over REST — and leave the first organization unchanged.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { createKey, ok, register, settleAndCloseAll } from './support.ts';

const DENIED = new Set(['org_mismatch', 'not_found', 'forbidden', 'insufficient_scope']);

let platform: TestPlatform;
let alice: TestUser;
let mallory: TestUser;
let malloryKey: string;
const a = {
  orgId: '',
  bobId: '',
  bobEmail: '',
  teamId: '',
  inviteId: '',
  inviteEmail: '',
  keyId: '',
  key: '',
  keyPrefix: '',
  workflowId: '',
};
let secrets: string[] = [];

beforeAll(async () => {
  platform = await startTestPlatform();
  alice = await platform.signup('Alice Secret Org');
  mallory = await platform.signup('Mallory Org');
  malloryKey = (await createKey(platform, mallory, { name: 'mallory key' })).key;
  a.orgId = alice.orgId;
  const bob = await register(platform, undefined, 'Bob Hidden');
  a.bobId = bob.userId;
  a.bobEmail = bob.email;
  await ok(
    platform.graphql(
      'mutation($o: ID!, $e: String!) { addMember(orgId: $o, input: { email: $e, role: MEMBER }) { userId } }',
      { o: a.orgId, e: bob.email },
      { token: alice.token },
    ),
  );
  a.teamId = (
    await ok(
      platform.graphql(
        'mutation($o: ID!) { createTeam(input: { orgId: $o, name: "Secret Team" }) { id } }',
        { o: a.orgId },
        { token: alice.token },
      ),
    )
  ).createTeam.id;
  await ok(
    platform.graphql(
      'mutation($t: ID!, $u: ID!) { addTeamMember(teamId: $t, userId: $u) { id } }',
      { t: a.teamId, u: bob.userId },
      { token: alice.token },
    ),
  );
  a.inviteEmail = `hidden-invitee-${Date.now()}@example.com`;
  a.inviteId = (
    await ok(
      platform.graphql(
        'mutation($o: ID!, $e: String!) { createInvitation(input: { orgId: $o, email: $e }) { invitation { id } } }',
        { o: a.orgId, e: a.inviteEmail },
        { token: alice.token },
      ),
    )
  ).createInvitation.invitation.id;
  const key = await createKey(platform, alice, { name: 'alice key', workflowId: 'wf_01ALICEWORKFLOW' });
  Object.assign(a, { keyId: key.id, key: key.key, keyPrefix: key.prefix });
  const workflow = await platform.graphql(
    'mutation($o: ID!) { createWorkflow(orgId: $o, input: { name: "alice wf" }) { id } }',
    { o: a.orgId },
    { token: alice.token },
  );
  a.workflowId = workflow.body.data?.createWorkflow?.id ?? 'wf_01ALICEWORKFLOW';
  secrets = [
    'Alice Secret Org',
    'Bob Hidden',
    a.bobEmail,
    'Secret Team',
    a.inviteEmail,
    a.keyPrefix,
    key.key,
    key.signingSecret,
    'alice key',
    alice.email,
  ];
});
afterAll(() => settleAndCloseAll(platform));

interface GraphqlCase {
  field: string;
  query: string;
  variables?: () => Record<string, unknown>;
  /** Answers null instead of an error (a lookup scoped to the caller's own organization). */
  nullOk?: boolean;
  sessionOnly?: boolean;
}

const KEY = 'id prefix name status';
const graphqlCases: GraphqlCase[] = [
  {
    field: 'organization',
    query: 'query($o: ID!) { organization(id: $o) { id name members { items { userId } } } }',
    variables: () => ({ o: a.orgId }),
  },
  {
    field: 'updateOrganization',
    query: 'mutation($o: ID!) { updateOrganization(id: $o, input: { name: "pwned" }) { name } }',
    variables: () => ({ o: a.orgId }),
  },
  {
    field: 'deleteOrganization',
    query: 'mutation($o: ID!) { deleteOrganization(id: $o) { id } }',
    variables: () => ({ o: a.orgId }),
  },
  {
    field: 'addMember',
    query: 'mutation($o: ID!, $e: String!) { addMember(orgId: $o, input: { email: $e, role: OWNER }) { userId } }',
    variables: () => ({ o: a.orgId, e: mallory.email }),
  },
  {
    field: 'updateMemberRole',
    query: 'mutation($o: ID!, $u: ID!) { updateMemberRole(orgId: $o, userId: $u, role: VIEWER) { role } }',
    variables: () => ({ o: a.orgId, u: a.bobId }),
  },
  {
    field: 'removeMember',
    query: 'mutation($o: ID!, $u: ID!) { removeMember(orgId: $o, userId: $u) { userId } }',
    variables: () => ({ o: a.orgId, u: a.bobId }),
  },
  {
    field: 'createTeam',
    query: 'mutation($o: ID!) { createTeam(input: { orgId: $o, name: "intruders" }) { id } }',
    variables: () => ({ o: a.orgId }),
  },
  {
    field: 'team',
    query: 'query($t: ID!) { team(id: $t) { name members { user { email } } } }',
    variables: () => ({ t: a.teamId }),
  },
  {
    field: 'addTeamMember',
    query: 'mutation($t: ID!, $u: ID!) { addTeamMember(teamId: $t, userId: $u) { name } }',
    variables: () => ({ t: a.teamId, u: mallory.userId }),
  },
  {
    field: 'removeTeamMember',
    query: 'mutation($t: ID!, $u: ID!) { removeTeamMember(teamId: $t, userId: $u) { name } }',
    variables: () => ({ t: a.teamId, u: a.bobId }),
  },
  {
    field: 'createInvitation',
    query:
      'mutation($o: ID!) { createInvitation(input: { orgId: $o, email: "x@example.com", role: OWNER }) { token } }',
    variables: () => ({ o: a.orgId }),
  },
  {
    field: 'revokeInvitation',
    query: 'mutation($i: ID!) { revokeInvitation(id: $i) { email } }',
    variables: () => ({ i: a.inviteId }),
  },
  {
    field: 'revokeInvitation',
    query: 'mutation($i: ID!, $o: ID!) { revokeInvitation(id: $i, orgId: $o) { email } }',
    variables: () => ({ i: a.inviteId, o: mallory.orgId }),
  },
  {
    field: 'revokeInvitation',
    query: 'mutation($i: ID!, $o: ID!) { revokeInvitation(id: $i, orgId: $o) { email } }',
    variables: () => ({ i: a.inviteId, o: a.orgId }),
  },
  {
    field: 'resendInvitation',
    query: 'mutation($i: ID!) { resendInvitation(id: $i) { token invitation { email } } }',
    variables: () => ({ i: a.inviteId }),
  },
  {
    field: 'acceptInvitationById',
    query: 'mutation($i: ID!) { acceptInvitationById(id: $i) { role } }',
    variables: () => ({ i: a.inviteId }),
  },
  {
    field: 'apiKeys',
    query: `query($o: ID!) { apiKeys(orgId: $o) { items { ${KEY} } } }`,
    variables: () => ({ o: a.orgId }),
  },
  { field: 'apiKey', query: `query($k: ID!) { apiKey(id: $k) { ${KEY} } }`, variables: () => ({ k: a.keyId }) },
  {
    field: 'apiKey',
    query: `query($k: ID!, $o: ID!) { apiKey(id: $k, orgId: $o) { ${KEY} } }`,
    variables: () => ({ k: a.keyId, o: mallory.orgId }),
    nullOk: true,
  },
  {
    field: 'createApiKey',
    query: 'mutation($o: ID!) { createApiKey(input: { orgId: $o, name: "x" }) { key } }',
    variables: () => ({ o: a.orgId }),
  },
  ...['disableApiKey', 'enableApiKey', 'revokeApiKey'].map((field) => ({
    field,
    query: `mutation($k: ID!) { ${field}(id: $k) { ${KEY} } }`,
    variables: () => ({ k: a.keyId }),
  })),
  {
    field: 'revokeApiKey',
    query: `mutation($k: ID!, $o: ID!) { revokeApiKey(id: $k, orgId: $o) { ${KEY} } }`,
    variables: () => ({ k: a.keyId, o: a.orgId }),
  },
  { field: 'rollApiKey', query: 'mutation($k: ID!) { rollApiKey(id: $k) { key } }', variables: () => ({ k: a.keyId }) },
  {
    field: 'rotateApiKey',
    query: 'mutation($k: ID!) { rotateApiKey(id: $k) { key } }',
    variables: () => ({ k: a.keyId }),
  },
  {
    field: 'rotateApiKeySecret',
    query: 'mutation($k: ID!) { rotateApiKeySecret(id: $k) { signingSecret } }',
    variables: () => ({ k: a.keyId }),
  },
  {
    field: 'authzCheck',
    query: 'query($o: ID!) { authzCheck(input: { orgId: $o, permission: "members:read" }) { allowed } }',
    variables: () => ({ o: a.orgId }),
  },
  {
    field: 'authzCheckBatch',
    query:
      'query($o: ID!, $m: ID!) { authzCheckBatch(input: { checks: [{ orgId: $m, permission: "members:read" }, { orgId: $o, permission: "members:read" }] }) { allowed } }',
    variables: () => ({ o: a.orgId, m: mallory.orgId }),
  },
  {
    field: 'updateProfile',
    query: 'mutation($o: ID!) { updateProfile(input: { defaultOrganizationId: $o }) { id } }',
    variables: () => ({ o: a.orgId }),
  },
];

/** Root fields that act only on the caller (or are public by design): covered by other tests, no other org to name. */
const SELF_OR_PUBLIC = new Set([
  'me',
  'invitationByToken',
  'verifyApiKey',
  'permissionRules',
  '_authenticate',
  '_authInvalidations',
  'register',
  'login',
  'oauthRegister',
  'logout',
  'forgotPassword',
  'resetPassword',
  'bootstrapOnboarding',
  'createOrganization',
  'acceptInvitation',
  'declineInvitation',
  '_recordApiKeyUsage',
]);

function leaks(body: unknown): string[] {
  const text = JSON.stringify(body);
  return secrets.filter((s) => s && text.includes(s));
}

describe('cross-tenant matrix', () => {
  it('covers every identity root field', () => {
    const sdl = parse(readFileSync(new URL('../../subgraphs/identity/identity.graphql', import.meta.url), 'utf8'));
    const roots = sdl.definitions.flatMap((d) =>
      d.kind === 'ObjectTypeDefinition' && (d.name.value === 'Query' || d.name.value === 'Mutation')
        ? (d.fields ?? []).map((f) => f.name.value)
        : [],
    );
    const covered = new Set(graphqlCases.map((c) => c.field));
    expect(roots.filter((f) => !covered.has(f) && !SELF_OR_PUBLIC.has(f))).toEqual([]);
  });

  for (const credential of ['session', 'api key'] as const) {
    it(`GraphQL, another organization's ${credential}: every operation is 403/404 with no data`, async () => {
      const token = credential === 'session' ? mallory.token : malloryKey;
      const failures: string[] = [];
      for (const c of graphqlCases) {
        const result = await platform.graphql(c.query, c.variables?.(), { token });
        const code = result.body?.errors?.[0]?.extensions?.code;
        const data = result.body?.data?.[c.field] ?? null;
        const label = `${c.field}(${JSON.stringify(c.variables?.())})`;
        if (c.nullOk && !code) {
          if (data !== null) failures.push(`${label}: returned data`);
        } else if (!DENIED.has(code))
          failures.push(`${label}: code ${code} (${JSON.stringify(result.body).slice(0, 200)})`);
        if (data !== null) failures.push(`${label}: data ${JSON.stringify(data)}`);
        const leaked = leaks(result.body);
        if (leaked.length) failures.push(`${label}: leaked ${leaked.join(', ')}`);
      }
      const me = await platform.graphql(
        '{ me { organizations { id name } memberships { organizationId } teams { name } permissions { organizationId } } }',
        {},
        { token },
      );
      expect(leaks(me.body)).toEqual([]);
      expect(JSON.stringify(me.body)).not.toContain(a.orgId);
      expect(failures).toEqual([]);
    });
  }

  const restCases = (): { method: string; path: string; body?: unknown }[] => [
    { method: 'GET', path: `/v1/organizations/${a.orgId}` },
    { method: 'GET', path: `/v1/orgs/${a.orgId}` },
    { method: 'PATCH', path: `/v1/orgs/${a.orgId}`, body: { name: 'pwned' } },
    { method: 'DELETE', path: `/v1/orgs/${a.orgId}` },
    { method: 'GET', path: `/v1/organizations/${a.orgId}/members` },
    { method: 'GET', path: `/v1/orgs/${a.orgId}/members` },
    { method: 'POST', path: `/v1/orgs/${a.orgId}/members/add`, body: { email: mallory.email, role: 'owner' } },
    { method: 'PATCH', path: `/v1/orgs/${a.orgId}/members/${a.bobId}`, body: { role: 'viewer' } },
    { method: 'DELETE', path: `/v1/orgs/${a.orgId}/members/${a.bobId}` },
    { method: 'GET', path: `/v1/organizations/${a.orgId}/teams` },
    { method: 'GET', path: `/v1/teams/${a.teamId}` },
    { method: 'POST', path: '/v1/teams', body: { orgId: a.orgId, name: 'intruders' } },
    { method: 'POST', path: '/v1/invitations', body: { orgId: a.orgId, email: 'x@example.com' } },
    { method: 'POST', path: `/v1/orgs/${a.orgId}/invites`, body: { email: 'x@example.com', role: 'owner' } },
    { method: 'POST', path: `/v1/invitations/${a.inviteId}/accept` },
    { method: 'POST', path: `/v1/invitations/${a.inviteId}/revoke` },
    { method: 'DELETE', path: `/v1/orgs/${a.orgId}/invites/${a.inviteId}` },
    { method: 'DELETE', path: `/v1/orgs/${mallory.orgId}/invites/${a.inviteId}` },
    { method: 'POST', path: `/v1/orgs/${a.orgId}/invites/${a.inviteId}/resend` },
    { method: 'GET', path: `/v1/api-keys?orgId=${a.orgId}` },
    { method: 'POST', path: '/v1/api-keys', body: { orgId: a.orgId, name: 'x' } },
    { method: 'GET', path: `/v1/api-keys/${a.keyId}` },
    { method: 'DELETE', path: `/v1/api-keys/${a.keyId}` },
    { method: 'POST', path: `/v1/api-keys/${a.keyId}/disable` },
    { method: 'GET', path: `/v1/orgs/${a.orgId}/api-keys` },
    { method: 'POST', path: `/v1/orgs/${a.orgId}/api-keys`, body: { name: 'x' } },
    { method: 'POST', path: `/v1/orgs/${a.orgId}/api-keys/create`, body: { name: 'x' } },
    { method: 'DELETE', path: `/v1/orgs/${a.orgId}/api-keys/${a.keyId}` },
    { method: 'DELETE', path: `/v1/orgs/${mallory.orgId}/api-keys/${a.keyId}` },
    { method: 'POST', path: `/v1/orgs/${a.orgId}/api-keys/${a.keyId}/rotate` },
    { method: 'GET', path: `/v1/workflows/${a.workflowId}/api-keys` },
    { method: 'POST', path: '/v1/authz/check', body: { orgId: a.orgId, permission: 'members:read' } },
    {
      method: 'POST',
      path: '/v1/authz/check-batch',
      body: { checks: [{ orgId: a.orgId, permission: 'members:read' }] },
    },
    { method: 'PATCH', path: '/v1/me/profile', body: { defaultOrganizationId: a.orgId } },
  ];

  for (const credential of ['session', 'api key'] as const) {
    it(`REST, another organization's ${credential}: every route is 403/404 with data null`, async () => {
      const token = credential === 'session' ? mallory.token : malloryKey;
      const failures: string[] = [];
      for (const c of restCases()) {
        const result = await platform.rest(c.method, c.path, { token, body: c.body });
        const label = `${c.method} ${c.path}`;
        if (result.status !== 403 && result.status !== 404)
          failures.push(`${label}: ${result.status} ${JSON.stringify(result.body).slice(0, 200)}`);
        else if (result.body?.data !== null || !DENIED.has(result.body?.error?.code))
          failures.push(`${label}: envelope ${JSON.stringify(result.body).slice(0, 200)}`);
        const leaked = leaks(result.body);
        if (leaked.length) failures.push(`${label}: leaked ${leaked.join(', ')}`);
      }
      for (const path of ['/v1/me', '/v1/me/organizations', '/v1/me/teams', '/v1/me/permissions']) {
        const me = await platform.rest('GET', path, { token });
        expect(me.status).toBe(200);
        expect(leaks(me.body)).toEqual([]);
        expect(JSON.stringify(me.body.data)).not.toContain(a.orgId);
      }
      expect(failures).toEqual([]);
    });
  }

  it('left the first organization exactly as it was', async () => {
    const state = await ok(
      platform.graphql(
        `query($o: ID!, $t: ID!, $k: ID!) {
          organization(id: $o) { name members { items { userId role } } invitations { items { id status } } }
          team(id: $t) { members { user { id } } }
          apiKey(id: $k) { status prefix }
        }`,
        { o: a.orgId, t: a.teamId, k: a.keyId },
        { token: alice.token },
      ),
    );
    expect(state.organization.name).toBe('Alice Secret Org');
    expect(state.organization.members.items).toEqual(
      expect.arrayContaining([
        { userId: alice.userId, role: 'OWNER' },
        { userId: a.bobId, role: 'MEMBER' },
      ]),
    );
    expect(state.organization.members.items).toHaveLength(2);
    expect(state.organization.invitations.items).toEqual([{ id: a.inviteId, status: 'PENDING' }]);
    expect(state.team.members).toEqual([{ user: { id: a.bobId } }]);
    expect(state.apiKey).toEqual({ status: 'ACTIVE', prefix: a.keyPrefix });
    const teams = await ok(
      platform.graphql(
        'query($o: ID!) { organization(id: $o) { teams { items { name } } apiKeys { items { id } } } }',
        { o: a.orgId },
        { token: alice.token },
      ),
    );
    expect(teams.organization.teams.items).toEqual([{ name: 'Secret Team' }]);
    expect(teams.organization.apiKeys.items).toEqual([{ id: a.keyId }]);
    expect((await platform.graphql('{ me { principalId } }', {}, { token: a.key })).status).toBe(200);
  });
});
