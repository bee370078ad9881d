/**
 * Metering and the usage read side (docs/billing.md#metering). Every `usage.recorded` event (from
 * compute, governance's track) becomes one usage record and one debit of the prepaid balance, once
 * per event id: the record's primary key and the ledger transaction's idempotency key are both the
 * event id, written in the consumer's transaction. The emitter rated the usage with its own catalog
 * price (`amountMicros`); billing does not re-rate it.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidField } from '../../kernel/errors.ts';
import type { ConsumedEvent } from '../../kernel/event-consumers.ts';
import { decodeCursor, pageSize, toPage } from '../../kernel/pagination.ts';
import { postMany } from './ledger.ts';
import { roundedCents } from './money.ts';
import { claimTopup } from './topups.ts';

export type { ConsumedEvent };

const SOURCES = ['vm', 'replica', 'job', 'ai'] as const;
const UNITS = ['gpu_second', 'second', 'token', 'call'] as const;
const TEXT = /^[\x20-\x7e]{1,200}$/;

type Row = Record<string, unknown>;
const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

export interface UsageRecordView {
  id: string;
  usageId: string;
  source: string;
  resourceType: string;
  resourceId: string;
  quantity: number;
  unit: string;
  amountMicros: number;
  amountCents: number;
  gpuModelId: string | null;
  tier: string | null;
  gpuCount: number | null;
  jobId: string | null;
  workflowId: string | null;
  apiKeyId: string | null;
  model: string | null;
  periodStart: Date;
  periodEnd: Date;
  recordedAt: Date;
}

/** A usage.recorded payload, checked field by field: a malformed one is skipped (logged), never half-posted. */
export interface UsageData {
  usageId: string;
  source: (typeof SOURCES)[number];
  resourceType: string;
  resourceId: string;
  quantity: number;
  unit: (typeof UNITS)[number];
  amountMicros: number;
  gpuModelId: string | null;
  tier: string | null;
  gpuCount: number | null;
  jobId: string | null;
  workflowId: string | null;
  apiKeyId: string | null;
  model: string | null;
  periodStart: string;
  periodEnd: string;
}

const text = (value: unknown): string | null => (typeof value === 'string' && TEXT.test(value) ? value : null);
const time = (value: unknown): string | null =>
  typeof value === 'string' && value.length <= 64 && Number.isFinite(Date.parse(value))
    ? new Date(value).toISOString()
    : null;

export function parseUsage(data: Record<string, unknown>): UsageData | string {
  const usageId = text(data.usageId);
  const resourceType = text(data.resourceType);
  const resourceId = text(data.resourceId);
  const periodStart = time(data.periodStart);
  const periodEnd = time(data.periodEnd);
  if (!usageId || !resourceType || !resourceId) return 'usageId, resourceType and resourceId are required';
  if (!SOURCES.includes(data.source as never)) return `source must be one of ${SOURCES.join(', ')}`;
  if (!UNITS.includes(data.unit as never)) return `unit must be one of ${UNITS.join(', ')}`;
  if (!Number.isSafeInteger(data.quantity) || (data.quantity as number) < 0) return 'quantity must be an integer ≥ 0';
  if (!Number.isSafeInteger(data.amountMicros) || (data.amountMicros as number) < 0)
    return 'amountMicros must be an integer ≥ 0';
  if (data.currency !== undefined && data.currency !== 'usd') return 'currency must be usd';
  if (!periodStart || !periodEnd) return 'periodStart and periodEnd must be RFC 3339 times';
  const gpuCount = Number.isSafeInteger(data.gpuCount) ? (data.gpuCount as number) : null;
  return {
    usageId,
    source: data.source as UsageData['source'],
    resourceType,
    resourceId,
    quantity: data.quantity as number,
    unit: data.unit as UsageData['unit'],
    amountMicros: data.amountMicros as number,
    gpuModelId: text(data.gpuModelId),
    tier: text(data.tier),
    gpuCount,
    jobId: text(data.jobId),
    workflowId: text(data.workflowId),
    apiKeyId: text(data.apiKeyId),
    model: text(data.model),
    periodStart,
    periodEnd,
  };
}

/**
 * Meters one usage event inside the consumer's transaction (`meterUsages` of one). Returns whether it
 * was new, or why it was skipped.
 */
