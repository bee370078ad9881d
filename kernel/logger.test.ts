import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

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
