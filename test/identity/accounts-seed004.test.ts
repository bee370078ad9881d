/**
 * Seed 004's account features over GraphQL: sign-up with the first organization and API key,
 * rotating refresh tokens with reuse detection, platform administrators and users administration,
 * erasure and export, teams (update, delete, roles, invitations), API-key update and roll with grace.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../harness.ts';
import {
  catchMail,
  codeOf,
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
/** The installation's first account: its platform administrator. */
let admin: { token: string; userId: string; email: string };

beforeAll(async () => {
  mail = catchMail();
  platform = await startTestPlatform();
  admin = await register(platform, uniqueEmail('first'));
});
afterAll(async () => {
  mail.stop();
  await settleAndCloseAll(platform);
});

const SIGN_UP = /* GraphQL */ `
  mutation($input: RegisterInput!) {
    signUp(input: $input) {
      token refreshToken expiresAt refreshExpiresAt
      user { id email username platformRole termsAcceptedAt privacyAcceptedAt }
      organization { id name }
      apiKey { key signingSecret apiKey { id organizationId role scopes description } }
    }
  }
`;
const REFRESH = /* GraphQL */ `
  mutation($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { token refreshToken user { id } } }
`;
const WHO = '{ me { principalId user { id platformRole } } }';

async function signUp(input: Record<string, unknown> = {}) {
  const data = await ok(platform.graphql(SIGN_UP, { input: { email: uniqueEmail(), password: PASSWORD, ...input } }));
  return data.signUp;
}

