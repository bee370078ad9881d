/**
 * Seed 001's assets over REST: `POST /v1/assets` streams the raw body (Content-Type: the file's
 * type; `?name=`) through a size limit into the storage driver (kernel/asset-storage.ts), then
 * records it in compute (`registerAsset`, signed by this process); `GET /v1/assets/{id}` checks
 * access through compute (`asset(id)`: another organization's is 404) and streams the bytes back.
 * Bytes never travel through GraphQL.
 */
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { signInternalRecord } from '../kernel/ai-call-record.ts';
import { assetKey, assetStorageOf } from '../kernel/asset-storage.ts';
import { TrellisError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { authorize } from '../kernel/permissions.ts';
import type { Principal } from '../kernel/principal.ts';
import { envelope } from './envelope.ts';
import { dataOf, headerValue } from './handler-data.ts';
import type { HandlerContext } from './route-table.ts';

type Json = Record<string, unknown>;

const ASSET_FIELDS = 'id orgId name contentType sizeBytes sha256 createdAt downloadPath';
const REGISTER = /* GraphQL */ `
  mutation RegisterAsset($input: RegisterAssetInput!, $signature: String!) {
    registerAsset(input: $input, signature: $signature) { ${ASSET_FIELDS} }
  }
`;
const GET = /* GraphQL */ `query GetAsset($id: ID!) { asset(id: $id) { ${ASSET_FIELDS} } }`;

interface AssetView {
  id: string;
  orgId: string;
  name: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

/** The organization the upload belongs to: `?orgId=`, else the API key's, `X-Org-Id`, or the only membership. */
function organizationOf(req: FastifyRequest, principal: Principal): string {
  const query = req.query as Record<string, string | undefined>;
  const named = query.orgId ?? principal.orgId ?? headerValue(req.headers['x-org-id']);
  if (named) return named;
  if (principal.memberships.length === 1) return principal.memberships[0]?.orgId as string;
  throw new TrellisError('validation_failed', 'Name the organization with ?orgId= or the X-Org-Id header', {
    field: 'orgId',
  });
}

const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

function mediaTypeOf(req: FastifyRequest): string {
  const header = headerValue(req.headers['content-type']);
  if (!header) return 'application/octet-stream';
  const type = header.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'multipart/form-data')
    throw new TrellisError(
      'unsupported_media_type',
      'Send the file’s bytes as the body, with its own Content-Type and ?name=, not a multipart form',
    );
  if (!MEDIA_TYPE.test(type))
    throw new TrellisError('validation_failed', 'Content-Type is not a media type', {
      field: 'Content-Type',
    });
  return header.trim().slice(0, 255);
}

function nameOf(req: FastifyRequest): string {
  const query = req.query as Record<string, string | undefined>;
  const name = (query.name ?? headerValue(req.headers['x-filename']) ?? 'upload').trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (name.length < 1 || name.length > 255 || /[\u0000-\u001f\u007f/\\]/.test(name))
    throw new TrellisError('validation_failed', 'name is 1–255 characters without slashes or control characters', {
      field: 'name',
    });
  return name;
}

async function upload(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext) {
  const orgId = organizationOf(req, ctx.principal);
  // Checked before a byte is stored (compute checks again when recording it).
  authorize(ctx.principal, 'assets:write', orgId);
  const contentType = mediaTypeOf(req);
  const name = nameOf(req);
  const storage = assetStorageOf(ctx.platform.config);
  const maxBytes = ctx.platform.config.assets.maxBytes;
  const declared = Number(headerValue(req.headers['content-length']) ?? Number.NaN);
  if (declared > maxBytes)
    throw new TrellisError('payload_too_large', `An asset is at most ${maxBytes} bytes`, { details: { maxBytes } });

  const id = newId('ast');
  const key = assetKey(orgId, id);
  // The request is piped, not handed over: a refused upload stops reading without destroying the
  // socket, so the client still receives its 413 (the edge then reads the rest away or closes:
  // kernel/http-service.ts settleUnreadBody).
  const body = new PassThrough();
  req.raw.pipe(body);
  let stored: Awaited<ReturnType<typeof storage.put>>;
  try {
    stored = await storage.put(key, body, contentType);
  } catch (error) {
    req.raw.unpipe(body);
    throw error;
  }
  const input = {
    assetId: id,
    orgId,
    name,
    contentType,
    sizeBytes: stored.sizeBytes,
    sha256: stored.sha256,
    driver: storage.driver,
  };
  let asset: Json;
  try {
    const data = await dataOf<{ registerAsset: Json }>(ctx, REGISTER, {
      input,
      signature: signInternalRecord(ctx.platform.internalSecret, 'asset-record', input),
    });
    asset = data.registerAsset;
  } catch (error) {
    await storage.delete(key).catch((cause) => ctx.platform.logger.warn({ err: cause, key }, 'asset cleanup failed'));
    throw error;
  }
  return reply
    .code(201)
    .header('content-type', 'application/json; charset=utf-8')
    .header('location', `/v1/assets/${id}`)
    .send(
      JSON.stringify(
        envelope({
          meta: req.meta,
          status: 201,
          principal: ctx.principal,
          organizationId: orgId,
          data: asset,
          links: { self: `/v1/assets/${id}` },
        }),
      ),
    );
}

/** `filename*=` (RFC 6266 / 8187) so any name survives, plus an ASCII fallback. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

async function download(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext) {
  const { id } = req.params as { id: string };
  const { asset } = await dataOf<{ asset: AssetView | null }>(ctx, GET, { id });
  if (!asset) throw new TrellisError('not_found', 'Asset not found');
  const etag = `"${asset.sha256}"`;
  reply
    .header('etag', etag)
    .header('cache-control', 'private, max-age=0, must-revalidate')
    .header('x-content-type-options', 'nosniff')
    // Served from the API's origin: never rendered as a page.
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', disposition(asset.name));
  if (headerValue(req.headers['if-none-match']) === etag) return reply.code(304).send();
  const stream = await assetStorageOf(ctx.platform.config).get(`assets/${asset.orgId}/${asset.id}`);
  return reply
    .code(200)
    .header('content-type', asset.contentType)
    .header('content-length', String(asset.sizeBytes))
    .send(stream);
}

export const assetHandlers = { upload, download };
