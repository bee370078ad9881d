/**
 * `npm start` and `npm test` on a machine whose node is older than 24 run
 * under Node 24 from ~/.node24 (bin/with-node24.sh, bin/node24.cjs). An old
 * node is simulated by a preload that reports version 20, and ~/.node24 by a
 * temporary HOME holding a stand-in node, so no download happens here.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const PKG = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;

let home: string;
let fakeBin: string;
let preload: string;

function run(file: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(file, args, { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'trellis-node24-'));
  preload = path.join(home, 'node20.cjs');
  await writeFile(preload, "Object.defineProperty(process.versions, 'node', { value: '20.20.2' });\n");
  // An "old node" on PATH: the real one, reporting version 20.
  fakeBin = path.join(home, 'old-node-bin');
  await mkdir(fakeBin);
  await writeFile(path.join(fakeBin, 'node'), `#!/bin/sh\nexec "${process.execPath}" --require "${preload}" "$@"\n`);
  await chmod(path.join(fakeBin, 'node'), 0o755);
});
afterAll(() => rm(home, { recursive: true, force: true }));

describe('bin/node24.cjs', () => {
  it('answers this node when it is 24 or newer, silently', async () => {
    const result = await run(process.execPath, ['bin/node24.cjs'], { HOME: home });
    expect(result).toEqual({ code: 0, stdout: path.dirname(process.execPath), stderr: '' });
  });

  it('on an older node without ~/.node24, says it installs Node 24, and fails in one line when it cannot', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'trellis-node24-empty-'));
    try {
      const result = await run(process.execPath, ['--require', preload, 'bin/node24.cjs'], {
        HOME: empty,
        npm_config_registry: 'http://127.0.0.1:9/',
        npm_config_cache: path.join(empty, 'npm-cache'),
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(
        'Node 20.20.2 is older than 24: installing Node 24 from the npm registry into ~/.node24 (once, about 30 MB)…',
      );
      expect(lines[1]).toMatch(
        /^Trellis needs Node\.js 24 \(this is 20\.20\.2\) and installing it into ~\/\.node24 failed/,
      );
      expect(lines[1]).toContain(`npm install --prefix ~/.node24 ${PKG}@24`);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('on an older node, uses the Node 24 in ~/.node24 and says so in one line', async () => {
    const bin = path.join(home, '.node24', 'node_modules', PKG, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, 'node'), '#!/bin/sh\necho 24.1.0\n');
    await chmod(path.join(bin, 'node'), 0o755);
    const result = await run(process.execPath, ['--require', preload, 'bin/node24.cjs'], { HOME: home });
    expect(result).toEqual({
      code: 0,
      stdout: bin,
      stderr: 'Node 20.20.2 is older than 24: using Node 24.1.0 from ~/.node24.\n',
    });
    // bin/with-node24.sh runs the command with that node first on PATH (the stand-in answers 24.1.0).
    const wrapped = await run('sh', ['bin/with-node24.sh', 'node', '--version'], {
      HOME: home,
      PATH: `${fakeBin}:${process.env.PATH}`,
    });
    expect(wrapped.stdout).toBe('24.1.0\n');
  });
});
