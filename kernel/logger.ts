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

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A request's logger (Fastify's `req.log`) whose pino child, bound to the request id, is made only
 * when a line is written at an enabled level. Fastify made one per request, and a pino child of a
 * logger with `redact` cost ~2.6 KB of garbage each (issue #16 heap profile of `/v1/gate`), while a
 * request logs only when it fails. A line written goes through the same child as before: same
 * bindings, redaction and level.
 */
export class LazyChildLogger {
  readonly #parent: Logger;
  readonly #bindings: Record<string, unknown>;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Record<string, unknown>) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #logger(): Logger {
    this.#child ??= this.#parent.child(this.#bindings) as Logger;
    return this.#child;
  }

  #write(level: LevelName, args: unknown[]): void {
    if ((this.#child ?? this.#parent).isLevelEnabled(level))
      (this.#logger()[level] as (...a: unknown[]) => void)(...args);
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }
  set level(level: string) {
    this.#logger().level = level;
  }
  isLevelEnabled(level: string): boolean {
    return (this.#child ?? this.#parent).isLevelEnabled(level);
  }
  bindings(): Record<string, unknown> {
    return this.#logger().bindings();
  }
  child(bindings: Record<string, unknown>, options?: Parameters<Logger['child']>[1]): Logger {
    return this.#logger().child(bindings, options) as unknown as Logger;
  }
  fatal(...args: unknown[]): void {
    this.#write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#write('error', args);
  }
  warn(...args: unknown[]): void {
    this.#write('warn', args);
  }
  info(...args: unknown[]): void {
    this.#write('info', args);
  }
  debug(...args: unknown[]): void {
    this.#write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#write('trace', args);
  }
  silent(): void {}
}

/**
 * Fastify's `childLoggerFactory` with `LazyChildLogger`: a route's own level or serializers (none in
 * Trellis today) still get a real child at once.
 */
export function lazyChildLoggerFactory(
  logger: Logger,
  bindings: Record<string, unknown>,
  options: { level?: string; serializers?: unknown },
): Logger {
  if (options.level !== undefined || options.serializers !== undefined)
    return logger.child(bindings, options as Parameters<Logger['child']>[1]) as unknown as Logger;
  return new LazyChildLogger(logger, bindings) as unknown as Logger;
}
