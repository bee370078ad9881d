/**
 * The AI gateway's `/v1` routes (issue #12, owned by compute in routes.tsv): OpenAI-compatible
 * chat completions and responses, seed 001's providers, and the AI proxy's connection info and
 * usage. The model calls are handlers (ai-gateway/handlers.ts: OpenAI shapes, SSE); the proxy
 * routes read compute's `aiProxy` / `aiProxyUsage` — `/ai/proxy` with a hand-written document, since it
 * also lists identity's API keys that carry the proxy scope.
 */
import { aiHandlers } from '../../ai-gateway/handlers.ts';
import { defineRoutes } from '../route-table.ts';

/** A proxy-scoped key carries `ai:write` (or `ai:*`); `*` keys work too but are not listed as proxy keys. */
const isProxyKey = (key: { scopes?: string[] }) => (key.scopes ?? []).some((s) => s === 'ai:write' || s === 'ai:*');

export const aiRoutes = defineRoutes([
  {
    kind: 'handler',
    method: 'POST',
    path: '/v1/chat/completions',
    owner: 'compute',
    summary: 'OpenAI-compatible chat completions (policy-gated, metered; SSE when stream=true)',
    signed: true,
    requestExample: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 64 },
    openaiErrors: true,
    handler: aiHandlers.chatCompletions,
  },
  {
    kind: 'handler',
    method: 'POST',
    path: '/v1/responses',
    owner: 'compute',
    summary: 'OpenAI-compatible Responses API (policy-gated, metered)',
    signed: true,
    requestExample: { model: 'gpt-4o-mini', input: 'Say hello', max_output_tokens: 64 },
    openaiErrors: true,
    handler: aiHandlers.responses,
  },
  {
    kind: 'handler',
    method: 'GET',
    path: '/v1/providers',
    owner: 'compute',
    summary: 'List available providers and capabilities',
    handler: aiHandlers.listProviders,
  },
  {
    kind: 'handler',
    method: 'POST',
    path: '/v1/providers/estimate',
    owner: 'compute',
    summary: 'Cost estimation',
    requestExample: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], maxTokens: 64 },
    handler: aiHandlers.estimate,
  },
  {
    kind: 'handler',
    method: 'POST',
    path: '/v1/providers/execute',
    owner: 'compute',
    summary: 'Execute a provider request',
    signed: true,
    requestExample: { model: 'gpt-4o-mini', prompt: 'Say hello', maxTokens: 64 },
    handler: aiHandlers.execute,
  },
  {
    kind: 'handler',
    method: 'POST',
    path: '/v1/providers/execute/stream',
    owner: 'compute',
    summary: 'Execute with SSE token streaming',
    signed: true,
    requestExample: { model: 'gpt-4o-mini', prompt: 'Say hello', maxTokens: 64 },
    produces: 'text/event-stream',
    handler: aiHandlers.executeStream,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/ai/proxy',
    owner: 'compute',
    summary: 'AI proxy connection info + proxy-scoped keys',
    operation: /* GraphQL */ `
      query GetAiProxy($orgId: ID!) {
        aiProxy(orgId: $orgId) {
          baseUrl authentication keyScopes
          settings { defaultWorkflowId requestLogging logRetentionDays }
        }
        apiKeys(orgId: $orgId, limit: 200) {
          items { id name prefix scopes workflowId status createdAt lastUsedAt }
        }
      }
    `,
    result: (data) => {
      const proxy = data.aiProxy as Record<string, unknown>;
      const keys = ((data.apiKeys as { items?: { scopes?: string[] }[] } | null)?.items ?? []).filter(isProxyKey);
      return { ...proxy, keys };
    },
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/ai/proxy-usage',
    owner: 'compute',
    query: 'aiProxyUsage(orgId: $orgId, days: $days)',
    summary: 'AI proxy usage (daily + totals)',
  },
]);
