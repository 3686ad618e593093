import OpenAI, { toFile } from 'openai';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type RecordedRequest } from '../fakes/openai/index.js';
import { validateAgainst } from '../helpers/openai-schemas.js';
import { describeRefusedInputs, expectNothingSent } from '../helpers/provider-e2e-cases.js';
import {
  dataUrl,
  expectImageUrlRejected,
  expectReencoded,
  hostedImageAndMask,
  openAIImageUrls,
  REJECTED_URL,
  twoImagesAndMask,
} from '../helpers/provider-e2e-inputs.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';
import { fetchAsset } from '../helpers/provider-e2e.js';

/**
 * Edits through the real server to the fake OpenAI Images API: whatever form the client uses
 * (JSON with data or http URLs, OpenAI's `images: [{image_url}]`, multipart, OpenAI's SDK),
 * OpenAI receives one multipart `POST /v1/images/edits` with `image[]` parts and a `mask`.
 */

const e2e = useProviderE2E({
  startFake: () => startFakeOpenAI(),
  inputs: true,
  env: ({ fake, host }) => ({
    OPENAI_API_KEY: fake.apiKey,
    OPENAI_BASE_URL: fake.url,
    PIXAPI_OUTBOUND_ALLOW: host.allow,
  }),
});
// gpt-image-2.6-flare at quality low and 1024x1024 costs 1 credit per image.
const EDIT = {
  model: 'gpt-image-2.6-flare',
  prompt: 'add a red hat',
  quality: 'low',
  size: '1024x1024',
};
const editCalls = () => e2e.fake.requests.filter((r) => r.path === '/v1/images/edits');

/**
 * The one upstream call: multipart with the key, the request's fields as text parts, an
 * `image[]` part per input (re-encoded PNG, in order) and the mask when there is one.
 */
async function expectUpstreamEdit(
  images: Buffer[],
  mask: Buffer | undefined,
  fields: Record<string, string> = {},
): Promise<RecordedRequest> {
  expect(editCalls()).toHaveLength(1);
  const sent = editCalls()[0]!;
  expect(sent.headers.authorization).toBe(`Bearer ${e2e.fake.apiKey}`);
  expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  expect(sent.body).toMatchObject({
    model: 'gpt-image-2.6-flare',
    prompt: EDIT.prompt,
    quality: 'low',
    size: '1024x1024',
    ...fields,
  });
  expect(sent.body).not.toHaveProperty('response_format');
  const parts = sent.files.filter((f) => f.field === 'image[]');
  expect(sent.files.map((f) => f.field)).toEqual([
    ...images.map(() => 'image[]'),
    ...(mask ? ['mask'] : []),
  ]);
  for (const [i, original] of images.entries()) {
    expect(parts[i]!.contentType).toBe('image/png');
    expect(parts[i]!.filename).toMatch(/\.png$/);
    await expectReencoded(parts[i]!.bytes, original);
  }
  if (mask) {
    const part = sent.files.find((f) => f.field === 'mask')!;
    expect(part.contentType).toBe('image/png');
    await expectReencoded(part.bytes, mask);
  }
  return sent;
}

