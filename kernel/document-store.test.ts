import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SingleFlightDocumentStore } from './document-store.ts';

/** A server whose plugin counts Apollo's parses: Apollo parses only when its document store missed. */
async function countingServer(documentStore?: SingleFlightDocumentStore) {
  let parses = 0;
  const counter: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async parsingDidStart() {
          parses++;
        },
      };
    },
  };
  const server = new ApolloServer({
    typeDefs: 'type Query { hello(name: String!): String! }',
    resolvers: { Query: { hello: (_: unknown, { name }: { name: string }) => `hello ${name}` } },
    plugins: [counter],
    ...(documentStore ? { documentStore } : {}),
  });
  await server.start();
  const run = (query: string, name: string) => server.executeOperation({ query, variables: { name } });
  return { server, run, parses: () => parses };
}

const QUERY = 'query Hello($name: String!) { hello(name: $name) }';

describe('SingleFlightDocumentStore', () => {
  it("parses and validates a new operation once for a burst of concurrent requests (Apollo's own store: per request)", async () => {
    const plain = await countingServer();
    const single = await countingServer(new SingleFlightDocumentStore());
    try {
      const names = Array.from({ length: 50 }, (_, i) => `n${i}`);
      await Promise.all(names.map((name) => plain.run(QUERY, name)));
      const answers = await Promise.all(names.map((name) => single.run(QUERY, name)));
      // The control: without waiting, concurrent requests all miss (the cost this store removes).
      expect(plain.parses()).toBeGreaterThan(1);
      expect(single.parses()).toBe(1);
      for (const [i, answer] of answers.entries())
        expect(answer.body).toMatchObject({ kind: 'single', singleResult: { data: { hello: `hello n${i}` } } });
      // And later requests read the stored document.
      await single.run(QUERY, 'again');
      expect(single.parses()).toBe(1);
    } finally {
      await Promise.all([plain.server.stop(), single.server.stop()]);
    }
  });

  it('answers every concurrent request of an invalid or unparsable operation with its own errors', async () => {
    const single = await countingServer(new SingleFlightDocumentStore());
    try {
      for (const query of ['query { nope }', 'query {']) {
        const answers = await Promise.all(Array.from({ length: 20 }, () => single.run(query, 'x')));
        for (const answer of answers) {
          expect(answer.body.kind).toBe('single');
          if (answer.body.kind === 'single') expect(answer.body.singleResult.errors?.length).toBe(1);
        }
      }
    } finally {
      await single.server.stop();
    }
  });

  it('gives waiters a miss once the owner has not stored by the next turn of the event loop', async () => {
    const store = new SingleFlightDocumentStore(new InMemoryLRUCache<DocumentNode>());
    expect(await store.get('k')).toBeUndefined();
    const waiter = store.get('k');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await waiter).toBeUndefined();
    // The key has no owner left: the next reader owns it again, and a store reaches its waiters.
    expect(await store.get('k')).toBeUndefined();
    const next = store.get('k');
    const document = { kind: 'Document', definitions: [] } as unknown as DocumentNode;
    await store.set('k', document);
    expect(await next).toBe(document);
    expect(await store.get('k')).toBe(document);
  });
});
