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

/**
 * Our hooks make every `require` pay for them, and Apollo's `createHash` requires `crypto` each time
 * it hashes (every request's query hash): both copies of it get `crypto` without a require.
 */
const HASH_PROBE = `
import { registerHooks } from 'node:module';
await import('./gateway/apollo-telemetry.ts');
const { ApolloServer } = await import('@apollo/server');
const gatewayHash = await import('@apollo/gateway').then((m) => m.default ?? m);
let requires = 0;
registerHooks({ resolve(specifier, context, next) { if (specifier === 'crypto') requires++; return next(specifier, context); } });
const server = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'hi' } } });
await server.start();
const answers = [];
for (let i = 0; i < 3; i++) {
  const response = await server.executeOperation({ query: '{ hello }' });
  answers.push(response.body.singleResult.data.hello);
}
const { createHash } = (await import('node:module')).createRequire(import.meta.resolve('@apollo/gateway').replace('file://', ''))('@apollo/utils.createhash');
const digest = createHash('sha256').update('x').digest('hex').length;
console.log(JSON.stringify({ answers, requires, digest }));
`;

describe("Apollo's createHash", () => {
  it('hashes every request without a require of crypto (through our hooks)', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', HASH_PROBE], {
      cwd: new URL('../..', import.meta.url).pathname,
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1) as string)).toEqual({
      answers: ['hi', 'hi', 'hi'],
      requires: 0,
      digest: 64,
    });
  }, 60_000);
});
