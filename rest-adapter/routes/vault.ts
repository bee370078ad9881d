/**
 * The credentials vault (seed 004, docs/credentials.md) and assets (seed 001): compute's routes.
 * Credentials are plain operations; assets are handlers, since their bodies are raw bytes streamed
 * to and from the storage driver (rest-adapter/assets.ts).
 */
import { assetHandlers } from '../assets.ts';
import { defineRoutes } from '../route-table.ts';

const owner = 'compute';

// biome-ignore format: a table, one route a line or two
export const vaultRoutes = defineRoutes([
  { method: 'GET', path: '/v1/orgs/{orgId}/credentials', owner, query: 'credentials(orgId: $orgId)',
    summary: 'List the vault’s credential keys (values are never listed)' },
  { method: 'POST', path: '/v1/orgs/{orgId}/credentials', owner, status: 201, body: 'input', mutation: 'putCredential(orgId: $orgId, input: $input)',
    summary: 'Create or update a credential (sealed with AES-256-GCM; the value is not returned; admin)' },
  { method: 'GET', path: '/v1/orgs/{orgId}/credentials/{key}', owner, query: 'credential(orgId: $orgId, key: $key)',
    summary: 'Get one credential with its decrypted value (scope credentials:reveal, admin; audited)' },
  { method: 'DELETE', path: '/v1/orgs/{orgId}/credentials/{key}', owner, mutation: 'deleteCredential(orgId: $orgId, key: $key)',
    result: (data) => ({ deleted: data.deleteCredential === true }),
    summary: 'Delete a credential (admin)' },
]);

export const assetRoutes = defineRoutes([
  {
    kind: 'handler',
    method: 'POST',
    path: '/v1/assets',
    owner,
    status: 201,
    streamedBody: 'application/octet-stream',
    summary:
      'Upload an asset: the raw bytes as the body (its Content-Type is kept), `?name=` (and `?orgId=` for a session); streamed, at most TRELLIS_ASSET_MAX_BYTES',
    handler: assetHandlers.upload,
  },
  {
    kind: 'handler',
    method: 'GET',
    path: '/v1/assets/{id}',
    owner,
    produces: 'application/octet-stream',
    summary: 'Download an asset (its bytes, Content-Type and an attachment Content-Disposition; ETag = SHA-256)',
    handler: assetHandlers.download,
  },
]);
