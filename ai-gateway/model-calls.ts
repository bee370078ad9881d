/**
 * The AI gateway's implementation of the kernel's model-call port (kernel/model-calls.ts): a pipeline's
 * `provider` node makes the same governed call as `POST /v1/providers/execute` — the same request checks
 * (`providerPlan`), `beginCall` (governance `execute`: policies, reservation; refusals before any upstream
 * request), `completeCall` (upstream with fallback, then `track` of the actual cost and the call's record and
 * `provider.call.*` event) — as a signed internal principal of the run's organization and workflow.
 */
import { TrellisError } from '../kernel/errors.ts';
import type { ModelCallRequest, ModelCallResult, ModelCalls } from '../kernel/model-calls.ts';
import type { Platform } from '../kernel/platform.ts';
import type { Principal } from '../kernel/principal.ts';
import { newRequestMeta } from '../kernel/request-meta.ts';
import type { Executor } from '../rest-adapter/executor.ts';
import type { HandlerContext } from '../rest-adapter/route-table.ts';
import { beginCall } from './calls.ts';
import { completeCall, outputOf, providerPlan } from './handlers.ts';

/** How long a provider node waits for the upstream's answer (retries and fallbacks included). */
const CALL_TIMEOUT_MS = 120_000;

/** The run's identity toward governance: its organization, bound to its workflow, allowed to call models only. */
function pipelinePrincipal(request: ModelCallRequest): Principal {
  return {
    kind: 'service',
    id: 'svc_pipelines',
    orgId: request.orgId,
    memberships: [{ orgId: request.orgId, role: 'member' }],
    scopes: ['ai:write', 'executions:write'],
    ...(request.workflowId ? { workflowId: request.workflowId } : {}),
  };
}

export function governedModelCalls(platform: Platform, executor: Executor): ModelCalls {
  return async (request: ModelCallRequest): Promise<ModelCallResult> => {
    const principal = pipelinePrincipal(request);
    const meta = newRequestMeta();
    const ctx: HandlerContext = {
      principal,
      meta,
      platform,
      execute: (query, variables = {}) => executor({ query, variables, principal, meta }),
      // Settlement through the gateway too: the composition root hands this port an executor, not the
      // gateway's direct subgraph transport (one more hop per node, not per chat request).
      executeOn: (_subgraph, query, variables = {}) => executor({ query, variables, principal, meta }),
      watch: () => () => undefined,
    };
    const plan = providerPlan(
      {
        model: request.model,
        ...(request.provider !== undefined ? { provider: request.provider } : {}),
        ...(request.messages !== undefined ? { messages: request.messages } : { prompt: request.prompt }),
        ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
      },
      false,
    );
    const start = await beginCall(
      ctx,
      {},
      { model: plan.model, provider: plan.provider, input: [plan.messages], maxOutputTokens: plan.maxTokens },
      { surface: 'PROVIDERS_EXECUTE', stream: false, workflowId: request.workflowId },
    ).catch((error: unknown) => {
      // Said in a pipeline's terms: there is no header to send.
      if (error instanceof TrellisError && error.extensions.field === 'X-Workflow-Id')
        throw new TrellisError(
          'validation_failed',
          'No governance workflow for this model call: run the pipeline with a workflowId, or set the organization’s default AI workflow',
          { field: 'workflowId' },
        );
      throw error;
    });
    const signal = AbortSignal.timeout(CALL_TIMEOUT_MS);
    const done = await completeCall(
      ctx,
      start,
      plan.body,
      { signal, gone: () => false, done: () => undefined },
      (answer) => () => ({ request: { origin: request.origin, ...plan.body }, response: answer }),
    );
    // A pipeline's next node may read the spend: the call is settled before the node completes.
    await done.settled;
    return {
      output: outputOf(done.answer).output,
      usage: { inputTokens: done.usage.inputTokens, outputTokens: done.usage.outputTokens },
      costMicros: done.cost,
      provider: done.provider.id,
      model: done.model.id,
      executionId: start.executionId,
      callId: start.callId,
    };
  };
}
