/**
 * Webhooks: secrets shown once and sealed at rest, signatures checked with an independent library
 * (standardwebhooks) and the documented formula, retries on the configured schedule, delivery
 * history, automatic disabling, and the SSRF guard at creation and at delivery.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import pg from 'pg';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressProblem, checkTarget, guardedLookup } from '../../kernel/url-guard.ts';
import { postWebhook } from '../../subgraphs/events/dispatcher.ts';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { logOf, ok } from './helpers.ts';

interface Hit {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

interface Receiver {
  url: string;
  hits: Hit[];
  /** Status codes to answer, in order; 200 once exhausted. */
  statuses: number[];
  server: Server;
}

const receivers: Receiver[] = [];

async function receiver(statuses: number[] = []): Promise<Receiver> {
  const r: Receiver = { url: '', hits: [], statuses, server: createServer() };
  r.server.on('request', (req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      r.hits.push({ headers: req.headers, body, at: Date.now() });
      res.statusCode = r.statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  const address = r.server.address();
  r.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
  receivers.push(r);
  return r;
}

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({
    TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    TRELLIS_WEBHOOK_RETRY_SCHEDULE_SECONDS: '1,2',
    TRELLIS_WEBHOOK_TIMEOUT_MS: '2000',
    TRELLIS_WEBHOOK_MAX_CONSECUTIVE_FAILURES: '5',
  });
});
afterAll(async () => {
  for (const r of receivers) r.server.close();
  await closeAll();
});

const WEBHOOK = 'id name url events enabled secretPrefix consecutiveFailures disabledReason';

async function createWebhook(p: TestPlatform, user: TestUser, url: string, events: string[] = []) {
  const data = await ok(
    p,
    `mutation($orgId: ID!, $input: CreateWebhookInput!) { createWebhook(orgId: $orgId, input: $input) { secret webhook { ${WEBHOOK} } } }`,
    { orgId: user.orgId, input: { name: 'hook', url, events } },
    user.token,
  );
  return data.createWebhook as { secret: string; webhook: { id: string; secretPrefix: string } };
}

async function deliveries(user: TestUser, webhookId: string) {
  const data = await ok(
    platform,
    `query($orgId: ID!, $id: ID!) { webhookDeliveries(orgId: $orgId, webhookId: $id) { items {
      id eventId eventType seq status attempts lastStatusCode lastError nextAttemptAt
      attemptHistory { attempt statusCode durationMs error at }
    } } }`,
    { orgId: user.orgId, id: webhookId },
    user.token,
  );
  // biome-ignore lint/suspicious/noExplicitAny: JSON payloads are asserted field by field
  return data.webhookDeliveries.items as any[];
}

async function createWorkflow(user: TestUser, name = 'hooked') {
  const data = await ok(
    platform,
    'mutation($orgId: ID!, $name: String!) { createWorkflow(orgId: $orgId, input: { name: $name }) { id } }',
    { orgId: user.orgId, name },
    user.token,
  );
  return data.createWorkflow.id as string;
}

