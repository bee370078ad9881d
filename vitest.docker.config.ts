import { defineConfig } from 'vitest/config';

/**
 * The opt-in suite against a real Docker Engine API (`npm run test:docker`): selected by this config, not
 * by a skip — it fails when TRELLIS_TEST_DOCKER_SOCKET / TRELLIS_TEST_DOCKER_IMAGE are not set. The
 * default suite tests the docker runtime against a test double (test/compute/docker-runtime.test.ts).
 */
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: { include: ['test/docker-live/**/*.docker.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
