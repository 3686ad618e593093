import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FAKE_GEMINI_KEY,
  fakeImageDimensions,
  startFakeGemini,
  type FakeGemini,
} from '../fakes/gemini/index.js';
import {
  dataUrl,
  edit,
  editMultipart,
  expectCharged,
  expectImages,
  expectImageUrlRejected,
  expectNoImageToImage,
  expectReencoded,
  lastUsage,
  makeEditInputs,
  REJECTED_URL,
  removeCatalogs,
  startImageHost,
  startPixapi,
  twoImagesAndMask,
  writeCatalog,
  type EditInputs,
  type ImageHost,
} from '../helpers/provider-e2e.js';
import type { TestServer } from '../helpers/server.js';

/**
 * Edits through the real server to the fake Gemini API: Gemini takes no image URLs, so every
 * input, whatever form the client used, arrives inlined as `inline_data` after the prompt's text
 * part, and a mask after a text part that says what it is.
 */

let fake: FakeGemini;
let host: ImageHost;
let inputs: EditInputs;
let catalog: string;
let server: TestServer;
let key: string;

// gemini-2.5-flash-image costs 2 credits per image; 1024x1024 is its 1K 1:1 size.
const EDIT = { model: 'gemini-2.5-flash-image', prompt: 'add a red hat', size: '1024x1024' };
const PATH = '/v1beta/models/gemini-2.5-flash-image:generateContent';

type Part = Record<string, unknown>;
interface SentBody {
  contents: Array<{ role: string; parts: Part[] }>;
  generationConfig: { imageConfig?: Record<string, unknown> };
}
const bodyOf = (i: number) => fake.requests[i]!.body as SentBody;

beforeAll(async () => {
  fake = await startFakeGemini();
  inputs = await makeEditInputs();
  host = await startImageHost({
    '/in.png': { bytes: inputs.red, type: 'image/png' },
    '/mask.png': { bytes: inputs.mask, type: 'image/png' },
  });
  // An operator offering Nano Banana for text-to-image only.
  catalog = writeCatalog(
    [
      'models:',
      '  - id: banana-text-only',
      '    name: Nano Banana (text to image only)',
      '    description: Gemini 2.5 Flash Image, offered without editing.',
      '    owned_by: google',
      '    capabilities: [text-to-image]',
      '    routes: [{ provider: gemini, model: gemini-2.5-flash-image }]',
      '    sizes: { auto: 1024x1024, list: [{ size: 1024x1024, tier: 1K }] }',
      '    qualities: [auto]',
      '    pricing: { rules: [{ credits: 2 }] }',
    ].join('\n'),
  );
});
afterAll(async () => {
  await fake?.close();
  await host?.close();
  removeCatalogs();
});
beforeEach(async () => {
  fake.reset();
  server = await startPixapi({
    GEMINI_API_KEY: FAKE_GEMINI_KEY,
    GEMINI_BASE_URL: fake.url,
    PIXAPI_CATALOG: catalog,
    PIXAPI_OUTBOUND_ALLOW: host.allow,
  });
  key = (await server.account(100)).apiKey;
});
afterEach(async () => server?.close());

/**
 * Call `i` carried the prompt's text part first, then each input inlined with its MIME type (in
 * order, re-encoded), then, with a mask, a text part about it and the mask inlined.
 */
async function expectInlined(
  i: number,
  images: Array<[Buffer, 'image/png' | 'image/jpeg']>,
  mask?: Buffer,
): Promise<void> {
  const sent = fake.requests[i]!;
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
    ...images.map(([, mime]) => inline(mime)),
    ...(mask ? [{ text: expect.stringMatching(/mask/i) as unknown }, inline('image/png')] : []),
  ]);
  const decoded = (p: Part) => Buffer.from((p.inline_data as { data: string }).data, 'base64');
  for (const [j, [original, mime]] of images.entries()) {
    await expectReencoded(decoded(parts[1 + j]!), original, mime === 'image/png' ? 'png' : 'jpeg');
  }
  if (mask) await expectReencoded(decoded(parts.at(-1)!), mask);
}

