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
import { registerHooks } from 'node:module';

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
