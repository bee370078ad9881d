/**
 * The `docker` agent runtime: runs a workload's `imageUrl` as a container through the Docker Engine API
 * (`dockerode`; Podman's compatible API socket serves it too). Per workload:
 *
 * - the image is pulled when absent, with the registry credentials the control plane opened for this
 *   node only (`registryAuth`);
 * - a named volume `trellis-<id>` mounted at `/data` is its disk (`DISK_DIR=/data`), kept across
 *   restarts and removed on terminate; the container `trellis-<id>` is recreated on each start;
 * - `containerPort` is published on 127.0.0.1 at a port Docker picks; the agent's ingress proxies to it;
 * - a snapshot is the volume's content read through the stopped container (`GET /containers/{id}/archive`),
 *   gzip'd into the node's snapshot store; a fork's container gets it back (`PUT …/archive`) before it
 *   first starts.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type Docker from 'dockerode';
import { type RegistryAuth, type RunningWorkload, type Runtime, SnapshotStore, type WorkloadSpec } from './runtime.ts';

const DATA = '/data';

const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;

/** Docker's `authconfig` for a pull: basic → username/password, token → identitytoken. */
export function authConfigOf(auth: RegistryAuth | null | undefined): Docker.AuthConfig | undefined {
  if (!auth) return undefined;
  if (auth.authType === 'basic')
    return {
      username: auth.credentials.username ?? '',
      password: auth.credentials.password ?? '',
      serveraddress: auth.server,
    };
  return {
    username: '',
    password: '',
    serveraddress: auth.server,
    identitytoken: auth.credentials.token ?? '',
  } as Docker.AuthConfig;
}

export class DockerRuntime implements Runtime {
  readonly name = 'docker';
  private readonly docker: Docker;
  readonly snapshots: SnapshotStore;

  constructor(docker: Docker, dataDir: string) {
    this.docker = docker;
    this.snapshots = new SnapshotStore(dataDir);
  }

  private containerName(id: string): string {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new Error('invalid workload id');
    return `trellis-${id}`;
  }

  private async ensureImage(image: string, auth: RegistryAuth | null | undefined): Promise<void> {
    try {
      await this.docker.getImage(image).inspect();
      return;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    const stream = await this.docker.pull(image, { authconfig: authConfigOf(auth) });
    await new Promise<void>((resolve, reject) =>
      this.docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  /** Removes the workload's container if one is left from an earlier start (its volume stays). */
  private async removeContainer(name: string): Promise<void> {
    try {
      await this.docker.getContainer(name).remove({ force: true });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  async needsRestore(workloadId: string): Promise<boolean> {
    try {
      await this.docker.getVolume(this.containerName(workloadId)).inspect();
      return false;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      return true;
    }
  }

  /** True when the volume was created now (a fork restores into a new volume only). */
  private async ensureVolume(name: string, workloadId: string): Promise<boolean> {
    try {
      await this.docker.getVolume(name).inspect();
      return false;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    await this.docker.createVolume({ Name: name, Labels: { 'trellis.workload': workloadId } });
    return true;
  }

  async start(spec: WorkloadSpec): Promise<RunningWorkload> {
    if (!spec.imageUrl) throw new Error('the docker runtime runs imageUrl, and this workload has none');
    const name = this.containerName(spec.id);
    await this.ensureImage(spec.imageUrl, spec.registryAuth);
    await this.removeContainer(name);
    const fresh = await this.ensureVolume(name, spec.id);
    const port = `${spec.containerPort}/tcp`;
    const container = await this.docker.createContainer({
      name,
      Image: spec.imageUrl,
      ...(spec.containerCommand ? { Cmd: spec.containerCommand } : {}),
      Env: Object.entries({
        ...spec.envVars,
        PORT: String(spec.containerPort),
        CONTAINER_PORT: String(spec.containerPort),
        DISK_DIR: DATA,
        DISK_SIZE_GB: String(spec.diskSizeGb),
        TRELLIS_VM_ID: spec.id,
        TRELLIS_VM_NAME: spec.name,
        TRELLIS_GPU_MODEL: spec.gpuModelId,
      }).map(([key, value]) => `${key}=${value}`),
      ExposedPorts: { [port]: {} },
      Labels: { 'trellis.workload': spec.id, 'trellis.generation': String(spec.generation) },
      HostConfig: {
        PortBindings: { [port]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
        Binds: [`${name}:${DATA}`],
        RestartPolicy: { Name: 'no' },
      },
    });
    if (spec.restoreSnapshotId && fresh)
      await container.putArchive(createReadStream(this.snapshots.archiveOf(spec.restoreSnapshotId)), { path: '/' });
    await container.start();
    const info = await container.inspect();
    const hostPort = Number(info.NetworkSettings?.Ports?.[port]?.[0]?.HostPort);
    if (!Number.isInteger(hostPort) || hostPort <= 0) {
      await container.remove({ force: true }).catch(() => undefined);
      throw new Error(`the container did not publish ${port}`);
    }
    let stopping = false;
    const listeners: ((reason: string) => void)[] = [];
    container
      .wait()
      .then((result: { StatusCode?: number }) => {
        if (!stopping)
          for (const listener of listeners) listener(`the container exited (code ${result.StatusCode ?? '?'})`);
      })
      .catch(() => undefined);
    return {
      port: hostPort,
      onExit: (listener) => listeners.push(listener),
      async stop() {
        stopping = true;
        try {
          await container.stop({ t: 5 });
        } catch (error) {
          // 304: already stopped; 404: already gone.
          if (statusOf(error) !== 304 && statusOf(error) !== 404) throw error;
        }
      },
    };
  }

  async remove(id: string): Promise<void> {
    const name = this.containerName(id);
    await this.removeContainer(name);
    try {
      await this.docker.getVolume(name).remove();
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /** The stopped container's `/data` (its volume) as a tar stream, gzip'd into the snapshot store. */
  async snapshot(workloadId: string, snapshotId: string): Promise<number> {
    const container = this.docker.getContainer(this.containerName(workloadId));
    const tar = await container.getArchive({ path: DATA });
    const target = this.snapshots.archiveOf(snapshotId);
    await mkdir(this.snapshots.root, { recursive: true });
    const partial = `${target}.partial`;
    await pipeline(tar, createGzip(), createWriteStream(partial));
    await rename(partial, target);
    return (await stat(target)).size;
  }

  deleteSnapshot(snapshotId: string): Promise<void> {
    return this.snapshots.remove(snapshotId);
  }
}
