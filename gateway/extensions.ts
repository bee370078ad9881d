/**
 * What the gateway process serves besides `/graphql`: the REST adapter
 * (`/v1`, `/openapi.json`) in-process by default, and the standalone adapter
 * process (`trellis serve rest-adapter`) that reaches a remote gateway.
 */
import { readFile } from 'node:fs/promises';
import { buildSchema } from 'graphql';
import { createHttpService } from '../kernel/http-service.ts';
import { ServiceMetrics } from '../kernel/metrics.ts';
import type { Platform } from '../kernel/platform.ts';
import { keepRawJsonBody } from '../kernel/raw-body.ts';
import type { RunningService } from '../kernel/subgraph.ts';
import { mountRestAdapter } from '../rest-adapter/adapter.ts';
import { inProcessExecutor, remoteExecutor } from '../rest-adapter/executor.ts';
import { routes } from '../rest-adapter/routes/index.ts';
import { startAuthenticator } from './authenticate.ts';
import type { Gateway } from './gateway.ts';
import { mountSubscriptions } from './subscriptions.ts';

const API_SCHEMA_FILE = new URL('../schema/api.graphql', import.meta.url);
const OPENAPI_FILE = new URL('../schema/openapi.json', import.meta.url);

async function restArtifacts() {
  const [sdl, openapi] = await Promise.all([readFile(API_SCHEMA_FILE, 'utf8'), readFile(OPENAPI_FILE, 'utf8')]);
  return { schema: buildSchema(sdl), openapi: JSON.parse(openapi) as unknown };
}

export async function mountGatewayExtensions(
  platform: Platform,
  gateway: Omit<Gateway, 'close' | 'url'>,
): Promise<(() => Promise<void>) | undefined> {
  if (platform.config.rest.mode === 'embedded') {
    const { schema, openapi } = await restArtifacts();
    await mountRestAdapter(gateway.app, {
      routes,
      schema,
      openapi,
      executor: inProcessExecutor(gateway.apollo),
      authenticator: gateway.authenticator,
      platform,
    });
  }
  // Subscriptions (graphql-ws on /graphql) and /v1/events/ws: gateway/subscriptions.ts.
  const subscriptions = await mountSubscriptions(platform, gateway);
  return () => subscriptions.close();
}

/** The REST adapter as its own process, in front of a remote gateway. */
export async function startStandaloneRestAdapter(platform: Platform): Promise<RunningService> {
  const { config } = platform;
  const gatewayUrl = config.rest.gatewayUrl as string;
  const logger = platform.logger.child({ service: 'rest-adapter' });
  const metrics = new ServiceMetrics('rest-adapter');
  const authenticator = await startAuthenticator(platform, logger, { url: config.subgraphs.identity.url });
  const http = createHttpService({
    name: 'rest-adapter',
    logger,
    metrics,
    bodyLimit: config.graphql.maxBodyBytes,
    dependencies: [
      {
        name: 'gateway',
        check: async () => {
          const response = await fetch(new URL('/health/ready', gatewayUrl));
          if (!response.ok) throw new Error(`status ${response.status}`);
        },
      },
    ],
  });
  keepRawJsonBody(http.app);
  const { schema, openapi } = await restArtifacts();
  await mountRestAdapter(http.app, {
    routes,
    schema,
    openapi,
    executor: remoteExecutor(gatewayUrl, platform.internalSecret),
    authenticator,
    platform,
  });
  await http.app.listen({ port: config.rest.port, host: config.host });
  http.markStarted();
  const address = http.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.rest.port;
  return {
    name: 'rest-adapter',
    url: `http://${config.host}:${port}`,
    async close() {
      await http.app.close();
      await authenticator.stop();
    },
  };
}
