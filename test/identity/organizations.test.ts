import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import {
  catchMail,
  codeOf,
  createKey,
  identityEvents,
  ok,
  PASSWORD,
  register,
  settleAndCloseAll,
  uniqueEmail,
  withDb,
} from './support.ts';

let platform: TestPlatform;
let mail: ReturnType<typeof catchMail>;
beforeAll(async () => {
  mail = catchMail();
  platform = await startTestPlatform();
});
afterAll(async () => {
  mail.stop();
  await settleAndCloseAll(platform);
});

const ADD = 'mutation($o: ID!, $input: AddMemberInput!) { addMember(orgId: $o, input: $input) { userId role } }';
const ROLE = 'mutation($o: ID!, $u: ID!, $r: Role!) { updateMemberRole(orgId: $o, userId: $u, role: $r) { role } }';
const REMOVE = 'mutation($o: ID!, $u: ID!) { removeMember(orgId: $o, userId: $u) { userId } }';
const INVITE =
  'mutation($input: CreateInvitationInput!) { createInvitation(input: $input) { token invitation { id status role expiresAt } } }';
const ACCEPT =
  'mutation($t: String!, $input: AcceptInvitationInput) { acceptInvitation(token: $t, input: $input) { role organization { id } session { token } } }';

async function member(owner: TestUser, role: string) {
  const user = await register(platform);
  await ok(platform.graphql(ADD, { o: owner.orgId, input: { email: user.email, role } }, { token: owner.token }));
  return user;
}

describe('organizations', () => {
  it('gives a second organization of the same name a free slug when none was asked for', async () => {
    const user = await register(platform);
    const CREATE = 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { slug } }';
    const name = `Analytical Engines ${uniqueEmail('x')}`;
    const first = await ok(platform.graphql(CREATE, { input: { name } }, { token: user.token }));
    const second = await ok(platform.graphql(CREATE, { input: { name } }, { token: user.token }));
    expect(second.createOrganization.slug).toMatch(
      new RegExp(`^${first.createOrganization.slug.slice(0, 40)}-[a-z0-9]{6}$`),
    );
  });

  it('keeps slugs unique and lets admins update but only owners delete', async () => {
    const owner = await platform.signup('Slug Org');
    const taken = await platform.graphql(
      'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      {
        input: {
          name: 'Copy',
          slug: (
            await ok(
              platform.graphql(
                'query($id: ID!) { organization(id: $id) { slug } }',
                { id: owner.orgId },
                { token: owner.token },
              ),
            )
          ).organization.slug,
        },
      },
      { token: owner.token },
    );
    expect(codeOf(taken)).toBe('already_exists');
    expect(taken.body.errors[0].extensions.field).toBe('input.slug');

    const admin = await member(owner, 'ADMIN');
    const viewer = await member(owner, 'VIEWER');
    const UPDATE =
      'mutation($id: ID!, $input: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $input) { name billingEmail } }';
    const renamed = await ok(
      platform.graphql(
        UPDATE,
        { id: owner.orgId, input: { name: 'Renamed', billingEmail: 'Billing@Example.com' } },
        { token: admin.token },
      ),
    );
    expect(renamed.updateOrganization).toEqual({ name: 'Renamed', billingEmail: 'billing@example.com' });
    expect(
      codeOf(await platform.graphql(UPDATE, { id: owner.orgId, input: { name: 'x' } }, { token: viewer.token })),
    ).toBe('forbidden');
    // A viewer sees the organization but not its billing email.
    const seen = await ok(
      platform.graphql(
        'query($id: ID!) { organization(id: $id) { name billingEmail } }',
        { id: owner.orgId },
        { token: viewer.token },
      ),
    );
    expect(seen.organization).toEqual({ name: 'Renamed', billingEmail: null });

    const DELETE = 'mutation($id: ID!) { deleteOrganization(id: $id) { id deletedAt } }';
    expect(codeOf(await platform.graphql(DELETE, { id: owner.orgId }, { token: admin.token }))).toBe('forbidden');
    const key = await createKey(platform, owner);
    expect((await platform.graphql('{ me { principalId } }', {}, { token: key.key })).status).toBe(200);
    await ok(platform.graphql(DELETE, { id: owner.orgId }, { token: owner.token }));
    // Members lose access at once, and the organization's keys stop authenticating.
    expect(
      codeOf(
        await platform.graphql(
          'query($id: ID!) { organization(id: $id) { name } }',
          { id: owner.orgId },
          { token: admin.token },
        ),
      ),
    ).toBe('org_mismatch');
    expect((await platform.graphql('{ me { principalId } }', {}, { token: key.key })).status).toBe(401);
    const types = (await identityEvents(platform)).filter((e) => e.org_id === owner.orgId).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['organization.created', 'organization.updated', 'organization.deleted', 'member.added']),
    );
  });
});

