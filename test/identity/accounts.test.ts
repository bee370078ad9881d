import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../harness.ts';
import {
  catchMail,
  codeOf,
  createKey,
  ok,
  PASSWORD,
  register,
  settleAndCloseAll,
  uniqueEmail,
  withDb,
} from './support.ts';

const AUTH_LIMIT = 5;
let platform: TestPlatform;
let mail: ReturnType<typeof catchMail>;

beforeAll(async () => {
  mail = catchMail();
  platform = await startTestPlatform({ TRELLIS_RATE_LIMIT_AUTH_PER_15_MINUTES: String(AUTH_LIMIT) });
});
afterAll(async () => {
  mail.stop();
  await settleAndCloseAll(platform);
});

const LOGIN =
  'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id } } }';
const ME =
  '{ me { principalId kind user { id email name avatarUrl defaultOrganizationId } organizations { id } scopes } }';

describe('registration', () => {
  it('normalizes the email, hashes the password with argon2id and refuses a second account for it', async () => {
    const local = uniqueEmail('Mixed');
    const first = await platform.graphql(
      'mutation($input: RegisterInput!) { register(input: $input) { token user { email } } }',
      { input: { email: `  ${local.toUpperCase()} `, password: PASSWORD } },
    );
    expect(first.body.data.register.user.email).toBe(local.toLowerCase());
    expect(first.body.data.register.token).toMatch(/^trs_[0-9A-Za-z]{43}$/);
    const again = await platform.graphql('mutation($input: RegisterInput!) { register(input: $input) { token } }', {
      input: { email: local.toLowerCase(), password: PASSWORD },
    });
    expect(codeOf(again)).toBe('already_exists');
    expect(again.body.errors[0].extensions.field).toBe('input.email');
    const hash = await withDb(platform, async (db) => {
      const { rows } = await db.query('select password_hash from identity.users where email = $1', [
        local.toLowerCase(),
      ]);
      return rows[0].password_hash as string;
    });
    expect(hash.startsWith('$argon2id$')).toBe(true);
  });

  it('rejects a short password and a malformed email with the field at fault', async () => {
    const weak = await platform.graphql('mutation($input: RegisterInput!) { register(input: $input) { token } }', {
      input: { email: uniqueEmail(), password: 'short' },
    });
    expect(codeOf(weak)).toBe('validation_failed');
    expect(weak.body.errors[0].extensions.field).toBe('input.password');
    const bad = await platform.graphql('mutation($input: RegisterInput!) { register(input: $input) { token } }', {
      input: { email: 'not-an-email', password: PASSWORD },
    });
    expect(bad.body.errors[0].extensions.field).toBe('input.email');
  });
});

