import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_GEMINI_KEY, startFakeGemini, type FakeGemini } from '../fakes/gemini/index.js';
import { validateAgainst } from '../helpers/openai-schemas.js';
import {
  expectCharged,
  expectFailedUsage,
  expectImages,
  expectOpenAIError,
  generate,
  lastUsage,
  startPixapi,
} from '../helpers/provider-e2e.js';
import type { TestServer } from '../helpers/server.js';

/** The Gemini adapter (Nano Banana) through the real server, against the fake Gemini API. */

let fake: FakeGemini;
let server: TestServer;
let key: string;

const env = () => ({ GEMINI_API_KEY: FAKE_GEMINI_KEY, GEMINI_BASE_URL: fake.url });
// gemini-2.5-flash-image costs 2 credits per image; 1248x832 is its 1K 3:2 size.
const BANANA = { model: 'gemini-2.5-flash-image', prompt: 'a red fox in the snow' };
const PATH = '/v1beta/models/gemini-2.5-flash-image:generateContent';

beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(async () => fake?.close());
beforeEach(async () => {
  fake.reset();
  server = await startPixapi(env());
  key = (await server.account(100)).apiKey;
});
afterEach(async () => server?.close());

describe('gemini: success', () => {
  it('n=1 by alias: the documented generateContent call, a stored image, its price', async () => {
    const res = await generate(server, key, { ...BANANA, model: 'nano-banana', size: '1248x832' });
    await expectImages(res, { n: 1, width: 1248, height: 832, credits: 2 });
    expect(res.body.model).toBe('gemini-2.5-flash-image');
    await expectCharged(server, key, 100, 2);

    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe(PATH);
    expect(sent.headers['x-goog-api-key']).toBe(FAKE_GEMINI_KEY);
    expect(sent.headers.authorization).toBeUndefined();
    const body = sent.body as {
      contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>;
      generationConfig: { responseModalities: string[]; imageConfig?: Record<string, unknown> };
    };
    expect(body.contents).toHaveLength(1);
    expect(body.contents[0]!.role).toBe('user');
    expect(body.contents[0]!.parts).toContainEqual({ text: BANANA.prompt });
    expect(body.generationConfig.responseModalities).toContain('IMAGE');
    expect(body.generationConfig.imageConfig?.aspectRatio).toBe('3:2');
    // gemini-2.5-flash-image has one size: no imageSize.
    expect(body.generationConfig.imageConfig).not.toHaveProperty('imageSize');
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      model: 'gemini-2.5-flash-image',
      route: 'gemini/gemini-2.5-flash-image',
      attempts: 1,
      images: 1,
      credits: 2,
    });
  });

  it('n=3 makes three calls (one image each) and charges 3 × 2 credits', async () => {
    const res = await generate(server, key, { ...BANANA, n: 3 });
    await expectImages(res, { n: 3, width: 1024, height: 1024, credits: 6 });
    await expectCharged(server, key, 100, 6);
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests.every((r) => r.path === PATH)).toBe(true);
  });

  it('gemini-3-pro at 2K: imageSize 2K, the final image (not the thought draft), 8 credits', async () => {
    const res = await generate(server, key, {
      model: 'nano-banana-pro',
      prompt: BANANA.prompt,
      size: '2048x2048',
      response_format: 'b64_json',
    });
    expect(res.status).toBe(200);
    expect(validateAgainst('ImagesResponse', res.body)).toEqual([]);
    expect(res.body.billing).toEqual({ images: 1, credits: 8 });
    const b64 = (res.body.data as Array<{ b64_json: string }>)[0]!.b64_json;
    const { data, info } = await sharp(Buffer.from(b64, 'base64'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([2048, 2048]);
    // The fake draws the thought draft #333333 and the answer #cc3333.
    expect([...data.subarray(0, 3)]).toEqual([0xcc, 0x33, 0x33]);
    const sent = fake.requests[0]!.body as { generationConfig: { imageConfig: unknown } };
    expect(sent.generationConfig.imageConfig).toEqual({ aspectRatio: '1:1', imageSize: '2K' });
    await expectCharged(server, key, 100, 8);
  });

  it('n=2 with one image refused: returns and charges only the delivered one', async () => {
    fake.script({ kind: 'image' }, { kind: 'blocked', blockReason: 'SAFETY' });
    const res = await generate(server, key, { ...BANANA, n: 2 });
    await expectImages(res, { n: 1, width: 1024, height: 1024, credits: 2 });
    await expectCharged(server, key, 100, 2);
  });
});

