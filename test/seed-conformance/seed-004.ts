/**
 * Seed 004 (operations platform): its bodies are snake_case, its paths
 * `/api/…` on `/v1`. Register, refresh/logout, password reset, users
 * administration, team routes and key roll/PATCH are helper B's (issue #9
 * item 4): add their examples here when they land.
 */
import type { SeedExample } from './examples.ts';

export const seed004: SeedExample[] = [
  {
    name: 'create an API key with a snake_case expiry (raw key once)',
    method: 'POST',
    path: '/v1/orgs/{orgId}/api-keys',
    as: 'session',
    body: { name: 'ops-bot', scopes: ['workflows:read'], expires_at: '2030-01-01T00:00:00Z' },
    expect: { status: 201, fields: ['key'], values: { name: 'ops-bot', expiresAt: '2030-01-01T00:00:00.000Z' } },
    save: { opsKeyId: 'id' },
  },
  {
    name: 'list keys with a snake_case query parameter',
    method: 'GET',
    path: '/v1/orgs/{orgId}/api-keys?include_revoked=true&limit=200',
    as: 'session',
    expect: { status: 200, fields: ['items.0.id'] },
  },
  {
    name: 'an unknown body field is a 422 naming it',
    method: 'POST',
    path: '/v1/orgs/{orgId}/api-keys',
    as: 'session',
    body: { name: 'typo', expirs_at: '2030-01-01T00:00:00Z' },
    expect: { status: 422, error: 'validation_failed', values: { field: 'expirs_at' } },
  },
];
