/**
 * The processes of the gateway-vs-stock suite (bench/gateway-vs-stock.ts), each started with
 * `fork(this file, [role])` so CPU and RSS are measured per process:
 *
 * - `subgraphs`: four federated subgraphs (catalog, inventory, reviews, users) built with
 *   @apollo/subgraph over deterministic data, each on its own port;
 * - `stock`: plain `ApolloServer` + `ApolloGateway` over the supergraph (Apollo's defaults);
 * - `trellis`: the Trellis gateway (`startGateway`) over the same supergraph
 *   (TRELLIS_SUPERGRAPH_PATH), production settings, anonymous callers;
 * - `trellis-unshared`: the same with in-flight sharing off (TRELLIS_GATEWAY_SHARE_INFLIGHT=false).
 *
 * Each sends `{ ready: … }` over IPC once it listens, and exits when its parent disconnects.
 * Each role imports only what it runs, so a gateway's RSS holds that gateway alone.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'graphql';

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

export const SUBGRAPH_SDL = {
  catalog: `${FEDERATION}
    type Query { products(first: Int! = 10): [Product!]! }
    type Product @key(fields: "id") { id: ID! name: String! description: String! price: Int! category: String! }`,
  inventory: `${FEDERATION}
    type Product @key(fields: "id") { id: ID! stock: Int! warehouse: String! shippingDays: Int! }`,
  reviews: `${FEDERATION}
    type Product @key(fields: "id") { id: ID! reviews: [Review!]! }
    type Review { id: ID! body: String! rating: Int! author: User! }
    type User @key(fields: "id", resolvable: false) { id: ID! }`,
  users: `${FEDERATION}
    type User @key(fields: "id") { id: ID! name: String! email: String! }`,
} as const;
export type BenchSubgraph = keyof typeof SUBGRAPH_SDL;

/**
 * The heavy query: a root list from catalog, then inventory and reviews for every product (in
 * parallel), then the users who wrote the reviews — four subgraphs, three levels, ~31 KB.
 */
export const HEAVY_QUERY = /* GraphQL */ `
  query Storefront {
    products(first: 50) {
      id name description price category
      stock warehouse shippingDays
      reviews { id body rating author { id name email } }
    }
  }
`;

/** One subgraph, one fetch: what the gateway's own overhead is measured on. */
export const SINGLE_QUERY = /* GraphQL */ `
  query Catalog { products(first: 10) { id name price category } }
`;

const PRODUCTS = Array.from({ length: 100 }, (_, i) => ({
  id: `p${i}`,
  name: `Product ${i}`,
  description: `A reasonably described product number ${i} for the federated benchmark.`,
  price: 1000 + i * 7,
  category: ['gpu', 'cpu', 'storage', 'network'][i % 4] as string,
}));
const USERS = Array.from({ length: 50 }, (_, i) => ({ id: `u${i}`, name: `User ${i}`, email: `user${i}@example.com` }));
const reviewsOf = (productId: string) => {
  const n = Number(productId.slice(1));
  return Array.from({ length: 3 }, (_, j) => ({
    id: `r${n}-${j}`,
    body: `Review ${j} of product ${n}: works as described.`,
    rating: 1 + ((n + j) % 5),
    author: { id: `u${(n * 3 + j) % USERS.length}` },
  }));
};

const resolvers: Record<BenchSubgraph, object> = {
  catalog: {
    Query: { products: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, Math.min(first, 100)) },
    Product: { __resolveReference: (ref: { id: string }) => PRODUCTS.find((p) => p.id === ref.id) },
  },
  inventory: {
    Product: {
      __resolveReference: (ref: { id: string }) => {
        const n = Number(ref.id.slice(1));
        return { id: ref.id, stock: (n * 13) % 97, warehouse: `wh-${n % 3}`, shippingDays: 1 + (n % 5) };
      },
    },
  },
  reviews: { Product: { reviews: (product: { id: string }) => reviewsOf(product.id) } },
  users: { User: { __resolveReference: (ref: { id: string }) => USERS.find((u) => u.id === ref.id) } },
};

