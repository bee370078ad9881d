/**
 * The notifications inbox (seed 004): per-user notifications in an organization,
 * written by services (alert delivery) and administrators, read and marked read
 * by their user. Each new notification records `notification.created`
 * (`{ notificationId, userId, type, source }` — never its text), which reaches the
 * user's `notificationReceived` subscription and the event streams.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidField, notFound, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { toIsoTimestamp } from '../../kernel/outbox-relay.ts';
import { decodeCursor, type Page, pageSize, toPage } from '../../kernel/pagination.ts';
import type { Principal } from '../../kernel/principal.ts';
import { servicePrincipal } from '../../kernel/principal.ts';

export const NOTIFICATION_TYPES = ['info', 'warning', 'error', 'success'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export interface NotificationView {
  id: string;
  orgId: string;
  userId: string;
  type: NotificationType;
  title: string;
  message: string;
  source: string | null;
  link: string | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

interface NotificationRow {
  id: string;
  org_id: string;
  user_id: string;
  type: NotificationType;
  title: string;
  message: string;
  source: string | null;
  link: string | null;
  read_at: string | Date | null;
  created_at: string | Date;
}

const viewOf = (row: NotificationRow): NotificationView => ({
  id: row.id,
  orgId: row.org_id,
  userId: row.user_id,
  type: row.type,
  title: row.title,
  message: row.message,
  source: row.source,
  link: row.link,
  read: row.read_at !== null,
  readAt: row.read_at === null ? null : toIsoTimestamp(row.read_at),
  createdAt: toIsoTimestamp(row.created_at),
});

export interface NewNotification {
  userId: string;
  type: NotificationType;
  title: string;
  message: string;
  source?: string | null;
  link?: string | null;
  /** The event that caused it: at most one notification per (user, event). */
  sourceEventId?: string | null;
}

const LIMITS = { title: 200, message: 2000, source: 100, link: 2000 };

/** Validates what a client asks to create (field names as the client sent them, under `input.`). */
export function validateNotificationInput(input: {
  title?: unknown;
  message?: unknown;
  type?: unknown;
  source?: unknown;
  link?: unknown;
}): Omit<NewNotification, 'userId'> {
  const text = (field: keyof typeof LIMITS, value: unknown, required: boolean): string | null => {
    if (value == null || value === '') {
      if (required) throw invalidField(`input.${field}`, `${field} is required`);
      return null;
    }
    if (typeof value !== 'string') throw invalidField(`input.${field}`, `${field} must be a string`);
    const trimmed = value.trim();
    if (required && trimmed === '') throw invalidField(`input.${field}`, `${field} is required`);
    if (trimmed.length > LIMITS[field])
      throw invalidField(`input.${field}`, `${field} must be at most ${LIMITS[field]} characters`);
    return trimmed;
  };
  const type = String(input.type ?? 'info').toLowerCase();
  if (!NOTIFICATION_TYPES.includes(type as NotificationType))
    throw invalidField('input.type', 'type must be INFO, WARNING, ERROR or SUCCESS');
  const link = text('link', input.link, false);
  if (link && !/^(\/[^\s]*|https?:\/\/[^\s]+)$/.test(link))
    throw invalidField('input.link', 'link must be a path (/…) or an http(s) URL');
  return {
    type: type as NotificationType,
    title: text('title', input.title, true) as string,
    message: text('message', input.message, true) as string,
    source: text('source', input.source, false),
    link,
  };
}

/** Inserts notifications (skipping a user already notified of the same event) and records `notification.created`. */
export async function insertNotifications(
  tx: EntityManager,
  orgId: string,
  notifications: NewNotification[],
  actor?: Principal,
): Promise<NotificationView[]> {
  const created: NotificationView[] = [];
  for (const n of notifications) {
    const [row] = await tx.execute<NotificationRow[]>(
      `insert into notifications (id, org_id, user_id, type, title, message, source, link, source_event_id, created_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (user_id, source_event_id) do nothing
       returning *`,
      [
        newId('ntf'),
        orgId,
        n.userId,
        n.type,
        n.title,
        n.message,
        n.source ?? null,
        n.link ?? null,
        n.sourceEventId ?? null,
        actor?.id ?? null,
      ],
    );
    if (!row) continue;
    const view = viewOf(row);
    created.push(view);
    recordEvent(tx, {
      orgId,
      type: 'notification.created',
      subject: { type: 'notification', id: view.id },
      data: { notificationId: view.id, userId: view.userId, type: view.type, source: view.source },
      actor: actor ?? servicePrincipal('events'),
    });
  }
  return created;
}

