/**
 * The all-in-one platform (`trellis start`) in a child process on a fresh
 * database, so a test can measure the server's own memory and see whether it
 * survived — apart from the test runner's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export interface ChildPlatform {
  url: string;
  pid: number;
  /** The child's resident set and its peak, in bytes (Linux `/proc`). */
  memory(): Promise<{ rss: number; peak: number }>;
  alive(): boolean;
  close(): Promise<void>;
}

const TRELLIS = fileURLToPath(new URL('../../bin/trellis.ts', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${output()}`)), READY_TIMEOUT_MS);
    const onData = () => {
      const match = /GraphQL\s+(http:\/\/[\d.:]+)\/graphql/.exec(output());
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve(match[1] as string);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output()}`));
    });
  });
}

export async function startChildPlatform(adminUrl: string, env: Record<string, string> = {}): Promise<ChildPlatform> {
  const name = `trellis_child_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${name}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'trellis-child-'));
  let output = '';
  const child = spawn(process.execPath, [TRELLIS, 'start'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl.toString(),
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      TRELLIS_REDIS_PREFIX: `child-${randomBytes(4).toString('hex')}`,
      TRELLIS_DATA_DIR: dataDir,
      TRELLIS_LOG_LEVEL: 'error',
      TRELLIS_PORT: '0',
      TRELLIS_IDENTITY_PORT: '0',
      TRELLIS_GOVERNANCE_PORT: '0',
      TRELLIS_COMPUTE_PORT: '0',
      TRELLIS_BILLING_PORT: '0',
      TRELLIS_EVENTS_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-100_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exited = false;
  // A runner that dies or times out must not leave the platform behind.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  child.once('exit', () => {
    exited = true;
    process.off('exit', killChild);
  });
  const cleanup = async () => {
    await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    await rm(dataDir, { recursive: true, force: true });
  };
  let url: string;
  try {
    url = await waitForUrl(child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    await cleanup();
    throw error;
  }
  return {
    url,
    pid: child.pid as number,
    alive: () => !exited,
    async memory() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
      return { rss: kib('VmRSS'), peak: kib('VmHWM') };
    },
    async close() {
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(timer);
      }
      await cleanup();
    },
  };
}
