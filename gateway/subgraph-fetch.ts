/**
 * How the gateway reaches a subgraph.
 *
 * `SubgraphDataSource` replaces Apollo's `RemoteGraphQLDataSource`, whose per-call cost was a third
 * of the gateway's CPU under load (issue #16 profile): a node-fetch `Headers` and `Request` built for
 * every call, make-fetch-happen's cache and retry layers, WHATWG streams. Here a fetch is one
 * `node:http` request on a keep-alive agent per subgraph (or one in-process call when the subgraph
 * shares the process), a body collected as a Buffer and parsed once, headers in a plain object.
 * We wrote it ourselves because no maintained library does this narrow job (undici is not a
 * dependency; Node's global fetch is undici behind the same WHATWG layers).
 *
 * Identical queries in flight at the same time for the same caller (same principal and client IP,
 * same subgraph, same body) are sent once and the response bytes shared; every waiter parses its
 * own copy, because the query-plan executor merges subgraph data into its result in place.
 * Mutations are never shared.
 *
 * Every request has a deadline (TRELLIS_SUBGRAPH_TIMEOUT_MS): a subgraph that hangs fails the call
 * with a TimeoutError, which the error formatter reports as 503 `service_unavailable` like a
 * refused connection (kernel/unavailable.ts), instead of holding the client forever.
 */
import './apollo-telemetry.ts';
import http, { STATUS_CODES } from 'node:http';
import https from 'node:https';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { PRINCIPAL_HEADER, type PrincipalInProcess } from '../kernel/principal.ts';
import type { InProcessAnswer, InProcessFetch, InProcessOperation } from '../kernel/subgraph.ts';

/** A subgraph's answer before parsing (lower-case header names, as Node gives them): what in-flight de-duplication shares. */
export type RawSubgraphResponse = InProcessAnswer;

/** Sends one POST of a GraphQL body and resolves with the raw answer. */
export type SubgraphTransport = (headers: Record<string, string>, body: string) => Promise<RawSubgraphResponse>;

const timeoutError = (ms: number): Error => {
  const error = new Error(`The subgraph did not answer within ${ms} ms`);
  error.name = 'TimeoutError';
  return error;
};

/**
 * A subgraph deadline in ms, or a function read on every request (so a configuration reload applies
 * to the next one).
 */
export type Deadline = number | (() => number);
const deadlineOf = (deadline: Deadline): (() => number) => (typeof deadline === 'function' ? deadline : () => deadline);