describe('sessions', () => {
  it('logs in, logs out this session only, then all sessions', async () => {
    const user = await register(platform);
    const second = (await ok(platform.graphql(LOGIN, { email: user.email, password: PASSWORD }))).login.token;
    const third = (await ok(platform.graphql(LOGIN, { email: user.email.toUpperCase(), password: PASSWORD }))).login
      .token;

    const out = await ok(platform.graphql('mutation { logout { revokedSessions } }', {}, { token: second }));
    expect(out.logout.revokedSessions).toBe(1);
    expect((await platform.graphql(ME, {}, { token: second })).status).toBe(401);
    expect((await platform.graphql(ME, {}, { token: third })).body.data.me.principalId).toBe(user.userId);

    const all = await ok(platform.graphql('mutation { logout(all: true) { revokedSessions } }', {}, { token: third }));
    expect(all.logout.revokedSessions).toBe(2);
    for (const token of [user.token, third]) expect((await platform.graphql(ME, {}, { token })).status).toBe(401);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const user = await register(platform);
    const wrong = await platform.graphql(LOGIN, { email: user.email, password: 'wrong password!' });
    const unknown = await platform.graphql(LOGIN, { email: uniqueEmail('nobody'), password: 'wrong password!' });
    expect(codeOf(wrong)).toBe('unauthenticated');
    expect(codeOf(unknown)).toBe('unauthenticated');
    expect(wrong.body.errors[0].message).toBe(unknown.body.errors[0].message);
  });

  it('stops a login brute force with 429 after the per IP + email limit, with Retry-After over REST', async () => {
    const user = await register(platform);
    for (let i = 0; i < AUTH_LIMIT; i++)
      expect(codeOf(await platform.graphql(LOGIN, { email: user.email, password: `guess number ${i}` }))).toBe(
        'unauthenticated',
      );
    const blocked = await platform.graphql(LOGIN, { email: user.email, password: PASSWORD });
    expect(codeOf(blocked)).toBe('rate_limited');
    expect(blocked.body.errors[0].extensions.retryAfter).toBeGreaterThan(0);
    expect(blocked.body.errors[0].extensions.rateLimit).toMatchObject({ limit: AUTH_LIMIT, remaining: 0 });
    const rest = await platform.rest('POST', '/v1/auth/login', { body: { email: user.email, password: PASSWORD } });
    expect(rest.status).toBe(429);
    expect(rest.body.error.code).toBe('rate_limited');
    expect(Number(rest.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(rest.headers.get('ratelimit-limit')).toBe(String(AUTH_LIMIT));
    expect(rest.headers.get('ratelimit-remaining')).toBe('0');
    // Another email from the same address is not affected.
    const other = await register(platform);
    expect(codeOf(await platform.graphql(LOGIN, { email: other.email, password: PASSWORD }))).toBeUndefined();
  });
});

describe('password reset', () => {
  it('always answers success, issues a single-use token and ends every session when it is used', async () => {
    const user = await register(platform);
    const before = mail.mails.length;
    const unknown = await ok(
      platform.graphql('mutation($e: String!) { forgotPassword(email: $e) }', { e: uniqueEmail('ghost') }),
    );
    expect(unknown.forgotPassword).toBe(true);
    expect(mail.mails.length).toBe(before);
    await ok(platform.graphql('mutation($e: String!) { forgotPassword(email: $e) }', { e: user.email }));
    const sent = mail.mails.at(-1);
    expect(sent).toMatchObject({ kind: 'password_reset', to: user.email });
    const token = sent?.token as string;
    expect(token).toMatch(/^trr_/);

    const reset = 'mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }';
    expect((await ok(platform.graphql(reset, { t: token, p: 'a brand new password' }))).resetPassword).toBe(true);
    expect(codeOf(await platform.graphql(reset, { t: token, p: 'yet another password' }))).toBe('unauthenticated');
    expect((await platform.graphql(ME, {}, { token: user.token })).status).toBe(401);
    expect(codeOf(await platform.graphql(LOGIN, { email: user.email, password: PASSWORD }))).toBe('unauthenticated');
    expect(
      (await ok(platform.graphql(LOGIN, { email: user.email, password: 'a brand new password' }))).login.user.id,
    ).toBe(user.userId);
  });
});

describe('me, profile and onboarding', () => {
  it('bootstraps a first organization exactly once', async () => {
    const user = await register(platform);
    const BOOT =
      'mutation($input: BootstrapInput) { bootstrapOnboarding(input: $input) { created organization { id name } user { onboardedAt defaultOrganizationId } } }';
    const first = await ok(platform.graphql(BOOT, { input: { orgName: 'Acme' } }, { token: user.token }));
    expect(first.bootstrapOnboarding.created).toBe(true);
    expect(first.bootstrapOnboarding.organization.name).toBe('Acme');
    const orgId = first.bootstrapOnboarding.organization.id;
    expect(first.bootstrapOnboarding.user.defaultOrganizationId).toBe(orgId);
    const again = await ok(platform.graphql(BOOT, { input: { orgName: 'Other' } }, { token: user.token }));
    expect(again.bootstrapOnboarding).toMatchObject({ created: false, organization: { id: orgId } });
    const me = await ok(platform.graphql(ME, {}, { token: user.token }));
    expect(me.me.organizations).toEqual([{ id: orgId }]);
  });

  it('lists organizations, teams and effective permissions, and updates the profile', async () => {
    const user = await platform.signup('Me Org');
    await ok(
      platform.graphql(
        'mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }',
        {
          input: { orgId: user.orgId, name: 'Platform' },
        },
        { token: user.token },
      ),
    );
    await ok(
      platform.graphql(
        'mutation($t: ID!, $u: ID!) { addTeamMember(teamId: $t, userId: $u) { id } }',
        {
          t: (
            await ok(
              platform.graphql(
                'query($id: ID!) { organization(id: $id) { teams { items { id } } } }',
                { id: user.orgId },
                { token: user.token },
              ),
            )
          ).organization.teams.items[0].id,
          u: user.userId,
        },
        { token: user.token },
      ),
    );
    const me = await ok(
      platform.graphql(
        '{ me { teams { name } memberships { organizationId role } permissions { organizationId role permissions } } }',
        {},
        { token: user.token },
      ),
    );
    expect(me.me.teams).toEqual([{ name: 'Platform' }]);
    expect(me.me.memberships).toEqual([{ organizationId: user.orgId, role: 'OWNER' }]);
    expect(me.me.permissions[0].permissions).toContain('organizations:delete');

    const updated = await ok(
      platform.graphql(
        'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { name avatarUrl defaultOrganizationId } }',
        { input: { name: 'Ada', avatarUrl: 'https://example.com/ada.png', defaultOrganizationId: user.orgId } },
        { token: user.token },
      ),
    );
    expect(updated.updateProfile).toEqual({
      name: 'Ada',
      avatarUrl: 'https://example.com/ada.png',
      defaultOrganizationId: user.orgId,
    });
    const stranger = await platform.signup('Stranger Org');
    const foreign = await platform.graphql(
      'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { name } }',
      { input: { defaultOrganizationId: stranger.orgId } },
      { token: user.token },
    );
    expect(codeOf(foreign)).toBe('org_mismatch');
  });

  it('describes an API key caller, with a read-only key limited to its scopes', async () => {
    const user = await platform.signup('Key Org');
    const key = await createKey(platform, user, { scopes: ['members:read', 'workflows:read'] });
    const me = await ok(
      platform.graphql(
        '{ me { kind principalId organizationId scopes permissions { permissions } } }',
        {},
        { token: key.key },
      ),
    );
    expect(me.me).toMatchObject({ kind: 'api_key', principalId: key.id, organizationId: user.orgId });
    expect(me.me.permissions[0].permissions.sort()).toEqual(['members:read', 'workflows:read']);
    const profile = await platform.graphql(
      'mutation { updateProfile(input: { name: "key" }) { name } }',
      {},
      { token: key.key },
    );
    expect(codeOf(profile)).toBe('forbidden');
  });

  it('serves the account routes over REST in the envelope', async () => {
    const email = uniqueEmail('rest');
    const registered = await platform.rest('POST', '/v1/auth/register', { body: { email, password: PASSWORD } });
    expect(registered.status).toBe(201);
    expect(registered.body.error).toBeNull();
    const token = registered.body.data.token;
    const login = await platform.rest('POST', '/v1/auth/login', { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    // REST register is seed 000's sign-up: it already made the first organization, so bootstrap finds it.
    const first = registered.body.data.organization;
    const boot = await platform.rest('POST', '/v1/onboarding/bootstrap', { token, body: { orgName: 'REST Org' } });
    expect(boot.body.data).toMatchObject({ created: false, organization: { id: first.id } });
    const me = await platform.rest('GET', '/v1/me', { token });
    expect(me.body.data.memberships[0].organizationId).toBe(first.id);
    const orgs = await platform.rest('GET', '/v1/me/organizations', { token });
    expect(orgs.body.data.map((o: { id: string }) => o.id)).toEqual([first.id]);
    const permissions = await platform.rest('GET', '/v1/me/permissions', { token });
    expect(permissions.body.data[0].permissions).toContain('api_keys:write');
    const profile = await platform.rest('PATCH', '/v1/me/profile', { token, body: { fullName: 'Grace' } });
    expect(profile.body.data.name).toBe('Grace');
    expect((await platform.rest('GET', '/v1/me/teams', { token })).body.data).toEqual([]);
    const oauth = await platform.rest('POST', '/v1/auth/oauth/register', { body: { provider: 'github', code: 'x' } });
    expect(oauth.status).toBe(503);
  });
});
