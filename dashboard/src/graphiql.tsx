/**
 * GraphiQL for browsers at GET /graphql, bundled (no CDN). It sends the dashboard's session token
 * when one is stored, so a signed-in person queries as themselves; the headers tab can change it.
 * Queries and mutations go over HTTP, subscriptions over graphql-ws on the same path.
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';
import { GraphiQL } from 'graphiql';
import { getOperationAST, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { type ComponentProps, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { sessionToken } from './session.ts';

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];

const token = sessionToken();
const defaultHeaders = token ? { authorization: `Bearer ${token}` } : {};

function isSubscription(query: string, operationName?: string | null): boolean {
  try {
    return getOperationAST(parse(query), operationName ?? undefined)?.operation === 'subscription';
  } catch {
    return false; // the server answers a syntax error better than we would
  }
}

const fetcher: Fetcher = (params, options) => {
  const headers = (options?.headers ?? defaultHeaders) as Record<string, string>;
  if (isSubscription(params.query, params.operationName)) {
    const socket = createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: headers,
      lazy: true,
    });
    // GraphiQL shows results as JSON: graphql-ws' formatted errors are what it displays.
    return socket.iterate({ query: params.query, variables: params.variables ?? {} }) as unknown as ReturnType<Fetcher>;
  }
  return fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify(params),
  }).then((response) => response.json());
};

const DEFAULT_QUERY = `# Trellis GraphQL. Signed in on the dashboard (/), your session is used here.
{
  me {
    principalId
    kind
  }
}
`;

createRoot(document.getElementById('graphiql') as HTMLElement).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={DEFAULT_QUERY}
      initialHeaders={token ? JSON.stringify(defaultHeaders, null, 2) : undefined}
    />
  </StrictMode>,
);
