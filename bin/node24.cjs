// Prints the directory of a Node.js 24 or newer for bin/with-node24.sh to put
// first on PATH: this node's own when it is recent enough, otherwise the one
// under ~/.node24, installed there from the npm registry (node-<os>-<arch>@24)
// the first time, saying so in one line. Plain CommonJS: it has to run on the
// old node it stands in for.
'use strict';
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REQUIRED = 24;
const home = path.join(os.homedir(), '.node24');
const shown = home.replace(os.homedir(), '~');
const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
const bin = path.join(home, 'node_modules', pkg, 'bin');

const major = (version) => Number(String(version).replace(/^v/, '').split('.')[0]);

/** The version of the node under ~/.node24, if one recent enough is there. */
function installedVersion() {
  const node = path.join(bin, process.platform === 'win32' ? 'node.exe' : 'node');
  if (!fs.existsSync(node)) return undefined;
  const run = childProcess.spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return run.status === 0 && major(run.stdout) >= REQUIRED ? run.stdout.trim() : undefined;
}

function fail(reason) {
  process.stderr.write(
    `Trellis needs Node.js ${REQUIRED} (this is ${process.versions.node}) and ${reason}: install Node.js ${REQUIRED} ` +
      `(https://nodejs.org) or run \`npm install --prefix ${shown} ${pkg}@${REQUIRED}\`, then run the command again.\n`,
  );
  process.exit(1);
}

function install() {
  process.stderr.write(
    `Node ${process.versions.node} is older than ${REQUIRED}: installing Node ${REQUIRED} from the npm registry into ${shown} (once, about 30 MB)…\n`,
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Few, short retries: an unreachable registry is reported in seconds rather than after minutes.
  const run = childProcess.spawnSync(
    npm,
    [
      'install',
      '--prefix',
      home,
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      '--fetch-retries=1',
      '--fetch-retry-mintimeout=2000',
      '--fetch-retry-maxtimeout=5000',
      `${pkg}@${REQUIRED}`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (run.error || run.status !== 0) {
    const npmError = /npm error (?:code )?(\S.*)/.exec(run.stderr || '')?.[1] ?? run.error?.message ?? 'unknown error';
    fail(`installing it into ${shown} failed (${npmError})`);
  }
  if (!installedVersion()) fail(`${pkg}@${REQUIRED} installed no usable node`);
}

function main() {
  if (major(process.versions.node) >= REQUIRED) return path.dirname(process.execPath);
  const version = installedVersion();
  if (version)
    process.stderr.write(
      `Node ${process.versions.node} is older than ${REQUIRED}: using Node ${version} from ${shown}.\n`,
    );
  else install();
  return bin;
}

process.stdout.write(main());
