#!/usr/bin/env node
import { openEdgeDatabase } from '../gateway/edge-database.ts';
import { mountGatewayExtensions, startStandaloneRestAdapter } from '../gateway/extensions.ts';
import { startGateway } from '../gateway/gateway.ts';
/**
 * The Trellis command line.
 *
 *   trellis start              every service in one process (embedded PostgreSQL without DATABASE_URL)
 *   trellis serve <service>    one service per process: gateway, rest-adapter, identity, governance,
 *                              compute, billing or events (what docker-compose runs)
 *   trellis migrate [service…] apply pending migrations and exit
 */
import { type Config, ConfigError, loadConfig, SERVICE_NAMES, type SubgraphName } from '../kernel/config.ts';
import { migrate } from '../kernel/database.ts';
import { Lifecycle } from '../kernel/lifecycle.ts';
import { createLogger, type Logger } from '../kernel/logger.ts';
import { createPlatform } from '../kernel/platform.ts';
import { createSubgraphOrm, startSubgraph } from '../kernel/subgraph.ts';
import { subgraphs } from '../subgraphs/index.ts';
import { describe, startAllInOne } from './platform.ts';

export const SERVICES = ['gateway', 'rest-adapter', ...SERVICE_NAMES] as const;
export type ServiceName = (typeof SERVICES)[number];
export const COMMANDS = ['start', 'serve', 'migrate'] as const;

const USAGE = `Usage:
  trellis start                 run every service in one process
  trellis serve <service>       run one service (${SERVICES.join(', ')})
  trellis migrate [service...]  apply pending migrations and exit`;

function databaseUrlFor(config: Config, name: SubgraphName): string {
  const url = config.subgraphs[name].databaseUrl;
  if (!url) throw new ConfigError([`DATABASE_URL (or TRELLIS_${name.toUpperCase()}_DATABASE_URL): required here`]);
  return url;
}

async function start(config: Config, logger: Logger, lifecycle: Lifecycle): Promise<void> {
  const platform = await startAllInOne(config, logger, lifecycle);
  process.stdout.write(`${describe(platform).join('\n')}\n`);
}

async function serve(service: ServiceName, config: Config, logger: Logger, lifecycle: Lifecycle): Promise<void> {
  const platform = await createPlatform(config, logger, config.database.url);
  lifecycle.add({ name: 'platform', close: platform.close });
  if (service === 'gateway') {
    const subgraphUrls = Object.fromEntries(SERVICE_NAMES.map((n) => [n, config.subgraphs[n].url])) as Record<
      SubgraphName,
      string
    >;
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
    const adapter = await startStandaloneRestAdapter(platform);
    lifecycle.add(adapter);
    process.stdout.write(`rest-adapter listening on ${adapter.url}\n`);
    return;
  }
  const running = await startSubgraph(subgraphs[service], platform, {
    databaseUrl: databaseUrlFor(config, service),
    port: config.subgraphs[service].port,
    host: config.host,
  });
  lifecycle.add(running);
  process.stdout.write(`${service} listening on ${running.url}\n`);
}

async function migrateOnly(names: SubgraphName[], config: Config, logger: Logger): Promise<void> {
  for (const name of names) {
    const url = databaseUrlFor(config, name);
    const orm = await createSubgraphOrm(subgraphs[name], url, 2);
    try {
      const applied = await migrate(orm, url, name);
      logger.info({ service: name, applied }, applied.length ? 'migrations applied' : 'schema up to date');
    } finally {
      await orm.close();
    }
  }
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
    await migrateOnly(names, config, logger);
    // The edge's own schema (Idempotency-Key records) comes with a full run.
    if (rest.length === 0 && config.database.url) await (await openEdgeDatabase(config.database.url, logger)).close();
    return;
  }
  const lifecycle = new Lifecycle(logger, config.shutdownTimeoutMs);
  lifecycle.handleSignals();
  try {
    if (command === 'start') await start(config, logger, lifecycle);
    else {
      const service = rest[0] as ServiceName | undefined;
      if (!service || !SERVICES.includes(service))
        throw new ConfigError([`serve needs one of: ${SERVICES.join(', ')}`]);
      await serve(service, config, logger, lifecycle);
    }
  } catch (error) {
    await lifecycle.close();
    throw error;
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : (error.stack ?? String(error))}\n`);
    process.exit(1);
  });
}
