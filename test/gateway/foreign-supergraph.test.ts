/**
 * The gateway as a product: it serves an operator's own supergraph (TRELLIS_SUPERGRAPH_PATH),
 * reaching any subgraph by name (TRELLIS_SUBGRAPH_URLS), with the same principal forwarding.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountGatewayExtensions } from '../../gateway/extensions.ts';
import { type Gateway, startGateway } from '../../gateway/gateway.ts';
import { ConfigError, loadConfig, SERVICE_NAMES, type SubgraphName } from '../../kernel/config.ts';
import { createLogger } from '../../kernel/logger.ts';
import { createPlatform, type Platform } from '../../kernel/platform.ts';
import { PRINCIPAL_HEADER } from '../../kernel/principal.ts';
import type { Json } from '../harness.ts';

const USERS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { users: [User!]! }
  type User @key(fields: "id") { id: ID! name: String! }
`;
const REVIEWS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type User @key(fields: "id") { id: ID! reviews: [Review!]! }
  type Review { stars: Int! }
`;
const USERS = [
  { id: 'u1', name: 'Ada' },
  { id: 'u2', name: 'Grace' },
];

/** Headers each foreign subgraph received, to check what the gateway forwards. */
const received: Record<'users' | 'reviews', IncomingHttpHeaders[]> = { users: [], reviews: [] };

async function serveSubgraph(
  name: string,
  sdl: string,
  resolvers: object,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as never }]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      received[name as keyof typeof received].push(req.headers);
      return {};
    },
  });
  return { url, stop: () => server.stop() };
}

let dir: string;
let platform: Platform;
let gateway: Gateway;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const users = await serveSubgraph('users', USERS_SDL, {
    Query: { users: () => USERS },
    User: { __resolveReference: (ref: { id: string }) => USERS.find((u) => u.id === ref.id) },
  });
  const reviews = await serveSubgraph('reviews', REVIEWS_SDL, {
    User: { reviews: (user: { id: string }) => [{ stars: user.id === 'u1' ? 5 : 3 }] },
  });
  stops.push(users.stop, reviews.stop);
  // The composition pipeline's output: users at its real address, reviews at a stale one the override fixes.
  const composed = composeServices([
    { name: 'users', typeDefs: parse(USERS_SDL), url: users.url },
    { name: 'reviews', typeDefs: parse(REVIEWS_SDL), url: 'http://127.0.0.1:9/graphql' },
  ]);
  if (!composed.supergraphSdl) throw new Error(`composition failed: ${composed.errors?.join('; ')}`);
  dir = await mkdtemp(path.join(tmpdir(), 'trellis-supergraph-'));
  const supergraphPath = path.join(dir, 'supergraph.graphql');
  await writeFile(supergraphPath, composed.supergraphSdl);

  const config = loadConfig(
    {
      NODE_ENV: 'test',
      TRELLIS_LOG_LEVEL: 'silent',
      TRELLIS_DATA_DIR: dir,
      TRELLIS_SUPERGRAPH_PATH: supergraphPath,
      TRELLIS_SUBGRAPH_URLS: JSON.stringify({ reviews: reviews.url }),
    },
    { allInOne: true },
  );
  platform = await createPlatform(config, createLogger('silent'));
  // No Trellis subgraph runs here: their addresses are unreachable, and the gateway must not need them.
  const nowhere = Object.fromEntries(SERVICE_NAMES.map((n) => [n, 'http://127.0.0.1:9/graphql'])) as Record<
    SubgraphName,
    string
  >;
  gateway = await startGateway(platform, {
    port: 0,
    host: '127.0.0.1',
    subgraphUrls: nowhere,
    extend: (parts) => mountGatewayExtensions(platform, parts),
  });
});

afterAll(async () => {
  await gateway?.close();
  await platform?.close();
  for (const stop of stops) await stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const post = (query: string) =>
  fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });

describe('a gateway started against a foreign supergraph', () => {
  it('answers a query that joins both foreign subgraphs', async () => {
    const response = await post('{ users { name reviews { stars } } }');
    expect(response.status).toBe(200);
    const body: Json = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.users).toEqual([
      { name: 'Ada', reviews: [{ stars: 5 }] },
      { name: 'Grace', reviews: [{ stars: 3 }] },
    ]);
  });

  it('forwards the signed principal and request id to every subgraph it calls', async () => {
    received.users.length = 0;
    received.reviews.length = 0;
    await post('{ users { reviews { stars } } }');
    for (const name of ['users', 'reviews'] as const) {
      expect(received[name]).toHaveLength(1);
      expect(received[name]?.[0]?.[PRINCIPAL_HEADER]).toMatch(/\S{20,}/);
      expect(received[name]?.[0]?.['x-request-id']).toBeTruthy();
    }
  });

  it('serves the API schema of that supergraph, not the Trellis one', async () => {
    expect(gateway.joinsTrellis).toBe(false);
    expect(gateway.apiSchema.getQueryType()?.getFields().users).toBeDefined();
    expect(gateway.apiSchema.getQueryType()?.getFields().organization).toBeUndefined();
    const trellisField: Json = await (await post('{ me { id } }')).json();
    expect(trellisField.errors[0].extensions.code).toBe('invalid_query');
  });
});

describe('TRELLIS_SUBGRAPH_URLS', () => {
  const load = (value: string) => () =>
    loadConfig({ NODE_ENV: 'test', TRELLIS_SUBGRAPH_URLS: value }, { allInOne: true });

  it('accepts any subgraph name and keeps the map', () => {
    expect(load('{"products":"http://10.0.0.5:4001/graphql"}')().graphql.subgraphUrls).toEqual({
      products: 'http://10.0.0.5:4001/graphql',
    });
  });

  it('refuses what is not a JSON map of names to http(s) URLs, naming the entry', () => {
    expect(load('products=http://x')).toThrow(ConfigError);
    expect(load('{"products":"ftp://10.0.0.5/graphql"}')).toThrow(/products/);
    expect(load('{"bad name":"http://10.0.0.5/graphql"}')).toThrow(/bad name/);
    expect(load('["http://10.0.0.5/graphql"]')).toThrow(/TRELLIS_SUBGRAPH_URLS/);
  });
});