describe('sign-up (seed 000 register)', () => {
  it('returns the user, a session with a refresh token, a first organization and its API key with the secret', async () => {
    const result = await signUp({ username: 'ada.l', termsAccepted: true, privacyAccepted: true, name: 'Ada' });
    expect(result.token).toMatch(/^trs_/);
    expect(result.refreshToken).toMatch(/^trf_/);
    expect(result.user).toMatchObject({ username: 'ada.l', platformRole: 'USER' });
    expect(Date.parse(result.user.termsAcceptedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(result.user.privacyAcceptedAt).toBe(result.user.termsAcceptedAt);
    expect(result.organization).toMatchObject({ name: "Ada's organization" });
    expect(result.apiKey.key).toMatch(/^trl_live_/);
    expect(result.apiKey.signingSecret).toMatch(/^trsk_/);
    expect(result.apiKey.apiKey).toMatchObject({
      organizationId: result.organization.id,
      role: 'OWNER',
      scopes: ['*'],
    });
    // The key works, and verify returns the same secret.
    const verified = await platform.rest('POST', '/v1/auth/verify', { headers: { 'x-api-key': result.apiKey.key } });
    expect(verified.status).toBe(200);
    expect(verified.body.data.signingSecret).toBe(result.apiKey.signingSecret);
  });

  it('refuses declined terms, a taken username and a malformed one, naming the field', async () => {
    const declined = await platform.graphql(SIGN_UP, {
      input: { email: uniqueEmail(), password: PASSWORD, termsAccepted: false },
    });
    expect(codeOf(declined)).toBe('validation_failed');
    expect(declined.body.errors[0].extensions.field).toBe('input.termsAccepted');
    await signUp({ username: 'Taken_Name' });
    const taken = await platform.graphql(SIGN_UP, {
      input: { email: uniqueEmail(), password: PASSWORD, username: 'taken_name' },
    });
    expect(codeOf(taken)).toBe('already_exists');
    expect(taken.body.errors[0].extensions.field).toBe('input.username');
    const malformed = await platform.graphql(SIGN_UP, {
      input: { email: uniqueEmail(), password: PASSWORD, username: 'a b' },
    });
    expect(malformed.body.errors[0].extensions).toMatchObject({ code: 'validation_failed', field: 'input.username' });
  });

  it('joins the organization of an invite code instead of creating one', async () => {
    const owner = await signUp();
    const email = uniqueEmail('invitee');
    const invited = await ok(
      platform.graphql(
        'mutation($input: CreateInvitationInput!) { createInvitation(input: $input) { token } }',
        { input: { orgId: owner.organization.id, email, role: 'ADMIN' } },
        { token: owner.token },
      ),
    );
    const wrongEmail = await platform.graphql(SIGN_UP, {
      input: { email: uniqueEmail(), password: PASSWORD, inviteCode: invited.createInvitation.token },
    });
    expect(wrongEmail.body.errors[0].extensions).toMatchObject({
      code: 'validation_failed',
      field: 'input.inviteCode',
    });
    const joined = await signUp({ email, inviteCode: invited.createInvitation.token });
    expect(joined.organization).toMatchObject({ id: owner.organization.id });
    expect(joined.apiKey.apiKey.role).toBe('ADMIN');
  });
});

describe('sign-up is one transaction', () => {
  it('a failure in the last step (minting the key) leaves no user, session, organization or event behind', async () => {
    const orgName = `Crash ${uniqueEmail('org').slice(0, 16)}`;
    const email = uniqueEmail('atomic');
    // The injected failure: PostgreSQL refuses the sign-up's key for this one organization name.
    await withDb(platform, (db) =>
      db.query(`
        create or replace function identity.test_fail_signup_key() returns trigger language plpgsql as $$
        begin
          if (select name from identity.organizations where id = new.org_id) = '${orgName}' then
            raise exception 'injected failure minting the sign-up key';
          end if;
          return new;
        end $$;
        create trigger test_fail_signup_key before insert on identity.api_keys
          for each row execute function identity.test_fail_signup_key();`),
    );
    try {
      const failed = await platform.graphql(SIGN_UP, {
        input: { email, password: PASSWORD, username: 'atomic.user', organizationName: orgName },
      });
      expect(codeOf(failed)).toBe('internal');
      const left = await withDb(platform, async (db) => {
        const count = async (sql: string, args: unknown[]) => Number((await db.query(sql, args)).rows[0].n);
        return {
          users: await count('select count(*) as n from identity.users where email = $1', [email]),
          usernames: await count("select count(*) as n from identity.users where username = 'atomic.user'", []),
          sessions: await count(
            'select count(*) as n from identity.sessions s join identity.users u on u.id = s.user_id where u.email = $1',
            [email],
          ),
          organizations: await count('select count(*) as n from identity.organizations where name = $1', [orgName]),
          events: await count("select count(*) as n from identity.outbox where data->>'name' = $1", [orgName]),
        };
      });
      expect(left).toEqual({ users: 0, usernames: 0, sessions: 0, organizations: 0, events: 0 });
    } finally {
      await withDb(platform, (db) =>
        db.query(
          'drop trigger if exists test_fail_signup_key on identity.api_keys; drop function if exists identity.test_fail_signup_key()',
        ),
      );
    }
    // Nothing half-made: the same email and username sign up again, whole.
    const again = await signUp({ email, username: 'atomic.user', organizationName: orgName });
    expect(again.organization.name).toBe(orgName);
    expect(again.apiKey.key).toMatch(/^trl_live_/);
  });
});

describe('refresh tokens', () => {
  it('rotate on every exchange, end the old session, and a reused one revokes the whole sign-in', async () => {
    const first = await signUp();
    const second = (await ok(platform.graphql(REFRESH, { refreshToken: first.refreshToken }))).refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await platform.graphql(WHO, {}, { token: first.token })).status).toBe(401);
    const third = (await ok(platform.graphql(REFRESH, { refreshToken: second.refreshToken }))).refreshSession;
    expect((await ok(platform.graphql(WHO, {}, { token: third.token }))).me.principalId).toBe(first.user.id);
    // An attacker replays the first (used) refresh token: refused, and the family's live session ends too.
    const replay = await platform.graphql(REFRESH, { refreshToken: first.refreshToken });
    expect(codeOf(replay)).toBe('unauthenticated');
    expect((await platform.graphql(WHO, {}, { token: third.token })).status).toBe(401);
    expect(codeOf(await platform.graphql(REFRESH, { refreshToken: third.refreshToken }))).toBe('unauthenticated');
    // Another sign-in of the same account is another family: untouched.
    const login = await ok(
      platform.graphql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token refreshToken } }', {
        e: first.user.email,
        p: PASSWORD,
      }),
    );
    expect((await platform.graphql(WHO, {}, { token: login.login.token })).status).toBe(200);
    expect(codeOf(await platform.graphql(REFRESH, { refreshToken: 'trf_nope' }))).toBe('unauthenticated');
  });

  it('is refused after logout of that session', async () => {
    const session = await signUp();
    await ok(platform.graphql('mutation { logout { revokedSessions } }', {}, { token: session.token }));
    expect(codeOf(await platform.graphql(REFRESH, { refreshToken: session.refreshToken }))).toBe('unauthenticated');
  });
});

