/**
 * The provider clients' transport: a fetch-shaped function over node:http(s) with keep-alive
 * agents, passed as the `openai` and `@anthropic-ai/sdk` clients' `fetch` option. Node's global
 * fetch (undici) cost ~30 % more CPU per upstream call in a profile of a governed call: its
 * WHATWG request pipeline, header lists and body mixins around what is one JSON POST and one
 * answer. The answer is still a WHATWG `Response` (the clients read `headers.get`, `json()`, and
 * `body` as a stream for SSE): over the bytes read for a JSON answer, over the socket's stream for
 * anything else.
 *
 * No `accept-encoding` is sent (the clients set none), so answers come uncompressed; a server that
 * compresses anyway is decoded as fetch would.
 *
 * Proxies: like Node's fetch, the environment's `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` are
 * honoured only when `NODE_USE_ENV_PROXY=1` (or `--use-env-proxy`); the agents then get them as
 * their `proxyEnv`.
 */
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Whether this process was asked to route outgoing requests through the environment's proxy. */
function useEnvProxy(): boolean {
  const flag = process.env.NODE_USE_ENV_PROXY;
  return (flag !== undefined && flag !== '' && flag !== '0') || process.execArgv.includes('--use-env-proxy');
}

function agentOptions(): http.AgentOptions {
  // Sockets idle for 4 s are closed by us before most servers' own 5 s keep-alive timeout.
  const options: http.AgentOptions = { keepAlive: true, keepAliveMsecs: 1_000, timeout: 4_000, scheduling: 'lifo' };
  if (useEnvProxy()) options.proxyEnv = process.env;
  return options;
}

const agents = { 'http:': new http.Agent(agentOptions()), 'https:': new https.Agent(agentOptions()) };

/**
 * A JSON answer (`application/json`, `application/problem+json`, …): the clients read it whole. Any
 * other (SSE, or a server that names no type) is handed over as it arrives, so a stream is never held.
 */
const isJson = (type: string | undefined) =>
  type !== undefined && /^\s*application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type);

/** Answers that carry no body by definition: a WHATWG `Response` refuses one. */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

function requestHeaders(headers: RequestInit['headers'], body: string | Buffer | undefined): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  // The clients pass a `Headers` already (names lower-case, values combined): read it as it is
  // rather than copy it into another (a third of this function's cost in a profile of the AI bench).
  (headers instanceof Headers ? headers : new Headers(headers)).forEach((value, name) => {
    out[name] = value;
  });
  if (body !== undefined) out['content-length'] = Buffer.byteLength(body);
  return out;
}

function requestBody(body: RequestInit['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return undefined;
}

function responseHeaders(raw: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i] as string, raw[i + 1] as string]);
  return pairs;
}

/** The answer's body as sent by the server, decoded from its `content-encoding` as fetch does. */
function decoded(answer: http.IncomingMessage): Readable {
  const encoding = answer.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return answer;
  answer.once('error', (error) => decoder.destroy(error));
  return answer.pipe(decoder);
}

/**
 * `fetch` for the provider clients. Bodies other than a string or bytes (streams, form data: the
 * clients' uploads, which Trellis does not use) and `Request` inputs go to the global fetch.
 */
export const upstreamFetch: Fetch = (input, init = {}) => {
  const payload = requestBody(init.body);
  if (input instanceof Request || (init.body != null && payload === undefined)) return fetch(input, init);
  const url = typeof input === 'string' ? new URL(input) : input;
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise<Response>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      agent,
      method: init.method ?? 'GET',
      headers: requestHeaders(init.headers, payload),
    });
    // Aborting before the answer rejects; after it, it errors the body stream (the clients end a
    // stream quietly on an AbortError, as with fetch).
    let body: Readable | undefined;
    const onAbort = () => {
      const error = abortError(signal as AbortSignal);
      request.destroy(error);
      body?.destroy(error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const stopListening = () => signal?.removeEventListener('abort', onAbort);
    // What fetch rejects with: the abort when the signal fired, else `fetch failed` with the cause.
    const failed = (cause: unknown) =>
      reject(signal?.aborted ? abortError(signal) : new TypeError('fetch failed', { cause }));
    request.once('error', (error) => {
      stopListening();
      failed(error);
    });
    request.once('response', (answer) => {
      answer.once('close', stopListening);
      const status = answer.statusCode ?? 502;
      const shape = { status, statusText: answer.statusMessage, headers: responseHeaders(answer.rawHeaders) };
      if (NULL_BODY_STATUS.has(status)) {
        answer.resume();
        resolve(new Response(null, shape));
        return;
      }
      body = decoded(answer);
      if (!isJson(answer.headers['content-type'])) {
        resolve(new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, shape));
        return;
      }
      // A JSON answer (a completion, an error body) the clients read whole (`json()`, `text()`):
      // read it here and hand it over as bytes, which costs less than a web stream over the socket
      // (a promise per chunk, the stream's queue). The request's signal still covers the read (an
      // abort destroys `body`), and a body cut short rejects, never parses truncated. (Tried instead:
      // stream/consumers' `buffer`, ~7 KB more allocated per call; Node's `finished`, no gain.)
      const read = body;
      const chunks: Buffer[] = [];
      read.on('data', (chunk: Buffer) => chunks.push(chunk));
      read.once('end', () => resolve(new Response(Buffer.concat(chunks), shape)));
      read.once('error', failed);
      read.once('close', () => read.readableEnded || failed(new Error('the answer ended before its body did')));
    });
    request.end(payload);
  });
};
