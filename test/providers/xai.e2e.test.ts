import { describe, expect, it } from 'vitest';
import { startFakeXai, XAI_FAKE_KEY } from '../fakes/xai/index.js';
import { dataUrl } from '../helpers/provider-e2e-inputs.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';
import { allowPortOf } from '../helpers/provider-e2e.js';

/**
 * xAI's grok-imagine-image through the real server, served by OpenAI's adapter with xAI's
 * bodies, against a fake of xAI's Images API.
 */

const e2e = useProviderE2E({
  startFake: () => startFakeXai(),
  inputs: true,
  env: ({ fake, host }) => ({
    XAI_API_KEY: XAI_FAKE_KEY,
    XAI_BASE_URL: fake.url,
    PIXAPI_OUTBOUND_ALLOW: `${allowPortOf(fake.url)},${host.allow}`,
  }),
});

const sent = (path: string) =>
  e2e.fake.requests.filter((r) => r.path === path).map((r) => r.body as Record<string, unknown>);

describe('xai: grok-imagine-image', () => {
  it('generations send aspect_ratio instead of size; n in one call; 2 credits an image', async () => {
    const res = await e2e.generate({
      model: 'grok-imagine-image',
      prompt: 'a fox',
      n: 2,
      size: '1536x1024',
      output_format: 'png',
    });
    await e2e.expectServed(res, { n: 2, width: 1256, height: 840, credits: 4, format: 'png' });
    expect(sent('/v1/images/generations')).toEqual([
      {
        model: 'grok-imagine-image',
        prompt: 'a fox',
        n: 2,
        response_format: 'b64_json',
        aspect_ratio: '3:2',
      },
    ]);
    expect(e2e.fake.requests[0]!.headers.authorization).toBe(`Bearer ${XAI_FAKE_KEY}`);
  });

  it('edits are JSON: one source as image, several as images', async () => {
    const { inputs } = e2e;
    const one = await e2e.edit({
      model: 'grok-imagine-image',
      prompt: 'add a hat',
      image: dataUrl(inputs.red),
    });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    const three = await e2e.edit({
      model: 'grok-imagine-image',
      prompt: 'combine',
      image: [dataUrl(inputs.red), dataUrl(inputs.blue), dataUrl(inputs.red)],
    });
    expect(three.status, JSON.stringify(three.body)).toBe(200);
    const [first, second] = sent('/v1/images/edits');
    expect((first!.image as { url: string }).url).toMatch(/^data:image\/png;base64,/);
    expect(first).not.toHaveProperty('aspect_ratio');
    expect(second!.images).toHaveLength(3);
    await e2e.expectCharged(4);
  });

  it('more than 3 source images → 400 before xAI, nothing charged', async () => {
    const { inputs } = e2e;
    const res = await e2e.edit({
      model: 'grok-imagine-image',
      prompt: 'combine',
      image: [dataUrl(inputs.red), dataUrl(inputs.blue), dataUrl(inputs.red), dataUrl(inputs.blue)],
    });
    expect(res.status).toBe(400);
    expect(sent('/v1/images/edits')).toHaveLength(0);
    await e2e.expectCharged(0);
  });
});
