/**
 * The docker runtime's requests to the Docker Engine API, against a test double (test/compute/docker-double.ts)
 * — this runs everywhere. Against a real engine (Docker or Podman's API socket), run the opt-in suite:
 * `TRELLIS_TEST_DOCKER_SOCKET=/run/podman/podman.sock TRELLIS_TEST_DOCKER_IMAGE=<local image> npm run test:docker`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../subgraphs/compute/agent/docker-runtime.ts';
import { DockerDouble } from './docker-double.ts';

let dir: string;
let double: DockerDouble;
let runtime: DockerRuntime;

const spec = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: 'my-first-vm',
  generation: 2,
  imageUrl: 'ghcr.io/my-org/my-image:latest',
  containerPort: 8080,
  containerCommand: null,
  envVars: { MODEL: 'llama-3' },
  diskSizeGb: 100,
  gpuModelId: 'rtx-4090',
  ...extra,
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trellis-docker-'));
  double = new DockerDouble();
  await double.listen(path.join(dir, 'docker.sock'));
  runtime = new DockerRuntime(new Docker({ socketPath: path.join(dir, 'docker.sock') }), path.join(dir, 'agent'));
  // What the engine answers for GET …/archive?path=/data: a tar holding data/marker.txt.
  await writeFile(path.join(dir, 'marker.txt'), 'hello from the volume');
  execFileSync('tar', ['-cf', path.join(dir, 'data.tar'), '-C', dir, '--transform', 's,^,data/,', 'marker.txt']);
  double.archive = await readFile(path.join(dir, 'data.tar'));
});
afterAll(async () => {
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

describe('docker runtime (Docker Engine API test double)', () => {
  it('pulls with the node’s registry credentials, creates and starts the container, and maps its port', async () => {
    const running = await runtime.start({
      ...spec('vm_a'),
      registryAuth: { server: 'ghcr.io', authType: 'basic', credentials: { username: 'bot', password: 's3cret' } },
    });
    expect(running.port).toBe(double.hostPort);

    const [pull] = double.find('POST', /^\/images\/create$/);
    expect(pull?.query.get('fromImage')).toBe('ghcr.io/my-org/my-image');
    expect(pull?.query.get('tag')).toBe('latest');
    const auth = JSON.parse(Buffer.from(String(pull?.headers['x-registry-auth']), 'base64').toString());
    expect(auth).toMatchObject({ username: 'bot', password: 's3cret', serveraddress: 'ghcr.io' });

    expect([...double.volumes]).toContain('trellis-vm_a');
    const [create] = double.find('POST', /^\/containers\/create$/);
    expect(create?.query.get('name')).toBe('trellis-vm_a');
    const body = JSON.parse(String(create?.body));
    expect(body).toMatchObject({
      Image: 'ghcr.io/my-org/my-image:latest',
      ExposedPorts: { '8080/tcp': {} },
      Labels: { 'trellis.workload': 'vm_a', 'trellis.generation': '2' },
      HostConfig: {
        PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
        Binds: ['trellis-vm_a:/data'],
      },
    });
    expect(body.Cmd).toBeUndefined();
    expect(body.Env).toEqual(
      expect.arrayContaining(['MODEL=llama-3', 'PORT=8080', 'DISK_DIR=/data', 'TRELLIS_VM_ID=vm_a']),
    );
    expect(double.find('POST', /^\/containers\/trellis-vm_a\/start$/)).toHaveLength(1);

    // A stop that was asked for is not an exit to report.
    let exited = '';
    running.onExit((reason) => {
      exited = reason;
    });
    await running.stop();
    expect(double.find('POST', /^\/containers\/trellis-vm_a\/stop$/)[0]?.query.get('t')).toBe('5');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exited).toBe('');
  });

  it('reports a container that exits on its own, with its code', async () => {
    const running = await runtime.start(spec('vm_b', { containerCommand: ['python', '-m', 'http.server'] }));
    const reason = new Promise<string>((resolve) => running.onExit(resolve));
    double.exit('trellis-vm_b', 3);
    expect(await reason).toBe('the container exited (code 3)');
    const create = double.find('POST', /^\/containers\/create$/).find((r) => r.query.get('name') === 'trellis-vm_b');
    expect(JSON.parse(String(create?.body)).Cmd).toEqual(['python', '-m', 'http.server']);
  });

  it('snapshots the volume through the stopped container and restores it into a fork before it starts', async () => {
    const size = await runtime.snapshot('vm_a', 'snap_1');
    expect(double.find('GET', /^\/containers\/trellis-vm_a\/archive$/)[0]?.query.get('path')).toBe('/data');
    const archive = await readFile(path.join(dir, 'agent', 'snapshots', 'snap_1.tar.gz'));
    expect(size).toBe(archive.length);
    expect(gunzipSync(archive).equals(double.archive)).toBe(true);

    await runtime.start(spec('vm_fork', { restoreSnapshotId: 'snap_1' }));
    const put = double.find('PUT', /^\/containers\/trellis-vm_fork\/archive$/);
    expect(put).toHaveLength(1);
    expect(put[0]?.query.get('path')).toBe('/');
    expect(put[0]?.body.equals(archive)).toBe(true);
    const order = double.requests.filter((r) => r.path.startsWith('/containers/trellis-vm_fork/')).map((r) => r.path);
    expect(order.indexOf('/containers/trellis-vm_fork/archive')).toBeLessThan(
      order.indexOf('/containers/trellis-vm_fork/start'),
    );

    await runtime.deleteSnapshot('snap_1');
    await expect(readFile(path.join(dir, 'agent', 'snapshots', 'snap_1.tar.gz'))).rejects.toThrow();
  });

  it('terminate removes the container and its volume; a workload without an image cannot start', async () => {
    await runtime.remove('vm_a');
    expect(double.containers.has('trellis-vm_a')).toBe(false);
    expect(double.volumes.has('trellis-vm_a')).toBe(false);
    await expect(runtime.start(spec('vm_c', { imageUrl: null }))).rejects.toThrow(/imageUrl/);
  });
});
