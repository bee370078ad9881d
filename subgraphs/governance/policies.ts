/**
 * Policies (ordered, first match wins — see policy-engine.ts) and built-in
 * templates. Every change emits policy.* / policy_template.* (→
 * PolicyInvalidated pushes) and drops the policy cache on every replica.
 */

import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidField, notFound } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { decodeCursor, type Page, pageSize, toPage } from '../../kernel/pagination.ts';
import { roleFor } from '../../kernel/permissions.ts';
import type { Principal } from '../../kernel/principal.ts';
import { actorIdOf, requireObjectAccess } from './access.ts';
import type { PolicyActionValue, PolicyMatchSpec, PolicyRecord } from './policy-engine.ts';
import { date, json, query, queryOne, type Row, sql } from './sql.ts';
import { type GovernanceState, policyFromRow } from './state.ts';

const ACTIONS: readonly string[] = ['allow', 'deny', 'require_approval', 'cap_cost', 'rate_limit'];
const UNITS: readonly string[] = ['calls', 'tokens'];
const PERS: Record<string, string> = { organization: 'organization', workflow: 'workflow', api_key: 'api_key' };
const MAX_LIST = 100;

interface MatchInput {
  workflowIds?: string[] | null;
  models?: string[] | null;
  excludeModels?: string[] | null;
  providers?: string[] | null;
  apiKeyIds?: string[] | null;
  tags?: string[] | null;
  metadata?: unknown;
  minEstimatedCostMicros?: number | null;
}

interface RateLimitInput {
  limit: number;
  windowSeconds: number;
  unit?: string | null;
  per?: string | null;
}

export interface PolicyInput {
  name?: string | null;
  description?: string | null;
  priority?: number | null;
  enabled?: boolean | null;
  action?: string | null;
  match?: MatchInput | null;
  maxCostMicros?: number | null;
  rateLimit?: RateLimitInput | null;
}

function list(values: string[] | null | undefined, field: string): string[] | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.length > MAX_LIST) throw invalidField(field, `at most ${MAX_LIST} values`);
  for (const v of values)
    if (v.trim().length < 1 || v.length > 200) throw invalidField(field, 'values must be 1 to 200 characters');
  return [...new Set(values.map((v) => v.trim()))];
}

export function normalizeMatch(input: MatchInput | null | undefined, field = 'input.match'): PolicyMatchSpec {
  if (!input) return {};
  const match: PolicyMatchSpec = {};
  const keys = ['workflowIds', 'models', 'excludeModels', 'providers', 'apiKeyIds', 'tags'] as const;
  for (const key of keys) {
    const values = list(input[key], `${field}.${key}`);
    if (values) match[key] = values;
  }
  if (input.metadata !== undefined && input.metadata !== null) {
    if (typeof input.metadata !== 'object' || Array.isArray(input.metadata))
      throw invalidField(`${field}.metadata`, 'metadata must be an object');
    if (JSON.stringify(input.metadata).length > 4096) throw invalidField(`${field}.metadata`, 'metadata is too large');
    if (Object.keys(input.metadata).length > 0) match.metadata = input.metadata as Record<string, unknown>;
  }
  if (input.minEstimatedCostMicros != null) {
    if (!Number.isSafeInteger(input.minEstimatedCostMicros) || input.minEstimatedCostMicros < 0)
      throw invalidField(`${field}.minEstimatedCostMicros`, 'must be an integer ≥ 0');
    match.minEstimatedCostMicros = input.minEstimatedCostMicros;
  }
  return match;
}

interface Normalized {
  name: string;
  description: string | null;
  priority: number | null;
  enabled: boolean;
  action: PolicyActionValue;
  match: PolicyMatchSpec;
  maxCostMicros: number | null;
  rateLimit: { limit: number; windowSeconds: number; unit: string; per: string } | null;
}

