/**
 * Issue #14 acceptance: crossing 80 % of a budget delivers exactly one email (real SMTP), one
 * signed webhook, one Slack message and one inbox notification per subscribed member, nothing to
 * a member who turned that alert off; a failing channel is retried and shows its attempts.
 */
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { createWorkflow, gql, TRACK } from '../governance/helpers.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../smtp-server.ts';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let smtp: TestSmtpServer;
let platform: TestPlatform;
let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];
/** Answers for /flaky, in order (then 200). */
const flakyAnswers = [500, 503];

beforeAll(async () => {
  smtp = await startSmtpServer();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const status = req.url === '/flaky' ? (flakyAnswers.shift() ?? 200) : 200;
      res.writeHead(status).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  platform = await startTestPlatform({
    TRELLIS_SMTP_URL: smtp.url,
    TRELLIS_PUBLIC_URL: 'https://app.trellis.test',
    TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    TRELLIS_WEBHOOK_RETRY_SCHEDULE_SECONDS: '1,1',
    TRELLIS_GOVERNANCE_ALERT_THRESHOLDS: '80',
  });
});
afterAll(async () => {
  await closeAll();
  await smtp?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

const ok = async (user: TestUser, query: string, variables: Record<string, unknown> = {}) => {
  const result = await platform.graphql(query, variables, { token: user.token });
  expect(result.body.errors, JSON.stringify(result.body.errors)).toBeUndefined();
  return result.body.data as Json;
};

const CHANNEL = `mutation($orgId: ID!, $input: CreateAlertChannelInput!) {
  createAlertChannel(orgId: $orgId, input: $input) { id kind target signingSecret }
}`;
const INBOX = `query($orgId: ID!) {
  notifications(orgId: $orgId) { items { id type title message source link read } }
  unreadNotificationCount(orgId: $orgId)
}`;
const DELIVERIES = `query($orgId: ID!) {
  notificationDeliveries(orgId: $orgId) {
    items { eventType channel target userId status lastError attempts { attempt statusCode error } }
  }
}`;

describe('alert delivery', () => {
  it('crossing 80 % reaches each subscribed member and channel exactly once', async () => {
    const owner = await platform.signup('Alert Delivery Org');
    const quiet = await platform.signup('Quiet Member Home');
    await ok(owner, 'mutation($o: ID!, $input: AddMemberInput!) { addMember(orgId: $o, input: $input) { userId } }', {
      o: owner.orgId,
      input: { email: quiet.email, role: 'MEMBER' },
    });
    // The member wants budget alerts only at 100 %: the 80 % alert is off for them.
    await ok(
      quiet,
      'mutation($o: ID!, $input: UpdateNotificationSettingsInput!) { updateNotificationSettings(orgId: $o, input: $input) { alertThresholds } }',
      { o: owner.orgId, input: { alertThresholds: [100] } },
    );
    const hook = (
      await ok(owner, CHANNEL, { orgId: owner.orgId, input: { kind: 'WEBHOOK', target: `${receiverUrl}/hook` } })
    ).createAlertChannel;
    expect(hook.signingSecret).toMatch(/^whsec_/);
    const slack = (
      await ok(owner, CHANNEL, {
        orgId: owner.orgId,
        input: { kind: 'SLACK', target: `${receiverUrl}/slack/T0/B0/xyz` },
      })
    ).createAlertChannel;
    expect(slack.target).not.toContain('xyz');
    expect(slack.signingSecret).toBeNull();
    await ok(owner, CHANNEL, { orgId: owner.orgId, input: { kind: 'WEBHOOK', target: `${receiverUrl}/flaky` } });

    const wf = await createWorkflow(platform, owner, { budgetMicros: 1_000 });
    await gql(platform, { token: owner.token }, TRACK, { input: { workflowId: wf.id, costMicros: 850 } });

    // Email: one, to the subscribed owner, with a link to the app; none to the quiet member.
    const [mail] = await eventually(() => smtp.to(owner.email).length > 0 && smtp.to(owner.email), 20_000);
    expect(mail?.kind).toBe('alert');
    expect(mail?.subject).toContain('Budget alert');
    expect(mail?.text).toContain('80%');
    expect(mail?.text).toContain(`https://app.trellis.test/orgs/${owner.orgId}/alerts`);
    // Signed webhook: one, verifiable with the channel's secret.
    const [delivery] = await eventually(() => {
      const hooks = received.filter((r) => r.path === '/hook');
      return hooks.length > 0 && hooks;
    });
    const key = createHash('sha256').update(hook.signingSecret).digest('hex');
    expect(delivery?.headers['x-trellis-signature']).toBe(
      `sha256=${createHmac('sha256', key)
        .update(delivery?.body ?? '')
        .digest('hex')}`,
    );
    expect(delivery?.headers['x-trellis-event']).toBe('alert.triggered');
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({
      type: 'alert.triggered',
      organization_id: owner.orgId,
      data: { title: 'Budget alert', severity: 'warning' },
    });
    // Slack: one message with the alert's text.
    const [slackMessage] = await eventually(() => {
      const posts = received.filter((r) => r.path === '/slack/T0/B0/xyz');
      return posts.length > 0 && posts;
    });
    expect(JSON.parse(slackMessage?.body ?? '{}').text).toContain('80%');
    // Inbox: one for the owner, none for the quiet member.
    const inbox = await eventually(async () => {
      const data = await ok(owner, INBOX, { orgId: owner.orgId });
      return data.notifications.items.length > 0 && data;
    });
    expect(inbox.notifications.items).toHaveLength(1);
    expect(inbox.notifications.items[0]).toMatchObject({
      type: 'WARNING',
      title: 'Budget alert',
      source: 'alert.triggered',
      read: false,
    });
    expect(inbox.unreadNotificationCount).toBe(1);
    expect((await ok(quiet, INBOX, { orgId: owner.orgId })).notifications.items).toEqual([]);

    // The failing channel: retried, each attempt visible, then delivered.
    const deliveries = await eventually(async () => {
      const items = (await ok(owner, DELIVERIES, { orgId: owner.orgId })).notificationDeliveries.items;
      const flaky = items.find(
        (d: Json) => d.channel === 'WEBHOOK' && d.status === 'SUCCEEDED' && d.attempts.length === 3,
      );
      return flaky && items;
    }, 20_000);
    const flaky = deliveries.find((d: Json) => d.attempts.length === 3);
    expect(flaky.attempts.map((a: Json) => a.statusCode)).toEqual([500, 503, 200]);
    expect(deliveries.map((d: Json) => d.channel).sort()).toEqual(['EMAIL', 'SLACK', 'WEBHOOK', 'WEBHOOK']);
    expect(deliveries.find((d: Json) => d.channel === 'EMAIL')).toMatchObject({
      target: owner.email,
      status: 'SUCCEEDED',
    });

    // Nothing was sent twice.
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.to(owner.email)).toHaveLength(1);
    expect(smtp.to(quiet.email)).toHaveLength(0);
    expect(received.filter((r) => r.path === '/hook')).toHaveLength(1);
    expect(received.filter((r) => r.path === '/slack/T0/B0/xyz')).toHaveLength(1);
    expect(received.filter((r) => r.path === '/flaky')).toHaveLength(3);
  });
});
