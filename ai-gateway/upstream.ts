/**
 * Upstream model calls through the official clients (`openai` for OpenAI and every
 * OpenAI-compatible server, `@anthropic-ai/sdk` for Anthropic), one client per provider and
 * process. The clients time out after TRELLIS_AI_TIMEOUT_MS and retry connection errors, 408,
 * 409, 429 and 5xx up to TRELLIS_AI_MAX_RETRIES times, honouring `Retry-After`. Anthropic's
 * Messages API is translated to and from OpenAI's chat and Responses shapes (text and tool calls,
 * plain and streamed). Both send through `upstreamFetch` (keep-alive node:http(s), not undici).
 */
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { Config } from '../kernel/config.ts';
import { type ErrorCode, TrellisError } from '../kernel/errors.ts';
import type { Provider } from './catalog.ts';
import { upstreamFetch } from './upstream-fetch.ts';

type Json = Record<string, unknown>;

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** An upstream failure: the registry code the client sees, and whether another provider may be tried. */
export class UpstreamError extends TrellisError {
  readonly fallbackAllowed: boolean;
  constructor(code: ErrorCode, message: string, fallbackAllowed: boolean, retryAfter?: number) {
    super(code, message, retryAfter ? { retryAfter } : {});
    this.fallbackAllowed = fallbackAllowed;
  }
}

interface Sdks {
  OpenAI: typeof OpenAI;
  Anthropic: typeof Anthropic;
}
/**
 * The provider SDKs are loaded on the first upstream call, not at start: they cost ~0.3 s of CPU and
 * tens of MiB in every process, most of which never call a provider. Until they are loaded, no
 * error can be one of theirs.
 */
let sdks: Sdks | undefined;
let loadingSdks: Promise<Sdks> | undefined;
function loadSdks(): Promise<Sdks> {
  loadingSdks ??= Promise.all([import('openai'), import('@anthropic-ai/sdk')]).then(([openai, anthropic]) => {
    sdks = { OpenAI: openai.default, Anthropic: anthropic.default };
    return sdks;
  });
  return loadingSdks;
}

const isAbort = (error: unknown) =>
  (sdks && (error instanceof sdks.OpenAI.APIUserAbortError || error instanceof sdks.Anthropic.APIUserAbortError)) ||
  (error as Error)?.name === 'AbortError';

/** What an upstream failure means for the caller (upstream credentials and internals never shown). */
export function upstreamError(error: unknown, providerId: string): TrellisError {
  if (error instanceof UpstreamError || error instanceof TrellisError) return error;
  if (isAbort(error)) return new UpstreamError('provider_unavailable', 'The call was cancelled', false);
  const status = (error as { status?: unknown }).status;
  const connection =
    sdks !== undefined &&
    (error instanceof sdks.OpenAI.APIConnectionError || error instanceof sdks.Anthropic.APIConnectionError);
  if (connection || typeof status !== 'number')
    return new UpstreamError('provider_unavailable', `Provider ${providerId} is unreachable or timed out`, true, 5);
  const message = ((error as Error).message || `Provider ${providerId} answered ${status}`).slice(0, 500);
  if (status === 429) return new UpstreamError('rate_limited', `Provider ${providerId} is rate limiting`, true, 5);
  if (status >= 500) return new UpstreamError('bad_gateway', `Provider ${providerId} failed (${status})`, true);
  if (status === 401 || status === 403)
    return new UpstreamError('bad_gateway', `Provider ${providerId} refused Trellis's credentials`, true);
  if (status === 404) return new UpstreamError('model_not_found', message, false);
  return new UpstreamError('invalid_request', message, false);
}

// ---- OpenAI chat shapes ⇄ Anthropic messages --------------------------------------------------

const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('')
      : '';