describe('members', () => {
  it('adds by email, changes roles, removes, and never loses the last owner', async () => {
    const owner = await platform.signup('Members Org');
    const bob = await member(owner, 'MEMBER');
    const again = await platform.graphql(
      ADD,
      { o: owner.orgId, input: { email: bob.email, role: 'VIEWER' } },
      { token: owner.token },
    );
    expect(codeOf(again)).toBe('already_exists');
    const nobody = await platform.graphql(
      ADD,
      { o: owner.orgId, input: { email: uniqueEmail('nobody'), role: 'VIEWER' } },
      { token: owner.token },
    );
    expect(codeOf(nobody)).toBe('not_found');

    // The last owner can be neither demoted nor removed.
    expect(
      codeOf(await platform.graphql(ROLE, { o: owner.orgId, u: owner.userId, r: 'ADMIN' }, { token: owner.token })),
    ).toBe('conflict');
    expect(codeOf(await platform.graphql(REMOVE, { o: owner.orgId, u: owner.userId }, { token: owner.token }))).toBe(
      'conflict',
    );

    // An admin cannot make anyone owner; an owner can, and then the first owner may step down.
    await ok(platform.graphql(ROLE, { o: owner.orgId, u: bob.userId, r: 'ADMIN' }, { token: owner.token }));
    expect(
      codeOf(await platform.graphql(ROLE, { o: owner.orgId, u: bob.userId, r: 'OWNER' }, { token: bob.token })),
    ).toBe('forbidden');
    expect(codeOf(await platform.graphql(REMOVE, { o: owner.orgId, u: owner.userId }, { token: bob.token }))).toBe(
      'forbidden',
    );
    await ok(platform.graphql(ROLE, { o: owner.orgId, u: bob.userId, r: 'OWNER' }, { token: owner.token }));
    expect(
      (await ok(platform.graphql(ROLE, { o: owner.orgId, u: owner.userId, r: 'MEMBER' }, { token: owner.token })))
        .updateMemberRole.role,
    ).toBe('MEMBER');
    // The demoted user's cached principal was dropped: owner-only actions fail now.
    expect(
      codeOf(await platform.graphql(ROLE, { o: owner.orgId, u: bob.userId, r: 'ADMIN' }, { token: owner.token })),
    ).toBe('forbidden');

    await ok(platform.graphql(REMOVE, { o: owner.orgId, u: owner.userId }, { token: bob.token }));
    const list = await ok(
      platform.graphql(
        'query($id: ID!) { organization(id: $id) { members { items { userId role user { email } } nextCursor } } }',
        { id: owner.orgId },
        { token: bob.token },
      ),
    );
    expect(list.organization.members.items).toEqual([
      { userId: bob.userId, role: 'OWNER', user: { email: bob.email } },
    ]);
    expect(
      codeOf(
        await platform.graphql(
          'query($id: ID!) { organization(id: $id) { name } }',
          { id: owner.orgId },
          { token: owner.token },
        ),
      ),
    ).toBe('org_mismatch');
    const types = (await identityEvents(platform)).filter((e) => e.org_id === owner.orgId).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['member.added', 'member.role_changed', 'member.removed']));
  });

  it('caps a key at its creator’s current role and ends it when the creator leaves', async () => {
    const owner = await platform.signup('Creator Org');
    const admin = await member(owner, 'ADMIN');
    const key = await createKey(platform, { token: admin.token, orgId: owner.orgId });
    const TEAM = 'mutation($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }';
    expect(
      codeOf(await platform.graphql(TEAM, { o: owner.orgId, n: 'by admin key' }, { token: key.key })),
    ).toBeUndefined();
    await ok(platform.graphql(ROLE, { o: owner.orgId, u: admin.userId, r: 'MEMBER' }, { token: owner.token }));
    expect(codeOf(await platform.graphql(TEAM, { o: owner.orgId, n: 'after demotion' }, { token: key.key }))).toBe(
      'forbidden',
    );
    await ok(platform.graphql(REMOVE, { o: owner.orgId, u: admin.userId }, { token: owner.token }));
    expect((await platform.graphql('{ me { principalId } }', {}, { token: key.key })).status).toBe(401);
  });

  it('pages members with a cursor and serves the member routes over REST', async () => {
    const owner = await platform.signup('Paged Org');
    const extra = [await member(owner, 'VIEWER'), await member(owner, 'MEMBER')];
    const first = await platform.rest('GET', `/v1/orgs/${owner.orgId}/members?limit=2`, { token: owner.token });
    expect(first.status).toBe(200);
    expect(first.body.data.items).toHaveLength(2);
    expect(first.body.data.nextCursor).toBeTruthy();
    const second = await platform.rest(
      'GET',
      `/v1/organizations/${owner.orgId}/members?limit=2&cursor=${first.body.data.nextCursor}`,
      { token: owner.token },
    );
    expect(second.body.data.items.map((m: { userId: string }) => m.userId)).toEqual([extra[1]?.userId]);
    expect(second.body.data.nextCursor).toBeUndefined();

    const carol = await register(platform);
    const added = await platform.rest('POST', `/v1/orgs/${owner.orgId}/members/add`, {
      token: owner.token,
      body: { email: carol.email, role: 'member' },
    });
    expect(added.body.data).toMatchObject({ userId: carol.userId, role: 'member' });
    const changed = await platform.rest('PATCH', `/v1/orgs/${owner.orgId}/members/${carol.userId}`, {
      token: owner.token,
      body: { role: 'admin' },
    });
    expect(changed.body.data.role).toBe('admin');
    const removed = await platform.rest('DELETE', `/v1/orgs/${owner.orgId}/members/${carol.userId}`, {
      token: owner.token,
    });
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);
    const lastOwner = await platform.rest('DELETE', `/v1/orgs/${owner.orgId}/members/${owner.userId}`, {
      token: owner.token,
    });
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.body.error.code).toBe('conflict');
  });
});

