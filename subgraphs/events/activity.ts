/**
 * The activity log (seed 004): entries clients write about what their agents,
 * systems and users did (actor, action, target, metadata). Kept apart from the
 * audit trail, which the server records itself from the event log and which
 * clients cannot write (docs/notifications.md).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidField } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { toIsoTimestamp } from '../../kernel/outbox-relay.ts';
import { decodeCursor, type Page, pageSize, toPage } from '../../kernel/pagination.ts';
import type { Principal } from '../../kernel/principal.ts';

export const ACTOR_TYPES = ['agent', 'system', 'user'] as const;
type ActorType = (typeof ACTOR_TYPES)[number];

export interface ActivityView {
  id: string;
  orgId: string;
  actorType: ActorType;
  actorId: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
}

interface ActivityRow {
  id: string;
  org_id: string;
  actor_type: ActorType;
  actor_id: string;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  metadata: Record<string, unknown> | string;
  created_at: string | Date;
}

const viewOf = (row: ActivityRow): ActivityView => ({
  id: row.id,
  orgId: row.org_id,
  actorType: row.actor_type,
  actorId: row.actor_id,
  action: row.action,
  entityType: row.entity_type,
  entityId: row.entity_id,
  metadata: typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata,
  createdAt: toIsoTimestamp(row.created_at),
});

const ACTION = /^[A-Za-z0-9_.:\-/]{1,100}$/;
const MAX_METADATA_BYTES = 16 * 1024;
const MAX_STATS_DAYS = 366;

function actorType(value: unknown, field: string): ActorType {
  const type = String(value ?? '').toLowerCase();
  if (!ACTOR_TYPES.includes(type as ActorType)) throw invalidField(field, 'actorType must be AGENT, SYSTEM or USER');
  return type as ActorType;
}

function boundedText(value: unknown, field: string, max: number, required: boolean): string | null {
  if (value == null || value === '') {
    if (required) throw invalidField(field, `${field.split('.').pop()} is required`);
    return null;
  }
  if (typeof value !== 'string' || value.trim() === '' || value.length > max)
    throw invalidField(field, `${field.split('.').pop()} must be 1 to ${max} characters`);
  return value.trim();
}

export interface ActivityInput {
  actorType?: unknown;
  actorId?: unknown;
  action?: unknown;
  entityType?: unknown;
  entityId?: unknown;
  metadata?: unknown;
}

export class ActivityService {
  private readonly em: EntityManager;
  private readonly principal: Principal;

  constructor(em: EntityManager, principal: Principal) {
    this.em = em;
    this.principal = principal;
  }

  async record(orgId: string, input: ActivityInput): Promise<ActivityView> {
    const action = boundedText(input.action, 'input.action', 100, true) as string;
    if (!ACTION.test(action)) throw invalidField('input.action', 'action may hold letters, digits and _ . : - /');
    const metadata = input.metadata ?? {};
    if (typeof metadata !== 'object' || Array.isArray(metadata) || metadata === null)
      throw invalidField('input.metadata', 'metadata must be an object');
    if (Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES)
      throw invalidField('input.metadata', 'metadata must be at most 16 KiB of JSON');
    const [row] = await this.em.execute<ActivityRow[]>(
      `insert into activity_log (id, org_id, actor_type, actor_id, action, entity_type, entity_id, metadata, recorded_by)
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) returning *`,
      [
        newId('act'),
        orgId,
        actorType(input.actorType, 'input.actorType'),
        boundedText(input.actorId, 'input.actorId', 200, true),
        action,
        boundedText(input.entityType, 'input.entityType', 100, false),
        boundedText(input.entityId, 'input.entityId', 200, false),
        JSON.stringify(metadata),
        this.principal.id,
      ],
    );
    return viewOf(row as ActivityRow);
  }

  async list(
    orgId: string,
    args: {
      actorType?: string | null;
      actorId?: string | null;
      action?: string | null;
      from?: Date | string | null;
      to?: Date | string | null;
      limit?: number | null;
      cursor?: string | null;
    },
  ): Promise<Page<ActivityView>> {
    const limit = pageSize(args.limit);
    const cursor = decodeCursor(args.cursor, { c: 'time', i: 'text' });
    const type = args.actorType ? actorType(args.actorType, 'actorType') : null;
    const actorId = boundedText(args.actorId, 'actorId', 200, false);
    const action = boundedText(args.action, 'action', 100, false);
    const from = timeArg(args.from, 'from');
    const to = timeArg(args.to, 'to');
    const rows = await this.em.execute<ActivityRow[]>(
      `select * from activity_log
        where org_id = ?
          and (?::text is null or actor_type = ?::text)
          and (?::text is null or actor_id = ?::text)
          and (?::text is null or action = ?::text)
          and (?::timestamptz is null or created_at >= ?::timestamptz)
          and (?::timestamptz is null or created_at < ?::timestamptz)
          and (?::timestamptz is null or (created_at, id) < (?::timestamptz, ?::text))
        order by created_at desc, id desc
        limit ?`,
      [
        orgId,
        type,
        type,
        actorId,
        actorId,
        action,
        action,
        from,
        from,
        to,
        to,
        cursor?.c ?? null,
        cursor?.c ?? null,
        cursor?.i ?? null,
        limit + 1,
      ],
    );
    return toPage(rows.map(viewOf), limit, (a) => ({ c: a.createdAt, i: a.id }));
  }

  /** Counts over the last `days` days (UTC): total, by action (most frequent first, top 50), by day. */
  async stats(orgId: string, days: number | null | undefined) {
    const window = days ?? 30;
    if (!Number.isInteger(window) || window < 1 || window > MAX_STATS_DAYS)
      throw invalidField('days', `days must be between 1 and ${MAX_STATS_DAYS}`);
    const since = `clock_timestamp() - (? * interval '1 day')`;
    const [byAction, byDay, byActor] = await Promise.all([
      this.em.execute<{ action: string; n: string }[]>(
        `select action, count(*) as n from activity_log where org_id = ? and created_at >= ${since}
          group by action order by n desc, action limit 50`,
        [orgId, window],
      ),
      this.em.execute<{ day: string; n: string }[]>(
        `select to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(*) as n
           from activity_log where org_id = ? and created_at >= ${since} group by 1 order by 1`,
        [orgId, window],
      ),
      this.em.execute<{ actor_type: string; n: string }[]>(
        `select actor_type, count(*) as n from activity_log where org_id = ? and created_at >= ${since}
          group by actor_type order by actor_type`,
        [orgId, window],
      ),
    ]);
    const byDayCounts = byDay.map((r) => ({ day: r.day, count: Number(r.n) }));
    return {
      orgId,
      days: window,
      total: byDayCounts.reduce((sum, d) => sum + d.count, 0),
      byAction: byAction.map((r) => ({ action: r.action, count: Number(r.n) })),
      byDay: byDayCounts,
      byActorType: byActor.map((r) => ({ actorType: r.actor_type, count: Number(r.n) })),
    };
  }
}

function timeArg(value: Date | string | null | undefined, field: string): string | null {
  if (value == null || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw invalidField(field, `${field} must be RFC 3339`);
  return date.toISOString();
}
