import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  REPLICATE_FAKE_TOKEN,
  startFakeReplicate,
  type ReplicateFake,
} from '../fakes/replicate/index.js';
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
 * Edits through the real server to the fake Replicate API. Replicate takes images by URL: Pixapi
 * stores each input and passes a short-lived URL of its own (`/v1/assets/ast_...`). The fake
 * does not download inputs, so each test fetches those URLs as Replicate would, without
 * credentials. The operator adds two edit models: FLUX Kontext (one `input_image`, one output
 * per prediction) and Nano Banana (a list of images in `image_input`).
 */

let fake: ReplicateFake;
let host: ImageHost;
let inputs: EditInputs;
let catalog: string;
let server: TestServer;
let key: string;

// Kontext costs 4 credits per image, Nano Banana 3; the fake draws 96x64 outputs.
const KONTEXT = { model: 'flux-kontext-replicate', prompt: 'add a red hat' };
const BANANA = { model: 'nano-banana-replicate', prompt: 'add a red hat', size: '1024x768' };
const created = (model: string) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path === `/v1/models/${model}/predictions`);
const inputOf = (r: { body: unknown }) => (r.body as { input: Record<string, unknown> }).input;

function model(id: string, name: string, route: string, options: string, extra: string[]) {
  return [
    `  - id: ${id}`,
    `    name: ${name}`,
    `    description: ${name}, served by Replicate.`,
    '    owned_by: replicate',
    '    capabilities: [text-to-image, image-to-image]',
    `    routes: [{ provider: replicate, model: ${route}, options: ${options} }]`,
    '    sizes: { auto: 1024x1024, list: [{ size: 1024x1024, tier: 1K }, { size: 1024x768, tier: 1K }] }',
    '    qualities: [auto]',
    '    max_n: 4',
    ...extra,
  ];
}

beforeAll(async () => {
  fake = await startFakeReplicate({
    models: [
      'black-forest-labs/flux-schnell',
      'black-forest-labs/flux-kontext-pro',
      'google/nano-banana',
    ],
  });
  inputs = await makeEditInputs();
  host = await startImageHost({
    '/in.png': { bytes: inputs.red, type: 'image/png' },
    '/mask.png': { bytes: inputs.mask, type: 'image/png' },
  });
  catalog = writeCatalog(
    [
      'models:',
      ...model(
        'flux-kontext-replicate',
        'FLUX.1 Kontext [pro]',
        'black-forest-labs/flux-kontext-pro',
        '{ max_outputs: 1 }',
        ['    max_input_images: 1', '    pricing: { rules: [{ credits: 4 }] }'],
      ),
      ...model(
        'nano-banana-replicate',
        'Nano Banana',
        'google/nano-banana',
        "{ image_field: 'image_input[]', max_outputs: 1 }",
        ['    pricing: { rules: [{ credits: 3 }] }'],
      ),
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
    REPLICATE_API_TOKEN: REPLICATE_FAKE_TOKEN,
    REPLICATE_BASE_URL: fake.url,
    PIXAPI_CATALOG: catalog,
    // Prediction and output URLs are on the fake; the client's images on the image host.
    PIXAPI_OUTBOUND_ALLOW: `${allowPortOf(fake.url)},${host.allow}`,
  });
  key = (await server.account(100)).apiKey;
});
afterEach(async () => server?.close());

/** Each URL is Pixapi's and serves the matching input, re-encoded. */
async function expectServes(urls: unknown[], originals: Buffer[]): Promise<void> {
  expect(urls).toHaveLength(originals.length);
  for (const [i, url] of urls.entries()) {
    await expectReencoded(await fetchInputUrl(server, url), originals[i]!);
  }
}

describe('replicate edits: the forms a client sends', () => {
  it('Kontext, JSON data URL, n=2, size auto: two predictions, input_image at Pixapi', async () => {
    const res = await edit(server, key, { ...KONTEXT, n: 2, image: dataUrl(inputs.red) });
    await expectImages(res, { n: 2, width: 96, height: 64, credits: 8 });
    await expectCharged(server, key, 100, 8);
    const sent = created('black-forest-labs/flux-kontext-pro');
    expect(sent).toHaveLength(2);
    for (const prediction of sent) {
      expect(prediction.headers.authorization).toBe(`Bearer ${REPLICATE_FAKE_TOKEN}`);
      const input = inputOf(prediction);
      expect(input).toMatchObject({ prompt: KONTEXT.prompt, output_format: 'png' });
      // size auto: Kontext matches the input image; one output per prediction.
      expect(input).not.toHaveProperty('aspect_ratio');
      expect(input).not.toHaveProperty('num_outputs');
      expect(JSON.stringify(input)).not.toContain('base64');
      await expectServes([input.input_image], [inputs.red]);
    }
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      route: 'replicate/black-forest-labs/flux-kontext-pro',
      images: 2,
      credits: 8,
    });
  });

  it('Kontext, JSON http URLs on an allowed host: input_image and mask are Pixapi copies', async () => {
    const res = await edit(server, key, {
      ...KONTEXT,
      size: '1024x768',
      image: host.url('/in.png'),
      mask: host.url('/mask.png'),
    });
    await expectImages(res, { n: 1, width: 96, height: 64, credits: 4 });
    await expectCharged(server, key, 100, 4);
    const sent = created('black-forest-labs/flux-kontext-pro');
    expect(sent).toHaveLength(1);
    const input = inputOf(sent[0]!);
    expect(input).toMatchObject({ aspect_ratio: '4:3' });
    expect(JSON.stringify(input)).not.toContain(host.url(''));
    await expectServes([input.input_image, input.mask], [inputs.red, inputs.mask]);
    expect(host.hits).toEqual(expect.arrayContaining(['/in.png', '/mask.png']));
  });

  it("Nano Banana, OpenAI's JSON form: images: [{image_url}] ×2 → image_input list", async () => {
    const res = await edit(server, key, {
      ...BANANA,
      images: [{ image_url: host.url('/in.png') }, { image_url: dataUrl(inputs.blue) }],
    });
    await expectImages(res, { n: 1, width: 96, height: 64, credits: 3 });
    await expectCharged(server, key, 100, 3);
    const sent = created('google/nano-banana');
    expect(sent).toHaveLength(1);
    const input = inputOf(sent[0]!);
    expect(input).not.toHaveProperty('input_image');
    await expectServes(input.image_input as unknown[], [inputs.red, inputs.blue]);
  });

  it('Nano Banana, multipart with two image[] files and a mask', async () => {
    const res = await editMultipart(server, key, BANANA, twoImagesAndMask(inputs));
    await expectImages(res, { n: 1, width: 96, height: 64, credits: 3 });
    await expectCharged(server, key, 100, 3);
    const sent = created('google/nano-banana');
    expect(sent).toHaveLength(1);
    const input = inputOf(sent[0]!);
    await expectServes(input.image_input as unknown[], [inputs.red, inputs.blue]);
    await expectServes([input.mask], [inputs.mask]);
  });
});

describe('replicate edits: refused before Replicate', () => {
  it('an image URL on a loopback port without an allow entry → 400 image_url_rejected', async () => {
    const res = await edit(server, key, { ...KONTEXT, image: REJECTED_URL });
    expectImageUrlRejected(res);
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });

  it('flux-schnell (text-to-image only, routed to Replicate here) → 400 unsupported_model', async () => {
    const res = await edit(server, key, {
      ...KONTEXT,
      model: 'flux-schnell',
      image: dataUrl(inputs.red),
    });
    expectNoImageToImage(res);
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });
});
