/** The AI gateway's tables (schema `compute`); writes go through SQL in records.ts. */
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const AiSettings = defineEntity({
  name: 'AiSettings',
  tableName: 'ai_settings',
  properties: {
    orgId: p.string().primary(),
    defaultWorkflowId: p.string().nullable(),
    requestLogging: p.boolean(),
    logRetentionDays: p.integer(),
    updatedAt: p.datetime(),
  },
});

export type AiSettingsRow = InferEntity<typeof AiSettings>;

export const aiEntities = [AiSettings];