/** An OpenAI chat request as an Anthropic Messages request. */
export function toAnthropicRequest(body: Json, model: string, maxTokens: number): Json {
  const system: string[] = [];
  const messages: Json[] = [];
  for (const message of (body.messages as Json[]) ?? []) {
    const role = message.role;
    if (role === 'system' || role === 'developer') system.push(textOf(message.content));
    else if (role === 'tool')
      messages.push({
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: message.tool_call_id, content: textOf(message.content) }],
      });
    else if (role === 'assistant' && Array.isArray(message.tool_calls)) {
      const content: Json[] = [];
      const text = textOf(message.content);
      if (text) content.push({ type: 'text', text });
      for (const call of message.tool_calls as Json[]) {
        const fn = call.function as Json;
        let input: unknown = {};
        try {
          input = JSON.parse(String(fn?.arguments ?? '{}'));
        } catch {
          input = {};
        }
        content.push({ type: 'tool_use', id: call.id, name: fn?.name, input });
      }
      messages.push({ role: 'assistant', content });
    } else messages.push({ role: role === 'assistant' ? 'assistant' : 'user', content: textOf(message.content) });
  }
  const request: Json = { model, max_tokens: maxTokens, messages };
  if (system.length) request.system = system.join('\n\n');
  if (typeof body.temperature === 'number') request.temperature = Math.min(1, body.temperature);
  if (typeof body.top_p === 'number') request.top_p = body.top_p;
  if (body.stop) request.stop_sequences = Array.isArray(body.stop) ? body.stop : [body.stop];
  if (Array.isArray(body.tools))
    request.tools = (body.tools as Json[]).map((tool) => {
      const fn = tool.function as Json;
      return { name: fn?.name, description: fn?.description, input_schema: fn?.parameters ?? { type: 'object' } };
    });
  return request;
}

const FINISH: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
};

/** An Anthropic message as an OpenAI chat completion. */
export function fromAnthropicMessage(message: Json, model: string): Json {
  const blocks = (message.content as Json[]) ?? [];
  const text = blocks
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('');
  const toolCalls = blocks
    .filter((b) => b.type === 'tool_use')
    .map((b) => ({ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } }));
  const usage = message.usage as Json;
  const input = Number(usage?.input_tokens ?? 0);
  const output = Number(usage?.output_tokens ?? 0);
  return {
    id: `chatcmpl-${String(message.id ?? '')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text || null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        finish_reason: FINISH[String(message.stop_reason)] ?? 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
  };
}

/** Anthropic stream events as OpenAI chat chunks (the last one carries `usage`). */
async function* anthropicChunks(events: AsyncIterable<Json>, model: string): AsyncGenerator<Json> {
  const id = `chatcmpl-${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: Json, finish: string | null = null): Json => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  let input = 0;
  let output = 0;
  let finish = 'stop';
  const toolIndex = new Map<number, number>();
  for await (const event of events) {
    if (event.type === 'message_start') {
      input = Number(((event.message as Json)?.usage as Json)?.input_tokens ?? 0);
      yield chunk({ role: 'assistant', content: '' });
    } else if (event.type === 'content_block_start' && (event.content_block as Json)?.type === 'tool_use') {
      const block = event.content_block as Json;
      const index = toolIndex.size;
      toolIndex.set(Number(event.index), index);
      yield chunk({
        tool_calls: [{ index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } }],
      });
    } else if (event.type === 'content_block_delta') {
      const delta = event.delta as Json;
      if (delta?.type === 'text_delta') yield chunk({ content: delta.text });
      else if (delta?.type === 'input_json_delta')
        yield chunk({
          tool_calls: [{ index: toolIndex.get(Number(event.index)) ?? 0, function: { arguments: delta.partial_json } }],
        });
    } else if (event.type === 'message_delta') {
      output = Number((event.usage as Json)?.output_tokens ?? output);
      finish = FINISH[String((event.delta as Json)?.stop_reason)] ?? finish;
    }
  }
  yield chunk({}, finish);
  yield {
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [],
    usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
  };
}

// ---- OpenAI Responses ⇄ Anthropic messages ------------------------------------------------------

/** Text of a Responses content value: a string, or parts (`input_text`, `output_text`, `text`). */
const responseText = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('')
      : '';

function parsedArguments(value: unknown): unknown {
  try {
    return JSON.parse(String(value ?? '{}'));
  } catch {
    return {};
  }
}

/**
 * A Responses API request as an Anthropic Messages request: `instructions` and system/developer
 * items become `system`; messages, `function_call` and `function_call_output` items become turns
 * (consecutive blocks of one role are merged, as Anthropic requires alternating roles); function
 * tools become Anthropic tools.
 */
