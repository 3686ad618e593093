import { describe, expect, it } from 'vitest';
import {
  REPLICATE_FAKE_TOKEN,
  replicateErrors,
  startFakeReplicate,
} from '../fakes/replicate/index.js';
import { GenerationFailures } from '../helpers/provider-e2e-cases.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';
import { allowPortOf, writeCatalog } from '../helpers/provider-e2e.js';

/**
 * The Replicate adapter through the real server, against the fake predictions API. Only
 * REPLICATE_API_TOKEN is set, so flux-schnell's first route (fal) is skipped.
 */

const env = () => ({
  REPLICATE_API_TOKEN: REPLICATE_FAKE_TOKEN,
  REPLICATE_BASE_URL: e2e.fake.url,
  // Prediction and output URLs are on the fake: exempt exactly its port.
  PIXAPI_OUTBOUND_ALLOW: allowPortOf(e2e.fake.url),
});
const e2e = useProviderE2E({ startFake: () => startFakeReplicate(), env });
// flux-schnell costs 0.5 credits per image; the fake draws 96x64 outputs.
const SCHNELL = { model: 'flux-schnell', prompt: 'a red fox in the snow', size: '1024x576' };
const CREATE = '/v1/models/black-forest-labs/flux-schnell/predictions';
const creations = () => e2e.fake.requests.filter((r) => r.method === 'POST' && r.path === CREATE);
const outputs = () => e2e.fake.requests.filter((r) => r.path.startsWith('/files/'));
const failures = new GenerationFailures({
  e2e,
  env,
  body: SCHNELL,
  image: { width: 96, height: 64, credits: 0.5 },
  route: 'replicate/black-forest-labs/flux-schnell',
  calls: creations,
});

describe('replicate: success', () => {
  it('n=1: creates the documented prediction, polls urls.get, stores the output', async () => {
    e2e.fake.script({ steps: ['processing'] });
    const res = await e2e.generate({ ...SCHNELL, seed: 7 });
    await e2e.expectServed(res, { n: 1, width: 96, height: 64, credits: 0.5 });

    expect(creations()).toHaveLength(1);
    const sent = creations()[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${REPLICATE_FAKE_TOKEN}`);
    expect(sent.headers.prefer).toMatch(/^wait(=\d+)?$/);
    expect(sent.body).toEqual({
      input: expect.objectContaining({
        prompt: SCHNELL.prompt,
        aspect_ratio: '16:9',
        num_outputs: 1,
        seed: 7,
        output_format: 'png',
      }) as unknown,
    });
    const polls = e2e.fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/v1/pre'));
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.every((r) => r.headers.authorization === `Bearer ${REPLICATE_FAKE_TOKEN}`)).toBe(
      true,
    );
    // The output is fetched once, without the token.
    expect(outputs()).toHaveLength(1);
    expect(outputs()[0]!.headers.authorization).toBeUndefined();
    await e2e.expectSucceededUsage({
      model: 'flux-schnell',
      route: 'replicate/black-forest-labs/flux-schnell',
      attempts: 1,
      images: 1,
      credits: 0.5,
    });
  });

  it('n=3 in one prediction (num_outputs), as WebP, charged 3 × 0.5', async () => {
    const res = await e2e.generate({ ...SCHNELL, n: 3, output_format: 'webp' });
    await e2e.expectServed(res, { n: 3, width: 96, height: 64, credits: 1.5, format: 'webp' });
    expect(creations()).toHaveLength(1);
    expect(creations()[0]!.body).toMatchObject({
      input: { num_outputs: 3, output_format: 'webp' },
    });
    expect(outputs()).toHaveLength(3);
  });
});

describe('replicate: failures', () => {
  it('retries a 503 and a throttled 429 (retry-after: 0), then charges once', async () => {
    e2e.fake.script(
      { create: replicateErrors.serverError(503) },
      { create: replicateErrors.throttled(0, true) },
      {},
    );
    await failures.expectRetriedThenCharged();
  });

  it('a prediction failed for NSFW content → 400 content_policy_violation, not retried', async () => {
    e2e.fake.script({
      steps: ['processing'],
      final: {
        status: 'failed',
        error: 'NSFW content detected. Try running it again, or try a different prompt.',
      },
    });
    await failures.expectContentRefused(await e2e.generate({ ...SCHNELL, n: 2 }), 1);
    expect(outputs()).toHaveLength(0);
  });

  it('402 insufficient credit → 503, not retried, not charged', async () => {
    e2e.fake.script({ create: replicateErrors.insufficientCredit() });
    const res = await e2e.generate(SCHNELL);
    await failures.expectProviderUnavailable(res, /replicate\.com|insufficient credit/i);
  });

  it('a token Replicate refuses (401) → 503 that does not leak it', async () => {
    await failures.expectKeyRefused({ REPLICATE_API_TOKEN: 'r8_WrongToken000000000' }, 'r8_');
  });

  it('garbage: a non-JSON 201, or an output URL serving non-image bytes → 502', async () => {
    await failures.expectGarbageRejected(
      () =>
        e2e.fake.script({
          create: { status: 201, rawBody: '<html>upstream connect error</html>' },
        }),
      () => e2e.fake.script({ final: { status: 'succeeded', notImage: true } }),
    );
    expect(outputs()).toHaveLength(1);
  });

  it('without an allow entry the loopback urls.get is refused: 502, never polled', async () => {
    const guarded = { REPLICATE_API_TOKEN: REPLICATE_FAKE_TOKEN, REPLICATE_BASE_URL: e2e.fake.url };
    await failures.expectLoopbackRefused(guarded, () => e2e.fake.script({ steps: ['processing'] }));
  });

  it('a Replicate-only model without REPLICATE_API_TOKEN → 503 naming it', async () => {
    const catalog = writeCatalog([
      { id: 'flux-dev', routes: '[{ provider: replicate, model: black-forest-labs/flux-dev }]' },
    ]);
    const bare = { PIXAPI_CATALOG: catalog, REPLICATE_BASE_URL: e2e.fake.url };
    const dev = { ...SCHNELL, model: 'flux-dev' };
    await failures.expectNotConfigured(bare, 'REPLICATE_API_TOKEN', dev);
  });
});
