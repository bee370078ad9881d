/**
 * Prometheus metrics, one registry per service so the all-in-one process still
 * reports each service separately. Operation names are client-chosen, so the
 * label set is capped: past MAX_OPERATION_LABELS new names count as `other`.
 */
import { Counter, collectDefaultMetrics, Histogram, type Metric, Registry } from 'prom-client';
import { EVENT_LOOP_DELAY_METRIC_NAMES, EventLoopDelay } from './event-loop-delay.ts';

const MAX_OPERATION_LABELS = 200;
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processMetrics: readonly Metric[] | undefined;
/** The process's event-loop delay gauges: sampled only while requests are answered (event-loop-delay.ts). */
export const eventLoopDelay = new EventLoopDelay();
/**
 * prom-client has no switch for its own event-loop monitor, whose timer would wake an idle process: it gets a
 * period it never reaches (2³¹−1 ms), and its gauges are replaced by `eventLoopDelay`'s (same names).
 */
const PROM_CLIENT_MONITOR_NEVER_MS = 2 ** 31 - 1;

/**
 * The process's own metrics (CPU, memory, event-loop delay, GC, handles), created once per process
 * and registered in every service's registry, which labels them with its service when scraped.
 * Created per service (seven times in the all-in-one process), each set kept its own event-loop
 * delay histogram (~350 KiB), sampling timer and GC observer for the same one process. The
 * event-loop delay figures cover the time since the process's last scrape, of whichever service.
 */
function processMetricsOnce(): readonly Metric[] {
  if (!processMetrics) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: PROM_CLIENT_MONITOR_NEVER_MS });
    const replaced = new Set(EVENT_LOOP_DELAY_METRIC_NAMES);
    processMetrics = [
      ...registry
        .getMetricsAsArray()
        .filter(({ name }) => !replaced.has(name))
        .map(({ name }) => registry.getSingleMetric(name))
        .filter((metric) => metric !== undefined),
      ...eventLoopDelay.metrics,
    ];
  }
  return processMetrics;
}

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly operations: Counter<'operation' | 'type' | 'outcome'>;
  readonly operationDuration: Histogram<'operation' | 'type'>;
  /** Events handed to this subgraph's durable consumers: handled, duplicate (redelivered), failed. */
  readonly consumedEvents: Counter<'consumer' | 'outcome'>;
  /** Consumer deliveries the events service gave up on after the maximum attempts (parked, not lost). */
  readonly parkedConsumerDeliveries: Counter<'consumer'>;
  readonly #operationNames = new Set<string>();

  /** One answered HTTP request (the service's routes, and a subgraph's in-process GraphQL calls). */
  observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
    eventLoopDelay.noteActivity();
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    for (const metric of processMetricsOnce()) this.registry.registerMetric(metric);
    this.httpRequests = new Counter({
      name: 'trellis_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'trellis_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.operations = new Counter({
      name: 'trellis_graphql_operations_total',
      help: 'GraphQL operations by name, type and outcome',
      labelNames: ['operation', 'type', 'outcome'],
      registers: [this.registry],
    });
    this.operationDuration = new Histogram({
      name: 'trellis_graphql_operation_duration_seconds',
      help: 'GraphQL operation latency by name',
      labelNames: ['operation', 'type'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.consumedEvents = new Counter({
      name: 'trellis_event_consumer_events_total',
      help: 'Events handed to durable event consumers, by consumer and outcome',
      labelNames: ['consumer', 'outcome'],
      registers: [this.registry],
    });
    this.parkedConsumerDeliveries = new Counter({
      name: 'trellis_event_consumer_parked_total',
      help: 'Consumer deliveries parked after the maximum attempts',
      labelNames: ['consumer'],
      registers: [this.registry],
    });
  }

  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.#operationNames.has(name)) return name;
    if (this.#operationNames.size >= MAX_OPERATION_LABELS) return 'other';
    this.#operationNames.add(name);
    return name;
  }
}
