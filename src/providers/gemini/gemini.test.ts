import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { UpstreamFailure } from '../errors.js';
import type { ImageProvider } from '../types.js';
import {
  FAKE_GEMINI_KEY,
  fakeInputImage,
  geminiEditInput,
  geminiInput,
  startFakeGemini,
  type FakeGemini,
  type FakeGeminiBehavior,
} from '../../../test/fakes/gemini/index.js';
import { testCall } from '../../../test/helpers/provider-call.js';
import { geminiProvider } from './index.js';
import { MASK_NOTE } from './request.js';

let fake: FakeGemini;
let gemini: ImageProvider;

function adapter(apiKey = FAKE_GEMINI_KEY): ImageProvider {
  // The trailing slash checks that config and adapter agree on joining the base URL.
  return geminiProvider.create(
    loadConfig({ GEMINI_API_KEY: apiKey, GEMINI_BASE_URL: `${fake.url}/` }),
  );
}

beforeAll(async () => {
  fake = await startFakeGemini();
  gemini = adapter();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function failureOf(promise: Promise<unknown>): Promise<UpstreamFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UpstreamFailure))
    throw new Error(`expected a UpstreamFailure: ${String(error)}`);
  return error;
}

async function failureFor(behavior: FakeGeminiBehavior, model?: string) {
  fake.script(behavior);
  return failureOf(gemini.generate(geminiInput(model ? { model } : {}), testCall()));
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe('the gemini provider definition', () => {
  it('is configured by GEMINI_API_KEY only', () => {
    expect(geminiProvider.name).toBe('gemini');
    expect(geminiProvider.requires).toBe('GEMINI_API_KEY');
    expect(geminiProvider.isConfigured(loadConfig({}))).toBe(false);
    expect(geminiProvider.isConfigured(loadConfig({ GEMINI_API_KEY: 'k' }))).toBe(true);
  });
});

describe('generate', () => {
  it('sends the documented request and returns the final image, not the thought draft', async () => {
    const result = await gemini.generate(geminiInput({ prompt: 'a red fox' }), testCall());

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/v1beta/models/gemini-3-pro-image:generateContent');
    expect(request!.headers['x-goog-api-key']).toBe(FAKE_GEMINI_KEY);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a red fox' }] }],
      generationConfig: {
        responseModalities: ['TEXT', 'IMAGE'],
        imageConfig: { aspectRatio: '1:1', imageSize: '1K' },
      },
    });

    expect(result.images).toHaveLength(1);
    const bytes = result.images[0]!.bytes!;
    expect(bytes.subarray(0, 4).equals(PNG_SIGNATURE)).toBe(true);
    const meta = await sharp(bytes).metadata();
    expect([meta.width, meta.height]).toEqual([1024, 1024]);
    // The fake's thought draft is dark grey, its answer red.
    const { channels } = await sharp(bytes).stats();
    expect(Math.round(channels[0]!.mean)).toBe(0xcc);
    expect(result.usage).toMatchObject({ output_tokens: 1120 + 180 });
  });

  it('makes n parallel calls, each with its own seed, and adds up their usage', async () => {
    const input = geminiInput({
      model: 'gemini-2.5-flash-image',
      n: 3,
      seed: 7,
      size: { width: 1536, height: 1024, requested: '1536x1024', tier: '1K' },
    });
    const result = await gemini.generate(input, testCall());

    expect(result.images).toHaveLength(3);
    expect(fake.requests).toHaveLength(3);
    const configs = fake.requests.map(
      (r) => (r.body as { generationConfig: Record<string, unknown> }).generationConfig,
    );
    for (const config of configs) {
      // gemini-2.5-flash-image takes no imageSize (the fake refuses one).
      expect(config.imageConfig).toEqual({ aspectRatio: '3:2' });
    }
    expect(configs.map((c) => c.seed).sort()).toEqual([7, 8, 9]);
    expect(result.usage?.output_tokens).toBe(3 * 1290);
    const meta = await sharp(result.images[0]!.bytes!).metadata();
    expect(meta.width! / meta.height!).toBeCloseTo(1.5, 1);
  });

  it('sends 512 and an extreme ratio to gemini-3.1-flash-image', async () => {
    const input = geminiInput({
      model: 'gemini-3.1-flash-image',
      size: { width: 256, height: 1024, requested: '256x1024', tier: '512' },
    });
    const result = await gemini.generate(input, testCall());
    const body = fake.requests[0]!.body as { generationConfig: Record<string, unknown> };
    expect(body.generationConfig.imageConfig).toEqual({ aspectRatio: '1:4', imageSize: '512' });
    const meta = await sharp(result.images[0]!.bytes!).metadata();
    expect([meta.width, meta.height]).toEqual([256, 1024]);
  });

  it('asks for 2K and gets a 2K image', async () => {
    const input = geminiInput({
      size: { width: 2752, height: 1536, requested: '2752x1536', tier: '2K' },
    });
    const result = await gemini.generate(input, testCall());
    const meta = await sharp(result.images[0]!.bytes!).metadata();
    expect(meta.height).toBe(1536);
    expect(meta.width! / meta.height!).toBeCloseTo(16 / 9, 1);
  });

  it('sends responseModalities ["IMAGE"] from the route options', async () => {
    fake.script({ kind: 'image', thoughts: false });
    const result = await gemini.generate(
      geminiInput({ options: { responseModalities: ['IMAGE'] } }),
      testCall(),
    );
    const body = fake.requests[0]!.body as { generationConfig: Record<string, unknown> };
    expect(body.generationConfig.responseModalities).toEqual(['IMAGE']);
    expect(result.images).toHaveLength(1);
  });

  it('reads a snake_case answer and one without finishReason', async () => {
    fake.script({ kind: 'image', snakeCase: true }, { kind: 'image', finishReason: null });
    const first = await gemini.generate(geminiInput(), testCall());
    const second = await gemini.generate(geminiInput(), testCall());
    expect(first.images[0]!.bytes!.subarray(0, 4).equals(PNG_SIGNATURE)).toBe(true);
    expect(second.images).toHaveLength(1);
  });

  it('accepts a JPEG answer', async () => {
    fake.script({ kind: 'image', mimeType: 'image/jpeg' });
    const result = await gemini.generate(geminiInput(), testCall());
    expect((await sharp(result.images[0]!.bytes!).metadata()).format).toBe('jpeg');
  });

  it('returns the images that succeeded when some of the n calls fail', async () => {
    fake.script(
      { kind: 'error', status: 503 },
      { kind: 'image' },
      { kind: 'blocked', blockReason: 'SAFETY' },
    );
    const result = await gemini.generate(geminiInput({ n: 3 }), testCall());
    expect(fake.requests).toHaveLength(3);
    expect(result.images).toHaveLength(1);
  });

  it('throws the safety refusal when every call failed', async () => {
    fake.script({ kind: 'error', status: 503 }, { kind: 'finish', finishReason: 'IMAGE_SAFETY' });
    const failure = await failureOf(gemini.generate(geminiInput({ n: 2 }), testCall()));
    expect(failure.kind).toBe('safety');
  });
});

