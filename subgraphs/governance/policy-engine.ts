/**
 * Policy evaluation: pure functions over an organization's enabled policies,
 * sorted by priority (lower first, then creation). No I/O.
 *
 * Composition (docs/governance.md):
 * - ALLOW, DENY and REQUIRE_APPROVAL: the first matching one decides.
 * - CAP_COST and RATE_LIMIT are limits: a matching limit that is exceeded
 *   denies the call and stops evaluation; one that holds lets evaluation go on
 *   (every matching RATE_LIMIT on the way is counted by the caller).
 * - No deciding match: the call is allowed.
 */

export type PolicyActionValue = 'allow' | 'deny' | 'require_approval' | 'cap_cost' | 'rate_limit';
export type RateUnit = 'calls' | 'tokens';
export type RatePer = 'organization' | 'workflow' | 'api_key';

export interface PolicyMatchSpec {
  workflowIds?: string[];
  models?: string[];
  excludeModels?: string[];
  providers?: string[];
  apiKeyIds?: string[];
  tags?: string[];
  metadata?: Record<string, unknown> | null;
  minEstimatedCostMicros?: number | null;
}

export interface PolicyRecord {
  id: string;
  orgId: string;
  name: string;
  description: string | null;
  priority: number;
  enabled: boolean;
  action: PolicyActionValue;
  match: PolicyMatchSpec;
  maxCostMicros: number | null;
  rateLimit: { limit: number; windowSeconds: number; unit: RateUnit; per: RatePer } | null;
  templateId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a call looks like to the policies. */
export interface CallContext {
  workflowId: string | null;
  model: string | null;
  provider: string | null;
  apiKeyId: string | null;
  tags: readonly string[];
  metadata: Record<string, unknown> | null;
  estimatedCostMicros: number;
}

export type DecisionValue = 'allow' | 'deny' | 'require_approval';

export interface Verdict {
  decision: DecisionValue;
  /** Machine-readable reason for deny / require_approval. */
  reason: string | null;
  message: string | null;
  /** The policy that decided (null when none matched). */
  policyId: string | null;
  /** Matching RATE_LIMIT policies met before the decision, in order: the caller counts and enforces them. */
  rateLimits: PolicyRecord[];
}

/** `gpt-4*` matches by prefix; otherwise exact; case-insensitive. */
export function modelMatches(pattern: string, model: string): boolean {
  const p = pattern.toLowerCase();
  const m = model.toLowerCase();
  return p.endsWith('*') ? m.startsWith(p.slice(0, -1)) : p === m;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export function matches(policy: PolicyRecord, call: CallContext): boolean {
  const m = policy.match;
  if (m.workflowIds?.length && (!call.workflowId || !m.workflowIds.includes(call.workflowId))) return false;
  if (m.models?.length) {
    const model = call.model;
    if (!model || !m.models.some((p) => modelMatches(p, model))) return false;
  }
  if (m.excludeModels?.length) {
    const model = call.model;
    // An allowlist cannot vouch for an unnamed model: a call without a model matches (is excluded).
    if (model && m.excludeModels.some((p) => modelMatches(p, model))) return false;
  }
  if (m.providers?.length) {
    const provider = call.provider?.toLowerCase();
    if (!provider || !m.providers.some((p) => p.toLowerCase() === provider)) return false;
  }
  if (m.apiKeyIds?.length && (!call.apiKeyId || !m.apiKeyIds.includes(call.apiKeyId))) return false;
  if (m.tags?.length && !m.tags.every((t) => call.tags.includes(t))) return false;
  if (m.metadata && Object.keys(m.metadata).length > 0) {
    const metadata = call.metadata ?? {};
    for (const [key, value] of Object.entries(m.metadata)) if (!sameJson(metadata[key], value)) return false;
  }
  if (m.minEstimatedCostMicros != null && call.estimatedCostMicros < m.minEstimatedCostMicros) return false;
  return true;
}

/** Evaluates `policies` (enabled, in order) against a call. */
export function evaluate(policies: readonly PolicyRecord[], call: CallContext): Verdict {
  const rateLimits: PolicyRecord[] = [];
  for (const policy of policies) {
    if (!policy.enabled || !matches(policy, call)) continue;
    switch (policy.action) {
      case 'allow':
        return { decision: 'allow', reason: null, message: null, policyId: policy.id, rateLimits };
      case 'deny':
        return {
          decision: 'deny',
          reason: 'policy_denied',
          message: `Denied by policy "${policy.name}"`,
          policyId: policy.id,
          rateLimits,
        };
      case 'require_approval':
        return {
          decision: 'require_approval',
          reason: 'approval_required',
          message: `Policy "${policy.name}" requires approval`,
          policyId: policy.id,
          rateLimits,
        };
      case 'cap_cost':
        if (policy.maxCostMicros != null && call.estimatedCostMicros > policy.maxCostMicros)
          return {
            decision: 'deny',
            reason: 'cost_cap_exceeded',
            message: `Estimated cost ${call.estimatedCostMicros} exceeds the cap of ${policy.maxCostMicros} micro-dollars (policy "${policy.name}")`,
            policyId: policy.id,
            rateLimits,
          };
        break;
      case 'rate_limit':
        if (policy.rateLimit) rateLimits.push(policy);
        break;
    }
  }
  return { decision: 'allow', reason: null, message: null, policyId: null, rateLimits };
}

/** The counter a rate-limit policy keeps for a call (`org`, a workflow id or an API key / principal id). */
export function rateSubject(policy: PolicyRecord, call: CallContext, principalId: string): string {
  switch (policy.rateLimit?.per) {
    case 'workflow':
      return `wf:${call.workflowId ?? '-'}`;
    case 'api_key':
      return `key:${call.apiKeyId ?? principalId}`;
    default:
      return 'org';
  }
}
