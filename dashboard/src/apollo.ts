/**
 * One Apollo Client per session: queries and mutations over HTTP (`POST /graphql`), subscriptions
 * over graphql-ws on the same path. An `unauthenticated` answer (expired or revoked session) signs
 * the person out instead of leaving a page of errors.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { signOut } from './session.ts';

/**
 * graphql-ws 6 ends a reconnect it no longer needs (every subscription ended while it waited to retry) by
 * rejecting with `{ code: 1000, reason: 'All Subscriptions Gone' }` a promise nothing else awaits; the browser
 * would report that as an uncaught error (seen in the browser test under load). It is the normal end of a retry.
 */
addEventListener('unhandledrejection', (event) => {
  const reason = event.reason as { code?: unknown; reason?: unknown } | null;
  if (reason?.code === 1000 && reason.reason === 'All Subscriptions Gone') event.preventDefault();
});

export interface SessionClient {
  client: ApolloClient;
  close(): void;
}

export function createSessionClient(token: string | null): SessionClient {
  const authorization = token ? `Bearer ${token}` : undefined;
  const http = new HttpLink({ uri: '/graphql', headers: authorization ? { authorization } : {} });
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const socket = createClient({
    url: wsUrl,
    connectionParams: authorization ? { authorization } : {},
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
  });
  const signOutOnExpiry = new ErrorLink(({ error }) => {
    if (!token) return;
    if (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'unauthenticated'))
      signOut();
  });
  const transport = ApolloLink.split(
    ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(socket),
    http,
  );
  const client = new ApolloClient({
    link: ApolloLink.from([signOutOnExpiry, transport]),
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
  return {
    client,
    close() {
      client.stop();
      void socket.dispose();
    },
  };
}

/** What the API said, as the API said it (the first error's message), for any failed operation. */
export function errorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) return error.errors.map((e) => e.message).join('; ');
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The API's stable error code (`billing_not_configured`, …) of a failed operation, if any. */
export function errorCode(error: unknown): string | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const code = error.errors[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}
