import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAL_FAKE_KEY, falErrors, startFakeFal } from '../../../test/fakes/fal/index.js';
import type { FalFake } from '../../../test/fakes/fal/index.js';
import { testCall } from '../../../test/helpers/provider-call.js';
import { loadConfig } from '../../config.js';
import { collectOutputs } from '../../generation/outputs.js';
import type { EditInput, GenerateInput, ImageProvider, InputImage } from '../types.js';
import { createFalProvider, falProvider } from './index.js';
import { generateInput, sized, startRelay } from '../../../test/helpers/provider-fixtures.js';

let fake: FalFake;
let fal: ImageProvider;

beforeAll(async () => {
  fake = await startFakeFal();
  fal = createFalProvider({
    apiKey: FAL_FAKE_KEY,
    baseUrl: fake.url,
    poll: { initialMs: 1, maxMs: 5 },
  });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const input = (overrides: Partial<GenerateInput> = {}): GenerateInput =>
  generateInput({
    model: 'fal-ai/flux/schnell',
    size: sized(512, 384, '1K'),
    ...overrides,
  });

function inputImage(url: string): InputImage {
  return {
    bytes: Buffer.alloc(0),
    contentType: 'image/png',
    width: 64,
    height: 64,
    publicUrl: async () => url,
  };
}

function editInput(images: InputImage[], mask?: InputImage): EditInput {
  return { ...input(), images, mask, inputFidelity: undefined };
}

async function download(url: string): Promise<Buffer> {
  return Buffer.from(await (await fetch(url)).arrayBuffer());
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('fal adapter: success', () => {
  it('submits the documented input, follows the status sequence and returns real images', async () => {
    fake.script({ queue: ['IN_QUEUE', 'IN_QUEUE', 'IN_PROGRESS'] });
    const result = await fal.generate(input({ seed: 42 }), testCall());

    expect(result.images).toHaveLength(1);
    const url = result.images[0]?.url ?? '';
    expect(url.startsWith(`${fake.url}/files/`)).toBe(true);
    const meta = await sharp(await download(url)).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 512, height: 384 });

    const submit = fake.requests[0];
    expect(submit).toMatchObject({ method: 'POST', path: '/fal-ai/flux/schnell' });
    expect(submit?.headers.authorization).toBe(`Key ${FAL_FAKE_KEY}`);
    expect(submit?.headers['content-type']).toBe('application/json');
    expect(submit?.body).toEqual({
      prompt: 'a red fox in the snow',
      image_size: { width: 512, height: 384 },
      num_images: 1,
      seed: 42,
      output_format: 'png',
      enable_safety_checker: true,
    });
    // The status and result URLs are fal's (without the model's subpath), not built.
    const polls = fake.requests.filter((r) => r.path.endsWith('/status'));
    expect(polls).toHaveLength(4);
    expect(polls[0]?.path).toMatch(/^\/fal-ai\/flux\/requests\/[0-9a-f-]+\/status$/);
    expect(polls.every((r) => r.headers.authorization === `Key ${FAL_FAKE_KEY}`)).toBe(true);
    const resultRequest = fake.requests.find((r) => /\/requests\/[0-9a-f-]+$/.test(r.path));
    expect(resultRequest?.method).toBe('GET');
  });

  it('asks n images in one request, in JPEG when asked', async () => {
    const result = await fal.generate(input({ n: 3, outputFormat: 'jpeg' }), testCall());
    expect(result.images).toHaveLength(3);
    expect(fake.requests[0]?.body).toMatchObject({ num_images: 3, output_format: 'jpeg' });
    const meta = await sharp(await download(result.images[2]?.url ?? '')).metadata();
    expect(meta.format).toBe('jpeg');
  });

  it('asks PNG for WebP outputs, since fal models write JPEG or PNG', async () => {
    await fal.generate(input({ outputFormat: 'webp' }), testCall());
    expect(fake.requests[0]?.body).toMatchObject({ output_format: 'png' });
  });

  it('rides over a transient failure of the status endpoint', async () => {
    fake.script({
      queue: ['IN_QUEUE', falErrors.infrastructure('internal_error', 500), 'IN_PROGRESS'],
    });
    const result = await fal.generate(input(), testCall());
    expect(result.images).toHaveLength(1);
  });

  it('sends the key only to the base URL origin and fal domains', async () => {
    const foreign = await startFakeFal({ queueUrlsNeedAuth: false });
    // Another origin (another port) in front of the same fake: a host that must get no key.
    const relay = await startRelay(Number(new URL(foreign.url).port));
    try {
      foreign.script({ urlOrigin: relay.url });
      const adapter = createFalProvider({
        apiKey: FAL_FAKE_KEY,
        baseUrl: foreign.url,
        poll: { initialMs: 1, maxMs: 5 },
      });
      const result = await adapter.generate(input(), testCall());
      expect(result.images).toHaveLength(1);
      const [submit, ...followed] = foreign.requests.filter((r) => !r.path.startsWith('/files/'));
      expect(submit?.headers.authorization).toBe(`Key ${FAL_FAKE_KEY}`);
      expect(followed.length).toBeGreaterThan(1);
      expect(followed.every((r) => r.headers.authorization === undefined)).toBe(true);
    } finally {
      await relay.close();
      await foreign.close();
    }
  });

  it('is configured by FAL_KEY and uses FAL_BASE_URL', async () => {
    expect(falProvider.isConfigured(loadConfig({}))).toBe(false);
    const config = loadConfig({ FAL_KEY: FAL_FAKE_KEY, FAL_BASE_URL: `${fake.url}/` });
    expect(falProvider.isConfigured(config)).toBe(true);
    expect(falProvider.requires).toBe('FAL_KEY');
    fake.script({ queue: [] });
    const result = await falProvider.create(config).generate(input(), testCall());
    expect(result.images).toHaveLength(1);
  });
});

describe('fal adapter: safety', () => {
  it('drops images flagged in has_nsfw_concepts', async () => {
    fake.script({ nsfw: [true, false] });
    const result = await fal.generate(input({ n: 2 }), testCall());
    expect(result.images).toHaveLength(1);
    expect(result.images[0]?.url).toMatch(/-1\.png$/);
  });

  it('refuses for safety when every image is flagged', async () => {
    fake.script({ nsfw: [true, true] });
    const failure = await failureOf(fal.generate(input({ n: 2 }), testCall()));
    expect(failure).toMatchObject({ kind: 'safety' });
  });

  it('refuses for safety on a content_policy_violation, at submission or in the result', async () => {
    fake.script({ submit: falErrors.contentPolicy() });
    expect(await failureOf(fal.generate(input(), testCall()))).toMatchObject({ kind: 'safety' });

    fake.script({
      completed: { error: 'Unprocessable', error_type: undefined },
      result: falErrors.contentPolicy('image_url'),
    });
    expect(await failureOf(fal.generate(input(), testCall()))).toMatchObject({ kind: 'safety' });
  });
});

describe('fal adapter: errors', () => {
  it('makes a wrong key and an exhausted balance operator problems', async () => {
    const wrong = createFalProvider({ apiKey: 'other-id:other-secret', baseUrl: fake.url });
    const failure = await failureOf(wrong.generate(input(), testCall()));
    expect(failure).toMatchObject({ kind: 'misconfigured', status: 401 });
    expect(String((failure as Error).message)).not.toContain('other-secret');

    fake.script({ submit: falErrors.exhaustedBalance() });
    expect(await failureOf(fal.generate(input(), testCall()))).toMatchObject({
      kind: 'misconfigured',
      status: 403,
    });
  });

  it('makes invalid input terminal (including unknown fields, which fal rejects)', async () => {
    const failure = await failureOf(
      fal.generate(input({ options: { not_a_field: true } }), testCall()),
    );
    expect(failure).toMatchObject({
      kind: 'terminal',
      status: 422,
      upstreamCode: 'extra_forbidden',
    });
    expect(await failureOf(fal.generate(input({ n: 5 }), testCall()))).toMatchObject({
      kind: 'terminal',
    });
  });

  it('retries 429 with retry-after, and infrastructure errors by X-Fal-Error-Type', async () => {
    fake.script({ submit: falErrors.rateLimited(3) });
    expect(await failureOf(fal.generate(input(), testCall()))).toMatchObject({
      kind: 'retryable',
      status: 429,
      retryAfterMs: 3000,
    });

    fake.script({ submit: falErrors.infrastructure('runner_scheduling_failure', 503) });
    expect(await failureOf(fal.generate(input(), testCall()))).toMatchObject({
      kind: 'retryable',
      upstreamCode: 'runner_scheduling_failure',
    });
  });

  it('classifies a request that completed with an error', async () => {
    fake.script({
      completed: { error: 'Request timed out', error_type: 'request_timeout' },
      result: falErrors.infrastructure('request_timeout', 504, 'Request timed out'),
    });
    expect(await failureOf(fal.generate(input(), testCall()))).toMatchObject({
      kind: 'retryable',
      status: 504,
      upstreamCode: 'request_timeout',
    });

    fake.script({
      completed: { error: 'bad header', error_type: 'bad_request' },
      result: { status: 200, body: { images: [] } },
    });
    expect(await failureOf(fal.generate(input(), testCall()))).toMatchObject({
      kind: 'terminal',
      upstreamCode: 'bad_request',
    });
  });

  it('gives up when the status endpoint keeps failing', async () => {
    const down = falErrors.infrastructure('internal_error', 500);
    fake.script({ queue: ['IN_QUEUE', down, down, down, down, down] });
    expect(await failureOf(fal.generate(input(), testCall()))).toMatchObject({
      kind: 'retryable',
      status: 500,
    });
  });
});

describe('fal adapter: malformed answers', () => {
  it('makes a non-JSON submission answer invalid_response', async () => {
    fake.script({ submit: { status: 200, rawBody: '<html>hello</html>' } });
    expect(await failureOf(fal.generate(input(), testCall()))).toMatchObject({
      kind: 'invalid_response',
    });
  });

  it('makes a non-JSON error page retryable when it is a 502', async () => {
    fake.script({ submit: { status: 502, rawBody: '<html>Bad Gateway</html>' } });
    expect(await failureOf(fal.generate(input(), testCall()))).toMatchObject({
      kind: 'retryable',
      status: 502,
    });
  });

  it('makes a result without images invalid_response', async () => {
    fake.script({ result: { status: 200, body: { images: [], seed: 1 } } });
    expect(await failureOf(fal.generate(input(), testCall()))).toMatchObject({
      kind: 'invalid_response',
    });
    fake.script({ result: { status: 200, rawBody: 'not json' } });
    expect(await failureOf(fal.generate(input(), testCall()))).toMatchObject({
      kind: 'invalid_response',
    });
  });

  it('passes on a URL to bytes that are not an image, which Pixapi then drops', async () => {
    fake.script({ notImage: true });
    const result = await fal.generate(input(), testCall());
    expect(result.images).toHaveLength(1);
    const delivered = await collectOutputs(result.images, {
      outputFormat: 'png',
      outputCompression: undefined,
      download,
      log: pino({ level: 'silent' }),
    });
    expect(delivered).toEqual([]);
  });
});

describe('fal adapter: aborts', () => {
  it('lets the abort propagate during a slow submission', async () => {
    const controller = new AbortController();
    const reason = new Error('client deadline');
    fake.script({ submit: { status: 200, body: {}, delayMs: 5000 } });
    const pending = failureOf(fal.generate(input(), testCall({ signal: controller.signal })));
    await fake.waitForRequest((r) => r.method === 'POST');
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });

  it('stops polling on abort and cancels the queued request', async () => {
    const controller = new AbortController();
    const reason = new Error('client deadline');
    fake.script({ queue: Array.from({ length: 10_000 }, () => 'IN_PROGRESS' as const) });
    const pending = failureOf(fal.generate(input(), testCall({ signal: controller.signal })));
    await fake.waitForRequest((r) => r.path.endsWith('/status'));
    controller.abort(reason);
    expect(await pending).toBe(reason);
    const cancel = await fake.waitForRequest((r) => r.method === 'PUT');
    expect(cancel.path).toMatch(/^\/fal-ai\/flux\/requests\/[0-9a-f-]+\/cancel$/);
    expect(cancel.headers.authorization).toBe(`Key ${FAL_FAKE_KEY}`);
  });
});

describe('fal adapter: edits', () => {
  it('passes one input image as image_url', async () => {
    const result = await fal.edit!(
      editInput([inputImage('https://pixapi.example/in/1.png')]),
      testCall(),
    );
    expect(result.images).toHaveLength(1);
    expect(fake.requests[0]?.body).toMatchObject({
      prompt: 'a red fox in the snow',
      image_url: 'https://pixapi.example/in/1.png',
    });
  });

  it('passes several images as image_urls, and the mask as mask_url', async () => {
    await fal.edit!(
      editInput(
        [
          inputImage('https://pixapi.example/in/1.png'),
          inputImage('https://pixapi.example/in/2.png'),
        ],
        inputImage('https://pixapi.example/in/mask.png'),
      ),
      testCall(),
    );
    const body = fake.requests[0]?.body as Record<string, unknown>;
    expect(body.image_urls).toEqual([
      'https://pixapi.example/in/1.png',
      'https://pixapi.example/in/2.png',
    ]);
    expect(body.mask_url).toBe('https://pixapi.example/in/mask.png');
    expect(body).not.toHaveProperty('image_url');
  });

  it('uses the field the route names', async () => {
    const edit = { ...editInput([inputImage('https://pixapi.example/in/1.png')]) };
    edit.options = { image_field: 'image_urls[]' };
    await fal.edit!(edit, testCall());
    const body = fake.requests[0]?.body as Record<string, unknown>;
    expect(body.image_urls).toEqual(['https://pixapi.example/in/1.png']);
    expect(body).not.toHaveProperty('image_field');
  });
});
