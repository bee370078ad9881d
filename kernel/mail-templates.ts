/**
 * The email templates (text + HTML) and the links they carry, built from
 * TRELLIS_PUBLIC_URL (docs/mail.md lists them). Every value placed in HTML is
 * escaped; subjects are single lines.
 */
import type { MailMessage } from './mail.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
const oneLine = (value: string, max = 200): string => value.replace(/[\r\n]+/g, ' ').slice(0, max);

/** Paths under TRELLIS_PUBLIC_URL that the messages link to. */
export const mailLinks = {
  invitation: (publicUrl: string, token: string) => `${publicUrl}/invites/${encodeURIComponent(token)}`,
  passwordReset: (publicUrl: string, token: string) => `${publicUrl}/reset-password?token=${encodeURIComponent(token)}`,
  /** A path inside the app (`/orgs/…/alerts`), or the app itself. */
  app: (publicUrl: string, path = '/') => `${publicUrl}${path.startsWith('/') ? path : `/${path}`}`,
};

interface Layout {
  kind: string;
  to: string;
  subject: string;
  /** Paragraphs, plain text. */
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
}

function render(layout: Layout): MailMessage {
  const textParts = [...layout.paragraphs];
  if (layout.action) textParts.push(`${layout.action.label}: ${layout.action.url}`);
  if (layout.footer) textParts.push(layout.footer);
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    ...layout.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    layout.action ? `<p><a href="${escapeHtml(layout.action.url)}">${escapeHtml(layout.action.label)}</a></p>` : '',
    layout.footer ? `<p style="color:#666;font-size:small">${escapeHtml(layout.footer)}</p>` : '',
    '</body></html>',
  ].join('');
  return {
    kind: layout.kind,
    to: layout.to,
    subject: oneLine(layout.subject),
    text: `${textParts.join('\n\n')}\n`,
    html,
  };
}

export function invitationMail(input: {
  to: string;
  token: string;
  organizationName?: string;
  expiresAt: Date;
  publicUrl: string;
}): MailMessage {
  const org = input.organizationName ?? 'an organization';
  return render({
    kind: 'invitation',
    to: input.to,
    subject: `You are invited to join ${org} on Trellis`,
    paragraphs: [
      `You have been invited to join ${org} on Trellis.`,
      `The invitation expires at ${input.expiresAt.toISOString()}.`,
    ],
    action: { label: 'Accept the invitation', url: mailLinks.invitation(input.publicUrl, input.token) },
    footer: 'If you did not expect this invitation, ignore this message.',
  });
}

export function passwordResetMail(input: { to: string; token: string; expiresAt: Date; publicUrl: string }) {
  return render({
    kind: 'password_reset',
    to: input.to,
    subject: 'Reset your Trellis password',
    paragraphs: [
      'Someone asked to reset the password of your Trellis account.',
      `The link works once, until ${input.expiresAt.toISOString()}.`,
    ],
    action: { label: 'Choose a new password', url: mailLinks.passwordReset(input.publicUrl, input.token) },
    footer: 'If it was not you, ignore this message: your password stays unchanged.',
  });
}

/** What a notification email says; the template is chosen by the event that caused it. */
export interface NotificationMailInput {
  to: string;
  /** `alert.triggered`, `billing.payment_failed`, `vm.failed`, … */
  eventType: string;
  title: string;
  message: string;
  /** Path inside the app the message links to. */
  linkPath?: string;
  organizationName?: string;
  publicUrl: string;
}

const NOTIFICATION_TEMPLATES: { match: (type: string) => boolean; kind: string; intro: string; action: string }[] = [
  {
    match: (t) => t === 'billing.payment_failed' || t === 'billing.auto_recharge_failed',
    kind: 'payment_failed',
    intro: 'A payment for your Trellis organization did not go through.',
    action: 'Review billing',
  },
  {
    match: (t) => t === 'vm.failed' || t === 'cluster.failed' || t === 'node.lost',
    kind: 'vm_failed',
    intro: 'A compute resource of your Trellis organization failed.',
    action: 'Open compute',
  },
  { match: () => true, kind: 'alert', intro: 'Trellis raised an alert for your organization.', action: 'Open alerts' },
];

export function notificationMail(input: NotificationMailInput): MailMessage {
  const template = NOTIFICATION_TEMPLATES.find((t) => t.match(input.eventType)) ?? NOTIFICATION_TEMPLATES.at(-1);
  const org = input.organizationName ? ` (${input.organizationName})` : '';
  return render({
    kind: template?.kind ?? 'alert',
    to: input.to,
    subject: `[Trellis] ${input.title}${org}`,
    paragraphs: [template?.intro ?? '', input.message],
    action: { label: template?.action ?? 'Open Trellis', url: mailLinks.app(input.publicUrl, input.linkPath) },
    footer: 'You receive this because of your notification settings in Trellis; change them there.',
  });
}
