import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  REPLICATE_FAKE_TOKEN,
  REPLICATE_FAKE_VERSION,
  replicateErrors,
  startFakeReplicate,
} from '../../../test/fakes/replicate/index.js';
import { testCall } from '../../../test/helpers/provider-call.js';
import {
  creations,
  download,
  failureOf,
  fake,
  fastPoll,
  input,
  isPoll,
  replicate,
  useFakeReplicate,
} from '../../../test/helpers/replicate-adapter.js';
import { loadConfig } from '../../config.js';
import type { EditInput, GenerateInput, InputImage } from '../types.js';
import { createReplicateProvider, replicateProvider } from './index.js';
import { startRelay } from '../../../test/helpers/provider-fixtures.js';

useFakeReplicate();

function inputImage(url: string): InputImage {
  return {
    bytes: Buffer.alloc(0),
    contentType: 'image/png',
    width: 64,
    height: 64,
    publicUrl: async () => url,
  };
}

function editInput(images: InputImage[], overrides: Partial<GenerateInput> = {}): EditInput {
  return {
    ...input({ model: 'black-forest-labs/flux-kontext-pro', ...overrides }),
    images,
    mask: undefined,
    inputFidelity: undefined,
  };
}

describe('replicate adapter: success', () => {
  it('creates the documented prediction and takes the output from the waited answer', async () => {
    const result = await replicate.generate(input(), testCall());

    expect(result.images).toHaveLength(1);
    const meta = await sharp(await download(result.images[0]?.url ?? '')).metadata();
    expect(meta.format).toBe('webp');

    expect(fake.requests.filter(isPoll)).toHaveLength(0);
    const [create] = creations();
    expect(create?.path).toBe('/v1/models/black-forest-labs/flux-schnell/predictions');
    expect(create?.headers.authorization).toBe(`Bearer ${REPLICATE_FAKE_TOKEN}`);
    expect(create?.headers.prefer).toBe('wait=60');
    expect(create?.headers['content-type']).toBe('application/json');
    expect(create?.body).toEqual({
      input: {
        prompt: 'a lighthouse at dusk',
        aspect_ratio: '16:9',
        num_outputs: 1,
        output_format: 'webp',
      },
    });
  });

  it('asks n outputs of one prediction', async () => {
    const result = await replicate.generate(
      input({ n: 3, seed: 5, outputFormat: 'png' }),
      testCall(),
    );
    expect(result.images).toHaveLength(3);
    expect(creations()).toHaveLength(1);
    expect(creations()[0]?.body).toMatchObject({
      input: { num_outputs: 3, seed: 5, output_format: 'png' },
    });
    const meta = await sharp(await download(result.images[2]?.url ?? '')).metadata();
    expect(meta.format).toBe('png');
  });

  it('polls urls.get through starting and processing until succeeded', async () => {
    fake.script({ steps: ['starting', 'processing', 'processing'] });
    const result = await replicate.generate(input(), testCall());
    expect(result.images).toHaveLength(1);
    const polls = fake.requests.filter(isPoll);
    expect(polls).toHaveLength(4);
    expect(polls.every((r) => r.headers.authorization === `Bearer ${REPLICATE_FAKE_TOKEN}`)).toBe(
      true,
    );
  });

  it('rides over a transient failure of the prediction URL', async () => {
    fake.script({ steps: ['processing', replicateErrors.serverError(503), 'processing'] });
    const result = await replicate.generate(input(), testCall());
    expect(result.images).toHaveLength(1);
  });

  it('sends Prefer: wait as configured, within 1-60', async () => {
    const short = createReplicateProvider({
      apiToken: REPLICATE_FAKE_TOKEN,
      baseUrl: fake.url,
      preferWaitSeconds: 5,
    });
    await short.generate(input(), testCall());
    expect(creations()[0]?.headers.prefer).toBe('wait=5');
  });

  it('creates version predictions on /v1/predictions', async () => {
    const model = `black-forest-labs/flux-schnell:${REPLICATE_FAKE_VERSION}`;
    const result = await replicate.generate(input({ model }), testCall());
    expect(result.images).toHaveLength(1);
    expect(creations()[0]).toMatchObject({
      path: '/v1/predictions',
      body: { version: REPLICATE_FAKE_VERSION, input: { prompt: 'a lighthouse at dusk' } },
    });
  });

  it('accepts a single URL output', async () => {
    fake.script({ final: { status: 'succeeded', single: true } });
    const result = await replicate.generate(input(), testCall());
    expect(result.images).toHaveLength(1);
    expect(result.images[0]?.url).toMatch(/\/files\/.+\/out-0\.webp$/);
  });

  it('sends the token only to the base URL origin and api.replicate.com', async () => {
    const foreign = await startFakeReplicate({ predictionUrlsNeedAuth: false });
    const relay = await startRelay(Number(new URL(foreign.url).port));
    try {
      foreign.script({ urlOrigin: relay.url, steps: ['processing'] });
      const adapter = createReplicateProvider({
        apiToken: REPLICATE_FAKE_TOKEN,
        baseUrl: foreign.url,
        poll: fastPoll,
      });
      expect((await adapter.generate(input(), testCall())).images).toHaveLength(1);
      const polls = foreign.requests.filter(isPoll);
      expect(polls.length).toBeGreaterThan(0);
      expect(polls.every((r) => r.headers.authorization === undefined)).toBe(true);
    } finally {
      await relay.close();
      await foreign.close();
    }
  });

  it('is configured by REPLICATE_API_TOKEN and uses REPLICATE_BASE_URL', async () => {
    expect(replicateProvider.isConfigured(loadConfig({}))).toBe(false);
    const config = loadConfig({
      REPLICATE_API_TOKEN: REPLICATE_FAKE_TOKEN,
      REPLICATE_BASE_URL: fake.url,
    });
    expect(replicateProvider.isConfigured(config)).toBe(true);
    expect(replicateProvider.requires).toBe('REPLICATE_API_TOKEN');
    const result = await replicateProvider.create(config).generate(input(), testCall());
    expect(result.images).toHaveLength(1);
  });
});

