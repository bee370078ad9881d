/**
 * One guard for every outbound URL: hostile targets (private, loopback, metadata, encoded
 * addresses, IPv6 forms that embed IPv4, userinfo tricks, local names, other schemes) are
 * refused when an event webhook or an alert channel is created — 422 naming the URL field —
 * and again at delivery, with the same rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundTarget } from '../kernel/url-guard.ts';
import { postWebhook } from '../subgraphs/events/dispatcher.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from './harness.ts';

const HOSTILE_URLS = [
  // cloud metadata
  'http://169.254.169.254/latest/meta-data/',
  'http://[::ffff:169.254.169.254]/latest/meta-data/',
  'http://[::ffff:a9fe:a9fe]/',
  'http://2852039166/latest/meta-data/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://metadata.google.internal./computeMetadata/v1/',
  'http://metadata/computeMetadata/v1/',
  'http://metadata.goog/',
  'http://100.100.100.200/latest/meta-data/',
  'http://[fd00:ec2::254]/latest/meta-data/',
  'http://192.0.0.192/',
  // loopback in every spelling
  'http://127.0.0.1/',
  'http://127.1/',
  'http://2130706433/',
  'http://0x7f000001/',
  'http://0177.0.0.1/',
  'http://017700000001/',
  'http://0x7f.0.0.1/',
  'http://127.000.000.001/',
  'http://%31%32%37.0.0.1/',
  'http://①②⑦.0.0.1/',
  'http://[::1]/',
  'http://[0:0:0:0:0:0:0:1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::127.0.0.1]/',
  'http://[64:ff9b::127.0.0.1]/',
  'http://[2002:7f00:1::]/',
  'http://0.0.0.0/',
  'http://0/',
  'http://[::]/',
  'http://localhost/',
  'http://localhost./',
  'http://LOCALHOST:8080/',
  'http://app.localhost/',
  // userinfo and backslash tricks
  'https://127.0.0.1\\@93.184.215.14/',
  'https://127.0.0.1:443\\@93.184.215.14/',
  'https://93.184.215.14@127.0.0.1/',
  'https://user:pass@93.184.215.14/',
  // private, shared and special networks
  'http://10.0.0.1/',
  'http://172.16.0.1/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://[fe80::1]/',
  'http://[fc00::1]/',
  'http://224.0.0.1/',
  'http://255.255.255.255/',
  'http://intranet/',
  'http://db.internal/',
  // other schemes
  'ftp://93.184.215.14/',
  'file:///etc/passwd',
  'gopher://127.0.0.1:6379/_INFO',
  'javascript:alert(1)',
  'data:text/plain,hello',
];

let platform: TestPlatform;
let user: TestUser;
beforeAll(async () => {
  platform = await startTestPlatform(); // private targets not allowed (the default)
  user = await platform.signup('Guard Org');
});
afterAll(closeAll);

describe('creation refuses hostile targets', () => {
  it('on event webhooks: 422 validation_failed on the url field', async () => {
    const stored: string[] = [];
    for (const url of HOSTILE_URLS) {
      const response = await platform.rest('POST', `/v1/orgs/${user.orgId}/webhooks/create`, {
        token: user.token,
        body: { name: 'hook', url },
      });
      if (response.status !== 422) stored.push(`${url} → ${response.status}`);
      else
        expect(response.body.error, url).toMatchObject({
          code: 'validation_failed',
          field: expect.stringMatching(/(^|\.)url$/),
        });
    }
    expect(stored).toEqual([]);
  });

  it('on alert channels: 422 validation_failed on the target field', async () => {
    const stored: string[] = [];
    for (const target of HOSTILE_URLS) {
      const response = await platform.rest('POST', `/v1/orgs/${user.orgId}/alert-channels`, {
        token: user.token,
        body: { kind: 'WEBHOOK', target },
      });
      if (response.status !== 422) stored.push(`${target} → ${response.status}`);
      else
        expect(response.body.error, target).toMatchObject({
          code: 'validation_failed',
          field: expect.stringMatching(/(^|\.)target$/),
        });
    }
    expect(stored).toEqual([]);
    const channels = await platform.rest('GET', `/v1/orgs/${user.orgId}/alert-channels`, { token: user.token });
    expect(channels.body.data).toEqual([]);
  });

  it('accepts a public address on both paths', async () => {
    const webhook = await platform.rest('POST', `/v1/orgs/${user.orgId}/webhooks/create`, {
      token: user.token,
      body: { name: 'public', url: 'https://93.184.215.14/hooks' },
    });
    expect(webhook.status).toBe(201);
    const channel = await platform.rest('POST', `/v1/orgs/${user.orgId}/alert-channels`, {
      token: user.token,
      body: { kind: 'WEBHOOK', target: 'https://93.184.215.14/alerts' },
    });
    expect(channel.status).toBe(201);
  });
});

describe('delivery refuses the same targets', () => {
  it('before any connection, for every hostile URL', async () => {
    for (const url of HOSTILE_URLS) {
      const target = outboundTarget(url, false);
      if ('problem' in target) continue;
      // Names pass the shape check; the pinned lookup refuses what they resolve to (or they do not resolve).
      const outcome = await postWebhook(url, '{}', {}, { timeoutMs: 2000, allowPrivate: false });
      expect(outcome, url).toMatchObject({ ok: false, statusCode: null });
    }
    const outcome = await postWebhook(
      'https://127.0.0.1\\@93.184.215.14/',
      '{}',
      {},
      { timeoutMs: 2000, allowPrivate: false },
    );
    expect(outcome.error).toMatch(/^blocked: /);
  });
});
