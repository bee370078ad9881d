/**
 * Compute's tables (schema `compute`) are read and written in SQL (sql.ts): placement and capacity are
 * single atomic statements with row locks, which an identity map would only get in the way of. The
 * columns are documented in migrations/0002_gpu_cloud.ts.
 */
import type { EntitySchema } from '@mikro-orm/core';

export const computeEntities: EntitySchema[] = [];