/** Validates a complete policy (after merging an update onto the current one). */
function normalize(p: PolicyInput, current?: PolicyRecord): Normalized {
  const name = (p.name ?? current?.name ?? '').trim();
  if (name.length < 1 || name.length > 200) throw invalidField('input.name', 'name must be 1 to 200 characters');
  const description = p.description === undefined ? (current?.description ?? null) : p.description?.trim() || null;
  if (description && description.length > 2000) throw invalidField('input.description', 'at most 2000 characters');
  const action = (p.action?.toLowerCase() ?? current?.action) as PolicyActionValue | undefined;
  if (!action || !ACTIONS.includes(action)) throw invalidField('input.action', 'action is required');
  const priority = p.priority ?? current?.priority ?? null;
  if (priority !== null && (!Number.isInteger(priority) || Math.abs(priority) > 1_000_000_000))
    throw invalidField('input.priority', 'priority must be an integer');
  const match = p.match === undefined ? (current?.match ?? {}) : normalizeMatch(p.match);
  let maxCostMicros = p.maxCostMicros === undefined ? (current?.maxCostMicros ?? null) : p.maxCostMicros;
  let rateLimit: Normalized['rateLimit'] = null;
  if (action === 'cap_cost') {
    if (maxCostMicros == null || !Number.isSafeInteger(maxCostMicros) || maxCostMicros < 0)
      throw invalidField('input.maxCostMicros', 'CAP_COST needs maxCostMicros (an integer ≥ 0)');
  } else maxCostMicros = null;
  if (action === 'rate_limit') {
    const r = p.rateLimit === undefined ? current?.rateLimit : p.rateLimit;
    if (!r) throw invalidField('input.rateLimit', 'RATE_LIMIT needs rateLimit');
    if (!Number.isInteger(r.limit) || r.limit < 1) throw invalidField('input.rateLimit.limit', 'limit must be ≥ 1');
    if (!Number.isInteger(r.windowSeconds) || r.windowSeconds < 1 || r.windowSeconds > 31 * 86_400)
      throw invalidField('input.rateLimit.windowSeconds', 'windowSeconds must be between 1 and 2678400');
    const unit = (r.unit ?? 'calls').toLowerCase();
    if (!UNITS.includes(unit)) throw invalidField('input.rateLimit.unit', 'unit must be CALLS or TOKENS');
    const per = PERS[(r.per ?? 'organization').toLowerCase()];
    if (!per) throw invalidField('input.rateLimit.per', 'per must be ORGANIZATION, WORKFLOW or API_KEY');
    rateLimit = { limit: r.limit, windowSeconds: r.windowSeconds, unit, per };
  }
  return {
    name,
    description,
    priority,
    enabled: p.enabled ?? current?.enabled ?? true,
    action,
    match,
    maxCostMicros,
    rateLimit,
  };
}

const eventData = (policy: PolicyRecord) => ({
  policyId: policy.id,
  name: policy.name,
  action: policy.action,
  priority: policy.priority,
  enabled: policy.enabled,
  templateId: policy.templateId,
});

// ------------------------------------------------------------------------------------------
// Templates
// ------------------------------------------------------------------------------------------

interface TemplateDefinition {
  id: string;
  name: string;
  description: string;
  defaultParameters: Record<string, unknown>;
  /** The policy it creates from validated parameters; null for settings-only templates. */
  policy: ((params: Record<string, unknown>) => PolicyInput) | null;
  validate(params: Record<string, unknown>): Record<string, unknown>;
}

