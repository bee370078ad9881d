/**
 * Agent runtimes: how a node runs a workload. `process` (always available): a child process in the
 * workload's own working directory, with its env vars, an allocated port ($PORT) and a disk directory
 * whose size is watched against the VM's `diskSizeGb`; `docker` runs `imageUrl` through the Docker
 * Engine API (docker-runtime.ts). Both archive a stopped workload's files into the node's snapshot store
 * and restore a fork's files from it before its first start.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { freePort } from '../../../kernel/ports.ts';
import { signalGroup, tetherGroup, untetherGroup } from './workload-reaper.ts';

const run = promisify(execFile);

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
  /** A fork: restore the workload's files from this snapshot before its first start. */
  restoreSnapshotId?: string | null;
  /** The SHA-256 the control plane recorded for that snapshot's stored archive. */
  restoreSnapshotSha256?: string | null;
  /** Registry credentials the control plane opened for this node only (the docker runtime's pull). */
  registryAuth?: RegistryAuth | null;
  /** How long `stop()` waits after SIGTERM before SIGKILL (default 5 s; a pool's runner drains its job). */
  stopGraceMs?: number;
}

export interface RegistryAuth {
  server: string;
  authType: string;
  credentials: { username?: string; password?: string; token?: string };
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
  /** Where this node's snapshot archives are written and read (uploaded and downloaded by the agent). */
  readonly snapshots: SnapshotStore;
  /** True when starting this workload with `restoreSnapshotId` would restore it (its files do not exist yet). */
  needsRestore(workloadId: string): Promise<boolean>;
  start(spec: WorkloadSpec): Promise<RunningWorkload>;
  /** Removes what the workload left on the node (terminate). */
  remove(id: string): Promise<void>;
  /** Archives a stopped workload's files into the node's snapshot store; returns the archive's size in bytes. */
  snapshot(workloadId: string, snapshotId: string): Promise<number>;
  /** Removes a snapshot's archive (a deleted snapshot). */
  deleteSnapshot(snapshotId: string): Promise<void>;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

function safeId(id: string, what: string): string {
  if (!SAFE_ID.test(id)) throw new Error(`invalid ${what} id`);
  return id;
}

/**
 * The node's snapshot store: one gzip'd tar per snapshot under `<data>/snapshots`, written with the
 * system `tar` (GNU tar, present on every Linux node) to a temporary name and renamed when complete, so
 * an archive is either whole or absent.
 */
export class SnapshotStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.resolve(dataDir, 'snapshots');
  }

  archiveOf(snapshotId: string): string {
    return path.join(this.root, `${safeId(snapshotId, 'snapshot')}.tar.gz`);
  }

  /** Archives the entries of `dir` (relative names) into the snapshot's archive; returns its size. */
  async archive(dir: string, snapshotId: string): Promise<number> {
    await access(dir);
    await mkdir(this.root, { recursive: true });
    const target = this.archiveOf(snapshotId);
    const partial = `${target}.partial`;
    await run('tar', ['-czf', partial, '-C', dir, '.'], { maxBuffer: 1024 * 1024 });
    await rename(partial, target);
    return (await stat(target)).size;
  }

  /**
   * Writes a downloaded archive into the store, under a temporary name, and keeps it only when its
   * SHA-256 is `expectedSha256`: a corrupted or truncated download never reaches `restore`.
   */
  async receive(snapshotId: string, body: Readable, expectedSha256: string): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const target = this.archiveOf(snapshotId);
    const partial = `${target}.download`;
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, hashing, createWriteStream(partial, { mode: 0o600 }));
      const actual = hash.digest('hex');
      if (actual !== expectedSha256)
        throw new Error(
          `the snapshot archive is corrupted: its SHA-256 is ${actual}, the control plane recorded ${expectedSha256}`,
        );
      await rename(partial, target);
    } finally {
      await rm(partial, { force: true });
    }
  }

  /** Extracts the snapshot's archive into `dir` (created). */
  async restore(snapshotId: string, dir: string): Promise<void> {
    const archive = this.archiveOf(snapshotId);
    try {
      await access(archive);
    } catch {
      throw new Error(`snapshot ${snapshotId} is not on this node`);
    }
    await mkdir(dir, { recursive: true });
    await run('tar', ['-xzf', archive, '-C', dir, '--no-same-owner'], { maxBuffer: 1024 * 1024 });
  }

  async remove(snapshotId: string): Promise<void> {
    await rm(this.archiveOf(snapshotId), { force: true });
  }
}

