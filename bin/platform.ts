/**
 * Assembles the all-in-one process: (embedded) PostgreSQL, the shared
 * platform, the five subgraphs and the gateway with its extensions. Used by
 * `trellis start`, the end-to-end tests and the benchmarks.
 */
import { governedModelCalls } from '../ai-gateway/model-calls.ts';
import { mountGatewayExtensions } from '../gateway/extensions.ts';
import { type Gateway, startGateway } from '../gateway/gateway.ts';
import { memoryReducerOff, releaseMemory, releaseMemoryWhenIdle } from '../kernel/boot-memory.ts';
import { type Config, SERVICE_NAMES, type SubgraphName } from '../kernel/config.ts';
import { startEmbeddedPostgres } from '../kernel/embedded-postgres.ts';
import { consumerRegistry } from '../kernel/event-consumers.ts';
import type { Closer } from '../kernel/lifecycle.ts';
import type { Logger } from '../kernel/logger.ts';
import { bindModelCalls } from '../kernel/model-calls.ts';
import { createPlatform, type Platform } from '../kernel/platform.ts';
import { ANONYMOUS } from '../kernel/principal.ts';
import { newRequestMeta } from '../kernel/request-meta.ts';
import { type RunningSubgraph, type SubgraphDefinition, startSubgraph } from '../kernel/subgraph.ts';
import { inProcessExecutor } from '../rest-adapter/executor.ts';
import type { AgentOperationResult } from '../subgraphs/compute/agent/agent.ts';
import { subgraphs as allSubgraphs } from '../subgraphs/index.ts';

export interface AllInOne {
  platform: Platform;
  gateway: Gateway;
  subgraphs: RunningSubgraph[];
  databaseUrl: string;
  /** Set when the embedded PostgreSQL was started. */
  embedded?: { port: number; dataDir: string };
}

export async function startAllInOne(
  config: Config,
  logger: Logger,
  closers: { add(closer: Closer): void },
  // biome-ignore lint/suspicious/noExplicitAny: each definition has its own context type
  subgraphs: Record<SubgraphName, SubgraphDefinition<any>> = allSubgraphs,
): Promise<AllInOne> {
  // One debug line per start-up phase (TRELLIS_LOG_LEVEL=debug): where the seconds to ready go.
  let phaseStart = performance.now();
  const phaseDone = (phase: string) => {
    const now = performance.now();
    logger.debug({ phase, ms: Math.round(now - phaseStart) }, 'start-up phase done');
    phaseStart = now;
  };
  const consumers = consumerRegistry(Object.values(subgraphs));
  let databaseUrl = config.database.url;
  let embedded: AllInOne['embedded'];
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres(config.database.dataDir, config.database.embeddedPort, logger);
    closers.add({ name: 'embedded-postgres', close: pg.stop });
    databaseUrl = pg.url;
    embedded = { port: pg.port, dataDir: config.database.dataDir };
    phaseDone('embedded-postgres');
  }
  const platform = await createPlatform(config, logger, databaseUrl);
  closers.add({ name: 'platform', close: platform.close });
  phaseDone('platform');
  const started = await Promise.allSettled(
    SERVICE_NAMES.map((name) =>
      startSubgraph(subgraphs[name], platform, {
        databaseUrl: config.subgraphs[name].databaseUrl ?? (databaseUrl as string),
        port: config.subgraphs[name].port,
        host: config.host,
        consumerRegistry: consumers,
      }),
    ),
  );
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  // Closers run in reverse: events closes last, after every other subgraph's outbox relay has stopped.
  // The ones that started are registered even when another failed, so the failure closes them cleanly.
  for (const service of [...running].sort((a, b) => Number(b.name === 'events') - Number(a.name === 'events')))
    closers.add(service);
  // …and before any of them, the events service's delivery workers stop, so no consumer delivery or
  // webhook pass calls a subgraph that has closed (what is pending stays in the log for the next start).
  const events = running.find((s) => s.name === 'events');
  if (events) closers.add({ name: 'event deliveries', close: events.stopWorkers });
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  phaseDone('subgraphs');
  const subgraphUrls = Object.fromEntries(running.map((s) => [s.name, s.url])) as Record<SubgraphName, string>;
  const gateway = await startGateway(platform, {
    port: config.gatewayPort,
    host: config.host,
    subgraphUrls,
    subgraphFetchers: Object.fromEntries(running.map((s) => [s.name, s.fetch])),
    extend: (parts) => mountGatewayExtensions(platform, parts),
    deferStarted: true,
  });
  closers.add(gateway);
  phaseDone('gateway');
  // Pipelines' provider nodes (compute) make their model calls through the AI gateway's governed path, in process.
  bindModelCalls(platform, governedModelCalls(platform, inProcessExecutor(gateway.apollo)));
  if (config.compute.localNode.length > 0) {
    closers.add(await startEmbeddedNode(platform, gateway, logger));
    phaseDone('local-node');
  }
  // A long-lived production process gives back what boot grew (kernel/boot-memory.ts) before it is
  // ready, so no request waits on that collection; development and test boots are short-lived.
  if (config.env === 'production') {
    releaseMemory();
    phaseDone('release-boot-memory');
    // With V8's memory reducer off (`npm start`, the image), the process gives back what a burst grew itself.
    if (memoryReducerOff()) {
      const stop = releaseMemoryWhenIdle({
        onRelease: (info) => logger.debug(info, 'idle: memory-reducing collection'),
      });
      closers.add({ name: 'idle memory release', close: async () => stop() });
    }
  }
  // Ready once the start-up work is done: the embedded agent's registration is part of it, not idle time.
  gateway.markStarted();
  return { platform, gateway, subgraphs: running, databaseUrl, embedded };
}

