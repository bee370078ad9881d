/**
 * Without SMTP, outside production, mail goes to the local mail log (never dropped) and is read
 * back newest first; production refuses services that send mail without SMTP.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../kernel/config.ts';
import { createLogger } from '../../kernel/logger.ts';
import { assertMailConfigured, createMailTransport, mailLogFile, readMailLog } from '../../kernel/mail.ts';
import { escapeHtml, invitationMail } from '../../kernel/mail-templates.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('local mail log', () => {
  it('writes every message and reads them back newest first', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'trellis-mail-'));
    dirs.push(dataDir);
    const config = loadConfig({ TRELLIS_DATA_DIR: dataDir, TRELLIS_PUBLIC_URL: 'https://x.test' }, { allInOne: true });
    const transport = createMailTransport(config, createLogger('silent'));
    expect(transport.kind).toBe('log');
    const at = new Date('2030-01-01T00:00:00Z');
    await transport.send(
      invitationMail({ to: 'a@example.com', token: 'tri_one', expiresAt: at, publicUrl: 'https://x.test' }),
    );
    await transport.send(
      invitationMail({
        to: 'b@example.com',
        token: 'tri_two',
        organizationName: '<Evil & Co>',
        expiresAt: at,
        publicUrl: 'https://x.test',
      }),
    );
    const [newest, oldest] = await readMailLog(dataDir);
    expect(newest?.to).toBe('b@example.com');
    expect(oldest?.text).toContain('https://x.test/invites/tri_one');
    expect(newest?.html).toContain(escapeHtml('<Evil & Co>'));
    expect(newest?.html).not.toContain('<Evil');
    expect((await readFile(mailLogFile(dataDir), 'utf8')).trim().split('\n')).toHaveLength(2);
    expect(await readMailLog(path.join(dataDir, 'nowhere'))).toEqual([]);
  });

  it('production needs SMTP for the services that send mail', () => {
    const secrets = { TRELLIS_INTERNAL_SECRET: 'x'.repeat(32), TRELLIS_ENCRYPTION_KEY: 'a'.repeat(64) };
    const production = loadConfig({ NODE_ENV: 'production', ...secrets });
    expect(() => assertMailConfigured(production, 'identity')).toThrow(/TRELLIS_SMTP_URL is required/);
    const withSmtp = loadConfig({
      NODE_ENV: 'production',
      ...secrets,
      TRELLIS_SMTP_URL: 'smtp://mail.example.com:587',
    });
    expect(() => assertMailConfigured(withSmtp, 'identity')).not.toThrow();
    expect(() => loadConfig({ TRELLIS_SMTP_URL: 'http://nope' })).toThrow(/smtp/);
  });
});
