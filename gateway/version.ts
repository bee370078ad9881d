/**
 * `GET /version` (seed 004): what is running — the package version, the source commit
 * (`TRELLIS_BUILD_COMMIT`), the hash of the supergraph served now (it changes on an operator
 * reload), and the process uptime. Public, like the health endpoints; nothing secret in it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../kernel/config.ts';

export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const schemaHashOf = (sdl: string): string => `sha256:${createHash('sha256').update(sdl).digest('hex')}`;

export interface VersionInfo {
  version: string;
  commit: string;
  schemaHash: string;
  uptimeSeconds: number;
  node: string;
}

export function versionInfo(config: Pick<Config, 'buildCommit'>, supergraphSdl: string): VersionInfo {
  return {
    version: PACKAGE_VERSION,
    commit: config.buildCommit,
    schemaHash: schemaHashOf(supergraphSdl),
    uptimeSeconds: Math.floor(process.uptime()),
    node: process.versions.node,
  };
}

export function registerVersionRoute(
  app: FastifyInstance,
  config: Pick<Config, 'buildCommit'>,
  supergraph: () => string,
): void {
  app.get('/version', async (_req, reply) =>
    reply.header('cache-control', 'no-store').send(versionInfo(config, supergraph())),
  );
}
