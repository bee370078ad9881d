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
  // Notifications and activity log (issue #14, docs/notifications.md).
  {
    name: 'create a notification',
    method: 'POST',
    path: '/v1/orgs/{orgId}/notifications',
    as: 'session',
    body: { title: 'Deploy finished', message: 'All replicas healthy', type: 'success', link: '/deployments/1' },
    expect: {
      status: 201,
      fields: ['id', 'createdAt'],
      values: { title: 'Deploy finished', type: 'success', read: false },
    },
  },
  {
    name: 'list unread notifications',
    method: 'GET',
    path: '/v1/orgs/{orgId}/notifications?read=false&limit=20',
    as: 'session',
    expect: { status: 200, fields: ['items.0.id'], values: { 'items.0.title': 'Deploy finished' } },
  },
  {
    name: 'unread notification count',
    method: 'GET',
    path: '/v1/orgs/{orgId}/notifications/unread-count',
    as: 'session',
    // Earlier examples' alerting events (a killed workflow) reach this inbox too: at least ours.
    expect: { status: 200, fields: ['count'] },
  },
  {
    name: 'mark all notifications read',
    method: 'PATCH',
    path: '/v1/orgs/{orgId}/notifications/read-all',
    as: 'session',
    expect: { status: 200, fields: ['updated'] },
  },
  {
    name: 'record an activity with snake_case fields',
    method: 'POST',
    path: '/v1/orgs/{orgId}/activity-log',
    as: 'session',
    body: {
      actor_type: 'agent',
      actor_id: 'agent-1',
      action: 'task.completed',
      entity_type: 'task',
      entity_id: 't1',
      metadata: { tokens: 120 },
    },
    expect: { status: 201, fields: ['id'], values: { actorType: 'agent', action: 'task.completed', entityId: 't1' } },
  },
  {
    name: 'list activities filtered by actor_type',
    method: 'GET',
    path: '/v1/orgs/{orgId}/activity-log?actor_type=agent&limit=10',
    as: 'session',
    expect: { status: 200, values: { 'items.0.actorId': 'agent-1' } },
  },
  {
    name: 'activity statistics',
    method: 'GET',
    path: '/v1/orgs/{orgId}/activity-log/stats',
    as: 'session',
    expect: { status: 200, values: { total: 1, 'byAction.0.action': 'task.completed' } },
  },
];