describe('teams', () => {
  it('creates, gets, lists teams and manages their members', async () => {
    const owner = await platform.signup('Teams Org');
    const viewer = await member(owner, 'VIEWER');
    const created = await platform.rest('POST', '/v1/teams', {
      token: owner.token,
      body: { orgId: owner.orgId, name: 'Research' },
    });
    expect(created.status).toBe(201);
    const teamId = created.body.data.id;
    const duplicate = await platform.rest('POST', '/v1/teams', {
      token: owner.token,
      body: { orgId: owner.orgId, name: 'Research' },
    });
    expect(duplicate.status).toBe(409);
    expect(
      (await platform.rest('POST', '/v1/teams', { token: viewer.token, body: { orgId: owner.orgId, name: 'Mine' } }))
        .status,
    ).toBe(403);
    await ok(
      platform.graphql(
        'mutation($t: ID!, $u: ID!) { addTeamMember(teamId: $t, userId: $u) { id } }',
        { t: teamId, u: viewer.userId },
        { token: owner.token },
      ),
    );
    const outsider = await register(platform);
    const notMember = await platform.graphql(
      'mutation($t: ID!, $u: ID!) { addTeamMember(teamId: $t, userId: $u) { id } }',
      { t: teamId, u: outsider.userId },
      { token: owner.token },
    );
    expect(codeOf(notMember)).toBe('not_found');
    const got = await platform.rest('GET', `/v1/teams/${teamId}`, { token: viewer.token });
    expect(got.body.data).toMatchObject({ name: 'Research', members: [{ user: { id: viewer.userId } }] });
    const list = await platform.rest('GET', `/v1/organizations/${owner.orgId}/teams`, { token: viewer.token });
    expect(list.body.data.items.map((t: { name: string }) => t.name)).toEqual(['Research']);
    expect((await platform.rest('GET', '/v1/me/teams', { token: viewer.token })).body.data[0].id).toBe(teamId);
    await ok(
      platform.graphql(
        'mutation($t: ID!, $u: ID!) { removeTeamMember(teamId: $t, userId: $u) { id } }',
        { t: teamId, u: viewer.userId },
        { token: owner.token },
      ),
    );
    expect((await platform.rest('GET', '/v1/me/teams', { token: viewer.token })).body.data).toEqual([]);
    expect((await identityEvents(platform)).some((e) => e.type === 'team.created' && e.data.teamId === teamId)).toBe(
      true,
    );
  });
});

