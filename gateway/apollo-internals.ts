/**
 * The one way Trellis reaches into @apollo/gateway's internals (result-shaping.ts, operation-cache.ts):
 * each patch replaces an export the gateway's executor reads at every call. Both were checked against
 * one @apollo/gateway version; loading them against another refuses to start, so an upgrade fails
 * loudly instead of shaping results wrongly.
 */
import './apollo-telemetry.ts';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The @apollo/gateway version the patches were checked against. */
export const CHECKED_GATEWAY_VERSION = '2.14.4';

/**
 * The module at `path` as @apollo/gateway itself resolves it (its own dependencies included), after
 * checking the installed gateway is CHECKED_GATEWAY_VERSION; `patch` names the file and what it reproduces.
 */
export function gatewayInternal<T>(path: string, patch: string): T {
  const { version } = require('@apollo/gateway/package.json') as { version: string };
  if (version !== CHECKED_GATEWAY_VERSION)
    throw new Error(
      `${patch} was checked against @apollo/gateway ${CHECKED_GATEWAY_VERSION}, not ${version}: check it against the new version, then update CHECKED_GATEWAY_VERSION in gateway/apollo-internals.ts`,
    );
  return createRequire(require.resolve('@apollo/gateway'))(path) as T;
}