describe('errors', () => {
  it('a wrong key → misconfigured, with the key in no message', async () => {
    const failure = await failureOf(adapter('wrong-key-123').generate(geminiInput(), testCall()));
    expect(failure).toMatchObject({
      kind: 'misconfigured',
      status: 400,
      upstreamCode: 'API_KEY_INVALID',
    });
    expect(failure.message).not.toContain('wrong-key-123');
  });

  it('an unknown model → terminal 404', async () => {
    const failure = await failureOf(
      gemini.generate(geminiInput({ model: 'gemini-9-image' }), testCall()),
    );
    expect(failure).toMatchObject({ kind: 'terminal', status: 404, upstreamCode: 'NOT_FOUND' });
  });

  it.each([
    [400, 'terminal'],
    [403, 'misconfigured'],
    [500, 'retryable'],
    [503, 'retryable'],
    [504, 'retryable'],
  ])('HTTP %i → %s', async (status, kind) => {
    const failure = await failureFor({ kind: 'error', status });
    expect(failure).toMatchObject({ kind, status });
  });

  it('429 with RetryInfo → retryable after retryDelay', async () => {
    const failure = await failureFor({ kind: 'rate-limited', retryDelay: '13s' });
    expect(failure).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 13_000 });
  });

  it('429 with retry-after → retryable after it', async () => {
    const failure = await failureFor({ kind: 'rate-limited', retryAfter: '7' });
    expect(failure).toMatchObject({ kind: 'retryable', retryAfterMs: 7_000 });
  });

  it('429 of a spent daily quota → misconfigured', async () => {
    const failure = await failureFor({
      kind: 'rate-limited',
      retryDelay: '5s',
      quotaId: 'GenerateRequestsPerDayPerProjectPerModel',
    });
    expect(failure.kind).toBe('misconfigured');
  });

  it('a dropped connection → retryable', async () => {
    const failure = await failureFor({ kind: 'hang-up' });
    expect(failure.kind).toBe('retryable');
  });
});

describe('safety refusals', () => {
  it.each(['SAFETY', 'OTHER', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'IMAGE_SAFETY'])(
    'blockReason %s → safety',
    async (blockReason) => {
      const failure = await failureFor({ kind: 'blocked', blockReason });
      expect(failure).toMatchObject({ kind: 'safety', upstreamCode: blockReason });
    },
  );

  it.each([
    'SAFETY',
    'PROHIBITED_CONTENT',
    'IMAGE_SAFETY',
    'IMAGE_PROHIBITED_CONTENT',
    'IMAGE_RECITATION',
    'IMAGE_OTHER',
    'RECITATION',
    'BLOCKLIST',
    'SPII',
  ])('finishReason %s → safety', async (finishReason) => {
    const failure = await failureFor({ kind: 'finish', finishReason });
    expect(failure).toMatchObject({ kind: 'safety', upstreamCode: finishReason });
  });

  it('an image that comes with IMAGE_SAFETY is not returned', async () => {
    const failure = await failureFor({
      kind: 'finish',
      finishReason: 'IMAGE_SAFETY',
      withImage: true,
    });
    expect(failure.kind).toBe('safety');
  });

  it.each(['NO_IMAGE', 'OTHER'])('finishReason %s → terminal, not safety', async (finishReason) => {
    const failure = await failureFor({ kind: 'finish', finishReason });
    expect(failure).toMatchObject({ kind: 'terminal', upstreamCode: finishReason });
  });
});

