import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.js';
import { validateAgainst } from '../helpers/openai-schemas.js';
import {
  allowPortOf,
  expectCharged,
  expectFailedUsage,
  expectImages,
  expectOpenAIError,
  fetchAsset,
  generate,
  lastUsage,
  parseSse,
  removeCatalogs,
  startPixapi,
  writeCatalog,
} from '../helpers/provider-e2e.js';
import type { TestServer } from '../helpers/server.js';

/** The OpenAI adapter through the real server, against the fake OpenAI Images API. */

let fake: FakeOpenAI;
let server: TestServer;
let key: string;

const env = () => ({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url });
// gpt-image-1.5 at quality low and 1024x1024 costs 1 credit per image.
const LOW = { model: 'gpt-image-1.5', prompt: 'a lighthouse at dawn', quality: 'low' };
const imageCalls = () => fake.requests.filter((r) => r.path === '/v1/images/generations');

beforeAll(async () => {
  fake = await startFakeOpenAI();
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

describe('openai: success', () => {
  it('n=1: stores the image, charges its price and sends the documented request', async () => {
    const res = await generate(server, key, { ...LOW, size: '1024x1024' });
    await expectImages(res, { n: 1, width: 1024, height: 1024, credits: 1 });
    expect(res.body.model).toBe('gpt-image-1.5');
    expect(res.headers.get('x-pixapi-credits-charged')).toBe('1');
    await expectCharged(server, key, 100, 1);

    expect(imageCalls()).toHaveLength(1);
    const sent = imageCalls()[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(sent.headers['content-type']).toMatch(/^application\/json/);
    expect(sent.body).toMatchObject({
      model: 'gpt-image-1.5',
      prompt: 'a lighthouse at dawn',
      n: 1,
      size: '1024x1024',
      quality: 'low',
    });
    // GPT image models answer base64 and refuse response_format.
    expect(sent.body).not.toHaveProperty('response_format');
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      model: 'gpt-image-1.5',
      route: 'openai/gpt-image-1.5',
      attempts: 1,
      images: 1,
      credits: 1,
    });
  });

  it('n=3 in one upstream call, a larger size costing 1.5 times as much', async () => {
    const res = await generate(server, key, {
      ...LOW,
      n: 3,
      size: '1536x1024',
      response_format: 'url',
    });
    await expectImages(res, { n: 3, width: 1536, height: 1024, credits: 4.5 });
    await expectCharged(server, key, 100, 4.5);
    expect(imageCalls()).toHaveLength(1);
    expect(imageCalls()[0]!.body).toMatchObject({ n: 3, size: '1536x1024', quality: 'low' });
    expect(imageCalls()[0]!.body).not.toHaveProperty('response_format');
  });
});

describe('openai: failures', () => {
  it('retries 503, then 429 with retry-after: 0, and charges the success once', async () => {
    fake.script({ type: 'server_error', status: 503 });
    fake.script({ type: 'rate_limit', retryAfter: '0' });
    const res = await generate(server, key, LOW);
    await expectImages(res, { n: 1, width: 1024, height: 1024, credits: 1 });
    expect(imageCalls()).toHaveLength(3);
    await expectCharged(server, key, 100, 1);
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      route: 'openai/gpt-image-1.5',
      attempts: 3,
      credits: 1,
    });
  });

  it('moderation_blocked → 400 content_policy_violation, not retried, not charged', async () => {
    fake.script({ type: 'moderation_blocked' });
    const res = await generate(server, key, { ...LOW, n: 2 });
    expectOpenAIError(res, 400, 'content_policy_violation');
    expect(JSON.stringify(res.body)).not.toContain('req_fake');
    expect(imageCalls()).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'content_policy_violation', {
      route: 'openai/gpt-image-1.5',
      attempts: 1,
    });
  });

  it('insufficient_quota → 503, not charged', async () => {
    fake.script({ type: 'insufficient_quota' });
    const res = await generate(server, key, LOW);
    expectOpenAIError(res, 503, 'provider_unavailable');
    expect(JSON.stringify(res.body)).not.toMatch(/quota|platform\.openai/);
    expect(imageCalls()).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'provider_unavailable', { attempts: 1 });
  });

  it('a key OpenAI refuses → 503 that does not leak the key, not charged', async () => {
    const wrong = await startPixapi({ ...env(), OPENAI_API_KEY: 'sk-wrong-key-abcdefgh12345' });
    try {
      const account = await wrong.account(10);
      const res = await generate(wrong, account.apiKey, LOW);
      expectOpenAIError(res, 503, 'provider_unavailable');
      expect(JSON.stringify(res.body)).not.toMatch(/sk-wrong|2345/);
      expect(fake.requests).toHaveLength(1);
      await expectCharged(wrong, account.apiKey, 10, 0);
      const usage = await expectFailedUsage(wrong, account.apiKey, 'provider_unavailable');
      expect(JSON.stringify(usage)).not.toMatch(/sk-wrong|2345/);
    } finally {
      await wrong.close();
    }
  });

  it('garbage: a non-JSON 200, or base64 that is not an image → 502 provider_error', async () => {
    fake.script({ type: 'non_json' });
    expectOpenAIError(await generate(server, key, LOW), 502, 'provider_error');
    fake.script({ type: 'not_an_image' });
    expectOpenAIError(await generate(server, key, LOW), 502, 'provider_error');
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'provider_error');
  });

  it('without OPENAI_API_KEY → 503 provider_not_configured naming it', async () => {
    const bare = await startPixapi({});
    try {
      const account = await bare.account(10);
      const res = await generate(bare, account.apiKey, LOW);
      expectOpenAIError(res, 503, 'provider_not_configured');
      expect((res.body.error as { message: string }).message).toContain('OPENAI_API_KEY');
      expect(fake.requests).toHaveLength(0);
      await expectCharged(bare, account.apiKey, 10, 0);
    } finally {
      await bare.close();
    }
  });

  it('PIXAPI_SYNC_TIMEOUT_S=1 with a slow provider → 504 provider_timeout, nothing charged', async () => {
    const impatient = await startPixapi({ ...env(), PIXAPI_SYNC_TIMEOUT_S: '1' });
    try {
      const account = await impatient.account(10);
      fake.script({ type: 'slow', ms: 2500 });
      const res = await generate(impatient, account.apiKey, LOW);
      expectOpenAIError(res, 504, 'provider_timeout');
      await expectCharged(impatient, account.apiKey, 10, 0);
      await expectFailedUsage(impatient, account.apiKey, 'provider_timeout');
    } finally {
      await impatient.close();
    }
  });
});

