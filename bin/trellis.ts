#!/usr/bin/env node
/**
 * The Trellis command line.
 *
 *   trellis start              every service in one process (embedded PostgreSQL without DATABASE_URL)
 *   trellis serve <service>    one service per process: gateway, rest-adapter, identity, governance,
 *                              compute, billing or events (what docker-compose runs)
 *   trellis migrate [service…] apply pending migrations and exit
 *   trellis agent --url … --token …  run a provider node agent (docs/compute.md)
 *   trellis admin grant|revoke <email>  make an account a platform administrator, or no longer one
 *
 * The platform's modules are imported only once the configuration and the ports are checked, so a
 * mistake there is answered in a fraction of the time loading them takes.
 */
import { enableCompileCache } from 'node:module';
import { type Config, ConfigError, loadConfig, SERVICE_NAMES, type SubgraphName } from '../kernel/config.ts';
import { limitHeapGrowth } from '../kernel/heap-growth.ts';
import { Lifecycle } from '../kernel/lifecycle.ts';
import { createLogger, type Logger } from '../kernel/logger.ts';
import { assertPortsFree, type PortClaim, PortInUseError, portInUse } from '../kernel/ports.ts';

export const SERVICES = ['gateway', 'rest-adapter', ...SERVICE_NAMES] as const;
export type ServiceName = (typeof SERVICES)[number];
export const COMMANDS = ['start', 'serve', 'migrate', 'agent', 'admin'] as const;

const USAGE = `Usage:
  trellis start                 run every service in one process
  trellis serve <service>       run one service (${SERVICES.join(', ')})
  trellis migrate [service...]  apply pending migrations and exit
  trellis agent --url <control plane> --token <provisioning token> [--gpu rtx-4090:1] [--region local]
                [--name <node name>] [--host 127.0.0.1] [--data-dir <dir>]
                [--runtime process|docker] [--docker-socket /var/run/docker.sock]
                                run a provider node agent
  trellis admin grant <email>   make the account a platform administrator (DATABASE_URL of identity)
  trellis admin revoke <email>  withdraw the role; both apply to live sessions at once`;

const AGENT_FLAGS = ['url', 'token', 'gpu', 'region', 'name', 'host', 'data-dir', 'runtime', 'docker-socket'];

/** `--flag value` pairs of the agent command. */
function agentFlags(args: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '') ?? '';
    const value = args[i + 1];
    if (!AGENT_FLAGS.includes(name) || value === undefined)
      throw new ConfigError([`agent: unknown or incomplete flag ${args[i]}\n${USAGE}`]);
    flags[name] = value;
  }
  if (!flags.url || !flags.token) throw new ConfigError([`agent: --url and --token are required\n${USAGE}`]);
  if (flags.runtime && !['process', 'docker'].includes(flags.runtime))
    throw new ConfigError([`agent: --runtime is process or docker\n${USAGE}`]);
  return flags;
}

/** Runs a node agent until SIGINT/SIGTERM or until the control plane disconnects it (token revoked). */
async function agent(args: string[], logger: Logger, lifecycle: Lifecycle): Promise<void> {
  const flags = agentFlags(args);
  const [gpuModelId = 'rtx-4090', count = '1'] = (flags.gpu ?? 'rtx-4090:1').split(':');
  const [{ NodeAgent }, { ProcessRuntime }, { DockerRuntime }, { default: Docker }, os, path] = await Promise.all([
    import('../subgraphs/compute/agent/agent.ts'),
    import('../subgraphs/compute/agent/runtime.ts'),
    import('../subgraphs/compute/agent/docker-runtime.ts'),
    import('dockerode'),
    import('node:os'),
    import('node:path'),
  ]);
  const dataDir = flags['data-dir'] ?? path.join(os.tmpdir(), 'trellis-agent');
  const runtime =
    flags.runtime === 'docker'
      ? new DockerRuntime(new Docker({ socketPath: flags['docker-socket'] ?? '/var/run/docker.sock' }), dataDir)
      : new ProcessRuntime(dataDir);
  const node = new NodeAgent({
    url: (flags.url as string).replace(/\/+$/, ''),
    token: flags.token as string,
    name:
      flags.name ??
      os
        .hostname()
        .replace(/[^A-Za-z0-9_.-]/g, '-')
        .slice(0, 100),
    region: flags.region ?? 'local',
    gpuModelId,
    gpuCount: Number(count),
    runtime,
    host: flags.host ?? '127.0.0.1',
    log: logger,
    onDisconnected: (reason) => {
      process.stderr.write(`agent disconnected: ${reason}\n`);
      process.exit(3);
    },
  });
  lifecycle.add({ name: 'agent', close: () => node.stop() });
  await node.start();
  process.stdout.write(`agent running as node ${node.nodeId}\n`);
}

