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

/** Apollo's own default bound (its sizes are the documents' JSON lengths). */
const MAX_BYTES = 30 * 2 ** 20;

export class SingleFlightDocumentStore implements KeyValueCache<DocumentNode> {
  readonly #documents: KeyValueCache<DocumentNode>;
  readonly #pending = new Map<string, (document: DocumentNode | undefined) => void>();
  readonly #waiting = new Map<string, Promise<DocumentNode | undefined>>();

  constructor(documents: KeyValueCache<DocumentNode> = new InMemoryLRUCache<DocumentNode>({ maxSize: MAX_BYTES })) {
    this.#documents = documents;
  }

  async get(key: string): Promise<DocumentNode | undefined> {
    const stored = await this.#documents.get(key);
    if (stored) return stored;
    const waiting = this.#waiting.get(key);
    if (waiting) return waiting;
    this.#waiting.set(
      key,
      new Promise((resolve) => {
        this.#pending.set(key, resolve);
      }),
    );
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
    const resolve = this.#pending.get(key);
    if (!resolve) return;
    this.#pending.delete(key);
    this.#waiting.delete(key);
    resolve(document);
  }
}
