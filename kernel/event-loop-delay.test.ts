import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLoopDelay } from './event-loop-delay.ts';
import { ServiceMetrics } from './metrics.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Holds the event loop for `ms`: what a slow synchronous handler does. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

async function scrape(monitor: EventLoopDelay): Promise<Record<string, number>> {
  const registry = new Registry();
  for (const metric of monitor.metrics) registry.registerMetric(metric);
  const values: Record<string, number> = {};
  for (const metric of await registry.getMetricsAsJSON())
    values[metric.name.replace(/^nodejs_eventloop_lag_|_seconds$/g, '')] = Number(metric.values[0]?.value);
  return values;
}

describe('event-loop delay sampled only while requests are answered', () => {
  let monitor: EventLoopDelay | undefined;
  afterEach(() => monitor?.stop());

  it('records a stall while busy, and turns itself off (no timer, no samples) once idle', async () => {
    monitor = new EventLoopDelay({ resolutionMs: 10, idleAfterMs: 150 });
    expect(monitor.sampling).toBe(false);

    monitor.noteActivity();
    expect(monitor.sampling).toBe(true);
    await sleep(30);
    stall(80);
    await sleep(30);
    const busy = await scrape(monitor);
    expect(busy.max).toBeGreaterThan(0.06);
    expect(busy.p99).toBeGreaterThan(0.06);

    // Requests keep it on past the first window; without them it stops.
    await sleep(100);
    monitor.noteActivity();
    await sleep(100);
    expect(monitor.sampling).toBe(true);
    await sleep(200);
    expect(monitor.sampling).toBe(false);

    await scrape(monitor); // starts a fresh interval
    stall(80);
    await sleep(50);
    const idle = await scrape(monitor);
    expect(idle).toMatchObject({ min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 });
  });

  it("replaces prom-client's always-on gauges in every service registry, under the same names", async () => {
    const text = await new ServiceMetrics('test').registry.metrics();
    for (const stat of ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'])
      expect(text.match(new RegExp(`^# TYPE nodejs_eventloop_lag_${stat}_seconds gauge$`, 'gm'))).toHaveLength(1);
  });
});
