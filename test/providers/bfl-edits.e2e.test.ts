import { describe, expect, it } from 'vitest';
import { startFakeBfl } from '../fakes/bfl/index.js';
import { describeRefusedInputs } from '../helpers/provider-e2e-cases.js';
import {
  expectReencoded,
  hostedImageAndMask,
  jpeg,
  openAIImageUrls,
  png,
  pngAndJpegDataUrls,
  type SentImage,
  twoImagesAndMask,
} from '../helpers/provider-e2e-inputs.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';
import { allowPortOf } from '../helpers/provider-e2e.js';

/**
 * Edits through the real server to the fake BFL API: every input, whatever form the client used,
 * arrives as base64 in `input_image`, `input_image_2`... (one task per output image). BFL's
 * models take no mask: it is not sent (BFL forbids unknown fields).
 */

const e2e = useProviderE2E({
  startFake: () => startFakeBfl(),
  inputs: true,
  env: ({ fake, host }) => ({
    BFL_API_KEY: fake.apiKey,
    BFL_BASE_URL: fake.url,
    // Polling and sample URLs are on the fake; the client's images on the image host.
    PIXAPI_OUTBOUND_ALLOW: `${allowPortOf(fake.url)},${host.allow}`,
  }),
});
// flux-2-pro costs 3 credits per image and takes width/height in pixels.
const EDIT = { model: 'flux-2-pro', prompt: 'add a red hat', size: '1024x768' };
const BASE64 = /^[A-Za-z0-9+/]+=*$/;
const DOCUMENTED = ['prompt', 'width', 'height', 'aspect_ratio', 'seed', 'output_format'];

/**
 * Every submission to `/v1/{model}` carried the inputs in order as plain base64 (no `data:`
 * prefix), re-encoded by Pixapi, and nothing but BFL's documented fields (no mask).
 */
async function expectInputImages(model: string, images: SentImage[], tasks: number): Promise<void> {
  const sent = e2e.fake.submissions();
  expect(sent).toHaveLength(tasks);
  const fields = images.map((_, i) => (i === 0 ? 'input_image' : `input_image_${i + 1}`));
  for (const submission of sent) {
    expect(submission.path).toBe(`/v1/${model}`);
    expect(submission.headers['x-key']).toBe(e2e.fake.apiKey);
    const body = submission.body as Record<string, unknown>;
    expect(body.prompt).toBe(EDIT.prompt);
    const extra = Object.keys(body).filter(
      (k) => !DOCUMENTED.includes(k) && k !== 'safety_tolerance' && !fields.includes(k),
    );
    expect(extra).toEqual([]);
    for (const [i, [original, format]] of images.entries()) {
      const value = body[fields[i]!];
      expect(value).toMatch(BASE64);
      await expectReencoded(Buffer.from(value as string, 'base64'), original, format);
    }
    expect(body).not.toHaveProperty(`input_image_${images.length + 1}`);
  }
}

describe('bfl edits: the forms a client sends', () => {
  it('JSON with a PNG and a JPEG data URL, n=2: two tasks with both images, 2 × 3 credits', async () => {
    const { red, green } = e2e.inputs;
    const res = await e2e.edit({ ...EDIT, n: 2, ...pngAndJpegDataUrls(e2e.inputs) });
    await e2e.expectServed(res, { n: 2, width: 1024, height: 768, credits: 6 });
    await expectInputImages('flux-2-pro', [png(red), jpeg(green)], 2);
    for (const s of e2e.fake.submissions()) {
      expect(s.body).toMatchObject({ width: 1024, height: 768 });
    }
    await e2e.expectSucceededUsage({ route: 'bfl/flux-2-pro', images: 2, credits: 6 });
  });

  it('JSON with an http URL on an allowed host (and a mask, which BFL does not take)', async () => {
    const { host, inputs } = e2e;
    const res = await e2e.edit({ ...EDIT, ...hostedImageAndMask(host) });
    await e2e.expectServed(res, { n: 1, width: 1024, height: 768, credits: 3 });
    await expectInputImages('flux-2-pro', [png(inputs.red)], 1);
    expect(host.hits).toContain('/in.png');
  });

  it("OpenAI's JSON form to FLUX Kontext: images: [{image_url}] ×2, sized by aspect_ratio", async () => {
    const { host, inputs } = e2e;
    const res = await e2e.edit({
      ...EDIT,
      model: 'flux-kontext-pro',
      ...openAIImageUrls(host, inputs),
    });
    // Kontext costs 4 credits; the fake draws 16 px per ratio unit (4:3 → 64x48).
    await e2e.expectServed(res, { n: 1, width: 64, height: 48, credits: 4 });
    await expectInputImages('flux-kontext-pro', [png(inputs.red), png(inputs.blue)], 1);
    expect(e2e.fake.submissions()[0]!.body).toMatchObject({ aspect_ratio: '4:3' });
  });

  it('multipart with two image[] files and a mask', async () => {
    const { inputs } = e2e;
    const res = await e2e.editMultipart(EDIT, twoImagesAndMask(inputs));
    await e2e.expectServed(res, { n: 1, width: 1024, height: 768, credits: 3 });
    await expectInputImages('flux-2-pro', [png(inputs.red), png(inputs.blue)], 1);
  });
});

describeRefusedInputs(e2e, {
  title: 'bfl edits: refused before BFL',
  body: EDIT,
  textOnly: {
    name: 'flux-pro-1.1 (text-to-image only) → 400 unsupported_model, nothing sent',
    body: { ...EDIT, model: 'flux-pro-1.1' },
  },
});