export function responsesToAnthropicRequest(body: Json, model: string, maxTokens: number): Json {
  const system: string[] = typeof body.instructions === 'string' && body.instructions ? [body.instructions] : [];
  const messages: { role: 'user' | 'assistant'; content: Json[] }[] = [];
  const push = (role: 'user' | 'assistant', block: Json) => {
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(block);
    else messages.push({ role, content: [block] });
  };
  const items: unknown[] =
    typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : (body.input as unknown[]);
  for (const raw of Array.isArray(items) ? items : []) {
    const item = (raw ?? {}) as Json;
    if (item.type === 'function_call')
      push('assistant', {
        type: 'tool_use',
        id: item.call_id,
        name: item.name,
        input: parsedArguments(item.arguments),
      });
    else if (item.type === 'function_call_output')
      push('user', { type: 'tool_result', tool_use_id: item.call_id, content: responseText(item.output) });
    else if (item.role === 'system' || item.role === 'developer') system.push(responseText(item.content));
    else {
      const text = responseText(item.content);
      if (text) push(item.role === 'assistant' ? 'assistant' : 'user', { type: 'text', text });
    }
  }
  const request: Json = { model, max_tokens: maxTokens, messages };
  if (system.length) request.system = system.join('\n\n');
  if (typeof body.temperature === 'number') request.temperature = Math.min(1, body.temperature);
  if (typeof body.top_p === 'number') request.top_p = body.top_p;
  const tools = (Array.isArray(body.tools) ? (body.tools as Json[]) : []).filter((t) => t.type === 'function');
  if (tools.length)
    request.tools = tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.parameters ?? { type: 'object' },
    }));
  return request;
}

const responseShell = (id: string, model: string, created: number): Json => ({
  id,
  object: 'response',
  created_at: created,
  model,
  output: [],
  parallel_tool_calls: true,
  tool_choice: 'auto',
  tools: [],
  error: null,
  incomplete_details: null,
  instructions: null,
  metadata: {},
  temperature: null,
  top_p: null,
});

const responseUsage = (input: number, output: number): Json => ({
  input_tokens: input,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: output,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: input + output,
});

const finished = (response: Json, stopReason: unknown) =>
  stopReason === 'max_tokens'
    ? { ...response, status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }
    : { ...response, status: 'completed' };

/** An Anthropic message as a Responses API `response` (text as one message item, tool uses as function calls). */
export function anthropicToResponse(message: Json, model: string): Json {
  const output: Json[] = [];
  const text = ((message.content as Json[]) ?? [])
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('');
  if (text)
    output.push({
      type: 'message',
      id: `msg_${String(message.id ?? '')}`,
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text, annotations: [] }],
    });
  for (const block of (message.content as Json[]) ?? [])
    if (block.type === 'tool_use')
      output.push({
        type: 'function_call',
        id: `fc_${String(block.id)}`,
        call_id: block.id,
        name: block.name,
        arguments: JSON.stringify(block.input ?? {}),
        status: 'completed',
      });
  const usage = (message.usage ?? {}) as Json;
  return finished(
    {
      ...responseShell(`resp_${String(message.id ?? '')}`, model, Math.floor(Date.now() / 1000)),
      output,
      usage: responseUsage(Number(usage.input_tokens ?? 0), Number(usage.output_tokens ?? 0)),
    },
    message.stop_reason,
  );
}

/**
 * Anthropic stream events as the Responses API's stream (`response.created` … `response.completed`),
 * in the order OpenAI sends them, with `sequence_number`s: a text block is a message item with one
 * `output_text` part; a tool use is a `function_call` item with argument deltas.
 */