describe('gemini edits: the forms a client sends', () => {
  it('JSON with a PNG and a JPEG data URL, n=2: two calls with both inlined, 2 × 2 credits', async () => {
    const res = await edit(server, key, {
      ...EDIT,
      n: 2,
      image: [dataUrl(inputs.red), dataUrl(inputs.green, 'image/jpeg')],
    });
    await expectImages(res, { n: 2, width: 1024, height: 1024, credits: 4 });
    await expectCharged(server, key, 100, 4);
    expect(fake.requests).toHaveLength(2);
    for (const i of [0, 1]) {
      await expectInlined(i, [
        [inputs.red, 'image/png'],
        [inputs.green, 'image/jpeg'],
      ]);
      expect(bodyOf(i).generationConfig.imageConfig).toEqual({ aspectRatio: '1:1' });
    }
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      route: 'gemini/gemini-2.5-flash-image',
      images: 2,
      credits: 4,
    });
  });

  it('JSON with http URLs on an allowed host, size auto: no ratio sent, Gemini follows the input', async () => {
    const res = await edit(server, key, {
      model: 'nano-banana',
      prompt: EDIT.prompt,
      image: host.url('/in.png'),
      mask: host.url('/mask.png'),
    });
    // The fake follows the first input (64x48, so 4:3) when no aspectRatio is sent.
    const { width, height } = fakeImageDimensions('4:3', '1K');
    await expectImages(res, { n: 1, width, height, credits: 2 });
    await expectCharged(server, key, 100, 2);
    expect(fake.requests).toHaveLength(1);
    await expectInlined(0, [[inputs.red, 'image/png']], inputs.mask);
    expect(bodyOf(0).generationConfig.imageConfig ?? {}).not.toHaveProperty('aspectRatio');
    expect(host.hits).toEqual(expect.arrayContaining(['/in.png', '/mask.png']));
  });

  it("OpenAI's JSON form: images: [{image_url}] ×2 and mask: {image_url}", async () => {
    const res = await edit(server, key, {
      ...EDIT,
      images: [
        { image_url: dataUrl(inputs.green, 'image/jpeg') },
        { image_url: host.url('/in.png') },
      ],
      mask: { image_url: dataUrl(inputs.mask) },
    });
    await expectImages(res, { n: 1, width: 1024, height: 1024, credits: 2 });
    await expectCharged(server, key, 100, 2);
    expect(fake.requests).toHaveLength(1);
    await expectInlined(
      0,
      [
        [inputs.green, 'image/jpeg'],
        [inputs.red, 'image/png'],
      ],
      inputs.mask,
    );
  });

  it('multipart with two image[] files and a mask', async () => {
    const res = await editMultipart(server, key, EDIT, twoImagesAndMask(inputs));
    await expectImages(res, { n: 1, width: 1024, height: 1024, credits: 2 });
    await expectCharged(server, key, 100, 2);
    expect(fake.requests).toHaveLength(1);
    await expectInlined(
      0,
      [
        [inputs.red, 'image/png'],
        [inputs.blue, 'image/png'],
      ],
      inputs.mask,
    );
    // The mask keeps its alpha channel: the transparent half is the area to change.
    const parts = bodyOf(0).contents[0]!.parts;
    const mask = Buffer.from((parts.at(-1)!.inline_data as { data: string }).data, 'base64');
    expect((await sharp(mask).metadata()).hasAlpha).toBe(true);
  });
});

describe('gemini edits: refused before Gemini', () => {
  it('an image URL on a loopback port without an allow entry → 400 image_url_rejected', async () => {
    const res = await edit(server, key, { ...EDIT, image: REJECTED_URL });
    expectImageUrlRejected(res);
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });

  it('a Gemini-routed model without image-to-image → 400 unsupported_model, nothing sent', async () => {
    const res = await edit(server, key, {
      model: 'banana-text-only',
      prompt: EDIT.prompt,
      image: dataUrl(inputs.red),
    });
    expectNoImageToImage(res);
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });
});
