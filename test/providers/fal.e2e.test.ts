import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAL_FAKE_KEY, falErrors, startFakeFal, type FalFake } from '../fakes/fal/index.js';
import {
  REPLICATE_FAKE_TOKEN,
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
  startPixapi,
} from '../helpers/provider-e2e.js';
import type { TestServer } from '../helpers/server.js';

/**
 * The fal.ai queue adapter through the real server, against the fake queue. Only FAL_KEY is
 * set, so flux-schnell's Replicate route is skipped (except in the fallback test).
 */

let fake: FalFake;
let server: TestServer;
let key: string;

const env = () => ({
  FAL_KEY: FAL_FAKE_KEY,
  FAL_BASE_URL: fake.url,
  // Status, result and output URLs are on the fake: exempt exactly its port.
  PIXAPI_OUTBOUND_ALLOW: allowPortOf(fake.url),
});
// flux-schnell costs 0.5 credits per image.
const SCHNELL = { model: 'flux-schnell', prompt: 'a red fox in the snow', size: '512x384' };
const SUBMIT = '/fal-ai/flux/schnell';
const submissions = () => fake.requests.filter((r) => r.method === 'POST' && r.path === SUBMIT);
// An empty queue completes at the first status poll (the default waits two more).
const quick = { queue: [] };

beforeAll(async () => {
  fake = await startFakeFal();
});
afterAll(async () => fake?.close());
beforeEach(async () => {
  fake.reset();
  server = await startPixapi(env());
  key = (await server.account(100)).apiKey;
});
afterEach(async () => server?.close());

describe('fal: success', () => {
  it('n=1: submits the documented input, polls the queue, stores the image', async () => {
    fake.script({ queue: ['IN_QUEUE'] });
    const res = await generate(server, key, { ...SCHNELL, seed: 42 });
    await expectImages(res, { n: 1, width: 512, height: 384, credits: 0.5 });
    await expectCharged(server, key, 100, 0.5);

    expect(submissions()).toHaveLength(1);
    const sent = submissions()[0]!;
    expect(sent.headers.authorization).toBe(`Key ${FAL_FAKE_KEY}`);
    expect(sent.headers['content-type']).toMatch(/^application\/json/);
    expect(sent.body).toMatchObject({
      prompt: SCHNELL.prompt,
      image_size: { width: 512, height: 384 },
      num_images: 1,
      seed: 42,
      output_format: 'png',
    });
    const polls = fake.requests.filter((r) => r.path.endsWith('/status'));
    expect(polls).toHaveLength(2);
    expect(polls.every((r) => r.headers.authorization === `Key ${FAL_FAKE_KEY}`)).toBe(true);
    // The output is fetched once, without the key (it is on fal's CDN, not the queue API).
    const files = fake.requests.filter((r) => r.path.startsWith('/files/'));
    expect(files).toHaveLength(1);
    expect(files[0]!.headers.authorization).toBeUndefined();
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      model: 'flux-schnell',
      route: 'fal/fal-ai/flux/schnell',
      attempts: 1,
      images: 1,
      credits: 0.5,
    });
  });

  it('n=3 in one request (num_images), as JPEG, charged 3 × 0.5', async () => {
    fake.script(quick);
    const res = await generate(server, key, { ...SCHNELL, n: 3, output_format: 'jpeg' });
    await expectImages(res, { n: 3, width: 512, height: 384, credits: 1.5, format: 'jpeg' });
    await expectCharged(server, key, 100, 1.5);
    expect(submissions()).toHaveLength(1);
    expect(submissions()[0]!.body).toMatchObject({ num_images: 3, output_format: 'jpeg' });
  });
});

