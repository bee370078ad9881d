/** The asset storage drivers (kernel/asset-storage.ts) alone: S3 against an S3-compatible double, and the size limit. */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetKey, FilesystemAssetStorage, S3AssetStorage } from '../../kernel/asset-storage.ts';
import { type S3Double, startS3Double } from '../s3-double.ts';

let s3: S3Double;
let dir: string;

beforeAll(async () => {
  s3 = await startS3Double();
  dir = await mkdtemp(path.join(tmpdir(), 'trellis-assets-'));
  process.env.AWS_ACCESS_KEY_ID = 'test-access-key';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-key';
});
afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

const read = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe('S3-compatible driver', () => {
  it('puts with a known length, path-style and signed, then gets the same bytes; absent is 404', async () => {
    const storage = new S3AssetStorage({ bucket: 'assets-bucket', endpoint: s3.url, region: 'us-east-1' }, dir, 1024);
    const bytes = Buffer.from('hello asset bytes');
    const key = assetKey('org_1', 'ast_1');
    const stored = await storage.put(key, Readable.from([bytes]), 'text/plain');
    expect(stored).toEqual({ sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });

    const put = s3.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe('/assets-bucket/assets/org_1/ast_1');
    expect(put?.headers['content-length']).toBe(String(bytes.length));
    expect(put?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test-access-key\//);
    // No streaming checksum trailers: plain bodies that S3-compatible stores accept.
    expect(put?.headers['content-encoding']).toBeUndefined();
    expect(s3.objects.get('/assets-bucket/assets/org_1/ast_1')).toMatchObject({
      body: bytes,
      contentType: 'text/plain',
      metadata: { sha256: stored.sha256 },
    });

    expect((await read(await storage.get(key))).equals(bytes)).toBe(true);
    await expect(storage.get(assetKey('org_1', 'ast_missing'))).rejects.toMatchObject({ code: 'not_found' });
    await storage.delete(key);
    expect(s3.objects.size).toBe(0);
    // The spool file is gone.
    expect((await readdir(dir)).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('refuses an object over the limit before anything reaches the store', async () => {
    const storage = new S3AssetStorage({ bucket: 'b', endpoint: s3.url, region: 'us-east-1' }, dir, 10);
    const before = s3.requests.length;
    await expect(
      storage.put(assetKey('org_1', 'ast_big'), Readable.from([Buffer.alloc(11)]), 'x/y'),
    ).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(s3.requests.length).toBe(before);
  });
});

describe('filesystem driver', () => {
  it('stores under its root and never outside it', async () => {
    const storage = new FilesystemAssetStorage(dir, 1024);
    await storage.put(assetKey('org_2', 'ast_2'), Readable.from([Buffer.from('abc')]));
    expect((await read(await storage.get('assets/org_2/ast_2'))).toString()).toBe('abc');
    await expect(storage.get('assets/../../etc/passwd')).rejects.toMatchObject({ code: 'internal' });
  });
});
