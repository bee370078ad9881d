/**
 * The credentials vault (seed 004) and assets (seed 001) over REST: values sealed at rest and bound to
 * their row, listed without values, revealed only with `credentials:reveal` and audited; assets
 * streamed through a size limit into the filesystem driver, downloaded byte for byte, org-scoped.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let owner: TestUser;
let other: TestUser;
const MAX_BYTES = 64 * 1024;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off', TRELLIS_ASSET_MAX_BYTES: String(MAX_BYTES) });
  owner = await platform.signup('Vault Org');
  other = await platform.signup('Other Org');
}, 60_000);
afterAll(closeAll);

const credentials = (orgId = owner.orgId) => `/v1/orgs/${orgId}/credentials`;

async function query(sql: string, params: unknown[] = []) {
  const db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  try {
    return (await db.query(sql, params)).rows;
  } finally {
    await db.end();
  }
}

/** The organization's events of `types`, once the outbox relay delivered `count` of them. */
async function eventsOf(types: string[], count: number): Promise<Json[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const result = await platform.graphql(
      'query($orgId: ID!, $types: [String!]) { events(orgId: $orgId, filter: { types: $types }, order: OLDEST_FIRST) { items { type data actor { type id } } } }',
      { orgId: owner.orgId, types },
      { token: owner.token },
    );
    const items = (result.body.data?.events?.items ?? []) as Json[];
    if (items.length >= count || Date.now() > deadline) return items;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('credentials vault', () => {
  it('seals values, lists names only, reveals with its own scope and audits every read', async () => {
    const writer = (await platform.apiKey(owner, ['credentials:write'])).key;
    const created = await platform.rest('POST', credentials(), {
      token: writer,
      body: { key: 'OPENAI_API_KEY', value: 'sk-very-secret', description: 'team key' },
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ key: 'OPENAI_API_KEY', description: 'team key' });
    expect(JSON.stringify(created.body)).not.toContain('sk-very-secret');

    const listed = await platform.rest('GET', credentials(), { token: writer });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ key: 'OPENAI_API_KEY' })]);
    expect(JSON.stringify(listed.body)).not.toContain('sk-very-secret');

    const [row] = await query('select sealed_value from compute.vault_credentials');
    expect(row.sealed_value).toMatch(/^v1\./);
    expect(row.sealed_value).not.toContain('sk-very');

    // Writing does not imply reading values: that is its own scope.
    const denied = await platform.rest('GET', `${credentials()}/OPENAI_API_KEY`, { token: writer });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('insufficient_scope');

    const reader = (await platform.apiKey(owner, ['credentials:reveal'])).key;
    const revealed = await platform.rest('GET', `${credentials()}/OPENAI_API_KEY`, { token: reader });
    expect(revealed.status).toBe(200);
    expect(revealed.body.data).toMatchObject({ key: 'OPENAI_API_KEY', value: 'sk-very-secret' });

    const updated = await platform.rest('POST', credentials(), {
      token: writer,
      body: { key: 'OPENAI_API_KEY', value: 'sk-rotated' },
    });
    expect(updated.status).toBe(201);
    expect((await platform.rest('GET', `${credentials()}/OPENAI_API_KEY`, { token: reader })).body.data.value).toBe(
      'sk-rotated',
    );

    const audit = await eventsOf(['credential.*'], 4);
    expect(audit.map((e) => e.type)).toEqual([
      'credential.created',
      'credential.revealed',
      'credential.updated',
      'credential.revealed',
    ]);
    expect(JSON.stringify(audit)).not.toContain('sk-');
    expect(audit[1]?.actor).toMatchObject({ type: 'api_key' });

    const deleted = await platform.rest('DELETE', `${credentials()}/OPENAI_API_KEY`, { token: writer });
    expect(deleted.status).toBe(200);
    expect(deleted.body.data).toEqual({ deleted: true });
    const gone = await platform.rest('DELETE', `${credentials()}/OPENAI_API_KEY`, { token: writer });
    expect(gone.status).toBe(404);
    expect((await platform.rest('GET', `${credentials()}/OPENAI_API_KEY`, { token: reader })).status).toBe(404);
  });

  it('refuses bad keys and values in the client’s terms, and other organizations’ vaults', async () => {
    const bad = await platform.rest('POST', credentials(), {
      token: owner.token,
      body: { key: '1 not a name', value: 'x' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('key');
    const empty = await platform.rest('POST', credentials(), { token: owner.token, body: { key: 'EMPTY', value: '' } });
    expect(empty.status).toBe(422);
    expect(empty.body.error.field).toBe('value');
    const huge = await platform.rest('POST', credentials(), {
      token: owner.token,
      body: { key: 'HUGE', value: 'x'.repeat(70_000) },
    });
    expect([413, 422]).toContain(huge.status);
    const foreign = await platform.rest('GET', credentials(other.orgId), { token: owner.token });
    expect(foreign.status).toBe(403);
  });

  it('binds a sealed value to its organization and key: moved to another row it does not open', async () => {
    for (const key of ['FIRST', 'SECOND'])
      expect(
        (await platform.rest('POST', credentials(), { token: owner.token, body: { key, value: `value-of-${key}` } }))
          .status,
      ).toBe(201);
    await query(
      `update compute.vault_credentials set sealed_value =
         (select sealed_value from compute.vault_credentials where org_id = $1 and key = 'FIRST')
       where org_id = $1 and key = 'SECOND'`,
      [owner.orgId],
    );
    const moved = await platform.rest('GET', `${credentials()}/SECOND`, { token: owner.token });
    expect(moved.status).toBe(500);
    expect(JSON.stringify(moved.body)).not.toContain('value-of-FIRST');
    expect((await platform.rest('GET', `${credentials()}/FIRST`, { token: owner.token })).body.data.value).toBe(
      'value-of-FIRST',
    );
  });
});

describe('assets', () => {
  const upload = (
    body: Buffer | ReadableStream,
    init: { token: string; type?: string; name?: string; query?: string } = { token: '' },
  ) =>
    fetch(`${platform.url}/v1/assets?name=${encodeURIComponent(init.name ?? 'data.bin')}${init.query ?? ''}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${init.token}`, 'content-type': init.type ?? 'application/octet-stream' },
      body,
      duplex: 'half',
    } as RequestInit);

  it('streams an upload into storage and serves the same bytes back, to its organization only', async () => {
    const key = (await platform.apiKey(owner, ['assets:write'])).key;
    const bytes = Buffer.alloc(40_000, 7);
    bytes.write('héllo', 0);
    const response = await upload(bytes, { token: key, type: 'image/png', name: 'pic é.png' });
    const created = (await response.json()) as Json;
    expect(response.status).toBe(201);
    const asset = created.data as Json;
    expect(asset).toMatchObject({
      orgId: owner.orgId,
      name: 'pic é.png',
      contentType: 'image/png',
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      downloadPath: `/v1/assets/${asset.id}`,
    });

    const download = await fetch(`${platform.url}/v1/assets/${asset.id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toContain("filename*=UTF-8''pic%20%C3%A9.png");
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

    const again = await fetch(`${platform.url}/v1/assets/${asset.id}`, {
      headers: { authorization: `Bearer ${key}`, 'if-none-match': download.headers.get('etag') as string },
    });
    expect(again.status).toBe(304);

    const stranger = await fetch(`${platform.url}/v1/assets/${asset.id}`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(stranger.status).toBe(404);
    expect(((await stranger.json()) as Json).error).toMatchObject({ code: 'not_found' });
    const elsewhere = await upload(Buffer.from('x'), { token: owner.token, query: `&orgId=${other.orgId}` });
    expect(elsewhere.status).toBe(403);
  });

  it('stores an empty body and a JSON file as bytes (no parsing on the upload route)', async () => {
    const empty = await fetch(`${platform.url}/v1/assets?name=empty`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(empty.status).toBe(201);
    expect(((await empty.json()) as Json).data).toMatchObject({ sizeBytes: 0 });
    const json = await upload(Buffer.from('{"not":"parsed"'), { token: owner.token, type: 'application/json' });
    expect(json.status).toBe(201);
    expect(((await json.json()) as Json).data).toMatchObject({ sizeBytes: 15, contentType: 'application/json' });
  });

  it('refuses an upload over the limit while it streams (413), leaving nothing behind', async () => {
    const dataDir = platform.app.platform.config.database.dataDir;
    const countFiles = async () => {
      try {
        return (await readdir(path.join(dataDir, 'assets'), { recursive: true })).length;
      } catch {
        return 0;
      }
    };
    const before = await countFiles();
    // Declared too big: refused before reading.
    const declared = await upload(Buffer.alloc(MAX_BYTES + 1), { token: owner.token });
    expect(declared.status).toBe(413);
    // Chunked (no length): refused once the limit is crossed.
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(8 * 1024));
        controller.close();
      },
    });
    const streamed = await upload(chunks, { token: owner.token });
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as Json).error).toMatchObject({ code: 'payload_too_large' });
    expect((await countFiles()) - before).toBe(0);
  });

  it('refuses multipart forms and viewers, in the envelope', async () => {
    const form = await upload(Buffer.from('--x\r\n'), { token: owner.token, type: 'multipart/form-data; boundary=x' });
    expect(form.status).toBe(415);
    const reader = (await platform.apiKey(owner, ['assets:read'])).key;
    const denied = await upload(Buffer.from('x'), { token: reader });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as Json).error).toMatchObject({ code: 'insufficient_scope' });
  });
});
