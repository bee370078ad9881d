/**
 * The provider clients' keep-alive transport (ai-gateway/upstream-fetch.ts) answers as fetch
 * does: status, headers and body; streamed bodies chunk by chunk; aborts before and during the
 * answer as AbortError; unreachable hosts as `fetch failed`; one socket reused across calls; the
 * environment's proxy only when NODE_USE_ENV_PROXY asks for it. And through the openai client.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { upstreamFetch } from '../../ai-gateway/upstream-fetch.ts';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
const sockets = new Set<string>();

async function listen(onRequest: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const s = createServer(onRequest);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
const close = (s: Server) =>
  new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  });

beforeAll(async () => {
  server = await listen((req, res) => {
    sockets.add(`${req.socket.remotePort}`);
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => handler(req, body, res));
  });
  base = urlOf(server);
});
afterAll(() => close(server));
afterEach(() => sockets.clear());

describe('upstreamFetch', () => {
  it('sends the method, headers and body, and answers with status, headers and body', async () => {
    let seen: { method?: string; type?: string; length?: string; auth?: string; body?: string } = {};
    handler = (req, body, res) => {
      seen = {
        method: req.method,
        type: req.headers['content-type'],
        length: req.headers['content-length'],
        auth: req.headers.authorization,
        body,
      };
      res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
      res.end(JSON.stringify({ ok: 'é' }));
    };
    const payload = JSON.stringify({ model: 'm', text: 'héllo' });
    const response = await upstreamFetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer k' }),
      body: payload,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('req_1');
    expect(await response.json()).toEqual({ ok: 'é' });
    expect(seen).toEqual({
      method: 'POST',
      type: 'application/json',
      length: String(Buffer.byteLength(payload)),
      auth: 'Bearer k',
      body: payload,
    });
  });

  it('gives an error status to the caller as an answer, not a rejection', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(429, { 'retry-after-ms': '10' });
      res.end('{"error":{}}');
    };
    const response = await upstreamFetch(`${base}/x`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after-ms')).toBe('10');
    expect(await response.text()).toBe('{"error":{}}');
  });

  it('streams the body: the first chunk is readable before the server ends the answer', async () => {
    let finish = () => {};
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      finish = () => res.end('data: [DONE]\n\n');
    };
    const response = await upstreamFetch(`${base}/stream`, { method: 'POST', body: '{}' });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: one\n\n');
    finish();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('data: [DONE]\n\n');
  });

  it('streams an answer that names no content type (only JSON is read whole)', async () => {
    let finish = () => {};
    handler = (_req, _body, res) => {
      res.writeHead(200);
      res.write('data: one\n\n');
      finish = () => res.end();
    };
    const response = await upstreamFetch(`${base}/untyped`, { method: 'POST', body: '{}' });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: one\n\n');
    finish();
    expect((await reader.read()).done).toBe(true);
  });

  it('decodes a gzip answer as fetch does', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync('{"zipped":true}'));
    };
    expect(await (await upstreamFetch(`${base}/gz`)).json()).toEqual({ zipped: true });
  });

  it('rejects with an AbortError when aborted before the answer, and closes the request', async () => {
    const closed = new Promise<void>((resolve) => {
      handler = (req) => req.socket.once('close', () => resolve());
    });
    const controller = new AbortController();
    const pending = upstreamFetch(`${base}/slow`, { method: 'POST', body: '{}', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await closed;
    await expect(upstreamFetch(`${base}/slow`, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('errors the body stream with an AbortError when aborted mid-answer', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
    };
    const controller = new AbortController();
    const response = await upstreamFetch(`${base}/stream`, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reads a JSON answer whole before answering: an abort mid-body rejects with an AbortError', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"choices":[');
    };
    const controller = new AbortController();
    const pending = upstreamFetch(`${base}/json`, { method: 'POST', body: '{}', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects a JSON answer the server cut short with `fetch failed`, never a truncated body', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"choices":[', () => res.socket?.destroy());
    };
    const failure = await upstreamFetch(`${base}/json`, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as Error).message).toBe('fetch failed');
  });

  it('rejects an unreachable host with `fetch failed` and the cause', async () => {
    const gone = await listen(() => {});
    const url = urlOf(gone);
    await close(gone);
    const failure = await upstreamFetch(`${url}/x`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as Error).message).toBe('fetch failed');
    expect(((failure as Error).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('reuses one keep-alive socket for calls made one after another', async () => {
    handler = (_req, _body, res) => res.end('{}');
    for (let i = 0; i < 5; i++) await (await upstreamFetch(`${base}/k`, { method: 'POST', body: '{}' })).json();
    expect(sockets.size).toBe(1);
  });
});

describe('upstreamFetch behind the openai client', () => {
  const client = () =>
    new OpenAI({ apiKey: 'k', baseURL: `${base}/v1`, fetch: upstreamFetch, maxRetries: 0, logLevel: 'off' });

  it('streams a chat completion chunk by chunk', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const word of ['Hel', 'lo'])
        res.write(
          `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: word } }] })}\n\n`,
        );
      res.end('data: [DONE]\n\n');
    };
    const stream = await client().chat.completions.create({ model: 'm', messages: [], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello');
  });

  it('maps an unreachable upstream to APIConnectionError and an abort to APIUserAbortError', async () => {
    const gone = await listen(() => {});
    const url = urlOf(gone);
    await close(gone);
    const offline = new OpenAI({ apiKey: 'k', baseURL: url, fetch: upstreamFetch, maxRetries: 0, logLevel: 'off' });
    await expect(offline.models.list()).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    handler = () => {};
    await expect(
      client().chat.completions.create({ model: 'm', messages: [] }, { signal: AbortSignal.timeout(30) }),
    ).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
  });
});

describe('upstreamFetch and the environment proxy', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    vi.resetModules();
  });

  async function throughProxy(useEnvProxy: boolean): Promise<string[]> {
    const seen: string[] = [];
    const proxy = await listen((req, res) => {
      seen.push(req.url ?? '');
      res.end('{"via":"proxy"}');
    });
    process.env.HTTP_PROXY = urlOf(proxy);
    process.env.NO_PROXY = '';
    if (useEnvProxy) process.env.NODE_USE_ENV_PROXY = '1';
    else delete process.env.NODE_USE_ENV_PROXY;
    vi.resetModules();
    const { upstreamFetch: fresh } = await import('../../ai-gateway/upstream-fetch.ts');
    // Without the proxy the call goes to this host directly, which does not resolve.
    await fresh('http://upstream.trellis-test.invalid/v1/models').catch(() => undefined);
    await close(proxy);
    return seen;
  }

  it('goes through HTTP_PROXY when NODE_USE_ENV_PROXY=1, as Node’s fetch does', async () => {
    expect(await throughProxy(true)).toEqual(['http://upstream.trellis-test.invalid/v1/models']);
  });

  it('ignores HTTP_PROXY without NODE_USE_ENV_PROXY, as Node’s fetch does', async () => {
    expect(await throughProxy(false)).toEqual([]);
  });
});