describe('platform administrators', () => {
  const USERS = '{ users(limit: 200) { items { id email platformRole } nextCursor } }';

  it('the first account is one; others get 403 on users administration', async () => {
    expect((await ok(platform.graphql(WHO, {}, { token: admin.token }))).me.user.platformRole).toBe('ADMIN');
    const someone = await signUp();
    const refused = await platform.graphql(USERS, {}, { token: someone.token });
    expect(refused.body.errors[0].extensions).toMatchObject({
      code: 'forbidden',
      details: { required: 'platform_admin' },
    });
    const viaKey = await platform.graphql(USERS, {}, { headers: { 'x-api-key': someone.apiKey.key } });
    expect(codeOf(viaKey)).toBe('forbidden');
    const listed = await ok(platform.graphql(USERS, {}, { token: admin.token }));
    expect(listed.users.items.map((u: { id: string }) => u.id)).toContain(someone.user.id);
  });

  it('grants and withdraws the role with updateUser; the change applies to live sessions at once', async () => {
    const someone = await signUp();
    const UPDATE =
      'mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id username email platformRole } }';
    const granted = await ok(
      platform.graphql(
        UPDATE,
        { id: someone.user.id, input: { role: 'ADMIN', username: 'ops_1' } },
        { token: admin.token },
      ),
    );
    expect(granted.updateUser).toMatchObject({ platformRole: 'ADMIN', username: 'ops_1' });
    expect(
      (await platform.graphql('{ user(id: "usr_x") { id } }', {}, { token: someone.token })).body.data.user,
    ).toBeNull();
    await ok(platform.graphql(UPDATE, { id: someone.user.id, input: { role: 'USER' } }, { token: admin.token }));
    expect(codeOf(await platform.graphql('{ users { items { id } } }', {}, { token: someone.token }))).toBe(
      'forbidden',
    );
    const selfDemote = await platform.graphql(
      UPDATE,
      { id: admin.userId, input: { role: 'USER' } },
      { token: admin.token },
    );
    expect(codeOf(selfDemote)).toBe('conflict');
    const badEmail = await platform.graphql(
      UPDATE,
      { id: someone.user.id, input: { email: 'nope' } },
      { token: admin.token },
    );
    expect(badEmail.body.errors[0].extensions).toMatchObject({ code: 'validation_failed', field: 'input.email' });
  });
});

