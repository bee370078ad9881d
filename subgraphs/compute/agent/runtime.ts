/**
 * Agent runtimes: how a node runs a workload. `process` (always available): a child process in the
 * workload's own working directory, with its env vars, an allocated port ($PORT) and a disk directory;
 * `docker` would run `imageUrl` through the Docker Engine API (see docs/compute.md for its status here).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';

export interface WorkloadSpec {
  id: string;
  name: string;
  generation: number;
  imageUrl: string | null;
  containerPort: number;
  containerCommand: string[] | null;
  envVars: Record<string, string>;
  diskSizeGb: number;
  gpuModelId: string;
}

export interface RunningWorkload {
  /** Local port the workload listens on (its containerPort, mapped). */
  port: number;
  stop(): Promise<void>;
  /** Called once when the workload ends without being asked to (exit code or signal). */
  onExit(listener: (reason: string) => void): void;
}

export interface Runtime {
  readonly name: string;
  start(spec: WorkloadSpec): Promise<RunningWorkload>;
  /** Removes what the workload left on the node (terminate). */
  remove(id: string): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const DEFAULT_WORKLOAD = new URL('./default-workload.ts', import.meta.url).pathname;

export class ProcessRuntime implements Runtime {
  readonly name = 'process';
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = path.resolve(dataDir, 'workloads');
  }

  private dirOf(id: string): string {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new Error('invalid workload id');
    return path.join(this.root, id);
  }

  async start(spec: WorkloadSpec): Promise<RunningWorkload> {
    const dir = this.dirOf(spec.id);
    const work = path.join(dir, 'work');
    const disk = path.join(dir, 'disk');
    await mkdir(work, { recursive: true });
    await mkdir(disk, { recursive: true });
    const port = await freePort();
    const [command, ...args] = spec.containerCommand ?? [process.execPath, DEFAULT_WORKLOAD];
    const child: ChildProcess = spawn(command as string, args, {
      cwd: work,
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ...spec.envVars,
        PORT: String(port),
        CONTAINER_PORT: String(spec.containerPort),
        DISK_DIR: disk,
        DISK_SIZE_GB: String(spec.diskSizeGb),
        TRELLIS_VM_ID: spec.id,
        TRELLIS_VM_NAME: spec.name,
        TRELLIS_GPU_MODEL: spec.gpuModelId,
        TRELLIS_IMAGE_URL: spec.imageUrl ?? '',
      },
    });
    let stopping = false;
    const exitListeners: ((reason: string) => void)[] = [];
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve();
        if (!stopping)
          for (const listener of exitListeners) listener(`the workload exited (${signal ?? `code ${code}`})`);
      });
      child.once('error', (error) => {
        resolve();
        if (!stopping) for (const listener of exitListeners) listener(`the workload could not start: ${error.message}`);
      });
    });
    return {
      port,
      onExit: (listener) => exitListeners.push(listener),
      async stop() {
        stopping = true;
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
      },
    };
  }

  async remove(id: string): Promise<void> {
    await rm(this.dirOf(id), { recursive: true, force: true });
  }
}
