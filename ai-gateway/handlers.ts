/**
 * The AI gateway's HTTP surfaces, served as REST handler routes (rest-adapter/routes/ai.ts):
 * OpenAI's `/v1/chat/completions` and `/v1/responses` (OpenAI's request, response, SSE and error
 * shapes, so the official clients work unchanged) and seed 001's `/v1/providers…` (the envelope;
 * `execute/stream` as SSE `token` / `tool_call` / `done` / `error` events).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorRegistry, TrellisError } from '../kernel/errors.ts';
import { envelope } from '../rest-adapter/envelope.ts';
import type { HandlerContext } from '../rest-adapter/route-table.ts';
import { beginCall, type CallStart, estimate, type Surface, settleCall, upstreamsOf, withCallKey } from './calls.ts';
import { type CatalogModel, costMicros, type Provider, registryOf } from './catalog.ts';
import { UpstreamError, type Usage, upstreamError, usageOf } from './upstream.ts';

type Json = Record<string, unknown>;

// ---- request checks ------------------------------------------------------------------------------

const invalid = (field: string, message: string) => new TrellisError('validation_failed', message, { field });
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const MAX_TOKENS_LIMIT = 10_000_000;

function bodyOf(req: FastifyRequest): Json {
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new TrellisError('invalid_request', 'The body must be a JSON object');
  return body as Json;
}

function modelOf(body: Json): string {
  const model = body.model;
  if (typeof model !== 'string' || model.length < 1 || model.length > 200)
    throw invalid('model', 'model must be a model id (1–200 characters)');
  return model;
}

function optionalTokens(body: Json, ...fields: string[]): number | null {
  for (const field of fields) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_TOKENS_LIMIT)
      throw invalid(field, `${field} must be an integer between 1 and ${MAX_TOKENS_LIMIT}`);
    return value as number;
  }
  return null;
}

function messagesOf(body: Json, field = 'messages'): Json[] {
  const messages = body[field];
  if (!Array.isArray(messages) || messages.length === 0)
    throw invalid(field, `${field} must be a non-empty array of messages`);
  messages.forEach((message, i) => {
    if (!message || typeof message !== 'object' || !ROLES.has((message as Json).role as string))
      throw invalid(`${field}[${i}].role`, 'role must be one of system, developer, user, assistant, tool');
  });
  return messages as Json[];
}

function flag(body: Json, field: string): boolean {
  const value = body[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw invalid(field, `${field} must be a boolean`);
  return value;
}

// ---- OpenAI's error shape ------------------------------------------------------------------------

const OPENAI_TYPE: Partial<Record<string, string>> = {
  unauthenticated: 'authentication_error',
  insufficient_scope: 'permission_error',
  forbidden: 'permission_error',
  org_mismatch: 'permission_error',
  call_denied: 'permission_error',
  budget_exhausted: 'insufficient_quota',
  rate_limited: 'rate_limit_error',
  model_not_found: 'invalid_request_error',
  provider_unavailable: 'api_error',
  bad_gateway: 'api_error',
  service_unavailable: 'api_error',
  internal: 'api_error',
};
/** Refusals a retry cannot change: OpenAI's clients honour `x-should-retry: false`. */
const RETRYABLE = new Set(['rate_limited', 'provider_unavailable', 'bad_gateway', 'service_unavailable', 'internal']);

const asTrellis = (error: unknown): TrellisError =>
  error instanceof TrellisError ? error : new TrellisError('internal', 'Internal error', { cause: error });

function openaiErrorBody(error: TrellisError) {
  return {
    error: {
      message: error.code === 'internal' ? errorRegistry.internal.message : error.message,
      type: OPENAI_TYPE[error.code] ?? 'invalid_request_error',
      param: (error.extensions.field as string | undefined) ?? null,
      code: error.code,
      ...(error.extensions.details ? { details: error.extensions.details } : {}),
    },
  };
}