describe('invitations', () => {
  it('invites, shows public info, accepts once (409 after), and stores only a hash of the token', async () => {
    const owner = await platform.signup('Invite Org');
    const email = uniqueEmail('invitee');
    const created = await ok(
      platform.graphql(INVITE, { input: { orgId: owner.orgId, email, role: 'ADMIN' } }, { token: owner.token }),
    );
    const { token, invitation } = created.createInvitation;
    expect(token).toMatch(/^tri_/);
    expect(mail.mails.at(-1)).toMatchObject({ kind: 'invitation', to: email, token });
    // Defaults to 7 days.
    const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);

    const info = await platform.rest('GET', `/v1/invites/${token}`);
    expect(info.status).toBe(200);
    expect(info.body.data).toMatchObject({ email, role: 'admin', status: 'pending', organizationName: 'Invite Org' });
    expect((await platform.rest('GET', '/v1/invites/tri_nonexistent')).status).toBe(404);

    // Accept without an account: the password creates it and a session comes back.
    const accepted = await platform.rest('POST', `/v1/invites/${token}/accept`, {
      body: { password: PASSWORD, name: 'Newcomer' },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data).toMatchObject({ role: 'admin', organization: { id: owner.orgId } });
    const session = accepted.body.data.session.token;
    const me = await ok(platform.graphql('{ me { memberships { organizationId role } } }', {}, { token: session }));
    expect(me.me.memberships).toEqual([{ organizationId: owner.orgId, role: 'ADMIN' }]);
    const twice = await platform.rest('POST', `/v1/invites/${token}/accept`, { body: { password: PASSWORD } });
    expect(twice.status).toBe(409);
    expect(codeOf(await platform.graphql(ACCEPT, { t: token }, { token: session }))).toBe('conflict');

    const stored = await withDb(
      platform,
      async (db) =>
        (await db.query('select token_hash from identity.invitations where id = $1', [invitation.id])).rows[0]
          .token_hash,
    );
    expect(stored).not.toContain(token);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts by id for the invited signed-in user only, declines, revokes, resends and expires', async () => {
    const owner = await platform.signup('Invite Flow Org');
    const invitee = await register(platform);
    const stranger = await register(platform);
    const byId = await ok(
      platform.graphql(INVITE, { input: { orgId: owner.orgId, email: invitee.email } }, { token: owner.token }),
    );
    const id = byId.createInvitation.invitation.id;
    expect((await platform.rest('POST', `/v1/invitations/${id}/accept`, { token: stranger.token })).status).toBe(404);
    const acceptedById = await platform.rest('POST', `/v1/invitations/${id}/accept`, { token: invitee.token });
    expect(acceptedById.body.data).toMatchObject({ role: 'member', organization: { id: owner.orgId } });

    // Decline.
    const declined = await ok(
      platform.graphql(
        INVITE,
        { input: { orgId: owner.orgId, email: uniqueEmail('decline') } },
        { token: owner.token },
      ),
    );
    const decline = await platform.rest('POST', `/v1/invites/${declined.createInvitation.token}/decline`);
    expect(decline.body.data.status).toBe('declined');
    expect(
      (
        await platform.rest('POST', `/v1/invites/${declined.createInvitation.token}/accept`, {
          body: { password: PASSWORD },
        })
      ).status,
    ).toBe(409);

    // Revoke (both routes) and resend (the old link dies).
    const revokeMe = await platform.rest('POST', `/v1/orgs/${owner.orgId}/invites`, {
      token: owner.token,
      body: { email: uniqueEmail('revoke'), role: 'viewer' },
    });
    expect(revokeMe.status).toBe(201);
    const revoked = await platform.rest(
      'DELETE',
      `/v1/orgs/${owner.orgId}/invites/${revokeMe.body.data.invitation.id}`,
      { token: owner.token },
    );
    expect(revoked.body.data.status).toBe('revoked');
    expect(
      (
        await platform.rest('POST', `/v1/invitations/${revokeMe.body.data.invitation.id}/revoke`, {
          token: owner.token,
        })
      ).status,
    ).toBe(409);
    const resendMe = await platform.rest('POST', '/v1/invitations', {
      token: owner.token,
      body: { orgId: owner.orgId, email: uniqueEmail('resend') },
    });
    const resent = await platform.rest(
      'POST',
      `/v1/orgs/${owner.orgId}/invites/${resendMe.body.data.invitation.id}/resend`,
      { token: owner.token },
    );
    expect(resent.body.data.token).not.toBe(resendMe.body.data.token);
    expect((await platform.rest('GET', `/v1/invites/${resendMe.body.data.token}`)).status).toBe(404);
    expect((await platform.rest('GET', `/v1/invites/${resent.body.data.token}`)).body.data.status).toBe('pending');

    // Expiry.
    const expiring = await ok(
      platform.graphql(INVITE, { input: { orgId: owner.orgId, email: uniqueEmail('late') } }, { token: owner.token }),
    );
    await withDb(platform, (db) =>
      db.query(`update identity.invitations set expires_at = now() - interval '1 minute' where id = $1`, [
        expiring.createInvitation.invitation.id,
      ]),
    );
    expect((await platform.rest('GET', `/v1/invites/${expiring.createInvitation.token}`)).body.data.status).toBe(
      'expired',
    );
    const late = await platform.rest('POST', `/v1/invites/${expiring.createInvitation.token}/accept`, {
      body: { password: PASSWORD },
    });
    expect(late.status).toBe(409);

    // Only admins invite, and nobody grants more than they hold.
    const viewer = await member(owner, 'VIEWER');
    expect(
      codeOf(
        await platform.graphql(
          INVITE,
          { input: { orgId: owner.orgId, email: uniqueEmail() } },
          { token: viewer.token },
        ),
      ),
    ).toBe('forbidden');
    const admin = await member(owner, 'ADMIN');
    expect(
      codeOf(
        await platform.graphql(
          INVITE,
          { input: { orgId: owner.orgId, email: uniqueEmail(), role: 'OWNER' } },
          { token: admin.token },
        ),
      ),
    ).toBe('forbidden');
    const types = (await identityEvents(platform)).filter((e) => e.org_id === owner.orgId).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'invitation.created',
        'invitation.accepted',
        'invitation.declined',
        'invitation.revoked',
      ]),
    );
  });
});

