import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bflErrors, startFakeBfl, type BflBehaviour, type FakeBfl } from '../fakes/bfl/index.js';
import {
  allowPortOf,
  expectCharged,
  expectFailedUsage,
  expectImages,
  expectOpenAIError,
  generate,
  lastUsage,
  startPixapi,
} from '../helpers/provider-e2e.js';
import type { TestServer } from '../helpers/server.js';

/** The Black Forest Labs (Flux) adapter through the real server, against the fake BFL API. */

let fake: FakeBfl;
let server: TestServer;
let key: string;

const env = () => ({
  BFL_API_KEY: fake.apiKey,
  BFL_BASE_URL: fake.url,
  // Polling and signed sample URLs are on the fake: exempt exactly its port.
  PIXAPI_OUTBOUND_ALLOW: allowPortOf(fake.url),
});
// flux-2-pro costs 3 credits per image and takes width/height in pixels.
const FLUX = { model: 'flux-2-pro', prompt: 'a red fox in the snow', size: '1024x768' };
const submissions = () => fake.submissions();
const samples = () => fake.requests.filter((r) => r.path.startsWith('/results/'));

beforeAll(async () => {
  fake = await startFakeBfl();
});
afterAll(async () => fake?.close());
beforeEach(async () => {
  fake.reset();
  server = await startPixapi(env());
  key = (await server.account(100)).apiKey;
});
afterEach(async () => server?.close());

describe('bfl: success', () => {
  it('n=1: submits the documented body, polls polling_url, stores the sample', async () => {
    const res = await generate(server, key, { ...FLUX, seed: 5 });
    await expectImages(res, { n: 1, width: 1024, height: 768, credits: 3 });
    await expectCharged(server, key, 100, 3);

    expect(submissions()).toHaveLength(1);
    const sent = submissions()[0]!;
    expect(sent.path).toBe('/v1/flux-2-pro');
    expect(sent.headers['x-key']).toBe(fake.apiKey);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toMatchObject({
      prompt: FLUX.prompt,
      width: 1024,
      height: 768,
      seed: 5,
      output_format: 'png',
    });
    const polls = fake.requests.filter((r) => r.path === '/v1/get_result');
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.every((r) => r.headers['x-key'] === fake.apiKey)).toBe(true);
    // The signed sample URL is fetched once, without the key.
    expect(samples()).toHaveLength(1);
    expect(samples()[0]!.headers['x-key']).toBeUndefined();
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      model: 'flux-2-pro',
      route: 'bfl/flux-2-pro',
      attempts: 1,
      images: 1,
      credits: 3,
    });
  });

  it('n=2: one task per image, as JPEG, charged 2 × 3', async () => {
    const res = await generate(server, key, { ...FLUX, n: 2, output_format: 'jpeg' });
    await expectImages(res, { n: 2, width: 1024, height: 768, credits: 6, format: 'jpeg' });
    await expectCharged(server, key, 100, 6);
    expect(submissions()).toHaveLength(2);
    for (const sent of submissions()) expect(sent.body).toMatchObject({ output_format: 'jpeg' });
    expect(samples()).toHaveLength(2);
  });
});

describe('bfl: failures', () => {
  it('retries a 503 and a 429 with retry-after: 0, then charges once', async () => {
    fake.script(bflErrors.serverError(503), bflErrors.rateLimited('0'), { kind: 'task' });
    const res = await generate(server, key, FLUX);
    await expectImages(res, { n: 1, width: 1024, height: 768, credits: 3 });
    expect(submissions()).toHaveLength(3);
    await expectCharged(server, key, 100, 3);
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      route: 'bfl/flux-2-pro',
      attempts: 3,
    });
  });

  it.each(['Request Moderated', 'Content Moderated'] as const)(
    '%s → 400 content_policy_violation, not retried',
    async (status) => {
      const moderated: BflBehaviour = { kind: 'task', steps: ['Pending', status] };
      fake.script(moderated, moderated);
      const res = await generate(server, key, { ...FLUX, n: 2 });
      expectOpenAIError(res, 400, 'content_policy_violation');
      expect(submissions()).toHaveLength(2);
      expect(samples()).toHaveLength(0);
      await expectCharged(server, key, 100, 0);
      await expectFailedUsage(server, key, 'content_policy_violation', {
        route: 'bfl/flux-2-pro',
        attempts: 1,
      });
    },
  );

  it('402 (BFL out of credits) → 503, not retried, not charged', async () => {
    fake.script(bflErrors.insufficientCredits());
    const res = await generate(server, key, FLUX);
    expectOpenAIError(res, 503, 'provider_unavailable');
    expect(JSON.stringify(res.body)).not.toMatch(/insufficient credits/i);
    expect(submissions()).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'provider_unavailable', { attempts: 1 });
  });

  it('a key BFL refuses (403) → 503 that does not leak it', async () => {
    const wrong = await startPixapi({ ...env(), BFL_API_KEY: 'bfl-wrong-key-123456' });
    try {
      const account = await wrong.account(10);
      const res = await generate(wrong, account.apiKey, FLUX);
      expectOpenAIError(res, 503, 'provider_unavailable');
      expect(JSON.stringify(res.body)).not.toContain('bfl-wrong');
      expect(submissions()).toHaveLength(1);
      await expectCharged(wrong, account.apiKey, 10, 0);
      const usage = await expectFailedUsage(wrong, account.apiKey, 'provider_unavailable');
      expect(JSON.stringify(usage)).not.toContain('bfl-wrong');
    } finally {
      await wrong.close();
    }
  });

  it('garbage: a non-JSON 200, or a sample URL serving non-image bytes → 502', async () => {
    fake.script({ kind: 'non-json' });
    expectOpenAIError(await generate(server, key, FLUX), 502, 'provider_error');
    fake.script({ kind: 'task', sample: 'junk' });
    expectOpenAIError(await generate(server, key, FLUX), 502, 'provider_error');
    expect(samples()).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'provider_error');
  });

  // A polling URL that the guarded client refuses cannot become usable by retrying, and every
  // retry would submit (and pay for) a new BFL task.
  it('without an allow entry the loopback polling URL is refused once, no resubmission', async () => {
    const guarded = await startPixapi({ BFL_API_KEY: fake.apiKey, BFL_BASE_URL: fake.url });
    try {
      const account = await guarded.account(10);
      const res = await generate(guarded, account.apiKey, FLUX);
      expectOpenAIError(res, 502, 'provider_error');
      expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
      await expectCharged(guarded, account.apiKey, 10, 0);
      expect(submissions()).toHaveLength(1);
    } finally {
      await guarded.close();
    }
  });

  it('without BFL_API_KEY → 503 provider_not_configured naming it', async () => {
    const bare = await startPixapi({ BFL_BASE_URL: fake.url });
    try {
      const account = await bare.account(10);
      const res = await generate(bare, account.apiKey, FLUX);
      expectOpenAIError(res, 503, 'provider_not_configured');
      expect((res.body.error as { message: string }).message).toContain('BFL_API_KEY');
      expect(fake.requests).toHaveLength(0);
      await expectCharged(bare, account.apiKey, 10, 0);
    } finally {
      await bare.close();
    }
  });
});