export async function* anthropicResponseEvents(events: AsyncIterable<Json>, model: string): AsyncGenerator<Json> {
  let sequence = 0;
  const event = (type: string, fields: Json): Json => ({ type, sequence_number: sequence++, ...fields });
  const created = Math.floor(Date.now() / 1000);
  let response = responseShell(`resp_${Date.now().toString(36)}`, model, created);
  const output: Json[] = [];
  /** Anthropic block index → our output item, with its accumulated text or arguments. */
  const open = new Map<number, { index: number; item: Json; text: string }>();
  let input = 0;
  let outputTokens = 0;
  let stopReason: unknown;
  for await (const raw of events) {
    if (raw.type === 'message_start') {
      const message = raw.message as Json;
      input = Number((message?.usage as Json)?.input_tokens ?? 0);
      response = { ...response, id: `resp_${String(message?.id ?? response.id)}` };
      yield event('response.created', { response: { ...response, status: 'in_progress' } });
      yield event('response.in_progress', { response: { ...response, status: 'in_progress' } });
    } else if (raw.type === 'content_block_start') {
      const block = raw.content_block as Json;
      const index = output.length;
      const item: Json =
        block?.type === 'tool_use'
          ? {
              type: 'function_call',
              id: `fc_${String(block.id)}`,
              call_id: block.id,
              name: block.name,
              arguments: '',
              status: 'in_progress',
            }
          : {
              type: 'message',
              id: `msg_${response.id}_${index}`,
              status: 'in_progress',
              role: 'assistant',
              content: [],
            };
      output.push(item);
      open.set(Number(raw.index), { index, item, text: '' });
      yield event('response.output_item.added', { output_index: index, item });
      if (item.type === 'message')
        yield event('response.content_part.added', {
          item_id: item.id,
          output_index: index,
          content_index: 0,
          part: { type: 'output_text', text: '', annotations: [] },
        });
    } else if (raw.type === 'content_block_delta') {
      const entry = open.get(Number(raw.index));
      const delta = raw.delta as Json;
      if (!entry) continue;
      if (delta?.type === 'text_delta') {
        entry.text += String(delta.text);
        yield event('response.output_text.delta', {
          item_id: entry.item.id,
          output_index: entry.index,
          content_index: 0,
          delta: delta.text,
        });
      } else if (delta?.type === 'input_json_delta') {
        entry.text += String(delta.partial_json);
        yield event('response.function_call_arguments.delta', {
          item_id: entry.item.id,
          output_index: entry.index,
          delta: delta.partial_json,
        });
      }
    } else if (raw.type === 'content_block_stop') {
      const entry = open.get(Number(raw.index));
      if (!entry) continue;
      open.delete(Number(raw.index));
      const { item, index, text } = entry;
      if (item.type === 'message') {
        const part = { type: 'output_text', text, annotations: [] };
        yield event('response.output_text.done', { item_id: item.id, output_index: index, content_index: 0, text });
        yield event('response.content_part.done', { item_id: item.id, output_index: index, content_index: 0, part });
        output[index] = { ...item, status: 'completed', content: [part] };
      } else {
        const args = text || '{}';
        yield event('response.function_call_arguments.done', {
          item_id: item.id,
          output_index: index,
          arguments: args,
        });
        output[index] = { ...item, arguments: args, status: 'completed' };
      }
      yield event('response.output_item.done', { output_index: index, item: output[index] });
    } else if (raw.type === 'message_delta') {
      outputTokens = Number((raw.usage as Json)?.output_tokens ?? outputTokens);
      stopReason = (raw.delta as Json)?.stop_reason ?? stopReason;
    }
  }
  const done = finished({ ...response, output, usage: responseUsage(input, outputTokens) }, stopReason);
  yield event(done.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: done });
}

// ---- the clients --------------------------------------------------------------------------------

/** Clients kept per kind (providers × organizations with their own key); beyond it they are rebuilt. */
const MAX_CLIENTS = 1000;

export class Upstreams {
  readonly #config: Config['ai'];
  readonly #openai = new Map<string, OpenAI>();
  readonly #anthropic = new Map<string, Anthropic>();

  constructor(config: Config['ai']) {
    this.#config = config;
  }

