import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FAKE_GEMINI_KEY, startFakeGemini } from '../fakes/gemini/index.js';
import { validateAgainst } from '../helpers/openai-schemas.js';
import { GenerationFailures } from '../helpers/provider-e2e-cases.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';

/** The Gemini adapter (Nano Banana) through the real server, against the fake Gemini API. */

const env = () => ({ GEMINI_API_KEY: FAKE_GEMINI_KEY, GEMINI_BASE_URL: e2e.fake.url });
const e2e = useProviderE2E({ startFake: () => startFakeGemini(), env });
// gemini-2.5-flash-image costs 2 credits per image; 1248x832 is its 1K 3:2 size.
const BANANA = { model: 'gemini-2.5-flash-image', prompt: 'a red fox in the snow' };
const PATH = '/v1beta/models/gemini-2.5-flash-image:generateContent';
const failures = new GenerationFailures({
  e2e,
  env,
  body: BANANA,
  image: { width: 1024, height: 1024, credits: 2 },
  route: 'gemini/gemini-2.5-flash-image',
  // One call per image: every request counts.
  calls: () => e2e.fake.requests,
});

describe('gemini: success', () => {
  it('n=1 by alias: the documented generateContent call, a stored image, its price', async () => {
    const res = await e2e.generate({ ...BANANA, model: 'nano-banana', size: '1248x832' });
    await e2e.expectServed(res, { n: 1, width: 1248, height: 832, credits: 2 });
    expect(res.body.model).toBe('gemini-2.5-flash-image');

    expect(e2e.fake.requests).toHaveLength(1);
    const sent = e2e.fake.requests[0]!;
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
    await e2e.expectSucceededUsage({
      model: 'gemini-2.5-flash-image',
      route: 'gemini/gemini-2.5-flash-image',
      attempts: 1,
      images: 1,
      credits: 2,
    });
  });

  it('n=3 makes three calls (one image each) and charges 3 × 2 credits', async () => {
    const res = await e2e.generate({ ...BANANA, n: 3 });
    await e2e.expectServed(res, { n: 3, width: 1024, height: 1024, credits: 6 });
    expect(e2e.fake.requests).toHaveLength(3);
    expect(e2e.fake.requests.every((r) => r.path === PATH)).toBe(true);
  });

  it('gemini-3-pro at 2K: imageSize 2K, the final image (not the thought draft), 8 credits', async () => {
    const res = await e2e.generate({
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
    const sent = e2e.fake.requests[0]!.body as { generationConfig: { imageConfig: unknown } };
    expect(sent.generationConfig.imageConfig).toEqual({ aspectRatio: '1:1', imageSize: '2K' });
    await e2e.expectCharged(8);
  });

  it('n=2 with one image refused: returns and charges only the delivered one', async () => {
    e2e.fake.script({ kind: 'image' }, { kind: 'blocked', blockReason: 'SAFETY' });
    const res = await e2e.generate({ ...BANANA, n: 2 });
    await e2e.expectServed(res, { n: 1, width: 1024, height: 1024, credits: 2 });
  });
});

describe('gemini: failures', () => {
  it('retries 503 UNAVAILABLE and 429 RESOURCE_EXHAUSTED, then charges once', async () => {
    e2e.fake.script(
      { kind: 'error', status: 503 },
      { kind: 'rate-limited', retryAfter: '0' },
      { kind: 'image' },
    );
    await failures.expectRetriedThenCharged();
  });

  it.each([
    { kind: 'blocked', blockReason: 'PROHIBITED_CONTENT' },
    { kind: 'finish', finishReason: 'IMAGE_SAFETY' },
    { kind: 'finish', finishReason: 'SAFETY' },
  ] as const)('safety %o → 400 content_policy_violation, not retried', async (refusal) => {
    e2e.fake.script(refusal, refusal);
    // One call per image, none repeated.
    await failures.expectContentRefused(await e2e.generate({ ...BANANA, n: 2 }), 2);
  });

  it('403 PERMISSION_DENIED → 503, not retried, not charged', async () => {
    e2e.fake.script({ kind: 'error', status: 403 });
    await failures.expectProviderUnavailable(await e2e.generate(BANANA));
  });

  it('a key Google refuses (400 API_KEY_INVALID) → 503 that does not leak it', async () => {
    await failures.expectKeyRefused({ GEMINI_API_KEY: 'AIza-wrong-key-0000000000' }, 'AIza');
  });

  it('garbage: a non-JSON 200, or inline data that is not an image → 502 provider_error', async () => {
    await failures.expectGarbageRejected(
      () => e2e.fake.script({ kind: 'non-json' }),
      () => e2e.fake.script({ kind: 'corrupt-image', mode: 'not-an-image' }),
    );
  });

  it('without GEMINI_API_KEY → 503 provider_not_configured naming it', async () => {
    const pro = { ...BANANA, model: 'nano-banana-pro' };
    await failures.expectNotConfigured({ GEMINI_BASE_URL: e2e.fake.url }, 'GEMINI_API_KEY', pro);
  });
});