describe('malformed answers', () => {
  it.each<[string, FakeGeminiBehavior]>([
    ['non-JSON 200', { kind: 'non-json' }],
    ['text without an image', { kind: 'text-only' }],
    ['no candidates', { kind: 'no-candidates' }],
    ['corrupted base64', { kind: 'corrupt-image', mode: 'bad-base64' }],
    ['base64 that is not an image', { kind: 'corrupt-image', mode: 'not-an-image' }],
    ['MAX_TOKENS with an image', { kind: 'finish', finishReason: 'MAX_TOKENS', withImage: true }],
  ])('%s → invalid_response', async (_, behavior) => {
    const failure = await failureFor(behavior);
    expect(failure.kind).toBe('invalid_response');
  });
});

describe('deadlines', () => {
  it('a slow answer and an aborted signal → the abort reason, unclassified', async () => {
    fake.script({ kind: 'slow', delayMs: 60_000 });
    const controller = new AbortController();
    const reason = new Error('client deadline');
    const pending = gemini.generate(geminiInput(), testCall({ signal: controller.signal }));
    await fake.waitForRequests(1);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('a slow answer that comes in time succeeds', async () => {
    fake.script({ kind: 'slow', delayMs: 50 });
    const result = await gemini.generate(geminiInput(), testCall());
    expect(result.images).toHaveLength(1);
  });
});

describe('edit', () => {
  it('inlines the images and the mask, and follows the input ratio with size auto', async () => {
    const photo = await sharp({
      create: { width: 60, height: 40, channels: 3, background: '#39c' },
    })
      .png()
      .toBuffer();
    const mask = await sharp({
      create: { width: 60, height: 40, channels: 4, background: '#0000' },
    })
      .png()
      .toBuffer();
    const input = geminiEditInput([fakeInputImage(photo, 60, 40)], {
      prompt: 'add a hat',
      mask: fakeInputImage(mask, 60, 40),
      size: { width: 1024, height: 1024, requested: 'auto', tier: '1K' },
    });
    const result = await gemini.edit!(input, testCall());

    const body = fake.requests[0]!.body as {
      contents: [{ parts: unknown[] }];
      generationConfig: Record<string, unknown>;
    };
    expect(body.contents[0].parts).toEqual([
      { text: 'add a hat' },
      { inline_data: { mime_type: 'image/png', data: photo.toString('base64') } },
      { text: MASK_NOTE },
      { inline_data: { mime_type: 'image/png', data: mask.toString('base64') } },
    ]);
    expect(body.generationConfig.imageConfig).toEqual({ imageSize: '1K' });
    const meta = await sharp(result.images[0]!.bytes!).metadata();
    expect(meta.width! / meta.height!).toBeCloseTo(1.5, 1);
  });

  it('makes n edit calls', async () => {
    const photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const result = await gemini.edit!(
      geminiEditInput([fakeInputImage(photo, 8, 8)], { n: 2 }),
      testCall(),
    );
    expect(result.images).toHaveLength(2);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('the fake rejects what the real API rejects', () => {
  async function post(body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${fake.url}/v1beta/models/gemini-3-pro-image:generateContent`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-goog-api-key': FAKE_GEMINI_KEY,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as { error: { message: string; status: string } },
    };
  }
  const contents = [{ role: 'user', parts: [{ text: 'x' }] }];

  it('an unknown top-level field', async () => {
    const { status, body } = await post({ contents, x: 1 });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: 'Invalid JSON payload received. Unknown name "x": Cannot find field.',
    });
  });

  it('an unknown nested field, named with its path', async () => {
    const { body } = await post({ contents, generationConfig: { imageConfig: { quality: 'hd' } } });
    expect(body.error.message).toBe(
      `Invalid JSON payload received. Unknown name "quality" at 'generation_config.image_config': Cannot find field.`,
    );
  });

  it('a missing key, and a ratio the model lacks', async () => {
    const missing = await post({ contents }, { 'x-goog-api-key': '' });
    expect(missing).toMatchObject({
      status: 403,
      body: { error: { status: 'PERMISSION_DENIED' } },
    });
    const ratio = await post({
      contents,
      generationConfig: { imageConfig: { aspectRatio: '1:8' } },
    });
    expect(ratio.status).toBe(400);
  });

  it('a body that is not JSON, and a wrong content type', async () => {
    expect((await post('{oops')).status).toBe(400);
    expect((await post({ contents }, { 'content-type': 'text/plain' })).status).toBe(400);
  });
});
