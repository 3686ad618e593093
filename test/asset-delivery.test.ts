import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { BUCKET, OwnBucket } from './cluster/cluster.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

/**
 * PIXAPI_ASSET_DELIVERY against s3rver, a real S3 protocol server on loopback: `redirect`
 * answers with a presigned GET that s3rver honours, `public` hands out URLs on S3_PUBLIC_URL,
 * and the retention sweep deletes expired assets from either store.
 */

let bucket: OwnBucket | undefined;
try {
  bucket = await OwnBucket.start();
} catch (error) {
  console.warn(`[pixapi tests] skipping asset delivery tests: s3rver (${String(error)})`);
}

afterAll(async () => bucket?.remove());

function s3Env(delivery: string): Record<string, string> {
  return {
    PIXAPI_STORAGE: 's3',
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: bucket!.endpoint,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
    PIXAPI_ASSET_DELIVERY: delivery,
    S3_PUBLIC_URL: `${bucket!.endpoint}/${BUCKET}`,
  };
}

async function generate(server: TestServer): Promise<{ url: string; bytes: Buffer }> {
  const { apiKey } = await server.account(10);
  const res = await api<{ data: Array<{ url: string; b64_json: string }> }>(
    server.url,
    'POST',
    '/v1/images/generations',
    {
      key: apiKey,
      body: { model: 'local-placeholder', prompt: 'delivery', size: '32x32' },
    },
  );
  expect(res.status).toBe(200);
  const [image] = res.body.data;
  return { url: image!.url, bytes: Buffer.from(image!.b64_json, 'base64') };
}

describe('asset delivery configuration', () => {
  it('refuses redirect or public without S3, and public without S3_PUBLIC_URL', () => {
    expect(() => loadConfig({ PIXAPI_ASSET_DELIVERY: 'redirect' })).toThrow(
      /PIXAPI_ASSET_DELIVERY=redirect needs PIXAPI_STORAGE=s3/,
    );
    expect(() =>
      loadConfig({ PIXAPI_STORAGE: 's3', S3_BUCKET: 'b', PIXAPI_ASSET_DELIVERY: 'public' }),
    ).toThrow(/needs S3_PUBLIC_URL/);
    expect(loadConfig({}).assetDelivery).toEqual({ mode: 'proxy' });
  });
});

describe.skipIf(bucket === undefined)('assets on S3', () => {
  describe('redirect', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ env: s3Env('redirect') });
    });
    afterAll(async () => server?.close());

    it('answers 302 to a short-lived presigned GET that serves the bytes', async () => {
      const { url, bytes } = await generate(server);
      expect(new URL(url).pathname).toMatch(/^\/v1\/assets\/ast_\w{22}\.png$/);
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      const location = new URL(res.headers.get('location')!);
      expect(location.origin).toBe(bucket!.endpoint);
      expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
      expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      const direct = await fetch(location);
      expect(direct.status).toBe(200);
      expect(Buffer.from(await direct.arrayBuffer()).equals(bytes)).toBe(true);
    });

    it('answers 404 for an unknown asset, without signing anything', async () => {
      const res = await fetch(`${server.url}/v1/assets/ast_${'a'.repeat(22)}.png`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(404);
    });

    it('the retention sweep deletes expired assets from the bucket', async () => {
      const { url } = await generate(server);
      const key = path.basename(new URL(url).pathname);
      const head = () => fetch(`${bucket!.endpoint}/${BUCKET}/${key}`, { method: 'HEAD' });
      expect((await head()).status).toBe(200);
      // An hour past the longest retention: the asset is expired.
      const removed = await server.services.assets.deleteExpired(Date.now() + 169 * 3_600_000);
      expect(removed).toBeGreaterThanOrEqual(1);
      expect((await head()).status).toBe(404);
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(404);
    });
  });

  describe('public', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ env: s3Env('public') });
    });
    afterAll(async () => server?.close());

    it('hands out URLs on S3_PUBLIC_URL that serve the bytes without Pixapi', async () => {
      const { url, bytes } = await generate(server);
      expect(url).toMatch(new RegExp(`^${bucket!.endpoint}/${BUCKET}/ast_\\w{22}\\.png$`));
      const direct = await fetch(url);
      expect(direct.status).toBe(200);
      expect(Buffer.from(await direct.arrayBuffer()).equals(bytes)).toBe(true);
      // The server's own URL for the asset still works: a redirect to the public one.
      const own = await fetch(`${server.url}/v1/assets/${path.basename(url)}`, {
        redirect: 'manual',
      });
      expect(own.status).toBe(302);
      expect(own.headers.get('location')).toBe(url);
    });
  });
});

describe('retention on the local store', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('the sweep deletes expired assets from disk', async () => {
    const { url } = await generate(server);
    const file = path.join(server.dataDir, 'assets', path.basename(new URL(url).pathname));
    expect(fs.existsSync(file)).toBe(true);
    await server.services.assets.deleteExpired(Date.now() + 169 * 3_600_000);
    expect(fs.existsSync(file)).toBe(false);
    expect((await fetch(url)).status).toBe(404);
  });
});
