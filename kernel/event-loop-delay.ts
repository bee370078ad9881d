/**
 * Event-loop delay, sampled only while the process serves requests. prom-client's monitor samples forever:
 * its timer woke an idle all-in-one process ten times a second, about a tenth of its idle CPU on the 2-core
 * bench machine (paired runs: 927/894 ms → 801/801 ms of main-thread CPU per minute). Here every answered
 * request (HTTP or in-process, through `ServiceMetrics.observeHttpRequest`) keeps the sampler on, and it turns
 * itself off `idleAfterMs` after the last one: an idle process takes no samples and no wake-ups, a busy one
 * samples every `resolutionMs`. Stalls of background work with no request in flight go unmeasured — the
 * figures are the delay requests see.
 *
 * The gauges keep prom-client's names (`nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds`),
 * so existing dashboards read them; each scrape reports the samples since the previous scrape (0 when none).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Gauge, type Metric } from 'prom-client';

type IntervalHistogram = ReturnType<typeof monitorEventLoopDelay>;

export interface EventLoopDelayOptions {
  /** Sampling period while busy (ms). */
  resolutionMs: number;
  /** The sampler stops this long after the last request (ms). */
  idleAfterMs: number;
}

/**
 * 100 ms: stalls that matter (tens of ms and more) still show in the percentiles and the max. 1 s after the
 * last request: an idle platform still answers a few requests (the embedded node agent's long polls, every
 * 8 s per node), and each keeps the sampler on only briefly.
 */
export const EVENT_LOOP_DELAY_DEFAULTS: EventLoopDelayOptions = { resolutionMs: 100, idleAfterMs: 1_000 };

const STATS = [
  ['min', 'The minimum recorded event loop delay.', (h: IntervalHistogram) => h.min],
  ['max', 'The maximum recorded event loop delay.', (h: IntervalHistogram) => h.max],
  ['mean', 'The mean of the recorded event loop delays.', (h: IntervalHistogram) => h.mean],
  ['stddev', 'The standard deviation of the recorded event loop delays.', (h: IntervalHistogram) => h.stddev],
  ['p50', 'The 50th percentile of the recorded event loop delays.', (h: IntervalHistogram) => h.percentile(50)],
  ['p90', 'The 90th percentile of the recorded event loop delays.', (h: IntervalHistogram) => h.percentile(90)],
  ['p99', 'The 99th percentile of the recorded event loop delays.', (h: IntervalHistogram) => h.percentile(99)],
] as const;

/** The gauges' names: prom-client's own event-loop gauges under these names are replaced. */
export const EVENT_LOOP_DELAY_METRIC_NAMES = STATS.map(([stat]) => `nodejs_eventloop_lag_${stat}_seconds`);

export class EventLoopDelay {
  readonly metrics: readonly Metric[];
  readonly #histogram: IntervalHistogram;
  readonly #options: EventLoopDelayOptions;
  #lastActivity = 0;
  #offTimer?: NodeJS.Timeout;

  constructor(options: EventLoopDelayOptions = EVENT_LOOP_DELAY_DEFAULTS) {
    this.#options = options;
    this.#histogram = monitorEventLoopDelay({ resolution: options.resolutionMs });
    // The first gauge's collect sets them all from one snapshot and starts the next interval (a registry
    // collects its metrics in order, as prom-client's own event-loop gauges rely on).
    const gauges: Gauge[] = STATS.map(
      ([, help], i) =>
        new Gauge({
          name: EVENT_LOOP_DELAY_METRIC_NAMES[i] as string,
          help,
          registers: [],
          ...(i === 0 ? { collect: () => this.#collect(gauges) } : {}),
        }),
    );
    this.metrics = gauges;
  }

  #collect(gauges: readonly Gauge[]): void {
    const sampled = this.#histogram.count > 0;
    for (const [i, [, , read]] of STATS.entries()) gauges[i]?.set(sampled ? read(this.#histogram) / 1e9 : 0);
    this.#histogram.reset();
  }

  /** Whether the sampler runs now (tests). */
  get sampling(): boolean {
    return this.#offTimer !== undefined;
  }

  /** A request was answered: sample (again) until `idleAfterMs` after the last one. */
  noteActivity(): void {
    this.#lastActivity = performance.now();
    if (this.#offTimer) return;
    this.#histogram.enable();
    this.#armOff(this.#options.idleAfterMs);
  }

  /** Stops sampling now (process shutdown, tests). */
  stop(): void {
    clearTimeout(this.#offTimer);
    this.#offTimer = undefined;
    this.#histogram.disable();
  }

  // One timer per idle window rather than one refresh per request: when it fires early (requests kept
  // coming), it re-arms for what is left of the window since the last one.
  #armOff(ms: number): void {
    this.#offTimer = setTimeout(() => {
      const left = this.#lastActivity + this.#options.idleAfterMs - performance.now();
      if (left > 1) return this.#armOff(left);
      this.stop();
    }, ms);
    this.#offTimer.unref();
  }
}
