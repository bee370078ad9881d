import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger, LazyChildLogger, lazyChildLoggerFactory } from './logger.ts';

describe('createLogger', () => {
  it('drops logs once standard output is gone (a closed terminal answers EIO) instead of crashing or hanging', () => {
    const logger = createLogger('info');
    const stream = (logger as unknown as Record<symbol, NodeJS.EventEmitter & { flushSync(): void }>)[
      pino.symbols.streamSym
    ];
    const eio = Object.assign(new Error('write EIO'), { code: 'EIO' });
    expect(() => stream?.emit('error', eio)).not.toThrow();
    expect(() => logger.info('after the terminal closed')).not.toThrow();
    expect(() => stream?.flushSync()).not.toThrow();
  });
});

describe('LazyChildLogger', () => {
  const capture = (level = 'info') => {
    const lines: Record<string, unknown>[] = [];
    const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
    const parent = pino({ level, redact: { paths: ['*.secret'], censor: '[redacted]' } }, stream);
    return { lines, parent };
  };

  it("writes through a child bound to the request's bindings, redacted like the parent's lines", () => {
    const { lines, parent } = capture();
    const log = new LazyChildLogger(parent, { reqId: 'req-1' });
    log.error({ err: { secret: 's3cret' } }, 'REST request failed');
    expect(lines).toEqual([expect.objectContaining({ reqId: 'req-1', msg: 'REST request failed', level: 50 })]);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
    expect(log.bindings()).toEqual({ reqId: 'req-1' });
  });

  it('makes no child while nothing is written at an enabled level', () => {
    const { lines, parent } = capture('warn');
    let children = 0;
    const counted = new Proxy(parent, {
      get: (target, key) =>
        key === 'child'
          ? (...args: Parameters<typeof parent.child>) => {
              children++;
              return target.child(...args);
            }
          : Reflect.get(target, key),
    });
    const log = new LazyChildLogger(counted, { reqId: 'req-2' });
    log.info('not at this level');
    log.debug('nor this');
    expect(log.level).toBe('warn');
    expect(children).toBe(0);
    log.warn('this one');
    log.error('and this, through the same child');
    expect(children).toBe(1);
    expect(lines.map((l) => l.reqId)).toEqual(['req-2', 'req-2']);
  });

  it('gives a route with its own level a real child at once', () => {
    const { parent } = capture();
    const log = lazyChildLoggerFactory(parent, { reqId: 'req-3' }, { level: 'debug' });
    expect(log).not.toBeInstanceOf(LazyChildLogger);
    expect(log.level).toBe('debug');
  });
});
