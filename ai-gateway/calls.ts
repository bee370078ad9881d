/**
 * One governed model call, whatever the surface: resolve the organization, the workflow and the
 * model; estimate; governance `execute` (the reservation — refusals, admission control's included,
 * happen here, before any upstream request); then, once the upstream answered (or failed, or the client left), `track`
 * the actual cost and record the call in compute (two GraphQL operations in parallel, as the caller,
 * straight on their subgraphs, as `execute` is). Governance and compute are reached through GraphQL, never their tables.
 */
import { signAiCallRecord, signInternalRecord } from '../kernel/ai-call-record.ts';
import type { SubgraphName } from '../kernel/config.ts';
import { isErrorCode, TrellisError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { hasScope, type Principal } from '../kernel/principal.ts';
import type { HandlerContext } from '../rest-adapter/route-table.ts';
import { type CatalogModel, costMicros, type Provider, registryOf } from './catalog.ts';
import { Upstreams } from './upstream.ts';

type Json = Record<string, unknown>;
export type Surface = 'CHAT_COMPLETIONS' | 'RESPONSES' | 'PROVIDERS_EXECUTE';

const EXECUTE = /* GraphQL */ `
  mutation AiGatewayExecute($input: ExecuteInput!) {
    execute(input: $input) { executionId allowed decision approvalId reason message workflowId retryAfterSeconds }
  }
`;
const TRACK = /* GraphQL */ `
  mutation AiGatewayTrack($track: TrackInput!) { track(input: $track) { settled } }
`;
const RECORD = /* GraphQL */ `
  mutation AiGatewayRecord($call: RecordAiCallInput!, $signature: String!) { recordAiCall(input: $call, signature: $signature) }
`;
const START_HELD = /* GraphQL */ `
  mutation AiGatewayStartHeld($id: ID!) { startHeldExecution(id: $id) { id } }
`;
const EXECUTION = /* GraphQL */ `
  query AiGatewayExecution($id: ID!) {
    execution(id: $id) { id status reason workflowId approvalId principalId model provider estimatedCostMicros }
  }
`;
const CONTEXT = /* GraphQL */ `
  query AiGatewayCallContext($orgId: ID!) { aiCallContext(orgId: $orgId) { defaultWorkflowId requestLogging } }
`;

/**
 * The call context with the organization's vault values for `providers` (those configured with a
 * `credential`), one aliased field each — the same round trip as without.
 */
function contextQuery(providers: readonly Provider[]): string {
  const fields = providers.map((_, i) => `k${i}: providerCredential(provider: $p${i}, key: $k${i}, signature: $s${i})`);
  const variables = providers.map((_, i) => `, $p${i}: String!, $k${i}: String!, $s${i}: String!`).join('');
  return `query AiGatewayCallContextWithKeys($orgId: ID!${variables}) {
    aiCallContext(orgId: $orgId) { defaultWorkflowId requestLogging ${fields.join(' ')} }
  }`;
}

interface CallContext {
  defaultWorkflowId: string | null;
  requestLogging: boolean;
  /** Provider id → the organization's own API key (absent: the configured one). */
  keys: Map<string, string>;
}

/** Per-organization settings (and vault keys) the hot path needs, cached briefly (changes apply within this time). */
const CONTEXT_TTL_MS = 5_000;
const contexts = new Map<string, { value: CallContext; at: number }>();

const upstreamsByConfig = new WeakMap<object, Upstreams>();
export function upstreamsOf(ctx: HandlerContext): Upstreams {
  let upstreams = upstreamsByConfig.get(ctx.platform.config);
  if (!upstreams) {
    upstreams = new Upstreams(ctx.platform.config.ai);
    upstreamsByConfig.set(ctx.platform.config, upstreams);
  }
  return upstreams;
}

interface GraphQLErrorLike {
  message: string;
  extensions?: Json;
}

function raise(errors: readonly unknown[] | undefined): never {
  const first = (errors?.[0] ?? { message: 'Internal error' }) as GraphQLErrorLike;
  const code = first.extensions?.code;
  const retryAfter = first.extensions?.retryAfter;
  throw new TrellisError(isErrorCode(code) ? code : 'internal', first.message, {
    field: first.extensions?.field as string | undefined,
    details: first.extensions?.details as Json | undefined,
    retryAfter: typeof retryAfter === 'number' ? retryAfter : undefined,
  });
}

async function run<T>(ctx: Pick<HandlerContext, 'execute'>, query: string, variables: Json): Promise<T> {
  return dataOf<T>(await ctx.execute(query, variables));
}

/** `query` straight on `subgraph`, which owns its every field (`HandlerContext.executeOn`). */
async function runOn<T>(
  ctx: Pick<HandlerContext, 'executeOn'>,
  subgraph: SubgraphName,
  query: string,
  variables: Json,
): Promise<T> {
  return dataOf<T>(await ctx.executeOn(subgraph, query, variables));
}

function dataOf<T>(result: { data?: unknown; errors?: readonly unknown[] }): T {
  if (result.errors?.length || !result.data) raise(result.errors);
  return result.data as T;
}

/** The organization of the call: the API key's, or a session's `X-Org-Id` (or only membership). */
function organizationOf(principal: Principal, header: string | string[] | undefined): string {
  if (principal.orgId) return principal.orgId;
  const named = Array.isArray(header) ? header.at(-1) : header;
  if (named) return named;
  if (principal.memberships.length === 1) return principal.memberships[0]?.orgId as string;
  throw new TrellisError('validation_failed', 'Name the organization with the X-Org-Id header', {
    field: 'X-Org-Id',
  });
}

// ---- estimates -----------------------------------------------------------------------------------

/**
 * Input tokens, estimated from the text the model will read: ~4 bytes per token plus a few tokens
 * of framing per message (OpenAI's own rule of thumb). The actual count comes from the upstream.
 */
export function estimateInputTokens(parts: unknown[]): number {
  let bytes = 0;
  let messages = 0;
  const visit = (value: unknown) => {
    if (typeof value === 'string') bytes += Buffer.byteLength(value);
    else if (Array.isArray(value)) for (const item of value) visit(item);
    else if (value && typeof value === 'object') {
      if ('role' in value) messages++;
      for (const item of Object.values(value)) visit(item);
    }
  };
  for (const part of parts) visit(part);
  return Math.ceil(bytes / 4) + messages * 4 + 3;
}

export interface Estimate {
  provider: Provider;
  model: CatalogModel;
  inputTokens: number;
  /** Reserved for and passed upstream as the cap, so the estimate bounds the output's cost. */
  maxOutputTokens: number;
  costMicros: number;
}

export function estimate(
  ctx: HandlerContext,
  request: { model: string; provider?: string | null; input: unknown[]; maxOutputTokens?: number | null },
): Estimate {
  const { provider, model } = registryOf(ctx.platform.config).resolve(request.model, request.provider);
  const limit = model.maxOutputTokens ?? Number.MAX_SAFE_INTEGER;
  const maxOutputTokens = Math.min(request.maxOutputTokens ?? ctx.platform.config.ai.defaultMaxOutputTokens, limit);
  const inputTokens = estimateInputTokens(request.input);
  return { provider, model, inputTokens, maxOutputTokens, costMicros: costMicros(model, inputTokens, maxOutputTokens) };
}

// ---- begin / settle -----------------------------------------------------------------------------

export interface CallStart {
  callId: string;
  orgId: string;
  workflowId: string | null;
  executionId: string;
  estimate: Estimate;
  requestLogging: boolean;
  /** Provider id → the organization's own API key from the vault (withCallKey applies it). */
  keys: Map<string, string>;
  startedAt: number;
  surface: Surface;
  stream: boolean;
}

const DENIAL_CODE: Record<string, 'budget_exhausted' | 'rate_limited' | 'call_denied'> = {
  budget_exceeded: 'budget_exhausted',
  org_budget_exceeded: 'budget_exhausted',
  rate_limited: 'rate_limited',
};

/** The planned provider and its fallbacks, in order: every one that may be called. */
function providerChain(ctx: HandlerContext, first: Provider): Provider[] {
  const registry = registryOf(ctx.platform.config);
  const chain = [first];
  for (let next = first.fallback; next; ) {
    const provider = registry.byId(next);
    if (!provider || chain.includes(provider)) break;
    chain.push(provider);
    next = provider.fallback;
  }
  return chain;
}

/** Per provider (stable per configuration), the providers of its chain that take a vault key. */
const vaultedChains = new WeakMap<Provider, Provider[]>();

async function callContext(ctx: HandlerContext, orgId: string, planned: Provider): Promise<CallContext> {
  let vaulted = vaultedChains.get(planned);
  if (!vaulted) {
    vaulted = providerChain(ctx, planned).filter((p) => p.credential !== undefined);
    vaultedChains.set(planned, vaulted);
  }
  const cacheKey = vaulted.length ? `${orgId}\u0000${planned.id}` : orgId;
  const cached = contexts.get(cacheKey);
  if (cached && Date.now() - cached.at < CONTEXT_TTL_MS) return cached.value;
  const variables: Json = { orgId };
  (vaulted as Provider[]).forEach((provider, i) => {
    const record = { orgId, provider: provider.id, key: provider.credential as string };
    variables[`p${i}`] = record.provider;
    variables[`k${i}`] = record.key;
    variables[`s${i}`] = signInternalRecord(ctx.platform.internalSecret, 'vault-provider-credential', record);
  });
  const data = await run<{ aiCallContext: Json }>(ctx, vaulted.length ? contextQuery(vaulted) : CONTEXT, variables);
  const context = data.aiCallContext;
  const keys = new Map<string, string>();
  vaulted.forEach((provider, i) => {
    const value = context[`k${i}`];
    if (typeof value === 'string') keys.set(provider.id, value);
  });
  const value: CallContext = {
    defaultWorkflowId: (context.defaultWorkflowId as string | null) ?? null,
    requestLogging: context.requestLogging === true,
    keys,
  };
  if (contexts.size > 10_000) contexts.clear();
  contexts.set(cacheKey, { value, at: Date.now() });
  return value;
}

/** `provider` with the API key this call uses: the organization's vault value, else the configured one. */
export function withCallKey(start: CallStart, provider: Provider): Provider {
  const own = start.keys.get(provider.id);
  return own === undefined ? provider : { ...provider, apiKey: own };
}

/**
 * Everything before the upstream request. Throws (with the registry code the surface renders) when
 * the caller may not call, the model is unknown, or governance refuses: nothing reaches the upstream.
 */
export async function beginCall(
  ctx: HandlerContext,
  headers: Record<string, string | string[] | undefined>,
  request: { model: string; provider?: string | null; input: unknown[]; maxOutputTokens?: number | null },
  options: CallOptions,
): Promise<CallStart> {
  const { principal } = ctx;
  if (!hasScope(principal, 'ai:write'))
    throw new TrellisError('insufficient_scope', 'This API key lacks the ai:write scope', {
      details: { requiredScope: 'ai:write' },
    });
  const orgId = organizationOf(principal, headers['x-org-id']);
  const planned = estimate(ctx, request);
  const resumed = headers['x-trellis-execution-id'];
  if (resumed !== undefined) return resumeHeldCall(ctx, orgId, planned, single(resumed), options);
  const settings = await callContext(ctx, orgId, planned.provider);
  const { provider } = planned;
  if (provider.credential && provider.apiKey === undefined && !settings.keys.has(provider.id))
    throw new TrellisError(
      'provider_unavailable',
      `Provider ${provider.id} uses the organization's own key: store it in the vault as ${provider.credential}`,
      { details: { provider: provider.id, credential: provider.credential } },
    );
  // X-Workflow-Id and a workflow-bound key are on the principal already (governance applies them).
  const workflowId = options.workflowId ?? (principal.workflowId ? null : settings.defaultWorkflowId);
  // Straight on governance: the gateway's planning adds only CPU to a one-subgraph mutation, and
  // `executeOn` keeps admission control (a paused platform refuses the call here, before any upstream).
  const data = await runOn<{
    execute: {
      executionId: string;
      allowed: boolean;
      decision: string;
      approvalId: string | null;
      reason: string | null;
      message: string | null;
      workflowId: string | null;
      retryAfterSeconds: number | null;
    };
  }>(ctx, 'governance', EXECUTE, {
    input: {
      ...(workflowId ? { workflowId } : {}),
      ...(principal.kind === 'api_key' ? {} : { orgId }),
      model: planned.model.id,
      provider: planned.provider.id,
      estimatedCostMicros: planned.costMicros,
      estimatedTokens: Math.min(planned.inputTokens + planned.maxOutputTokens, 2_147_483_647),
      tags: ['ai-gateway'],
    },
  }).catch((error: TrellisError) => {
    // Governance fails closed without a workflow: say how to name one, in the caller's terms.
    if (error.code === 'validation_failed' && String(error.extensions.field ?? '').endsWith('workflowId'))
      throw new TrellisError(
        'validation_failed',
        'No governance workflow for this call: send X-Workflow-Id, use a workflow-bound key, or set the organization’s default workflow (GraphQL updateAiProxySettings)',
        { field: 'X-Workflow-Id' },
      );
    throw error;
  });
  const result = data.execute;
  if (result.decision === 'REQUIRE_APPROVAL' && result.approvalId)
    await awaitApproval(ctx, { ...result, approvalId: result.approvalId }, options);
  else if (!result.allowed) {
    const reason = result.reason ?? 'policy_denied';
    const code = DENIAL_CODE[reason] ?? 'call_denied';
    throw new TrellisError(code, result.message ?? `Governance refused the call: ${reason}`, {
      details: { reason, executionId: result.executionId, workflowId: result.workflowId },
      retryAfter: result.retryAfterSeconds ?? undefined,
    });
  }
  return {
    callId: newId('aic'),
    orgId,
    workflowId: result.workflowId,
    executionId: result.executionId,
    estimate: planned,
    requestLogging: settings.requestLogging,
    keys: settings.keys,
    startedAt: performance.now(),
    surface: options.surface,
    stream: options.stream,
  };
}

// ---- calls held for an approval ------------------------------------------------------------------

export interface CallOptions {
  surface: Surface;
  stream: boolean;
  workflowId?: string | null;
  /** The client's connection: a held call stops waiting when it goes away. */
  signal?: AbortSignal;
  /**
   * Called when the call starts waiting for its approval; the function it returns when the wait ends
   * (streams send SSE keepalives meanwhile).
   */
  whileHeld?: (held: { executionId: string }) => () => void;
}

const single = (value: string | string[]): string => (Array.isArray(value) ? (value.at(-1) ?? '') : value);

interface HeldExecution {
  executionId: string;
  approvalId: string;
  workflowId: string | null;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Holds a call whose execution waits for an approval (a REQUIRE_APPROVAL policy): polls the
 * execution (250 ms, doubling to 2 s) until it is approved (RESERVED: the call proceeds on this
 * execution and its reservation), denied or expired (403 `call_denied`, reason `approval_denied` /
 * `approval_expired`), the client leaves, or TRELLIS_AI_APPROVAL_HOLD_SECONDS pass — then 409
 * `conflict`, reason `approval_pending`, with the execution id to resume with (`X-Trellis-Execution-Id`).
 */
async function awaitApproval(ctx: HandlerContext, held: HeldExecution, options: CallOptions): Promise<void> {
  const stop = options.whileHeld?.({ executionId: held.executionId });
  try {
    await pollApproval(ctx, held, options);
  } finally {
    stop?.();
  }
  await startHeld(ctx, held.executionId);
}

/**
 * Claims an approved held execution for this request (governance sets its start once): the client knows
 * the execution id, so two resumes at once, or one after the call ran, would otherwise both reach the
 * upstream on one reservation.
 */
async function startHeld(ctx: HandlerContext, executionId: string): Promise<void> {
  await runOn(ctx, 'governance', START_HELD, { id: executionId }).catch((error: unknown) => {
    if (error instanceof TrellisError && error.code === 'conflict')
      throw new TrellisError('conflict', 'This held call already ran, or its approval ended', {
        field: 'X-Trellis-Execution-Id',
        details: { executionId },
      });
    throw error;
  });
}

async function pollApproval(ctx: HandlerContext, held: HeldExecution, options: CallOptions): Promise<void> {
  const deadline = performance.now() + ctx.platform.config.ai.approvalHoldSeconds * 1000;
  const details = { executionId: held.executionId, approvalId: held.approvalId, workflowId: held.workflowId };
  for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
    const { execution } = await run<{ execution: { status: string; reason: string | null } | null }>(ctx, EXECUTION, {
      id: held.executionId,
    });
    if (execution?.status === 'RESERVED') return;
    if (execution?.status !== 'PENDING_APPROVAL') {
      const reason = execution?.reason ?? 'approval_denied';
      throw new TrellisError(
        'call_denied',
        reason === 'approval_expired'
          ? 'The approval this call needed expired'
          : 'The approval this call needed was denied',
        { details: { reason, ...details } },
      );
    }
    if (options.signal?.aborted)
      throw new TrellisError('call_denied', 'The client left while the call waited for its approval', {
        details: { reason: 'approval_pending', ...details },
      });
    if (performance.now() + delay > deadline)
      throw new TrellisError(
        'conflict',
        `The call is waiting for approval ${held.approvalId}: once it is approved, send the same request again with X-Trellis-Execution-Id: ${held.executionId}`,
        { details: { reason: 'approval_pending', ...details }, retryAfter: 30 },
      );
    await sleep(delay, options.signal);
  }
}

/**
 * A retry of a held call (`X-Trellis-Execution-Id`): the same caller, model and provider, within the
 * estimate that was approved, proceeds on that execution instead of opening another approval.
 */
async function resumeHeldCall(
  ctx: HandlerContext,
  orgId: string,
  planned: Estimate,
  executionId: string,
  options: CallOptions,
): Promise<CallStart> {
  const { execution } = await run<{
    execution: {
      id: string;
      status: string;
      workflowId: string | null;
      approvalId: string | null;
      principalId: string | null;
      model: string | null;
      provider: string | null;
      estimatedCostMicros: number;
    } | null;
  }>(ctx, EXECUTION, { id: executionId }).catch(() => ({ execution: null }));
  const mismatch =
    !execution?.approvalId ||
    execution.principalId !== ctx.principal.id ||
    execution.model !== planned.model.id ||
    execution.provider !== planned.provider.id ||
    execution.estimatedCostMicros < planned.costMicros;
  if (!execution || mismatch)
    throw new TrellisError(
      'validation_failed',
      'X-Trellis-Execution-Id names no held call of this caller, model and size',
      {
        field: 'X-Trellis-Execution-Id',
      },
    );
  if (execution.status !== 'RESERVED' && execution.status !== 'PENDING_APPROVAL')
    throw new TrellisError(
      'conflict',
      `This held call already ran, or its approval ended (${execution.status.toLowerCase()})`,
      {
        field: 'X-Trellis-Execution-Id',
        details: { executionId, status: execution.status },
      },
    );
  if (execution.status === 'PENDING_APPROVAL')
    await awaitApproval(
      ctx,
      { executionId, approvalId: execution.approvalId as string, workflowId: execution.workflowId },
      options,
    );
  else await startHeld(ctx, executionId);
  const settings = await callContext(ctx, orgId, planned.provider);
  return {
    callId: newId('aic'),
    orgId,
    workflowId: execution.workflowId,
    executionId,
    estimate: planned,
    requestLogging: settings.requestLogging,
    keys: settings.keys,
    startedAt: performance.now(),
    surface: options.surface,
    stream: options.stream,
  };
}

export interface CallOutcome {
  status: 'COMPLETED' | 'FAILED' | 'CANCELLED';
  /** Actual tokens (upstream usage, or counted); a failed call consumed none. */
  inputTokens: number;
  outputTokens: number;
  /** The provider that answered (a fallback may have). */
  provider: Provider;
  model: CatalogModel;
  timeToFirstTokenMs?: number;
  errorCode?: string;
  /** Prompt and completion, kept only when the organization turned request logging on. */
  log?: () => unknown;
}

/**
 * Tracks the actual cost (settling the reservation, once: track is idempotent by execution) and
 * records the call with its event. Never throws: a failure is logged and the reservation expires.
 */
export async function settleCall(ctx: HandlerContext, start: CallStart, outcome: CallOutcome): Promise<number> {
  // Whatever was consumed is paid for, a call that failed or was cancelled mid-way included.
  const cost = costMicros(outcome.model, outcome.inputTokens, outcome.outputTokens);
  const latencyMs = Math.round(performance.now() - start.startedAt);
  const call = {
    callId: start.callId,
    orgId: start.orgId,
    apiKeyId: ctx.principal.kind === 'api_key' ? ctx.principal.id : undefined,
    workflowId: start.workflowId ?? undefined,
    executionId: start.executionId,
    provider: outcome.provider.id,
    model: outcome.model.id,
    surface: start.surface,
    stream: start.stream,
    status: outcome.status,
    inputTokens: outcome.inputTokens,
    outputTokens: outcome.outputTokens,
    costMicros: cost,
    estimatedCostMicros: start.estimate.costMicros,
    latencyMs,
    timeToFirstTokenMs: outcome.timeToFirstTokenMs,
    errorCode: outcome.errorCode,
    log: start.requestLogging && outcome.log ? outcome.log() : undefined,
  };
  const track = {
    executionId: start.executionId,
    model: outcome.model.id,
    provider: outcome.provider.id,
    costMicros: cost,
    inputTokens: outcome.inputTokens,
    outputTokens: outcome.outputTokens,
    latencyMs,
    tags: ['ai-gateway'],
  };
  // Two subgraphs, two independent writes: in parallel (one operation would run them one after the other),
  // each straight on its subgraph — settlement is admitted work, so the gateway's pipeline and planning
  // add nothing but CPU (a third of a call's gateway cost; bench/RESULTS.md, ai).
  const [tracked, recorded] = await Promise.allSettled([
    ctx.executeOn('governance', TRACK, { track }).then(dataOf),
    ctx
      .executeOn('compute', RECORD, { call, signature: signAiCallRecord(ctx.platform.internalSecret, call) })
      .then(dataOf),
  ]);
  const context = { executionId: start.executionId, callId: start.callId };
  if (tracked.status === 'rejected')
    ctx.platform.logger.error(
      { err: tracked.reason, ...context },
      'AI gateway: tracking a call failed; its reservation expires unsettled',
    );
  if (recorded.status === 'rejected')
    ctx.platform.logger.error({ err: recorded.reason, ...context }, 'AI gateway: recording a call failed');
  return cost;
}
