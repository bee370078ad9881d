import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * In a fresh process (vitest's own module runner would hide Node's resolution): importing the gateway
 * loads none of @apollo/gateway's telemetry stack, and the gateway still builds its query plans.
 */
const PROBE = `
import { createRequire } from 'node:module';
const { ApolloGateway } = await import('./gateway/gateway.ts').then(() => import('@apollo/gateway'));
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => p.includes('/node_modules/'));
console.log(JSON.stringify({
  telemetry: process.env.APOLLO_TELEMETRY_DISABLED,
  exporter: loaded.filter((p) => p.includes('exporter-metrics-otlp-http')).length,
  detectors: loaded.filter((p) => p.includes('resource-detector')).length,
  incubating: loaded.filter((p) => p.includes('semantic-conventions') && p.includes('incubating')).length,
  api: loaded.filter((p) => p.includes('@opentelemetry/api/')).length,
  gateway: typeof ApolloGateway,
}));
`;

describe("@apollo/gateway's unused telemetry stack", () => {
  it('is not loaded, and telemetry is off, while the tracing API and the gateway are', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', PROBE], {
      cwd: new URL('../..', import.meta.url).pathname,
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1) as string)).toEqual({
      telemetry: 'true',
      exporter: 0,
      detectors: 0,
      incubating: 0,
      api: expect.any(Number),
      gateway: 'function',
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1) as string).api).toBeGreaterThan(0);
  }, 60_000);
});
