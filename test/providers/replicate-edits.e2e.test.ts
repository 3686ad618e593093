import { describe, expect, it } from 'vitest';
import { REPLICATE_FAKE_TOKEN, startFakeReplicate } from '../fakes/replicate/index.js';
import { describeRefusedInputs } from '../helpers/provider-e2e-cases.js';
import {
  dataUrl,
  expectServesInputs,
  hostedImageAndMask,
  twoImagesAndMask,
} from '../helpers/provider-e2e-inputs.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';
import { allowPortOf, type CatalogModel } from '../helpers/provider-e2e.js';

/**
 * Edits through the real server to the fake Replicate API. Replicate takes images by URL: Pixapi
 * stores each input and passes a short-lived URL of its own (`/v1/assets/ast_...`). The fake
 * does not download inputs, so each test fetches those URLs as Replicate would, without
 * credentials. The operator adds two edit models: FLUX Kontext (one `input_image`, one output
 * per prediction) and Nano Banana (a list of images in `image_input`).
 */

/** An edit model served by Replicate, sized 1024x1024 or 1024x768. */
function model(id: string, name: string, route: string, options: string): CatalogModel {
  return {
    id,
    name,
    description: `${name}, served by Replicate.`,
    owned_by: 'replicate',
    capabilities: '[text-to-image, image-to-image]',
    routes: `[{ provider: replicate, model: ${route}, options: ${options} }]`,
    sizes:
      '{ auto: 1024x1024, list: [{ size: 1024x1024, tier: 1K }, { size: 1024x768, tier: 1K }] }',
    qualities: '[auto]',
    max_n: '4',
  };
}

const e2e = useProviderE2E({
  startFake: () =>
    startFakeReplicate({
      models: [
        'black-forest-labs/flux-schnell',
        'black-forest-labs/flux-kontext-pro',
        'google/nano-banana',
      ],
    }),
  inputs: true,
  catalog: [
    {
      ...model(
        'flux-kontext-replicate',
        'FLUX.1 Kontext [pro]',
        'black-forest-labs/flux-kontext-pro',
        '{ max_outputs: 1 }',
      ),
      max_input_images: '1',
      pricing: '{ rules: [{ credits: 4 }] }',
    },
    {
      ...model(
        'nano-banana-replicate',
        'Nano Banana',
        'google/nano-banana',
        "{ image_field: 'image_input[]', max_outputs: 1 }",
      ),
      pricing: '{ rules: [{ credits: 3 }] }',
    },
  ],
  env: ({ fake, host, catalog }) => ({
    REPLICATE_API_TOKEN: REPLICATE_FAKE_TOKEN,
    REPLICATE_BASE_URL: fake.url,
    PIXAPI_CATALOG: catalog,
    // Prediction and output URLs are on the fake; the client's images on the image host.
    PIXAPI_OUTBOUND_ALLOW: `${allowPortOf(fake.url)},${host.allow}`,
  }),
});

// Kontext costs 4 credits per image, Nano Banana 3; the fake draws 96x64 outputs.
const KONTEXT = { model: 'flux-kontext-replicate', prompt: 'add a red hat' };
const BANANA = { model: 'nano-banana-replicate', prompt: 'add a red hat', size: '1024x768' };
const created = (model: string) =>
  e2e.fake.requests.filter(
    (r) => r.method === 'POST' && r.path === `/v1/models/${model}/predictions`,
  );
const inputOf = (r: { body: unknown }) => (r.body as { input: Record<string, unknown> }).input;

describe('replicate edits: the forms a client sends', () => {
  it('Kontext, JSON data URL, n=2, size auto: two predictions, input_image at Pixapi', async () => {
    const { inputs } = e2e;
    const res = await e2e.edit({ ...KONTEXT, n: 2, image: dataUrl(inputs.red) });
    await e2e.expectServed(res, { n: 2, width: 96, height: 64, credits: 8 });
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
      await expectServesInputs(e2e.server, [input.input_image], [inputs.red]);
    }
    await e2e.expectSucceededUsage({
      route: 'replicate/black-forest-labs/flux-kontext-pro',
      images: 2,
      credits: 8,
    });
  });

  it('Kontext, JSON http URLs on an allowed host: input_image and mask are Pixapi copies', async () => {
    const { host, inputs } = e2e;
    const res = await e2e.edit({ ...KONTEXT, size: '1024x768', ...hostedImageAndMask(host) });
    await e2e.expectServed(res, { n: 1, width: 96, height: 64, credits: 4 });
    const sent = created('black-forest-labs/flux-kontext-pro');
    expect(sent).toHaveLength(1);
    const input = inputOf(sent[0]!);
    expect(input).toMatchObject({ aspect_ratio: '4:3' });
    expect(JSON.stringify(input)).not.toContain(host.url(''));
    const urls = [input.input_image, input.mask];
    await expectServesInputs(e2e.server, urls, [inputs.red, inputs.mask]);
    expect(host.hits).toEqual(expect.arrayContaining(['/in.png', '/mask.png']));
  });

  it("Nano Banana, OpenAI's JSON form: images: [{image_url}] ×2 → image_input list", async () => {
    const { host, inputs } = e2e;
    const res = await e2e.edit({
      ...BANANA,
      images: [{ image_url: host.url('/in.png') }, { image_url: dataUrl(inputs.blue) }],
    });
    await e2e.expectServed(res, { n: 1, width: 96, height: 64, credits: 3 });
    const sent = created('google/nano-banana');
    expect(sent).toHaveLength(1);
    const input = inputOf(sent[0]!);
    expect(input).not.toHaveProperty('input_image');
    const urls = input.image_input as unknown[];
    await expectServesInputs(e2e.server, urls, [inputs.red, inputs.blue]);
  });

  it('Nano Banana, multipart with two image[] files and a mask', async () => {
    const { inputs } = e2e;
    const res = await e2e.editMultipart(BANANA, twoImagesAndMask(inputs));
    await e2e.expectServed(res, { n: 1, width: 96, height: 64, credits: 3 });
    const sent = created('google/nano-banana');
    expect(sent).toHaveLength(1);
    const input = inputOf(sent[0]!);
    const urls = input.image_input as unknown[];
    await expectServesInputs(e2e.server, urls, [inputs.red, inputs.blue]);
    await expectServesInputs(e2e.server, [input.mask], [inputs.mask]);
  });
});

describeRefusedInputs(e2e, {
  title: 'replicate edits: refused before Replicate',
  body: KONTEXT,
  textOnly: {
    name: 'flux-schnell (text-to-image only, routed to Replicate here) → 400 unsupported_model',
    body: { ...KONTEXT, model: 'flux-schnell' },
  },
});
