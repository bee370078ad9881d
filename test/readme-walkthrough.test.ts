/**
 * The README's "first session with curl" is executed as written (bash, curl,
 * openssl, node) against a fresh platform, so the documentation cannot drift
 * from what the API does — twice in the same folder, as a newcomer retrying
 * would, leaving no file (no key, no secret) behind.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, startTestPlatform, type TestPlatform } from './harness.ts';

const run = promisify(execFile);
let platform: TestPlatform;
let workdir: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  workdir = await mkdtemp(path.join(tmpdir(), 'trellis-readme-'));
});
afterAll(async () => {
  await closeAll();
  await rm(workdir, { recursive: true, force: true });
});

async function walkthrough(): Promise<string> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split('### A first session with curl')[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README has no curl walkthrough');
  expect(block).toContain('B=localhost:4000/v1;');
  return block.replace('B=localhost:4000/v1;', `B=${platform.url}/v1;`);
}

describe('the README walkthrough', () => {
  it('registers, creates an org, mints a key, invites, runs the signed SDK loop, kills, and revokes — twice', async () => {
    const script = await walkthrough();
    for (const attempt of ['first run', 'second run']) {
      const { stdout, stderr } = await run('bash', ['-e', '-o', 'pipefail', '-c', script], {
        cwd: workdir,
        env: { ...process.env },
        timeout: 60_000,
      });
      expect(stderr, attempt).toBe('');
      // /v1/me with the key answers in the envelope
      expect(stdout, attempt).toMatch(/"principal_id":"key_/);
      // the invitation was accepted and the SDK loop ran
      expect(stdout, attempt).toMatch(/"allowed":true/);
      // after the kill the gate denies with a machine-readable reason
      expect(stdout, attempt).toMatch(/"allowed":false[^}]*"reason":"workflow_killed"/);
      // revoking answers 204 and the key is dead on the very next call
      // (curl prints bodies without a trailing newline, so the status codes end the output)
      expect(stdout, attempt).toMatch(/204\n401\n?$/);
    }
    expect(await readdir(workdir), 'files the walkthrough left behind').toEqual([]);
  }, 150_000); // each run starts node ~15 times (field), seconds apiece on a loaded 2-core machine
});
