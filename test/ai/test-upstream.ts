/**
 * A local OpenAI-compatible upstream for the AI gateway's tests (a test double: it lives in test/,
 * never in product code). It counts the requests that reach it and answers chat completions
 * (plain and streamed, with a final usage chunk when asked), responses and Anthropic's messages
 * (plain and streamed) with fixed usage.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestUpstream {
  url: string;
  /** Requests received, by path. */
  count(path?: string): number;
  /** The last request received on `path`: its JSON body and headers. */
  last(
    path: string,
  ): { body: Record<string, unknown>; headers: Record<string, string | string[] | undefined> } | undefined;
  /** Milliseconds each streamed chunk waits (to keep streams open). */
  chunkDelayMs: number;
  usage: { prompt_tokens: number; completion_tokens: number };
  /** When set, every request is answered with this status (and `retry-after-ms: 10`). */
  failStatus: number | null;
  /** When set, awaited before each request is answered (the test acts while the call is upstream). */
  beforeAnswer: (() => Promise<void>) | null;
  close(): Promise<void>;
}

const WORDS = ['Hello', ' from', ' the', ' test', ' upstream', '.'];

export async function startTestUpstream(): Promise<TestUpstream> {
  const counts = new Map<string, number>();
  const lastRequests = new Map<
    string,
    { body: Record<string, unknown>; headers: Record<string, string | string[] | undefined> }
  >();
  const state = {
    chunkDelayMs: 0,
    usage: { prompt_tokens: 12, completion_tokens: 6 },
    failStatus: null as number | null,
    beforeAnswer: null as (() => Promise<void>) | null,
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', async () => {
      const body = JSON.parse(raw || '{}');
      lastRequests.set(path, { body, headers: req.headers });
      await state.beforeAnswer?.();
      if (state.failStatus) {
        res.writeHead(state.failStatus, { 'content-type': 'application/json', 'retry-after-ms': '10' });
        res.end(JSON.stringify({ error: { message: 'upstream failure (test)', type: 'server_error' } }));
        return;
      }
      const usage = { ...state.usage, total_tokens: state.usage.prompt_tokens + state.usage.completion_tokens };
      if (path === '/v1/chat/completions' && !body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'chatcmpl-test',
            object: 'chat.completion',
            created: 1,
            model: body.model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: WORDS.join('') },
                finish_reason: 'stop',
                logprobs: null,
              },
            ],
            usage,
          }),
        );
        return;
      }
      if (path === '/v1/chat/completions') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = (delta: object, finish: string | null = null) => ({
          id: 'chatcmpl-test',
          object: 'chat.completion.chunk',
          created: 1,
          model: body.model,
          choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
        });
        res.write(`data: ${JSON.stringify(chunk({ role: 'assistant', content: '' }))}\n\n`);
        for (const word of WORDS) {
          if (state.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, state.chunkDelayMs));
          if (res.destroyed) return;
          res.write(`data: ${JSON.stringify(chunk({ content: word }))}\n\n`);
        }
        res.write(`data: ${JSON.stringify(chunk({}, 'stop'))}\n\n`);
        if (body.stream_options?.include_usage)
          res.write(`data: ${JSON.stringify({ ...chunk({}), choices: [], usage })}\n\n`);
        res.end('data: [DONE]\n\n');
        return;
      }
      if (path === '/v1/messages' && !body.stream) {
        // Anthropic's Messages API, as @anthropic-ai/sdk expects it.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'msg_test',
            type: 'message',
            role: 'assistant',
            model: body.model,
            content: [{ type: 'text', text: WORDS.join('') }],
            stop_reason: 'end_turn',
            stop_sequence: null,
            usage: { input_tokens: state.usage.prompt_tokens, output_tokens: state.usage.completion_tokens },
          }),
        );
        return;
      }
      if (path === '/v1/messages') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const send = (event: { type: string; [key: string]: unknown }) =>
          res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        send({
          type: 'message_start',
          message: {
            id: 'msg_test',
            type: 'message',
            role: 'assistant',
            model: body.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: state.usage.prompt_tokens, output_tokens: 1 },
          },
        });
        send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
        for (const word of WORDS)
          send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word } });
        send({ type: 'content_block_stop', index: 0 });
        send({
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: state.usage.completion_tokens },
        });
        send({ type: 'message_stop' });
        res.end();
        return;
      }
      if (path === '/v1/responses') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'resp_test',
            object: 'response',
            created_at: 1,
            status: 'completed',
            model: body.model,
            output: [
              {
                type: 'message',
                id: 'msg_test',
                status: 'completed',
                role: 'assistant',
                content: [{ type: 'output_text', text: WORDS.join(''), annotations: [] }],
              },
            ],
            usage: {
              input_tokens: state.usage.prompt_tokens,
              output_tokens: state.usage.completion_tokens,
              total_tokens: usage.total_tokens,
            },
          }),
        );
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    last: (path) => lastRequests.get(path),
    count: (path) => (path ? (counts.get(path) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0)),
    get chunkDelayMs() {
      return state.chunkDelayMs;
    },
    set chunkDelayMs(value: number) {
      state.chunkDelayMs = value;
    },
    usage: state.usage,
    get failStatus() {
      return state.failStatus;
    },
    set failStatus(value: number | null) {
      state.failStatus = value;
    },
    get beforeAnswer() {
      return state.beforeAnswer;
    },
    set beforeAnswer(value: (() => Promise<void>) | null) {
      state.beforeAnswer = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
