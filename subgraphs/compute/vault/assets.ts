/**
 * Asset metadata (seed 001): the bytes are streamed by the REST adapter into the configured storage
 * driver (kernel/asset-storage.ts); compute keeps who owns what. A record is accepted only with the
 * adapter's signature, so a caller cannot register bytes that were never uploaded, or another
 * organization's storage key (the key is derived from the organization and the id).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { verifyInternalRecord } from '../../../kernel/ai-call-record.ts';
import { requireOrgAccess } from '../../../kernel/authz.ts';
import { invalidField, TrellisError } from '../../../kernel/errors.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import type { Principal } from '../../../kernel/principal.ts';
import { date, one, type Row } from '../sql.ts';

export interface RegisterAssetInput {
  assetId: string;
  orgId: string;
  name: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  driver: string;
}

const assetFromRow = (r: Row) => ({
  id: String(r.id),
  orgId: String(r.org_id),
  name: String(r.name),
  contentType: String(r.content_type),
  sizeBytes: Number(r.size_bytes),
  sha256: String(r.sha256),
  createdAt: date(r.created_at),
  downloadPath: `/v1/assets/${String(r.id)}`,
});

export class AssetRecords {
  readonly #em: EntityManager;
  readonly #secret: string;

  constructor(em: EntityManager, internalSecret: string) {
    this.#em = em;
    this.#secret = internalSecret;
  }

  /** Another organization's asset is not found (existence never leaks). */
  async get(principal: Principal, id: string) {
    if (!/^ast_[0-9A-Za-z]{1,64}$/.test(id)) throw new TrellisError('not_found', 'Asset not found');
    const row = await one(this.#em, 'select * from assets where id = ?', [id]);
    if (!row) throw new TrellisError('not_found', 'Asset not found');
    requireOrgAccess(principal, String(row.org_id), 'Asset');
    return assetFromRow(row);
  }

  async register(principal: Principal, input: RegisterAssetInput, signature: string, requestId?: string) {
    if (!verifyInternalRecord(this.#secret, 'asset-record', input, signature))
      throw new TrellisError('forbidden', 'Only the REST adapter records uploads', { field: 'signature' });
    if (input.driver !== 'filesystem' && input.driver !== 's3')
      throw invalidField('input.driver', 'driver is filesystem or s3');
    return this.#em.transactional(async (tx) => {
      const row = (await one(
        tx,
        `insert into assets (id, org_id, name, content_type, size_bytes, sha256, driver, storage_key, created_by, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, now()) returning *`,
        [
          input.assetId,
          input.orgId,
          input.name,
          input.contentType,
          input.sizeBytes,
          input.sha256,
          input.driver,
          `assets/${input.orgId}/${input.assetId}`,
          principal.id,
        ],
      )) as Row;
      recordEvent(tx, {
        orgId: input.orgId,
        type: 'asset.uploaded',
        subject: { type: 'asset', id: input.assetId },
        data: { assetId: input.assetId, name: input.name, contentType: input.contentType, sizeBytes: input.sizeBytes },
        actor: principal,
        requestId,
      });
      return assetFromRow(row);
    });
  }
}
