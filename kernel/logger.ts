/**
 * Structured JSON logs (pino). Credentials never reach a log line: the paths
 * below are censored wherever they appear, and request logging only records
 * method, route, status and timing.
 */
import { type Logger, pino } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-signature"]',
  'req.headers["x-trellis-principal"]',
  'req.headers["x-trellis-node-secret"]',
  'req.headers.cookie',
  '*.password',
  '*.secret',
  '*.secretKey',
  '*.token',
  '*.apiKey',
  'password',
  'secret',
  'token',
];

/**
 * Standard output, until writing to it fails — a closed terminal answers EIO after SIGHUP, a closed
 * pipe EPIPE — and logs are dropped from then on. pino's own stream rethrows every error but EPIPE
 * (a crash in the middle of a shutdown) and its exit flush retries a failed write forever (a hang),
 * either of which would leave the embedded PostgreSQL running.
 */
function stdoutDestination() {
  const destination = pino.destination({ dest: 1 });
  const noop = () => undefined;
  destination.on('error', () => {
    Object.assign(destination, { write: () => true, flush: noop, flushSync: noop, end: noop, destroy: noop });
  });
  return destination;
}

export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino(
    {
      level,
      base: { ...bindings },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stdoutDestination(),
  );
}
