/**
 * Signed inbound webhook triggers (docs/pipelines.md §Triggers): a `webhook` trigger's secret is minted once
 * (sealed at rest) with its URL; a delivery signed the Standard Webhooks way starts a run with the body as input;
 * a replayed webhook-id starts nothing more; bad, stale or missing signatures and unknown triggers are 401 in the
 * envelope; a rotation retires the old secret; bodies are bounded; other organizations' triggers are not found.
 */
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let key: string;
let definitionId: string;
let triggerId: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  user = await platform.signup('Webhook Trigger Org');
  key = (await platform.apiKey(user)).key;
  const defined = await platform.rest('POST', '/v1/workflow-definitions', {
    token: key,
    body: {
      name: 'on-push',
      triggers: [
        { id: 'push', type: 'webhook', description: 'a signed push notification' },
        { id: 'byHand', type: 'manual' },
      ],
      nodes: [{ id: 'echo', type: 'parallel', input: { ref: '{{ input.ref }}' } }],
    },
  });
  expect(defined.status, JSON.stringify(defined.body)).toBe(201);
  definitionId = defined.body.data.id;
  triggerId = `${definitionId}.push`;
}, 60_000);
afterAll(closeAll);

async function query(sql: string, params: unknown[] = []) {
  const db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  try {
    return (await db.query(sql, params)).rows;
  } finally {
    await db.end();
  }
}

const mint = (id = triggerId, token = key) => platform.rest('POST', `/v1/triggers/${id}/secret`, { token });

function deliver(
  body: string,
  options: { secret: string; id?: string; at?: Date; signature?: string; trigger?: string },
) {
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  const at = options.at ?? new Date();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': options.signature ?? new Webhook(options.secret).sign(id, at, body),
  };
  return platform.rest('POST', `/v1/triggers/${options.trigger ?? triggerId}/webhook`, { headers, rawBody: body });
}

async function runsOfDefinition(): Promise<number> {
  const [row] = await query('select count(*)::int as n from compute.workflow_runs where definition_id = $1', [
    definitionId,
  ]);
  return row.n;
}

describe('signed inbound webhook triggers', () => {
  it('mints a secret shown once and sealed, and a signed delivery starts one run per webhook-id', async () => {
    const minted = await mint();
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    const { secret, url } = minted.body.data as Json;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(url).toMatch(new RegExp(`/v1/triggers/${triggerId.replace('.', '\\.')}/webhook$`));
    const [stored] = await query('select sealed_secret from compute.workflow_webhook_triggers where trigger_id = $1', [
      triggerId,
    ]);
    expect(stored.sealed_secret).not.toContain(secret.slice(6));
    const listed = await platform.rest('GET', '/v1/triggers', { token: key });
    expect(listed.body.data).toContainEqual(expect.objectContaining({ id: triggerId, type: 'webhook' }));
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6));

    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const first = await deliver(body, { secret, id: 'msg_push_1' });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body.data).toMatchObject({ definitionId, triggerId });
    const replay = await deliver(body, { secret, id: 'msg_push_1' });
    expect(replay.status).toBe(202);
    expect(replay.body.data.id).toBe(first.body.data.id);
    expect(await runsOfDefinition()).toBe(1);

    const deadline = Date.now() + 15_000;
    let run: Json;
    do {
      run = (await platform.rest('GET', `/v1/workflow-runs/${first.body.data.id}`, { token: key })).body.data;
      if (run.status !== 'succeeded') await new Promise((resolve) => setTimeout(resolve, 50));
    } while (run.status !== 'succeeded' && Date.now() < deadline);
    expect(run.status).toBe('succeeded');
    expect(run.input).toEqual({ ref: 'refs/heads/main' });
    expect(run.output).toEqual({ echo: { ref: 'refs/heads/main' } });
  });

  it('answers 401 in the envelope for bad, stale or missing signatures and unknown triggers, starting nothing', async () => {
    const { secret } = (await mint()).body.data as Json;
    const before = await runsOfDefinition();
    const body = JSON.stringify({ ref: 'x' });
    const forged = await deliver(body, { secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` });
    const stale = await deliver(body, { secret, at: new Date(Date.now() - 10 * 60_000) });
    const tampered = await deliver(body, {
      secret,
      id: 'msg_tampered',
      signature: new Webhook(secret).sign('msg_tampered', new Date(), JSON.stringify({ ref: 'y' })),
    });
    const unsigned = await platform.rest('POST', `/v1/triggers/${triggerId}/webhook`, { rawBody: body });
    const unknown = await deliver(body, { secret, trigger: `${definitionId}.nope` });
    for (const refused of [forged, stale, tampered, unsigned, unknown]) {
      expect(refused.status, JSON.stringify(refused.body)).toBe(401);
      expect(refused.body.error.code).toBe('unauthenticated');
      expect(refused.body.meta.request_id).toBeTruthy();
    }
    expect(await runsOfDefinition()).toBe(before);
  });

  it('retires the old secret on rotation', async () => {
    const old = (await mint()).body.data.secret as string;
    const fresh = (await mint()).body.data.secret as string;
    expect(fresh).not.toBe(old);
    expect((await deliver('{}', { secret: old })).status).toBe(401);
    expect((await deliver('{}', { secret: fresh })).status).toBe(202);
  });

  it('bounds the body and wants a JSON object', async () => {
    const { secret } = (await mint()).body.data as Json;
    const big = JSON.stringify({ ref: 'x'.repeat(300 * 1024) });
    const tooBig = await deliver(big, { secret });
    expect(tooBig.status).toBe(413);
    const list = await deliver('[1,2]', { secret });
    expect(list.status).toBe(422);
    expect(list.body.error.field).toBe('body');
  });

  it('mints only for webhook triggers of the caller’s organization', async () => {
    const manual = await mint(`${definitionId}.byHand`);
    expect(manual.status).toBe(422);
    const intruder = await platform.signup('Intruder Org');
    const intruderKey = (await platform.apiKey(intruder)).key;
    const foreign = await mint(triggerId, intruderKey);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
  });
});
