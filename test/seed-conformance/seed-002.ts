/**
 * Seed 002 (workflow gateway): health. The gateway lifecycle routes
 * (`/v1/gateway/pause|resume|reload`) are helper B's, pipelines and runs
 * helper E's: add their examples here when they land.
 */
import type { SeedExample } from './examples.ts';

export const seed002: SeedExample[] = [
  {
    name: 'liveness probe returns {status}',
    method: 'GET',
    path: '/health',
    as: 'none',
    expect: { status: 200, envelope: false, fields: ['status'] },
  },
];
