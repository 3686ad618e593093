import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import type { S3Settings } from '../config.js';
import { S3BlobStore } from './s3.js';

/**
 * Runs against s3rver, a real S3 protocol server on loopback, so request building, error
 * parsing and streaming are the SDK's own. Without s3rver the suite is skipped, not failed.
 */

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

const BUCKET = 'pixapi-test';

async function startS3rver(directory: string): Promise<{ server: S3rverInstance; port: number }> {
  // A variable specifier: s3rver ships no types, and a missing package must skip, not fail.
  const specifier = 's3rver';
  const S3rver = ((await import(specifier)) as { default: S3rverClass }).default;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  return { server, port };
}

const directory = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixapi-s3-'));
let running: { server: S3rverInstance; port: number } | undefined;
try {
  running = await startS3rver(directory);
} catch (error) {
  // A fully skipped file runs no hooks, so afterAll would not clean up.
  await fsp.rm(directory, { recursive: true, force: true });
  console.warn(`skipping S3BlobStore tests: s3rver could not start (${String(error)})`);
}

afterAll(async () => {
  await running?.server.close();
  await fsp.rm(directory, { recursive: true, force: true });
});

describe.skipIf(running === undefined)('S3BlobStore', () => {
  const settings: S3Settings = {
    bucket: BUCKET,
    endpoint: `http://127.0.0.1:${running?.port}`,
    region: 'us-east-1',
    // s3rver's fixed key pair; it rejects other key ids (it did not reject a wrong secret).
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
  const store = new S3BlobStore(settings);

  it('returns the bytes that were put', async () => {
    const bytes = randomBytes(200_000);
    await store.put('ast_roundtrip.png', bytes, 'image/png');
    const body = await store.get('ast_roundtrip.png');
    expect(body).toBeDefined();
    expect((await buffer(body!)).equals(bytes)).toBe(true);
  });

  it('stores the content type and a long cache lifetime', async () => {
    await store.put('ast_headers.webp', randomBytes(100), 'image/webp');
    const client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const head = await client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'ast_headers.webp' }),
    );
    client.destroy();
    expect(head.ContentType).toBe('image/webp');
    expect(head.CacheControl).toMatch(/max-age=31536000/);
  });

  it('answers undefined for a missing key', async () => {
    expect(await store.get('ast_missing.png')).toBeUndefined();
  });

  it('deletes, after which the key is missing', async () => {
    await store.put('ast_deleted.jpeg', randomBytes(100), 'image/jpeg');
    await store.delete('ast_deleted.jpeg');
    expect(await store.get('ast_deleted.jpeg')).toBeUndefined();
  });

  it('deletes a missing key without error', async () => {
    await expect(store.delete('ast_never.png')).resolves.toBeUndefined();
  });

  it('refuses keys Pixapi does not make', async () => {
    await expect(store.put('../escape.png', Buffer.from('x'), 'image/png')).rejects.toThrow(
      /invalid storage key/,
    );
    await expect(store.get('a/b.png')).rejects.toThrow(/invalid storage key/);
  });

  it('passes check() when the bucket exists', async () => {
    await expect(store.check()).resolves.toBeUndefined();
  });

  it('fails check() when the bucket does not exist', async () => {
    const missing = new S3BlobStore({ ...settings, bucket: 'no-such-bucket' });
    await expect(missing.check()).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('throws, not undefined, for a key in a missing bucket', async () => {
    const missing = new S3BlobStore({ ...settings, bucket: 'no-such-bucket' });
    await expect(missing.get('ast_any.png')).rejects.toMatchObject({
      code: 'storage_unavailable',
      cause: { name: 'NoSuchBucket' },
    });
  });
});
