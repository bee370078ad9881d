/**
 * Budget alerts (raised once per period and threshold when spend crosses it),
 * alert channels (where alerts go: an email address or a webhook URL),
 * per-user notification settings and the organization's alert thresholds.
 */
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { boundWorkflowOf } from '../../kernel/authz.ts';
import { invalidField, notFound, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { decodeCursor, type Page, pageSize, toPage } from '../../kernel/pagination.ts';
import type { Principal } from '../../kernel/principal.ts';
import { type SecretBox, sha256Hex } from '../../kernel/secrets.ts';
import { checkOutboundUrl } from '../../kernel/url-guard.ts';
import { actorIdOf } from './access.ts';
import {
  date,
  dateOrNull,
  isUniqueViolation,
  num,
  query,
  queryOne,
  type Row,
  sql,
  strOrNull,
  textArray,
} from './sql.ts';
import type { GovernanceState } from './state.ts';

export interface Crossing {
  kind: 'workflow_budget' | 'org_daily_budget';
  workflowId: string | null;
  thresholdPercent: number;
  /** Identifies the budget period, so each threshold fires once per period. */
  periodKey: string;
  budgetMicros: number;
  spentMicros: number;
}

export interface AlertView {
  id: string;
  orgId: string;
  kind: Crossing['kind'];
  workflowId: string | null;
  thresholdPercent: number;
  budgetMicros: number;
  spentMicros: number;
  message: string;
  createdAt: Date;
  dismissedAt: Date | null;
  dismissedBy: string | null;
}

export const alertFromRow = (row: Row): AlertView => ({
  id: String(row.id),
  orgId: String(row.org_id),
  kind: row.kind as Crossing['kind'],
  workflowId: strOrNull(row.workflow_id),
  thresholdPercent: num(row.threshold_percent),
  budgetMicros: num(row.budget_micros),
  spentMicros: num(row.spent_micros),
  message: String(row.message),
  createdAt: date(row.created_at),
  dismissedAt: dateOrNull(row.dismissed_at),
  dismissedBy: strOrNull(row.dismissed_by),
});

export interface AlertChannelView {
  id: string;
  orgId: string;
  kind: 'email' | 'webhook' | 'slack';
  /** An email address, a webhook URL, or a Slack URL's masked form (the URL is a credential, kept sealed). */
  target: string;
  name: string | null;
  enabled: boolean;
  createdAt: Date;
  /** A webhook channel's signing secret: only in the creation response. */
  signingSecret?: string | null;
}

const channelFromRow = (row: Row): AlertChannelView => ({
  id: String(row.id),
  orgId: String(row.org_id),
  kind: row.kind as AlertChannelView['kind'],
  target: String(row.target),
  name: strOrNull(row.name),
  enabled: Boolean(row.enabled),
  createdAt: date(row.created_at),
});

const EMAIL = z.email();
/** The Standard Webhooks format, like event webhooks' secrets. */
const newWebhookSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
const EVENT_TYPE = /^[a-z_]+(\.[a-z_*]+)*$/;
const DIGESTS = ['none', 'daily', 'weekly'];

function validateThresholds(values: number[], field: string): number[] {
  if (values.length > 10) throw invalidField(field, 'at most 10 thresholds');
  for (const v of values)
    if (!Number.isInteger(v) || v < 1 || v > 1000)
      throw invalidField(field, 'thresholds are whole percentages from 1 to 1000');
  return [...new Set(values)].sort((a, b) => a - b);
}

export class AlertService {
  private readonly em: EntityManager;
  private readonly state: GovernanceState;

  private readonly box?: SecretBox;

  /** Without `box` (some direct tests) webhook and Slack channels cannot be created. */
  constructor(em: EntityManager, state: GovernanceState, box?: SecretBox) {
    this.em = em;
    this.state = state;
    this.box = box;
  }

  /** Records the crossings that were not raised yet in their period, each with an `alert.triggered` event. */
  async raise(
    principal: Principal | null,
    orgId: string,
    crossings: Crossing[],
    requestId?: string,
  ): Promise<AlertView[]> {
    return this.em.transactional(async (tx) => {
      const raised: AlertView[] = [];
      // Read once, and only when an alert is actually raised.
      let channels: Record<string, unknown>[] | undefined;
      for (const c of crossings) {
        const subject = c.kind === 'workflow_budget' ? `Workflow ${c.workflowId}` : 'The organization’s daily budget';
        const message = `${subject} reached ${c.thresholdPercent}% of its budget (${c.spentMicros} of ${c.budgetMicros} micro-dollars)`;
        const row = await queryOne(
          tx,
          sql`insert into alerts (id, org_id, kind, workflow_id, threshold_percent, period_key, budget_micros, spent_micros, message, created_at)
              values (${newId('alr')}, ${orgId}, ${c.kind}, ${c.workflowId}, ${c.thresholdPercent}, ${c.periodKey},
                ${c.budgetMicros}, ${c.spentMicros}, ${message}, now())
              on conflict (org_id, kind, coalesce(workflow_id, ''), period_key, threshold_percent) do nothing
              returning *`,
        );
        if (!row) continue;
        const alert = alertFromRow(row);
        raised.push(alert);
        channels ??= await query(
          tx,
          sql`select kind, target from alert_channels where org_id = ${orgId} and enabled order by id`,
        );
        recordEvent(tx, {
          orgId,
          type: 'alert.triggered',
          subject: { type: 'alert', id: alert.id },
          data: {
            alertId: alert.id,
            kind: alert.kind,
            workflowId: alert.workflowId,
            thresholdPercent: alert.thresholdPercent,
            budgetMicros: alert.budgetMicros,
            spentMicros: alert.spentMicros,
            message,
            // Where the notifier delivers it (email addresses, webhook URLs).
            channels: channels.map((ch) => ({ kind: ch.kind, target: ch.target })),
          },
          actor: principal ?? undefined,
          requestId,
        });
      }
      return raised;
    });
  }

  /** The organization's alerts; for a workflow-bound caller its workflow's and the organization-wide ones. */
  async list(
    principal: Principal,
    orgId: string,
    args: { includeDismissed?: boolean | null; limit?: number | null; cursor?: string | null },
  ): Promise<Page<AlertView>> {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { i: 'text' })?.i ?? null;
    const bound = boundWorkflowOf(principal);
    const rows = await query(
      this.em,
      sql`select * from alerts
          where org_id = ${orgId}
            and (${bound}::text is null or workflow_id is null or workflow_id = ${bound})
            and (${Boolean(args.includeDismissed)} or dismissed_at is null)
            and (${after}::text is null or id collate "C" < ${after}::text)
          order by id collate "C" desc
          limit ${limit + 1}`,
    );
    return toPage(rows.map(alertFromRow), limit, (a) => ({ i: a.id }));
  }

  async dismiss(principal: Principal, orgId: string, alertId: string, requestId?: string): Promise<AlertView> {
    return this.em.transactional(async (tx) => {
      const row = await queryOne(
        tx,
        sql`update alerts set dismissed_at = now(), dismissed_by = ${actorIdOf(principal)}
            where id = ${alertId} and org_id = ${orgId} and dismissed_at is null
            returning *`,
      );
      if (!row) {
        const existing = await queryOne(tx, sql`select * from alerts where id = ${alertId} and org_id = ${orgId}`);
        if (!existing) throw notFound('Alert');
        return alertFromRow(existing); // already dismissed: idempotent
      }
      const alert = alertFromRow(row);
      recordEvent(tx, {
        orgId,
        type: 'alert.dismissed',
        subject: { type: 'alert', id: alert.id },
        data: {
          alertId: alert.id,
          kind: alert.kind,
          workflowId: alert.workflowId,
          thresholdPercent: alert.thresholdPercent,
        },
        actor: principal,
        requestId,
      });
      return alert;
    });
  }

  // ------------------------------------------------------------------------------------------
  // channels
  // ------------------------------------------------------------------------------------------

  async channels(orgId: string): Promise<AlertChannelView[]> {
    const rows = await query(
      this.em,
      sql`select * from alert_channels where org_id = ${orgId} order by id collate "C"`,
    );
    return rows.map(channelFromRow);
  }

  async createChannel(
    principal: Principal,
    orgId: string,
    input: { kind: string; target: string; name?: string | null; enabled?: boolean | null },
    requestId?: string,
  ): Promise<AlertChannelView> {
    const kind = input.kind.toLowerCase();
    const target = input.target.trim();
    if (kind === 'email') {
      if (!EMAIL.safeParse(target).success || target.length > 254)
        throw invalidField('input.target', 'target must be an email address');
    } else if (kind !== 'webhook' && kind !== 'slack')
      throw invalidField('input.kind', 'kind must be EMAIL, WEBHOOK or SLACK');
    if (target.length > 2000) throw invalidField('input.target', 'target must be at most 2000 characters');
    const name = input.name?.trim() || null;
    if (name && name.length > 100) throw invalidField('input.name', 'name must be at most 100 characters');
    // The same guard as event webhooks: whoever delivers alerts will call this URL from inside.
    const normalized =
      kind === 'email'
        ? target.toLowerCase()
        : await checkOutboundUrl(target, 'input.target', {
            allowPrivate: this.state.config.allowPrivateTargets,
            requireHttps: this.state.config.production,
          });
    const id = newId('ach');
    const sealed = this.#channelSecret(id, kind, normalized);
    try {
      return await this.em.transactional(async (tx) => {
        const row = await queryOne(
          tx,
          sql`insert into alert_channels (id, org_id, kind, target, name, enabled, created_by, created_at, secret_sealed)
              values (${id}, ${orgId}, ${kind}, ${sealed.target}, ${name}, ${input.enabled ?? true},
                ${actorIdOf(principal)}, now(), ${sealed.secretSealed})
              returning *`,
        );
        const channel = { ...channelFromRow(row as Row), signingSecret: sealed.signingSecret };
        recordEvent(tx, {
          orgId,
          type: 'alert_channel.created',
          subject: { type: 'alert_channel', id: channel.id },
          data: { channelId: channel.id, kind, name, enabled: channel.enabled },
          actor: principal,
          requestId,
        });
        return channel;
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new TrellisError('already_exists', 'This organization already has that alert channel', {
          field: 'input.target',
        });
      throw error;
    }
  }

  /**
   * What a channel keeps sealed: a webhook's new signing secret (shown once), a Slack URL (a
   * credential: its masked form is what `target` shows). Email channels keep nothing.
   */
  #channelSecret(
    id: string,
    kind: string,
    target: string,
  ): { target: string; secretSealed: string | null; signingSecret: string | null } {
    if (kind === 'email') return { target, secretSealed: null, signingSecret: null };
    if (!this.box) throw new TrellisError('service_unavailable', 'Alert channels with URLs need the secret box');
    if (kind === 'slack') {
      const url = new URL(target);
      const masked = `${url.origin}/…${sha256Hex(target).slice(0, 12)}`;
      return { target: masked, secretSealed: this.box.seal(target, id), signingSecret: null };
    }
    const secret = newWebhookSigningSecret();
    return { target, secretSealed: this.box.seal(secret, id), signingSecret: secret };
  }

  async deleteChannel(principal: Principal, orgId: string, id: string, requestId?: string): Promise<boolean> {
    return this.em.transactional(async (tx) => {
      const row = await queryOne(
        tx,
        sql`delete from alert_channels where id = ${id} and org_id = ${orgId} returning id, kind`,
      );
      if (!row) throw notFound('Alert channel');
      recordEvent(tx, {
        orgId,
        type: 'alert_channel.deleted',
        subject: { type: 'alert_channel', id },
        data: { channelId: id, kind: row.kind },
        actor: principal,
        requestId,
      });
      return true;
    });
  }

  // ------------------------------------------------------------------------------------------
  // notification settings (per user) and organization thresholds
  // ------------------------------------------------------------------------------------------

  #userOf(principal: Principal): string {
    if (!principal.userId) throw new TrellisError('forbidden', 'Notification settings belong to a user');
    return principal.userId;
  }

  async notificationSettings(principal: Principal, orgId: string) {
    const userId = this.#userOf(principal);
    const row = await queryOne(
      this.em,
      sql`select * from notification_settings where org_id = ${orgId} and user_id = ${userId}`,
    );
    return settingsView(orgId, userId, row);
  }

  async updateNotificationSettings(
    principal: Principal,
    orgId: string,
    input: {
      emailEnabled?: boolean | null;
      inAppEnabled?: boolean | null;
      alertThresholds?: number[] | null;
      events?: string[] | null;
      digest?: string | null;
    },
  ) {
    const userId = this.#userOf(principal);
    const thresholds =
      input.alertThresholds === undefined
        ? undefined
        : input.alertThresholds === null
          ? null
          : validateThresholds(input.alertThresholds, 'input.alertThresholds');
    if (input.events) {
      if (input.events.length > 50) throw invalidField('input.events', 'at most 50 event types');
      for (const e of input.events)
        if (!EVENT_TYPE.test(e) || e.length > 100) throw invalidField('input.events', `"${e}" is not an event type`);
    }
    const digest = input.digest ? input.digest.toLowerCase() : null;
    if (digest && !DIGESTS.includes(digest)) throw invalidField('input.digest', 'digest must be NONE, DAILY or WEEKLY');
    const row = await queryOne(
      this.em,
      sql`insert into notification_settings as n (org_id, user_id, email_enabled, in_app_enabled, alert_thresholds, events, digest, updated_at)
          values (${orgId}, ${userId}, ${input.emailEnabled ?? true}, ${input.inAppEnabled ?? true},
            ${thresholds ? `{${thresholds.join(',')}}` : null}::integer[], ${textArray(input.events ?? [])}::text[],
            ${digest ?? 'none'}, now())
          on conflict (org_id, user_id) do update set
            email_enabled = coalesce(${input.emailEnabled ?? null}::boolean, n.email_enabled),
            in_app_enabled = coalesce(${input.inAppEnabled ?? null}::boolean, n.in_app_enabled),
            alert_thresholds = case when ${thresholds !== undefined} then ${thresholds ? `{${thresholds.join(',')}}` : null}::integer[] else n.alert_thresholds end,
            events = case when ${input.events != null} then ${textArray(input.events ?? [])}::text[] else n.events end,
            digest = coalesce(${digest}, n.digest),
            updated_at = now()
          returning *`,
    );
    return settingsView(orgId, userId, row);
  }

  async governanceSettings(orgId: string) {
    const org = await this.state.forOrg(this.em, orgId);
    return { orgId, alertThresholds: org.alertThresholds, dailyBudgetMicros: org.dailyBudgetMicros };
  }

  async updateGovernanceSettings(
    principal: Principal,
    orgId: string,
    input: { alertThresholds?: number[] | null },
    requestId?: string,
  ) {
    const thresholds =
      input.alertThresholds == null ? null : validateThresholds(input.alertThresholds, 'input.alertThresholds');
    await this.em.transactional(async (tx) => {
      await query(
        tx,
        sql`insert into org_settings as s (org_id, alert_thresholds, updated_at)
            values (${orgId}, ${thresholds ? `{${thresholds.join(',')}}` : null}::integer[], now())
            on conflict (org_id) do update set alert_thresholds = excluded.alert_thresholds, updated_at = now()`,
      );
      recordEvent(tx, {
        orgId,
        type: 'governance.settings_updated',
        subject: { type: 'organization', id: orgId },
        data: { alertThresholds: thresholds ?? this.state.config.alertThresholds },
        actor: principal,
        requestId,
      });
    });
    await this.state.invalidate(orgId);
    return this.governanceSettings(orgId);
  }
}

function settingsView(orgId: string, userId: string, row: Row | undefined) {
  return {
    orgId,
    userId,
    emailEnabled: row ? Boolean(row.email_enabled) : true,
    inAppEnabled: row ? Boolean(row.in_app_enabled) : true,
    alertThresholds: (row?.alert_thresholds as number[] | null | undefined) ?? null,
    events: (row?.events as string[] | undefined) ?? [],
    digest: String(row?.digest ?? 'none'),
    updatedAt: row ? date(row.updated_at) : null,
  };
}