/**
 * The embedded node agent (TRELLIS_LOCAL_NODE): registers through the gateway like any remote agent, so
 * the quickstart VM runs on this machine, but runs its operations (all of them compute's) straight on the
 * compute subgraph through the gateway's transport, as an anonymous caller (what an agent is over HTTP),
 * rather than over loopback HTTP and the gateway's request pipeline.
 * Closed before the gateway (closers run in reverse).
 */
async function startEmbeddedNode(
  platform: Platform,
  gateway: Pick<Gateway, 'url' | 'subgraphOperation'>,
  logger: Logger,
): Promise<Closer> {
  const [{ startLocalNode }, { createSubgraphOrm }] = await Promise.all([
    import('../subgraphs/compute/agent/local-node.ts'),
    import('../kernel/subgraph.ts'),
  ]);
  const url = platform.config.subgraphs.compute.databaseUrl ?? (platform.databaseUrl as string);
  const orm = await createSubgraphOrm(allSubgraphs.compute, url, 2);
  try {
    // Every agent operation is compute's own: it runs straight on compute, as the REST adapter runs a
    // one-subgraph route — no gateway pipeline or query plan for each heartbeat and long poll.
    const execute = (query: string, variables: Record<string, unknown>) =>
      gateway.subgraphOperation(
        'compute',
        { query, variables },
        { principal: ANONYMOUS, meta: newRequestMeta('127.0.0.1') },
      ) as Promise<AgentOperationResult>;
    const node = await startLocalNode(
      { platform, orm, logger },
      { url: gateway.url, execute },
      logger.child({ service: 'agent' }),
    );
    return {
      name: 'local-node',
      async close() {
        await node.close();
        await orm.close();
      },
    };
  } catch (error) {
    await orm.close();
    throw error;
  }
}

/** The lines `trellis start` prints once everything is ready. */
export function describe({ platform, gateway, subgraphs: running, embedded }: AllInOne): string[] {
  const ws = gateway.url.replace(/^http/, 'ws');
  return [
    `Trellis is ready${embedded ? ` (embedded PostgreSQL on 127.0.0.1:${embedded.port}, data in ${embedded.dataDir}/)` : ''}`,
    `  Dashboard      ${gateway.url}/`,
    `  GraphQL        ${gateway.url}/graphql${platform.config.graphql.introspection ? ' (GraphiQL in a browser)' : ''}`,
    `  Subscriptions  ${ws}/graphql`,
    ...(platform.config.rest.mode === 'embedded'
      ? [`  REST           ${gateway.url}/v1`, `  OpenAPI        ${gateway.url}/openapi.json`]
      : []),
    `  Health         ${gateway.url}/health/ready`,
    `  Metrics        ${gateway.url}/metrics`,
    `  Subgraphs      ${running.map((s) => `${s.name.padEnd(11)}${s.url}`).join('\n                 ')}`,
    'Press Ctrl-C to stop.',
  ];
}