/** POST over `node:http(s)` on one keep-alive agent per subgraph. */
export function httpTransport(url: string, deadline: Deadline): { send: SubgraphTransport; close(): void } {
  const deadlineMs = deadlineOf(deadline);
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const agent = new (secure ? https : http).Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
  const request = secure ? https.request : http.request;
  const base = {
    agent,
    method: 'POST',
    hostname: target.hostname.replace(/^\[|\]$/g, ''),
    port: target.port || (secure ? 443 : 80),
    path: `${target.pathname}${target.search}`,
  };
  const send: SubgraphTransport = (headers, body) =>
    new Promise((resolve, reject) => {
      const req = request({ ...base, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: res.headers,
            body: chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      const timeoutMs = deadlineMs();
      const timer = setTimeout(() => req.destroy(timeoutError(timeoutMs)), timeoutMs);
      function fail(error: Error) {
        clearTimeout(timer);
        reject(error);
      }
      req.on('error', fail);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/** The in-process transport (all-in-one): the subgraph's own routes without a socket, same deadline. */
export function inProcessTransport(url: string, fetchInProcess: InProcessFetch, deadline: Deadline): SubgraphTransport {
  const deadlineMs = deadlineOf(deadline);
  return async (headers, body) => {
    const timeoutMs = deadlineMs();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeoutError(timeoutMs)), timeoutMs);
    });
    try {
      const init = { method: 'POST', headers, body };
      // Plain values when the subgraph offers them (kernel/subgraph.ts); a WHATWG Response read back otherwise.
      if (fetchInProcess.answer) return await Promise.race([fetchInProcess.answer(url, init), deadline]);
      const response = await Promise.race([fetchInProcess(url, init), deadline]);
      return {
        status: response.status,
        statusText: response.statusText,
        headers: Object.fromEntries(response.headers),
        body: await response.text(),
      };
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * The in-process subgraph's `operation` (values both ways, kernel/subgraph.ts) under the same deadline
 * as the transport: for the gateway's direct subgraph calls (`SubgraphDataSource.operation`).
 */
export function inProcessOperation(operate: InProcessOperation, deadline: Deadline): InProcessOperation {
  const deadlineMs = deadlineOf(deadline);
  return async (...args) => {
    const timeoutMs = deadlineMs();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeoutError(timeoutMs)), timeoutMs);
    });
    try {
      return await Promise.race([operate(...args), late]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Identical requests in flight share one subgraph call (see the module comment for what "identical" is). */
export class InflightRequests {
  private readonly pending = new Map<string, Promise<RawSubgraphResponse>>();
  /** Calls answered by another caller's request (a metric, and what the tests check). */
  shared = 0;

  run(key: string, send: () => Promise<RawSubgraphResponse>): Promise<RawSubgraphResponse> {
    const existing = this.pending.get(key);
    if (existing) {
      this.shared++;
      return existing;
    }
    const started = send().finally(() => this.pending.delete(key));
    this.pending.set(key, started);
    return started;
  }
}

/** True for an operation the gateway may share between callers: a query, never a mutation. */
export const isSharedQuery = (operation: string): boolean => {
  const start = operation.trimStart();
  return start.startsWith('{') || start.startsWith('query');
};

export interface SubgraphCall<TContext> {
  /** Headers for this call (principal, request id, trace context), from the request's context. */
  headers(context: TContext): Record<string, string>;
  /**
   * Who the answer is for, or undefined to never share it: two calls share a response only when
   * this and the body are equal.
   */
  audience(context: TContext): string | undefined;
  /** Sees every response's headers (credential invalidation). */
  onResponse?(headers: RawSubgraphResponse['headers']): void;
  /**
   * For a direct operation on a subgraph of this process: the principal as a value (`principalInProcess`)
   * with the request id and trace, instead of `headers`' signed principal — no seal to make or check.
   */
  inProcess?(context: TContext): { principal: PrincipalInProcess; requestId: string; traceparent: string } | undefined;
}

const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/graphql-response+json, application/json',
};

/** Apollo's `GraphQLDataSource` over a lean transport, with in-flight de-duplication of queries. */
export class SubgraphDataSource<TContext extends object> implements GraphQLDataSource {
  private readonly url: string;
  private readonly send: SubgraphTransport;
  private readonly call: SubgraphCall<TContext>;
  private readonly inflight: InflightRequests;

  private readonly operate?: InProcessOperation;

  constructor(
    url: string,
    send: SubgraphTransport,
    call: SubgraphCall<TContext>,
    inflight = new InflightRequests(),
    operate?: InProcessOperation,
  ) {
    this.url = url;
    this.send = send;
    this.call = call;
    this.inflight = inflight;
    this.operate = operate;
  }

  /**
   * A direct call of this process's code to the subgraph (the gateway's `subgraphOperation`: the REST
   * adapter's `executeOn`, e.g. each AI gateway call's execute, track and record), which builds the
   * variables and reads only the data. When the subgraph shares the process it runs from values: the
   * same signed principal, request id and trace, Apollo pass and answer (errors, status, headers), but
   * no JSON text either way and no HTTP request around it — half of such an operation's Apollo cost
   * was the HTTP layer (body checks, content negotiation, serialising and parsing the answer). Never
   * shared with an identical call in flight (these are mutations, or as good as).
   */
  async operation(
    request: { query: string; variables?: Record<string, unknown> },
    context: TContext,
  ): Promise<GatewayGraphQLResponse> {
    if (!this.operate) return this.process({ request, context } as unknown as GraphQLDataSourceProcessOptions);
    const caller = this.call.inProcess?.(context) ?? this.signedCaller(context);
    const result = await this.operate(
      caller.principal,
      { query: request.query, variables: request.variables ?? {} },
      { requestId: caller.requestId, traceparent: caller.traceparent },
    );
    this.call.onResponse?.(result.headers ?? {});
    const answer = { data: result.data, errors: result.errors } as GatewayGraphQLResponse;
    if (result.status < 200 || result.status > 299)
      throw this.errorFromResponse({
        status: result.status,
        statusText: STATUS_CODES[result.status] ?? '',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(answer),
      });
    return answer;
  }

  /** `headers`' signed principal, request id and trace, in the shape `inProcess` gives them. */
  private signedCaller(context: TContext) {
    const headers = this.call.headers(context);
    return {
      principal: headers[PRINCIPAL_HEADER] ?? '',
      requestId: headers['x-request-id'],
      traceparent: headers.traceparent,
    };
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const context = options.context as TContext;
    if (!request.query) throw new Error('Missing query');
    const body = JSON.stringify({
      query: request.query,
      operationName: request.operationName,
      variables: request.variables,
      extensions: request.extensions,
    });
    // Headers (a signed principal, a new span id) are built only by the call that sends: a call
    // answered by an identical one in flight skips the signing.
    const send = () => {
      const headers: Record<string, string> = { ...JSON_HEADERS };
      // Headers the query planner asks for (federated tracing) come first; ours win.
      if (request.http?.headers) for (const [name, value] of request.http.headers) headers[name] = value;
      Object.assign(headers, this.call.headers(context));
      return this.send(headers, body);
    };
    const audience = isSharedQuery(request.query) ? this.call.audience(context) : undefined;
    const raw = audience === undefined ? await send() : await this.inflight.run(`${audience}\n${body}`, send);
    this.call.onResponse?.(raw.headers);
    if (raw.status < 200 || raw.status > 299) throw this.errorFromResponse(raw);
    const parsed = parseJson(raw);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error(`Expected JSON response body, but received: ${raw.body.slice(0, 200)}`);
    return parsed as GatewayGraphQLResponse;
  }

  /** The same error Apollo's data source raises for a non-2xx answer. */
  private errorFromResponse(raw: RawSubgraphResponse): GraphQLError {
    const extensions: Record<string, unknown> = {
      response: { url: this.url, status: raw.status, statusText: raw.statusText, body: parseJson(raw) },
    };
    if (raw.status === 401) extensions.code = 'UNAUTHENTICATED';
    else if (raw.status === 403) extensions.code = 'FORBIDDEN';
    return new GraphQLError(`${raw.status}: ${raw.statusText}`, { extensions });
  }
}

/** The body as JSON when the subgraph says it is JSON, else the text. */
function parseJson(raw: RawSubgraphResponse): unknown {
  const type = raw.headers['content-type'];
  const json =
    typeof type === 'string' &&
    (type.startsWith('application/json') || type.startsWith('application/graphql-response+json'));
  return json ? JSON.parse(raw.body) : raw.body;
}

/**
 * The data sources of one gateway: one transport per subgraph URL, kept across supergraph reloads
 * (Apollo builds its services again on each), one in-flight table, all sockets closed together.
 */
export class SubgraphDataSources<TContext extends object> {
  private readonly transports = new Map<string, { send: SubgraphTransport; close(): void }>();
  readonly inflight = new InflightRequests();

  private readonly timeoutMs: Deadline;
  private readonly call: SubgraphCall<TContext>;

  constructor(timeoutMs: Deadline, call: SubgraphCall<TContext>) {
    this.timeoutMs = timeoutMs;
    this.call = call;
  }

  build(url: string, inProcess?: InProcessFetch): SubgraphDataSource<TContext> {
    const key = `${inProcess ? 'in-process' : 'http'} ${url}`;
    let transport = this.transports.get(key);
    if (!transport) {
      transport = inProcess
        ? { send: inProcessTransport(url, inProcess, this.timeoutMs), close: () => undefined }
        : httpTransport(url, this.timeoutMs);
      this.transports.set(key, transport);
    }
    const operate = inProcess?.operation && inProcessOperation(inProcess.operation, this.timeoutMs);
    return new SubgraphDataSource(url, transport.send, this.call, this.inflight, operate);
  }

  close(): void {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }
}