describe('trellis admin grant|revoke (the CLI)', () => {
  /** Runs `node bin/trellis.ts admin …` against this platform's database and bus. */
  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const { config } = platform.app.platform;
      execFile(
        process.execPath,
        ['bin/trellis.ts', 'admin', ...args],
        {
          cwd: path.resolve(import.meta.dirname, '../..'),
          timeout: 60_000,
          env: {
            PATH: process.env.PATH,
            NODE_ENV: 'test',
            DATABASE_URL: platform.databaseUrl,
            ...(config.redisUrl ? { REDIS_URL: config.redisUrl } : {}),
            TRELLIS_REDIS_PREFIX: config.redisPrefix,
            TRELLIS_LOG_LEVEL: 'silent',
          },
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  const USERS = '{ users(limit: 1) { items { id } } }';
  /** Polls the live session's answer: gateways drop the cached principal when the CLI's invalidation lands. */
  async function usersCode(token: string, want: string | undefined): Promise<string | undefined> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const code = codeOf(await platform.graphql(USERS, {}, { token }));
      if (code === want || Date.now() > deadline) return code;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  // Each CLI run is a fresh Node process (about a second alone, far more on a loaded CI machine).
  it('makes an account a platform administrator and back, live sessions included', { timeout: 120_000 }, async () => {
    const someone = await signUp();
    expect(await usersCode(someone.token, 'forbidden')).toBe('forbidden');

    const granted = await cli('grant', someone.user.email.toUpperCase());
    expect(granted, granted.stderr).toMatchObject({ code: 0 });
    expect(granted.stdout).toContain(`${someone.user.email} (${someone.user.id}) is now a platform administrator`);
    expect(await usersCode(someone.token, undefined)).toBeUndefined();
    expect((await ok(platform.graphql(WHO, {}, { token: someone.token }))).me.user.platformRole).toBe('ADMIN');

    const revoked = await cli('revoke', someone.user.email);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('is now not a platform administrator');
    expect(revoked.stdout).toMatch(/the installation has [1-9]\d* platform administrator\(s\)/);
    expect(await usersCode(someone.token, 'forbidden')).toBe('forbidden');

    const unknown = await cli('grant', 'nobody-here@example.com');
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('No account with the email nobody-here@example.com');
    const usage = await cli('promote', someone.user.email);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('trellis admin grant <email>');
  });
});

describe('erasure and export', () => {
  it('exports the account, then erases it: pseudonymised, signed out, keys revoked, user.erased per organization', async () => {
    const someone = await signUp({ username: 'leaving', name: 'Leaving User' });
    const partner = await signUp();
    // someone also belongs to partner's organization (as a member), so that one survives.
    const invite = await ok(
      platform.graphql(
        'mutation($input: CreateInvitationInput!) { createInvitation(input: $input) { token } }',
        { input: { orgId: partner.organization.id, email: someone.user.email } },
        { token: partner.token },
      ),
    );
    await ok(
      platform.graphql(
        'mutation($t: String!) { acceptInvitation(token: $t) { role } }',
        { t: invite.createInvitation.token },
        { token: someone.token },
      ),
    );
    const exported = (await ok(platform.graphql('{ myDataExport }', {}, { token: someone.token }))).myDataExport;
    // Over REST (GET /v1/me/export, beyond the contract) the same document, in the envelope.
    const overRest = await platform.rest('GET', '/v1/me/export', { token: someone.token });
    expect(overRest.status).toBe(200);
    expect({ ...overRest.body.data, exportedAt: undefined }).toEqual({ ...exported, exportedAt: undefined });
    // A person's export: an API key (even the user's own) is not that person.
    const byKey = await platform.rest('GET', '/v1/me/export', { headers: { 'x-api-key': someone.apiKey.key } });
    expect(byKey.status).toBe(403);
    expect((await platform.rest('GET', '/v1/me/export')).status).toBe(401);
    expect(exported.user).toMatchObject({ id: someone.user.id, email: someone.user.email, username: 'leaving' });
    expect(exported.memberships).toHaveLength(2);
    expect(exported.apiKeys[0]).toMatchObject({ id: someone.apiKey.apiKey.id });
    expect(JSON.stringify(exported)).not.toContain('token_hash');

    const erased = await ok(
      platform.graphql(
        'mutation { deleteMe { id erasedAt organizationIds deletedOrganizationIds } }',
        {},
        { token: someone.token },
      ),
    );
    expect(erased.deleteMe.organizationIds.sort()).toEqual([someone.organization.id, partner.organization.id].sort());
    expect(erased.deleteMe.deletedOrganizationIds).toEqual([someone.organization.id]);
    expect((await platform.graphql(WHO, {}, { token: someone.token })).status).toBe(401);
    expect((await platform.rest('GET', '/v1/me', { headers: { 'x-api-key': someone.apiKey.key } })).status).toBe(401);
    const login = await platform.graphql(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: someone.user.email, p: PASSWORD },
    );
    expect(codeOf(login)).toBe('unauthenticated');
    const row = await withDb(platform, async (db) => {
      const { rows } = await db.query(
        'select email, name, username, avatar_url, erased_at, password_hash from identity.users where id = $1',
        [someone.user.id],
      );
      return rows[0];
    });
    expect(row).toMatchObject({ email: `erased+${someone.user.id}@erased.invalid`, name: null, username: null });
    expect(row.erased_at).not.toBeNull();
    const events = (await identityEvents(platform)).filter(
      (e) => e.type === 'user.erased' && e.data.userId === someone.user.id,
    );
    expect(events.map((e) => e.org_id).sort()).toEqual([someone.organization.id, partner.organization.id].sort());
    // The email is free again.
    await signUp({ email: someone.user.email });
  });

  it('refuses the last owner of an organization with other members, and platform admins erasing themselves', async () => {
    const owner = await signUp();
    const member = await signUp();
    const invite = await ok(
      platform.graphql(
        'mutation($input: CreateInvitationInput!) { createInvitation(input: $input) { token } }',
        { input: { orgId: owner.organization.id, email: member.user.email } },
        { token: owner.token },
      ),
    );
    await ok(
      platform.graphql(
        'mutation($t: String!) { acceptInvitation(token: $t) { role } }',
        { t: invite.createInvitation.token },
        { token: member.token },
      ),
    );
    const lastOwner = await platform.graphql('mutation { deleteMe { id } }', {}, { token: owner.token });
    expect(lastOwner.body.errors[0].extensions).toMatchObject({
      code: 'conflict',
      details: { organizationId: owner.organization.id },
    });
    const selfAdmin = await platform.graphql('mutation { deleteMe { id } }', {}, { token: admin.token });
    expect(codeOf(selfAdmin)).toBe('forbidden');
    const byKey = await platform.graphql(
      'mutation { deleteMe { id } }',
      {},
      { headers: { 'x-api-key': owner.apiKey.key } },
    );
    expect(codeOf(byKey)).toBe('forbidden');
  });

  it('lets a platform administrator erase another user, never themselves', async () => {
    const target = await signUp();
    const DELETE = 'mutation($id: ID!) { deleteUser(id: $id) { id organizationIds } }';
    expect(codeOf(await platform.graphql(DELETE, { id: admin.userId }, { token: admin.token }))).toBe('forbidden');
    expect(codeOf(await platform.graphql(DELETE, { id: admin.userId }, { token: target.token }))).toBe('forbidden');
    const erased = await ok(platform.graphql(DELETE, { id: target.user.id }, { token: admin.token }));
    expect(erased.deleteUser.organizationIds).toEqual([target.organization.id]);
    expect(codeOf(await platform.graphql(DELETE, { id: target.user.id }, { token: admin.token }))).toBe('not_found');
  });
});

describe('teams', () => {
  it('update, roles, invitations by email (accepting joins the team) and delete', async () => {
    const owner = await signUp();
    const member = await signUp();
    const orgInvite = await ok(
      platform.graphql(
        'mutation($input: CreateInvitationInput!) { createInvitation(input: $input) { token } }',
        { input: { orgId: owner.organization.id, email: member.user.email } },
        { token: owner.token },
      ),
    );
    await ok(
      platform.graphql(
        'mutation($t: String!) { acceptInvitation(token: $t) { role } }',
        { t: orgInvite.createInvitation.token },
        { token: member.token },
      ),
    );
    const team = (
      await ok(
        platform.graphql(
          'mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }',
          { input: { orgId: owner.organization.id, name: 'Research' } },
          { token: owner.token },
        ),
      )
    ).createTeam;
    const updated = await ok(
      platform.graphql(
        'mutation($id: ID!, $input: UpdateTeamInput!) { updateTeam(id: $id, input: $input) { name description } }',
        { id: team.id, input: { name: 'Research & Dev', description: 'R&D' } },
        { token: owner.token },
      ),
    );
    expect(updated.updateTeam).toEqual({ name: 'Research & Dev', description: 'R&D' });
    await ok(
      platform.graphql(
        'mutation($t: ID!, $u: ID!) { addTeamMember(teamId: $t, userId: $u, role: ADMIN) { id } }',
        { t: team.id, u: member.user.id },
        { token: owner.token },
      ),
    );
    const email = uniqueEmail('team-invitee');
    const invited = await ok(
      platform.graphql(
        'mutation($id: ID!, $input: TeamInvitationInput!) { createTeamInvitation(teamId: $id, input: $input) { token invitation { teamId teamRole role } } }',
        { id: team.id, input: { email, role: 'OWNER' } },
        { token: owner.token },
      ),
    );
    expect(invited.createTeamInvitation.invitation).toEqual({ teamId: team.id, teamRole: 'OWNER', role: 'MEMBER' });
    const TEAM = '{ team(id: "ID") { members { userId role } invitations { email teamRole } } }';
    const before = await ok(platform.graphql(TEAM.replace('ID', team.id), {}, { token: owner.token }));
    expect(before.team.members).toEqual([{ userId: member.user.id, role: 'ADMIN' }]);
    expect(before.team.invitations).toEqual([{ email, teamRole: 'OWNER' }]);
    const joined = await signUp({ email, inviteCode: invited.createTeamInvitation.token });
    const after = await ok(platform.graphql(TEAM.replace('ID', team.id), {}, { token: owner.token }));
    expect(after.team.members).toContainEqual({ userId: joined.user.id, role: 'OWNER' });
    expect(after.team.invitations).toEqual([]);
    // A member (not admin) cannot delete it; an owner can.
    const memberOnly = await signUp();
    expect(
      codeOf(
        await platform.graphql(`mutation { deleteTeam(id: "${team.id}") { id } }`, {}, { token: memberOnly.token }),
      ),
    ).toBe('not_found');
    expect(
      codeOf(await platform.graphql(`mutation { deleteTeam(id: "${team.id}") { id } }`, {}, { token: joined.token })),
    ).toBe('forbidden');
    const deleted = await ok(
      platform.graphql(`mutation { deleteTeam(id: "${team.id}") { id organizationId } }`, {}, { token: owner.token }),
    );
    expect(deleted.deleteTeam).toEqual({ id: team.id, organizationId: owner.organization.id });
    expect(
      (await ok(platform.graphql(`{ team(id: "${team.id}") { id } }`, {}, { token: owner.token }))).team,
    ).toBeNull();
  });
});

describe('API keys (seed 004)', () => {
  const KEY = 'id name description scopes status expiresAt previousKeyExpiresAt';

  it('updates name, description, scopes, expiry and active flag', async () => {
    const owner = await signUp();
    const id = owner.apiKey.apiKey.id;
    const UPDATE = `mutation($id: ID!, $orgId: ID, $input: UpdateApiKeyInput!) { updateApiKey(id: $id, orgId: $orgId, input: $input) { ${KEY} } }`;
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const updated = await ok(
      platform.graphql(
        UPDATE,
        {
          id,
          orgId: owner.organization.id,
          input: { name: 'ci', description: 'CI runner', scopes: ['workflows:read'], expiresAt, active: false },
        },
        { token: owner.token },
      ),
    );
    expect(updated.updateApiKey).toMatchObject({
      name: 'ci',
      description: 'CI runner',
      scopes: ['workflows:read'],
      status: 'DISABLED',
      expiresAt,
    });
    expect((await platform.rest('GET', '/v1/me', { headers: { 'x-api-key': owner.apiKey.key } })).status).toBe(401);
    await ok(platform.graphql(UPDATE, { id, input: { active: true, expiresAt: null } }, { token: owner.token }));
    expect((await platform.rest('GET', '/v1/me', { headers: { 'x-api-key': owner.apiKey.key } })).status).toBe(200);
    const badScope = await platform.graphql(UPDATE, { id, input: { scopes: ['nope'] } }, { token: owner.token });
    expect(badScope.body.errors[0].extensions).toMatchObject({ code: 'validation_failed', field: 'input.scopes' });
    const other = await signUp();
    expect(codeOf(await platform.graphql(UPDATE, { id, input: { name: 'x' } }, { token: other.token }))).toBe(
      'not_found',
    );
    expect(
      codeOf(
        await platform.graphql(
          UPDATE,
          { id, orgId: owner.organization.id, input: { name: 'x' } },
          { token: other.token },
        ),
      ),
    ).toBe('org_mismatch');
  });

  it('rolls with a grace period: new key and secret now, the old key still valid until then', async () => {
    const owner = await signUp();
    const ROLL =
      'mutation($id: ID!, $g: Int) { rollApiKey(id: $id, graceHours: $g) { key signingSecret apiKey { previousKeyExpiresAt } } }';
    const rolled = (await ok(platform.graphql(ROLL, { id: owner.apiKey.apiKey.id, g: 2 }, { token: owner.token })))
      .rollApiKey;
    expect(rolled.key).not.toBe(owner.apiKey.key);
    expect(rolled.signingSecret).not.toBe(owner.apiKey.signingSecret);
    expect(Date.parse(rolled.apiKey.previousKeyExpiresAt)).toBeGreaterThan(Date.now() + 7_000_000);
    expect((await platform.rest('GET', '/v1/me', { headers: { 'x-api-key': owner.apiKey.key } })).status).toBe(200);
    expect((await platform.rest('GET', '/v1/me', { headers: { 'x-api-key': rolled.key } })).status).toBe(200);
    const now = (await ok(platform.graphql(ROLL, { id: owner.apiKey.apiKey.id, g: 0 }, { token: owner.token })))
      .rollApiKey;
    expect((await platform.rest('GET', '/v1/me', { headers: { 'x-api-key': rolled.key } })).status).toBe(401);
    expect((await platform.rest('GET', '/v1/me', { headers: { 'x-api-key': now.key } })).status).toBe(200);
    const tooLong = await platform.graphql(ROLL, { id: owner.apiKey.apiKey.id, g: 10_000 }, { token: owner.token });
    expect(tooLong.body.errors[0].extensions).toMatchObject({ code: 'validation_failed', field: 'graceHours' });
  });
});
