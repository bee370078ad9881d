/** Webhook endpoints of an organization. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Webhook } from './entities.ts';

export class WebhookService {
  private readonly em: EntityManager;

  constructor(em: EntityManager) {
    this.em = em;
  }

  listByOrg(orgId: string) {
    return this.em.find(Webhook, { orgId }, { orderBy: { createdAt: 'desc' } });
  }
}
