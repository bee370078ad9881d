/** GPU virtual machines. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireOrgAccess } from '../../kernel/authz.ts';
import { invalidField } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import type { Principal } from '../../kernel/principal.ts';
import { Vm } from './entities.ts';

export class VmService {
  private readonly em: EntityManager;

  constructor(em: EntityManager) {
    this.em = em;
  }

  async create(
    principal: Principal,
    orgId: string,
    input: { name: string; gpuModel: string; gpuCount?: number | null },
    requestId?: string,
  ) {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw invalidField('input.name', 'name must be 1 to 100 characters');
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(input.gpuModel)) throw invalidField('input.gpuModel', 'gpuModel is not valid');
    const gpuCount = input.gpuCount ?? 1;
    if (!Number.isInteger(gpuCount) || gpuCount < 1 || gpuCount > 16)
      throw invalidField('input.gpuCount', 'gpuCount must be between 1 and 16');
    const now = new Date();
    const vm = this.em.create(Vm, {
      id: newId('vm'),
      orgId,
      name,
      gpuModel: input.gpuModel,
      gpuCount,
      status: 'provisioning',
      createdAt: now,
      updatedAt: now,
    });
    recordEvent(this.em, {
      orgId,
      type: 'vm.created',
      subject: { type: 'vm', id: vm.id },
      data: { name, gpuModel: vm.gpuModel, gpuCount, status: vm.status },
      actor: principal,
      requestId,
    });
    await this.em.flush();
    return vm;
  }

  async get(principal: Principal, id: string) {
    const vm = await this.em.findOne(Vm, { id });
    if (!vm) return null;
    requireOrgAccess(principal, vm.orgId, 'VM');
    return vm;
  }

  listByOrg(orgId: string) {
    return this.em.find(Vm, { orgId }, { orderBy: { createdAt: 'desc' }, limit: 100 });
  }
}
