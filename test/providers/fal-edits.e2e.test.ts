import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAL_FAKE_KEY, startFakeFal, type FalFake } from '../fakes/fal/index.js';
import {
  allowPortOf,
  dataUrl,
  edit,
  editMultipart,
  expectCharged,
  expectImages,
  expectImageUrlRejected,
  expectNoImageToImage,
  expectReencoded,
  fetchInputUrl,
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
 * Edits through the real server to the fake fal queue. fal takes images by URL: Pixapi stores
 * each input and hands fal a short-lived URL of its own (`/v1/assets/ast_...`). The fake does
 * not download inputs, so each test fetches those URLs as fal would, without credentials. The
 * built-in fal models are text-to-image only; the operator adds FLUX Kontext on fal.
 */

let fake: FalFake;
let host: ImageHost;
let inputs: EditInputs;
let catalog: string;
let server: TestServer;
let key: string;

const SUBMIT = '/fal-ai/flux-pro/kontext';
// 4 credits per image (from the catalog below); the fake draws image_size.
const EDIT = { model: 'flux-kontext-fal', prompt: 'add a red hat', size: '512x384' };
const submissions = () => fake.requests.filter((r) => r.method === 'POST' && r.path === SUBMIT);
const sentInput = () => submissions()[0]!.body as Record<string, unknown>;
// An empty queue completes at the first status poll.
const quick = { queue: [] };

beforeAll(async () => {
  fake = await startFakeFal();
  inputs = await makeEditInputs();
  host = await startImageHost({
    '/in.png': { bytes: inputs.red, type: 'image/png' },
    '/mask.png': { bytes: inputs.mask, type: 'image/png' },
  });
  catalog = writeCatalog(
    [
      'models:',
      '  - id: flux-kontext-fal',
      '    name: FLUX.1 Kontext [pro] on fal',
      '    description: FLUX.1 Kontext [pro] image editing, served by fal.ai.',
      '    owned_by: black-forest-labs',
      '    capabilities: [text-to-image, image-to-image]',
      '    routes: [{ provider: fal, model: fal-ai/flux-pro/kontext }]',
      '    sizes:',
      '      auto: 1024x1024',
      '      free: { multiple_of: 16, min_side: 256, max_side: 2048, max_pixels: 4194304, max_ratio: 4 }',
      '    qualities: [auto]',
      '    output_formats: [png, jpeg]',
      '    max_n: 4',
      '    pricing: { rules: [{ credits: 4 }] }',
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
    FAL_KEY: FAL_FAKE_KEY,
    FAL_BASE_URL: fake.url,
    PIXAPI_CATALOG: catalog,
    // Queue and output URLs are on the fake; the client's images on the image host.
    PIXAPI_OUTBOUND_ALLOW: `${allowPortOf(fake.url)},${host.allow}`,
  });
  key = (await server.account(100)).apiKey;
});
afterEach(async () => server?.close());

/** The one submission: the key, the documented input, and no inline image bytes. */
function expectSubmission(n: number): Record<string, unknown> {
  expect(submissions()).toHaveLength(1);
  expect(submissions()[0]!.headers.authorization).toBe(`Key ${FAL_FAKE_KEY}`);
  const input = sentInput();
  expect(input).toMatchObject({
    prompt: EDIT.prompt,
    image_size: { width: 512, height: 384 },
    num_images: n,
    output_format: 'png',
  });
  expect(JSON.stringify(input)).not.toContain('base64');
  return input;
}

/** Each URL is Pixapi's and serves the matching input, re-encoded. */
async function expectServes(urls: unknown[], originals: Buffer[]): Promise<void> {
  expect(urls).toHaveLength(originals.length);
  for (const [i, url] of urls.entries()) {
    await expectReencoded(await fetchInputUrl(server, url), originals[i]!);
  }
}

describe('fal edits: the forms a client sends', () => {
  it('JSON with a data URL, n=2: image_url points at Pixapi, one request, 2 × 4 credits', async () => {
    fake.script(quick);
    const res = await edit(server, key, { ...EDIT, n: 2, image: dataUrl(inputs.red) });
    await expectImages(res, { n: 2, width: 512, height: 384, credits: 8 });
    await expectCharged(server, key, 100, 8);
    const input = expectSubmission(2);
    expect(input).not.toHaveProperty('image_urls');
    expect(input).not.toHaveProperty('mask_url');
    await expectServes([input.image_url], [inputs.red]);
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      model: 'flux-kontext-fal',
      route: 'fal/fal-ai/flux-pro/kontext',
      images: 2,
      credits: 8,
    });
  });

  it('JSON with http URLs on an allowed host: image_url and mask_url are Pixapi copies', async () => {
    fake.script(quick);
    const res = await edit(server, key, {
      ...EDIT,
      image: host.url('/in.png'),
      mask: host.url('/mask.png'),
    });
    await expectImages(res, { n: 1, width: 512, height: 384, credits: 4 });
    await expectCharged(server, key, 100, 4);
    const input = expectSubmission(1);
    // fal never sees the client's own host: it gets Pixapi's copies.
    expect(JSON.stringify(input)).not.toContain(host.url(''));
    await expectServes([input.image_url, input.mask_url], [inputs.red, inputs.mask]);
    expect(host.hits).toEqual(expect.arrayContaining(['/in.png', '/mask.png']));
  });

  it("OpenAI's JSON form: images: [{image_url}] ×2 → image_urls, mask → mask_url", async () => {
    fake.script(quick);
    const res = await edit(server, key, {
      ...EDIT,
      images: [{ image_url: dataUrl(inputs.blue) }, { image_url: host.url('/in.png') }],
      mask: { image_url: dataUrl(inputs.mask) },
    });
    await expectImages(res, { n: 1, width: 512, height: 384, credits: 4 });
    const input = expectSubmission(1);
    expect(input).not.toHaveProperty('image_url');
    await expectServes(input.image_urls as unknown[], [inputs.blue, inputs.red]);
    await expectServes([input.mask_url], [inputs.mask]);
    await expectCharged(server, key, 100, 4);
  });

  it('multipart with two image[] files and a mask', async () => {
    fake.script(quick);
    const res = await editMultipart(server, key, EDIT, twoImagesAndMask(inputs));
    await expectImages(res, { n: 1, width: 512, height: 384, credits: 4 });
    const input = expectSubmission(1);
    await expectServes(input.image_urls as unknown[], [inputs.red, inputs.blue]);
    await expectServes([input.mask_url], [inputs.mask]);
    await expectCharged(server, key, 100, 4);
  });
});

describe('fal edits: refused before fal', () => {
  it('an image URL on a loopback port without an allow entry → 400 image_url_rejected', async () => {
    const res = await edit(server, key, { ...EDIT, image: REJECTED_URL });
    expectImageUrlRejected(res);
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });

  it('flux-schnell (text-to-image only, routed to fal) → 400 unsupported_model', async () => {
    const res = await edit(server, key, {
      ...EDIT,
      model: 'flux-schnell',
      image: dataUrl(inputs.red),
    });
    expectNoImageToImage(res);
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });
});
