import { describe, expect, it } from 'vitest';
import { FAL_FAKE_KEY, startFakeFal } from '../fakes/fal/index.js';
import { describeRefusedInputs } from '../helpers/provider-e2e-cases.js';
import {
  dataUrl,
  expectServesInputs,
  hostedImageAndMask,
  twoImagesAndMask,
} from '../helpers/provider-e2e-inputs.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';
import { allowPortOf } from '../helpers/provider-e2e.js';

/**
 * Edits through the real server to the fake fal queue. fal takes images by URL: Pixapi stores
 * each input and hands fal a short-lived URL of its own (`/v1/assets/ast_...`). The fake does
 * not download inputs, so each test fetches those URLs as fal would, without credentials. The
 * built-in fal models are text-to-image only; the operator adds FLUX Kontext on fal.
 */

const e2e = useProviderE2E({
  startFake: () => startFakeFal(),
  inputs: true,
  catalog: [
    {
      id: 'flux-kontext-fal',
      name: 'FLUX.1 Kontext [pro] on fal',
      description: 'FLUX.1 Kontext [pro] image editing, served by fal.ai.',
      owned_by: 'black-forest-labs',
      capabilities: '[text-to-image, image-to-image]',
      routes: '[{ provider: fal, model: fal-ai/flux-pro/kontext }]',
      sizes:
        '{ auto: 1024x1024, free: { multiple_of: 16, min_side: 256, max_side: 2048, max_pixels: 4194304, max_ratio: 4 } }',
      qualities: '[auto]',
      output_formats: '[png, jpeg]',
      max_n: '4',
      pricing: '{ rules: [{ credits: 4 }] }',
    },
  ],
  env: ({ fake, host, catalog }) => ({
    FAL_KEY: FAL_FAKE_KEY,
    FAL_BASE_URL: fake.url,
    PIXAPI_CATALOG: catalog,
    // Queue and output URLs are on the fake; the client's images on the image host.
    PIXAPI_OUTBOUND_ALLOW: `${allowPortOf(fake.url)},${host.allow}`,
  }),
});

const SUBMIT = '/fal-ai/flux-pro/kontext';
// 4 credits per image (from the catalog above); the fake draws image_size.
const EDIT = { model: 'flux-kontext-fal', prompt: 'add a red hat', size: '512x384' };
const submissions = () => e2e.fake.requests.filter((r) => r.method === 'POST' && r.path === SUBMIT);
// An empty queue completes at the first status poll.
const quick = { queue: [] };

/** The one submission: the key, the documented input, and no inline image bytes. */
function expectSubmission(n: number): Record<string, unknown> {
  expect(submissions()).toHaveLength(1);
  expect(submissions()[0]!.headers.authorization).toBe(`Key ${FAL_FAKE_KEY}`);
  const input = submissions()[0]!.body as Record<string, unknown>;
  expect(input).toMatchObject({
    prompt: EDIT.prompt,
    image_size: { width: 512, height: 384 },
    num_images: n,
    output_format: 'png',
  });
  expect(JSON.stringify(input)).not.toContain('base64');
  return input;
}

describe('fal edits: the forms a client sends', () => {
  it('JSON with a data URL, n=2: image_url points at Pixapi, one request, 2 × 4 credits', async () => {
    const { inputs } = e2e;
    e2e.fake.script(quick);
    const res = await e2e.edit({ ...EDIT, n: 2, image: dataUrl(inputs.red) });
    await e2e.expectServed(res, { n: 2, width: 512, height: 384, credits: 8 });
    const input = expectSubmission(2);
    expect(input).not.toHaveProperty('image_urls');
    expect(input).not.toHaveProperty('mask_url');
    await expectServesInputs(e2e.server, [input.image_url], [inputs.red]);
    await e2e.expectSucceededUsage({
      model: 'flux-kontext-fal',
      route: 'fal/fal-ai/flux-pro/kontext',
      images: 2,
      credits: 8,
    });
  });

  it('JSON with http URLs on an allowed host: image_url and mask_url are Pixapi copies', async () => {
    const { host, inputs } = e2e;
    e2e.fake.script(quick);
    const res = await e2e.edit({ ...EDIT, ...hostedImageAndMask(host) });
    await e2e.expectServed(res, { n: 1, width: 512, height: 384, credits: 4 });
    const input = expectSubmission(1);
    // fal never sees the client's own host: it gets Pixapi's copies.
    expect(JSON.stringify(input)).not.toContain(host.url(''));
    const urls = [input.image_url, input.mask_url];
    await expectServesInputs(e2e.server, urls, [inputs.red, inputs.mask]);
    expect(host.hits).toEqual(expect.arrayContaining(['/in.png', '/mask.png']));
  });

  it("OpenAI's JSON form: images: [{image_url}] ×2 → image_urls, mask → mask_url", async () => {
    const { host, inputs } = e2e;
    e2e.fake.script(quick);
    const res = await e2e.edit({
      ...EDIT,
      images: [{ image_url: dataUrl(inputs.blue) }, { image_url: host.url('/in.png') }],
      mask: { image_url: dataUrl(inputs.mask) },
    });
    await e2e.expectServed(res, { n: 1, width: 512, height: 384, credits: 4 });
    const input = expectSubmission(1);
    expect(input).not.toHaveProperty('image_url');
    const urls = input.image_urls as unknown[];
    await expectServesInputs(e2e.server, urls, [inputs.blue, inputs.red]);
    await expectServesInputs(e2e.server, [input.mask_url], [inputs.mask]);
  });

  it('multipart with two image[] files and a mask', async () => {
    const { inputs } = e2e;
    e2e.fake.script(quick);
    const res = await e2e.editMultipart(EDIT, twoImagesAndMask(inputs));
    await e2e.expectServed(res, { n: 1, width: 512, height: 384, credits: 4 });
    const input = expectSubmission(1);
    const urls = input.image_urls as unknown[];
    await expectServesInputs(e2e.server, urls, [inputs.red, inputs.blue]);
    await expectServesInputs(e2e.server, [input.mask_url], [inputs.mask]);
  });
});

describeRefusedInputs(e2e, {
  title: 'fal edits: refused before fal',
  body: EDIT,
  textOnly: {
    name: 'flux-schnell (text-to-image only, routed to fal) → 400 unsupported_model',
    body: { ...EDIT, model: 'flux-schnell' },
  },
});
