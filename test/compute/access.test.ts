/** SSH keys (sshpk fingerprints, duplicate 409), registry credentials (sealed, never returned), Telegram 503. */
import { generateKeyPairSync } from 'node:crypto';
import pg from 'pg';
import sshpk from 'sshpk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let key: string;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off' });
  user = await platform.signup('Access Org');
  key = (await platform.apiKey(user, ['vms:write'])).key;
}, 60_000);
afterAll(closeAll);

const publicKey = () =>
  sshpk
    .parseKey(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }), 'pem')
    .toString('ssh');

describe('SSH keys', () => {
  it('fingerprints with sshpk, refuses duplicates (409) and garbage (422), attaches to a VM', async () => {
    const text = `${publicKey()} ada@laptop`;
    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/ssh-keys/create`, {
      token: key,
      body: { name: 'laptop', publicKey: text },
    });
    expect(created.status).toBe(200);
    expect(created.body.data.fingerprint).toBe(sshpk.parseKey(text, 'ssh').fingerprint('sha256').toString());
    const duplicate = await platform.rest('POST', `/v1/orgs/${user.orgId}/ssh-keys/create`, {
      token: key,
      body: { name: 'again', publicKey: text },
    });
    expect(duplicate.status).toBe(409);
    const garbage = await platform.rest('POST', `/v1/orgs/${user.orgId}/ssh-keys/create`, {
      token: key,
      body: { name: 'bad', publicKey: 'ssh-rsa not-a-key' },
    });
    expect(garbage.status).toBe(422);
    expect(garbage.body.error.field).toBe('publicKey');

    const vm = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
      token: key,
      body: { name: 'with-keys', sshKeyIds: [created.body.data.id] },
    });
    expect(vm.status).toBe(200);
    const other = (
      await platform.rest('POST', `/v1/orgs/${user.orgId}/ssh-keys/create`, {
        token: key,
        body: { name: 'desktop', publicKey: publicKey() },
      })
    ).body.data;
    expect(
      (await platform.rest('POST', `/v1/vms/${vm.body.data.id}/ssh-keys`, { token: key, body: { sshKeyId: other.id } }))
        .status,
    ).toBe(204);
    const keys = await platform.rest('GET', `/v1/vms/${vm.body.data.id}/ssh-keys`, { token: key });
    expect(keys.body.data.attached.map((k: Json) => k.name).sort()).toEqual(['desktop', 'laptop']);
    expect(keys.body.data.available).toHaveLength(2);
    expect((await platform.rest('DELETE', `/v1/orgs/${user.orgId}/ssh-keys/${other.id}`, { token: key })).status).toBe(
      204,
    );
  });
});

describe('registry credentials', () => {
  it('are sealed at rest and never returned', async () => {
    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/registry-credentials/create`, {
      token: key,
      body: {
        name: 'ghcr',
        server: 'ghcr.io',
        authType: 'basic',
        credentials: { username: 'ada', password: 's3cret-pw' },
      },
    });
    expect(created.status).toBe(200);
    expect(JSON.stringify(created.body)).not.toContain('s3cret-pw');
    const listed = await platform.rest('GET', `/v1/orgs/${user.orgId}/registry-credentials`, { token: key });
    expect(listed.body.data).toEqual([expect.objectContaining({ name: 'ghcr', server: 'ghcr.io', authType: 'basic' })]);
    expect(JSON.stringify(listed.body)).not.toContain('s3cret-pw');
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const stored = await db.query('select sealed_credentials from compute.registry_credentials');
    await db.end();
    expect(stored.rows[0].sealed_credentials).toMatch(/^v1\./);
    expect(stored.rows[0].sealed_credentials).not.toContain('s3cret');
    const missing = await platform.rest('POST', `/v1/orgs/${user.orgId}/registry-credentials/create`, {
      token: key,
      body: { name: 'x', server: 'ghcr.io', authType: 'basic', credentials: { username: 'ada' } },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error.field).toBe('credentials.password');
    const vm = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
      token: key,
      body: { name: 'private-image', imageUrl: 'ghcr.io/ada/private:1', registryCredentialId: created.body.data.id },
    });
    expect(vm.body.data.registryCredentialId).toBe(created.body.data.id);
  });
});

describe('Telegram link', () => {
  it('is 503 telegram_not_configured without a bot', async () => {
    const vm = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, { token: key, body: { name: 'tg' } });
    const link = await platform.rest('GET', `/v1/vms/${vm.body.data.id}/telegram-link`, { token: key });
    expect(link.status).toBe(503);
    expect(link.body.error.code).toBe('telegram_not_configured');
  });
});
