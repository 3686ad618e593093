import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FAKE_GEMINI_KEY, fakeImageDimensions, startFakeGemini } from '../fakes/gemini/index.js';
import { describeRefusedInputs } from '../helpers/provider-e2e-cases.js';
import {
  dataUrl,
  expectReencoded,
  hostedImageAndMask,
  jpeg,
  png,
  pngAndJpegDataUrls,
  type SentImage,
  twoImagesAndMask,
} from '../helpers/provider-e2e-inputs.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';

/**
 * Edits through the real server to the fake Gemini API: Gemini takes no image URLs, so every
 * input, whatever form the client used, arrives inlined as `inline_data` after the prompt's text
 * part, and a mask after a text part that says what it is.
 */

const e2e = useProviderE2E({
  startFake: () => startFakeGemini(),
  inputs: true,
  // An operator offering Nano Banana for text-to-image only.
  catalog: [
    {
      id: 'banana-text-only',
      name: 'Nano Banana (text to image only)',
      description: 'Gemini 2.5 Flash Image, offered without editing.',
      owned_by: 'google',
      capabilities: '[text-to-image]',
      routes: '[{ provider: gemini, model: gemini-2.5-flash-image }]',
      sizes: '{ auto: 1024x1024, list: [{ size: 1024x1024, tier: 1K }] }',
      qualities: '[auto]',
      pricing: '{ rules: [{ credits: 2 }] }',
    },
  ],
  env: ({ fake, host, catalog }) => ({
    GEMINI_API_KEY: FAKE_GEMINI_KEY,
    GEMINI_BASE_URL: fake.url,
    PIXAPI_CATALOG: catalog,
    PIXAPI_OUTBOUND_ALLOW: host.allow,
  }),
});
// gemini-2.5-flash-image costs 2 credits per image; 1024x1024 is its 1K 1:1 size.
const EDIT = { model: 'gemini-2.5-flash-image', prompt: 'add a red hat', size: '1024x1024' };
const PATH = '/v1beta/models/gemini-2.5-flash-image:generateContent';

type Part = Record<string, unknown>;
interface SentBody {
  contents: Array<{ role: string; parts: Part[] }>;
  generationConfig: { imageConfig?: Record<string, unknown> };
}
const bodyOf = (i: number) => e2e.fake.requests[i]!.body as SentBody;

/**
 * Call `i` carried the prompt's text part first, then each input inlined with its MIME type (in
 * order, re-encoded), then, with a mask, a text part about it and the mask inlined.
 */
async function expectInlined(i: number, images: SentImage[], mask?: Buffer): Promise<void> {
  const sent = e2e.fake.requests[i]!;
  expect(sent.path).toBe(PATH);
  expect(sent.headers['x-goog-api-key']).toBe(FAKE_GEMINI_KEY);
  const body = bodyOf(i);
  expect(body.contents).toHaveLength(1);
  expect(body.contents[0]!.role).toBe('user');
  const parts = body.contents[0]!.parts;
  const inline = (mime: string) => ({
    inline_data: { mime_type: mime, data: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) as unknown },
  });
  expect(parts).toEqual([
    { text: EDIT.prompt },
    ...images.map(([, format]) => inline(`image/${format}`)),
    ...(mask ? [{ text: expect.stringMatching(/mask/i) as unknown }, inline('image/png')] : []),
  ]);
  const decoded = (p: Part) => Buffer.from((p.inline_data as { data: string }).data, 'base64');
  for (const [j, [original, format]] of images.entries()) {
    await expectReencoded(decoded(parts[1 + j]!), original, format);
  }
  if (mask) await expectReencoded(decoded(parts.at(-1)!), mask);
}

describe('gemini edits: the forms a client sends', () => {
  it('JSON with a PNG and a JPEG data URL, n=2: two calls with both inlined, 2 × 2 credits', async () => {
    const { red, green } = e2e.inputs;
    const res = await e2e.edit({ ...EDIT, n: 2, ...pngAndJpegDataUrls(e2e.inputs) });
    await e2e.expectServed(res, { n: 2, width: 1024, height: 1024, credits: 4 });
    expect(e2e.fake.requests).toHaveLength(2);
    for (const i of [0, 1]) {
      await expectInlined(i, [png(red), jpeg(green)]);
      expect(bodyOf(i).generationConfig.imageConfig).toEqual({ aspectRatio: '1:1' });
    }
    await e2e.expectSucceededUsage({
      route: 'gemini/gemini-2.5-flash-image',
      images: 2,
      credits: 4,
    });
  });

  it('JSON with http URLs on an allowed host, size auto: no ratio sent, Gemini follows the input', async () => {
    const { host, inputs } = e2e;
    const res = await e2e.edit({
      model: 'nano-banana',
      prompt: EDIT.prompt,
      ...hostedImageAndMask(host),
    });
    // The fake follows the first input (64x48, so 4:3) when no aspectRatio is sent.
    const { width, height } = fakeImageDimensions('4:3', '1K');
    await e2e.expectServed(res, { n: 1, width, height, credits: 2 });
    expect(e2e.fake.requests).toHaveLength(1);
    await expectInlined(0, [png(inputs.red)], inputs.mask);
    expect(bodyOf(0).generationConfig.imageConfig ?? {}).not.toHaveProperty('aspectRatio');
    expect(host.hits).toEqual(expect.arrayContaining(['/in.png', '/mask.png']));
  });

  it("OpenAI's JSON form: images: [{image_url}] ×2 and mask: {image_url}", async () => {
    const { host, inputs } = e2e;
    const res = await e2e.edit({
      ...EDIT,
      images: [
        { image_url: dataUrl(inputs.green, 'image/jpeg') },
        { image_url: host.url('/in.png') },
      ],
      mask: { image_url: dataUrl(inputs.mask) },
    });
    await e2e.expectServed(res, { n: 1, width: 1024, height: 1024, credits: 2 });
    expect(e2e.fake.requests).toHaveLength(1);
    await expectInlined(0, [jpeg(inputs.green), png(inputs.red)], inputs.mask);
  });

  it('multipart with two image[] files and a mask', async () => {
    const { inputs } = e2e;
    const res = await e2e.editMultipart(EDIT, twoImagesAndMask(inputs));
    await e2e.expectServed(res, { n: 1, width: 1024, height: 1024, credits: 2 });
    expect(e2e.fake.requests).toHaveLength(1);
    await expectInlined(0, [png(inputs.red), png(inputs.blue)], inputs.mask);
    // The mask keeps its alpha channel: the transparent half is the area to change.
    const parts = bodyOf(0).contents[0]!.parts;
    const mask = Buffer.from((parts.at(-1)!.inline_data as { data: string }).data, 'base64');
    expect((await sharp(mask).metadata()).hasAlpha).toBe(true);
  });
});

describeRefusedInputs(e2e, {
  title: 'gemini edits: refused before Gemini',
  body: EDIT,
  textOnly: {
    name: 'a Gemini-routed model without image-to-image → 400 unsupported_model, nothing sent',
    body: { model: 'banana-text-only', prompt: EDIT.prompt },
  },
});