describe('openai: fallback to the next route', () => {
  it('A always 503 → served by B (openai-compatible); usage names B, attempts 4', async () => {
    const b = await startFakeOpenAI({ mode: 'compatible' });
    const catalog = writeCatalog(
      [
        'models:',
        '  - id: gpt-image-1.5',
        '    routes:',
        '      - { provider: openai, model: gpt-image-1.5 }',
        '      - { provider: openai-compatible, model: local-sd }',
      ].join('\n'),
    );
    const routed = await startPixapi({
      ...env(),
      PIXAPI_CATALOG: catalog,
      OPENAI_COMPATIBLE_BASE_URL: b.url,
      PIXAPI_OUTBOUND_ALLOW: allowPortOf(b.url),
    });
    try {
      const account = await routed.account(10);
      fake.script({ type: 'server_error', status: 503 }, 3);
      const res = await generate(routed, account.apiKey, LOW);
      await expectImages(res, { n: 1, width: 1024, height: 1024, credits: 1 });
      expect(imageCalls()).toHaveLength(3);
      const atB = b.requests.filter((r) => r.path === '/v1/images/generations');
      expect(atB).toHaveLength(1);
      expect(atB[0]!.body).toMatchObject({ model: 'local-sd', prompt: LOW.prompt, n: 1 });
      expect(atB[0]!.headers.authorization).toBeUndefined();
      await expectCharged(routed, account.apiKey, 10, 1);
      expect(await lastUsage(routed, account.apiKey)).toMatchObject({
        status: 'succeeded',
        route: 'openai-compatible/local-sd',
        attempts: 4,
      });
    } finally {
      await routed.close();
      await b.close();
    }
  });
});

describe('openai: streaming', () => {
  const streamBody = { ...LOW, stream: true, partial_images: 2 };
  const post = (body: unknown) =>
    fetch(`${server.url}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('partial_image events, then one completed event with a Pixapi URL; charged once', async () => {
    const res = await post(streamBody);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual([
      'image_generation.partial_image',
      'image_generation.partial_image',
      'image_generation.completed',
    ]);
    events.slice(0, 2).forEach((e, i) => {
      expect(validateAgainst('ImageGenPartialImageEvent', e.data)).toEqual([]);
      expect(e.data.partial_image_index).toBe(i);
    });
    const completed = events[2]!.data;
    expect(validateAgainst('ImageGenCompletedEvent', completed)).toEqual([]);
    expect(completed).toMatchObject({ billing: { images: 1, credits: 1 } });
    const asset = await fetchAsset(completed.url as string);
    expect([asset.format, asset.width, asset.height]).toEqual(['png', 1024, 1024]);

    expect(imageCalls()).toHaveLength(1);
    expect(imageCalls()[0]!.body).toMatchObject({ stream: true, partial_images: 2 });
    expect(imageCalls()[0]!.body).not.toHaveProperty('response_format');
    await expectCharged(server, key, 100, 1);
    expect(await lastUsage(server, key)).toMatchObject({
      status: 'succeeded',
      route: 'openai/gpt-image-1.5',
      images: 1,
      credits: 1,
    });
  });

  it('an upstream failure before any event → an ordinary HTTP error, not SSE', async () => {
    fake.script({ type: 'server_error', status: 500 }, 3);
    const res = await post(streamBody);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: { code: string } };
    expect(validateAgainst('ErrorResponse', body)).toEqual([]);
    expect(body.error.code).toBe('provider_error');
    expect(imageCalls()).toHaveLength(3);
    await expectCharged(server, key, 100, 0);
    expect(await lastUsage(server, key)).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('a failure after the first event → an error event ending the stream, nothing charged', async () => {
    fake.script({ type: 'stream_error', partials: 1 });
    const res = await post(streamBody);
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(['image_generation.partial_image', 'error']);
    expect(validateAgainst('ErrorResponse', events[1]!.data)).toEqual([]);
    expect(events[1]!.data).toMatchObject({ error: { code: 'provider_error' } });
    expect(imageCalls()).toHaveLength(1);
    await expectCharged(server, key, 100, 0);
    await expectFailedUsage(server, key, 'provider_error');
  });
});
