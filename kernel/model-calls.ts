/**
 * The port through which a subgraph makes a governed model call (a pipeline's `provider` node) without
 * importing the AI gateway: the composition root that runs both (bin/platform.ts) binds the AI gateway's
 * implementation (ai-gateway/model-calls.ts) to the process's platform; a process without an AI gateway
 * has none, and its callers say so.
 */
import type { Platform } from './platform.ts';

export interface ModelCallRequest {
  orgId: string;
  /** The governance workflow the call is executed and tracked against (null: the organization's default). */
  workflowId: string | null;
  model: string;
  provider?: string;
  /** OpenAI-style chat messages (`prompt` is one user message). */
  messages?: unknown;
  prompt?: string;
  maxTokens?: number;
  /** Why the call is made, for the call's audit trail (`pipeline:<runId>/<nodeId>`). */
  origin: string;
}

export interface ModelCallResult {
  /** The assistant message's text. */
  output: string;
  usage: { inputTokens: number; outputTokens: number };
  /** The actual cost, already tracked against the workflow by the call itself. */
  costMicros: number;
  provider: string;
  model: string;
  executionId: string;
  callId: string;
}

/** Rejects with a TrellisError (governance refusal, unknown model, no upstream…): nothing reached the upstream unless it answered. */
export type ModelCalls = (request: ModelCallRequest) => Promise<ModelCallResult>;

const bound = new WeakMap<Platform, ModelCalls>();

export function bindModelCalls(platform: Platform, calls: ModelCalls): void {
  bound.set(platform, calls);
}

export function modelCallsOf(platform: Platform): ModelCalls | undefined {
  return bound.get(platform);
}
