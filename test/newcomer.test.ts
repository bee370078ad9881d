/**
 * A newcomer's first minutes: a port already in use is one line naming the
 * variable to set (before anything starts), and opening `/graphql` in a
 * browser shows a short page — never a stack trace, even in development.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDashboardBuilt } from '../scripts/build-dashboard.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform } from './harness.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('trellis start with a port already in use', () => {
  let holder: net.Server;
  let port: number;
  let workdir: string;

  beforeAll(async () => {
    holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as net.AddressInfo).port;
    workdir = await mkdtemp(path.join(tmpdir(), 'trellis-port-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => holder.close(resolve));
    await rm(workdir, { recursive: true, force: true });
  });

  it('says in one line which variable to set, and starts nothing', async () => {
    const { DATABASE_URL, REDIS_URL, ...env } = process.env;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['bin/trellis.ts', 'start'],
        {
          cwd: ROOT,
          timeout: 60_000,
          env: {
            ...env,
            NODE_ENV: 'development',
            TRELLIS_DATA_DIR: path.join(workdir, 'data'),
            TRELLIS_PORT: '0',
            TRELLIS_IDENTITY_PORT: '0',
            TRELLIS_GOVERNANCE_PORT: String(port),
            TRELLIS_COMPUTE_PORT: '0',
            TRELLIS_BILLING_PORT: '0',
            TRELLIS_EVENTS_PORT: '0',
          },
        },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `Port ${port} on 127.0.0.1 is already in use: set TRELLIS_GOVERNANCE_PORT to a free port (or stop what uses it).\n`,
    );
    expect(result.stdout).toBe('');
    expect(existsSync(path.join(workdir, 'data')), 'the embedded PostgreSQL was not even initialised').toBe(false);
  });
});

describe('/graphql opened in a browser (development)', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    // `npm test` builds the dashboard first (pretest); a file run alone builds it here when stale.
    await ensureDashboardBuilt();
    platform = await startTestPlatform({ NODE_ENV: 'development' });
  }, 240_000);
  afterAll(closeAll);

  it('answers GraphiQL (the dashboard build), not a GraphQL error', async () => {
    const response = await fetch(`${platform.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('<title>Trellis GraphiQL</title>');
    expect(page).not.toMatch(/\n\s+at /);
  });

  it('refuses a query typed in the address bar without a stack trace', async () => {
    const response = await fetch(`${platform.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: BROWSER_ACCEPT },
    });
    const body = (await response.json()) as Json;
    expect(response.status).toBe(400);
    expect(body.errors[0].extensions).toEqual({ code: 'csrf_rejected' });
  });
});
