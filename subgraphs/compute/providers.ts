/** Becoming a provider (seed 003): apply, status, a platform administrator's decision, and earnings. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { requirePlatformAdmin } from '../../kernel/authz.ts';
import { invalidField, TrellisError } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/principal.ts';
import { dateOrNull, num, one } from './sql.ts';

export class ProviderService {
  private readonly em: EntityManager;
  private readonly autoApprove: boolean;

  constructor(em: EntityManager, autoApprove: boolean) {
    this.em = em;
    this.autoApprove = autoApprove;
  }

  async status(orgId: string) {
    const row = await one(this.em, 'select * from provider_applications where org_id = ?', [orgId]);
    return {
      isProvider: row?.status === 'approved',
      applicationStatus: row ? String(row.status) : 'none',
      submittedAt: dateOrNull(row?.submitted_at),
    };
  }

  /** Submits (or re-submits) the application; approved at once when TRELLIS_PROVIDER_AUTO_APPROVE is on. */
  async apply(orgId: string, note: string) {
    const text = note.trim();
    if (text.length < 1 || text.length > 2000) throw invalidField('note', 'note must be 1 to 2000 characters');
    const status = this.autoApprove ? 'approved' : 'pending';
    await this.em.execute(
      `insert into provider_applications (org_id, note, status, submitted_at, decided_at)
       values (?, ?, ?, now(), case when ? = 'approved' then now() end)
       on conflict (org_id) do update set note = excluded.note, submitted_at = excluded.submitted_at,
         status = case when provider_applications.status = 'approved' then 'approved' else excluded.status end`,
      [orgId, text, status, status],
    );
    return this.status(orgId);
  }

  async decide(principal: Principal, orgId: string, approve: boolean) {
    requirePlatformAdmin(principal);
    const row = await one(
      this.em,
      'update provider_applications set status = ?, decided_at = now() where org_id = ? returning org_id',
      [approve ? 'approved' : 'rejected', orgId],
    );
    if (!row) throw new TrellisError('not_found', 'provider application not found');
    return this.status(orgId);
  }

  async requireProvider(orgId: string): Promise<void> {
    if (!(await this.status(orgId)).isProvider)
      throw new TrellisError(
        'forbidden',
        'Only an approved provider may do this (POST /v1/orgs/{orgId}/provider/apply)',
      );
  }

  /**
   * Until billing posts provider earnings from its usage records: the GPU-hours metered on the
   * provider's nodes (from the running intervals recorded here) × the provider's rate per GPU-hour.
   */
  async earnings(orgId: string) {
    const row = await one(
      this.em,
      `select coalesce(sum(extract(epoch from (coalesce(w.metered_until, w.started_at) - w.started_at)) * w.gpu_count), 0)
           as gpu_seconds,
         coalesce(sum(extract(epoch from (coalesce(w.metered_until, w.started_at) - w.started_at)) * w.gpu_count
           * p.provider_cents_per_gpu_hour / 3600), 0) as cents
       from vms w join nodes n on n.id = w.node_id
       join gpu_prices p on p.gpu_model_id = w.gpu_model_id and p.tier = w.tier
       where n.org_id = ? and w.started_at is not null`,
      [orgId],
    );
    return {
      currency: 'usd',
      totalCents: Math.floor(num(row?.cents)),
      gpuHours: Math.round((num(row?.gpu_seconds) / 3600) * 1000) / 1000,
      basis: 'GPU-hours of workloads now on your nodes × your rate per GPU-hour, until billing posts earnings',
      payouts: [],
    };
  }
}