  /** One client per provider and API key (an organization's own vault key gets its own). */
  #clientKey(provider: Provider): string {
    return provider.apiKey === undefined ? provider.id : `${provider.id}\u0000${provider.apiKey}`;
  }

  async #openaiFor(provider: Provider): Promise<OpenAI> {
    const id = this.#clientKey(provider);
    let client = this.#openai.get(id);
    if (!client) {
      const { OpenAI } = await loadSdks();
      if (this.#openai.size >= MAX_CLIENTS) this.#openai.clear();
      client = new OpenAI({
        // An OpenAI-compatible server without authentication still needs a value here.
        apiKey: provider.apiKey ?? 'none',
        baseURL: provider.baseUrl ?? 'https://api.openai.com/v1',
        organization: null,
        project: null,
        timeout: this.#config.timeoutMs,
        maxRetries: this.#config.maxRetries,
        logLevel: 'off',
        fetch: upstreamFetch,
      });
      this.#openai.set(id, client);
    }
    return client;
  }

  async #anthropicFor(provider: Provider): Promise<Anthropic> {
    const id = this.#clientKey(provider);
    let client = this.#anthropic.get(id);
    if (!client) {
      const { Anthropic } = await loadSdks();
      if (this.#anthropic.size >= MAX_CLIENTS) this.#anthropic.clear();
      client = new Anthropic({
        apiKey: provider.apiKey ?? null,
        baseURL: provider.baseUrl ?? 'https://api.anthropic.com',
        timeout: this.#config.timeoutMs,
        maxRetries: this.#config.maxRetries,
        logLevel: 'off',
        fetch: upstreamFetch,
      });
      this.#anthropic.set(id, client);
    }
    return client;
  }

  /** A non-streaming chat completion, OpenAI-shaped whatever the provider. */
  async chat(provider: Provider, model: string, body: Json, maxTokens: number, signal: AbortSignal) {
    try {
      if (provider.kind === 'anthropic') {
        const message = await (await this.#anthropicFor(provider)).messages.create(
          toAnthropicRequest(body, model, maxTokens) as never,
          { signal },
        );
        return fromAnthropicMessage(message as unknown as Json, model);
      }
      const request = { ...body, model, stream: false, ...outputCap(provider, body, maxTokens) };
      return (await (
        await this.#openaiFor(provider)
      ).chat.completions.create(request as never, { signal })) as unknown as Json;
    } catch (error) {
      throw upstreamError(error, provider.id);
    }
  }

  /** Opens a streaming chat completion: resolves once the upstream answered, then yields OpenAI chunks. */
  async chatStream(
    provider: Provider,
    model: string,
    body: Json,
    maxTokens: number,
    signal: AbortSignal,
  ): Promise<AsyncIterable<Json>> {
    try {
      if (provider.kind === 'anthropic') {
        const events = await (await this.#anthropicFor(provider)).messages.create(
          { ...toAnthropicRequest(body, model, maxTokens), stream: true } as never,
          { signal },
        );
        return anthropicChunks(events as unknown as AsyncIterable<Json>, model);
      }
      const request = {
        ...body,
        model,
        stream: true,
        // Always asked for, so the actual cost is known; forwarded to the client only if it asked.
        stream_options: { include_usage: true },
        ...outputCap(provider, body, maxTokens),
      };
      const stream = await (await this.#openaiFor(provider)).chat.completions.create(request as never, { signal });
      return stream as unknown as AsyncIterable<Json>;
    } catch (error) {
      throw upstreamError(error, provider.id);
    }
  }

  /** OpenAI's Responses API (Anthropic translated from and to Messages); streaming yields its events. */
  async responses(
    provider: Provider,
    model: string,
    body: Json,
    maxTokens: number,
    signal: AbortSignal,
  ): Promise<Json | AsyncIterable<Json>> {
    try {
      if (provider.kind === 'anthropic') {
        const request = responsesToAnthropicRequest(body, model, maxTokens);
        if (body.stream === true) {
          const events = await (await this.#anthropicFor(provider)).messages.create(
            { ...request, stream: true } as never,
            {
              signal,
            },
          );
          return anthropicResponseEvents(events as unknown as AsyncIterable<Json>, model);
        }
        const message = await (await this.#anthropicFor(provider)).messages.create(request as never, { signal });
        return anthropicToResponse(message as unknown as Json, model);
      }
      const request = { ...body, model, max_output_tokens: maxTokens };
      return (await (await this.#openaiFor(provider)).responses.create(request as never, { signal })) as unknown as
        | Json
        | AsyncIterable<Json>;
    } catch (error) {
      throw upstreamError(error, provider.id);
    }
  }
}

/** The output cap passed upstream: the caller's own, or the default the estimate reserved for. */
function outputCap(provider: Provider, body: Json, maxTokens: number): Json {
  if (body.max_completion_tokens !== undefined || provider.kind === 'openai')
    return { max_completion_tokens: maxTokens, max_tokens: undefined };
  return { max_tokens: maxTokens };
}

/** Tokens of a usage object from either API shape. */
export function usageOf(usage: unknown): Usage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const u = usage as Json;
  const input = u.prompt_tokens ?? u.input_tokens;
  const output = u.completion_tokens ?? u.output_tokens;
  if (typeof input !== 'number' || typeof output !== 'number') return undefined;
  return { inputTokens: Math.max(0, Math.trunc(input)), outputTokens: Math.max(0, Math.trunc(output)) };
}
