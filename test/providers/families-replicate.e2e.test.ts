import { describe, expect, it } from 'vitest';
import { REPLICATE_FAKE_TOKEN, startFakeReplicate } from '../fakes/replicate/index.js';
import { dataUrl } from '../helpers/provider-e2e-inputs.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';
import { allowPortOf } from '../helpers/provider-e2e.js';

/**
 * The built-in Luma Photon entries, and the Replicate routes of Seedream 4, Qwen-Image(-Edit)
 * and Ideogram 3 (only REPLICATE_API_TOKEN is set, so their fal routes are skipped), through
 * the real server to the fake Replicate API, whose models check their own inputs.
 */

const e2e = useProviderE2E({
  startFake: () =>
    startFakeReplicate({
      models: [
        'luma/photon',
        'luma/photon-flash',
        'bytedance/seedream-4',
        'qwen/qwen-image',
        'qwen/qwen-image-edit',
        'ideogram-ai/ideogram-v3-balanced',
      ],
    }),
  inputs: true,
  env: ({ fake, host }) => ({
    REPLICATE_API_TOKEN: REPLICATE_FAKE_TOKEN,
    REPLICATE_BASE_URL: fake.url,
    PIXAPI_OUTBOUND_ALLOW: `${allowPortOf(fake.url)},${host.allow}`,
  }),
});

const inputsOf = (model: string) =>
  e2e.fake.requests
    .filter((r) => r.method === 'POST' && r.path === `/v1/models/${model}/predictions`)
    .map((r) => (r.body as { input: Record<string, unknown> }).input);

describe('model families on Replicate', () => {
  it("luma-photon: one prediction per image, Luma's nearest aspect ratio, 3 credits", async () => {
    // 3:2 is not one of Luma's ratios: 4:3 is the nearest it takes.
    const res = await e2e.generate({
      model: 'luma-photon',
      prompt: 'a fox',
      n: 2,
      size: '1536x1024',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await e2e.expectCharged(6);
    const sent = inputsOf('luma/photon');
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ prompt: 'a fox', aspect_ratio: '4:3' });
    expect(sent[0]).not.toHaveProperty('num_outputs');
  });

  it('luma-photon-flash costs 1 credit', async () => {
    const res = await e2e.generate({
      model: 'luma-photon-flash',
      prompt: 'a fox',
      size: '1024x1792',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await e2e.expectCharged(1);
    expect(inputsOf('luma/photon-flash')[0]).toMatchObject({ aspect_ratio: '9:16' });
  });

  it('seedream-4: size custom with width and height; edits send image_input', async () => {
    const res = await e2e.generate({ model: 'seedream-4', prompt: 'a poster', size: '2048x1152' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(inputsOf('bytedance/seedream-4')[0]).toMatchObject({
      size: 'custom',
      width: 2048,
      height: 1152,
    });
    e2e.fake.reset();
    const edit = await e2e.edit({
      model: 'seedream-4-edit',
      prompt: 'merge',
      image: [dataUrl(e2e.inputs.red), dataUrl(e2e.inputs.blue)],
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect(inputsOf('bytedance/seedream-4')[0]!.image_input).toHaveLength(2);
    await e2e.expectCharged(10);
  });

  it('qwen-image-edit sends its one source as image; ideogram-v3 gets its own ratios', async () => {
    const edit = await e2e.edit({
      model: 'qwen-image-edit',
      prompt: 'change the text',
      image: dataUrl(e2e.inputs.red),
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect(typeof inputsOf('qwen/qwen-image-edit')[0]!.image).toBe('string');
    const ideogram = await e2e.generate({
      model: 'ideogram-v3',
      prompt: 'a logo',
      size: '1024x2048',
    });
    expect(ideogram.status, JSON.stringify(ideogram.body)).toBe(200);
    expect(inputsOf('ideogram-ai/ideogram-v3-balanced')[0]).toMatchObject({ aspect_ratio: '1:2' });
    await e2e.expectCharged(11);
  });
});