export async function meterUsage(tx: EntityManager, event: ConsumedEvent): Promise<'metered' | 'duplicate' | string> {
  return (await meterUsages(tx, [event]))[0] as string;
}

/**
 * Meters usage events inside the consumer's transaction, in order, with a fixed number of statements
 * whatever their number: their records (one insert), the debits (prepaid → revenue) of the new ones
 * (`postMany`) and, per organization with an enabled auto-recharge whose balance the debits leave below
 * its threshold, the top-up claim (the insert says which organizations have one: most have none, and
 * their batches make no claim statement). A redelivered event inserts no record and posts nothing; a malformed one is
 * skipped. Returns each event's outcome: `metered`, `duplicate` or why it was skipped.
 */
export async function meterUsages(
  tx: EntityManager,
  events: readonly ConsumedEvent[],
): Promise<('metered' | 'duplicate' | string)[]> {
  const usages = events.map((event) => parseUsage(event.data));
  const records = events.flatMap((event, i) => {
    const usage = usages[i] as UsageData | string;
    if (typeof usage === 'string') return [];
    return [
      {
        event_id: event.id,
        org_id: event.orgId,
        usage_id: usage.usageId,
        source: usage.source,
        resource_type: usage.resourceType,
        resource_id: usage.resourceId,
        quantity: usage.quantity,
        unit: usage.unit,
        amount_micros: usage.amountMicros,
        gpu_model_id: usage.gpuModelId,
        tier: usage.tier,
        gpu_count: usage.gpuCount,
        job_id: usage.jobId,
        workflow_id: usage.workflowId,
        api_key_id: usage.apiKeyId,
        model: usage.model,
        period_start: usage.periodStart,
        period_end: usage.periodEnd,
      },
    ];
  });
  const inserted = new Set<string>();
  /** Organizations of the new records with an enabled auto-recharge (the only ones a claim can be for). */
  const rechargeable = new Set<string>();
  if (records.length > 0)
    for (const row of (await tx.execute(
      `insert into usage_records (event_id, org_id, usage_id, source, resource_type, resource_id, quantity, unit,
         amount_micros, gpu_model_id, tier, gpu_count, job_id, workflow_id, api_key_id, model, period_start, period_end)
       select r.event_id, r.org_id, r.usage_id, r.source, r.resource_type, r.resource_id, r.quantity, r.unit,
         r.amount_micros, r.gpu_model_id, r.tier, r.gpu_count, r.job_id, r.workflow_id, r.api_key_id, r.model,
         r.period_start, r.period_end
       from jsonb_to_recordset(?::jsonb) as r(event_id text, org_id text, usage_id text, source text,
         resource_type text, resource_id text, quantity bigint, unit text, amount_micros bigint, gpu_model_id text,
         tier text, gpu_count integer, job_id text, workflow_id text, api_key_id text, model text,
         period_start timestamptz, period_end timestamptz)
       on conflict (event_id) do nothing
       returning event_id, org_id, exists (select 1 from auto_topups a
         where a.org_id = usage_records.org_id and a.target = 'prepaid' and a.enabled) as rechargeable`,
      [JSON.stringify(records)],
    )) as Row[]) {
      inserted.add(String(row.event_id));
      if (row.rechargeable === true) rechargeable.add(String(row.org_id));
    }
  const debited = events.flatMap((event, i) => {
    const usage = usages[i] as UsageData | string;
    return typeof usage !== 'string' && inserted.has(event.id) && usage.amountMicros > 0 ? [{ event, usage }] : [];
  });
  const posted = await postMany(
    tx,
    debited.map(({ event, usage }) => {
      return {
        orgId: event.orgId,
        idempotencyKey: `usage:${event.id}`,
        kind: 'usage' as const,
        description: `${usage.source} ${usage.resourceType} ${usage.resourceId}: ${usage.quantity} ${usage.unit}`,
        cause: { type: 'usage', id: event.id },
        legs: [
          { account: 'prepaid' as const, amount: -usage.amountMicros },
          { account: 'revenue' as const, amount: usage.amountMicros },
        ],
      };
    }),
  );
  // Debits only lower the balance: each organization's last one is its lowest (one claim at most anyway).
  const lowest = new Map<string, number>();
  posted.forEach((result, i) => {
    if (!result.duplicate && result.balances.prepaid !== undefined)
      lowest.set((debited[i] as { event: ConsumedEvent }).event.orgId, result.balances.prepaid);
  });
  for (const [orgId, balance] of lowest) if (rechargeable.has(orgId)) await claimTopup(tx, orgId, 'prepaid', balance);
  return events.map((event, i) => {
    const usage = usages[i] as UsageData | string;
    if (typeof usage === 'string') return usage;
    return inserted.has(event.id) ? 'metered' : 'duplicate';
  });
}

