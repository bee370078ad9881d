/**
 * GraphQL over HTTP on a Fastify route, driving Apollo Server directly (no
 * integration package): GET and POST, `application/graphql-response+json` or
 * `application/json` as the client accepts, with Apollo's status codes. A
 * browser opening the URL gets a short page saying how to use it.
 */
import { type ApolloServer, type BaseContext, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const BROWSER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Trellis GraphQL</title></head>
<body>
<h1>Trellis GraphQL endpoint</h1>
<p>Send GraphQL requests here: <code>POST</code> with <code>content-type: application/json</code> and a body
<code>{"query": "{ me { principalId } }"}</code>, with an <code>authorization: Bearer …</code> header.
GraphQL clients and IDEs (GraphiQL, Apollo Sandbox, Postman) can use this URL as their endpoint.</p>
</body></html>
`;

/** A browser navigating to the endpoint (no query to run): answered with the page above. */
function isBrowserVisit(req: FastifyRequest): boolean {
  const query = req.query as Record<string, unknown> | undefined;
  return req.method === 'GET' && !query?.query && /\btext\/html\b/.test(req.headers.accept ?? '');
}

function httpGraphQLRequest(
  method: string,
  headers: Record<string, string | string[] | undefined>,
  search: string,
  body: unknown,
): HTTPGraphQLRequest {
  const map = new HeaderMap();
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) map.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method, headers: map, search, body };
}

/** A GraphQL POST answered without HTTP (an in-process caller): what the route would send, as plain values. */
export async function answerGraphQLPost<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  headers: Record<string, string>,
  body: unknown,
  context: () => Promise<TContext>,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: httpGraphQLRequest('POST', headers, '', body),
    context,
  });
  // Subgraph operations never @defer: incremental delivery exists only on the route.
  if (response.body.kind !== 'complete') throw new Error('incremental delivery is not supported in process');
  return { status: response.status ?? 200, headers: Object.fromEntries(response.headers), body: response.body.string };
}

export function registerGraphQLRoute<TContext extends BaseContext>(
  app: FastifyInstance,
  server: ApolloServer<TContext>,
  context: (req: FastifyRequest) => Promise<TContext>,
  path = '/graphql',
): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    if (isBrowserVisit(req)) return reply.type('text/html; charset=utf-8').send(BROWSER_PAGE);
    const queryIndex = req.url.indexOf('?');
    const search = queryIndex === -1 ? '' : req.url.slice(queryIndex);
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: httpGraphQLRequest(req.method.toUpperCase(), req.headers, search, req.body),
      context: () => context(req),
    });
    for (const [key, value] of response.headers) reply.header(key, value);
    reply.code(response.status ?? 200);
    if (response.body.kind === 'complete') return reply.send(response.body.string);
    // Incremental delivery (@defer): stream the chunks as they come.
    reply.hijack();
    reply.raw.writeHead(response.status ?? 200, Object.fromEntries(response.headers));
    for await (const chunk of response.body.asyncIterator) reply.raw.write(chunk);
    reply.raw.end();
  };
  app.get(path, handler);
  app.post(path, handler);
}
