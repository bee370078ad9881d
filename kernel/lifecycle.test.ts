import { afterEach, describe, expect, it, vi } from 'vitest';
import { Lifecycle } from './lifecycle.ts';
import type { Logger } from './logger.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('Lifecycle.close', () => {
  it('closes in reverse order and names a closer that hangs', async () => {
    vi.useFakeTimers();
    const warn = vi.fn();
    const logger = { warn, debug: vi.fn(), error: vi.fn(), info: vi.fn() } as unknown as Logger;
    const lifecycle = new Lifecycle(logger, 30_000);
    const closed: string[] = [];
    lifecycle.add({ name: 'first', close: async () => void closed.push('first') });
    lifecycle.add({ name: 'hangs', close: () => new Promise<void>(() => {}) });
    lifecycle.add({ name: 'last', close: async () => void closed.push('last') });
    void lifecycle.close();
    await vi.advanceTimersByTimeAsync(9_000);
    expect(closed).toEqual(['last']);
    expect(lifecycle.closingNow).toBe('hangs');
    expect(warn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ closer: 'hangs' }), 'still closing');
  });

  it('reports nothing closing once every closer is done', async () => {
    const logger = { warn: vi.fn(), debug: vi.fn(), error: vi.fn(), info: vi.fn() } as unknown as Logger;
    const lifecycle = new Lifecycle(logger, 30_000);
    lifecycle.add({ name: 'quick', close: async () => {} });
    await lifecycle.close();
    expect(lifecycle.closingNow).toBeUndefined();
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
