/**
 * Per-process governance state shared by every request: configuration and a
 * short-lived cache of each organization's enabled policies and settings, so
 * the hot path evaluates policies without a database round-trip.
 *
 * Changes invalidate the local entry at once and every other replica through
 * the bus (`governance:invalidate`); the TTL bounds staleness if a bus message
 * is lost.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageBus } from '../../kernel/bus.ts';
import type { Config } from '../../kernel/config.ts';
import type { Logger } from '../../kernel/logger.ts';
import { gateReader } from './gate-reads.ts';
import { GroupCommit } from './group-commit.ts';
import type { PolicyActionValue, PolicyRecord, RatePer, RateUnit } from './policy-engine.ts';
import { date, num, numOrNull, queryOne, sql } from './sql.ts';

export const INVALIDATION_CHANNEL = 'governance:invalidate';

export interface OrgGovernance {
  /** Enabled policies, in evaluation order. */
  policies: PolicyRecord[];
  /** The daily organization budget (template), or null. */
  dailyBudgetMicros: number | null;
  alertThresholds: number[];
  /** Whether any enabled policy limits tokens (track then counts them). */
  hasTokenLimits: boolean;
}

export type GovernanceConfig = Config['governance'] & {
  apiKeyPerMinute: number;
  production: boolean;
  /** TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: alert channel URLs may name private addresses (tests only). */
  allowPrivateTargets: boolean;
};

interface CacheEntry {
  value: Promise<OrgGovernance>;
  expiresAt: number;
}

/** Maps a `policies` row (snake_case, from SQL or json_agg) to a record. */
export function policyFromRow(row: Record<string, unknown>): PolicyRecord {
  const limit = numOrNull(row.rate_limit);
  return {
    id: String(row.id),
    orgId: String(row.org_id),
    name: String(row.name),
    description: (row.description as string | null) ?? null,
    priority: num(row.priority),
    enabled: Boolean(row.enabled),
    action: row.action as PolicyActionValue,
    match: (typeof row.match === 'string' ? JSON.parse(row.match) : (row.match ?? {})) as PolicyRecord['match'],
    maxCostMicros: numOrNull(row.max_cost_micros),
    rateLimit:
      limit === null
        ? null
        : {
            limit,
            windowSeconds: num(row.rate_window_seconds),
            unit: (row.rate_unit as RateUnit) ?? 'calls',
            per: (row.rate_per as RatePer) ?? 'organization',
          },
    templateId: (row.template_id as string | null) ?? null,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

/**
 * The workflow of each execution this process reserved lately, until its first track asks: a track
 * naming only its execution is grouped with the statements of that workflow (group-commit.ts), and
 * this saves the look-up of the workflow (a statement and a round trip per track). An execution's
 * organization and workflow never change once it is recorded; a track of another organization's
 * execution finds nothing here. Bounded: the oldest entries go first.
 */
export class RecentExecutions {
  readonly #entries = new Map<string, { orgId: string; workflowId: string }>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  remember(executionId: string, orgId: string, workflowId: string): void {
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(executionId, { orgId, workflowId });
  }

  /** The execution's workflow when this process reserved it for `orgId` (and forgets it); else undefined. */
  take(executionId: string, orgId: string): string | undefined {
    const entry = this.#entries.get(executionId);
    if (!entry || entry.orgId !== orgId) return undefined;
    this.#entries.delete(executionId);
    return entry.workflowId;
  }
}

export class GovernanceState {
  readonly config: GovernanceConfig;
  readonly bus: MessageBus;
  readonly log: Logger;
  /** The hot path's budget statements, one transaction per workflow group (group-commit.ts). */
  readonly commits = new GroupCommit();
  /** Executions reserved here, awaiting their track (saves each track the look-up of its workflow). */
  readonly recentExecutions = new RecentExecutions();
  /** The gate's budget reads, one statement per turn of the event loop (gate-reads.ts). */
  readonly gateReads = gateReader();
  readonly #cache = new Map<string, CacheEntry>();

  constructor(config: GovernanceConfig, bus: MessageBus, log: Logger) {
    this.config = config;
    this.bus = bus;
    this.log = log;
  }

  /** The organization's policies and settings, from cache when fresh. */
  forOrg(em: EntityManager, orgId: string): Promise<OrgGovernance> {
    const now = Date.now();
    const cached = this.#cache.get(orgId);
    if (cached && cached.expiresAt > now) return cached.value;
    const value = this.#load(em, orgId);
    if (this.config.policyCacheTtlMs > 0) {
      this.#cache.set(orgId, { value, expiresAt: now + this.config.policyCacheTtlMs });
      value.catch(() => this.#cache.delete(orgId));
    }
    return value;
  }

  async #load(em: EntityManager, orgId: string): Promise<OrgGovernance> {
    const row = await queryOne<{ policies: Record<string, unknown>[]; settings: Record<string, unknown> | null }>(
      em,
      sql`select
        (select coalesce(json_agg(p order by p.priority, p.created_at, p.id), '[]'::json)
           from policies p where p.org_id = ${orgId} and p.enabled) as policies,
        (select row_to_json(s) from org_settings s where s.org_id = ${orgId}) as settings`,
    );
    const policies = (row?.policies ?? []).map(policyFromRow);
    const settings = row?.settings ?? null;
    const thresholds = settings?.alert_thresholds as number[] | null | undefined;
    return {
      policies,
      dailyBudgetMicros: numOrNull(settings?.daily_budget_micros),
      alertThresholds: thresholds?.length ? thresholds : this.config.alertThresholds,
      hasTokenLimits: policies.some((p) => p.action === 'rate_limit' && p.rateLimit?.unit === 'tokens'),
    };
  }

  /** Drops the local entry now and tells the other replicas (after the change committed). */
  async invalidate(orgId: string): Promise<void> {
    this.#cache.delete(orgId);
    try {
      await this.bus.publish(INVALIDATION_CHANNEL, JSON.stringify({ orgId }));
    } catch (error) {
      this.log.warn({ err: error, orgId }, 'could not publish a governance cache invalidation');
    }
  }

  /** Applies an invalidation received from the bus. */
  onInvalidation(message: string): void {
    try {
      const { orgId } = JSON.parse(message) as { orgId?: string };
      if (orgId) this.#cache.delete(orgId);
      else this.#cache.clear();
    } catch {
      this.#cache.clear();
    }
  }
}
