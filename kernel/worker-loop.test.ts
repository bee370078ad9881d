import { afterEach, describe, expect, it } from 'vitest';
import { requestStarted, setBackgroundYield } from './foreground.ts';
import { createHttpService } from './http-service.ts';
import { createLogger } from './logger.ts';
import { ServiceMetrics } from './metrics.ts';
import { WorkerLoop } from './worker-loop.ts';

const loops: WorkerLoop[] = [];
afterEach(async () => {
  await Promise.all(loops.splice(0).map((loop) => loop.stop()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A loop counting its passes; `during` runs inside each pass (after the count), e.g. to wake the loop. */
function counting(wakeDelayMs: number, during?: (loop: WorkerLoop, passes: number) => Promise<void> | void) {
  const counter = { passes: 0 };
  const loop: WorkerLoop = new WorkerLoop({
    name: 'test',
    logger: createLogger('silent'),
    pollMs: 60_000,
    maxBackoffMs: 1_000,
    wakeDelayMs,
    pass: async () => {
      counter.passes++;
      await during?.(loop, counter.passes);
      return {};
    },
  });
  loops.push(loop.start());
  return { loop, counter };
}

describe('WorkerLoop wakes', () => {
  it('without a delay, a wake runs a pass at once', async () => {
    const { loop, counter } = counting(0);
    await sleep(20);
    expect(counter.passes).toBe(1);
    loop.wake();
    await sleep(20);
    expect(counter.passes).toBe(2);
  });

  it('with a delay, the wakes within it are served by one pass, after the delay', async () => {
    const { loop, counter } = counting(100);
    await sleep(20);
    expect(counter.passes).toBe(1);
    loop.wake();
    await sleep(10);
    loop.wake();
    loop.wake();
    await sleep(40);
    expect(counter.passes).toBe(1);
    await sleep(150);
    expect(counter.passes).toBe(2);
    // The next wake waits its own delay again.
    loop.wake();
    await sleep(40);
    expect(counter.passes).toBe(2);
    await sleep(150);
    expect(counter.passes).toBe(3);
  });

  it('with a delay, a wake during a pass runs the next pass after the delay, not at once', async () => {
    // Steady load: a wake arrives during every pass. Without the delay the loop would run pass after
    // pass as fast as they complete; with it, one pass per delay serves the wakes of its window.
    const { counter } = counting(300, async (loop) => {
      loop.wake();
      await sleep(1);
    });
    // Wide windows (passes at ~0, ~300, ~600 ms), so a busy machine's timer lateness does not matter.
    await sleep(100);
    expect(counter.passes).toBe(1);
    await sleep(350);
    expect(counter.passes).toBe(2);
  });

  it('without a delay, a wake during a pass runs the next pass at once', async () => {
    const { counter } = counting(0, (loop, passes) => {
      if (passes < 5) loop.wake();
    });
    // Five passes, then none is woken: waiting longer cannot add one, only absorb a slow machine.
    await sleep(200);
    expect(counter.passes).toBe(5);
  });

  it('stops at once while a delayed wake is pending', async () => {
    const { loop, counter } = counting(10_000);
    await sleep(20);
    loop.wake();
    const started = performance.now();
    await loop.stop();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(counter.passes).toBe(1);
  });
});

describe('WorkerLoop yields to requests (kernel/foreground.ts)', () => {
  afterEach(() => setBackgroundYield(0));

  /** A counting loop under a yield bound of `yieldMs`, after its first pass (no request in flight then). */
  async function yielding(yieldMs: number) {
    setBackgroundYield(yieldMs);
    const started = counting(0);
    await sleep(20);
    expect(started.counter.passes).toBe(1);
    return started;
  }

  it('a woken pass waits while a request is in flight and runs once it is answered', async () => {
    const { loop, counter } = await yielding(1_000);
    const answered = requestStarted({ headersSent: false });
    loop.wake();
    await sleep(60);
    expect(counter.passes).toBe(1);
    answered();
    await sleep(20);
    expect(counter.passes).toBe(2);
    answered(); // a second call (the connection closing after the answer) changes nothing
  });

  it('waits no longer than the bound while requests keep coming', async () => {
    const { loop, counter } = await yielding(80);
    const answered = requestStarted({ headersSent: false });
    loop.wake();
    await sleep(40);
    expect(counter.passes).toBe(1);
    await sleep(100);
    expect(counter.passes).toBe(2);
    answered();
  });

  it('a response that has begun (a stream) holds no pass back, and a bound of 0 yields to nothing', async () => {
    const { loop, counter } = await yielding(1_000);
    const stream = { headersSent: false };
    const closed = requestStarted(stream);
    stream.headersSent = true;
    loop.wake();
    await sleep(20);
    expect(counter.passes).toBe(2);
    setBackgroundYield(0);
    const answered = requestStarted({ headersSent: false });
    loop.wake();
    await sleep(20);
    expect(counter.passes).toBe(3);
    answered();
    closed();
  });

  it('a stream that began is not looked at again: its close releases nothing, the requests still open hold', async () => {
    const { loop, counter } = await yielding(1_000);
    const stream = { headersSent: false };
    const streamClosed = requestStarted(stream);
    const answered = requestStarted({ headersSent: false });
    stream.headersSent = true;
    loop.wake();
    await sleep(40);
    expect(counter.passes).toBe(1);
    streamClosed();
    await sleep(20);
    expect(counter.passes).toBe(1);
    answered();
    await sleep(20);
    expect(counter.passes).toBe(2);
  });

  it('counts the requests an HTTP service is answering', async () => {
    const { app } = createHttpService({
      name: 'yield',
      logger: createLogger('silent'),
      metrics: new ServiceMetrics('yield'),
      bodyLimit: 1024,
      dependencies: [],
    });
    let answer: () => void = () => {};
    app.get('/slow', () => new Promise<string>((resolve) => (answer = () => resolve('done'))));
    const { loop, counter } = await yielding(1_000);
    const response = app.inject({ method: 'GET', url: '/slow' });
    await sleep(20);
    loop.wake();
    await sleep(60);
    expect(counter.passes).toBe(1);
    answer();
    expect((await response).statusCode).toBe(200);
    await sleep(20);
    expect(counter.passes).toBe(2);
    await app.close();
  });
});
