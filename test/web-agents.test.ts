import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

// What agents and crawlers read: Markdown twins, llms.txt and the sitemap.
let server: TestServer;
let base: string;

beforeAll(async () => {
  server = await startTestServer();
  base = server.services.publicUrl();
});
afterAll(async () => server?.close());

const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
  return { response, body: await response.text() };
};

describe('pages for agents', () => {
  it('/models/{id}.md is the Markdown twin of the model page, in the page language', async () => {
    const { response, body } = await get('/models/gpt-image-1.5.md');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(body).toMatch(/^# GPT Image 1\.5 \(`gpt-image-1\.5`\)/);
    for (const text of [
      'from 1 credit / image',
      '| low | 1K (1024x1024) | 1 |',
      '| any other | any other | 21 |',
      '`POST /v1/async/images/generations`',
      '**Required request fields**: `model`, `prompt`',
      '```python',
      'set OPENAI_API_KEY',
      '[gpt-image-2](/models/gpt-image-2.md)',
    ]) {
      expect(body).toContain(text);
    }
    const spanish = await get('/models/gpt-image-1.5.md', { 'accept-language': 'es' });
    expect(spanish.body).toContain('desde 1 crédito / imagen');
    expect(spanish.body).toContain('## Precios');

    const alias = await get('/models/nano-banana.md');
    expect(alias.response.status).toBe(301);
    expect(alias.response.headers.get('location')).toBe('/models/gemini-2.5-flash-image.md');
  });

  it('/llms.txt lists every model page and the API reference (llmstxt.org format)', async () => {
    const { response, body } = await get('/llms.txt');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(body).toMatch(/^# Pixapi\n\n> /);
    expect(body).toContain(`- [OpenAPI 3.1 document](${base}/openapi.json)`);
    for (const model of server.services.catalog.list()) {
      expect(body).toContain(`](${base}/models/${model.id}.md)`);
    }
    expect(body).toContain('## Optional');
  });

  it('sitemap.xml lists every page with its Spanish alternate; robots.txt points to it', async () => {
    const { response, body } = await get('/sitemap.xml');
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const locs = [...body.matchAll(/<loc>(.*?)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toEqual([
      `${base}/`,
      `${base}/models`,
      ...server.services.catalog.list().map((m) => `${base}/models/${m.id}`),
    ]);
    expect(body).toContain(`hreflang="es" href="${base}/models/flux-dev?lang=es"`);
    expect((await get('/robots.txt')).body).toContain(`Sitemap: ${base}/sitemap.xml`);
  });
});
