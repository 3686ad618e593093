import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/openai/index.js';
import { validateAgainst } from './helpers/openai-schemas.js';
import { allowPortOf, removeCatalogs, writeCatalog } from './helpers/provider-e2e.js';
import { waitForTask } from './helpers/tasks.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

/**
 * Model lifecycle through the real server, with the clock pinned: an active model answers
 * plainly; a deprecated one answers with Deprecation/Sunset/Link headers; past its shutdown a
 * `retire` model answers 410 without a hold or an upstream call, and a `redirect` model is served
 * by its replacement at the replacement's price, with both ids in the usage record.
 */

const at = (date: string) => Date.parse(`${date}T12:00:00Z`);
const SOURCE = 'https://developers.openai.com/api/docs/deprecations';

const openaiModel = (id: string, upstream: string, credits: number, lifecycle: string[] = []) => ({
  id,
  name: id,
  description: `Test model ${id}.`,
  owned_by: 'openai',
  capabilities: '[text-to-image, image-to-image]',
  routes: `[{ provider: openai, model: ${upstream} }]`,
  sizes: '{ auto: 1024x1024, list: [{ size: 1024x1024, tier: 1K }] }',
  qualities: '[auto, low]',
  stream: 'true',
  pricing: `{ rules: [{ credits: ${credits} }] }`,
  ...Object.fromEntries(lifecycle.map((l) => l.split(': ') as [string, string])),
});

const catalog = () =>
  writeCatalog([
    openaiModel('steady-image', 'gpt-image-2', 3),
    openaiModel('fading-image', 'gpt-image-2.6-sunburst', 2, [
      'deprecated_at: 2026-06-02',
      'shutdown_date: 2026-12-01',
      'replacement: steady-image',
      'after_shutdown: redirect',
      `source: ${SOURCE}`,
    ]),
    openaiModel('ending-image', 'gpt-image-1-mini', 1, [
      'status: deprecated',
      'deprecated_at: 2026-06-02',
      'shutdown_date: 2026-12-01',
      'replacement: steady-image',
      'after_shutdown: retire',
      `source: ${SOURCE}`,
    ]),
  ]);