/** The supergraph of the four subgraphs at the given URLs. */
export async function composeBenchSupergraph(urls: Record<BenchSubgraph, string>): Promise<string> {
  const { composeServices } = await import('@apollo/composition');
  const result = composeServices(
    (Object.keys(SUBGRAPH_SDL) as BenchSubgraph[]).map((name) => ({
      name,
      typeDefs: parse(SUBGRAPH_SDL[name]),
      url: urls[name],
    })),
  );
  if (!result.supergraphSdl) throw new Error(`composition failed: ${result.errors?.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl;
}

async function serveSubgraphs(): Promise<Record<BenchSubgraph, string>> {
  const [
    { ApolloServer },
    { ApolloServerPluginInlineTraceDisabled },
    { startStandaloneServer },
    { buildSubgraphSchema },
  ] = await Promise.all([
    import('@apollo/server'),
    import('@apollo/server/plugin/disabled'),
    import('@apollo/server/standalone'),
    import('@apollo/subgraph'),
  ]);
  const urls = {} as Record<BenchSubgraph, string>;
  for (const name of Object.keys(SUBGRAPH_SDL) as BenchSubgraph[]) {
    const server = new ApolloServer({
      schema: buildSubgraphSchema([{ typeDefs: parse(SUBGRAPH_SDL[name]), resolvers: resolvers[name] as never }]),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    urls[name] = (await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } })).url;
  }
  return urls;
}

async function serveStock(supergraphSdl: string): Promise<string> {
  const [{ ApolloGateway }, { ApolloServer }, { startStandaloneServer }] = await Promise.all([
    import('@apollo/gateway'),
    import('@apollo/server'),
    import('@apollo/server/standalone'),
  ]);
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  return (await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } })).url;
}

async function serveTrellis(supergraphPath: string, shareInflight: boolean): Promise<string> {
  const [{ startGateway }, { loadConfig }, { createLogger }, { createPlatform }, { limitHeapGrowth }] =
    await Promise.all([
      import('../gateway/gateway.ts'),
      import('../kernel/config.ts'),
      import('../kernel/logger.ts'),
      import('../kernel/platform.ts'),
      import('../kernel/heap-growth.ts'),
    ]);
  // As `bin/trellis.ts` runs it: the Trellis gateway is measured as shipped.
  limitHeapGrowth();
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      TRELLIS_LOG_LEVEL: 'silent',
      TRELLIS_SUPERGRAPH_PATH: supergraphPath,
      TRELLIS_GATEWAY_SHARE_INFLIGHT: String(shareInflight),
      TRELLIS_INTERNAL_SECRET: randomBytes(32).toString('hex'),
      TRELLIS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      REDIS_URL: process.env.REDIS_URL,
      TRELLIS_REDIS_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
    },
    { allInOne: false },
  );
  const platform = await createPlatform(config, createLogger('silent'));
  const subgraphUrls = Object.fromEntries(
    Object.entries(config.subgraphs).map(([name, subgraph]) => [name, subgraph.url]),
  ) as Parameters<typeof startGateway>[1]['subgraphUrls'];
  const gateway = await startGateway(platform, { port: 0, host: '127.0.0.1', subgraphUrls });
  return `${gateway.url}/graphql`;
}

async function main(role: string, argument: string | undefined): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  process.on('disconnect', () => process.exit(0));
  if (role === 'subgraphs') process.send?.({ ready: await serveSubgraphs() });
  else if (role === 'stock') process.send?.({ ready: await serveStock(await readFile(argument as string, 'utf8')) });
  else if (role === 'trellis') process.send?.({ ready: await serveTrellis(argument as string, true) });
  else if (role === 'trellis-unshared') process.send?.({ ready: await serveTrellis(argument as string, false) });
  else throw new Error(`unknown role ${role}`);
}

if (import.meta.main) {
  main(process.argv[2] as string, process.argv[3]).catch((error: Error) => {
    process.stderr.write(`${error.stack ?? String(error)}\n`);
    process.exit(1);
  });
}