function sendOpenAIError(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext, failure: unknown) {
  const error = asTrellis(failure);
  if (error.code === 'internal') ctx.platform.logger.error({ err: failure }, 'AI gateway request failed');
  const retryAfter = error.extensions.retryAfter;
  reply
    .code(errorRegistry[error.code].status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('x-should-retry', RETRYABLE.has(error.code) ? 'true' : 'false')
    .header('x-request-id', req.meta.requestId);
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply.send(JSON.stringify(openaiErrorBody(error)));
}

// ---- upstream with fallback ----------------------------------------------------------------------

/**
 * Runs `call` on the planned provider, then — when it failed in a way another provider may not
 * (unreachable, 429 or 5xx after the client's retries, refused credentials) — on its configured
 * fallback if that one serves the same model. Returns which provider and model answered.
 */
async function withFallback<T>(
  ctx: HandlerContext,
  start: CallStart,
  call: (provider: Provider, model: CatalogModel) => Promise<T>,
): Promise<{ value: T; provider: Provider; model: CatalogModel }> {
  const registry = registryOf(ctx.platform.config);
  let provider = start.estimate.provider;
  let model = start.estimate.model;
  const tried = new Set<string>();
  for (;;) {
    tried.add(provider.id);
    try {
      return { value: await call(withCallKey(start, provider), model), provider, model };
    } catch (failure) {
      const error = upstreamError(failure, provider.id);
      const next = provider.fallback ? registry.byId(provider.fallback) : undefined;
      const nextModel = next?.models.get(model.id);
      if (!(error instanceof UpstreamError) || !error.fallbackAllowed || !next || !nextModel || tried.has(next.id))
        throw error;
      ctx.platform.logger.warn({ provider: provider.id, fallback: next.id, code: error.code }, 'AI provider fallback');
      provider = next;
      model = nextModel;
    }
  }
}

/** Aborts the upstream request when the client goes away before the answer is complete. */
function abortOnDisconnect(reply: FastifyReply): { signal: AbortSignal; gone: () => boolean; done: () => void } {
  const controller = new AbortController();
  let finished = false;
  let gone = false;
  reply.raw.on('close', () => {
    if (finished) return;
    gone = true;
    controller.abort();
  });
  return {
    signal: controller.signal,
    gone: () => gone,
    done: () => {
      finished = true;
    },
  };
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * The SSE response of a streamed call. While the call is held for an approval, a comment
 * (`: keepalive`) every TRELLIS_AI_STREAM_KEEPALIVE_SECONDS keeps proxies and clients from dropping
 * the idle connection; the first one commits the 200 and the SSE headers (a decision that comes
 * before it is answered with its own status, as for a plain call). After that a refusal can only be
 * told in the stream: `fail` writes it in the surface's error shape and ends the response.
 */
class SseResponse {
  readonly #req: FastifyRequest;
  readonly #reply: FastifyReply;
  readonly #intervalMs: number;
  #executionId: string | undefined;
  constructor(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext) {
    this.#req = req;
    this.#reply = reply;
    this.#intervalMs = ctx.platform.config.ai.streamKeepaliveSeconds * 1000;
  }
  get opened(): boolean {
    return this.#reply.raw.headersSent;
  }
  /** Commits the 200 and the SSE headers (once); the stream's writes go to `out`. */
  open(executionId?: string): FastifyReply['raw'] {
    const out = this.#reply.raw;
    if (!out.headersSent) {
      this.#reply.hijack();
      const id = executionId ?? this.#executionId;
      out.writeHead(200, {
        ...SSE_HEADERS,
        'x-request-id': this.#req.meta.requestId,
        ...(id ? { 'x-trellis-execution-id': id } : {}),
      });
    }
    return out;
  }
  #corked = false;
  /**
   * Writes SSE frames: those written in one turn of the event loop (the chunks of one upstream
   * read) leave in one socket write instead of one each; the first frame is not held back (the
   * socket is uncorked on the next turn).
   */
  write(frame: string): void {
    const out = this.open();
    if (!this.#corked) {
      this.#corked = true;
      out.cork();
      setImmediate(() => {
        this.#corked = false;
        // end() flushes and uncorks by itself (and gives the socket back): only an open stream is uncorked here.
        if (!out.writableEnded && !out.destroyed) out.uncork();
      });
    }
    out.write(frame);
  }
  /** `CallOptions.whileHeld`: keepalives from one interval into the hold until it ends. */
  readonly whileHeld = (held: { executionId: string }) => {
    this.#executionId = held.executionId;
    const timer = setInterval(() => {
      const out = this.open();
      if (!out.writableEnded && !out.destroyed) out.write(': keepalive\n\n');
    }, this.#intervalMs);
    return () => clearInterval(timer);
  };
  /** A failure once the stream is open: written in the surface's shape, then the response ends. */
  fail(error: TrellisError, write: (out: FastifyReply['raw'], error: TrellisError) => void): FastifyReply {
    const out = this.#reply.raw;
    if (!out.writableEnded && !out.destroyed) {
      write(out, error);
      out.end();
    }
    return this.#reply;
  }
}

const chatStreamError = (out: FastifyReply['raw'], error: TrellisError) => {
  out.write(`data: ${JSON.stringify(openaiErrorBody(error))}\n\n`);
  out.write('data: [DONE]\n\n');
};
const responsesStreamError = (out: FastifyReply['raw'], error: TrellisError) =>
  out.write(`event: error\ndata: ${JSON.stringify({ ...openaiErrorBody(error).error, type: 'error' })}\n\n`);
const providerStreamError = (out: FastifyReply['raw'], error: TrellisError) =>
  out.write(
    `event: error\ndata: ${JSON.stringify({ code: error.code, message: error.message, ...(error.extensions.details ? { details: error.extensions.details } : {}) })}\n\n`,
  );

/** Counts what a stream delivered, for when the upstream sends no usage (or the client left first). */
class StreamMeter {
  usage: Usage | undefined;
  deltas = 0;
  text = '';
  firstTokenMs: number | undefined;
  readonly #started: number;
  constructor(started: number) {
    this.#started = started;
  }
  chunk(chunk: Json) {
    const usage = usageOf(chunk.usage);
    if (usage) this.usage = usage;
    for (const choice of (chunk.choices as Json[] | undefined) ?? []) {
      const delta = choice.delta as Json | undefined;
      const content = typeof delta?.content === 'string' ? delta.content : '';
      const tools = Array.isArray(delta?.tool_calls) ? delta.tool_calls : [];
      if (content || tools.length) {
        this.firstTokenMs ??= Math.round(performance.now() - this.#started);
        this.deltas++;
        this.text += content;
      }
    }
  }
  /** Upstream usage when it came; otherwise the estimate's input and one token per delta streamed. */
  tokens(start: CallStart): Usage {
    return this.usage ?? { inputTokens: start.estimate.inputTokens, outputTokens: this.deltas };
  }
}

// ---- /v1/chat/completions ------------------------------------------------------------------------

export interface ChatPlan {
  body: Json;
  model: string;
  messages: Json[];
  maxTokens: number | null;
  stream: boolean;
  wantsUsage: boolean;
  provider?: string | null;
  workflowId?: string | null;
}

function chatPlan(body: Json): ChatPlan {
  const stream = flag(body, 'stream');
  const options = body.stream_options as Json | undefined;
  return {
    body,
    model: modelOf(body),
    messages: messagesOf(body),
    maxTokens: optionalTokens(body, 'max_completion_tokens', 'max_tokens'),
    stream,
    wantsUsage: stream && options?.include_usage === true,
  };
}

/** The request minus the fields Trellis sets itself. */
function upstreamBody(body: Json): Json {
  const { model: _model, stream: _stream, stream_options: _options, ...rest } = body;
  return rest;
}

/**
 * The non-streaming rest of a governed call, once `beginCall` admitted it: the upstream request (with
 * fallback), then `settleCall` with the actual usage — also what a pipeline's `provider` node runs
 * (model-calls.ts), so both surfaces track and record a call the same way.
 *
 * The answer and its cost (the catalog's price of the usage, what settlement records) are ready before
 * the settlement is: `settled` is that work, for the caller to await after answering — as a stream's
 * is after its last chunk. The client does not wait for track's commit; the call's reservation holds
 * its estimate until then, so a call that follows cannot overspend, and the handler still awaits the
 * settlement, so shutdown drains it with the request.
 */
export async function completeCall(
  ctx: HandlerContext,
  start: CallStart,
  body: Json,
  connection: { signal: AbortSignal; gone: () => boolean; done: () => void },
  log: (answer: unknown) => () => unknown,
): Promise<{
  answer: Json;
  usage: Usage;
  cost: number;
  provider: Provider;
  model: CatalogModel;
  settled: Promise<number>;
}> {
  const upstreams = upstreamsOf(ctx);
  const cap = start.estimate.maxOutputTokens;
  let answer: { value: Json; provider: Provider; model: CatalogModel };
  try {
    answer = await withFallback(ctx, start, (p, m) => upstreams.chat(p, m.id, body, cap, connection.signal));
  } catch (failure) {
    const error = asTrellis(failure);
    const cancelled = connection.gone();
    await settleCall(ctx, start, {
      status: cancelled ? 'CANCELLED' : 'FAILED',
      // A request the client abandoned was read by the model: its input is paid for.
      inputTokens: cancelled ? start.estimate.inputTokens : 0,
      outputTokens: 0,
      provider: start.estimate.provider,
      model: start.estimate.model,
      errorCode: error.code,
    });
    throw error;
  }
  connection.done();
  const usage = usageOf(answer.value.usage) ?? {
    inputTokens: start.estimate.inputTokens,
    outputTokens: Math.ceil(JSON.stringify(answer.value.choices ?? '').length / 4),
  };
  const settled = settleCall(ctx, start, {
    status: 'COMPLETED',
    ...usage,
    provider: answer.provider,
    model: answer.model,
    log: log(answer.value),
  });
  const cost = costMicros(answer.model, usage.inputTokens, usage.outputTokens);
  return { answer: answer.value, usage, cost, provider: answer.provider, model: answer.model, settled };
}

async function runChat(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: HandlerContext,
  plan: ChatPlan,
  surface: Surface,
  sse?: SseResponse,
) {
  const connection = abortOnDisconnect(reply);
  const start = await beginCall(
    ctx,
    req.headers,
    {
      model: plan.model,
      provider: plan.provider,
      input: [plan.messages, plan.body.tools],
      maxOutputTokens: plan.maxTokens,
    },
    {
      surface,
      stream: plan.stream,
      workflowId: plan.workflowId,
      signal: connection.signal,
      whileHeld: sse?.whileHeld,
    },
  );
  const upstreams = upstreamsOf(ctx);
  const body = upstreamBody(plan.body);
  const cap = start.estimate.maxOutputTokens;
  const log = (answer: unknown) => () => ({ request: plan.body, response: answer });

  if (!plan.stream) {
    const result = await completeCall(ctx, start, body, connection, log);
    return { start, ...result };
  }

  let opened: { value: AsyncIterable<Json>; provider: Provider; model: CatalogModel };
  try {
    opened = await withFallback(ctx, start, (p, m) => upstreams.chatStream(p, m.id, body, cap, connection.signal));
  } catch (failure) {
    const error = asTrellis(failure);
    await settleCall(ctx, start, {
      status: connection.gone() ? 'CANCELLED' : 'FAILED',
      inputTokens: connection.gone() ? start.estimate.inputTokens : 0,
      outputTokens: 0,
      provider: start.estimate.provider,
      model: start.estimate.model,
      errorCode: error.code,
    });
    throw error;
  }
  return { start, opened, connection, log };
}

async function chatCompletions(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext) {
  const sse = new SseResponse(req, reply, ctx);
  try {
    const plan = chatPlan(bodyOf(req));
    const result = await runChat(req, reply, ctx, plan, 'CHAT_COMPLETIONS', plan.stream ? sse : undefined);
    if (!('opened' in result) || !result.opened) {
      reply
        .code(200)
        .header('content-type', 'application/json; charset=utf-8')
        .header('x-request-id', req.meta.requestId)
        .header('x-trellis-execution-id', result.start.executionId)
        .header('x-trellis-cost-micros', String(result.cost))
        .send(JSON.stringify(result.answer));
      await result.settled;
      return reply;
    }
    const { start, opened, connection, log } = result;
    const out = sse.open(start.executionId);
    const meter = new StreamMeter(start.startedAt);
    let failure: TrellisError | undefined;
    try {
      for await (const chunk of opened.value) {
        meter.chunk(chunk);
        const choices = chunk.choices as unknown[] | undefined;
        if (!plan.wantsUsage) {
          // The usage chunk Trellis asked for on its own account stays with Trellis.
          if (!choices?.length) continue;
          if ('usage' in chunk) delete chunk.usage;
        }
        sse.write(`data: ${JSON.stringify(chunk)}\n\n`);
      }
    } catch (error) {
      if (!connection.gone()) failure = upstreamError(error, opened.provider.id);
    }
    connection.done();
    if (!connection.gone()) {
      if (failure) out.write(`data: ${JSON.stringify(openaiErrorBody(failure))}\n\n`);
      out.write('data: [DONE]\n\n');
      out.end();
    }
    await settleCall(ctx, start, {
      status: connection.gone() ? 'CANCELLED' : failure ? 'FAILED' : 'COMPLETED',
      ...meter.tokens(start),
      provider: opened.provider,
      model: opened.model,
      timeToFirstTokenMs: meter.firstTokenMs,
      errorCode: failure?.code,
      log: log({ text: meter.text }),
    });
    return reply;
  } catch (failure) {
    if (sse.opened) return sse.fail(asTrellis(failure), chatStreamError);
    if (reply.sent) return reply;
    return sendOpenAIError(req, reply, ctx, failure);
  }
}

// ---- /v1/responses -------------------------------------------------------------------------------

async function responses(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext) {
  const sse = new SseResponse(req, reply, ctx);
  try {
    const body = bodyOf(req);
    const model = modelOf(body);
    if (body.input === undefined || body.input === null) throw invalid('input', 'input is required');
    const stream = flag(body, 'stream');
    const connection = abortOnDisconnect(reply);
    const start = await beginCall(
      ctx,
      req.headers,
      {
        model,
        input: [body.input, body.instructions, body.tools],
        maxOutputTokens: optionalTokens(body, 'max_output_tokens'),
      },
      { surface: 'RESPONSES', stream, signal: connection.signal, whileHeld: stream ? sse.whileHeld : undefined },
    );
    const { model: _m, max_output_tokens: _x, ...rest } = body;
    const cap = start.estimate.maxOutputTokens;
    let answer: { value: Json | AsyncIterable<Json>; provider: Provider; model: CatalogModel };
    try {
      answer = await withFallback(ctx, start, (p, m) =>
        upstreamsOf(ctx).responses(p, m.id, { ...rest, stream }, cap, connection.signal),
      );
    } catch (failure) {
      const error = asTrellis(failure);
      await settleCall(ctx, start, {
        status: connection.gone() ? 'CANCELLED' : 'FAILED',
        inputTokens: connection.gone() ? start.estimate.inputTokens : 0,
        outputTokens: 0,
        provider: start.estimate.provider,
        model: start.estimate.model,
        errorCode: error.code,
      });
      throw error;
    }
    if (!stream) {
      connection.done();
      const value = answer.value as Json;
      const usage = usageOf(value.usage) ?? { inputTokens: start.estimate.inputTokens, outputTokens: 0 };
      // Answered first, settled after, as completeCall does.
      const settled = settleCall(ctx, start, {
        status: 'COMPLETED',
        ...usage,
        provider: answer.provider,
        model: answer.model,
        log: () => ({ request: body, response: value }),
      });
      reply
        .code(200)
        .header('content-type', 'application/json; charset=utf-8')
        .header('x-request-id', req.meta.requestId)
        .header('x-trellis-execution-id', start.executionId)
        .header('x-trellis-cost-micros', String(costMicros(answer.model, usage.inputTokens, usage.outputTokens)))
        .send(JSON.stringify(value));
      await settled;
      return reply;
    }
    const out = sse.open();
    let usage: Usage | undefined;
    let deltas = 0;
    let firstTokenMs: number | undefined;
    let failure: TrellisError | undefined;
    try {
      for await (const event of answer.value as AsyncIterable<Json>) {
        if (event.type === 'response.output_text.delta') {
          deltas++;
          firstTokenMs ??= Math.round(performance.now() - start.startedAt);
        }
        if (event.type === 'response.completed' || event.type === 'response.incomplete')
          usage = usageOf((event.response as Json | undefined)?.usage) ?? usage;
        sse.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
      }
    } catch (error) {
      if (!connection.gone()) failure = upstreamError(error, answer.provider.id);
    }
    connection.done();
    if (!connection.gone()) {
      if (failure)
        out.write(`event: error\ndata: ${JSON.stringify({ ...openaiErrorBody(failure).error, type: 'error' })}\n\n`);
      out.end();
    }
    await settleCall(ctx, start, {
      status: connection.gone() ? 'CANCELLED' : failure ? 'FAILED' : 'COMPLETED',
      ...(usage ?? { inputTokens: start.estimate.inputTokens, outputTokens: deltas }),
      provider: answer.provider,
      model: answer.model,
      timeToFirstTokenMs: firstTokenMs,
      errorCode: failure?.code,
    });
    return reply;
  } catch (failure) {
    if (sse.opened) return sse.fail(asTrellis(failure), responsesStreamError);
    if (reply.sent) return reply;
    return sendOpenAIError(req, reply, ctx, failure);
  }
}

// ---- seed 001: /v1/providers… --------------------------------------------------------------------

function sendEnvelope(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext, data: unknown) {
  return reply
    .code(200)
    .header('content-type', 'application/json; charset=utf-8')
    .send(
      JSON.stringify(
        envelope({ meta: req.meta, status: 200, principal: ctx.principal, data, links: { self: req.url } }),
      ),
    );
}

/** Seed 001's request: `{model, provider?, messages | prompt, maxTokens?, workflowId?, …sampling}`. */
export function providerPlan(body: Json, stream: boolean): ChatPlan {
  const model = modelOf(body);
  if (body.provider !== undefined && typeof body.provider !== 'string')
    throw invalid('provider', 'provider must be a string');
  if (body.workflowId !== undefined && typeof body.workflowId !== 'string')
    throw invalid('workflowId', 'workflowId must be a workflow id (wf_…)');
  let messages: Json[];
  if (body.messages !== undefined) messages = messagesOf(body);
  else if (typeof body.prompt === 'string' && body.prompt.length > 0)
    messages = [{ role: 'user', content: body.prompt }];
  else throw invalid('messages', 'messages (or prompt) is required');
  const maxTokens = optionalTokens(body, 'maxTokens', 'max_tokens');
  const chat: Json = { messages };
  for (const key of ['temperature', 'top_p', 'stop', 'tools', 'tool_choice'])
    if (body[key] !== undefined) chat[key] = body[key];
  return {
    body: chat,
    model,
    messages,
    maxTokens,
    stream,
    wantsUsage: false,
    provider: (body.provider as string | undefined) ?? null,
    workflowId: (body.workflowId as string | undefined) ?? null,
  };
}

async function listProviders(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext) {
  return sendEnvelope(req, reply, ctx, { providers: registryOf(ctx.platform.config).describe() });
}

async function estimateRoute(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext) {
  const body = bodyOf(req);
  const plan =
    body.input !== undefined && body.messages === undefined && body.prompt === undefined
      ? { ...providerPlan({ ...body, prompt: JSON.stringify(body.input) }, false) }
      : providerPlan(body, false);
  const planned = estimate(ctx, {
    model: plan.model,
    provider: plan.provider,
    input: [plan.messages, plan.body.tools],
    maxOutputTokens: plan.maxTokens,
  });
  return sendEnvelope(req, reply, ctx, {
    provider: planned.provider.id,
    model: planned.model.id,
    estimatedInputTokens: planned.inputTokens,
    maxOutputTokens: planned.maxOutputTokens,
    estimatedCostMicros: planned.costMicros,
    inputMicrosPerMillion: planned.model.inputMicrosPerMillion,
    outputMicrosPerMillion: planned.model.outputMicrosPerMillion,
  });
}

export const outputOf = (completion: Json) => {
  const message = ((completion.choices as Json[] | undefined)?.[0]?.message ?? {}) as Json;
  return { output: (message.content as string | null) ?? '', toolCalls: (message.tool_calls as unknown[]) ?? [] };
};

async function executeRoute(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext) {
  const plan = providerPlan(bodyOf(req), false);
  const result = await runChat(req, reply, ctx, plan, 'PROVIDERS_EXECUTE');
  if ('opened' in result && result.opened) throw new TrellisError('internal', 'unexpected stream');
  const { start, answer, usage, cost, settled } = result as Exclude<typeof result, { opened: unknown }>;
  sendEnvelope(req, reply, ctx, {
    callId: start.callId,
    executionId: start.executionId,
    workflowId: start.workflowId,
    provider: (answer as Json).provider ?? start.estimate.provider.id,
    model: start.estimate.model.id,
    ...outputOf(answer as Json),
    usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens },
    costMicros: cost,
    estimatedCostMicros: start.estimate.costMicros,
  });
  await settled;
  return reply;
}

async function executeStreamRoute(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext) {
  const plan = providerPlan(bodyOf(req), true);
  const sse = new SseResponse(req, reply, ctx);
  let result: Awaited<ReturnType<typeof runChat>>;
  try {
    result = await runChat(req, reply, ctx, plan, 'PROVIDERS_EXECUTE', sse);
  } catch (failure) {
    // Before the stream opened, the adapter answers in the envelope.
    if (sse.opened) return sse.fail(asTrellis(failure), providerStreamError);
    throw failure;
  }
  if (!('opened' in result) || !result.opened) throw new TrellisError('internal', 'expected a stream');
  const { start, opened, connection } = result;
  const out = sse.open();
  const send = (event: string, data: unknown) => sse.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('start', {
    callId: start.callId,
    executionId: start.executionId,
    provider: opened.provider.id,
    model: opened.model.id,
  });
  const meter = new StreamMeter(start.startedAt);
  let failure: TrellisError | undefined;
  try {
    for await (const chunk of opened.value) {
      meter.chunk(chunk);
      for (const choice of (chunk.choices as Json[] | undefined) ?? []) {
        const delta = choice.delta as Json | undefined;
        if (typeof delta?.content === 'string' && delta.content) send('token', { text: delta.content });
        if (Array.isArray(delta?.tool_calls)) send('tool_call', { toolCalls: delta.tool_calls });
      }
    }
  } catch (error) {
    if (!connection.gone()) failure = upstreamError(error, opened.provider.id);
  }
  connection.done();
  const tokens = meter.tokens(start);
  const cost = costMicros(opened.model, tokens.inputTokens, tokens.outputTokens);
  if (!connection.gone()) {
    if (failure) send('error', { code: failure.code, message: failure.message });
    else
      send('done', {
        callId: start.callId,
        executionId: start.executionId,
        usage: tokens,
        costMicros: cost,
      });
    out.end();
  }
  await settleCall(ctx, start, {
    status: connection.gone() ? 'CANCELLED' : failure ? 'FAILED' : 'COMPLETED',
    ...tokens,
    provider: opened.provider,
    model: opened.model,
    timeToFirstTokenMs: meter.firstTokenMs,
    errorCode: failure?.code,
  });
  return reply;
}

export const aiHandlers = {
  chatCompletions,
  responses,
  listProviders,
  estimate: estimateRoute,
  execute: executeRoute,
  executeStream: executeStreamRoute,
};
