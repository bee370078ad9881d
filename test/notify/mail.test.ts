/**
 * Mail over real SMTP (an smtp-server in this process): an invitation and a password reset arrive
 * with a working link under TRELLIS_PUBLIC_URL, in text and HTML, carrying nothing secret but the
 * one-time token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform } from '../harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../smtp-server.ts';

const PUBLIC_URL = 'https://trellis.example.test';
let smtp: TestSmtpServer;
let platform: TestPlatform;

beforeAll(async () => {
  smtp = await startSmtpServer();
  platform = await startTestPlatform({
    TRELLIS_SMTP_URL: smtp.url,
    TRELLIS_MAIL_FROM: 'Trellis Test <no-reply@trellis.example.test>',
    TRELLIS_PUBLIC_URL: `${PUBLIC_URL}/`,
  });
});
afterAll(async () => {
  await closeAll();
  await smtp?.close();
});

/** Nothing but the link's token may look like a credential. */
function expectNoOtherSecret(body: string, token: string) {
  const withoutToken = body.split(token).join('');
  expect(withoutToken).not.toMatch(/\b(tri|trr|trk|trs|whsec|sk|pwr)_[A-Za-z0-9]{8,}/);
  expect(withoutToken).not.toContain(platform.app.platform.internalSecret);
  // The harness signs everyone up with this password.
  expect(body).not.toContain('correct horse battery');
}

describe('mail over SMTP', () => {
  it('sends an invitation whose link accepts the invitation', async () => {
    const owner = await platform.signup('Mail Org');
    const invitee = `invitee-${Date.now()}@example.com`;
    const created = await platform.graphql(
      'mutation($input: CreateInvitationInput!) { createInvitation(input: $input) { token } }',
      { input: { orgId: owner.orgId, email: invitee, role: 'MEMBER' } },
      { token: owner.token },
    );
    const token = created.body.data.createInvitation.token as string;
    const [mail] = await eventually(() => smtp.to(invitee).length > 0 && smtp.to(invitee));
    expect(mail?.from).toBe('no-reply@trellis.example.test');
    expect(mail?.kind).toBe('invitation');
    expect(mail?.subject).toContain('Mail Org');
    const link = `${PUBLIC_URL}/invites/${token}`;
    expect(mail?.text).toContain(link);
    expect(mail?.html).toContain(`href="${link}"`);
    expectNoOtherSecret(`${mail?.text}${mail?.html}`, token);
    const tokenInLink = /\/invites\/([^\s"<]+)/.exec(mail?.text ?? '')?.[1] as string;
    const accepted = await platform.graphql(
      'mutation($t: String!, $input: AcceptInvitationInput) { acceptInvitation(token: $t, input: $input) { role } }',
      { t: decodeURIComponent(tokenInLink), input: { password: 'a long enough password', name: 'Invitee' } },
    );
    expect(accepted.body.data?.acceptInvitation.role, JSON.stringify(accepted.body)).toBe('MEMBER');
  });

  it('sends a password reset whose link resets the password once', async () => {
    const user = await platform.signup('Reset Org');
    const ok = await platform.graphql('mutation($e: String!) { forgotPassword(email: $e) }', { e: user.email });
    expect(ok.body.data.forgotPassword).toBe(true);
    const [mail] = await eventually(() => smtp.to(user.email).length > 0 && smtp.to(user.email));
    expect(mail?.kind).toBe('password_reset');
    const match = new RegExp(`${PUBLIC_URL.replace(/\./g, '\\.')}/reset-password\\?token=([^\\s"<&]+)`).exec(
      mail?.text ?? '',
    );
    const token = decodeURIComponent(match?.[1] as string);
    expect(mail?.html).toContain(`/reset-password?token=${encodeURIComponent(token)}`);
    expectNoOtherSecret(`${mail?.text}${mail?.html}`, encodeURIComponent(token));
    const reset = 'mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }';
    expect((await platform.graphql(reset, { t: token, p: 'a brand new password' })).body.data?.resetPassword).toBe(
      true,
    );
    expect((await platform.graphql(reset, { t: token, p: 'another new password' })).body.errors).toBeDefined();
    const login = await platform.graphql(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      {
        e: user.email,
        p: 'a brand new password',
      },
    );
    expect(login.body.data?.login.token).toBeTruthy();
  });

  it('an unknown email gets no message and the same answer', async () => {
    const before = smtp.mails.length;
    const ok = await platform.graphql('mutation($e: String!) { forgotPassword(email: $e) }', {
      e: 'nobody-here@example.com',
    });
    expect(ok.body.data.forgotPassword).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.length).toBe(before);
  });
});
