/** Compute's tables (schema `compute`). */
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const Vm = defineEntity({
  name: 'Vm',
  tableName: 'vms',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    name: p.string(),
    gpuModel: p.string(),
    gpuCount: p.integer(),
    status: p.string(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export const computeEntities = [Vm];

export type VmRow = InferEntity<typeof Vm>;