describe('openai edits: the forms a client sends', () => {
  it('JSON with two data URLs, n=2: both images upstream, 2 × 1 credit', async () => {
    const { red, blue } = e2e.inputs;
    const res = await e2e.edit({ ...EDIT, n: 2, image: [dataUrl(red), dataUrl(blue)] });
    await e2e.expectServed(res, { n: 2, width: 1024, height: 1024, credits: 2 });
    expect(res.headers.get('x-pixapi-credits-charged')).toBe('2');
    await expectUpstreamEdit([red, blue], undefined, { n: '2' });
    await e2e.expectSucceededUsage({
      model: 'gpt-image-2.6-flare',
      route: 'openai/gpt-image-2.6-flare',
      images: 2,
      credits: 2,
    });
  });

  it('JSON with an http URL image and mask on an allowed loopback host', async () => {
    const { host, inputs } = e2e;
    const res = await e2e.edit({ ...EDIT, ...hostedImageAndMask(host) });
    await e2e.expectServed(res, { n: 1, width: 1024, height: 1024, credits: 1 });
    await expectUpstreamEdit([inputs.red], inputs.mask, { n: '1' });
    expect(host.hits).toEqual(expect.arrayContaining(['/in.png', '/mask.png']));
  });

  it("OpenAI's JSON form: images: [{image_url}] ×2, mask: {image_url}, input_fidelity", async () => {
    const { host, inputs } = e2e;
    const res = await e2e.edit({
      ...EDIT,
      ...openAIImageUrls(host, inputs),
      input_fidelity: 'high',
    });
    await e2e.expectServed(res, { n: 1, width: 1024, height: 1024, credits: 1 });
    await expectUpstreamEdit([inputs.red, inputs.blue], inputs.mask, { input_fidelity: 'high' });
  });

  it('multipart with two image[] files and a mask', async () => {
    const { inputs } = e2e;
    const res = await e2e.editMultipart({ ...EDIT, n: '1' }, twoImagesAndMask(inputs));
    await e2e.expectServed(res, { n: 1, width: 1024, height: 1024, credits: 1 });
    await expectUpstreamEdit([inputs.red, inputs.blue], inputs.mask);
  });

  it("OpenAI's SDK: images.edit with two files succeeds; OpenAI sees two image[] parts", async () => {
    const { inputs } = e2e;
    const client = new OpenAI({ apiKey: e2e.key, baseURL: `${e2e.server.url}/v1`, maxRetries: 0 });
    const result = await client.images.edit({
      model: 'gpt-image-2.6-flare',
      prompt: EDIT.prompt,
      image: [
        await toFile(inputs.red, 'red.png', { type: 'image/png' }),
        await toFile(inputs.blue, 'blue.png', { type: 'image/png' }),
      ],
      quality: 'low',
      size: '1024x1024',
    });
    expect(validateAgainst('ImagesResponse', result)).toEqual([]);
    expect(result.data).toHaveLength(1);
    const asset = await fetchAsset(result.data![0]!.url!);
    expect(asset).toMatchObject({ format: 'png', width: 1024, height: 1024 });
    await e2e.expectCharged(1);
    await expectUpstreamEdit([inputs.red, inputs.blue], undefined);
  });
});

describeRefusedInputs(e2e, {
  title: 'openai edits: refused before OpenAI',
  body: EDIT,
  textOnly: {
    name: 'flux-pro-1.1 (text-to-image only) → 400 unsupported_model, nothing sent',
    body: { model: 'flux-pro-1.1', prompt: EDIT.prompt },
  },
  more: () => {
    it('dall-e-3 (shut down 2026-05-12) → 410 model_retired naming its live successor, nothing sent', async () => {
      const res = await e2e.edit({ ...EDIT, model: 'dall-e-3', image: dataUrl(e2e.inputs.red) });
      expect(res.status).toBe(410);
      expect(res.body.error).toMatchObject({ code: 'model_retired', param: 'model' });
      expect((res.body.error as { message: string }).message).toContain("'gpt-image-2.6-flare'");
      await expectNothingSent(e2e);
    });

    // API.md: a refused input URL is reported as `image` (the mask as `mask`), whatever the form.
    it("in OpenAI's form the error names image, as the mask it names mask; nothing sent", async () => {
      const openAIForm = await e2e.edit({ ...EDIT, images: [{ image_url: REJECTED_URL }] });
      expectImageUrlRejected(openAIForm, 'image');
      const mask = await e2e.edit({
        ...EDIT,
        image: dataUrl(e2e.inputs.red),
        mask: { image_url: REJECTED_URL },
      });
      expectImageUrlRejected(mask, 'mask');
      await expectNothingSent(e2e);
    });
  },
});
