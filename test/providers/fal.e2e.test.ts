import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAL_FAKE_KEY, falErrors, startFakeFal } from '../fakes/fal/index.js';
import {
  REPLICATE_FAKE_TOKEN,
  startFakeReplicate,
  type ReplicateFake,
} from '../fakes/replicate/index.js';
import { GenerationFailures } from '../helpers/provider-e2e-cases.js';
import { Session, useProviderE2E } from '../helpers/provider-e2e-setup.js';
import { allowPortOf, startPixapi } from '../helpers/provider-e2e.js';

/**
 * The fal.ai queue adapter through the real server, against the fake queue. Only FAL_KEY is
 * set, so flux-schnell's Replicate route is skipped (except in the fallback test).
 */

const env = () => ({
  FAL_KEY: FAL_FAKE_KEY,
  FAL_BASE_URL: e2e.fake.url,
  // Status, result and output URLs are on the fake: exempt exactly its port.
  PIXAPI_OUTBOUND_ALLOW: allowPortOf(e2e.fake.url),
});
const e2e = useProviderE2E({ startFake: () => startFakeFal(), env });
// flux-schnell costs 0.5 credits per image.
const SCHNELL = { model: 'flux-schnell', prompt: 'a red fox in the snow', size: '512x384' };
const SUBMIT = '/fal-ai/flux/schnell';
const submissions = () => e2e.fake.requests.filter((r) => r.method === 'POST' && r.path === SUBMIT);
const files = () => e2e.fake.requests.filter((r) => r.path.startsWith('/files/'));
// An empty queue completes at the first status poll (the default waits two more).
const quick = { queue: [] };
const failures = new GenerationFailures({
  e2e,
  env,
  body: SCHNELL,
  image: { width: 512, height: 384, credits: 0.5 },
  route: 'fal/fal-ai/flux/schnell',
  calls: submissions,
});

describe('fal: success', () => {
  it('n=1: submits the documented input, polls the queue, stores the image', async () => {
    e2e.fake.script({ queue: ['IN_QUEUE'] });
    const res = await e2e.generate({ ...SCHNELL, seed: 42 });
    await e2e.expectServed(res, { n: 1, width: 512, height: 384, credits: 0.5 });

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
    const polls = e2e.fake.requests.filter((r) => r.path.endsWith('/status'));
    expect(polls).toHaveLength(2);
    expect(polls.every((r) => r.headers.authorization === `Key ${FAL_FAKE_KEY}`)).toBe(true);
    // The output is fetched once, without the key (it is on fal's CDN, not the queue API).
    expect(files()).toHaveLength(1);
    expect(files()[0]!.headers.authorization).toBeUndefined();
    await e2e.expectSucceededUsage({
      model: 'flux-schnell',
      route: 'fal/fal-ai/flux/schnell',
      attempts: 1,
      images: 1,
      credits: 0.5,
    });
  });

  it('n=3 in one request (num_images), as JPEG, charged 3 × 0.5', async () => {
    e2e.fake.script(quick);
    const res = await e2e.generate({ ...SCHNELL, n: 3, output_format: 'jpeg' });
    await e2e.expectServed(res, { n: 3, width: 512, height: 384, credits: 1.5, format: 'jpeg' });
    expect(submissions()).toHaveLength(1);
    expect(submissions()[0]!.body).toMatchObject({ num_images: 3, output_format: 'jpeg' });
  });
});

describe('fal: failures', () => {
  it('retries a 503 and a 429 with retry-after: 0, then charges once', async () => {
    e2e.fake.script(
      { submit: falErrors.infrastructure('runner_scheduling_failure', 503) },
      { submit: falErrors.rateLimited(0) },
      quick,
    );
    await failures.expectRetriedThenCharged();
  });

  it('has_nsfw_concepts on every image → 400 content_policy_violation, not retried', async () => {
    e2e.fake.script({ ...quick, nsfw: [true, true] });
    await failures.expectContentRefused(await e2e.generate({ ...SCHNELL, n: 2 }), 1);
  });

  it('a content checker 422 → 400 content_policy_violation, not retried', async () => {
    e2e.fake.script({ submit: falErrors.contentPolicy() });
    await failures.expectContentRefused(await e2e.generate(SCHNELL), 1);
  });

  it('an exhausted fal balance (403) → 503, not retried, not charged', async () => {
    e2e.fake.script({ submit: falErrors.exhaustedBalance() });
    await failures.expectProviderUnavailable(await e2e.generate(SCHNELL), /balance|fal\.ai/);
  });

  it('a key fal does not know (401) → 503 that does not leak it', async () => {
    await failures.expectKeyRefused({ FAL_KEY: 'wrong-id:wrong-secret' }, 'wrong-');
  });

  it('garbage: a non-JSON 200, or a result URL serving non-image bytes → 502', async () => {
    await failures.expectGarbageRejected(
      () =>
        e2e.fake.script({ submit: { status: 200, rawBody: '<html>Service Unavailable</html>' } }),
      () => e2e.fake.script({ ...quick, notImage: true }),
    );
    expect(files()).toHaveLength(1);
  });

  it('without an allow entry the loopback status URL is refused: 502, never polled', async () => {
    const guarded = { FAL_KEY: FAL_FAKE_KEY, FAL_BASE_URL: e2e.fake.url };
    await failures.expectLoopbackRefused(guarded, () => e2e.fake.script(quick));
  });

  it('without FAL_KEY (nor Replicate) → 503 provider_not_configured naming FAL_KEY', async () => {
    await failures.expectNotConfigured({ FAL_BASE_URL: e2e.fake.url }, 'FAL_KEY');
  });
});

describe('fal: fallback to the next route (Replicate)', () => {
  let replicate: ReplicateFake;
  const both = new Session(10);

  beforeEach(async () => {
    replicate = await startFakeReplicate();
    const server = await startPixapi({
      ...env(),
      REPLICATE_API_TOKEN: REPLICATE_FAKE_TOKEN,
      REPLICATE_BASE_URL: replicate.url,
      PIXAPI_OUTBOUND_ALLOW: allowPortOf(e2e.fake.url, replicate.url),
    });
    await both.open(server);
  });
  afterEach(async () => {
    await both.server?.close();
    await replicate?.close();
  });

  async function expectServedByReplicate(falSubmissions: number, attempts: number) {
    const res = await both.generate({ ...SCHNELL, size: '512x512' });
    // Replicate's fake draws 96x64 whatever the aspect ratio.
    await both.expectServed(res, { n: 1, width: 96, height: 64, credits: 0.5 });
    expect(submissions()).toHaveLength(falSubmissions);
    const created = replicate.requests.filter((r) => r.method === 'POST');
    expect(created).toHaveLength(1);
    expect(created[0]!.path).toBe('/v1/models/black-forest-labs/flux-schnell/predictions');
    await both.expectSucceededUsage({
      route: 'replicate/black-forest-labs/flux-schnell',
      attempts,
    });
  }

  it('fal always 503 → 3 tries on fal, then served by Replicate; attempts 4', async () => {
    const down = { submit: falErrors.infrastructure('runner_scheduling_failure', 503) };
    e2e.fake.script(down, down, down);
    await expectServedByReplicate(3, 4);
  });

  it('fal 429 asking for 30 s (over the 20 s cap) → next route at once; attempts 2', async () => {
    e2e.fake.script({ submit: falErrors.rateLimited(30) });
    await expectServedByReplicate(1, 2);
  });
});
