/**
 * Erasure across subgraphs: `DELETE /v1/me` erases the user in identity and emits `user.erased` per
 * organization; governance (notification settings deleted, alert channels no longer name the user)
 * and events (actor, user subject and data.userId pseudonymised as `usr_erased`) scrub their own
 * copies through their durable consumers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { startTestPlatform, type TestPlatform } from '../harness.ts';
import { PASSWORD, settleAndCloseAll, uniqueEmail, withDb } from './support.ts';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => settleAndCloseAll(platform));

async function register(email = uniqueEmail('erase')) {
  const response = await platform.rest('POST', '/v1/auth/register', { body: { email, password: PASSWORD } });
  expect(response.status).toBe(201);
  return { token: response.body.data.token as string, userId: response.body.data.user.id as string, email };
}

describe('DELETE /v1/me across subgraphs', () => {
  it('scrubs identity, governance and events data of the erased user', { timeout: 150_000 }, async () => {
    await register(); // the installation's first account (platform administrator) is someone else
    const owner = await register();
    const ownerOrg = (await platform.rest('GET', '/v1/me', { token: owner.token })).body.data.memberships[0]
      .organizationId as string;
    const leaving = await register();
    const invite = await platform.rest('POST', `/v1/orgs/${ownerOrg}/invites`, {
      token: owner.token,
      body: { email: leaving.email, role: 'admin' },
    });
    await platform.rest('POST', `/v1/invites/${invite.body.data.token}/accept`, { token: leaving.token, body: {} });
    const settings = await platform.rest('PATCH', `/v1/orgs/${ownerOrg}/notification-settings`, {
      token: leaving.token,
      body: { emailEnabled: false },
    });
    expect(settings.status).toBe(200);
    const channel = await platform.rest('POST', `/v1/orgs/${ownerOrg}/alert-channels`, {
      token: leaving.token,
      body: { kind: 'email', target: 'erasure-ops@example.com', name: 'mine' },
    });
    expect(channel.status).toBe(201);

    const erased = await platform.rest('DELETE', '/v1/me', { token: leaving.token });
    expect(erased.status).toBe(200);
    expect(erased.body.data.organizationIds).toContain(ownerOrg);

    const state = () =>
      withDb(platform, async (db) => {
        const one = async (sql: string) => Number((await db.query(sql, [leaving.userId])).rows[0].n);
        return {
          identityEmail: (await db.query('select email from identity.users where id = $1', [leaving.userId])).rows[0]
            .email as string,
          memberships: await one('select count(*)::int as n from identity.memberships where user_id = $1'),
          settings: await one('select count(*)::int as n from governance.notification_settings where user_id = $1'),
          channels: await one('select count(*)::int as n from governance.alert_channels where created_by = $1'),
          events: await one(
            `select count(*)::int as n from events.event_log
              where type <> 'user.erased'
                and (actor_id = $1 or (subject_type = 'user' and subject_id = $1) or data->>'userId' = $1)`,
          ),
          pseudonymised: Number(
            (await db.query(`select count(*)::int as n from events.event_log where actor_id = 'usr_erased'`)).rows[0].n,
          ),
        };
      });
    const after = await eventually(async () => {
      const s = await state();
      return s.settings === 0 && s.channels === 0 && s.events === 0 ? s : undefined;
    }, 90_000);
    const deliveries = await withDb(
      platform,
      async (db) =>
        (
          await db.query(
            `select consumer, status, attempts, last_error from events.consumer_deliveries where event_type = 'user.erased'`,
          )
        ).rows,
    );
    expect(deliveries.length, JSON.stringify(deliveries)).toBeGreaterThan(0);
    expect(after, JSON.stringify(deliveries)).toMatchObject({
      identityEmail: `erased+${leaving.userId}@erased.invalid`,
      memberships: 0,
      settings: 0,
      channels: 0,
      events: 0,
    });
    expect(after.pseudonymised).toBeGreaterThan(0);
    // The channel itself stays: it belongs to the organization.
    const channels = await platform.rest('GET', `/v1/orgs/${ownerOrg}/alert-channels`, { token: owner.token });
    expect(JSON.stringify(channels.body.data)).toContain('erasure-ops@example.com');
  });
});
