/**
 * Identity's seed 000/004 routes over REST, with the seeds' own bodies replayed literally (snake_case
 * where seed 004 documents it): register, verify, refresh, logout, forgot/reset password, DELETE /v1/me,
 * users administration, teams, org invitations, API-key PATCH and roll. Each: success, no credential
 * (401), a caller without the right (403/404), and a bad value (422 naming the field).
 * (The cross-tenant matrix covers other organizations' objects for every route.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResult, TestPlatform } from '../harness.ts';
import { startTestPlatform } from '../harness.ts';
import { catchMail, PASSWORD, settleAndCloseAll, uniqueEmail } from './support.ts';

let platform: TestPlatform;
let mail: ReturnType<typeof catchMail>;

interface Account {
  token: string;
  refreshToken: string;
  userId: string;
  email: string;
  orgId: string;
  key: string;
  keyId: string;
  secret: string;
}

/** Seed 004's register body, literally. */
async function register(extra: Record<string, unknown> = {}): Promise<Account> {
  const email = uniqueEmail('rest');
  const response = await platform.rest('POST', '/v1/auth/register', {
    body: {
      username: `u${Math.random().toString(36).slice(2, 10)}`,
      email,
      password: PASSWORD,
      terms_accepted: true,
      privacy_accepted: true,
      ...extra,
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  const data = response.body.data;
  return {
    token: data.token,
    refreshToken: data.refreshToken,
    userId: data.user.id,
    email,
    orgId: data.organization.id,
    key: data.apiKey.key,
    keyId: data.apiKey.apiKey.id,
    secret: data.apiKey.signingSecret,
  };
}

const err = (response: HttpResult) => ({ status: response.status, ...response.body?.error });
/** An enum value in either spelling: REST lowercases enums once the adapter's generic rule lands (issue #9 item 2). */
const anyCase = (value: string) => expect.stringMatching(new RegExp(`^${value}$`, 'i'));

let admin: Account;

beforeAll(async () => {
  mail = catchMail();
  platform = await startTestPlatform();
  admin = await register(); // the installation's first account: its platform administrator
});
afterAll(async () => {
  mail.stop();
  await settleAndCloseAll(platform);
});

describe('POST /v1/auth/register and /v1/auth/verify (seed 000 SDK init)', () => {
  it('registers with seed 004 snake_case fields and verify returns the same secret for the key', async () => {
    const account = await register({ invite_code: undefined });
    expect(account.key).toMatch(/^trl_live_/);
    const verify = await platform.rest('POST', '/v1/auth/verify', { headers: { 'x-api-key': account.key } });
    expect(verify.status).toBe(200);
    expect(verify.body.data).toMatchObject({ valid: true, keyId: account.keyId, organizationId: account.orgId });
    expect(verify.body.data.signingSecret).toBe(account.secret);
    expect(err(await platform.rest('POST', '/v1/auth/verify'))).toMatchObject({ status: 401 });
  });

  it('answers 422 naming the field for declined terms, 409 for a taken email', async () => {
    const declined = await platform.rest('POST', '/v1/auth/register', {
      body: { email: uniqueEmail(), password: PASSWORD, terms_accepted: false, privacy_accepted: true },
    });
    // Named as this seed-004 client spelled it.
    expect(err(declined)).toMatchObject({ status: 422, code: 'validation_failed', field: 'terms_accepted' });
    const taken = await platform.rest('POST', '/v1/auth/register', {
      body: { email: admin.email, password: PASSWORD },
    });
    expect(err(taken)).toMatchObject({ status: 409, code: 'already_exists', field: 'email' });
  });
});

describe('refresh and logout', () => {
  it('POST /v1/auth/refresh rotates; replaying the used token revokes the sign-in', async () => {
    const account = await register();
    const first = await platform.rest('POST', '/v1/auth/refresh', { body: { refresh_token: account.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.data.refreshToken).not.toBe(account.refreshToken);
    const replay = await platform.rest('POST', '/v1/auth/refresh', { body: { refresh_token: account.refreshToken } });
    expect(err(replay)).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect((await platform.rest('GET', '/v1/me', { token: first.body.data.token })).status).toBe(401);
    const missing = await platform.rest('POST', '/v1/auth/refresh', { body: {} });
    expect(err(missing)).toMatchObject({ status: 422, field: 'refreshToken' });
  });

  it('POST /v1/auth/logout ends this session, or every one with all_devices', async () => {
    const account = await register();
    const second = await platform.rest('POST', '/v1/auth/login', {
      body: { email: account.email, password: PASSWORD },
    });
    expect(second.body.data.refreshToken).toMatch(/^trf_/);
    const one = await platform.rest('POST', '/v1/auth/logout', { token: account.token, body: {} });
    expect(one.body.data).toEqual({ revokedSessions: 1 });
    expect((await platform.rest('GET', '/v1/me', { token: account.token })).status).toBe(401);
    expect((await platform.rest('GET', '/v1/me', { token: second.body.data.token })).status).toBe(200);
    const third = await platform.rest('POST', '/v1/auth/login', { body: { email: account.email, password: PASSWORD } });
    const all = await platform.rest('POST', '/v1/auth/logout', {
      token: third.body.data.token,
      body: { all_devices: true },
    });
    expect(all.body.data).toEqual({ revokedSessions: 2 });
    expect((await platform.rest('GET', '/v1/me', { token: second.body.data.token })).status).toBe(401);
    expect(err(await platform.rest('POST', '/v1/auth/logout', { body: {} }))).toMatchObject({ status: 401 });
    const bad = await platform.rest('POST', '/v1/auth/logout', { token: admin.token, body: { all_devices: 'yes' } });
    expect(err(bad)).toMatchObject({ status: 422 });
  });
});

describe('forgot and reset password', () => {
  it('always answers success, and the emailed token sets a new password', async () => {
    const account = await register();
    const unknown = await platform.rest('POST', '/v1/auth/forgot-password', { body: { email: uniqueEmail() } });
    expect(unknown.body.data).toEqual({ success: true });
    const known = await platform.rest('POST', '/v1/auth/forgot-password', { body: { email: account.email } });
    expect(known.body.data).toEqual({ success: true });
    const token = mail.mails.filter((m) => m.kind === 'password_reset' && m.to === account.email).at(-1)?.token;
    expect(token).toMatch(/^trr_/);
    const weak = await platform.rest('POST', '/v1/auth/reset-password', { body: { token, password: 'short' } });
    expect(err(weak)).toMatchObject({ status: 422, field: 'password' });
    const reset = await platform.rest('POST', '/v1/auth/reset-password', {
      body: { token, password: 'a brand new password' },
    });
    expect(reset.body.data).toEqual({ success: true });
    const again = await platform.rest('POST', '/v1/auth/reset-password', {
      body: { token, password: 'a brand new password' },
    });
    expect(err(again)).toMatchObject({ status: 401 });
    const login = await platform.rest('POST', '/v1/auth/login', {
      body: { email: account.email, password: 'a brand new password' },
    });
    expect(login.status).toBe(200);
    expect(err(await platform.rest('POST', '/v1/auth/forgot-password', { body: {} }))).toMatchObject({
      status: 422,
      field: 'email',
    });
  });
});

describe('DELETE /v1/me', () => {
  it('erases the caller; 401 without credentials; 403 for a platform admin or an API key', async () => {
    const account = await register();
    expect(err(await platform.rest('DELETE', '/v1/me', { headers: { 'x-api-key': account.key } }))).toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    const erased = await platform.rest('DELETE', '/v1/me', { token: account.token });
    expect(erased.status).toBe(200);
    expect(erased.body.data).toMatchObject({ id: account.userId, deletedOrganizationIds: [account.orgId] });
    expect((await platform.rest('GET', '/v1/me', { token: account.token })).status).toBe(401);
    expect(err(await platform.rest('DELETE', '/v1/me'))).toMatchObject({ status: 401 });
    expect(err(await platform.rest('DELETE', '/v1/me', { token: admin.token }))).toMatchObject({
      status: 403,
      code: 'forbidden',
    });
  });
});

describe('users administration', () => {
  it('GET, PATCH and DELETE /v1/users* for platform admins; 403 for others; 422 naming the field', async () => {
    const someone = await register();
    const list = await platform.rest('GET', `/v1/users?search=${encodeURIComponent(someone.email)}`, {
      token: admin.token,
    });
    expect(list.status).toBe(200);
    expect(list.body.data.items).toEqual([
      expect.objectContaining({ id: someone.userId, platformRole: anyCase('user') }),
    ]);
    const one = await platform.rest('GET', `/v1/users/${someone.userId}`, { token: admin.token });
    expect(one.body.data).toMatchObject({ id: someone.userId, email: someone.email });
    expect(
      err(await platform.rest('GET', '/v1/users/usr_00000000000000000000000000', { token: admin.token })),
    ).toMatchObject({ status: 404 });
    for (const [method, path] of [
      ['GET', '/v1/users'],
      ['GET', `/v1/users/${admin.userId}`],
      ['PATCH', `/v1/users/${admin.userId}`],
      ['DELETE', `/v1/users/${admin.userId}`],
    ] as const) {
      const body = method === 'PATCH' ? { username: 'x_y_z' } : undefined;
      expect(err(await platform.rest(method, path, { token: someone.token, body }))).toMatchObject({
        status: 403,
        code: 'forbidden',
      });
      expect(err(await platform.rest(method, path, { body }))).toMatchObject({ status: 401 });
    }
    const patched = await platform.rest('PATCH', `/v1/users/${someone.userId}`, {
      token: admin.token,
      body: { username: 'renamed_user', role: 'admin' },
    });
    expect(patched.body.data).toMatchObject({ username: 'renamed_user', platformRole: anyCase('admin') });
    expect((await platform.rest('GET', '/v1/users', { token: someone.token })).status).toBe(200);
    const badRole = await platform.rest('PATCH', `/v1/users/${someone.userId}`, {
      token: admin.token,
      body: { role: 'editor' },
    });
    expect(err(badRole)).toMatchObject({ status: 422, field: 'role' });
    const unknownField = await platform.rest('PATCH', `/v1/users/${someone.userId}`, {
      token: admin.token,
      body: { colour: 'red' },
    });
    expect(err(unknownField)).toMatchObject({ status: 422, field: 'colour' });
    expect(err(await platform.rest('DELETE', `/v1/users/${admin.userId}`, { token: admin.token }))).toMatchObject({
      status: 403,
    });
    const deleted = await platform.rest('DELETE', `/v1/users/${someone.userId}`, { token: admin.token });
    expect(deleted.body.data).toMatchObject({ id: someone.userId });
  });
});

describe('teams', () => {
  it('PATCH, members, invites and DELETE /v1/teams/{id}', async () => {
    const owner = await register();
    const member = await register();
    const invite = await platform.rest('POST', `/v1/orgs/${owner.orgId}/invites`, {
      token: owner.token,
      body: { email: member.email, role: 'member' },
    });
    await platform.rest('POST', `/v1/invites/${invite.body.data.token}/accept`, { token: member.token, body: {} });
    const team = await platform.rest('POST', '/v1/teams', {
      token: owner.token,
      body: { orgId: owner.orgId, name: 'Platform' },
    });
    const teamId = team.body.data.id;
    const patched = await platform.rest('PATCH', `/v1/teams/${teamId}`, {
      token: owner.token,
      body: { name: 'Platform team', description: 'Keeps the lights on' },
    });
    expect(patched.body.data).toMatchObject({ name: 'Platform team', description: 'Keeps the lights on' });
    expect(
      err(await platform.rest('PATCH', `/v1/teams/${teamId}`, { token: owner.token, body: { name: '' } })),
    ).toMatchObject({ status: 422, field: 'name' });
    const added = await platform.rest('POST', `/v1/teams/${teamId}/members`, {
      token: owner.token,
      body: { user_id: member.userId, role: 'admin' },
    });
    expect(added.status).toBe(201);
    const members = await platform.rest('GET', `/v1/teams/${teamId}/members`, { token: member.token });
    expect(members.body.data).toEqual([expect.objectContaining({ userId: member.userId, role: anyCase('admin') })]);
    expect(
      err(await platform.rest('POST', `/v1/teams/${teamId}/members`, { token: owner.token, body: { role: 'admin' } })),
    ).toMatchObject({ status: 422, field: 'userId' });
    expect(
      err(
        await platform.rest('POST', `/v1/teams/${teamId}/members`, {
          token: member.token,
          body: { user_id: owner.userId },
        }),
      ),
    ).toMatchObject({ status: 403 });
    const email = uniqueEmail('team');
    const invited = await platform.rest('POST', `/v1/teams/${teamId}/invites`, {
      token: owner.token,
      body: { email, role: 'member' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body.data.token).toMatch(/^tri_/);
    const pending = await platform.rest('GET', `/v1/teams/${teamId}/invites`, { token: owner.token });
    expect(pending.body.data).toEqual([expect.objectContaining({ email, teamId, teamRole: anyCase('member') })]);
    expect(
      err(await platform.rest('POST', `/v1/teams/${teamId}/invites`, { token: owner.token, body: { email: 'nope' } })),
    ).toMatchObject({ status: 422, field: 'email' });
    expect(err(await platform.rest('GET', `/v1/teams/${teamId}/invites`))).toMatchObject({ status: 401 });
    expect(err(await platform.rest('DELETE', `/v1/teams/${teamId}`, { token: member.token }))).toMatchObject({
      status: 403,
    });
    const deleted = await platform.rest('DELETE', `/v1/teams/${teamId}`, { token: owner.token });
    expect(deleted.body.data).toEqual({ id: teamId, organizationId: owner.orgId });
    expect(err(await platform.rest('GET', `/v1/teams/${teamId}/members`, { token: owner.token }))).toMatchObject({
      status: 404,
    });
  });
});

describe('organization invites and API keys', () => {
  it('GET /v1/orgs/{orgId}/invites lists pending invites', async () => {
    const owner = await register();
    const email = uniqueEmail('pending');
    await platform.rest('POST', `/v1/orgs/${owner.orgId}/invites`, { token: owner.token, body: { email } });
    const list = await platform.rest('GET', `/v1/orgs/${owner.orgId}/invites`, { token: owner.token });
    expect(list.body.data.items).toEqual([expect.objectContaining({ email, status: anyCase('pending') })]);
    const accepted = await platform.rest('GET', `/v1/orgs/${owner.orgId}/invites?status=accepted`, {
      token: owner.token,
    });
    expect(accepted.body.data.items).toEqual([]);
    expect(
      err(await platform.rest('GET', `/v1/orgs/${owner.orgId}/invites?status=lost`, { token: owner.token })),
    ).toMatchObject({ field: 'status' });
    expect(err(await platform.rest('GET', `/v1/orgs/${owner.orgId}/invites`))).toMatchObject({ status: 401 });
  });

  it('PATCH /v1/orgs/{orgId}/api-keys/{id} and POST …/roll with grace_hours', async () => {
    const owner = await register();
    const path = `/v1/orgs/${owner.orgId}/api-keys/${owner.keyId}`;
    const patched = await platform.rest('PATCH', path, {
      token: owner.token,
      body: { name: 'renamed', description: 'for CI', scopes: ['workflows:read'], expires_at: '2099-01-01T00:00:00Z' },
    });
    expect(patched.body.data).toMatchObject({
      name: 'renamed',
      description: 'for CI',
      scopes: ['workflows:read'],
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
    expect(err(await platform.rest('PATCH', path, { token: owner.token, body: { expires_at: 'soon' } }))).toMatchObject(
      {
        status: 422,
        field: 'expires_at',
      },
    );
    expect(err(await platform.rest('PATCH', path, { body: { name: 'x' } }))).toMatchObject({ status: 401 });
    const rolled = await platform.rest('POST', `${path}/roll`, { token: owner.token, body: { grace_hours: 1 } });
    expect(rolled.status).toBe(200);
    expect(rolled.body.data.key).not.toBe(owner.key);
    expect((await platform.rest('GET', '/v1/me', { headers: { 'x-api-key': owner.key } })).status).toBe(200);
    expect((await platform.rest('GET', '/v1/me', { headers: { 'x-api-key': rolled.body.data.key } })).status).toBe(200);
    expect(
      err(await platform.rest('POST', `${path}/roll`, { token: owner.token, body: { grace_hours: -1 } })),
    ).toMatchObject({ status: 422, field: 'grace_hours' });
  });
});
