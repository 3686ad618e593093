import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.js';
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
 * Edits through the real server to a self-hosted OpenAI-compatible server (the fake in
 * `compatible` mode: a few known fields, `url` outputs it serves itself). Whatever form the
 * client used, the server gets OpenAI's multipart edit: one input as `image`, several as
 * `image[]`, and the `mask`. The models come from a PIXAPI_CATALOG file.
 */

let fake: FakeOpenAI;
let host: ImageHost;
let inputs: EditInputs;
let catalog: string;
let server: TestServer;
let key: string;

const SELF_HOSTED_KEY = 'local-secret-key-0123';
// 2 credits per image (from the catalog file below).
const EDIT = { model: 'sd-edit-local', prompt: 'add a red hat', size: '512x512' };
const editCalls = () => fake.requests.filter((r) => r.path === '/v1/images/edits');

beforeAll(async () => {
  fake = await startFakeOpenAI({ mode: 'compatible' });
  inputs = await makeEditInputs();
  host = await startImageHost({
    '/in.png': { bytes: inputs.red, type: 'image/png' },
    '/mask.png': { bytes: inputs.mask, type: 'image/png' },
  });
  const entry = (id: string, capabilities: string) => [
    `  - id: ${id}`,
    `    name: ${id}`,
    '    description: Stable Diffusion behind a self-hosted OpenAI-compatible server.',
    '    owned_by: self-hosted',
    `    capabilities: [${capabilities}]`,
    '    routes: [{ provider: openai-compatible, model: sd-turbo }]',
    '    sizes: { auto: 512x512, list: [{ size: 512x512, tier: default }] }',
    '    qualities: [auto]',
    '    max_n: 4',
    '    pricing: { rules: [{ credits: 2 }] }',
  ];
  catalog = writeCatalog(
    [
      'models:',
      ...entry('sd-edit-local', 'text-to-image, image-to-image'),
      ...entry('sd-turbo-local', 'text-to-image'),
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
    PIXAPI_CATALOG: catalog,
    OPENAI_COMPATIBLE_BASE_URL: fake.url,
    OPENAI_COMPATIBLE_API_KEY: SELF_HOSTED_KEY,
    // The outputs are URLs on the fake; the client's images on the image host.
    PIXAPI_OUTBOUND_ALLOW: `${allowPortOf(fake.url)},${host.allow}`,
  });
  key = (await server.account(100)).apiKey;
});
afterEach(async () => server?.close());

/**
 * The one upstream call: multipart with the key, only the plain fields, `field` parts for the
 * inputs (in order, re-encoded, typed and named by their format) and the mask if any.
 */
async function expectUpstreamEdit(
  field: 'image' | 'image[]',
  images: Array<[Buffer, 'png' | 'jpeg']>,
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
    const res = await edit(server, key, {
      ...EDIT,
      n: 2,
      image: [dataUrl(inputs.red), dataUrl(inputs.green, 'image/jpeg')],
    });
    await expectImages(res, { n: 2, width: 512, height: 512, credits: 4 });
    await expectCharged(server, key, 100, 4);
    await expectUpstreamEdit(
      'image[]',
      [
        [inputs.red, 'png'],
        [inputs.green, 'jpeg'],
      ],
      undefined,
      2,
    );
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      model: 'sd-edit-local',
      route: 'openai-compatible/sd-turbo',
      images: 2,
      credits: 4,
    });
  });

  it('JSON with an http URL image and mask on an allowed host: one `image` part', async () => {
    const res = await edit(server, key, {
      ...EDIT,
      image: host.url('/in.png'),
      mask: host.url('/mask.png'),
    });
    await expectImages(res, { n: 1, width: 512, height: 512, credits: 2 });
    await expectCharged(server, key, 100, 2);
    await expectUpstreamEdit('image', [[inputs.red, 'png']], inputs.mask);
    expect(host.hits).toEqual(expect.arrayContaining(['/in.png', '/mask.png']));
  });

  it("OpenAI's JSON form: images: [{image_url}] ×2 and mask: {image_url}", async () => {
    const res = await edit(server, key, {
      ...EDIT,
      images: [{ image_url: host.url('/in.png') }, { image_url: dataUrl(inputs.blue) }],
      mask: { image_url: dataUrl(inputs.mask) },
    });
    await expectImages(res, { n: 1, width: 512, height: 512, credits: 2 });
    await expectCharged(server, key, 100, 2);
    await expectUpstreamEdit(
      'image[]',
      [
        [inputs.red, 'png'],
        [inputs.blue, 'png'],
      ],
      inputs.mask,
    );
  });

  it('multipart with two image[] files and a mask', async () => {
    const res = await editMultipart(server, key, EDIT, twoImagesAndMask(inputs));
    await expectImages(res, { n: 1, width: 512, height: 512, credits: 2 });
    await expectCharged(server, key, 100, 2);
    await expectUpstreamEdit(
      'image[]',
      [
        [inputs.red, 'png'],
        [inputs.blue, 'png'],
      ],
      inputs.mask,
    );
  });
});

describe('openai-compatible edits: refused before the server', () => {
  it('an image URL on a loopback port without an allow entry → 400 image_url_rejected', async () => {
    const res = await edit(server, key, { ...EDIT, image: REJECTED_URL });
    expectImageUrlRejected(res);
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });

  it('a text-to-image-only model on the same server → 400 unsupported_model, nothing sent', async () => {
    const res = await edit(server, key, {
      ...EDIT,
      model: 'sd-turbo-local',
      image: dataUrl(inputs.red),
    });
    expectNoImageToImage(res);
    expect(fake.requests).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
  });
});
