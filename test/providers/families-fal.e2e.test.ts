import { describe, expect, it } from 'vitest';
import { FAL_FAKE_KEY, startFakeFal } from '../fakes/fal/index.js';
import { dataUrl } from '../helpers/provider-e2e-inputs.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';
import { allowPortOf } from '../helpers/provider-e2e.js';

/**
 * The built-in Seedream 4, Qwen-Image(-Edit) and Ideogram 3 entries through the real server to
 * the fake fal queue, whose models check their own input schemas (fal refuses unknown fields):
 * each model receives exactly its input shape and is charged its catalog price.
 */

const e2e = useProviderE2E({
  startFake: () => startFakeFal(),
  inputs: true,
  env: ({ fake, host }) => ({
    FAL_KEY: FAL_FAKE_KEY,
    FAL_BASE_URL: fake.url,
    PIXAPI_OUTBOUND_ALLOW: `${allowPortOf(fake.url)},${host.allow}`,
  }),
});

const submitted = (path: string) => {
  const found = e2e.fake.requests.filter((r) => r.method === 'POST' && r.path === path);
  expect(found).toHaveLength(1);
  return found[0]!.body as Record<string, unknown>;
};

describe('model families on fal', () => {
  it('seedream-4: no output_format, image_size in pixels, 5 credits an image', async () => {
    const res = await e2e.generate({
      model: 'seedream-4',
      prompt: 'a poster',
      n: 2,
      size: '1024x768',
    });
    await e2e.expectServed(res, { n: 2, width: 1024, height: 768, credits: 10 });
    const body = submitted('/fal-ai/bytedance/seedream/v4/text-to-image');
    expect(body).toEqual({
      prompt: 'a poster',
      image_size: { width: 1024, height: 768 },
      num_images: 2,
      enable_safety_checker: true,
    });
  });

  it('seedream-4-edit: every source image in image_urls', async () => {
    const { inputs } = e2e;
    const res = await e2e.edit({
      model: 'seedream-4-edit',
      prompt: 'merge them',
      image: [dataUrl(inputs.red), dataUrl(inputs.blue)],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = submitted('/fal-ai/bytedance/seedream/v4/edit');
    expect(body.image_urls).toHaveLength(2);
    expect(body).not.toHaveProperty('output_format');
    await e2e.expectCharged(5);
  });

  it('qwen-image and qwen-image-edit: the FLUX-like schema, one image_url for edits', async () => {
    const res = await e2e.generate({
      model: 'qwen-image',
      prompt: '招牌 sign',
      output_format: 'jpeg',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(submitted('/fal-ai/qwen-image')).toMatchObject({ output_format: 'jpeg', num_images: 1 });
    const edit = await e2e.edit({
      model: 'qwen-image-edit',
      prompt: 'change the text',
      image: dataUrl(e2e.inputs.red),
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    const body = submitted('/fal-ai/qwen-image-edit');
    expect(typeof body.image_url).toBe('string');
    await e2e.expectCharged(10);
  });

  it('ideogram-v3: rendering_speed BALANCED, no output_format or safety switch', async () => {
    const res = await e2e.generate({ model: 'ideogram-v3', prompt: 'a logo' });
    await e2e.expectServed(res, { n: 1, width: 1024, height: 1024, credits: 6 });
    expect(submitted('/fal-ai/ideogram/v3')).toEqual({
      prompt: 'a logo',
      image_size: { width: 1024, height: 1024 },
      num_images: 1,
      rendering_speed: 'BALANCED',
    });
  });
});