function recordView(r: Row): UsageRecordView {
  return {
    id: String(r.event_id),
    usageId: String(r.usage_id),
    source: String(r.source),
    resourceType: String(r.resource_type),
    resourceId: String(r.resource_id),
    quantity: num(r.quantity),
    unit: String(r.unit),
    amountMicros: num(r.amount_micros),
    amountCents: roundedCents(num(r.amount_micros)),
    gpuModelId: (r.gpu_model_id as string | null) ?? null,
    tier: (r.tier as string | null) ?? null,
    gpuCount: r.gpu_count == null ? null : num(r.gpu_count),
    jobId: (r.job_id as string | null) ?? null,
    workflowId: (r.workflow_id as string | null) ?? null,
    apiKeyId: (r.api_key_id as string | null) ?? null,
    model: (r.model as string | null) ?? null,
    periodStart: new Date(r.period_start as string),
    periodEnd: new Date(r.period_end as string),
    recordedAt: new Date(r.recorded_at as string),
  };
}

const asDate = (value: Date | string | null | undefined, field: string): string | null => {
  if (value == null) return null;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw invalidField(field, `${field} must be an RFC 3339 time`);
  return d.toISOString();
};

/** The first instant of the current calendar month (UTC) and of the next. */
export function currentMonth(now = new Date()): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}

export interface MonthTotals {
  amountMicros: number;
  gpuSeconds: number;
  aiCalls: number;
}

export class UsageService {
  private readonly em: EntityManager;

  constructor(em: EntityManager) {
    this.em = em;
  }