/** Whether `userId` is a member of `orgId` (asked of identity: events never reads its tables). */
export type IsMember = (orgId: string, userId: string) => Promise<boolean>;

export class NotificationService {
  private readonly em: EntityManager;
  private readonly principal: Principal;
  private readonly isMember: IsMember;

  constructor(em: EntityManager, principal: Principal, isMember: IsMember) {
    this.em = em;
    this.principal = principal;
    this.isMember = isMember;
  }

  /** The signed-in user whose inbox this is (API keys act for an organization, not a person). */
  #user(): string {
    if (this.principal.kind !== 'user' || !this.principal.userId)
      throw new TrellisError('forbidden', 'Notifications belong to a user: use a session, not an API key');
    return this.principal.userId;
  }

  async list(
    orgId: string,
    args: { read?: boolean | null; type?: string | null; limit?: number | null; cursor?: string | null },
  ): Promise<Page<NotificationView>> {
    const userId = this.#user();
    const limit = pageSize(args.limit);
    const cursor = decodeCursor(args.cursor, { c: 'time', i: 'text' });
    const type = args.type ? args.type.toLowerCase() : null;
    if (type && !NOTIFICATION_TYPES.includes(type as NotificationType))
      throw invalidField('type', 'type must be INFO, WARNING, ERROR or SUCCESS');
    const rows = await this.em.execute<NotificationRow[]>(
      `select * from notifications
        where org_id = ? and user_id = ?
          and (?::boolean is null or (read_at is not null) = ?::boolean)
          and (?::text is null or type = ?::text)
          and (?::timestamptz is null or (created_at, id) < (?::timestamptz, ?::text))
        order by created_at desc, id desc
        limit ?`,
      [
        orgId,
        userId,
        args.read ?? null,
        args.read ?? null,
        type,
        type,
        cursor?.c ?? null,
        cursor?.c ?? null,
        cursor?.i ?? null,
        limit + 1,
      ],
    );
    return toPage(rows.map(viewOf), limit, (n) => ({ c: n.createdAt, i: n.id }));
  }

  async unreadCount(orgId: string): Promise<number> {
    const [row] = await this.em.execute<{ n: string }[]>(
      'select count(*) as n from notifications where org_id = ? and user_id = ? and read_at is null',
      [orgId, this.#user()],
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Creates a notification for `userId` (an administrator or a service) or for the caller
   * (`userId` omitted). Authorization (`notifications:write`) is declared on the field.
   */
  async create(
    orgId: string,
    input: Parameters<typeof validateNotificationInput>[0] & { userId?: string | null },
  ): Promise<NotificationView> {
    const fields = validateNotificationInput(input);
    const userId = input.userId?.trim() || this.#user();
    if (userId.length > 100) throw invalidField('input.userId', 'userId is too long');
    if (userId !== this.principal.userId && !(await this.isMember(orgId, userId)))
      throw new TrellisError('not_found', 'No such member in this organization', { field: 'input.userId' });
    return this.em.transactional(async (tx) => {
      const [created] = await insertNotifications(tx, orgId, [{ ...fields, userId }], this.principal);
      return created as NotificationView;
    });
  }

  async markRead(orgId: string, id: string): Promise<NotificationView> {
    const userId = this.#user();
    const [row] = await this.em.execute<NotificationRow[]>(
      `update notifications set read_at = coalesce(read_at, clock_timestamp())
        where id = ? and org_id = ? and user_id = ? returning *`,
      [id, orgId, userId],
    );
    if (!row) throw notFound('Notification');
    return viewOf(row);
  }

  /** Marks every unread notification of the caller in the organization read; returns how many. */
  async markAllRead(orgId: string): Promise<number> {
    const rows = await this.em.execute<{ id: string }[]>(
      `update notifications set read_at = clock_timestamp()
        where org_id = ? and user_id = ? and read_at is null returning id`,
      [orgId, this.#user()],
    );
    return rows.length;
  }
}