describe('replicate adapter: n split over parallel predictions', () => {
  it('runs one prediction per output when the route caps max_outputs at 1', async () => {
    const result = await replicate.generate(
      input({ n: 2, seed: 10, options: { max_outputs: 1 } }),
      testCall(),
    );
    expect(result.images).toHaveLength(2);
    const bodies = creations().map((r) => r.body as { input: Record<string, unknown> });
    expect(bodies).toHaveLength(2);
    expect(bodies.map((b) => b.input.seed).sort()).toEqual([10, 11]);
    expect(bodies.every((b) => !('num_outputs' in b.input) && !('max_outputs' in b.input))).toBe(
      true,
    );
  });

  it('returns the images that succeeded when some predictions fail', async () => {
    fake.script({}, { final: { status: 'failed', error: 'NSFW content detected.' } });
    const result = await replicate.generate(
      input({ n: 2, options: { max_outputs: 1 } }),
      testCall(),
    );
    expect(result.images).toHaveLength(1);
  });

  it('throws the safety refusal when every prediction failed', async () => {
    fake.script(
      { create: replicateErrors.serverError(503) },
      { final: { status: 'failed', error: 'NSFW content detected.' } },
    );
    const failure = await failureOf(
      replicate.generate(input({ n: 2, options: { max_outputs: 1 } }), testCall()),
    );
    expect(failure).toMatchObject({ kind: 'safety' });
  });
});
describe('replicate adapter: edits', () => {
  it('passes the input image as input_image, keeping its aspect ratio by default', async () => {
    const auto = { width: 1024, height: 1024, requested: 'auto', tier: '1K' };
    const result = await replicate.edit!(
      editInput([inputImage('https://pixapi.example/in/1.png')], { size: auto }),
      testCall(),
    );
    expect(result.images).toHaveLength(1);
    expect(creations()[0]).toMatchObject({
      path: '/v1/models/black-forest-labs/flux-kontext-pro/predictions',
      body: {
        input: { prompt: 'a lighthouse at dusk', input_image: 'https://pixapi.example/in/1.png' },
      },
    });
    expect((creations()[0]?.body as { input: object }).input).not.toHaveProperty('aspect_ratio');
  });

  it('uses the list field a route names, with every image and the mask', async () => {
    const edit = editInput(
      [
        inputImage('https://pixapi.example/in/1.png'),
        inputImage('https://pixapi.example/in/2.png'),
      ],
      { options: { image_field: 'image_input[]' } },
    );
    edit.mask = inputImage('https://pixapi.example/in/mask.png');
    await replicate.edit!(edit, testCall());
    const sent = (creations()[0]?.body as { input: Record<string, unknown> }).input;
    expect(sent.image_input).toEqual([
      'https://pixapi.example/in/1.png',
      'https://pixapi.example/in/2.png',
    ]);
    expect(sent.mask).toBe('https://pixapi.example/in/mask.png');
    expect(sent).not.toHaveProperty('image_field');
    expect(sent).not.toHaveProperty('input_image');
  });
});
