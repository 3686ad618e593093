import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { OpenedAsset } from '../storage/assets.js';
import { replayBody, withAssetRefs, type ReplayAssets } from './image-replay.js';

/** Assets in memory, read back in small uneven chunks to cross every base64 group boundary. */
function assetsOf(files: Record<string, Buffer>): ReplayAssets {
  return {
    open: async (id, extension) => {
      const bytes = files[`${id}.${extension}`];
      if (!bytes) return undefined;
      const chunks: Buffer[] = [];
      for (let at = 0, size = 1; at < bytes.length; at += size, size = (size % 7) + 1) {
        chunks.push(bytes.subarray(at, at + size));
      }
      const opened: OpenedAsset = {
        contentType: 'image/png',
        bytes: bytes.length,
        etag: '"x"',
        expiresAt: null,
        body: Readable.from(chunks),
      };
      return opened;
    },
  };
}

async function text(body: unknown): Promise<string> {
  if (!(body instanceof Readable)) return JSON.stringify(body);
  let out = '';
  for await (const chunk of body) out += String(chunk);
  return out;
}

describe('image replays', () => {
  const files = {
    'ast_a.png': randomBytes(1000),
    'ast_b.png': randomBytes(1001),
    'ast_c.png': randomBytes(1002),
  };
  const body = {
    created: 1,
    data: Object.entries(files).map(([file, bytes]) => ({
      url: `/v1/assets/${file}`,
      b64_json: bytes.toString('base64'),
      revised_prompt: 'a "quoted" fox',
    })),
    model: 'm',
  };

  it('stores references and replays the exact JSON text, key order included', async () => {
    const stored = JSON.stringify(withAssetRefs(body, Object.keys(files)));
    expect(stored).not.toContain('b64_json"');
    expect(stored.length).toBeLessThan(500);
    expect(await text(await replayBody(stored, assetsOf(files)))).toBe(JSON.stringify(body));
  });

  it('leaves bodies without images as they are, and needs no asset reader for them', async () => {
    const plain = { created: 1, data: [{ url: '/v1/assets/ast_a.png' }] };
    expect(withAssetRefs(plain, ['ast_a.png'])).toBe(plain);
    expect(await replayBody(JSON.stringify(plain), undefined)).toEqual(plain);
  });

  it('answers 410 when an image is gone', async () => {
    const stored = JSON.stringify(withAssetRefs(body, Object.keys(files)));
    const rest = { 'ast_a.png': files['ast_a.png'], 'ast_c.png': files['ast_c.png'] };
    await expect(replayBody(stored, assetsOf(rest))).rejects.toMatchObject({
      status: 410,
      code: 'idempotent_images_expired',
    });
  });
});
