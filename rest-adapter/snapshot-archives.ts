/**
 * Snapshot archives between node agents and the control plane's storage (docs/compute.md#snapshots-and-fork).
 * A node agent authenticates with its own credential (`X-Trellis-Node-Id`, `X-Trellis-Node-Secret`, the
 * secret it got at registration); compute decides what it may move:
 * - `PUT /v1/agent/snapshots/{snapshotId}/archive`: the node taking the snapshot streams its archive
 *   through the size limit (TRELLIS_SNAPSHOT_MAX_BYTES) and a SHA-256 into the storage driver
 *   (kernel/asset-storage.ts), then the adapter records what it stored in compute, signed — the snapshot
 *   becomes `available` with that size and SHA-256.
 * - `GET …/archive`: a node with a VM assigned to it that is forked from the snapshot streams the archive
 *   back (`X-Content-SHA256`: the recorded hash, which the agent checks).
 * Any other node or snapshot is 404. Bytes never travel through GraphQL.
 */
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { signInternalRecord } from '../kernel/ai-call-record.ts';
import { assetStorageOf } from '../kernel/asset-storage.ts';
import { TrellisError } from '../kernel/errors.ts';
import { envelope } from './envelope.ts';
import { dataOf, headerValue } from './handler-data.ts';
import type { HandlerContext } from './route-table.ts';

type Json = Record<string, unknown>;

interface ArchiveView {
  snapshotId: string;
  orgId: string;
  sizeBytes: number | null;
  sha256: string | null;
  storageKey: string | null;
}

const ARCHIVE_FIELDS = 'snapshotId orgId sizeBytes sha256 storageKey';
const UPLOAD = /* GraphQL */ `query AgentSnapshotUpload($n: ID!, $s: String!, $id: ID!) {
  agentSnapshotUpload(nodeId: $n, nodeSecret: $s, snapshotId: $id) { ${ARCHIVE_FIELDS} }
}`;
const DOWNLOAD = /* GraphQL */ `query AgentSnapshotDownload($n: ID!, $s: String!, $id: ID!) {
  agentSnapshotDownload(nodeId: $n, nodeSecret: $s, snapshotId: $id) { ${ARCHIVE_FIELDS} }
}`;
const RECORD = /* GraphQL */ `mutation RecordSnapshotArchive($input: SnapshotArchiveRecordInput!, $signature: String!) {
  recordSnapshotArchive(input: $input, signature: $signature) { id status sizeBytes sha256 }
}`;

/** The node's own credential; bounded before it goes anywhere. */
function nodeCredential(req: FastifyRequest): { n: string; s: string } {
  const n = headerValue(req.headers['x-trellis-node-id']) ?? '';
  const s = headerValue(req.headers['x-trellis-node-secret']) ?? '';
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(n) || s.length < 1 || s.length > 200)
    throw new TrellisError('unauthenticated', 'Send the node credential: X-Trellis-Node-Id and X-Trellis-Node-Secret');
  return { n, s };
}

async function upload(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext) {
  const { snapshotId } = req.params as { snapshotId: string };
  const node = nodeCredential(req);
  const { agentSnapshotUpload: target } = await dataOf<{ agentSnapshotUpload: ArchiveView }>(ctx, UPLOAD, {
    ...node,
    id: snapshotId,
  });
  const maxBytes = ctx.platform.config.compute.snapshotMaxBytes;
  const declared = Number(headerValue(req.headers['content-length']) ?? Number.NaN);
  if (declared > maxBytes)
    throw new TrellisError('payload_too_large', `A snapshot archive is at most ${maxBytes} bytes`, {
      details: { maxBytes },
    });
  const storage = assetStorageOf(ctx.platform.config);
  const key = String(target.storageKey);
  // Piped, not handed over: a refused upload stops reading without destroying the socket (the agent gets its 413).
  const body = new PassThrough();
  req.raw.pipe(body);
  let stored: Awaited<ReturnType<typeof storage.put>>;
  try {
    stored = await storage.put(key, body, 'application/gzip', maxBytes);
  } catch (error) {
    req.raw.unpipe(body);
    reply.header('connection', 'close');
    throw error;
  }
  const input = {
    nodeId: node.n,
    snapshotId: target.snapshotId,
    storageKey: key,
    sizeBytes: stored.sizeBytes,
    sha256: stored.sha256,
  };
  let snapshot: Json;
  try {
    snapshot = (
      await dataOf<{ recordSnapshotArchive: Json }>(ctx, RECORD, {
        input,
        signature: signInternalRecord(ctx.platform.internalSecret, 'snapshot-archive-record', input),
      })
    ).recordSnapshotArchive;
  } catch (error) {
    // Not recorded (deleted or failed meanwhile): nothing may keep its bytes.
    await storage.delete(key).catch((cause) => ctx.platform.logger.warn({ err: cause, key }, 'archive cleanup failed'));
    throw error;
  }
  return reply
    .code(200)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(envelope({ meta: req.meta, status: 200, principal: ctx.principal, data: snapshot })));
}

async function download(req: FastifyRequest, reply: FastifyReply, ctx: HandlerContext) {
  const { snapshotId } = req.params as { snapshotId: string };
  const node = nodeCredential(req);
  const { agentSnapshotDownload: source } = await dataOf<{ agentSnapshotDownload: ArchiveView }>(ctx, DOWNLOAD, {
    ...node,
    id: snapshotId,
  });
  // The recorded key, not one rebuilt from the current organization: a transfer moves the row, not the bytes.
  const stream = await assetStorageOf(ctx.platform.config).get(String(source.storageKey));
  return reply
    .code(200)
    .header('content-type', 'application/gzip')
    .header('content-length', String(source.sizeBytes))
    .header('x-content-sha256', String(source.sha256))
    .header('cache-control', 'no-store')
    .send(stream);
}

export const snapshotArchiveHandlers = { upload, download };
