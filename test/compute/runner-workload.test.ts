/**
 * The built-in runner (subgraphs/compute/agent/runner-workload.ts), run as the real program against the
 * platform: three runner processes on a pool of size 2 run five jobs' `payload.command`s — each completed
 * with its captured output, never more than two at once (the pool's claim gate) —; a command that exits
 * non-zero fails its job with the exit code; one running past its timeoutSeconds is killed and failed; a
 * job without a valid command fails, not retried; SIGTERM
 * drains a runner (it exits 0).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let writer: string;
let worker: string;
const runners: ChildProcess[] = [];

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off' });
  user = await platform.signup('Runner Org');
  writer = (await platform.apiKey(user, ['compute:write', 'compute:read'])).key;
  worker = (await platform.apiKey(user, ['jobs:work'])).key;
}, 60_000);
afterAll(async () => {
  for (const runner of runners) if (runner.exitCode === null) runner.kill('SIGKILL');
  await closeAll();
});

const data = (r: { body: unknown }) => (r.body as { data: Json }).data;

function startRunner(queue: string, id: string, dir: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [path.resolve(import.meta.dirname, '../../subgraphs/compute/agent/runner-workload.ts')],
    {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        PATH: process.env.PATH,
        TRELLIS_URL: platform.url,
        TRELLIS_RUNNER_KEY: worker,
        TRELLIS_RUNNER_QUEUE: queue,
        TRELLIS_RUNNER_ID: id,
        TRELLIS_RUNNER_POLL_MS: '100',
      },
    },
  );
  runners.push(child);
  return child;
}

// Appends "start <id> <ms>" and "end <id> <ms>" to the log file, working 400 ms in between.
const JOB = `
const fs = require('node:fs'); const [log, n] = process.argv.slice(1);
fs.appendFileSync(log, 'start ' + n + ' ' + Date.now() + '\\n');
setTimeout(() => { fs.appendFileSync(log, 'end ' + n + ' ' + Date.now() + '\\n'); console.log('built ' + n + ' in ' + process.cwd()); }, 400);
`;

describe('built-in runner', () => {
  it('runs a pool queue’s commands, at most the pool’s size at once, and drains on SIGTERM', async () => {
    const pool = data(
      await platform.rest('POST', `/v1/orgs/${user.orgId}/runner-pools`, {
        token: writer,
        body: { name: 'ci', poolRamGb: 4, size: 2 },
      }),
    );
    const dir = await mkdtemp(path.join(tmpdir(), 'trellis-runner-'));
    const log = path.join(dir, 'log.txt');
    const submit = async (payload: Json, extra: Json = {}) => {
      const r = await platform.rest('POST', '/v1/jobs', {
        token: writer,
        body: { queue: pool.queue, type: 'ci.build', payload, ...extra },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return data(r).id as string;
    };
    const builds: string[] = [];
    for (let i = 0; i < 5; i++) builds.push(await submit({ command: [process.execPath, '-e', JOB, log, String(i)] }));
    const broken = await submit({ command: [process.execPath, '-e', 'process.exit(3)'] }, { maxAttempts: 1 });
    const invalid = await submit({ script: 'make' });
    const slow = await submit(
      { command: [process.execPath, '-e', 'setTimeout(() => {}, 30000)'] },
      { maxAttempts: 1, timeoutSeconds: 2 },
    );

    const children = [0, 1, 2].map((i) => startRunner(pool.queue, `runner-${i}`, dir));
    const ids = [...builds, broken, invalid, slow];
    const finished = await eventually(async () => {
      const r = await platform.rest('GET', `/v1/jobs?queue=${pool.queue}&limit=50`, { token: writer });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const byId = new Map((data(r).items as Json[]).map((j) => [j.id, j]));
      const all = ids.map((id) => byId.get(id) as Json);
      return all.every((j) => ['succeeded', 'failed'].includes(j?.status as string)) ? all : undefined;
    }, 60_000);

    const [done, failedRun, failedInvalid] = [finished.slice(0, 5), finished[5] as Json, finished[6] as Json];
    for (const [i, j] of done.entries()) {
      expect(j.status).toBe('succeeded');
      expect(j.result).toMatchObject({ exitCode: 0, timedOut: false });
      expect((j.result as Json).stdout).toMatch(new RegExp(`^built ${i} in .*jobs`));
    }
    expect(failedRun.status).toBe('failed');
    expect(JSON.stringify(failedRun.error)).toMatch(/exited with 3/);
    expect(failedInvalid.status).toBe('failed');
    expect(failedInvalid.attempts).toBe(1);
    expect(JSON.stringify(failedInvalid.error)).toMatch(/payload.command/);
    // Killed by the runner at the job's timeoutSeconds, its job failed by the runner (not a lapsed lease).
    const failedSlow = finished[7] as Json;
    expect(failedSlow.status).toBe('failed');
    expect(failedSlow.error).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(JSON.stringify(failedSlow.error)).toMatch(/ran past the job's timeoutSeconds \(2\)/);

    // Never more than the pool's size at once, although three runners were claiming.
    const events = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .map(([kind, , at]) => ({ delta: kind === 'start' ? 1 : -1, at: Number(at) }))
      .sort((a, b) => a.at - b.at || a.delta - b.delta);
    let running = 0;
    let most = 0;
    for (const e of events) {
      running += e.delta;
      most = Math.max(most, running);
    }
    expect(events).toHaveLength(10);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);

    const exits = children.map((child) => new Promise<number | null>((resolve) => child.once('exit', resolve)));
    for (const child of children) child.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0, 0]);
  }, 120_000);
});