  async records(
    orgId: string,
    args: {
      from?: Date | string | null;
      to?: Date | string | null;
      source?: string | null;
      apiKeyId?: string | null;
      limit?: number | null;
      cursor?: string | null;
    },
  ) {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { t: 'time', i: 'text' });
    const from = asDate(args.from, 'from');
    const to = asDate(args.to, 'to');
    if (args.source != null && !SOURCES.includes(args.source as never))
      throw invalidField('source', `source must be one of ${SOURCES.join(', ')}`);
    const rows = (await this.em.execute(
      `select * from usage_records
       where org_id = ? and (?::timestamptz is null or period_end >= ?::timestamptz)
         and (?::timestamptz is null or period_end < ?::timestamptz)
         and (?::text is null or source = ?) and (?::text is null or api_key_id = ?)
         and (?::timestamptz is null or (period_end, event_id) < (?::timestamptz, ?))
       order by period_end desc, event_id desc limit ?`,
      [
        orgId,
        from,
        from,
        to,
        to,
        args.source ?? null,
        args.source ?? null,
        args.apiKeyId ?? null,
        args.apiKeyId ?? null,
        after?.t ?? null,
        after?.t ?? null,
        after?.i ?? null,
        limit + 1,
      ],
    )) as Row[];
    const page = toPage(rows, limit, (r) => ({
      t: new Date(r.period_end as string).toISOString(),
      i: String(r.event_id),
    }));
    return { items: page.items.map(recordView), nextCursor: page.nextCursor };
  }

  /** Totals with breakdowns by source, unit and model / GPU model and tier, over [from, to). */
  async summary(orgId: string, args: { from?: Date | string | null; to?: Date | string | null }) {
    const month = currentMonth();
    const from = asDate(args.from, 'from') ?? month.start.toISOString();
    const to = asDate(args.to, 'to') ?? month.end.toISOString();
    const rows = (await this.em.execute(
      `select source, unit, coalesce(model, gpu_model_id) as model, tier,
         grouping(source) as g_source, grouping(unit) as g_unit, grouping(tier) as g_model,
         count(*) as records, sum(quantity) as quantity, sum(amount_micros) as amount
       from usage_records where org_id = ? and period_end >= ? and period_end < ?
       group by grouping sets ((source), (unit), (source, coalesce(model, gpu_model_id), tier), ())`,
      [orgId, from, to],
    )) as Row[];
    const line = (r: Row) => ({
      records: num(r.records),
      quantity: num(r.quantity),
      amountMicros: num(r.amount),
      amountCents: roundedCents(num(r.amount)),
    });
    // grouping(x) is 1 where x is aggregated away: tells each grouping set's rows apart (a real null stays 0).
    const set = (r: Row, source: number, unit: number, model: number) =>
      num(r.g_source) === source && num(r.g_unit) === unit && num(r.g_model) === model;
    const total = rows.find((r) => set(r, 1, 1, 1));
    const bySource = rows.filter((r) => set(r, 0, 1, 1));
    const byUnit = rows.filter((r) => set(r, 1, 0, 1));
    const byModel = rows.filter((r) => set(r, 0, 1, 0));
    return {
      orgId,
      from: new Date(from),
      to: new Date(to),
      total: line(total ?? {}),
      bySource: bySource.map((r) => ({ source: r.source as string, ...line(r) })),
      byUnit: byUnit.map((r) => ({ unit: r.unit as string, ...line(r) })),
      byModel: byModel.map((r) => ({
        source: r.source as string,
        model: (r.model as string | null) ?? null,
        tier: (r.tier as string | null) ?? null,
        ...line(r),
      })),
    };
  }

  /** One job's cost: every usage record naming it (zero when the caller's organization has none). */
  async job(orgId: string, jobId: string) {
    const rows = (await this.em.execute(
      `select count(*) as records, coalesce(sum(amount_micros), 0) as amount,
         coalesce(sum(quantity) filter (where unit = 'gpu_second'), 0) as gpu_seconds,
         min(period_start) as first_at, max(period_end) as last_at
       from usage_records where org_id = ? and job_id = ?`,
      [orgId, jobId],
    )) as Row[];
    const r = rows[0] ?? {};
    return {
      jobId,
      orgId,
      records: num(r.records),
      amountMicros: num(r.amount),
      amountCents: roundedCents(num(r.amount)),
      gpuSeconds: num(r.gpu_seconds),
      gpuHours: num(r.gpu_seconds) / 3600,
      firstAt: r.first_at ? new Date(r.first_at as string) : null,
      lastAt: r.last_at ? new Date(r.last_at as string) : null,
    };
  }

  /** This calendar month (UTC): total cents, GPU hours, and per GPU model and tier. */
  async current(orgId: string) {
    const { start, end } = currentMonth();
    const rows = (await this.em.execute(
      `select gpu_model_id, tier, grouping(gpu_model_id, tier) as g, sum(amount_micros) as amount,
         sum(quantity) filter (where unit = 'gpu_second') as gpu_seconds
       from usage_records where org_id = ? and period_end >= ? and period_end < ?
       group by grouping sets ((gpu_model_id, tier), ())`,
      [orgId, start.toISOString(), end.toISOString()],
    )) as Row[];
    const isTotal = (r: Row) => num(r.g) !== 0;
    const grand = rows.find(isTotal) ?? {};
    return {
      orgId,
      periodStart: start,
      periodEnd: end,
      totalMicros: num(grand.amount),
      totalCents: roundedCents(num(grand.amount)),
      gpuHours: num(grand.gpu_seconds) / 3600,
      byGpu: rows
        .filter((r) => !isTotal(r) && r.gpu_model_id !== null)
        .map((r) => ({
          gpuModelId: String(r.gpu_model_id),
          tier: (r.tier as string | null) ?? null,
          hours: num(r.gpu_seconds) / 3600,
          amountMicros: num(r.amount),
          cents: roundedCents(num(r.amount)),
        })),
    };
  }

  /** This month's figures the plan limits are measured against. */
  async monthTotals(orgId: string): Promise<MonthTotals> {
    const { start, end } = currentMonth();
    const rows = (await this.em.execute(
      `select coalesce(sum(amount_micros), 0) as amount,
         coalesce(sum(quantity) filter (where unit = 'gpu_second'), 0) as gpu_seconds,
         count(*) filter (where source = 'ai') as ai_calls
       from usage_records where org_id = ? and period_end >= ? and period_end < ?`,
      [orgId, start.toISOString(), end.toISOString()],
    )) as Row[];
    const r = rows[0] ?? {};
    return { amountMicros: num(r.amount), gpuSeconds: num(r.gpu_seconds), aiCalls: num(r.ai_calls) };
  }
}
