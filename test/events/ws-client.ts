/** graphql-ws test clients that record everything they receive. */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { eventually } from '../eventually.ts';

export interface Recorded {
  // biome-ignore lint/suspicious/noExplicitAny: JSON payloads are asserted field by field
  messages: any[];
  errors: unknown[];
  completed: boolean;
  dispose(): void;
}

export interface TestClient {
  client: Client;
  closed?: { code: number; reason: string };
  subscribe(query: string, variables?: Record<string, unknown>): Recorded;
  dispose(): Promise<void>;
}

const clients: TestClient[] = [];

export function wsUrl(httpUrl: string, path = '/graphql'): string {
  return `${httpUrl.replace(/^http/, 'ws')}${path}`;
}

export function connect(httpUrl: string, connectionParams: Record<string, unknown>): TestClient {
  const test: TestClient = {
    client: createClient({
      url: wsUrl(httpUrl),
      webSocketImpl: WebSocket,
      connectionParams,
      lazy: true,
      retryAttempts: 0,
      on: {
        closed: (event) => {
          const e = event as { code: number; reason: string };
          test.closed = { code: e.code, reason: String(e.reason) };
        },
      },
    }),
    subscribe(query, variables = {}) {
      const recorded: Recorded = {
        messages: [],
        errors: [],
        completed: false,
        dispose: () => undefined,
      };
      recorded.dispose = test.client.subscribe(
        { query, variables },
        {
          next: (message) => recorded.messages.push(message),
          error: (error) => recorded.errors.push(error),
          complete: () => {
            recorded.completed = true;
          },
        },
      );
      return recorded;
    },
    async dispose() {
      await test.client.dispose();
    },
  };
  clients.push(test);
  return test;
}

/** Waits until `recorded` holds at least `count` messages; returns them. */
// biome-ignore lint/suspicious/noExplicitAny: JSON payloads are asserted field by field
export function received(recorded: Recorded, count: number, timeoutMs = 15_000): Promise<any[]> {
  return eventually(() => {
    if (recorded.errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(recorded.errors)}`);
    return recorded.messages.length >= count ? recorded.messages : undefined;
  }, timeoutMs);
}

export async function closeClients(): Promise<void> {
  await Promise.allSettled(clients.splice(0).map((c) => c.dispose()));
}
