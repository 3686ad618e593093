import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBfl, type FakeBfl } from '../fakes/bfl/index.js';
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
 * Edits through the real server to the fake BFL API: every input, whatever form the client used,
 * arrives as base64 in `input_image`, `input_image_2`... (one task per output image). BFL's
 * models take no mask: it is not sent (BFL forbids unknown fields).
 */

let fake: FakeBfl;
let host: ImageHost;
let inputs: EditInputs;
let server: TestServer;
let key: string;

// flux-2-pro costs 3 credits per image and takes width/height in pixels.
const EDIT = { model: 'flux-2-pro', prompt: 'add a red hat', size: '1024x768' };
const BASE64 = /^[A-Za-z0-9+/]+=*$/;
const DOCUMENTED = ['prompt', 'width', 'height', 'aspect_ratio', 'seed', 'output_format'];

beforeAll(async () => {
  fake = await startFakeBfl();
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
    BFL_API_KEY: fake.apiKey,
    BFL_BASE_URL: fake.url,
    // Polling and sample URLs are on the fake; the client's images on the image host.
    PIXAPI_OUTBOUND_ALLOW: `${allowPortOf(fake.url)},${host.allow}`,
  });
  key = (await server.account(100)).apiKey;
});
afterEach(async () => server?.close());

/**
 * Every submission to `/v1/{model}` carried the inputs in order as plain base64 (no `data:`
 * prefix), re-encoded by Pixapi, and nothing but BFL's documented fields (no mask).
 */
async function expectInputImages(
  model: string,
  images: Array<[Buffer, 'png' | 'jpeg']>,
  tasks: number,
): Promise<void> {
  const sent = fake.submissions();
  expect(sent).toHaveLength(tasks);
  const fields = images.map((_, i) => (i === 0 ? 'input_image' : `input_image_${i + 1}`));
  for (const submission of sent) {
    expect(submission.path).toBe(`/v1/${model}`);
    expect(submission.headers['x-key']).toBe(fake.apiKey);
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
    const res = await edit(server, key, {
      ...EDIT,
      n: 2,
      image: [dataUrl(inputs.red), dataUrl(inputs.green, 'image/jpeg')],
    });
    await expectImages(res, { n: 2, width: 1024, height: 768, credits: 6 });
    await expectCharged(server, key, 100, 6);
    await expectInputImages(
      'flux-2-pro',
      [
        [inputs.red, 'png'],
        [inputs.green, 'jpeg'],
      ],
      2,
    );
    for (const s of fake.submissions()) expect(s.body).toMatchObject({ width: 1024, height: 768 });
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      route: 'bfl/flux-2-pro',
      images: 2,
      credits: 6,
    });
  });

  it('JSON with an http URL on an allowed host (and a mask, which BFL does not take)', async () => {
    const res = await edit(server, key, {
      ...EDIT,
      image: host.url('/in.png'),
      mask: host.url('/mask.png'),
    });
    await expectImages(res, { n: 1, width: 1024, height: 768, credits: 3 });
    await expectCharged(server, key, 100, 3);
    await expectInputImages('flux-2-pro', [[inputs.red, 'png']], 1);
    expect(host.hits).toContain('/in.png');
  });

  it("OpenAI's JSON form to FLUX Kontext: images: [{image_url}] ×2, sized by aspect_ratio", async () => {
    const res = await edit(server, key, {
      ...EDIT,
      model: 'flux-kontext-pro',
      images: [{ image_url: host.url('/in.png') }, { image_url: dataUrl(inputs.blue) }],
      mask: { image_url: dataUrl(inputs.mask) },
    });
    // Kontext costs 4 credits; the fake draws 16 px per ratio unit (4:3 → 64x48).
    await expectImages(res, { n: 1, width: 64, height: 48, credits: 4 });
    await expectCharged(server, key, 100, 4);
    await expectInputImages(
      'flux-kontext-pro',
      [
        [inputs.red, 'png'],
        [inputs.blue, 'png'],
      ],
      1,
    );
    expect(fake.submissions()[0]!.body).toMatchObject({ aspect_ratio: '4:3' });
  });

  it('multipart with two image[] files and a mask', async () => {
    const res = await editMultipart(server, key, EDIT, twoImagesAndMask(inputs));
    await expectImages(res, { n: 1, width: 1024, height: 768, credits: 3 });
    await expectCharged(server, key, 100, 3);
    await expectInputImages(
      'flux-2-pro',
      [
        [inputs.red, 'png'],
        [inputs.blue, 'png'],
      ],
      1,
    );
  });
});

describe('bfl edits: refused before BFL', () => {
  it('an image URL on a loopback port without an allow entry → 400 image_url_rejected', async () => {
    const res = await edit(server, key, { ...EDIT, image: REJECTED_URL });
    expectImageUrlRejected(res);
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });

  it('flux-pro-1.1 (text-to-image only) → 400 unsupported_model, nothing sent', async () => {
    const res = await edit(server, key, {
      ...EDIT,
      model: 'flux-pro-1.1',
      image: dataUrl(inputs.red),
    });
    expectNoImageToImage(res);
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });
});
