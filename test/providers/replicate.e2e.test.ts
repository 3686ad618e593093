import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  REPLICATE_FAKE_TOKEN,
  replicateErrors,
  startFakeReplicate,
  type ReplicateFake,
} from '../fakes/replicate/index.js';
import {
  allowPortOf,
  expectCharged,
  expectFailedUsage,
  expectImages,
  expectOpenAIError,
  generate,
  lastUsage,
  removeCatalogs,
  startPixapi,
  writeCatalog,
} from '../helpers/provider-e2e.js';
import type { TestServer } from '../helpers/server.js';

/**
 * The Replicate adapter through the real server, against the fake predictions API. Only
 * REPLICATE_API_TOKEN is set, so flux-schnell's first route (fal) is skipped.
 */

let fake: ReplicateFake;
let server: TestServer;
let key: string;

const env = () => ({
  REPLICATE_API_TOKEN: REPLICATE_FAKE_TOKEN,
  REPLICATE_BASE_URL: fake.url,
  // Prediction and output URLs are on the fake: exempt exactly its port.
  PIXAPI_OUTBOUND_ALLOW: allowPortOf(fake.url),
});
// flux-schnell costs 0.5 credits per image; the fake draws 96x64 outputs.
const SCHNELL = { model: 'flux-schnell', prompt: 'a red fox in the snow', size: '1024x576' };
const CREATE = '/v1/models/black-forest-labs/flux-schnell/predictions';
const creations = () => fake.requests.filter((r) => r.method === 'POST' && r.path === CREATE);
const outputs = () => fake.requests.filter((r) => r.path.startsWith('/files/'));

beforeAll(async () => {
  fake = await startFakeReplicate();
});
afterAll(async () => {
  await fake?.close();
  removeCatalogs();
});
beforeEach(async () => {
  fake.reset();
  server = await startPixapi(env());
  key = (await server.account(100)).apiKey;
});
afterEach(async () => server?.close());

describe('replicate: success', () => {
  it('n=1: creates the documented prediction, polls urls.get, stores the output', async () => {
    fake.script({ steps: ['processing'] });
    const res = await generate(server, key, { ...SCHNELL, seed: 7 });
    await expectImages(res, { n: 1, width: 96, height: 64, credits: 0.5 });
    await expectCharged(server, key, 100, 0.5);

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
    const polls = fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/v1/pre'));
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.every((r) => r.headers.authorization === `Bearer ${REPLICATE_FAKE_TOKEN}`)).toBe(
      true,
    );
    // The output is fetched once, without the token.
    expect(outputs()).toHaveLength(1);
    expect(outputs()[0]!.headers.authorization).toBeUndefined();
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      model: 'flux-schnell',
      route: 'replicate/black-forest-labs/flux-schnell',
      attempts: 1,
      images: 1,
      credits: 0.5,
    });
  });

  it('n=3 in one prediction (num_outputs), as WebP, charged 3 × 0.5', async () => {
    const res = await generate(server, key, { ...SCHNELL, n: 3, output_format: 'webp' });
    await expectImages(res, { n: 3, width: 96, height: 64, credits: 1.5, format: 'webp' });
    await expectCharged(server, key, 100, 1.5);
    expect(creations()).toHaveLength(1);
    expect(creations()[0]!.body).toMatchObject({
      input: { num_outputs: 3, output_format: 'webp' },
    });
    expect(outputs()).toHaveLength(3);
  });
});

