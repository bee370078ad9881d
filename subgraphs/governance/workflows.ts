/** Workflows: budgeted units of agent work. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireOrgAccess } from '../../kernel/authz.ts';
import { invalidField } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import type { Principal } from '../../kernel/principal.ts';
import { Workflow } from './entities.ts';

export class WorkflowService {
  private readonly em: EntityManager;

  constructor(em: EntityManager) {
    this.em = em;
  }

  async create(
    principal: Principal,
    orgId: string,
    input: { name: string; budgetMicros?: number | null },
    requestId?: string,
  ) {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 200) throw invalidField('input.name', 'name must be 1 to 200 characters');
    if (input.budgetMicros != null && input.budgetMicros < 0)
      throw invalidField('input.budgetMicros', 'budgetMicros must be zero or more');
    const now = new Date();
    const workflow = this.em.create(Workflow, {
      id: newId('wf'),
      orgId,
      name,
      status: 'active',
      budgetMicros: input.budgetMicros ?? null,
      spentMicros: 0,
      createdAt: now,
      updatedAt: now,
    });
    recordEvent(this.em, {
      orgId,
      type: 'workflow.created',
      subject: { type: 'workflow', id: workflow.id },
      data: { name, budgetMicros: workflow.budgetMicros, status: workflow.status },
      actor: principal,
      requestId,
    });
    await this.em.flush();
    return workflow;
  }

  async get(principal: Principal, id: string) {
    const workflow = await this.em.findOne(Workflow, { id });
    if (!workflow) return null;
    requireOrgAccess(principal, workflow.orgId, 'Workflow');
    return workflow;
  }

  listByOrg(orgId: string) {
    return this.em.find(Workflow, { orgId }, { orderBy: { createdAt: 'desc' }, limit: 100 });
  }
}
