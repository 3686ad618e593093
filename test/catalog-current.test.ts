import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_GEMINI_KEY, startFakeGemini, type FakeGemini } from './fakes/gemini/index.js';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/openai/index.js';
import { allowPortOf } from './helpers/provider-e2e.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

/**
 * The built-in catalog against fakes that serve what the providers serve on 2026-12-01, the day
 * gpt-image-1.5 and gpt-image-1-mini shut down: no listed model points at a gone upstream id
 * without a lifecycle policy, the seed's ids keep working through redirects, the others answer
 * 410, and the fakes refuse gone ids as the providers do.
 */

const TODAY = Date.parse('2026-12-01T09:00:00Z');

describe('the built-in catalog on 2026-12-01', () => {
  let openai: FakeOpenAI;
  let gemini: FakeGemini;
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    openai = await startFakeOpenAI({ now: () => TODAY });
    gemini = await startFakeGemini();
    server = await startTestServer({
      clock: () => TODAY,
      env: {
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.url,
        GEMINI_API_KEY: FAKE_GEMINI_KEY,
        GEMINI_BASE_URL: gemini.url,
        PIXAPI_OUTBOUND_ALLOW: allowPortOf(openai.url, gemini.url),
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await openai?.close();
    await gemini?.close();
  });
  beforeEach(async () => {
    openai.reset();
    gemini.reset();
    key = (await server.account(100)).apiKey;
  });

  const generate = (body: Record<string, unknown>) =>
    api(server.url, 'POST', '/v1/images/generations', {
      key,
      body: { prompt: 'a lighthouse', response_format: 'url', ...body },
    });

  it('lists no model whose upstream id is gone without a policy that answers for it', async () => {
    const { body } = await api<{ data: Array<Record<string, unknown>> }>(
      server.url,
      'GET',
      '/v1/models',
    );
    const byId = new Map(body.data.map((m) => [m.id as string, m]));
    const retired = body.data.filter((m) => m.status === 'retired').map((m) => m.id);
    expect(retired.sort()).toEqual(
      [
        'dall-e-2',
        'dall-e-3',
        'gemini-3-pro-image-preview',
        'gemini-3.1-flash-image-preview',
        'gpt-image-1',
        'gpt-image-1-mini',
        'gpt-image-1.5',
        'imagen-4.0-fast-generate-001',
        'imagen-4.0-generate-001',
        'imagen-4.0-ultra-generate-001',
      ].sort(),
    );
    for (const model of body.data.filter((m) => m.status === 'retired')) {
      expect(model.source, String(model.id)).toMatch(/^https:\/\//);
      expect(byId.has(model.replacement as string), String(model.id)).toBe(true);
      if (model.after_shutdown === 'redirect') {
        expect(byId.get(model.served_by as string)?.status, String(model.id)).toBe('active');
      } else {
        expect(model).toMatchObject({ served_by: null, available: false });
      }
    }
    // Every other model's upstream id is one the fakes serve today.
    const live = body.data.filter((m) => m.status !== 'retired' && m.provider !== 'local');
    for (const model of live.filter((m) => m.provider === 'openai' || m.provider === 'gemini')) {
      const res = await generate({ model: model.id });
      expect(res.status, `${String(model.id)}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    expect(byId.get('nano-banana-2')).toBeUndefined();
    expect(byId.get('gemini-3.1-flash-image')).toMatchObject({ aliases: ['nano-banana-2'] });
    expect(byId.get('gemini-3-pro-image')).toMatchObject({ aliases: ['nano-banana-pro'] });
  });

  it('gpt-image-1.5 and gpt-image-1 keep working, served by gpt-image-2.6-flare at its price', async () => {
    for (const [model, sunset] of [
      ['gpt-image-1.5', 'Tue, 01 Dec 2026 00:00:00 GMT'],
      ['gpt-image-1', 'Fri, 23 Oct 2026 00:00:00 GMT'],
    ]) {
      const res = await generate({ model, quality: 'medium' });
      expect(res.status, model).toBe(200);
      expect(res.body.model, model).toBe('gpt-image-2.6-flare');
      expect(res.body.billing, model).toEqual({ images: 1, credits: 4 });
      expect(res.headers.get('sunset'), model).toBe(sunset);
      expect(res.headers.get('link'), model).toBe(
        '</v1/models/gpt-image-2.6-flare>; rel="successor-version"',
      );
    }
    expect(openai.requests.map((r) => r.body?.model)).toEqual([
      'gpt-image-2.6-flare',
      'gpt-image-2.6-flare',
    ]);
  });

  it('the nano-banana aliases and the preview ids are served by the GA models', async () => {
    for (const [model, served] of [
      ['nano-banana-2', 'gemini-3.1-flash-image'],
      ['nano-banana-pro', 'gemini-3-pro-image'],
      ['gemini-3.1-flash-image-preview', 'gemini-3.1-flash-image'],
      ['gemini-3-pro-image-preview', 'gemini-3-pro-image'],
      ['nano-banana', 'gemini-2.5-flash-image'],
    ]) {
      const res = await generate({ model });
      expect(res.status, model).toBe(200);
      expect(res.body.model, model).toBe(served);
    }
    expect(gemini.requests.map((r) => r.path)).toEqual([
      '/v1beta/models/gemini-3.1-flash-image:generateContent',
      '/v1beta/models/gemini-3-pro-image:generateContent',
      '/v1beta/models/gemini-3.1-flash-image:generateContent',
      '/v1beta/models/gemini-3-pro-image:generateContent',
      '/v1beta/models/gemini-2.5-flash-image:generateContent',
    ]);
  });

  it('dall-e-3, gpt-image-1-mini and Imagen 4 answer 410 model_retired without a call', async () => {
    for (const [model, replacement] of [
      ['dall-e-3', 'gpt-image-2.6-flare'],
      ['gpt-image-1-mini', 'gpt-image-2.6-flare'],
      ['imagen-4.0-generate-001', 'gemini-3.1-flash-image'],
    ]) {
      const res = await generate({ model });
      expect(res.status, model).toBe(410);
      expect(res.body.error, model).toMatchObject({ code: 'model_retired', param: 'model' });
      expect((res.body.error as { message: string }).message).toContain(`'${replacement}'`);
    }
    expect(openai.requests).toHaveLength(0);
    expect(gemini.requests).toHaveLength(0);
    const account = await api(server.url, 'GET', '/v1/account', { key });
    expect(account.body).toMatchObject({ balance: 100, held: 0 });
  });

  it('the fakes refuse shut-down ids as the providers do: 404 model_not_found / NOT_FOUND', async () => {
    for (const model of ['gpt-image-1', 'gpt-image-1.5', 'gpt-image-1-mini', 'dall-e-3']) {
      const res = await fetch(`${openai.url}/images/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${openai.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, prompt: 'x' }),
      });
      expect(res.status, model).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'model_not_found',
      );
    }
    for (const model of ['gemini-3-pro-image-preview', 'gemini-3.1-flash-image-preview']) {
      const res = await fetch(`${gemini.url}/v1beta/models/${model}:generateContent`, {
        method: 'POST',
        headers: { 'x-goog-api-key': FAKE_GEMINI_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }] }),
      });
      expect(res.status, model).toBe(404);
      expect(((await res.json()) as { error: { status: string } }).error.status).toBe('NOT_FOUND');
    }
  });
});
