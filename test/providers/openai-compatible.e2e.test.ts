import { describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../fakes/openai/index.js';
import { GenerationFailures } from '../helpers/provider-e2e-cases.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';

/**
 * The openai-compatible adapter through the real server, against the fake in `compatible` mode
 * (a self-hosted server that answers `url` outputs it serves itself). The model comes from a
 * PIXAPI_CATALOG file.
 */

const SELF_HOSTED_KEY = 'local-secret-key-0123';
const env = () => ({
  PIXAPI_CATALOG: e2e.catalog,
  OPENAI_COMPATIBLE_BASE_URL: e2e.fake.url,
  OPENAI_COMPATIBLE_API_KEY: SELF_HOSTED_KEY,
});
const e2e = useProviderE2E({
  startFake: () => startFakeOpenAI({ mode: 'compatible' }),
  env,
  catalog: [
    {
      id: 'sd-turbo-local',
      name: 'SD Turbo (self-hosted)',
      description: 'Stable Diffusion Turbo behind a self-hosted OpenAI-compatible server.',
      owned_by: 'self-hosted',
      capabilities: '[text-to-image]',
      routes: '[{ provider: openai-compatible, model: sd-turbo }]',
      sizes:
        '{ auto: 512x512, list: [{ size: 512x512, tier: default }, { size: 768x512, tier: default }] }',
      qualities: '[auto]',
      max_n: '4',
      pricing: '{ rules: [{ credits: 2 }] }',
    },
  ],
});
// 2 credits per image (from the catalog file above).
const SD = { model: 'sd-turbo-local', prompt: 'a red fox in the snow' };
const imageCalls = () => e2e.fake.requests.filter((r) => r.path === '/v1/images/generations');
const failures = new GenerationFailures({
  e2e,
  env,
  body: SD,
  image: { width: 512, height: 512, credits: 2 },
  route: 'openai-compatible/sd-turbo',
  calls: imageCalls,
});

describe('openai-compatible: success', () => {
  it('n=1: the plain OpenAI body with the key, a url output copied into Pixapi', async () => {
    const res = await e2e.generate({ ...SD, size: '768x512' });
    await e2e.expectServed(res, { n: 1, width: 768, height: 512, credits: 2 });
    expect(res.body.model).toBe('sd-turbo-local');

    expect(imageCalls()).toHaveLength(1);
    const sent = imageCalls()[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${SELF_HOSTED_KEY}`);
    expect(sent.body).toMatchObject({
      model: 'sd-turbo',
      prompt: SD.prompt,
      n: 1,
      size: '768x512',
    });
    // Only fields such servers know: nothing OpenAI-specific.
    for (const field of ['quality', 'output_format', 'background', 'moderation', 'stream']) {
      expect(sent.body).not.toHaveProperty(field);
    }
    // Pixapi serves its own copy; the server's URL is not handed out.
    expect(JSON.stringify(res.body)).not.toContain(e2e.fake.url.replace('/v1', ''));
    await e2e.expectSucceededUsage({
      model: 'sd-turbo-local',
      route: 'openai-compatible/sd-turbo',
      attempts: 1,
      images: 1,
      credits: 2,
    });
  });

  it('n=3 in one call, charged 3 × 2', async () => {
    const res = await e2e.generate({ ...SD, n: 3 });
    await e2e.expectServed(res, { n: 3, width: 512, height: 512, credits: 6 });
    expect(imageCalls()).toHaveLength(1);
    expect(imageCalls()[0]!.body).toMatchObject({ n: 3, size: '512x512' });
  });
});

describe('openai-compatible: failures', () => {
  it('retries 503 then 500, then charges once', async () => {
    e2e.fake.script({ type: 'server_error', status: 503 });
    e2e.fake.script({ type: 'server_error', status: 500 });
    await failures.expectRetriedThenCharged();
  });

  it('a content_policy_violation 400 → 400 content_policy_violation, not retried', async () => {
    e2e.fake.script({ type: 'moderation_blocked' });
    await failures.expectContentRefused(await e2e.generate({ ...SD, n: 2 }), 1);
  });

  it('401 from the server (wrong key) → 503, not retried, not charged', async () => {
    e2e.fake.script({
      type: 'http_error',
      status: 401,
      body: { error: { message: 'invalid api key', type: 'invalid_request_error', code: null } },
    });
    await failures.expectProviderUnavailable(await e2e.generate(SD), SELF_HOSTED_KEY);
  });

  it('garbage: a non-JSON 200, or an output URL serving non-image bytes → 502', async () => {
    await failures.expectGarbageRejected(
      () => e2e.fake.script({ type: 'non_json' }),
      () => e2e.fake.script({ type: 'not_an_image' }),
    );
  });

  it('relative output URLs are resolved against the server', async () => {
    e2e.fake.script({ type: 'url_outputs', relative: true });
    const res = await e2e.generate(SD);
    await e2e.expectServed(res, { n: 1, width: 512, height: 512, credits: 2 });
  });

  it('fetches outputs from the configured server although it is private, with no allow entry', async () => {
    // The operator set OPENAI_COMPATIBLE_BASE_URL: its own host serves the outputs.
    expect(env()).not.toHaveProperty('PIXAPI_OUTBOUND_ALLOW');
    e2e.fake.script({ type: 'url_outputs' });
    const res = await e2e.generate(SD);
    await e2e.expectServed(res, { n: 1, width: 512, height: 512, credits: 2 });
  });

  it('without OPENAI_COMPATIBLE_BASE_URL → 503 provider_not_configured naming it', async () => {
    await failures.expectNotConfigured(
      { PIXAPI_CATALOG: e2e.catalog },
      'OPENAI_COMPATIBLE_BASE_URL',
    );
  });
});
