import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.js';
import {
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
 * The openai-compatible adapter through the real server, against the fake in `compatible` mode
 * (a self-hosted server that answers `url` outputs it serves itself). The model comes from a
 * PIXAPI_CATALOG file.
 */

let fake: FakeOpenAI;
let server: TestServer;
let key: string;
let catalog: string;

const SELF_HOSTED_KEY = 'local-secret-key-0123';
const env = () => ({
  PIXAPI_CATALOG: catalog,
  OPENAI_COMPATIBLE_BASE_URL: fake.url,
  OPENAI_COMPATIBLE_API_KEY: SELF_HOSTED_KEY,
});
// 2 credits per image (from the catalog file below).
const SD = { model: 'sd-turbo-local', prompt: 'a red fox in the snow' };
const imageCalls = () => fake.requests.filter((r) => r.path === '/v1/images/generations');

beforeAll(async () => {
  fake = await startFakeOpenAI({ mode: 'compatible' });
  catalog = writeCatalog(
    [
      'models:',
      '  - id: sd-turbo-local',
      '    name: SD Turbo (self-hosted)',
      '    description: Stable Diffusion Turbo behind a self-hosted OpenAI-compatible server.',
      '    owned_by: self-hosted',
      '    capabilities: [text-to-image]',
      '    routes: [{ provider: openai-compatible, model: sd-turbo }]',
      '    sizes:',
      '      auto: 512x512',
      '      list: [{ size: 512x512, tier: default }, { size: 768x512, tier: default }]',
      '    qualities: [auto]',
      '    max_n: 4',
      '    pricing: { rules: [{ credits: 2 }] }',
    ].join('\n'),
  );
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

describe('openai-compatible: success', () => {
  it('n=1: the plain OpenAI body with the key, a url output copied into Pixapi', async () => {
    const res = await generate(server, key, { ...SD, size: '768x512' });
    await expectImages(res, { n: 1, width: 768, height: 512, credits: 2 });
    expect(res.body.model).toBe('sd-turbo-local');
    await expectCharged(server, key, 100, 2);

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
    expect(JSON.stringify(res.body)).not.toContain(fake.url.replace('/v1', ''));
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      model: 'sd-turbo-local',
      route: 'openai-compatible/sd-turbo',
      attempts: 1,
      images: 1,
      credits: 2,
    });
  });

  it('n=3 in one call, charged 3 × 2', async () => {
    const res = await generate(server, key, { ...SD, n: 3 });
    await expectImages(res, { n: 3, width: 512, height: 512, credits: 6 });
    await expectCharged(server, key, 100, 6);
    expect(imageCalls()).toHaveLength(1);
    expect(imageCalls()[0]!.body).toMatchObject({ n: 3, size: '512x512' });
  });
});

describe('openai-compatible: failures', () => {
  it('retries 503 then 500, then charges once', async () => {
    fake.script({ type: 'server_error', status: 503 });
    fake.script({ type: 'server_error', status: 500 });
    const res = await generate(server, key, SD);
    await expectImages(res, { n: 1, width: 512, height: 512, credits: 2 });
    expect(imageCalls()).toHaveLength(3);
    await expectCharged(server, key, 100, 2);
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      route: 'openai-compatible/sd-turbo',
      attempts: 3,
    });
  });

  it('a content_policy_violation 400 → 400 content_policy_violation, not retried', async () => {
    fake.script({ type: 'moderation_blocked' });
    const res = await generate(server, key, { ...SD, n: 2 });
    expectOpenAIError(res, 400, 'content_policy_violation');
    expect(imageCalls()).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'content_policy_violation', {
      route: 'openai-compatible/sd-turbo',
      attempts: 1,
    });
  });

  it('401 from the server (wrong key) → 503, not retried, not charged', async () => {
    fake.script({
      type: 'http_error',
      status: 401,
      body: { error: { message: 'invalid api key', type: 'invalid_request_error', code: null } },
    });
    const res = await generate(server, key, SD);
    expectOpenAIError(res, 503, 'provider_unavailable');
    expect(JSON.stringify(res.body)).not.toContain(SELF_HOSTED_KEY);
    expect(imageCalls()).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    const usage = await expectFailedUsage(server, key, 'provider_unavailable', { attempts: 1 });
    expect(JSON.stringify(usage)).not.toContain(SELF_HOSTED_KEY);
  });

  it('garbage: a non-JSON 200, or an output URL serving non-image bytes → 502', async () => {
    fake.script({ type: 'non_json' });
    expectOpenAIError(await generate(server, key, SD), 502, 'provider_error');
    fake.script({ type: 'not_an_image' });
    expectOpenAIError(await generate(server, key, SD), 502, 'provider_error');
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'provider_error');
  });

  it('relative output URLs are resolved against the server', async () => {
    fake.script({ type: 'url_outputs', relative: true });
    const res = await generate(server, key, SD);
    await expectImages(res, { n: 1, width: 512, height: 512, credits: 2 });
  });

  it('fetches outputs from the configured server although it is private, with no allow entry', async () => {
    // The operator set OPENAI_COMPATIBLE_BASE_URL: its own host serves the outputs.
    expect(env()).not.toHaveProperty('PIXAPI_OUTBOUND_ALLOW');
    fake.script({ type: 'url_outputs' });
    const res = await generate(server, key, SD);
    await expectImages(res, { n: 1, width: 512, height: 512, credits: 2 });
  });

  it('without OPENAI_COMPATIBLE_BASE_URL → 503 provider_not_configured naming it', async () => {
    const bare = await startPixapi({ PIXAPI_CATALOG: catalog });
    try {
      const account = await bare.account(10);
      const res = await generate(bare, account.apiKey, SD);
      expectOpenAIError(res, 503, 'provider_not_configured');
      expect((res.body.error as { message: string }).message).toContain(
        'OPENAI_COMPATIBLE_BASE_URL',
      );
      expect(fake.requests).toHaveLength(0);
      await expectCharged(bare, account.apiKey, 10, 0);
    } finally {
      await bare.close();
    }
  });
});
