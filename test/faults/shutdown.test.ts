/**
 * SIGTERM on a running platform with live clients (issue 8, item 14): `trellis start` runs as a
 * child process; an SSE client, a graphql-ws client and a /v1/events/ws client are connected and an
 * API key has unflushed usage. The process must close the live streams first (a final SSE comment,
 * WebSocket close 1001), finish, flush the API-key usage and exit 0 well within the shutdown deadline
 * — before, it waited out the 10 s deadline on the SSE stream, exited 1 and lost the usage.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { threadsOf } from '../../kernel/gc-threads.ts';
import { connect, wsUrl } from '../events/ws-client.ts';
import { eventually } from '../eventually.ts';
import { openSse } from '../sse-client.ts';
import { call, graphql } from './support.ts';

const ROOT = new URL('../../', import.meta.url);
let databaseUrl: string;
let dataDir: string;
let child: ChildProcess | undefined;
const dbName = `trellis_test_${randomBytes(6).toString('hex')}`;

async function admin<T>(run: (client: pg.Client) => Promise<T>, url = inject('adminDatabaseUrl')): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin((db) => db.query(`create database ${dbName}`));
  const url = new URL(inject('adminDatabaseUrl'));
  url.pathname = `/${dbName}`;
  databaseUrl = url.toString();
  dataDir = await mkdtemp(path.join(tmpdir(), 'trellis-shutdown-'));
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await admin((db) => db.query(`drop database if exists ${dbName} with (force)`));
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts `node bin/trellis.ts start`; resolves with the gateway URL once it prints that it is ready. */
async function startPlatformProcess(): Promise<{ url: string; output: () => string }> {
  const ports = Object.fromEntries(
    ['TRELLIS_PORT', 'TRELLIS_IDENTITY_PORT', 'TRELLIS_GOVERNANCE_PORT', 'TRELLIS_COMPUTE_PORT'].map((v) => [v, '0']),
  );
  child = spawn(process.execPath, ['bin/trellis.ts', 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      TRELLIS_REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}`,
      TRELLIS_DATA_DIR: dataDir,
      TRELLIS_LOG_LEVEL: 'warn',
      TRELLIS_BILLING_PORT: '0',
      TRELLIS_EVENTS_PORT: '0',
      ...ports,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  // Loading every module takes a while on a busy CI machine.
  const url = await eventually(() => /GraphQL\s+(http:\/\/\S+)\/graphql/.exec(output)?.[1], 90_000);
  return { url, output: () => output };
}

it('SIGTERM with live clients: streams end cleanly, usage is flushed, exit 0 at once', async () => {
  const { url, output } = await startPlatformProcess();
  // `trellis start` runs V8's helper threads at TRELLIS_GC_THREAD_NICE (10), its own threads as started.
  const threads = threadsOf(child?.pid as number);
  const base = threads.find((t) => t.tid === child?.pid)?.nice ?? Number.NaN;
  expect(threads.filter((t) => t.name === 'V8Worker').map((t) => t.nice)).toContain(Math.max(base, 10));
  expect(threads.filter((t) => t.name === 'V8Worker').every((t) => t.nice === Math.max(base, 10))).toBe(true);
  const registered = await call(`${url}/v1/auth/register`, undefined, {
    body: { email: `shutdown-${randomBytes(4).toString('hex')}@example.com`, password: 'correct horse battery' },
  });
  const token = registered.body.data.token as string;
  const org = await call(`${url}/v1/orgs`, token, { body: { name: 'Shutdown Org' } });
  const orgId = org.body.data.id as string;
  const minted = await graphql(
    url,
    token,
    'mutation($o: ID!) { createApiKey(input: { orgId: $o, name: "usage" }) { key apiKey { id } } }',
    { o: orgId },
  );
  const { key, apiKey } = minted.body.data.createApiKey;
  for (let i = 0; i < 3; i++) expect((await call(`${url}/v1/me`, key)).status).toBe(200);

  const sse = await openSse(`${url}/v1/events/stream?orgId=${orgId}`, { authorization: `Bearer ${key}` });
  expect(sse.status).toBe(200);
  const subscriber = connect(url, { apiKey: key });
  const subscription = subscriber.subscribe('subscription($o: ID!) { controlPlane(orgId: $o) { kind } }', { o: orgId });
  const socket = new WebSocket(wsUrl(url, `/v1/events/ws?orgId=${orgId}`), {
    headers: { authorization: `Bearer ${key}` },
  });
  let socketClosed: number | undefined;
  let socketReady = false;
  socket.on('message', (data) => {
    socketReady ||= JSON.parse(String(data)).type === 'ready';
  });
  socket.on('close', (code) => {
    socketClosed = code;
  });
  await eventually(() => sse.comments.some((c) => c.startsWith('connected')));
  await eventually(() => subscription.messages.length > 0);
  await eventually(() => socketReady);

  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child?.once('exit', (code) => resolve({ code, at: Date.now() })),
  );
  const sentAt = Date.now();
  child?.kill('SIGTERM');
  const { code, at } = await exited;
  child = undefined;

  expect(code, output()).toBe(0);
  // About half a second on an idle machine; the shutdown deadline (10 s) is what it used to take.
  expect(at - sentAt).toBeLessThan(5_000);
  await eventually(() => sse.ended, 1_000);
  expect(sse.ended).toBe('end');
  expect(sse.comments.some((c) => c.startsWith('server shutting down'))).toBe(true);
  await eventually(() => subscriber.closed && socketClosed, 1_000);
  expect(subscriber.closed?.code).toBe(1001);
  expect(socketClosed).toBe(1001);
  // The final usage flush reached identity before the process exited.
  const usage = await admin(
    (db) => db.query('select usage_count from identity.api_keys where id = $1', [apiKey.id]),
    databaseUrl,
  );
  expect(Number(usage.rows[0]?.usage_count)).toBeGreaterThanOrEqual(3);
}, 150_000);