/** How long `admin` waits for the bus before leaving the change to the gateways' revocation-log poll. */
const ADMIN_BUS_WAIT_MS = 3_000;

/**
 * `trellis admin grant|revoke <email>`: sets Principal.platformAdmin on the account, straight in
 * identity's database (there may be no administrator to ask), and tells every gateway.
 */
async function admin(args: string[], config: Config, logger: Logger): Promise<void> {
  const [action, email, ...extra] = args;
  if ((action !== 'grant' && action !== 'revoke') || !email || extra.length)
    throw new ConfigError([`admin: expected "grant <email>" or "revoke <email>"\n${USAGE}`]);
  const url = databaseUrlFor(config, 'identity');
  // Identity's entities only, not the subgraph (its GraphQL server): a shell command starts in a second.
  const [
    { createOrm },
    { identityEntities },
    { setPlatformAdmin },
    { recordInvalidation },
    auth,
    { createBus },
    errors,
  ] = await Promise.all([
    import('../kernel/database.ts'),
    import('../subgraphs/identity/entities.ts'),
    import('../subgraphs/identity/platform-admins.ts'),
    import('../subgraphs/identity/invalidations.ts'),
    import('../kernel/auth-invalidation.ts'),
    import('../kernel/bus.ts'),
    import('../kernel/errors.ts'),
  ]);
  const orm = await createOrm({ schema: 'identity', url, entities: identityEntities, migrations: [], poolMax: 2 });
  const bus = createBus(config, logger, url);
  try {
    const em = orm.em.fork();
    const publish = auth.authInvalidationPublisher(
      bus,
      new Map(),
      async (event) => {
        // Published at once when the bus is up; the revocation log reaches gateways either way.
        await waitFor(() => bus.healthy(), ADMIN_BUS_WAIT_MS);
        return recordInvalidation(em, event);
      },
      logger,
    );
    const result = await setPlatformAdmin(em, email, action === 'grant', publish).catch((error: unknown) => {
      if (error instanceof errors.TrellisError && error.code === 'not_found') throw new ConfigError([error.message]);
      throw error;
    });
    const role = result.platformAdmin ? 'a platform administrator' : 'not a platform administrator';
    process.stdout.write(
      `${result.email} (${result.userId}) ${result.changed ? 'is now' : 'was already'} ${role}; ` +
        `the installation has ${result.administrators} platform administrator(s)\n`,
    );
  } finally {
    await bus.close();
    await orm.close();
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
}

function databaseUrlFor(config: Config, name: SubgraphName): string {
  const url = config.subgraphs[name].databaseUrl;
  if (!url) throw new ConfigError([`DATABASE_URL (or TRELLIS_${name.toUpperCase()}_DATABASE_URL): required here`]);
  return url;
}

/** The ports `start` or `serve <service>` will listen on, with the variable that sets each. */
function portClaims(config: Config, service: ServiceName | 'start'): PortClaim[] {
  const claim = (variable: string, port: number): PortClaim => ({ variable, host: config.host, port });
  const subgraph = (name: SubgraphName) => claim(`TRELLIS_${name.toUpperCase()}_PORT`, config.subgraphs[name].port);
  if (service === 'gateway') return [claim('TRELLIS_PORT', config.gatewayPort)];
  if (service === 'rest-adapter') return [claim('TRELLIS_REST_PORT', config.rest.port)];
  if (service !== 'start') return [subgraph(service)];
  return [
    claim('TRELLIS_PORT', config.gatewayPort),
    ...SERVICE_NAMES.map(subgraph),
    ...(config.database.url
      ? []
      : [{ variable: 'TRELLIS_EMBEDDED_PG_PORT', host: '127.0.0.1', port: config.database.embeddedPort }]),
  ];
}

async function start(config: Config, logger: Logger, lifecycle: Lifecycle): Promise<void> {
  const importStart = performance.now();
  const { describe, startAllInOne } = await import('./platform.ts');
  logger.debug({ phase: 'import', ms: Math.round(performance.now() - importStart) }, 'start-up phase done');
  const platform = await startAllInOne(config, logger, lifecycle);
  process.stdout.write(`${describe(platform).join('\n')}\n`);
}

async function serve(service: ServiceName, config: Config, logger: Logger, lifecycle: Lifecycle): Promise<void> {
  const { createPlatform } = await import('../kernel/platform.ts');
  const platform = await createPlatform(config, logger, config.database.url);
  lifecycle.add({ name: 'platform', close: platform.close });
  if (service === 'gateway') {
    const subgraphUrls = Object.fromEntries(SERVICE_NAMES.map((n) => [n, config.subgraphs[n].url])) as Record<
      SubgraphName,
      string
    >;
    const [{ startGateway }, { mountGatewayExtensions }] = await Promise.all([
      import('../gateway/gateway.ts'),
      import('../gateway/extensions.ts'),
    ]);
    const gateway = await startGateway(platform, {
      port: config.gatewayPort,
      host: config.host,
      subgraphUrls,
      extend: (parts) => mountGatewayExtensions(platform, parts),
    });
    lifecycle.add(gateway);
    process.stdout.write(`gateway listening on ${gateway.url}\n`);
    return;
  }
  if (service === 'rest-adapter') {
    const { startStandaloneRestAdapter } = await import('../gateway/extensions.ts');
    const adapter = await startStandaloneRestAdapter(platform);
    lifecycle.add(adapter);
    process.stdout.write(`rest-adapter listening on ${adapter.url}\n`);
    return;
  }
  const [{ startSubgraph }, { subgraphs }, { consumerRegistry }] = await Promise.all([
    import('../kernel/subgraph.ts'),
    import('../subgraphs/index.ts'),
    import('../kernel/event-consumers.ts'),
  ]);
  const running = await startSubgraph(subgraphs[service], platform, {
    databaseUrl: databaseUrlFor(config, service),
    port: config.subgraphs[service].port,
    host: config.host,
    // The events process records deliveries for every subgraph's consumers.
    consumerRegistry: consumerRegistry(Object.values(subgraphs)),
  });
  lifecycle.add(running);
  process.stdout.write(`${service} listening on ${running.url}\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command = 'start', ...rest] = argv;
  if (command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!COMMANDS.includes(command as (typeof COMMANDS)[number]))
    throw new ConfigError([`unknown command "${command}"\n${USAGE}`]);
  const config = loadConfig(process.env, { allInOne: command !== 'serve' });
  const logger = createLogger(config.logLevel);
  if (command === 'migrate') {
    const names = (rest.length ? rest : SERVICE_NAMES) as SubgraphName[];
    const unknown = names.filter((n) => !SERVICE_NAMES.includes(n));
    if (unknown.length) throw new ConfigError([`unknown service(s): ${unknown.join(', ')}`]);
    const { migrateSubgraphs, migrateEdge } = await import('./migrate.ts');
    await migrateSubgraphs(names, (name) => databaseUrlFor(config, name), logger);
    // The edge's own schema (Idempotency-Key records) comes with a full run.
    if (rest.length === 0 && config.database.url) await migrateEdge(config.database.url, logger);
    return;
  }
  if (command === 'admin') {
    await admin(rest, config, logger);
    return;
  }
  if (command === 'agent') {
    const lifecycle = new Lifecycle(logger, config.shutdownTimeoutMs);
    lifecycle.handleSignals();
    await agent(rest, logger, lifecycle);
    return;
  }
  const service = command === 'start' ? 'start' : (rest[0] as ServiceName | undefined);
  if (!service || (service !== 'start' && !SERVICES.includes(service)))
    throw new ConfigError([`serve needs one of: ${SERVICES.join(', ')}`]);
  const ports = portClaims(config, service);
  await assertPortsFree(ports);
  const lifecycle = new Lifecycle(logger, config.shutdownTimeoutMs);
  lifecycle.handleSignals();
  try {
    if (service === 'start') await start(config, logger, lifecycle);
    else await serve(service, config, logger, lifecycle);
  } catch (error) {
    await lifecycle.close();
    throw portInUse(error, ports) ?? error;
  }
}

if (import.meta.main) {
  // Node's on-disk compile cache (V8 code cache and stripped TypeScript, in the OS temporary directory
  // or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off): a restart does not compile the
  // ~2,300 modules it loads again. It covers what is loaded from here on: the platform's modules.
  enableCompileCache();
  // Peak RSS under load: the old generation grows to 2× what survived the last full GC, not V8's ~4×.
  limitHeapGrowth();
  main(process.argv.slice(2)).catch((error: Error) => {
    const plain = error instanceof ConfigError || error instanceof PortInUseError;
    process.stderr.write(`${plain ? error.message : (error.stack ?? String(error))}\n`);
    process.exit(1);
  });
}
