/**
 * Apollo Server's store of parsed and validated operations, with one addition: concurrent requests
 * for an operation it does not hold yet wait for the first one's result instead of each parsing and
 * validating it again.
 *
 * Apollo reads its store with an `await`, then parses, validates and stores. A burst of requests for a
 * new operation all read before any has stored: 500 concurrent `POST /v1/execute` on a fresh process
 * parsed and validated the same document 200–500 times (issue #16's first burst, 111 ms of `validate`).
 *
 * The first reader of a missing key owns it and gets a miss; later readers of that key get a promise
 * of the owner's document. The owner's parse and validation run in the microtasks that follow its
 * read (Apollo's hooks between them do no I/O), so once the next macrotask runs it has stored the
 * document or refused the operation. Waiters still pending then get a miss and do the work themselves:
 * an invalid operation (which is never stored) answers each request with its own errors, and a slower
 * owner costs only what a store without waiting would.
 */
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';

export class SingleFlightDocumentStore implements KeyValueCache<DocumentNode> {
  /** Apollo's own default store: an LRU bounded at 30 MiB of the documents' JSON. */
  readonly #documents: KeyValueCache<DocumentNode>;
  /** The keys an owner is parsing and validating, with the promise their waiters were given. */
  readonly #inFlight = new Map<string, PromiseWithResolvers<DocumentNode | undefined>>();

  constructor(documents: KeyValueCache<DocumentNode> = new InMemoryLRUCache<DocumentNode>()) {
    this.#documents = documents;
  }

  async get(key: string): Promise<DocumentNode | undefined> {
    const stored = await this.#documents.get(key);
    if (stored) return stored;
    const inFlight = this.#inFlight.get(key);
    if (inFlight) return inFlight.promise;
    this.#inFlight.set(key, Promise.withResolvers());
    setImmediate(() => this.#release(key, undefined));
    return undefined;
  }

  async set(key: string, document: DocumentNode): Promise<void> {
    await this.#documents.set(key, document);
    this.#release(key, document);
  }

  async delete(key: string): Promise<boolean | undefined> {
    return (await this.#documents.delete(key)) ?? undefined;
  }

  #release(key: string, document: DocumentNode | undefined): void {
    const inFlight = this.#inFlight.get(key);
    if (!inFlight) return;
    this.#inFlight.delete(key);
    inFlight.resolve(document);
  }
}