describe('the README flow, with REST alone', () => {
  it('register, create an org, mint a scoped key, /v1/me with it, invite a second user who accepts, revoke the key', async () => {
    const email = uniqueEmail('ada');
    const registered = await platform.rest('POST', '/v1/auth/register', { body: { email, password: PASSWORD } });
    const token = registered.body.data.token;
    const org = await platform.rest('POST', '/v1/orgs', { token, body: { name: 'Analytical Engines' } });
    expect(org.status).toBe(200);
    const orgId = org.body.data.id;
    const minted = await platform.rest('POST', `/v1/orgs/${orgId}/api-keys`, {
      token,
      body: { name: 'ci', scopes: ['workflows:read', 'members:read'] },
    });
    expect(minted.status).toBe(201);
    const { key, apiKey } = minted.body.data;
    const me = await platform.rest('GET', '/v1/me', { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({
      kind: 'api_key',
      organizationId: orgId,
      scopes: ['workflows:read', 'members:read'],
    });
    expect(me.body.context).toMatchObject({ principal_id: apiKey.id, organization_id: orgId });

    const inviteeEmail = uniqueEmail('charles');
    const invite = await platform.rest('POST', `/v1/orgs/${orgId}/invites`, {
      token,
      body: { email: inviteeEmail, role: 'member' },
    });
    expect(invite.status).toBe(201);
    const accepted = await platform.rest('POST', `/v1/invites/${invite.body.data.token}/accept`, {
      body: { password: 'difference engine 2' },
    });
    expect(accepted.status).toBe(200);
    const members = await platform.rest('GET', `/v1/orgs/${orgId}/members`, { headers: { 'x-api-key': key } });
    expect(members.body.data.items.map((m: { user: { email: string } }) => m.user.email).sort()).toEqual(
      [email, inviteeEmail].sort(),
    );

    const revoked = await platform.rest('DELETE', `/v1/orgs/${orgId}/api-keys/${apiKey.id}`, { token });
    expect(revoked.status).toBe(204);
    const after = await platform.rest('GET', '/v1/me', { headers: { authorization: `Bearer ${key}` } });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
  });
});