/** Bytes used under `dir` (GNU `du`: allocated blocks, so sparse files count as what they occupy). */
export async function diskUsageBytes(dir: string): Promise<number> {
  const { stdout } = await run('du', ['-s', '-B1', dir], { maxBuffer: 1024 * 1024 });
  return Number.parseInt(stdout, 10) || 0;
}

export interface ProcessRuntimeOptions {
  /** How often a workload's directory is measured against its quota (default 5 s). */
  quotaCheckMs?: number;
}

const DEFAULT_WORKLOAD = new URL('./default-workload.ts', import.meta.url).pathname;

/**
 * The disk quota of the process runtime is a watchdog, not a filesystem quota: every `quotaCheckMs` the
 * workload's directory (work + disk) is measured with `du`, and a workload above `diskSizeGb` is killed
 * and reported failed. A workload can overshoot between two checks, and it can write outside its
 * directory (it runs as the agent's user): the process runtime isolates nothing — the docker runtime
 * does. Documented in docs/compute.md.
 */
export class ProcessRuntime implements Runtime {
  readonly name = 'process';
  private readonly root: string;
  readonly snapshots: SnapshotStore;
  private readonly quotaCheckMs: number;

  constructor(dataDir: string, options: ProcessRuntimeOptions = {}) {
    this.root = path.resolve(dataDir, 'workloads');
    this.snapshots = new SnapshotStore(dataDir);
    this.quotaCheckMs = options.quotaCheckMs ?? 5_000;
  }

  private dirOf(id: string): string {
    return path.join(this.root, safeId(id, 'workload'));
  }

  async snapshot(workloadId: string, snapshotId: string): Promise<number> {
    return this.snapshots.archive(this.dirOf(workloadId), snapshotId);
  }

  deleteSnapshot(snapshotId: string): Promise<void> {
    return this.snapshots.remove(snapshotId);
  }

  async needsRestore(workloadId: string): Promise<boolean> {
    return !(await exists(this.dirOf(workloadId)));
  }

  async start(spec: WorkloadSpec): Promise<RunningWorkload> {
    const dir = this.dirOf(spec.id);
    const work = path.join(dir, 'work');
    const disk = path.join(dir, 'disk');
    // A fork's files come from its snapshot, once: later starts find the directory and keep what it wrote.
    if (spec.restoreSnapshotId && !(await exists(dir))) {
      try {
        await this.snapshots.restore(spec.restoreSnapshotId, dir);
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
    await mkdir(work, { recursive: true });
    await mkdir(disk, { recursive: true });
    const port = await freePort();
    const [command, ...args] = spec.containerCommand ?? [process.execPath, DEFAULT_WORKLOAD];
    // Its own process group, tethered to this process: stopping signals everything the workload forked,
    // and the workload dies with the agent even when the agent is SIGKILLed (workload-reaper.ts).
    const child: ChildProcess = spawn(command as string, args, {
      cwd: work,
      stdio: 'ignore',
      detached: true,
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
    const group = child.pid;
    if (group !== undefined) tetherGroup(group);
    const killAll = () => (group === undefined ? child.kill('SIGKILL') : signalGroup(group, 'SIGKILL'));
    let stopping = false;
    let overQuota: string | null = null;
    const exitListeners: ((reason: string) => void)[] = [];
    const quotaBytes = Math.floor(spec.diskSizeGb * 1024 ** 3);
    const watchdog = setInterval(() => {
      diskUsageBytes(dir)
        .then((used) => {
          if (used <= quotaBytes || stopping || overQuota) return;
          overQuota = `the workload exceeded its disk quota (${used} bytes used of ${quotaBytes}, diskSizeGb ${spec.diskSizeGb})`;
          killAll();
        })
        .catch(() => undefined);
    }, this.quotaCheckMs);
    watchdog.unref();
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        clearInterval(watchdog);
        // The workload is over when its leader is: nothing it forked outlives it.
        if (group !== undefined) {
          signalGroup(group, 'SIGKILL');
          untetherGroup(group);
        }
        resolve();
        if (!stopping)
          for (const listener of exitListeners)
            listener(overQuota ?? `the workload exited (${signal ?? `code ${code}`})`);
      });
      child.once('error', (error) => {
        clearInterval(watchdog);
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
          // SIGTERM asks the workload itself (a draining runner lets its job's command finish); the grace's
          // end kills everything in its group.
          child.kill('SIGTERM');
          const timer = setTimeout(killAll, spec.stopGraceMs ?? 5_000);
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

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
