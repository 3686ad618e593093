import OpenAI, { toFile } from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest } from '../fakes/openai/index.js';
import { validateAgainst } from '../helpers/openai-schemas.js';
import {
  dataUrl,
  edit,
  editMultipart,
  expectCharged,
  expectImages,
  expectImageUrlRejected,
  expectNoImageToImage,
  expectReencoded,
  fetchAsset,
  lastUsage,
  makeEditInputs,
  REJECTED_URL,
  startImageHost,
  startPixapi,
  twoImagesAndMask,
  type EditInputs,
  type ImageHost,
} from '../helpers/provider-e2e.js';
import type { TestServer } from '../helpers/server.js';

/**
 * Edits through the real server to the fake OpenAI Images API: whatever form the client uses
 * (JSON with data or http URLs, OpenAI's `images: [{image_url}]`, multipart, OpenAI's SDK),
 * OpenAI receives one multipart `POST /v1/images/edits` with `image[]` parts and a `mask`.
 */

let fake: FakeOpenAI;
let host: ImageHost;
let inputs: EditInputs;
let server: TestServer;
let key: string;

// gpt-image-1.5 at quality low and 1024x1024 costs 1 credit per image.
const EDIT = {
  model: 'gpt-image-1.5',
  prompt: 'add a red hat',
  quality: 'low',
  size: '1024x1024',
};
const editCalls = () => fake.requests.filter((r) => r.path === '/v1/images/edits');

beforeAll(async () => {
  fake = await startFakeOpenAI();
  inputs = await makeEditInputs();
  host = await startImageHost({
    '/in.png': { bytes: inputs.red, type: 'image/png' },
    '/mask.png': { bytes: inputs.mask, type: 'image/png' },
  });
});
afterAll(async () => {
  await fake?.close();
  await host?.close();
});
beforeEach(async () => {
  fake.reset();
  server = await startPixapi({
    OPENAI_API_KEY: fake.apiKey,
    OPENAI_BASE_URL: fake.url,
    PIXAPI_OUTBOUND_ALLOW: host.allow,
  });
  key = (await server.account(100)).apiKey;
});
afterEach(async () => server?.close());

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
  expect(sent.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
  expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  expect(sent.body).toMatchObject({
    model: 'gpt-image-1.5',
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
    const res = await edit(server, key, {
      ...EDIT,
      n: 2,
      image: [dataUrl(inputs.red), dataUrl(inputs.blue)],
    });
    await expectImages(res, { n: 2, width: 1024, height: 1024, credits: 2 });
    expect(res.headers.get('x-pixapi-credits-charged')).toBe('2');
    await expectCharged(server, key, 100, 2);
    await expectUpstreamEdit([inputs.red, inputs.blue], undefined, { n: '2' });
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      model: 'gpt-image-1.5',
      route: 'openai/gpt-image-1.5',
      images: 2,
      credits: 2,
    });
  });

  it('JSON with an http URL image and mask on an allowed loopback host', async () => {
    const res = await edit(server, key, {
      ...EDIT,
      image: host.url('/in.png'),
      mask: host.url('/mask.png'),
    });
    await expectImages(res, { n: 1, width: 1024, height: 1024, credits: 1 });
    await expectCharged(server, key, 100, 1);
    await expectUpstreamEdit([inputs.red], inputs.mask, { n: '1' });
    expect(host.hits).toEqual(expect.arrayContaining(['/in.png', '/mask.png']));
  });

  it("OpenAI's JSON form: images: [{image_url}] ×2, mask: {image_url}, input_fidelity", async () => {
    const res = await edit(server, key, {
      ...EDIT,
      images: [{ image_url: host.url('/in.png') }, { image_url: dataUrl(inputs.blue) }],
      mask: { image_url: dataUrl(inputs.mask) },
      input_fidelity: 'high',
    });
    await expectImages(res, { n: 1, width: 1024, height: 1024, credits: 1 });
    await expectCharged(server, key, 100, 1);
    await expectUpstreamEdit([inputs.red, inputs.blue], inputs.mask, { input_fidelity: 'high' });
  });

  it('multipart with two image[] files and a mask', async () => {
    const res = await editMultipart(server, key, { ...EDIT, n: '1' }, twoImagesAndMask(inputs));
    await expectImages(res, { n: 1, width: 1024, height: 1024, credits: 1 });
    await expectCharged(server, key, 100, 1);
    await expectUpstreamEdit([inputs.red, inputs.blue], inputs.mask);
  });

  it("OpenAI's SDK: images.edit with two files succeeds; OpenAI sees two image[] parts", async () => {
    const client = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const result = await client.images.edit({
      model: 'gpt-image-1.5',
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
    await expectCharged(server, key, 100, 1);
    await expectUpstreamEdit([inputs.red, inputs.blue], undefined);
  });
});

describe('openai edits: refused before OpenAI', () => {
  it('an image URL on a loopback port without an allow entry → 400 image_url_rejected', async () => {
    const res = await edit(server, key, { ...EDIT, image: REJECTED_URL });
    expectImageUrlRejected(res);
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });

  // API.md: a refused input URL is reported as `image` (the mask as `mask`), whatever the form.
  it("in OpenAI's form the error names image, as the mask it names mask; nothing sent", async () => {
    const openAIForm = await edit(server, key, { ...EDIT, images: [{ image_url: REJECTED_URL }] });
    expectImageUrlRejected(openAIForm, 'image');
    const mask = await edit(server, key, {
      ...EDIT,
      image: dataUrl(inputs.red),
      mask: { image_url: REJECTED_URL },
    });
    expectImageUrlRejected(mask, 'mask');
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });

  it('dall-e-3 (text-to-image only) → 400 unsupported_model, nothing sent', async () => {
    const res = await edit(server, key, {
      model: 'dall-e-3',
      prompt: EDIT.prompt,
      image: dataUrl(inputs.red),
    });
    expectNoImageToImage(res);
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });
});
