/** The gateway's subgraph transport: in-flight de-duplication, errors, deadlines. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  httpTransport,
  InflightRequests,
  inProcessOperation,
  inProcessTransport,
  type RawSubgraphResponse,
  SubgraphDataSource,
  type SubgraphTransport,
} from '../../gateway/subgraph-fetch.ts';
import { principalInProcess, servicePrincipal } from '../../kernel/principal.ts';
import { type InProcessOperation, inProcessFetch } from '../../kernel/subgraph.ts';
import { isUnavailable } from '../../kernel/unavailable.ts';

interface Ctx {
  who: string;
}

/** A transport that answers only when told to, and counts what it was sent. */
function heldTransport() {
  const sent: { headers: Record<string, string>; body: string }[] = [];
  const waiting: ((r: RawSubgraphResponse) => void)[] = [];
  const send: SubgraphTransport = (headers, body) => {
    sent.push({ headers, body });
    return new Promise((resolve) => waiting.push(resolve));
  };
  const answer = (data: unknown) => {
    for (const resolve of waiting.splice(0))
      resolve({
        status: 200,
        statusText: 'OK',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data }),
      });
  };
  return { send, sent, answer };
}

const source = (send: SubgraphTransport) =>
  new SubgraphDataSource<Ctx>(
    'http://subgraph.test/graphql',
    send,
    { headers: (c) => ({ 'x-who': c.who }), audience: (c) => c.who },
    new InflightRequests(),
  );

const call = (ds: SubgraphDataSource<Ctx>, who: string, query: string) =>
  ds.process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query, variables: { id: '1' } },
    context: { who },
    // biome-ignore lint/suspicious/noExplicitAny: the executor's request context is not read by the data source
    incomingRequestContext: {} as any,
  });

describe('in-flight de-duplication', () => {
  it('sends identical concurrent queries for the same caller once, each caller getting its own copy', async () => {
    const t = heldTransport();
    const ds = source(t.send);
    const answers = Promise.all([1, 2, 3].map(() => call(ds, 'alice', 'query { thing(id: $id) { a } }')));
    t.answer({ thing: { a: 1 } });
    const [first, second] = await answers;
    expect(t.sent).toHaveLength(1);
    expect(first).toEqual({ data: { thing: { a: 1 } } });
    // The executor merges into what it receives: a shared object would leak between requests.
    expect(first?.data).not.toBe(second?.data);
  });

  it('never shares between callers, nor a mutation, nor once the first answer is in', async () => {
    const t = heldTransport();
    const ds = source(t.send);
    const pending = Promise.all([
      call(ds, 'alice', '{ thing { a } }'),
      call(ds, 'mallory', '{ thing { a } }'),
      call(ds, 'alice', 'mutation { doIt }'),
      call(ds, 'alice', 'mutation { doIt }'),
    ]);
    expect(t.sent.map((s) => s.headers['x-who'])).toEqual(['alice', 'mallory', 'alice', 'alice']);
    t.answer({ thing: { a: 1 } });
    await pending;
    const again = call(ds, 'alice', '{ thing { a } }');
    expect(t.sent).toHaveLength(5);
    t.answer({ thing: { a: 2 } });
    expect((await again).data).toEqual({ thing: { a: 2 } });
  });

  it('builds (signs) the headers only for the call that is sent, not for the ones that share it', async () => {
    const t = heldTransport();
    const built: string[] = [];
    const ds = new SubgraphDataSource<Ctx>(
      'http://subgraph.test/graphql',
      t.send,
      {
        headers: (c) => {
          built.push(c.who);
          return { 'x-who': c.who };
        },
        audience: (c) => c.who,
      },
      new InflightRequests(),
    );
    const answers = Promise.all([1, 2, 3].map(() => call(ds, 'alice', '{ thing { a } }')));
    t.answer({ thing: { a: 1 } });
    await answers;
    expect(built).toEqual(['alice']);
    expect(t.sent[0]?.headers['x-who']).toBe('alice');
  });
});

