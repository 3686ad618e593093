import { describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../fakes/openai/index.js';
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
import { allowPortOf, type CatalogModel } from '../helpers/provider-e2e.js';

/**
 * Edits through the real server to a self-hosted OpenAI-compatible server (the fake in
 * `compatible` mode: a few known fields, `url` outputs it serves itself). Whatever form the
 * client used, the server gets OpenAI's multipart edit: one input as `image`, several as
 * `image[]`, and the `mask`. The models come from a PIXAPI_CATALOG file.
 */

const SELF_HOSTED_KEY = 'local-secret-key-0123';

/** A model on the self-hosted server's sd-turbo, at 2 credits per image. */
const entry = (id: string, capabilities: string): CatalogModel => ({
  id,
  name: id,
  description: 'Stable Diffusion behind a self-hosted OpenAI-compatible server.',
  owned_by: 'self-hosted',
  capabilities: `[${capabilities}]`,
  routes: '[{ provider: openai-compatible, model: sd-turbo }]',
  sizes: '{ auto: 512x512, list: [{ size: 512x512, tier: default }] }',
  qualities: '[auto]',
  max_n: '4',
  pricing: '{ rules: [{ credits: 2 }] }',
});

const e2e = useProviderE2E({
  startFake: () => startFakeOpenAI({ mode: 'compatible' }),
  inputs: true,
  catalog: [
    entry('sd-edit-local', 'text-to-image, image-to-image'),
    entry('sd-turbo-local', 'text-to-image'),
  ],
  env: ({ fake, host, catalog }) => ({
    PIXAPI_CATALOG: catalog,
    OPENAI_COMPATIBLE_BASE_URL: fake.url,
    OPENAI_COMPATIBLE_API_KEY: SELF_HOSTED_KEY,
    // The outputs are URLs on the fake; the client's images on the image host.
    PIXAPI_OUTBOUND_ALLOW: `${allowPortOf(fake.url)},${host.allow}`,
  }),
});
// 2 credits per image (from the catalog above).
const EDIT = { model: 'sd-edit-local', prompt: 'add a red hat', size: '512x512' };
const editCalls = () => e2e.fake.requests.filter((r) => r.path === '/v1/images/edits');

/**
 * The one upstream call: multipart with the key, only the plain fields, `field` parts for the
 * inputs (in order, re-encoded, typed and named by their format) and the mask if any.
 */
async function expectUpstreamEdit(
  field: 'image' | 'image[]',
  images: SentImage[],
  mask: Buffer | undefined,
  n = 1,
): Promise<void> {
  expect(editCalls()).toHaveLength(1);
  const sent = editCalls()[0]!;
  expect(sent.headers.authorization).toBe(`Bearer ${SELF_HOSTED_KEY}`);
  expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  expect(sent.body).toEqual({
    model: 'sd-turbo',
    prompt: EDIT.prompt,
    n: String(n),
    size: '512x512',
    response_format: 'b64_json',
  });
  expect(sent.files.map((f) => f.field)).toEqual([
    ...images.map(() => field),
    ...(mask ? ['mask'] : []),
  ]);
  for (const [i, [original, format]] of images.entries()) {
    const part = sent.files[i]!;
    expect(part.contentType).toBe(`image/${format}`);
    expect(part.filename).toMatch(format === 'png' ? /\.png$/ : /\.jpe?g$/);
    await expectReencoded(part.bytes, original, format);
  }
  if (mask) {
    const part = sent.files.at(-1)!;
    expect(part.contentType).toBe('image/png');
    await expectReencoded(part.bytes, mask);
  }
}

describe('openai-compatible edits: the forms a client sends', () => {
  it('JSON with a PNG and a JPEG data URL, n=2: image[] ×2 in one call, 2 × 2 credits', async () => {
    const { red, green } = e2e.inputs;
    const res = await e2e.edit({ ...EDIT, n: 2, ...pngAndJpegDataUrls(e2e.inputs) });
    await e2e.expectServed(res, { n: 2, width: 512, height: 512, credits: 4 });
    await expectUpstreamEdit('image[]', [png(red), jpeg(green)], undefined, 2);
    await e2e.expectSucceededUsage({
      model: 'sd-edit-local',
      route: 'openai-compatible/sd-turbo',
      images: 2,
      credits: 4,
    });
  });

  it('JSON with an http URL image and mask on an allowed host: one `image` part', async () => {
    const { host, inputs } = e2e;
    const res = await e2e.edit({ ...EDIT, ...hostedImageAndMask(host) });
    await e2e.expectServed(res, { n: 1, width: 512, height: 512, credits: 2 });
    await expectUpstreamEdit('image', [png(inputs.red)], inputs.mask);
    expect(host.hits).toEqual(expect.arrayContaining(['/in.png', '/mask.png']));
  });

  it("OpenAI's JSON form: images: [{image_url}] ×2 and mask: {image_url}", async () => {
    const { host, inputs } = e2e;
    const res = await e2e.edit({ ...EDIT, ...openAIImageUrls(host, inputs) });
    await e2e.expectServed(res, { n: 1, width: 512, height: 512, credits: 2 });
    await expectUpstreamEdit('image[]', [png(inputs.red), png(inputs.blue)], inputs.mask);
  });

  it('multipart with two image[] files and a mask', async () => {
    const { inputs } = e2e;
    const res = await e2e.editMultipart(EDIT, twoImagesAndMask(inputs));
    await e2e.expectServed(res, { n: 1, width: 512, height: 512, credits: 2 });
    await expectUpstreamEdit('image[]', [png(inputs.red), png(inputs.blue)], inputs.mask);
  });
});

describeRefusedInputs(e2e, {
  title: 'openai-compatible edits: refused before the server',
  body: EDIT,
  textOnly: {
    name: 'a text-to-image-only model on the same server → 400 unsupported_model, nothing sent',
    body: { ...EDIT, model: 'sd-turbo-local' },
  },
});
