import { describe, expect, it } from 'vitest';
import { bflErrors, startFakeBfl, type BflBehaviour } from '../fakes/bfl/index.js';
import { GenerationFailures } from '../helpers/provider-e2e-cases.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';
import { allowPortOf } from '../helpers/provider-e2e.js';

/** The Black Forest Labs (Flux) adapter through the real server, against the fake BFL API. */

const env = () => ({
  BFL_API_KEY: e2e.fake.apiKey,
  BFL_BASE_URL: e2e.fake.url,
  // Polling and signed sample URLs are on the fake: exempt exactly its port.
  PIXAPI_OUTBOUND_ALLOW: allowPortOf(e2e.fake.url),
});
const e2e = useProviderE2E({ startFake: () => startFakeBfl(), env });
// flux-2-pro costs 3 credits per image and takes width/height in pixels.
const FLUX = { model: 'flux-2-pro', prompt: 'a red fox in the snow', size: '1024x768' };
const submissions = () => e2e.fake.submissions();
const samples = () => e2e.fake.requests.filter((r) => r.path.startsWith('/results/'));
const failures = new GenerationFailures({
  e2e,
  env,
  body: FLUX,
  image: { width: 1024, height: 768, credits: 3 },
  route: 'bfl/flux-2-pro',
  calls: submissions,
});

describe('bfl: success', () => {
  it('n=1: submits the documented body, polls polling_url, stores the sample', async () => {
    const res = await e2e.generate({ ...FLUX, seed: 5 });
    await e2e.expectServed(res, { n: 1, width: 1024, height: 768, credits: 3 });

    expect(submissions()).toHaveLength(1);
    const sent = submissions()[0]!;
    expect(sent.path).toBe('/v1/flux-2-pro');
    expect(sent.headers['x-key']).toBe(e2e.fake.apiKey);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toMatchObject({
      prompt: FLUX.prompt,
      width: 1024,
      height: 768,
      seed: 5,
      output_format: 'png',
    });
    const polls = e2e.fake.requests.filter((r) => r.path === '/v1/get_result');
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.every((r) => r.headers['x-key'] === e2e.fake.apiKey)).toBe(true);
    // The signed sample URL is fetched once, without the key.
    expect(samples()).toHaveLength(1);
    expect(samples()[0]!.headers['x-key']).toBeUndefined();
    await e2e.expectSucceededUsage({
      model: 'flux-2-pro',
      route: 'bfl/flux-2-pro',
      attempts: 1,
      images: 1,
      credits: 3,
    });
  });

  it('n=2: one task per image, as JPEG, charged 2 × 3', async () => {
    const res = await e2e.generate({ ...FLUX, n: 2, output_format: 'jpeg' });
    await e2e.expectServed(res, { n: 2, width: 1024, height: 768, credits: 6, format: 'jpeg' });
    expect(submissions()).toHaveLength(2);
    for (const sent of submissions()) expect(sent.body).toMatchObject({ output_format: 'jpeg' });
    expect(samples()).toHaveLength(2);
  });
});

describe('bfl: failures', () => {
  it('retries a 503 and a 429 with retry-after: 0, then charges once', async () => {
    e2e.fake.script(bflErrors.serverError(503), bflErrors.rateLimited('0'), { kind: 'task' });
    await failures.expectRetriedThenCharged();
  });

  it.each(['Request Moderated', 'Content Moderated'] as const)(
    '%s → 400 content_policy_violation, not retried',
    async (status) => {
      const moderated: BflBehaviour = { kind: 'task', steps: ['Pending', status] };
      e2e.fake.script(moderated, moderated);
      await failures.expectContentRefused(await e2e.generate({ ...FLUX, n: 2 }), 2);
      expect(samples()).toHaveLength(0);
    },
  );

  it('402 (BFL out of credits) → 503, not retried, not charged', async () => {
    e2e.fake.script(bflErrors.insufficientCredits());
    await failures.expectProviderUnavailable(await e2e.generate(FLUX), /insufficient credits/i);
  });

  it('a key BFL refuses (403) → 503 that does not leak it', async () => {
    await failures.expectKeyRefused({ BFL_API_KEY: 'bfl-wrong-key-123456' }, 'bfl-wrong');
  });

  it('garbage: a non-JSON 200, or a sample URL serving non-image bytes → 502', async () => {
    await failures.expectGarbageRejected(
      () => e2e.fake.script({ kind: 'non-json' }),
      () => e2e.fake.script({ kind: 'task', sample: 'junk' }),
    );
    expect(samples()).toHaveLength(1);
  });

  // A polling URL that the guarded client refuses cannot become usable by retrying, and every
  // retry would submit (and pay for) a new BFL task.
  it('without an allow entry the loopback polling URL is refused once, no resubmission', async () => {
    await failures.expectLoopbackRefused({
      BFL_API_KEY: e2e.fake.apiKey,
      BFL_BASE_URL: e2e.fake.url,
    });
  });

  it('without BFL_API_KEY → 503 provider_not_configured naming it', async () => {
    await failures.expectNotConfigured({ BFL_BASE_URL: e2e.fake.url }, 'BFL_API_KEY');
  });
});