describe('fal: failures', () => {
  it('retries a 503 and a 429 with retry-after: 0, then charges once', async () => {
    fake.script(
      { submit: falErrors.infrastructure('runner_scheduling_failure', 503) },
      { submit: falErrors.rateLimited(0) },
      quick,
    );
    const res = await generate(server, key, SCHNELL);
    await expectImages(res, { n: 1, width: 512, height: 384, credits: 0.5 });
    expect(submissions()).toHaveLength(3);
    await expectCharged(server, key, 100, 0.5);
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      route: 'fal/fal-ai/flux/schnell',
      attempts: 3,
    });
  });

  it('has_nsfw_concepts on every image → 400 content_policy_violation, not retried', async () => {
    fake.script({ ...quick, nsfw: [true, true] });
    const res = await generate(server, key, { ...SCHNELL, n: 2 });
    expectOpenAIError(res, 400, 'content_policy_violation');
    expect(submissions()).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'content_policy_violation', {
      route: 'fal/fal-ai/flux/schnell',
      attempts: 1,
    });
  });

  it('a content checker 422 → 400 content_policy_violation, not retried', async () => {
    fake.script({ submit: falErrors.contentPolicy() });
    const res = await generate(server, key, SCHNELL);
    expectOpenAIError(res, 400, 'content_policy_violation');
    expect(submissions()).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
  });

  it('an exhausted fal balance (403) → 503, not retried, not charged', async () => {
    fake.script({ submit: falErrors.exhaustedBalance() });
    const res = await generate(server, key, SCHNELL);
    expectOpenAIError(res, 503, 'provider_unavailable');
    expect(JSON.stringify(res.body)).not.toMatch(/balance|fal\.ai/);
    expect(submissions()).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'provider_unavailable', { attempts: 1 });
  });

  it('a key fal does not know (401) → 503 that does not leak it', async () => {
    const wrong = await startPixapi({ ...env(), FAL_KEY: 'wrong-id:wrong-secret' });
    try {
      const account = await wrong.account(10);
      const res = await generate(wrong, account.apiKey, SCHNELL);
      expectOpenAIError(res, 503, 'provider_unavailable');
      expect(JSON.stringify(res.body)).not.toContain('wrong-');
      expect(submissions()).toHaveLength(1);
      await expectCharged(wrong, account.apiKey, 10, 0);
      const usage = await expectFailedUsage(wrong, account.apiKey, 'provider_unavailable');
      expect(JSON.stringify(usage)).not.toContain('wrong-');
    } finally {
      await wrong.close();
    }
  });

  it('garbage: a non-JSON 200, or a result URL serving non-image bytes → 502', async () => {
    fake.script({ submit: { status: 200, rawBody: '<html>Service Unavailable</html>' } });
    expectOpenAIError(await generate(server, key, SCHNELL), 502, 'provider_error');
    fake.script({ ...quick, notImage: true });
    expectOpenAIError(await generate(server, key, SCHNELL), 502, 'provider_error');
    expect(fake.requests.filter((r) => r.path.startsWith('/files/'))).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'provider_error');
  });

  it('without an allow entry the loopback status URL is refused: 502, never polled', async () => {
    const guarded = await startPixapi({ FAL_KEY: FAL_FAKE_KEY, FAL_BASE_URL: fake.url });
    try {
      const account = await guarded.account(10);
      fake.script(quick);
      const res = await generate(guarded, account.apiKey, SCHNELL);
      expectOpenAIError(res, 502, 'provider_error');
      expect(submissions()).toHaveLength(1);
      expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
      await expectCharged(guarded, account.apiKey, 10, 0);
      await expectFailedUsage(guarded, account.apiKey, 'provider_error', { attempts: 1 });
    } finally {
      await guarded.close();
    }
  });

  it('without FAL_KEY (nor Replicate) → 503 provider_not_configured naming FAL_KEY', async () => {
    const bare = await startPixapi({ FAL_BASE_URL: fake.url });
    try {
      const account = await bare.account(10);
      const res = await generate(bare, account.apiKey, SCHNELL);
      expectOpenAIError(res, 503, 'provider_not_configured');
      expect((res.body.error as { message: string }).message).toContain('FAL_KEY');
      expect(fake.requests).toHaveLength(0);
      await expectCharged(bare, account.apiKey, 10, 0);
    } finally {
      await bare.close();
    }
  });
});

describe('fal: fallback to the next route (Replicate)', () => {
  let replicate: ReplicateFake;
  let both: TestServer;
  let account: { apiKey: string };

  beforeEach(async () => {
    replicate = await startFakeReplicate();
    both = await startPixapi({
      ...env(),
      REPLICATE_API_TOKEN: REPLICATE_FAKE_TOKEN,
      REPLICATE_BASE_URL: replicate.url,
      PIXAPI_OUTBOUND_ALLOW: allowPortOf(fake.url, replicate.url),
    });
    account = await both.account(10);
  });
  afterEach(async () => {
    await both?.close();
    await replicate?.close();
  });

  async function expectServedByReplicate(falSubmissions: number, attempts: number) {
    const res = await generate(both, account.apiKey, { ...SCHNELL, size: '512x512' });
    // Replicate's fake draws 96x64 whatever the aspect ratio.
    await expectImages(res, { n: 1, width: 96, height: 64, credits: 0.5 });
    expect(submissions()).toHaveLength(falSubmissions);
    const created = replicate.requests.filter((r) => r.method === 'POST');
    expect(created).toHaveLength(1);
    expect(created[0]!.path).toBe('/v1/models/black-forest-labs/flux-schnell/predictions');
    await expectCharged(both, account.apiKey, 10, 0.5);
    expect(await lastUsage(both, account.apiKey)).toMatchObject({
      status: 'succeeded',
      route: 'replicate/black-forest-labs/flux-schnell',
      attempts,
    });
  }

  it('fal always 503 → 3 tries on fal, then served by Replicate; attempts 4', async () => {
    const down = { submit: falErrors.infrastructure('runner_scheduling_failure', 503) };
    fake.script(down, down, down);
    await expectServedByReplicate(3, 4);
  });

  it('fal 429 asking for 30 s (over the 20 s cap) → next route at once; attempts 2', async () => {
    fake.script({ submit: falErrors.rateLimited(30) });
    await expectServedByReplicate(1, 2);
  });
});