describe('model lifecycle through the server', () => {
  let fake: FakeOpenAI;
  let server: TestServer;
  let key: string;
  let now = at('2026-11-20');
  const logs: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    server = await startTestServer({
      clock: () => now,
      log: pino({ level: 'warn' }, sink),
      env: {
        PIXAPI_CATALOG: catalog(),
        OPENAI_API_KEY: fake.apiKey,
        OPENAI_BASE_URL: fake.url,
        PIXAPI_OUTBOUND_ALLOW: allowPortOf(fake.url),
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
    removeCatalogs();
  });
  beforeEach(async () => {
    fake.reset();
    key = (await server.account(100)).apiKey;
  });

  const generate = (model: string, extra: Record<string, unknown> = {}) =>
    api(server.url, 'POST', '/v1/images/generations', {
      key,
      body: { model, prompt: 'a lighthouse', response_format: 'url', ...extra },
    });
  const models = async () =>
    new Map(
      (
        await api<{ data: Array<Record<string, unknown>> }>(server.url, 'GET', '/v1/models')
      ).body.data.map((m) => [m.id as string, m]),
    );
  const usage = async () =>
    (await api<{ data: Array<Record<string, unknown>> }>(server.url, 'GET', '/v1/usage', { key }))
      .body.data;
  const balance = async () =>
    (await api(server.url, 'GET', '/v1/account', { key })).body as {
      balance: number;
      held: number;
    };

  it('warned the operator at start about models within 30 days of shutdown', () => {
    const warned = logs.filter((l) => l.level === 40 && typeof l.model === 'string');
    // The built-in gpt-image-1.5 and gpt-image-1-mini shut down that day too.
    expect(warned.map((l) => l.model).sort()).toEqual([
      'ending-image',
      'fading-image',
      'gpt-image-1-mini',
      'gpt-image-1.5',
    ]);
    expect(warned.find((l) => l.model === 'fading-image')).toMatchObject({
      shutdown_date: '2026-12-01',
      days_left: 10,
      replacement: 'steady-image',
      after_shutdown: 'redirect',
    });
  });

  it('GET /v1/models shows lifecycle fields as of the clock', async () => {
    now = at('2026-05-01');
    let byId = await models();
    expect(byId.get('steady-image')).toMatchObject({
      status: 'active',
      shutdown_date: null,
      replacement: null,
    });
    // Deprecation announced for a date still to come: active until then.
    expect(byId.get('fading-image')).toMatchObject({
      status: 'active',
      deprecated_at: '2026-06-02',
      shutdown_date: '2026-12-01',
      replacement: 'steady-image',
      after_shutdown: 'redirect',
      source: SOURCE,
    });

    now = at('2026-11-20');
    byId = await models();
    expect(byId.get('fading-image')).toMatchObject({ status: 'deprecated', available: true });
    expect(byId.get('ending-image')).toMatchObject({ status: 'deprecated', available: true });

    now = Date.parse('2026-12-01T00:00:00Z');
    byId = await models();
    expect(byId.get('fading-image')).toMatchObject({
      status: 'retired',
      served_by: 'steady-image',
      available: true,
    });
    expect(byId.get('ending-image')).toMatchObject({
      status: 'retired',
      served_by: null,
      available: false,
    });
    const page = await api<{ docs: { lifecycle: string } }>(
      server.url,
      'GET',
      '/v1/models/fading-image',
    );
    expect(page.body.docs.lifecycle).toContain('served by steady-image');
  });

  it('an active model answers without lifecycle headers', async () => {
    now = at('2026-11-20');
    const res = await generate('steady-image');
    expect(res.status).toBe(200);
    expect(res.headers.get('deprecation')).toBeNull();
    expect(res.headers.get('sunset')).toBeNull();
    expect(res.headers.get('link')).toBeNull();
  });

  it('a deprecated model works and its answers carry Deprecation, Sunset and Link', async () => {
    now = at('2026-11-20');
    const res = await generate('fading-image');
    expect(res.status).toBe(200);
    expect(res.body.model).toBe('fading-image');
    expect(res.headers.get('deprecation')).toBe(`@${Date.parse('2026-06-02T00:00:00Z') / 1000}`);
    expect(res.headers.get('sunset')).toBe('Tue, 01 Dec 2026 00:00:00 GMT');
    expect(res.headers.get('link')).toBe('</v1/models/steady-image>; rel="successor-version"');
    expect(fake.requests.map((r) => r.body?.model)).toEqual(['gpt-image-2.6-sunburst']);
    expect((await balance()).balance).toBe(98);

    // Streams and tasks carry the same notice.
    const streamed = await fetch(`${server.url}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fading-image', prompt: 'a fox', stream: true }),
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('sunset')).toBe('Tue, 01 Dec 2026 00:00:00 GMT');
    await streamed.text();
    const task = await api(server.url, 'POST', '/v1/async/images/generations', {
      key,
      body: { model: 'fading-image', prompt: 'a fox' },
    });
    expect(task.status).toBe(202);
    expect(task.headers.get('link')).toContain('rel="successor-version"');
    const done = await waitForTask(server.url, key, task.body.id as string);
    expect(done.status).toBe('completed');
  });

  it('past shutdown, retire answers 410 model_retired: no hold, no upstream call', async () => {
    now = at('2026-12-01');
    const res = await generate('ending-image');
    expect(res.status).toBe(410);
    expect(res.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'model_retired',
      param: 'model',
    });
    expect((res.body.error as { message: string }).message).toContain("'steady-image'");
    validateAgainst('ErrorResponse', res.body);
    expect(res.headers.get('link')).toBe('</v1/models/steady-image>; rel="successor-version"');
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(fake.requests).toHaveLength(0);
    expect(await balance()).toMatchObject({ balance: 100, held: 0 });
    expect(await usage()).toHaveLength(0);
  });

  it("past shutdown, redirect is served by the replacement at the replacement's price", async () => {
    now = at('2026-12-02');
    const res = await generate('fading-image');
    expect(res.status).toBe(200);
    validateAgainst('ImagesResponse', res.body);
    expect(res.body.model).toBe('steady-image');
    expect(res.body.billing).toEqual({ images: 1, credits: 3 });
    expect(res.headers.get('x-pixapi-credits-charged')).toBe('3');
    expect(res.headers.get('deprecation')).toBe(`@${Date.parse('2026-06-02T00:00:00Z') / 1000}`);
    expect(res.headers.get('sunset')).toBe('Tue, 01 Dec 2026 00:00:00 GMT');
    expect(res.headers.get('link')).toBe('</v1/models/steady-image>; rel="successor-version"');
    expect(fake.requests.map((r) => r.body?.model)).toEqual(['gpt-image-2']);
    expect(await balance()).toMatchObject({ balance: 97, held: 0 });
    const [record] = await usage();
    expect(record).toMatchObject({
      model: 'steady-image',
      requested_model: 'fading-image',
      credits: 3,
      status: 'succeeded',
    });
    // Operators find redirected requests under either id.
    const byRequested = await api<{ data: unknown[] }>(
      server.url,
      'GET',
      '/v1/usage?model=fading-image',
      { key },
    );
    expect(byRequested.body.data).toHaveLength(1);
    // The catalog quotes the price a request is charged: the replacement's, in every field.
    const listed = await api<{ data: Array<{ id: string; pricing: Record<string, unknown> }> }>(
      server.url,
      'GET',
      '/v1/models',
    );
    const pricing = listed.body.data.find((m) => m.id === 'fading-image')!.pricing;
    expect(pricing).toMatchObject({ from_credits: 3, rules: [{ credits: 3 }] });
  });

  it('a redirected request is validated against the replacement', async () => {
    now = at('2026-12-02');
    const res = await generate('fading-image', { n: 2, size: '1536x1024' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'unsupported_size', param: 'size' });
    expect(fake.requests).toHaveLength(0);
  });
});