describe('replicate: failures', () => {
  it('retries a 503 and a throttled 429 (retry-after: 0), then charges once', async () => {
    fake.script(
      { create: replicateErrors.serverError(503) },
      { create: replicateErrors.throttled(0, true) },
      {},
    );
    const res = await generate(server, key, SCHNELL);
    await expectImages(res, { n: 1, width: 96, height: 64, credits: 0.5 });
    expect(creations()).toHaveLength(3);
    await expectCharged(server, key, 100, 0.5);
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      route: 'replicate/black-forest-labs/flux-schnell',
      attempts: 3,
    });
  });

  it('a prediction failed for NSFW content → 400 content_policy_violation, not retried', async () => {
    fake.script({
      steps: ['processing'],
      final: {
        status: 'failed',
        error: 'NSFW content detected. Try running it again, or try a different prompt.',
      },
    });
    const res = await generate(server, key, { ...SCHNELL, n: 2 });
    expectOpenAIError(res, 400, 'content_policy_violation');
    expect(creations()).toHaveLength(1);
    expect(outputs()).toHaveLength(0);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'content_policy_violation', {
      route: 'replicate/black-forest-labs/flux-schnell',
      attempts: 1,
    });
  });

  it('402 insufficient credit → 503, not retried, not charged', async () => {
    fake.script({ create: replicateErrors.insufficientCredit() });
    const res = await generate(server, key, SCHNELL);
    expectOpenAIError(res, 503, 'provider_unavailable');
    expect(JSON.stringify(res.body)).not.toMatch(/replicate\.com|insufficient credit/i);
    expect(creations()).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'provider_unavailable', { attempts: 1 });
  });

  it('a token Replicate refuses (401) → 503 that does not leak it', async () => {
    const wrong = await startPixapi({ ...env(), REPLICATE_API_TOKEN: 'r8_WrongToken000000000' });
    try {
      const account = await wrong.account(10);
      const res = await generate(wrong, account.apiKey, SCHNELL);
      expectOpenAIError(res, 503, 'provider_unavailable');
      expect(JSON.stringify(res.body)).not.toContain('r8_');
      expect(creations()).toHaveLength(1);
      await expectCharged(wrong, account.apiKey, 10, 0);
      const usage = await expectFailedUsage(wrong, account.apiKey, 'provider_unavailable');
      expect(JSON.stringify(usage)).not.toContain('r8_');
    } finally {
      await wrong.close();
    }
  });

  it('garbage: a non-JSON 201, or an output URL serving non-image bytes → 502', async () => {
    fake.script({ create: { status: 201, rawBody: '<html>upstream connect error</html>' } });
    expectOpenAIError(await generate(server, key, SCHNELL), 502, 'provider_error');
    fake.script({ final: { status: 'succeeded', notImage: true } });
    expectOpenAIError(await generate(server, key, SCHNELL), 502, 'provider_error');
    expect(outputs()).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'provider_error');
  });

  it('without an allow entry the loopback urls.get is refused: 502, never polled', async () => {
    const guarded = await startPixapi({
      REPLICATE_API_TOKEN: REPLICATE_FAKE_TOKEN,
      REPLICATE_BASE_URL: fake.url,
    });
    try {
      const account = await guarded.account(10);
      fake.script({ steps: ['processing'] });
      const res = await generate(guarded, account.apiKey, SCHNELL);
      expectOpenAIError(res, 502, 'provider_error');
      expect(creations()).toHaveLength(1);
      expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
      await expectCharged(guarded, account.apiKey, 10, 0);
      await expectFailedUsage(guarded, account.apiKey, 'provider_error', { attempts: 1 });
    } finally {
      await guarded.close();
    }
  });

  it('a Replicate-only model without REPLICATE_API_TOKEN → 503 naming it', async () => {
    const catalog = writeCatalog(
      [
        'models:',
        '  - id: flux-dev',
        '    routes: [{ provider: replicate, model: black-forest-labs/flux-dev }]',
      ].join('\n'),
    );
    const bare = await startPixapi({ PIXAPI_CATALOG: catalog, REPLICATE_BASE_URL: fake.url });
    try {
      const account = await bare.account(10);
      const res = await generate(bare, account.apiKey, { ...SCHNELL, model: 'flux-dev' });
      expectOpenAIError(res, 503, 'provider_not_configured');
      expect((res.body.error as { message: string }).message).toContain('REPLICATE_API_TOKEN');
      expect(fake.requests).toHaveLength(0);
      await expectCharged(bare, account.apiKey, 10, 0);
    } finally {
      await bare.close();
    }
  });
});
