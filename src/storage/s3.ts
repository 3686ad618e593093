import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Settings } from '../config.js';
import { storageUnavailable } from '../errors.js';
import { assertSafeKey, type BlobStore } from './types.js';

// A key names one asset's bytes forever (a new image gets a new id), so caches may keep it.
const CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * Assets as objects in one bucket of S3 or an S3-compatible server (MinIO, R2, Ceph...).
 *
 * @example
 * const store = new S3BlobStore({
 *   bucket: 'pixapi', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1',
 *   accessKeyId: 'key', secretAccessKey: 'secret', forcePathStyle: true,
 * });
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(settings: S3Settings) {
    const { accessKeyId, secretAccessKey } = settings;
    this.bucket = settings.bucket;
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      // Left undefined, the SDK's default chain applies (env, shared files, instance role).
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    });
  }

  private key(key: string): string {
    return assertSafeKey(key);
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const Key = this.key(key);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: body,
          ContentType: contentType,
          CacheControl: CACHE_CONTROL,
        }),
      );
    } catch (error) {
      throw storageUnavailable(error);
    }
  }

  async get(key: string): Promise<Readable | undefined> {
    const Key = this.key(key);
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
      // In Node the SDK answers with the HTTP response stream; anything else is a wrong runtime.
      if (!(Body instanceof Readable)) throw new Error('S3 returned no readable body');
      return Body;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw storageUnavailable(error);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
    } catch (error) {
      // S3 answers 204 for a missing key, but some compatible servers answer 404.
      if (!isNotFound(error)) throw error;
    }
  }

  /** Signing is local (no request to S3), so it works even while the bucket is unreachable. */
  async signedUrl(key: string, expiresInS: number): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) });
    return getSignedUrl(this.client, command, { expiresIn: expiresInS });
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }
}

// Servers that send no error body still send the status, so NoSuchKey alone would miss them; a
// missing bucket is a misconfiguration and must not read as a missing asset.
function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    error.name !== 'NoSuchBucket' &&
    (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)
  );
}