describe('webhook deliveries', () => {
  it('signs each delivery so that an independent library and the documented formula both verify it', async () => {
    const user = await platform.signup('Hook Org');
    const target = await receiver();
    const { secret, webhook } = await createWebhook(platform, user, target.url, ['workflow.*']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhook.secretPrefix).toBe(secret.slice(0, 10));

    const workflowId = await createWorkflow(user);
    const [hit] = await eventually(() => (target.hits.length > 0 ? target.hits : undefined));
    if (!hit) throw new Error('no delivery');

    // Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), checked by the standardwebhooks package.
    const verified = new StandardWebhook(secret).verify(hit.body, hit.headers as Record<string, string>) as {
      subject: unknown;
    };
    expect(verified).toMatchObject({ type: 'workflow.created', organization_id: user.orgId, data: { name: 'hooked' } });
    expect(verified.subject).toEqual({ type: 'workflow', id: workflowId });
    // Tampering is detected.
    expect(() =>
      new StandardWebhook(secret).verify(hit.body.replace('hooked', 'hacked'), hit.headers as Record<string, string>),
    ).toThrow();

    // The brief's scheme: sha256=hex(HMAC-SHA256(hex(sha256(secret)), rawBody)).
    const key = createHash('sha256').update(secret).digest('hex');
    expect(hit.headers['x-trellis-signature']).toBe(
      `sha256=${createHmac('sha256', key).update(hit.body).digest('hex')}`,
    );
    expect(hit.headers['x-trellis-event']).toBe('workflow.created');
    expect(hit.headers['x-trellis-delivery']).toBe(hit.headers['webhook-id']);
    expect(JSON.parse(hit.body)).toMatchObject({ id: expect.stringMatching(/^evt_/), created_at: expect.any(String) });

    const [delivery] = await eventually(async () => {
      const list = await deliveries(user, webhook.id);
      return list[0]?.status === 'succeeded' ? list : undefined;
    });
    expect(delivery).toMatchObject({ id: hit.headers['webhook-id'], attempts: 1, lastStatusCode: 200 });
    expect(delivery.attemptHistory).toEqual([
      { attempt: 1, statusCode: 200, durationMs: expect.any(Number), error: null, at: expect.any(String) },
    ]);
  });

  it('fans out to the webhooks enabled at each append, as they are added, toggled and removed', async () => {
    // The log builds deliveries from the webhooks this process last read and appends only if they are
    // still the table's: each change below must be seen by the very next append of the organization.
    const user = await platform.signup('Changing Hooks Org');
    const before = await createWorkflow(user, 'before any hook');
    // Fan-out happens at the append: wait for this event to be in the log before the first webhook exists.
    await eventually(async () =>
      (await logOf(platform, user)).some((e) => e.type === 'workflow.created' && e.subject?.id === before)
        ? true
        : undefined,
    );
    const first = await receiver();
    const { webhook: a } = await createWebhook(platform, user, first.url, ['workflow.*']);
    await createWorkflow(user, 'one hook');
    const seen = async (id: string) => (await deliveries(user, id)).map((d) => d.eventType as string);
    const toggle = (id: string, enabled: boolean) =>
      ok(
        platform,
        'mutation($orgId: ID!, $id: ID!, $enabled: Boolean!) { toggleWebhook(orgId: $orgId, id: $id, enabled: $enabled) { id } }',
        { orgId: user.orgId, id, enabled },
        user.token,
      );
    await eventually(async () => ((await seen(a.id)).length === 1 ? true : undefined));
    const second = await receiver();
    const { webhook: b } = await createWebhook(platform, user, second.url, ['workflow.*']);
    await toggle(a.id, false);
    await createWorkflow(user, 'second hook only');
    await eventually(async () => ((await seen(b.id)).length === 1 ? true : undefined));
    await ok(
      platform,
      'mutation($orgId: ID!, $id: ID!) { deleteWebhook(orgId: $orgId, id: $id) }',
      { orgId: user.orgId, id: b.id },
      user.token,
    );
    await toggle(a.id, true);
    await createWorkflow(user, 'first hook again');
    await eventually(async () => ((await seen(a.id)).length === 2 ? true : undefined));
    // A delivery row exists from the append on; its request reaches the receiver a moment later.
    await eventually(() => (first.hits.length >= 2 && second.hits.length >= 1 ? true : undefined));
    // Every workflow.created went to exactly the webhooks enabled when it was appended.
    expect(await seen(a.id)).toEqual(['workflow.created', 'workflow.created']);
    expect(second.hits.map((hit) => JSON.parse(hit.body).data.name)).toEqual(['second hook only']);
    expect(first.hits.map((hit) => JSON.parse(hit.body).data.name).sort()).toEqual(['first hook again', 'one hook']);
  });

  it('keeps the secret only sealed at rest and never shows it again', async () => {
    const user = await platform.signup('Sealed Org');
    const target = await receiver();
    const { secret, webhook } = await createWebhook(platform, user, target.url);
    const client = new pg.Client({ connectionString: platform.databaseUrl });
    await client.connect();
    const { rows } = await client.query('select secret_sealed from events.webhooks where id = $1', [webhook.id]);
    await client.end();
    expect(rows[0].secret_sealed).not.toContain(secret.slice(6));
    expect(rows[0].secret_sealed).toMatch(/^v1\./);
    const listed = await platform.graphql(
      'query($orgId: ID!) { webhooks(orgId: $orgId) { items { id secretPrefix } } }',
      { orgId: user.orgId },
      { token: user.token },
    );
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    // Regenerating returns a new secret; deliveries are signed with it.
    const regenerated = await ok(
      platform,
      'mutation($orgId: ID!, $id: ID!) { regenerateWebhookSecret(orgId: $orgId, id: $id) { secret } }',
      { orgId: user.orgId, id: webhook.id },
      user.token,
    );
    const fresh = regenerated.regenerateWebhookSecret.secret as string;
    expect(fresh).not.toBe(secret);
    await createWorkflow(user);
    const hit = await eventually(() => target.hits.find((h) => JSON.parse(h.body).type === 'workflow.created'));
    expect(() => new StandardWebhook(fresh).verify(hit.body, hit.headers as Record<string, string>)).not.toThrow();
    expect(() => new StandardWebhook(secret).verify(hit.body, hit.headers as Record<string, string>)).toThrow();
  });

  it('retries failures on the configured schedule and records every attempt', async () => {
    const user = await platform.signup('Retry Hook Org');
    const target = await receiver([500, 503]);
    const { webhook } = await createWebhook(platform, user, target.url, ['workflow.created']);
    await createWorkflow(user);
    const [delivery] = await eventually(async () => {
      const list = await deliveries(user, webhook.id);
      return list[0]?.status === 'succeeded' ? list : undefined;
    }, 20_000);
    expect(delivery.attempts).toBe(3);
    expect(delivery.attemptHistory.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 503, 200]);
    expect(delivery.attemptHistory[0].error).toBe('HTTP 500');
    expect(target.hits).toHaveLength(3);
    // Same delivery id on every retry (receivers deduplicate by it); waits follow the schedule 1 s, 2 s.
    expect(new Set(target.hits.map((h) => h.headers['webhook-id'])).size).toBe(1);
    const [a, b, c] = target.hits.map((h) => h.at) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(900);
    expect(c - b).toBeGreaterThanOrEqual(1900);
  });

  it('gives up after the schedule, and disables the webhook after too many failures in a row', async () => {
    const user = await platform.signup('Failing Hook Org');
    const target = await receiver(Array.from({ length: 50 }, () => 500));
    const { webhook } = await createWebhook(platform, user, target.url, ['workflow.created']);
    await createWorkflow(user, 'one');
    await createWorkflow(user, 'two');
    // 2 deliveries × 3 attempts ≥ 5 consecutive failures → disabled.
    const disabled = await eventually(async () => {
      const data = await ok(
        platform,
        `query($orgId: ID!, $id: ID!) { webhook(orgId: $orgId, id: $id) { ${WEBHOOK} } }`,
        { orgId: user.orgId, id: webhook.id },
        user.token,
      );
      return data.webhook.enabled === false ? data.webhook : undefined;
    }, 25_000);
    expect(disabled).toMatchObject({ disabledReason: 'consecutive_failures', consecutiveFailures: 5 });
    const list = await deliveries(user, webhook.id);
    expect(list.map((d) => d.status).sort()).toEqual(['cancelled', 'failed']);
    const failed = list.find((d) => d.status === 'failed');
    expect(failed.attempts).toBe(3);
    const event = await eventually(async () =>
      (await logOf(platform, user)).find((e) => e.type === 'webhook.disabled'),
    );
    expect(event.data).toMatchObject({ webhookId: webhook.id, reason: 'consecutive_failures' });
    expect(event.actor?.type).toBe('service');

    // Re-enabling resets the count; a disabled webhook gets no new deliveries meanwhile.
    const enabled = await ok(
      platform,
      `mutation($orgId: ID!, $id: ID!) { toggleWebhook(orgId: $orgId, id: $id, enabled: true) { ${WEBHOOK} } }`,
      { orgId: user.orgId, id: webhook.id },
      user.token,
    );
    expect(enabled.toggleWebhook).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
  });
});

