/**
 * Signed inbound webhook triggers (issue #11 item 4, docs/pipelines.md §Triggers): a definition declares
 * `{ id, type: "webhook" }`; `rotateWorkflowTriggerSecret` mints (or replaces) its signing secret — shown once,
 * sealed at rest — and its URL; a POST to the URL signed the Standard Webhooks way (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`, verified by the `standardwebhooks` package: HMAC-SHA256 over
 * `id.timestamp.body`, timestamps within 5 minutes) starts a run with the JSON body as input. The run's
 * idempotency key is `webhook:<triggerId>:<webhook-id>`, so a replayed delivery answers the run it started.
 */
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Webhook } from 'standardwebhooks';
import { requireOrgAccess } from '../../../kernel/authz.ts';
import { invalidField, notFound, TrellisError } from '../../../kernel/errors.ts';
import type { Principal } from '../../../kernel/principal.ts';
import type { SecretBox } from '../../../kernel/secrets.ts';
import { date, one, type Row } from '../sql.ts';
import type { TriggerSpec } from './definition.ts';
import { actorOf, type PipelineService, type RunView } from './runs.ts';

/** The largest inbound body (the run input's own bound is 256 KiB of JSON too). */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
/** `webhook-id` values: printable ASCII, short enough for the run's idempotency key. */
const MESSAGE_ID = /^[\x21-\x7e]{1,100}$/;

const sealContext = (orgId: string, triggerId: string) => `webhook-trigger:${orgId}/${triggerId}`;

/** Every signature failure reads the same: which part failed is none of the sender's business. */
const refused = () =>
  new TrellisError('unauthenticated', 'The webhook signature is missing, stale or does not match', {
    field: 'webhook-signature',
  });

export interface WebhookDelivery {
  triggerId: string;
  /** The Standard Webhooks headers, as received. */
  messageId: string;
  timestamp: string;
  signature: string;
  /** The exact body received (the signature covers these bytes). */
  payload: string;
  requestId?: string;
}

export class WebhookTriggerService {
  readonly #em: EntityManager;
  readonly #box: SecretBox;
  readonly #pipelines: PipelineService;
  readonly #publicUrl: string;

  constructor(em: EntityManager, box: SecretBox, pipelines: PipelineService, publicUrl: string) {
    this.#em = em;
    this.#box = box;
    this.#pipelines = pipelines;
    this.#publicUrl = publicUrl;
  }

  /** The latest version of the trigger's definition and the trigger (null when either is gone). */
  async #definitionOf(triggerId: string): Promise<{ row: Row; trigger: TriggerSpec } | null> {
    const dot = triggerId.indexOf('.');
    if (dot <= 0 || triggerId.length > 200) return null;
    const row = await one(this.#em, 'select * from workflow_definitions where id = ? order by version desc limit 1', [
      triggerId.slice(0, dot),
    ]);
    const name = triggerId.slice(dot + 1);
    const trigger = ((row?.triggers as TriggerSpec[] | undefined) ?? []).find((t) => t.id === name);
    return row && trigger ? { row, trigger } : null;
  }

  /** Mints (or rotates: the old secret stops verifying at once) a webhook trigger's secret, shown once. */
  async rotateSecret(principal: Principal, triggerId: string) {
    const found = await this.#definitionOf(triggerId);
    if (!found) throw notFound('Trigger');
    const orgId = String(found.row.org_id);
    requireOrgAccess(principal, orgId, 'Trigger', 'member');
    if (found.trigger.type !== 'webhook')
      throw invalidField('id', `Trigger ${triggerId} is ${found.trigger.type}: declare it with type "webhook"`);
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const saved = (await one(
      this.#em,
      `insert into workflow_webhook_triggers
         (trigger_id, org_id, definition_id, sealed_secret, workflow_id, created_by, created_at, rotated_at)
       values (?, ?, ?, ?, ?, ?, now(), now())
       on conflict (trigger_id) do update set sealed_secret = excluded.sealed_secret,
         workflow_id = excluded.workflow_id, rotated_at = now()
       returning rotated_at`,
      [
        triggerId,
        orgId,
        String(found.row.id),
        this.#box.seal(secret, sealContext(orgId, triggerId)),
        principal.workflowId ?? null,
        actorOf(principal),
      ],
    )) as Row;
    return {
      triggerId,
      url: `${this.#publicUrl}/v1/triggers/${encodeURIComponent(triggerId)}/webhook`,
      secret,
      workflowId: principal.workflowId ?? null,
      rotatedAt: date(saved.rotated_at),
    };
  }

  /**
   * An inbound delivery: verified against the trigger's secret (401 otherwise, the same for an unknown
   * trigger), then a run of the definition's latest version with the body as input — once per `webhook-id`.
   */
  async receive(delivery: WebhookDelivery): Promise<RunView> {
    if (Buffer.byteLength(delivery.payload) > MAX_WEBHOOK_BODY_BYTES)
      throw new TrellisError('payload_too_large', `The body must be at most ${MAX_WEBHOOK_BODY_BYTES} bytes`);
    if (!MESSAGE_ID.test(delivery.messageId)) throw refused();
    const stored = await one(this.#em, 'select * from workflow_webhook_triggers where trigger_id = ?', [
      delivery.triggerId,
    ]);
    if (!stored) throw refused();
    const orgId = String(stored.org_id);
    let secret: string;
    try {
      secret = this.#box.open(String(stored.sealed_secret), sealContext(orgId, delivery.triggerId));
    } catch (cause) {
      throw new TrellisError('internal', 'The webhook secret could not be decrypted', { cause });
    }
    try {
      new Webhook(secret).verify(
        delivery.payload,
        {
          'webhook-id': delivery.messageId,
          'webhook-timestamp': delivery.timestamp,
          'webhook-signature': delivery.signature,
        },
        { jsonParse: false },
      );
    } catch {
      throw refused();
    }
    const found = await this.#definitionOf(delivery.triggerId);
    if (found?.trigger.type !== 'webhook' || String(found.row.org_id) !== orgId) throw notFound('Trigger');
    let input: unknown;
    try {
      input = delivery.payload.trim() === '' ? {} : JSON.parse(delivery.payload);
    } catch {
      throw invalidField('body', 'The body must be a JSON object (the run input)');
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input))
      throw invalidField('body', 'The body must be a JSON object (the run input)');
    // The trigger acts for its organization (as a member), bound to the workflow of the key that minted it.
    const principal: Principal = {
      kind: 'service',
      id: 'svc_webhook-trigger',
      orgId,
      memberships: [{ orgId, role: 'member' }],
      scopes: ['compute:write'],
      ...(stored.workflow_id ? { workflowId: String(stored.workflow_id) } : {}),
    };
    return this.#pipelines.createRun(
      principal,
      {
        orgId,
        definitionId: String(found.row.id),
        input,
        idempotencyKey: `webhook:${delivery.triggerId}:${delivery.messageId}`,
      },
      { start: true, origin: { triggerId: delivery.triggerId }, requestId: delivery.requestId },
    );
  }
}
