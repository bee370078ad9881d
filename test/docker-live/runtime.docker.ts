/**
 * The docker runtime against a real engine (Docker, or Podman's API socket: `podman system service
 * --time=0 unix:///run/podman/podman.sock`). No registry is needed: TRELLIS_TEST_DOCKER_IMAGE names a
 * local image whose `/node` runs Node (e.g. one imported with `podman import` from a tarball holding the
 * node binary and its libraries). Start → the published port answers → stop → snapshot → a fork restored
 * from it serves the same disk → terminate removes container and volume.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../subgraphs/compute/agent/docker-runtime.ts';

const socketPath = process.env.TRELLIS_TEST_DOCKER_SOCKET;
const image = process.env.TRELLIS_TEST_DOCKER_IMAGE;
if (!socketPath || !image)
  throw new Error('npm run test:docker needs TRELLIS_TEST_DOCKER_SOCKET and TRELLIS_TEST_DOCKER_IMAGE');

const SERVER = `
const fs = require('node:fs'); const file = '/data/marker.txt';
if (!fs.existsSync(file)) fs.writeFileSync(file, 'first written by ' + process.env.TRELLIS_VM_ID);
require('node:http').createServer((q, r) => r.end(fs.readFileSync(file))).listen(Number(process.env.PORT), '0.0.0.0');
`;

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const spec = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  generation: 1,
  imageUrl: image,
  containerPort: 8080,
  containerCommand: ['/node', '-e', SERVER],
  envVars: {},
  diskSizeGb: 1,
  gpuModelId: 'rtx-4090',
  ...extra,
});

async function answer(port: number): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await (await fetch(`http://127.0.0.1:${port}/`)).text();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('docker runtime against a real engine', () => {
  it('runs, snapshots, forks and removes a container', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trellis-docker-live-'));
    dirs.push(dir);
    const runtime = new DockerRuntime(new Docker({ socketPath }), dir);
    const id = `live_${Date.now()}`;
    const running = await runtime.start(spec(id));
    expect(await answer(running.port)).toBe(`first written by ${id}`);
    await running.stop();
    expect(await runtime.snapshot(id, `snap_${id}`)).toBeGreaterThan(0);
    const fork = await runtime.start(spec(`${id}_fork`, { restoreSnapshotId: `snap_${id}` }));
    expect(await answer(fork.port)).toBe(`first written by ${id}`);
    await fork.stop();
    await runtime.remove(`${id}_fork`);
    await runtime.remove(id);
  });
});
