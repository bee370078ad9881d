/**
 * Trellis sends nothing off the machine, so @apollo/gateway's usage telemetry is off
 * (`APOLLO_TELEMETRY_DISABLED`). The gateway still `require`s the whole stack behind it at import —
 * an OTLP metrics exporter with protobuf, AWS/GCP/Azure/Alibaba resource detectors and 1.6 MB of
 * OpenTelemetry semantic conventions — ~15 MiB of RSS and part of a second of every boot spent on
 * code that never runs. Those requires, and only when @apollo/gateway's telemetry module makes
 * them, resolve to an empty module. The tracing API it uses on every request
 * (`@opentelemetry/api`) is left alone. Import this module before anything that imports
 * `@apollo/gateway`.
 */
import crypto from 'node:crypto';
import { createRequire, registerHooks } from 'node:module';

process.env.APOLLO_TELEMETRY_DISABLED = 'true';

/** What `@apollo/gateway/dist/utilities/opentelemetry.js` loads only for the telemetry it doesn't send. */
const TELEMETRY_ONLY = new Set([
  '@opentelemetry/semantic-conventions/incubating',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/resource-detector-alibaba-cloud',
  '@opentelemetry/resource-detector-aws',
  '@opentelemetry/resource-detector-gcp',
  '@opentelemetry/resource-detector-azure',
  '@opentelemetry/resources',
  '@opentelemetry/exporter-metrics-otlp-http',
]);
const ISSUER = '/@apollo/gateway/dist/utilities/opentelemetry.js';
const UNUSED_URL = 'trellis-unused:';

registerHooks({
  resolve(specifier, context, next) {
    if (TELEMETRY_ONLY.has(specifier) && context.parentURL?.endsWith(ISSUER))
      return { url: UNUSED_URL + specifier, format: 'commonjs', shortCircuit: true };
    return next(specifier, context);
  },
  load(url, context, next) {
    if (url.startsWith(UNUSED_URL)) return { format: 'commonjs', source: 'module.exports = {};', shortCircuit: true };
    return next(url, context);
  },
});

/**
 * The hooks above run on every `require`, cached modules and builtins included — and Apollo's
 * `createHash` (`@apollo/utils.createhash`, one copy for @apollo/server's request pipeline and one for
 * @apollo/gateway) calls `module.require("crypto")` each time it hashes: every GraphQL request's
 * query hash, in the gateway and in every in-process subgraph. In a profile of the AI gateway's bench
 * that require path (loader, our resolve and load hooks) cost ~1.4 % of the process's CPU. Each copy's
 * own module object answers `crypto` directly; anything else it requires goes the usual way.
 */
const requireHere = createRequire(import.meta.url);
for (const owner of ['@apollo/server', '@apollo/gateway']) {
  const path = createRequire(requireHere.resolve(owner)).resolve('@apollo/utils.createhash');
  requireHere(path);
  const module = requireHere.cache[path] as NodeJS.Module;
  const usual = module.require.bind(module);
  module.require = Object.assign((id: string) => (id === 'crypto' ? crypto : usual(id)), usual);
}
