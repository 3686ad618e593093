import { describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../fakes/openai/index.js';
import { validateAgainst } from '../helpers/openai-schemas.js';
import { GenerationFailures } from '../helpers/provider-e2e-cases.js';
import { useProviderE2E, withPixapi } from '../helpers/provider-e2e-setup.js';
import {
  allowPortOf,
  expectOpenAIError,
  fetchAsset,
  parseSse,
  writeCatalog,
} from '../helpers/provider-e2e.js';

/** The OpenAI adapter through the real server, against the fake OpenAI Images API. */

const env = () => ({ OPENAI_API_KEY: e2e.fake.apiKey, OPENAI_BASE_URL: e2e.fake.url });
const e2e = useProviderE2E({ startFake: () => startFakeOpenAI(), env });
// gpt-image-2.6-flare at quality low and 1024x1024 costs 1 credit per image.
const LOW = { model: 'gpt-image-2.6-flare', prompt: 'a lighthouse at dawn', quality: 'low' };
const imageCalls = () => e2e.fake.requests.filter((r) => r.path === '/v1/images/generations');
const failures = new GenerationFailures({
  e2e,
  env,
  body: LOW,
  image: { width: 1024, height: 1024, credits: 1 },
  route: 'openai/gpt-image-2.6-flare',
  calls: imageCalls,
});

describe('openai: success', () => {
  it('n=1: stores the image, charges its price and sends the documented request', async () => {
    const res = await e2e.generate({ ...LOW, size: '1024x1024' });
    await e2e.expectServed(res, { n: 1, width: 1024, height: 1024, credits: 1 });
    expect(res.body.model).toBe('gpt-image-2.6-flare');
    expect(res.headers.get('x-pixapi-credits-charged')).toBe('1');

    expect(imageCalls()).toHaveLength(1);
    const sent = imageCalls()[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.headers.authorization).toBe(`Bearer ${e2e.fake.apiKey}`);
    expect(sent.headers['content-type']).toMatch(/^application\/json/);
    expect(sent.body).toMatchObject({
      model: 'gpt-image-2.6-flare',
      prompt: 'a lighthouse at dawn',
      n: 1,
      size: '1024x1024',
      quality: 'low',
    });
    // GPT image models answer base64 and refuse response_format.
    expect(sent.body).not.toHaveProperty('response_format');
    await e2e.expectSucceededUsage({
      model: 'gpt-image-2.6-flare',
      route: 'openai/gpt-image-2.6-flare',
      attempts: 1,
      images: 1,
      credits: 1,
    });
  });

  it('n=3 in one upstream call, a 2K size priced at its tier (gpt-image-2)', async () => {
    const res = await e2e.generate({
      ...LOW,
      model: 'gpt-image-2',
      n: 3,
      size: '2048x1152',
      response_format: 'url',
    });
    await e2e.expectServed(res, { n: 3, width: 2048, height: 1152, credits: 6 });
    expect(imageCalls()).toHaveLength(1);
    expect(imageCalls()[0]!.body).toMatchObject({ n: 3, size: '2048x1152', quality: 'low' });
    expect(imageCalls()[0]!.body).not.toHaveProperty('response_format');
  });
});

describe('openai: failures', () => {
  it('retries 503, then 429 with retry-after: 0, and charges the success once', async () => {
    e2e.fake.script({ type: 'server_error', status: 503 });
    e2e.fake.script({ type: 'rate_limit', retryAfter: '0' });
    await failures.expectRetriedThenCharged();
  });

  it('moderation_blocked → 400 content_policy_violation, not retried, not charged', async () => {
    e2e.fake.script({ type: 'moderation_blocked' });
    const res = await e2e.generate({ ...LOW, n: 2 });
    expect(JSON.stringify(res.body)).not.toContain('req_fake');
    await failures.expectContentRefused(res, 1);
  });

  it('insufficient_quota → 503, not charged', async () => {
    e2e.fake.script({ type: 'insufficient_quota' });
    const res = await e2e.generate(LOW);
    await failures.expectProviderUnavailable(res, /quota|platform\.openai/);
  });

  it('a key OpenAI refuses → 503 that does not leak the key, not charged', async () => {
    await failures.expectKeyRefused(
      { OPENAI_API_KEY: 'sk-wrong-key-abcdefgh12345' },
      /sk-wrong|2345/,
    );
    expect(e2e.fake.requests).toHaveLength(1);
  });

  it('garbage: a non-JSON 200, or base64 that is not an image → 502 provider_error', async () => {
    await failures.expectGarbageRejected(
      () => e2e.fake.script({ type: 'non_json' }),
      () => e2e.fake.script({ type: 'not_an_image' }),
    );
  });

  it('without OPENAI_API_KEY → 503 provider_not_configured naming it', async () => {
    await failures.expectNotConfigured({}, 'OPENAI_API_KEY');
  });

  it('PIXAPI_SYNC_TIMEOUT_S=1 with a slow provider → 504 provider_timeout, nothing charged', async () => {
    await withPixapi({ ...env(), PIXAPI_SYNC_TIMEOUT_S: '1' }, async (impatient) => {
      e2e.fake.script({ type: 'slow', ms: 2500 });
      const res = await impatient.generate(LOW);
      expectOpenAIError(res, 504, 'provider_timeout');
      await impatient.expectCharged(0);
      await impatient.expectFailedUsage('provider_timeout');
    });
  });
});

describe('openai: fallback to the next route', () => {
  it('A always 503 → served by B (openai-compatible); usage names B, attempts 4', async () => {
    const b = await startFakeOpenAI({ mode: 'compatible' });
    const catalog = writeCatalog([
      {
        id: 'gpt-image-2.6-flare',
        routes:
          '[{ provider: openai, model: gpt-image-2.6-flare }, { provider: openai-compatible, model: local-sd }]',
      },
    ]);
    const routedEnv = {
      ...env(),
      PIXAPI_CATALOG: catalog,
      OPENAI_COMPATIBLE_BASE_URL: b.url,
      PIXAPI_OUTBOUND_ALLOW: allowPortOf(b.url),
    };
    try {
      await withPixapi(routedEnv, async (routed) => {
        e2e.fake.script({ type: 'server_error', status: 503 }, 3);
        const res = await routed.generate(LOW);
        await routed.expectServed(res, { n: 1, width: 1024, height: 1024, credits: 1 });
        expect(imageCalls()).toHaveLength(3);
        const atB = b.requests.filter((r) => r.path === '/v1/images/generations');
        expect(atB).toHaveLength(1);
        expect(atB[0]!.body).toMatchObject({ model: 'local-sd', prompt: LOW.prompt, n: 1 });
        expect(atB[0]!.headers.authorization).toBeUndefined();
        await routed.expectSucceededUsage({ route: 'openai-compatible/local-sd', attempts: 4 });
      });
    } finally {
      await b.close();
    }
  });
});

describe('openai: streaming', () => {
  const streamBody = { ...LOW, stream: true, partial_images: 2 };
  const post = (body: unknown) =>
    fetch(`${e2e.server.url}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${e2e.key}`, 'content-type': 'application/json' },
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
    await e2e.expectCharged(1);
    await e2e.expectSucceededUsage({ route: 'openai/gpt-image-2.6-flare', images: 1, credits: 1 });
  });

  it('an upstream failure before any event → an ordinary HTTP error, not SSE', async () => {
    e2e.fake.script({ type: 'server_error', status: 500 }, 3);
    const res = await post(streamBody);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: { code: string } };
    expect(validateAgainst('ErrorResponse', body)).toEqual([]);
    expect(body.error.code).toBe('provider_error');
    expect(imageCalls()).toHaveLength(3);
    await e2e.expectCharged(0);
    expect(await e2e.lastUsage()).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('a failure after the first event → an error event ending the stream, nothing charged', async () => {
    e2e.fake.script({ type: 'stream_error', partials: 1 });
    const res = await post(streamBody);
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(['image_generation.partial_image', 'error']);
    expect(validateAgainst('ErrorResponse', events[1]!.data)).toEqual([]);
    expect(events[1]!.data).toMatchObject({ error: { code: 'provider_error' } });
    expect(imageCalls()).toHaveLength(1);
    await e2e.expectCharged(0);
    await e2e.expectFailedUsage('provider_error');
  });
});
