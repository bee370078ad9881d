/**
 * Where asset bytes live (seed 001 `/v1/assets`, docs/credentials.md#assets): a driver behind one
 * small interface — files under the data directory by default, any S3-compatible store
 * (`@aws-sdk/client-s3`) when TRELLIS_ASSET_S3_BUCKET is set. Uploads are streamed through a size
 * limit and a SHA-256 into a spool file first, so a refused or broken upload never leaves a partial
 * object behind and S3 gets a known length (no multipart machinery for one PUT); the spool file is
 * then renamed into place (filesystem) or sent and removed (S3).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from './config.ts';
import { TrellisError } from './errors.ts';

export type AssetDriverName = 'filesystem' | 's3';

export interface StoredObject {
  sizeBytes: number;
  sha256: string;
}

export interface AssetStorage {
  readonly driver: AssetDriverName;
  /**
   * Streams `body` (at most `maxBytes`: the storage's asset limit unless given) to `key`; 413
   * `payload_too_large` as soon as it is exceeded.
   */
  put(key: string, body: Readable, contentType: string, maxBytes?: number): Promise<StoredObject>;
  /** The bytes of `key`; 404 when absent. */
  get(key: string): Promise<Readable>;
  /** Removes `key` (an upload whose record could not be written); absent is fine. */
  delete(key: string): Promise<void>;
}

/** Counts and hashes what passes; fails the pipeline once `maxBytes` is exceeded. */
class LimitAndHash extends Transform {
  readonly #hash = createHash('sha256');
  readonly #max: number;
  size = 0;
  constructor(maxBytes: number) {
    super();
    this.#max = maxBytes;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.size += chunk.length;
    if (this.size > this.#max)
      return done(
        new TrellisError('payload_too_large', `An upload is at most ${this.#max} bytes here`, {
          details: { maxBytes: this.#max },
        }),
      );
    this.#hash.update(chunk);
    done(null, chunk);
  }
  digest = () => this.#hash.digest('hex');
}

/** Streams `body` into a fresh spool file under `directory`; removes it when anything fails. */
async function spool(directory: string, body: Readable, maxBytes: number) {
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, `${randomUUID()}.part`);
  const meter = new LimitAndHash(maxBytes);
  try {
    await pipeline(body, meter, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  return { file, sizeBytes: meter.size, sha256: meter.digest() };
}

/**
 * Keys are `assets/<orgId>/<assetId>` or `snapshots/<orgId>/<snapshotId>` (a VM snapshot's archive,
 * docs/compute.md#snapshots-and-fork): built by Trellis from ids, checked again so no path escapes.
 */
const SAFE_KEY = /^(assets|snapshots)\/[A-Za-z0-9_-]{1,100}\/[A-Za-z0-9_-]{1,100}$/;
function checkKey(key: string): string {
  if (!SAFE_KEY.test(key)) throw new TrellisError('internal', `unsafe asset key ${key}`);
  return key;
}

export const assetKey = (orgId: string, assetId: string) => checkKey(`assets/${orgId}/${assetId}`);
export const snapshotArchiveKey = (orgId: string, snapshotId: string) => checkKey(`snapshots/${orgId}/${snapshotId}`);

export class FilesystemAssetStorage implements AssetStorage {
  readonly driver = 'filesystem' as const;
  readonly #root: string;
  readonly #maxBytes: number;
  constructor(root: string, maxBytes: number) {
    this.#root = path.resolve(root);
    this.#maxBytes = maxBytes;
  }

  async put(key: string, body: Readable, _contentType?: string, maxBytes = this.#maxBytes): Promise<StoredObject> {
    const target = path.join(this.#root, checkKey(key));
    const spooled = await spool(path.join(this.#root, '.incoming'), body, maxBytes);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(spooled.file, target);
    return { sizeBytes: spooled.sizeBytes, sha256: spooled.sha256 };
  }

  async get(key: string): Promise<Readable> {
    const file = path.join(this.#root, checkKey(key));
    try {
      await stat(file);
    } catch {
      throw new TrellisError('not_found', 'Asset content not found');
    }
    return createReadStream(file);
  }

  async delete(key: string): Promise<void> {
    await rm(path.join(this.#root, checkKey(key)), { force: true });
  }
}

export interface S3Settings {
  bucket: string;
  endpoint?: string;
  region: string;
}

/** The S3 SDK is loaded on the first S3 operation, not at start (~0.1 s of CPU, ~15 MiB in every process). */
let s3Sdk: Promise<typeof import('@aws-sdk/client-s3')> | undefined;
const loadS3Sdk = () => {
  s3Sdk ??= import('@aws-sdk/client-s3');
  return s3Sdk;
};

export class S3AssetStorage implements AssetStorage {
  readonly driver = 's3' as const;
  #client: S3Client | undefined;
  readonly #settings: S3Settings;
  readonly #bucket: string;
  readonly #spoolDir: string;
  readonly #maxBytes: number;

  constructor(settings: S3Settings, spoolDir: string, maxBytes: number, client?: S3Client) {
    this.#settings = settings;
    this.#bucket = settings.bucket;
    this.#spoolDir = spoolDir;
    this.#maxBytes = maxBytes;
    this.#client = client;
  }

  /** The SDK and the client, built on first use. */
  async #s3() {
    const sdk = await loadS3Sdk();
    const settings = this.#settings;
    this.#client ??= new sdk.S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
      // Checksums only where S3 requires them: many S3-compatible stores refuse the SDK's default
      // streaming (`aws-chunked`) CRC trailers; the asset's SHA-256 is checked by Trellis anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return { sdk, client: this.#client };
  }

  async put(key: string, body: Readable, contentType: string, maxBytes = this.#maxBytes): Promise<StoredObject> {
    const spooled = await spool(this.#spoolDir, body, maxBytes);
    try {
      const { sdk, client } = await this.#s3();
      await client.send(
        new sdk.PutObjectCommand({
          Bucket: this.#bucket,
          Key: checkKey(key),
          Body: createReadStream(spooled.file),
          ContentLength: spooled.sizeBytes,
          ContentType: contentType,
          Metadata: { sha256: spooled.sha256 },
        }),
      );
    } catch (cause) {
      throw new TrellisError('service_unavailable', 'The asset store refused or did not answer the upload', { cause });
    } finally {
      await rm(spooled.file, { force: true });
    }
    return { sizeBytes: spooled.sizeBytes, sha256: spooled.sha256 };
  }

  async get(key: string): Promise<Readable> {
    const { sdk, client } = await this.#s3();
    try {
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: this.#bucket, Key: checkKey(key) }));
      return object.Body as Readable;
    } catch (cause) {
      if (cause instanceof sdk.NoSuchKey || (cause as { name?: string }).name === 'NoSuchKey')
        throw new TrellisError('not_found', 'Asset content not found');
      throw new TrellisError('service_unavailable', 'The asset store did not answer', { cause });
    }
  }

  async delete(key: string): Promise<void> {
    const { sdk, client } = await this.#s3();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.#bucket, Key: checkKey(key) }));
  }
}

const storages = new WeakMap<object, AssetStorage>();

/** One storage per process configuration: S3 when a bucket is configured, else the data directory. */
export function assetStorageOf(config: Pick<Config, 'assets'>): AssetStorage {
  let storage = storages.get(config);
  if (!storage) {
    const { s3, directory, maxBytes } = config.assets;
    storage = s3
      ? new S3AssetStorage(s3, path.join(directory, '.incoming'), maxBytes)
      : new FilesystemAssetStorage(directory, maxBytes);
    storages.set(config, storage);
  }
  return storage;
}
