/**
 * Seed 003 (GPU cloud): the curl examples of its guides, bodies and response
 * fields as written there. The webhook URL is the seed's path on a loopback
 * host (the sandbox has no DNS; the test platform allows private targets).
 * VMs, clusters, billing and the catalog are other helpers' routes: add their
 * examples here (the quickstart's `vms/create` body among them).
 */
import type { SeedExample } from './examples.ts';

export const seed003: SeedExample[] = [
  {
    name: 'quickstart: browse the catalog (gpu-availability, pricing)',
    method: 'GET',
    path: '/v1/pricing',
    as: 'apiKey',
    expect: { status: 200, fields: ['gpus.0.gpuModelId', 'gpus.0.pricePerGpuHourCents'] },
  },
  {
    name: 'quickstart: launch a GPU VM with the documented body',
    method: 'POST',
    path: '/v1/orgs/{orgId}/vms/create',
    as: 'apiKey',
    body: {
      name: 'my-first-vm',
      gpuModelId: 'rtx-4090',
      gpuCount: 1,
      imageUrl: 'ghcr.io/my-org/my-image:latest',
      diskSizeGb: 100,
      envVars: { MODEL: 'llama-3' },
    },
    expect: { status: 200, fields: ['id', 'status', 'pricePerHourCents'], values: { name: 'my-first-vm' } },
  },
  {
    name: 'mint an API key via the API: { id, name, key, keyPrefix }',
    method: 'POST',
    path: '/v1/orgs/{orgId}/api-keys/create',
    as: 'apiKey',
    body: { name: 'ci-pipeline' },
    expect: { status: 200, fields: ['id', 'key', 'keyPrefix'], values: { name: 'ci-pipeline' } },
  },
  {
    name: 'quickstart: /v1/me shows the user and memberships { organizationId, role, name }',
    method: 'GET',
    path: '/v1/me',
    as: 'session',
    expect: {
      status: 200,
      fields: ['user.id', 'user.email'],
      values: {
        'memberships.0.organizationId': '{orgId}',
        'memberships.0.role': 'owner',
        'memberships.0.name': '{orgName}',
      },
    },
  },
  {
    name: 'pagination: items and nextCursor',
    method: 'GET',
    path: '/v1/orgs/{orgId}/api-keys?limit=1',
    as: 'apiKey',
    expect: { status: 200, fields: ['items.0.id', 'nextCursor'] },
  },
  {
    name: 'create a webhook: { id, url, events, enabled, secret, secretPrefix }',
    method: 'POST',
    path: '/v1/orgs/{orgId}/webhooks/create',
    as: 'apiKey',
    body: { name: 'deploys', url: 'http://127.0.0.1:9/hooks/openrelay', events: ['cluster.running', 'cluster.failed'] },
    expect: {
      status: 201,
      fields: ['id', 'secret', 'secretPrefix'],
      values: {
        url: 'http://127.0.0.1:9/hooks/openrelay',
        events: ['cluster.running', 'cluster.failed'],
        enabled: true,
      },
    },
    save: { webhookId: 'id' },
  },
  {
    name: 'pause a webhook with toggle',
    method: 'POST',
    path: '/v1/orgs/{orgId}/webhooks/{webhookId}/toggle',
    as: 'apiKey',
    body: { enabled: false },
    expect: { status: 200, values: { enabled: false } },
  },
  {
    name: 'roll the webhook secret',
    method: 'POST',
    path: '/v1/orgs/{orgId}/webhooks/{webhookId}/regenerate-secret',
    as: 'apiKey',
    expect: { status: 200, fields: ['secret'], values: { id: '{webhookId}' } },
  },
  {
    name: 'update the profile',
    method: 'PATCH',
    path: '/v1/me/profile',
    as: 'session',
    body: { fullName: 'Ada Lovelace', avatarUrl: 'https://example.com/ada.png' },
    expect: { status: 200, values: { name: 'Ada Lovelace', avatarUrl: 'https://example.com/ada.png' } },
  },
];
