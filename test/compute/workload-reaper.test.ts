/**
 * Workloads die with their agent (agent/workload-reaper.ts). A stand-in agent (fixtures/workload-holder.ts)
 * starts three workloads on a ProcessRuntime — the built-in default, one that ignores SIGTERM, one that
 * forks — and is SIGKILLed: every process of every workload is gone within a generous bound. The runtime's
 * own stop and a workload's own exit leave nothing of its process group behind either.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProcessRuntime } from '../../subgraphs/compute/agent/runtime.ts';
import { eventually } from '../eventually.ts';
import { HELD_WORKLOADS } from './fixtures/workload-holder.ts';
import { workloadPids } from './processes.ts';

const dirs: string[] = [];
const prefix = `reaper-${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  for (const kind of [...Object.keys(HELD_WORKLOADS), 'stopped', 'exited'])
    for (const pid of workloadPids(`${prefix}-${kind}`)) process.kill(pid, 'SIGKILL');
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'trellis-reaper-'));
  dirs.push(dir);
  return dir;
}

const spec = (id: string, containerCommand: string[]) => ({
  id,
  name: id,
  generation: 1,
  imageUrl: null,
  containerPort: 8080,
  containerCommand,
  envVars: {},
  diskSizeGb: 1,
  gpuModelId: 'rtx-4090',
});

describe('workloads die with their agent', () => {
  it('an agent SIGKILLed with running workloads leaves none of their processes behind', async () => {
    const holder = spawn(
      process.execPath,
      [path.resolve(import.meta.dirname, 'fixtures/workload-holder.ts'), await dataDir(), prefix],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    holder.stdout.on('data', (chunk) => {
      output += chunk;
    });
    await eventually(() => output.includes('started'), 30_000, 'the holder starting its workloads');
    const kinds = Object.keys(HELD_WORKLOADS);
    // Every workload runs (the forking one as two processes) before its agent is killed.
    const running = await eventually(() => {
      const pids = Object.fromEntries(kinds.map((kind) => [kind, workloadPids(`${prefix}-${kind}`)]));
      return pids.forking?.length === 2 && kinds.every((kind) => pids[kind]?.length) ? pids : undefined;
    }, 10_000);
    expect(Object.values(running).flat().length).toBe(4);

    holder.kill('SIGKILL');
    // The reaper's grace (3 s) plus its SIGKILL, with room for a loaded machine.
    await eventually(() => kinds.every((kind) => workloadPids(`${prefix}-${kind}`).length === 0), 10_000);
    expect(holder.signalCode).toBe('SIGKILL');
  }, 60_000);

  it("stopping a workload, or the workload's own exit, ends everything it forked", async () => {
    const runtime = new ProcessRuntime(await dataDir());
    const stopped = await runtime.start(spec(`${prefix}-stopped`, ['sh', '-c', 'sleep 600 & exec sleep 601']));
    await eventually(() => workloadPids(`${prefix}-stopped`).length === 2, 10_000);
    await stopped.stop();
    await eventually(() => workloadPids(`${prefix}-stopped`).length === 0, 10_000);

    const exited = await runtime.start(spec(`${prefix}-exited`, ['sh', '-c', 'sleep 600 & sleep 1; exit 3']));
    const reason = new Promise<string>((resolve) => exited.onExit(resolve));
    expect(await reason).toBe('the workload exited (code 3)');
    await eventually(() => workloadPids(`${prefix}-exited`).length === 0, 10_000);
  }, 60_000);
});
