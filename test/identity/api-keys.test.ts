import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWellFormedApiKey } from '../../subgraphs/identity/credentials.ts';
import { startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { codeOf, createKey, identityEvents, KEY_FIELDS, ok, settleAndCloseAll, withDb } from './support.ts';

const ME = '{ me { principalId } }';

let platform: TestPlatform;
let owner: TestUser;
beforeAll(async () => {
  platform = await startTestPlatform();
  owner = await platform.signup('Keys Org');
});
afterAll(() => settleAndCloseAll(platform));

const status = async (key: string) => (await platform.graphql(ME, {}, { token: key })).status;
const change = (mutation: string, id: string, extra = '') =>
  ok(
    platform.graphql(
      `mutation($id: ID!) { ${mutation}(id: $id${extra}) { id status } }`,
      { id },
      { token: owner.token },
    ),
  );

describe('minting and reading keys', () => {
  it('returns the key and signing secret once; lists and gets never show them', async () => {
    const created = await ok(
      platform.graphql(
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key signingSecret apiKey { ${KEY_FIELDS} } } }`,
        { input: { orgId: owner.orgId, name: 'ci', scopes: ['workflows:read', 'members:*'] } },
        { token: owner.token },
      ),
    );
    const { key, signingSecret, apiKey } = created.createApiKey;
    expect(isWellFormedApiKey(key)).toBe(true);
    expect(key).toMatch(/^trl_live_[0-9A-Za-z]{49}$/);
    expect(signingSecret).toMatch(/^trsk_/);
    expect(apiKey).toMatchObject({
      status: 'ACTIVE',
      role: 'OWNER',
      scopes: ['workflows:read', 'members:*'],
      usageCount: 0,
    });
    expect(key.startsWith(apiKey.prefix)).toBe(true);

    const listed = await platform.rest('GET', `/v1/orgs/${owner.orgId}/api-keys`, { token: owner.token });
    const one = await platform.rest('GET', `/v1/api-keys/${apiKey.id}`, { token: owner.token });
    for (const response of [listed, one]) {
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).not.toContain(key);
      expect(JSON.stringify(response.body)).not.toContain(signingSecret);
    }
    expect(listed.body.data.items.some((k: { id: string }) => k.id === apiKey.id)).toBe(true);
  });

  it('validates scopes, expiry and workflow binding with the field at fault', async () => {
    const CREATE = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }';
    const bad = await platform.graphql(
      CREATE,
      { input: { orgId: owner.orgId, name: 'x', scopes: ['everything'] } },
      { token: owner.token },
    );
    expect(codeOf(bad)).toBe('validation_failed');
    expect(bad.body.errors[0].extensions.field).toBe('input.scopes');
    const past = await platform.graphql(
      CREATE,
      { input: { orgId: owner.orgId, name: 'x', expiresAt: '2020-01-01T00:00:00Z' } },
      { token: owner.token },
    );
    expect(past.body.errors[0].extensions.field).toBe('input.expiresAt');
  });

  it('enforces scopes, and a key never mints a key wider than itself', async () => {
    const reader = await createKey(platform, owner, { scopes: ['members:read', 'api_keys:write'] });
    const members = await platform.graphql(
      'query($id: ID!) { organization(id: $id) { members { items { userId } } } }',
      { id: owner.orgId },
      { token: reader.key },
    );
    expect(members.body.data.organization.members.items.length).toBe(1);
    const noScope = await platform.graphql(
      'mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }',
      { input: { orgId: owner.orgId, name: 'x' } },
      { token: reader.key },
    );
    expect(codeOf(noScope)).toBe('insufficient_scope');
    const wider = await platform.graphql(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
      { input: { orgId: owner.orgId, name: 'wide', scopes: ['*'] } },
      { token: reader.key },
    );
    expect(codeOf(wider)).toBe('insufficient_scope');
    const narrower = await platform.graphql(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { scopes } } }',
      { input: { orgId: owner.orgId, name: 'narrow', scopes: ['members:read'] } },
      { token: reader.key },
    );
    expect(narrower.body.data.createApiKey.apiKey.scopes).toEqual(['members:read']);
  });

  it('binds a key to one workflow: another X-Workflow-Id is 403, and the per-workflow listing finds it', async () => {
    const bound = await createKey(platform, owner, { workflowId: 'wf_01TESTWORKFLOW' });
    const other = await platform.graphql(
      ME,
      {},
      { token: bound.key, headers: { 'x-workflow-id': 'wf_01SOMETHINGELSE' } },
    );
    expect(other.status).toBe(403);
    expect(
      (await platform.graphql(ME, {}, { token: bound.key, headers: { 'x-workflow-id': 'wf_01TESTWORKFLOW' } })).status,
    ).toBe(200);
    const listed = await ok(
      platform.graphql(
        'query($o: ID!) { apiKeys(orgId: $o, workflowId: "wf_01TESTWORKFLOW") { items { id workflowId } } }',
        { o: owner.orgId },
        { token: owner.token },
      ),
    );
    expect(listed.apiKeys.items).toEqual([{ id: bound.id, workflowId: 'wf_01TESTWORKFLOW' }]);
  });
});

describe('REST listings and permission checks', () => {
  it('lists a workflow’s keys, and answers authz checks from the permission table', async () => {
    const workflow = await ok(
      platform.graphql(
        'mutation($o: ID!) { createWorkflow(orgId: $o, input: { name: "bound" }) { id } }',
        { o: owner.orgId },
        { token: owner.token },
      ),
    );
    const workflowId = workflow.createWorkflow.id;
    const bound = await createKey(platform, owner, { workflowId });
    const listed = await platform.rest('GET', `/v1/workflows/${workflowId}/api-keys`, { token: owner.token });
    expect(listed.status).toBe(200);
    expect(listed.body.data.items.map((k: { id: string }) => k.id)).toEqual([bound.id]);
    expect(
      (await platform.rest('GET', '/v1/workflows/wf_01NOSUCHWORKFLOW/api-keys', { token: owner.token })).status,
    ).toBe(404);

    const reader = await createKey(platform, owner, { scopes: ['members:read'] });
    const check = await platform.rest('POST', '/v1/authz/check', {
      token: reader.key,
      body: { permission: 'members:write' },
    });
    expect(check.body.data).toMatchObject({
      organizationId: owner.orgId,
      allowed: false,
      reason: 'insufficient_scope',
      requiredRole: 'admin',
      requiredScope: 'members:write',
    });
    const batch = await platform.rest('POST', '/v1/authz/check-batch', {
      token: owner.token,
      body: {
        checks: [
          { orgId: owner.orgId, permission: 'organizations:delete' },
          { organization_id: owner.orgId, action: 'teams:read' },
        ],
      },
    });
    expect(batch.body.data.map((d: { allowed: boolean }) => d.allowed)).toEqual([true, true]);
    const unknown = await platform.rest('POST', '/v1/authz/check', {
      token: owner.token,
      body: { orgId: owner.orgId, permission: 'root:everything' },
    });
    expect(unknown.status).toBe(422);
    const table = await ok(platform.graphql('{ permissionRules { permission role scope } }'));
    expect(table.permissionRules).toContainEqual({
      permission: 'organizations:delete',
      role: 'OWNER',
      scope: 'organizations:write',
    });
  });
});

describe('key lifecycle: every dead key is 401', () => {
  it('disabled (and re-enabled), revoked, expired', async () => {
    const key = await createKey(platform, owner);
    expect(await status(key.key)).toBe(200);
    await change('disableApiKey', key.id);
    expect(await status(key.key)).toBe(401);
    await change('enableApiKey', key.id);
    expect(await status(key.key)).toBe(200);
    const revoked = await platform.rest('DELETE', `/v1/api-keys/${key.id}`, { token: owner.token });
    expect(revoked.body.data.status).toBe('revoked');
    expect(await status(key.key)).toBe(401);
    expect(
      codeOf(
        await platform.graphql(
          'mutation($id: ID!) { enableApiKey(id: $id) { id } }',
          { id: key.id },
          { token: owner.token },
        ),
      ),
    ).toBe('conflict');

    const expiring = await createKey(platform, owner);
    await withDb(platform, (db) =>
      db.query(`update identity.api_keys set expires_at = now() - interval '1 second' where id = $1`, [expiring.id]),
    );
    expect(await status(expiring.key)).toBe(401);
    const got = await ok(
      platform.graphql('query($id: ID!) { apiKey(id: $id) { status } }', { id: expiring.id }, { token: owner.token }),
    );
    expect(got.apiKey.status).toBe('EXPIRED');

    const restDisabled = await createKey(platform, owner);
    expect(
      (await platform.rest('POST', `/v1/api-keys/${restDisabled.id}/disable`, { token: owner.token })).body.data.status,
    ).toBe('disabled');
    expect(await status(restDisabled.key)).toBe(401);
  });

  it('roll: a new key at once, the old one dead', async () => {
    const key = await createKey(platform, owner);
    expect(await status(key.key)).toBe(200);
    const rolled = await ok(
      platform.graphql(
        'mutation($id: ID!) { rollApiKey(id: $id) { key signingSecret apiKey { id prefix } } }',
        { id: key.id },
        { token: owner.token },
      ),
    );
    expect(rolled.rollApiKey.apiKey.id).toBe(key.id);
    expect(rolled.rollApiKey.key).not.toBe(key.key);
    expect(rolled.rollApiKey.signingSecret).not.toBe(key.signingSecret);
    expect(await status(key.key)).toBe(401);
    expect(await status(rolled.rollApiKey.key)).toBe(200);
  });

  it('rotate with grace: both keys work during graceHours; with no grace the old one dies', async () => {
    const key = await createKey(platform, owner);
    const rotated = await ok(
      platform.graphql(
        'mutation($id: ID!) { rotateApiKey(id: $id) { key apiKey { previousKeyExpiresAt } } }',
        { id: key.id },
        { token: owner.token },
      ),
    );
    const hours = (Date.parse(rotated.rotateApiKey.apiKey.previousKeyExpiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(await status(key.key)).toBe(200);
    expect(await status(rotated.rotateApiKey.key)).toBe(200);
    // Once the grace period is over the old key is dead.
    await withDb(platform, (db) =>
      db.query(`update identity.api_keys set previous_key_expires_at = now() - interval '1 second' where id = $1`, [
        key.id,
      ]),
    );
    const fresh = await createKey(platform, owner);
    const none = await ok(
      platform.graphql(
        'mutation($id: ID!) { rotateApiKey(id: $id, graceHours: 0) { key } }',
        { id: fresh.id },
        { token: owner.token },
      ),
    );
    expect(await status(fresh.key)).toBe(401);
    expect(await status(none.rotateApiKey.key)).toBe(200);
    const invalid = await platform.graphql(
      'mutation($id: ID!) { rotateApiKey(id: $id, graceHours: -1) { key } }',
      { id: fresh.id },
      { token: owner.token },
    );
    expect(invalid.body.errors[0].extensions.field).toBe('graceHours');
  });

  it('records api_key.* events with keyId and prefix and never the secret', async () => {
    const events = (await identityEvents(platform)).filter((e) => e.type.startsWith('api_key.'));
    const types = new Set(events.map((e) => e.type));
    for (const type of ['api_key.created', 'api_key.disabled', 'api_key.revoked', 'api_key.rolled', 'api_key.rotated'])
      expect(types.has(type), type).toBe(true);
    for (const event of events) {
      expect(event.data.keyId).toMatch(/^key_/);
      expect(event.data.prefix).toMatch(/^trl_(live|test)_/);
      expect(JSON.stringify(event.data)).not.toMatch(/trsk_|trl_live_[0-9A-Za-z]{40}/);
    }
  });
});

describe('usage', () => {
  it('counts requests per key and sets lastUsedAt in batches', async () => {
    const key = await createKey(platform, owner);
    for (let i = 0; i < 3; i++) expect(await status(key.key)).toBe(200);
    await platform.app.gateway.authenticator.flushUsage();
    const read = await ok(
      platform.graphql(
        'query($id: ID!) { apiKey(id: $id) { usageCount lastUsedAt usage(days: 1) { requests } } }',
        { id: key.id },
        { token: owner.token },
      ),
    );
    expect(read.apiKey.usageCount).toBe(3);
    expect(Date.now() - Date.parse(read.apiKey.lastUsedAt)).toBeLessThan(60_000);
    expect(read.apiKey.usage.reduce((n: number, d: { requests: number }) => n + d.requests, 0)).toBe(3);
  });
});

describe('a burst on a credential not yet cached', () => {
  /** How many times the gateway asked identity to resolve a credential (identity's operation counter). */
  const lookups = async () => {
    const identity = platform.app.subgraphs.find((s) => s.name === 'identity')?.url as string;
    const text = await (await fetch(new URL('/metrics', identity))).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith('trellis_graphql_operations_total{') && line.includes('"GatewayAuthenticate"'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  };

  it('asks identity once for concurrent requests; a key disabled after is refused at once', async () => {
    const key = await createKey(platform, owner, { scopes: ['workflows:read'] });
    const before = await lookups();
    const burst = await Promise.all(Array.from({ length: 20 }, () => status(key.key)));
    expect(burst.every((code) => code === 200)).toBe(true);
    expect((await lookups()) - before).toBe(1);

    // Disabled meanwhile: the requests after it do not join a lookup that started before it.
    await change('disableApiKey', key.id);
    const after = await Promise.all(Array.from({ length: 5 }, () => status(key.key)));
    expect(after.every((code) => code === 401)).toBe(true);
  });
});