describe('the HTTP transport', () => {
  async function server(handler: http.RequestListener) {
    const s = http.createServer(handler);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/graphql`, close: () => s.close() };
  }

  it('reports a non-2xx answer as Apollo does, with the status and body', async () => {
    const s = await server((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"errors":[{"message":"no"}]}');
    });
    const transport = httpTransport(s.url, 5000);
    try {
      const error = await call(source(transport.send), 'alice', '{ a }').catch((e: unknown) => e);
      expect(error).toMatchObject({
        message: '403: Forbidden',
        extensions: { code: 'FORBIDDEN', response: { status: 403, body: { errors: [{ message: 'no' }] } } },
      });
    } finally {
      transport.close();
      s.close();
    }
  });

  it('gives up at its deadline with an error classified as unavailable', async () => {
    const s = await server(() => undefined);
    const transport = httpTransport(s.url, 150);
    try {
      const started = Date.now();
      const error = await call(source(transport.send), 'alice', '{ a }').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(error).toMatchObject({ name: 'TimeoutError' });
      expect(isUnavailable(error)).toBe(true);
    } finally {
      transport.close();
      s.close();
    }
  });

  it('reuses kept-alive connections across calls', async () => {
    const sockets = new Set<unknown>();
    const s = await server((req, res) => {
      sockets.add(req.socket);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"a":1}}');
    });
    const transport = httpTransport(s.url, 5000);
    try {
      const ds = source(transport.send);
      for (let i = 0; i < 5; i++) expect((await call(ds, `caller-${i}`, '{ a }')).data).toEqual({ a: 1 });
      expect(sockets.size).toBe(1);
    } finally {
      transport.close();
      s.close();
    }
  });
});

describe('in-process transport', () => {
  it('answers the same through the plain-values path as through a WHATWG Response', async () => {
    const app = Fastify();
    app.post('/graphql', async (req, reply) =>
      reply
        .code(401)
        .header('content-type', 'application/json; charset=utf-8')
        .header('x-retry-count', 3)
        .header('set-cookie', ['a=1', 'b=2'])
        .send({ errors: [{ message: 'no' }], echo: req.headers['x-who'], body: req.body }),
    );
    await app.ready();
    try {
      const fetch = inProcessFetch(app);
      expect(fetch.answer).toBeTypeOf('function');
      const plain = inProcessTransport('http://in-process.test/graphql', fetch, 5000);
      // The same fetch without `answer`: the transport reads a WHATWG Response back.
      const viaResponse = inProcessTransport('http://in-process.test/graphql', (url, init) => fetch(url, init), 5000);
      const headers = { 'content-type': 'application/json', 'x-who': 'alice' };
      const [a, b] = await Promise.all([plain(headers, '{"q":1}'), viaResponse(headers, '{"q":1}')]);
      expect(a.status).toBe(401);
      expect(JSON.parse(a.body)).toEqual({ errors: [{ message: 'no' }], echo: 'alice', body: { q: 1 } });
      expect(a.body).toBe(b.body);
      expect(a.status).toBe(b.status);
      expect(a.headers['content-type']).toBe(b.headers['content-type']);
      expect(a.headers['x-retry-count']).toBe('3');
      expect(a.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    } finally {
      await app.close();
    }
  });
});

describe("the gateway's direct operations (SubgraphDataSource.operation)", () => {
  const signed = {
    headers: (c: Ctx) => ({ 'x-trellis-principal': `signed:${c.who}`, 'x-request-id': 'req-1', traceparent: 'tp-1' }),
    audience: () => undefined,
  };
  const noTransport: SubgraphTransport = () => Promise.reject(new Error('the JSON transport was used'));

  it('run from values in process: the signed principal, request id and trace go along, the answer headers are seen', async () => {
    const seen: Parameters<InProcessOperation>[] = [];
    const responses: RawSubgraphResponse['headers'][] = [];
    const operate: InProcessOperation = async (...args) => {
      seen.push(args);
      return { status: 200, data: { doIt: true }, headers: { 'x-trellis-auth-invalidate': '{"keys":["k"]}' } };
    };
    const ds = new SubgraphDataSource<Ctx>(
      'http://subgraph.test/graphql',
      noTransport,
      { ...signed, onResponse: (headers) => void responses.push(headers) },
      new InflightRequests(),
      operate,
    );
    const answer = await ds.operation({ query: 'mutation { doIt }', variables: { a: 1 } }, { who: 'alice' });
    expect(answer).toEqual({ data: { doIt: true } });
    expect(seen).toEqual([
      [
        'signed:alice',
        { query: 'mutation { doIt }', variables: { a: 1 } },
        { requestId: 'req-1', traceparent: 'tp-1' },
      ],
    ]);
    expect(responses).toEqual([{ 'x-trellis-auth-invalidate': '{"keys":["k"]}' }]);
  });

  it('hand an in-process principal over as a value when the call offers one, without signing a header', async () => {
    const seen: Parameters<InProcessOperation>[] = [];
    const operate: InProcessOperation = async (...args) => {
      seen.push(args);
      return { status: 200, data: { doIt: true } };
    };
    const value = principalInProcess(servicePrincipal('alice'));
    const ds = new SubgraphDataSource<Ctx>(
      'http://subgraph.test/graphql',
      noTransport,
      {
        headers: () => {
          throw new Error('signed a header for an in-process call');
        },
        audience: () => undefined,
        inProcess: () => ({ principal: value, requestId: 'req-2', traceparent: 'tp-2' }),
      },
      new InflightRequests(),
      operate,
    );
    expect(await ds.operation({ query: 'mutation { doIt }' }, { who: 'alice' })).toEqual({ data: { doIt: true } });
    expect(seen).toEqual([
      [value, { query: 'mutation { doIt }', variables: {} }, { requestId: 'req-2', traceparent: 'tp-2' }],
    ]);
    expect(seen[0]?.[0]).toBe(value);
  });

  it('report a non-2xx answer as the JSON path does', async () => {
    const body = { errors: [{ message: 'no', extensions: { code: 'unauthenticated' } }] };
    const viaValues = await new SubgraphDataSource<Ctx>(
      'http://subgraph.test/graphql',
      noTransport,
      signed,
      new InflightRequests(),
      async () => ({ status: 401, ...body }),
    )
      .operation({ query: 'mutation { doIt }' }, { who: 'alice' })
      .catch((e: unknown) => e);
    const viaJson = await call(
      new SubgraphDataSource<Ctx>(
        'http://subgraph.test/graphql',
        async () => ({
          status: 401,
          statusText: 'Unauthorized',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
        signed,
      ),
      'alice',
      'mutation { doIt }',
    ).catch((e: unknown) => e);
    expect(viaValues).toMatchObject({ message: '401: Unauthorized', extensions: { code: 'UNAUTHENTICATED' } });
    expect(viaValues).toEqual(viaJson);
    expect((viaValues as { extensions: unknown }).extensions).toEqual((viaJson as { extensions: unknown }).extensions);
  });

  it('go through the transport when the subgraph is elsewhere', async () => {
    const t = heldTransport();
    const ds = new SubgraphDataSource<Ctx>('http://subgraph.test/graphql', t.send, signed);
    const answer = ds.operation({ query: 'mutation { doIt }', variables: {} }, { who: 'alice' });
    t.answer({ doIt: true });
    expect(await answer).toEqual({ data: { doIt: true } });
    expect(t.sent[0]?.headers['x-trellis-principal']).toBe('signed:alice');
  });

  it('give up at the deadline with an error classified as unavailable', async () => {
    const operate = inProcessOperation(() => new Promise(() => undefined), 100);
    const error = await operate('p', { query: '{ a }', variables: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(isUnavailable(error)).toBe(true);
  });
});
