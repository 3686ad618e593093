import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/loader.js';
import { providerDefinitions } from '../src/providers/registry.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

const providers = providerDefinitions.map((p) => p.name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-catalog-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const target = path.join(tmp, name);
  fs.writeFileSync(target, text);
  return target;
}

describe('GET /v1/models', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        PIXAPI_CATALOG: file(
          'catalog.yaml',
          [
            'models:',
            '  - id: local-placeholder',
            '    pricing: { rules: [{ credits: 2 }] }',
            '  - id: house-sdxl',
            '    name: House SDXL',
            '    description: Our own SDXL box.',
            '    owned_by: acme',
            '    capabilities: [text-to-image]',
            '    routes: [{ provider: local, model: local-placeholder }]',
            '    sizes: { auto: 512x512, list: [{ size: 512x512, tier: base }] }',
            '    qualities: [auto]',
            '    pricing: { rules: [{ credits: 0.25 }] }',
          ].join('\n'),
        ),
      },
    });
  });
  afterAll(async () => server?.close());

  it('lists every model of the pricing table without a key, with availability', async () => {
    const res = await api<{ object: string; data: Array<Record<string, unknown>> }>(
      server.url,
      'GET',
      '/v1/models',
    );
    expect(res.status).toBe(200);
    expect(res.body.object).toBe('list');
    const ids = res.body.data.map((m) => m.id);
    for (const id of [
      'local-placeholder',
      'gpt-image-1.5',
      'gpt-image-2',
      'gpt-image-2.6-flare',
      'gpt-image-2.6-sunburst',
      'gemini-2.5-flash-image',
      'gemini-3.1-flash-image',
      'gemini-3-pro-image',
      'gemini-3.1-flash-image-preview',
      'gemini-3-pro-image-preview',
      'flux-2-pro',
      'house-sdxl',
    ]) {
      expect(ids).toContain(id);
    }
    const gpt = res.body.data.find((m) => m.id === 'gpt-image-2.6-flare')!;
    expect(gpt).toMatchObject({
      object: 'model',
      owned_by: 'openai',
      provider: 'openai',
      available: false,
      capabilities: ['text-to-image', 'image-to-image'],
      pricing: { unit: 'image', from_credits: 1 },
    });
    expect(gpt.endpoints).toContain('/v1/images/generations');
  });

  it('shows one model by id or alias, with docs', async () => {
    const res = await api(server.url, 'GET', '/v1/models/nano-banana');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'gemini-2.5-flash-image',
      required_fields: ['model', 'prompt'],
    });
    expect((res.body.docs as { examples: unknown[] }).examples.length).toBeGreaterThan(0);
    expect((await api(server.url, 'GET', '/v1/models/nope')).status).toBe(404);
  });

  it('applies the operator file: overridden price and an added model', async () => {
    const res = await api(server.url, 'POST', '/v1/images/generations', {
      key: server.adminKey,
      body: { model: 'local-placeholder', prompt: 'priced at two', size: '32x32' },
    });
    expect(res.body.billing).toEqual({ images: 1, credits: 2 });
    const added = await api(server.url, 'POST', '/v1/images/generations', {
      key: server.adminKey,
      body: { model: 'house-sdxl', prompt: 'cheap' },
    });
    expect(added.status).toBe(200);
    expect(added.body.billing).toEqual({ images: 1, credits: 0.25 });
  });

  it('answers 503 provider_not_configured naming the variable, charging nothing', async () => {
    for (const [model, variable] of [
      ['gpt-image-2.6-flare', 'OPENAI_API_KEY'],
      ['nano-banana-pro', 'GEMINI_API_KEY'],
      ['flux-2-pro', 'BFL_API_KEY'],
    ]) {
      const res = await api(server.url, 'POST', '/v1/images/generations', {
        key: server.adminKey,
        body: { model, prompt: 'x' },
      });
      expect(res.status).toBe(503);
      expect((res.body as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'provider_not_configured',
      });
      expect((res.body as { error: { message: string } }).error.message).toContain(variable);
    }
  });
});

describe('PIXAPI_CATALOG validation', () => {
  const load =
    (text: string, ext = 'yaml') =>
    () =>
      loadCatalog({ file: file(`c${Math.random()}.${ext}`, text), providers });

  it('names the file and the field of each mistake', () => {
    expect(
      load('models: [{ id: local-placeholder, pricing: { rules: [{ credits: -1 }] } }]'),
    ).toThrow(/models\[0\]\.pricing\.rules\.0\.credits/);
    expect(load('models: [{ id: new-model }]')).toThrow(/models\[0\]\.name/);
    expect(
      load('models: [{ id: local-placeholder, routes: [{ provider: nowhere, model: x }] }]'),
    ).toThrow(/unknown provider "nowhere"/);
    expect(load('models: [{ id: local-placeholder, aliases: [nano-banana] }]')).toThrow(
      /already the id or alias/,
    );
    expect(load('models: [{ id: local-placeholder, sizes: { auto: 7x7 } }]')).toThrow(
      /sizes\.auto/,
    );
    expect(load('{ "models": 3 }', 'json')).toThrow(/PIXAPI_CATALOG/);
    expect(load('models: [ { id: x', 'yaml')).toThrow(/not valid YAML/);
    expect(() => loadCatalog({ file: path.join(tmp, 'missing.yaml'), providers })).toThrow(
      /cannot read/,
    );
    expect(
      load('models: [{ id: local-placeholder, pricing: { rules: [{ tier: [x], credits: 1 }] } }]'),
    ).toThrow(/last pricing rule/);
  });

  it('refuses to start a server with a broken catalog', async () => {
    await expect(
      startTestServer({ env: { PIXAPI_CATALOG: file('bad.yaml', 'models: [{ id: 1 }]') } }),
    ).rejects.toThrow(/PIXAPI_CATALOG/);
  });
});