describe('gemini: failures', () => {
  it('retries 503 UNAVAILABLE and 429 RESOURCE_EXHAUSTED, then charges once', async () => {
    fake.script(
      { kind: 'error', status: 503 },
      { kind: 'rate-limited', retryAfter: '0' },
      { kind: 'image' },
    );
    const res = await generate(server, key, BANANA);
    await expectImages(res, { n: 1, width: 1024, height: 1024, credits: 2 });
    expect(fake.requests).toHaveLength(3);
    await expectCharged(server, key, 100, 2);
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      route: 'gemini/gemini-2.5-flash-image',
      attempts: 3,
    });
  });

  it.each([
    { kind: 'blocked', blockReason: 'PROHIBITED_CONTENT' },
    { kind: 'finish', finishReason: 'IMAGE_SAFETY' },
    { kind: 'finish', finishReason: 'SAFETY' },
  ] as const)('safety %o → 400 content_policy_violation, not retried', async (refusal) => {
    fake.script(refusal, refusal);
    const res = await generate(server, key, { ...BANANA, n: 2 });
    expectOpenAIError(res, 400, 'content_policy_violation');
    // One call per image, none repeated.
    expect(fake.requests).toHaveLength(2);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'content_policy_violation', {
      route: 'gemini/gemini-2.5-flash-image',
      attempts: 1,
    });
  });

  it('403 PERMISSION_DENIED → 503, not retried, not charged', async () => {
    fake.script({ kind: 'error', status: 403 });
    const res = await generate(server, key, BANANA);
    expectOpenAIError(res, 503, 'provider_unavailable');
    expect(fake.requests).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'provider_unavailable', { attempts: 1 });
  });

  it('a key Google refuses (400 API_KEY_INVALID) → 503 that does not leak it', async () => {
    const wrong = await startPixapi({ ...env(), GEMINI_API_KEY: 'AIza-wrong-key-0000000000' });
    try {
      const account = await wrong.account(10);
      const res = await generate(wrong, account.apiKey, BANANA);
      expectOpenAIError(res, 503, 'provider_unavailable');
      expect(JSON.stringify(res.body)).not.toContain('AIza');
      expect(fake.requests).toHaveLength(1);
      await expectCharged(wrong, account.apiKey, 10, 0);
      const usage = await expectFailedUsage(wrong, account.apiKey, 'provider_unavailable');
      expect(JSON.stringify(usage)).not.toContain('AIza');
    } finally {
      await wrong.close();
    }
  });

  it('garbage: a non-JSON 200, or inline data that is not an image → 502 provider_error', async () => {
    fake.script({ kind: 'non-json' });
    expectOpenAIError(await generate(server, key, BANANA), 502, 'provider_error');
    fake.script({ kind: 'corrupt-image', mode: 'not-an-image' });
    expectOpenAIError(await generate(server, key, BANANA), 502, 'provider_error');
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'provider_error');
  });

  it('without GEMINI_API_KEY → 503 provider_not_configured naming it', async () => {
    const bare = await startPixapi({ GEMINI_BASE_URL: fake.url });
    try {
      const account = await bare.account(10);
      const res = await generate(bare, account.apiKey, { ...BANANA, model: 'nano-banana-pro' });
      expectOpenAIError(res, 503, 'provider_not_configured');
      expect((res.body.error as { message: string }).message).toContain('GEMINI_API_KEY');
      expect(fake.requests).toHaveLength(0);
      await expectCharged(bare, account.apiKey, 10, 0);
    } finally {
      await bare.close();
    }
  });
});
