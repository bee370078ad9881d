/**
 * The all-in-one process as operators run it: `node --max-semi-space-size=16 --no-memory-reducer bin/trellis.ts start`
 * (what `npm start` runs) in a child process, measured from outside through /proc — RSS without a
 * forced GC and CPU of that process alone, with nothing of the bench loaded into it. It boots twice on
 * one NODE_COMPILE_CACHE directory (as `npm start` sets it): the first boot fills the cache, the
 * measured second boot is a restart's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RawEnv } from '../kernel/config.ts';
import { freePort } from '../kernel/ports.ts';
import { BENCH_ENV, createDatabase, otherProcess, type ProcessProbe } from './lib.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StartedProcess {
  probe: ProcessProbe;
  url: string;
  stop(): Promise<void>;
}

async function untilReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`trellis start exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`trellis start was not ready within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Boots `trellis start` in a child process with the bench's production settings and `env` on top. */
async function startOnce(env: RawEnv): Promise<StartedProcess & { child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=16', '--no-memory-reducer', 'bin/trellis.ts', 'start'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...BENCH_ENV, TRELLIS_PORT: String(port), ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    await untilReady(url, child, 60_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { child, url, probe: otherProcess(child.pid as number), stop: () => stopChild(child) };
}

/**
 * Starts the measured process (after a first boot that fills the compile cache) on a fresh database
 * (DATABASE_URL's server) or an embedded PostgreSQL; `stop` also drops the database and the cache.
 */
export async function startMeasuredProcess(extra: RawEnv = {}): Promise<StartedProcess> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'trellis-start-bench-'));
  const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
  const env: RawEnv = {
    DATABASE_URL: database?.url,
    REDIS_URL: process.env.REDIS_URL,
    TRELLIS_REDIS_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
    TRELLIS_DATA_DIR: path.join(scratch, 'data'),
    TRELLIS_INTERNAL_SECRET: randomBytes(32).toString('hex'),
    TRELLIS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    TRELLIS_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    NODE_COMPILE_CACHE: path.join(scratch, 'compile-cache'),
    ...extra,
  };
  const cleanup = async () => {
    await database?.drop().catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    const first = await startOnce(env);
    await first.stop();
    const measured = await startOnce(env);
    return {
      probe: measured.probe,
      url: measured.url,
      async stop() {
        await measured.stop();
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