describe('SSRF guard', () => {
  it('refuses loopback, private, link-local and metadata targets at creation', async () => {
    const strict = await startTestPlatform();
    const user = await strict.signup('SSRF Org');
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://metadata.google.internal/computeMetadata/v1',
      'ftp://example.com/hook',
    ]) {
      const result = await strict.graphql(
        'mutation($orgId: ID!, $input: CreateWebhookInput!) { createWebhook(orgId: $orgId, input: $input) { secret } }',
        { orgId: user.orgId, input: { name: 'bad', url } },
        { token: user.token },
      );
      expect(result.body.errors?.[0]?.extensions, url).toMatchObject({ code: 'validation_failed', field: 'input.url' });
    }
  });

  it('refuses non-public addresses again at delivery, after DNS resolution', async () => {
    const target = await receiver();
    const direct = await postWebhook(target.url, '{}', {}, { timeoutMs: 2000, allowPrivate: false });
    expect(direct).toMatchObject({ ok: false, statusCode: null, error: expect.stringContaining('blocked') });
    const byName = await postWebhook(
      target.url.replace('127.0.0.1', 'localhost'),
      '{}',
      {},
      {
        timeoutMs: 2000,
        allowPrivate: false,
      },
    );
    expect(byName).toMatchObject({ ok: false, error: expect.stringContaining('blocked') });
    expect(target.hits).toHaveLength(0);
    const allowed = await postWebhook(target.url, '{}', {}, { timeoutMs: 2000, allowPrivate: true });
    expect(allowed).toMatchObject({ ok: true, statusCode: 200 });

    const lookup = guardedLookup(false);
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      lookup('localhost', { all: true }, (err) => resolve(err)),
    );
    expect(error?.code).toBe('EBLOCKED');
    await expect(checkTarget(new URL('http://localhost/x'), { allowPrivate: false })).rejects.toThrow(/refused/);
  });

  it('classifies addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:10.0.0.1',
      '224.0.0.1',
    ])
      expect(addressProblem(address), address).toBeDefined();
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])
      expect(addressProblem(address), address).toBeUndefined();
  });
});