function intParam(params: Record<string, unknown>, key: string, field = `parameters.${key}`): number {
  const value = params[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw invalidField(field, `${key} must be an integer ≥ 0`);
  return value;
}

export const TEMPLATES: readonly TemplateDefinition[] = [
  {
    id: 'tpl_model_allowlist',
    name: 'Model allowlist',
    description: 'Deny every call whose model is not in the list (a trailing * matches a prefix).',
    defaultParameters: { models: ['gpt-4o-mini', 'claude-3-5-haiku*'] },
    validate(params) {
      const models = params.models;
      if (!Array.isArray(models) || models.length === 0 || models.some((m) => typeof m !== 'string' || !m.trim()))
        throw invalidField('parameters.models', 'models must be a non-empty list of model names');
      return { models: list(models as string[], 'parameters.models') };
    },
    policy: (params) => ({
      name: 'Model allowlist',
      description: 'Template tpl_model_allowlist',
      priority: -300,
      action: 'deny',
      match: { excludeModels: params.models as string[] },
    }),
  },
  {
    id: 'tpl_cost_cap_per_call',
    name: 'Per-call cost cap',
    description: 'Deny any single call whose estimated cost is above the cap.',
    defaultParameters: { maxCostMicros: 1_000_000 },
    validate: (params) => ({ maxCostMicros: intParam(params, 'maxCostMicros') }),
    policy: (params) => ({
      name: 'Per-call cost cap',
      description: 'Template tpl_cost_cap_per_call',
      priority: -200,
      action: 'cap_cost',
      maxCostMicros: params.maxCostMicros as number,
    }),
  },
  {
    id: 'tpl_approval_above_amount',
    name: 'Approval above an amount',
    description: 'Hold calls estimated at or above the amount until someone approves them.',
    defaultParameters: { thresholdMicros: 5_000_000 },
    validate: (params) => ({ thresholdMicros: intParam(params, 'thresholdMicros') }),
    policy: (params) => ({
      name: 'Approval above an amount',
      description: 'Template tpl_approval_above_amount',
      priority: -100,
      action: 'require_approval',
      match: { minEstimatedCostMicros: params.thresholdMicros as number },
    }),
  },
  {
    id: 'tpl_daily_org_budget',
    name: 'Daily organization budget',
    description: 'Cap the whole organization’s spend per UTC day, across all workflows and keys.',
    defaultParameters: { dailyBudgetMicros: 100_000_000 },
    validate: (params) => ({ dailyBudgetMicros: intParam(params, 'dailyBudgetMicros') }),
    policy: null,
  },
];

export interface TemplateView {
  id: string;
  name: string;
  description: string;
  defaultParameters: Record<string, unknown>;
  enabled: boolean;
  parameters: Record<string, unknown> | null;
  policyId: string | null;
  enabledAt: Date | null;
}

export class PolicyService {
  private readonly em: EntityManager;
  private readonly state: GovernanceState;

  constructor(em: EntityManager, state: GovernanceState) {
    this.em = em;
    this.state = state;
  }

  async list(
    orgId: string,
    args: { enabled?: boolean | null; limit?: number | null; cursor?: string | null },
  ): Promise<Page<PolicyRecord>> {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { p: 'int', i: 'text' });
    const enabled = args.enabled ?? null;
    const rows = await query(
      this.em,
      sql`select * from policies
          where org_id = ${orgId}
            and (${enabled}::boolean is null or enabled = ${enabled}::boolean)
            and (${after ? after.p : null}::int is null or (priority, id collate "C") > (${after ? after.p : 0}::int, ${after ? after.i : ''}::text))
          order by priority, id collate "C"
          limit ${limit + 1}`,
    );
    return toPage(rows.map(policyFromRow), limit, (p) => ({ p: p.priority, i: p.id }));
  }

  async #find(tx: EntityManager, orgId: string | null, id: string, lock = false): Promise<PolicyRecord | null> {
    const row = await queryOne(
      tx,
      sql`select * from policies where id = ${id} and (${orgId}::text is null or org_id = ${orgId})
          ${lock ? sql`for update` : sql``}`,
    );
    return row ? policyFromRow(row) : null;
  }

  async #insert(tx: EntityManager, principal: Principal, orgId: string, n: Normalized, templateId: string | null) {
    const row = await queryOne(
      tx,
      sql`insert into policies (id, org_id, name, description, priority, enabled, action, match, max_cost_micros,
            rate_limit, rate_window_seconds, rate_unit, rate_per, template_id, created_by, created_at, updated_at)
          values (${newId('pol')}, ${orgId}, ${n.name}, ${n.description},
            coalesce(${n.priority}::int, (select greatest(coalesce(max(priority), 0), 0) + 10 from policies where org_id = ${orgId})),
            ${n.enabled}, ${n.action}, ${json(n.match)}::jsonb, ${n.maxCostMicros}::bigint,
            ${n.rateLimit?.limit ?? null}::int, ${n.rateLimit?.windowSeconds ?? null}::int, ${n.rateLimit?.unit ?? null},
            ${n.rateLimit?.per ?? null}, ${templateId}, ${actorIdOf(principal)}, now(), now())
          returning *`,
    );
    return policyFromRow(row as Row);
  }

  async #write(tx: EntityManager, id: string, n: Normalized) {
    const row = await queryOne(
      tx,
      sql`update policies set name = ${n.name}, description = ${n.description},
            priority = coalesce(${n.priority}::int, priority), enabled = ${n.enabled}, action = ${n.action},
            match = ${json(n.match)}::jsonb, max_cost_micros = ${n.maxCostMicros}::bigint,
            rate_limit = ${n.rateLimit?.limit ?? null}::int, rate_window_seconds = ${n.rateLimit?.windowSeconds ?? null}::int,
            rate_unit = ${n.rateLimit?.unit ?? null}, rate_per = ${n.rateLimit?.per ?? null}, updated_at = now()
          where id = ${id}
          returning *`,
    );
    return policyFromRow(row as Row);
  }

  async create(principal: Principal, orgId: string, input: PolicyInput, requestId?: string): Promise<PolicyRecord> {
    const n = normalize(input);
    const policy = await this.em.transactional(async (tx) => {
      const created = await this.#insert(tx, principal, orgId, n, null);
      recordEvent(tx, {
        orgId,
        type: 'policy.created',
        subject: { type: 'policy', id: created.id },
        data: eventData(created),
        actor: principal,
        requestId,
      });
      return created;
    });
    await this.state.invalidate(orgId);
    return policy;
  }

  async update(
    principal: Principal,
    orgId: string,
    id: string,
    input: PolicyInput,
    requestId?: string,
  ): Promise<PolicyRecord> {
    const policy = await this.em.transactional(async (tx) => {
      const current = await this.#find(tx, orgId, id, true);
      if (!current) throw notFound('Policy');
      const updated = await this.#write(tx, id, normalize(input, current));
      recordEvent(tx, {
        orgId,
        type: 'policy.updated',
        subject: { type: 'policy', id },
        data: eventData(updated),
        actor: principal,
        requestId,
      });
      return updated;
    });
    await this.state.invalidate(orgId);
    return policy;
  }

  async delete(principal: Principal, orgId: string, id: string, requestId?: string) {
    await this.em.transactional(async (tx) => {
      const row = await queryOne(tx, sql`delete from policies where id = ${id} and org_id = ${orgId} returning *`);
      if (!row) throw notFound('Policy');
      const policy = policyFromRow(row);
      if (policy.templateId)
        await query(
          tx,
          sql`delete from template_enablements where org_id = ${orgId} and template_id = ${policy.templateId}`,
        );
      recordEvent(tx, {
        orgId,
        type: 'policy.deleted',
        subject: { type: 'policy', id },
        data: eventData(policy),
        actor: principal,
        requestId,
      });
    });
    await this.state.invalidate(orgId);
    return { id, deleted: true };
  }

  /** `POST /v1/policies/toggle`: the policy's organization comes from the policy (admins only). */
  async toggle(principal: Principal, input: { policyId: string; enabled?: boolean | null }, requestId?: string) {
    let orgId = '';
    const policy = await this.em.transactional(async (tx) => {
      const current = await this.#find(tx, null, input.policyId, true);
      if (!current) throw notFound('Policy');
      requireObjectAccess(principal, current.orgId, 'Policy', { minimum: roleFor('policies:write') });
      orgId = current.orgId;
      const enabled = input.enabled ?? !current.enabled;
      const row = await queryOne(
        tx,
        sql`update policies set enabled = ${enabled}, updated_at = now() where id = ${current.id} returning *`,
      );
      const updated = policyFromRow(row as Row);
      recordEvent(tx, {
        orgId: current.orgId,
        type: 'policy.toggled',
        subject: { type: 'policy', id: current.id },
        data: { ...eventData(updated), previousEnabled: current.enabled },
        actor: principal,
        requestId,
      });
      return updated;
    });
    await this.state.invalidate(orgId);
    return policy;
  }

  // ------------------------------------------------------------------------------------------
  // templates
  // ------------------------------------------------------------------------------------------

  async templates(orgId: string): Promise<TemplateView[]> {
    const rows = await query(this.em, sql`select * from template_enablements where org_id = ${orgId}`);
    const byId = new Map(rows.map((r) => [String(r.template_id), r]));
    return TEMPLATES.map((t) => templateView(t, byId.get(t.id)));
  }

  async enableTemplate(
    principal: Principal,
    orgId: string,
    templateId: string,
    parameters: unknown,
    requestId?: string,
  ): Promise<TemplateView> {
    const template = TEMPLATES.find((t) => t.id === templateId);
    if (!template) throw notFound('Policy template');
    if (parameters != null && (typeof parameters !== 'object' || Array.isArray(parameters)))
      throw invalidField('parameters', 'parameters must be an object');
    const params = template.validate({ ...template.defaultParameters, ...((parameters as object | null) ?? {}) });
    const view = await this.em.transactional(async (tx) => {
      const existing = await queryOne(
        tx,
        sql`select * from template_enablements where org_id = ${orgId} and template_id = ${templateId} for update`,
      );
      let policyId: string | null = existing ? ((existing.policy_id as string | null) ?? null) : null;
      if (template.policy) {
        const n = normalize(template.policy(params));
        const current = policyId ? await this.#find(tx, orgId, policyId, true) : null;
        policyId = current
          ? (await this.#write(tx, current.id, { ...n, enabled: true })).id
          : (await this.#insert(tx, principal, orgId, n, template.id)).id;
      } else if (template.id === 'tpl_daily_org_budget') {
        // Start from what was already spent today and what open reservations hold.
        await query(
          tx,
          sql`insert into org_settings as s (org_id, daily_budget_micros, daily_spent_micros, daily_reserved_micros, day_ends_at, updated_at)
              select ${orgId}, ${params.dailyBudgetMicros as number},
                (select coalesce(sum(cost_micros), 0) from usage_events
                  where org_id = ${orgId} and recorded_at >= period_start('daily', now())),
                0, period_end('daily', now()), now()
              on conflict (org_id) do update set
                daily_budget_micros = excluded.daily_budget_micros,
                daily_spent_micros = case when s.daily_budget_micros is null then excluded.daily_spent_micros
                  else s.daily_spent_micros end,
                daily_reserved_micros = case when s.daily_budget_micros is null then 0 else s.daily_reserved_micros end,
                day_ends_at = case when s.daily_budget_micros is null then excluded.day_ends_at else s.day_ends_at end,
                updated_at = now()`,
        );
      }
      const row = await queryOne(
        tx,
        sql`insert into template_enablements (org_id, template_id, parameters, policy_id, enabled_by, enabled_at)
            values (${orgId}, ${templateId}, ${json(params)}::jsonb, ${policyId}, ${actorIdOf(principal)}, now())
            on conflict (org_id, template_id) do update set parameters = excluded.parameters,
              policy_id = excluded.policy_id, enabled_by = excluded.enabled_by, enabled_at = now()
            returning *`,
      );
      recordEvent(tx, {
        orgId,
        type: 'policy_template.enabled',
        subject: { type: 'policy_template', id: templateId },
        data: { templateId, policyId, parameters: params },
        actor: principal,
        requestId,
      });
      return templateView(template, row);
    });
    await this.state.invalidate(orgId);
    return view;
  }

  async disableTemplate(principal: Principal, orgId: string, templateId: string, requestId?: string) {
    const template = TEMPLATES.find((t) => t.id === templateId);
    if (!template) throw notFound('Policy template');
    const view = await this.em.transactional(async (tx) => {
      const row = await queryOne(
        tx,
        sql`delete from template_enablements where org_id = ${orgId} and template_id = ${templateId} returning *`,
      );
      if (!row) return templateView(template, undefined); // not enabled: nothing to do
      if (row.policy_id) await query(tx, sql`delete from policies where id = ${row.policy_id} and org_id = ${orgId}`);
      if (template.id === 'tpl_daily_org_budget')
        await query(
          tx,
          sql`update org_settings set daily_budget_micros = null, updated_at = now() where org_id = ${orgId}`,
        );
      recordEvent(tx, {
        orgId,
        type: 'policy_template.disabled',
        subject: { type: 'policy_template', id: templateId },
        data: { templateId, policyId: row.policy_id ?? null },
        actor: principal,
        requestId,
      });
      return templateView(template, undefined);
    });
    await this.state.invalidate(orgId);
    return view;
  }
}

function templateView(template: TemplateDefinition, row: Row | undefined): TemplateView {
  return {
    id: template.id,
    name: template.name,
    description: template.description,
    defaultParameters: template.defaultParameters,
    enabled: Boolean(row),
    parameters: row ? (row.parameters as Record<string, unknown>) : null,
    policyId: row ? ((row.policy_id as string | null) ?? null) : null,
    enabledAt: row ? date(row.enabled_at) : null,
  };
}
