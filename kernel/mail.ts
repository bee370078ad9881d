/**
 * Outgoing email: one transport per process (docs/mail.md).
 *
 * - `TRELLIS_SMTP_URL` set: SMTP through nodemailer (`smtp://user:pass@host:587`,
 *   `smtps://…:465`), sender `TRELLIS_MAIL_FROM`.
 * - Unset outside production: every message is appended to the local mail log
 *   (`<TRELLIS_DATA_DIR>/mail.log`, one JSON object per line) and shown by the
 *   gateway at `GET /dev/mail` — never silently dropped.
 * - Unset in production: subgraphs that send mail (identity, events) refuse to
 *   start (`assertMailConfigured`).
 *
 * Messages are built from the templates in `kernel/mail-templates.ts` (text +
 * HTML); links use `TRELLIS_PUBLIC_URL`. A message's body may carry a one-time
 * token (invitation, reset): bodies are never logged, only kind and recipient domain.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type nodemailer from 'nodemailer';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

export interface MailMessage {
  /** What the message is (template name): `invitation`, `password_reset`, `alert`, … */
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'log';
  /** Resolves once the message was accepted (SMTP) or written (log); rejects otherwise. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** One line of the local mail log. */
export interface LoggedMail extends MailMessage {
  from: string;
  at: string;
}

export const mailLogFile = (dataDir: string): string => path.resolve(dataDir, 'mail.log');

const domainOf = (address: string): string => address.split('@')[1] ?? '';

const require = createRequire(import.meta.url);

function smtpTransport(url: string, from: string, logger: Logger): MailTransport {
  // nodemailer (~40 modules, ~0.1 s of CPU) is loaded and the transporter built at the first
  // message: the mail log needs none of it, and a process sends mail rarely if ever.
  let transporter: ReturnType<typeof nodemailer.createTransport> | undefined;
  return {
    kind: 'smtp',
    async send(message) {
      transporter ??= (require('nodemailer') as typeof nodemailer).createTransport(url);
      await transporter.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: { 'X-Trellis-Mail': message.kind },
      });
      logger.info({ kind: message.kind, toDomain: domainOf(message.to) }, 'mail sent');
    },
    close() {
      transporter?.close();
    },
  };
}

function logTransport(file: string, from: string, logger: Logger): MailTransport {
  let ready: Promise<unknown> | undefined;
  return {
    kind: 'log',
    async send(message) {
      ready ??= mkdir(path.dirname(file), { recursive: true });
      await ready;
      const line: LoggedMail = { ...message, from, at: new Date().toISOString() };
      await appendFile(file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
      logger.info({ kind: message.kind, toDomain: domainOf(message.to), file }, 'mail written to the local mail log');
    },
    close() {},
  };
}

/** The process's transport: SMTP when configured, else the local mail log (production: see `assertMailConfigured`). */
export function createMailTransport(config: Config, logger: Logger): MailTransport {
  const log = logger.child({ component: 'mail' });
  if (config.mail.smtpUrl) return smtpTransport(config.mail.smtpUrl, config.mail.from, log);
  return logTransport(mailLogFile(config.database.dataDir), config.mail.from, log);
}

/** Refuses to start a service that sends mail in production without SMTP. */
export function assertMailConfigured(config: Config, service: string): void {
  if (config.production && !config.mail.smtpUrl)
    throw new Error(`TRELLIS_SMTP_URL is required in production: ${service} sends email (invitations, resets, alerts)`);
}

/** The newest `limit` messages of the local mail log, newest first (development only). */
export async function readMailLog(dataDir: string, limit = 50): Promise<LoggedMail[]> {
  let text: string;
  try {
    text = await readFile(mailLogFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter(Boolean)
    .slice(-limit)
    .reverse()
    .map((line) => JSON.parse(line) as LoggedMail);
}
