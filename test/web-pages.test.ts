import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../src/http/openapi/operations.js';
import {
  hasChromium,
  launchBrowser,
  screenshot,
  seriousViolations,
  type Browser,
} from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// The pages must be complete without JavaScript; the browser checks the rendered result,
// console errors (hydration mismatches show there) and accessibility.
describe.skipIf(!hasChromium())('public pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-web-'));
  const catalog = path.join(dir, 'catalog.yaml');
  fs.writeFileSync(
    catalog,
    [
      'models:',
      '  - id: house-sdxl',
      '    name: House SDXL',
      '    description: Our own SDXL server.',
      '    owned_by: acme',
      '    capabilities: [text-to-image]',
      '    routes: [{ provider: openai-compatible, model: sdxl }]',
      '    sizes: { auto: 1024x1024, list: [{ size: 1024x1024, tier: base }] }',
      '    qualities: [auto]',
      '    pricing: { rules: [{ credits: 0.5 }] }',
      '    page:',
      '      features: [{ en: Trained on our product photos., es: Entrenado con nuestras fotos. }]',
      '      faq: [{ q: Who runs it?, a: { en: Our platform team., es: Nuestro equipo. } }]',
      '    status: deprecated',
      '    deprecated_at: 2026-01-15',
      '    shutdown_date: 2099-06-30',
      '    replacement: local-placeholder',
      '    after_shutdown: redirect',
    ].join('\n'),
  );

  beforeAll(async () => {
    server = await startTestServer({ env: { PIXAPI_CATALOG: catalog } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('landing page: what Pixapi is, featured models, quick start', async () => {
    const { page, errors } = await browser.open(`${server.url}/`);
    await expect(page.title()).resolves.toContain('Pixapi');
    const main = await page.locator('main').innerText();
    expect(main).toContain('OpenAI-compatible');
    expect(main).toContain('Local placeholder');
    expect(await page.locator('#quick-start pre').innerText()).toContain('/v1/images/generations');
    await screenshot(page, 'landing');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('catalog: every model with its price, filtered as the visitor types', async () => {
    const { page, errors } = await browser.open(`${server.url}/models`);
    const rows = page.locator('tbody tr');
    const count = server.services.catalog.list().length;
    await expect(rows.count()).resolves.toBe(count);
    expect(await page.locator('tr[data-model="gpt-image-1.5"]').innerText()).toContain(
      'from 1 credit / image',
    );
    // A model going away carries its state in the list, not only on its page.
    expect(await page.locator('tr[data-model="dall-e-3"]').innerText()).toContain('Retired');
    expect(await page.locator('tr[data-model="gpt-image-1"]').innerText()).toContain(
      'Retired: served by its successor',
    );
    expect(await page.locator('tr[data-model="gpt-image-2"]').innerText()).not.toMatch(
      /Retired|Deprecated/,
    );
    await screenshot(page, 'catalog-lifecycle-badges');
    const gemini = server.services.catalog.list().filter((m) => m.routes[0]!.provider === 'gemini');
    await page.getByLabel('Provider').selectOption('gemini');
    await expect.poll(() => rows.count()).toBe(gemini.length);
    expect(page.url()).toContain('provider=gemini');
    await page.getByLabel('Search').fill('gemini-3-pro-image-preview');
    await expect.poll(() => rows.count()).toBe(1);
    await expect(page.locator('tbody tr').innerText()).resolves.toContain(
      'Nano Banana Pro preview',
    );
    await screenshot(page, 'catalog-filtered');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('catalog on a phone, filtered from the query string', async () => {
    const { page, errors } = await browser.open(`${server.url}/models?capability=image-to-image`, {
      width: 390,
    });
    const rows = await page.locator('tbody tr').all();
    const ids = await Promise.all(rows.map((row) => row.getAttribute('data-model')));
    expect(ids).toContain('flux-kontext-pro');
    expect(ids).not.toContain('flux-schnell');
    await screenshot(page, 'catalog-phone');
    expect(errors).toEqual([]);
  });

  it('model page: header, pricing, API facts, samples, FAQ, related, upgrade, availability', async () => {
    const { page, errors } = await browser.open(`${server.url}/models/gpt-image-1.5`);
    await expect(page.title()).resolves.toBe(
      'GPT Image 1.5 API: price, parameters and code samples',
    );
    const header = await page.locator('article header').innerText();
    for (const text of ['GPT Image 1.5', 'gpt-image-1.5', 'by openai', 'text rendering']) {
      expect(header).toContain(text);
    }
    expect(await page.getByTestId('starting-price').innerText()).toBe('from 1 credit / image');
    expect(header).toContain('set OPENAI_API_KEY');
    await expect(
      page.getByRole('link', { name: 'See GPT Image 2' }).getAttribute('href'),
    ).resolves.toBe('/models/gpt-image-2');
    const pricing = page.locator('#pricing');
    expect(await pricing.locator('tbody tr').count()).toBe(6);
    expect(await pricing.innerText()).toContain('Billed per successful output image');
    const facts = await page.locator('#api-facts dl').innerText();
    for (const text of [
      'POST /v1/images/generations',
      'POST /v1/async/images/generations',
      'POST /v1/images/edits',
      'POST /v1/async/images/edits',
      'model, prompt',
      'created, data[].url',
      '1536x1024',
      'auto, low, medium, high',
      'png, jpeg, webp',
    ]) {
      expect(facts).toContain(text);
    }
    expect(await page.locator('[data-sample]').count()).toBe(4);
    expect(await page.locator('#faq h3').count()).toBeGreaterThan(0);
    expect(await page.locator('#related li').count()).toBeGreaterThan(0);
    await screenshot(page, 'model-gpt-image-1.5');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('model page in Spanish from Accept-Language, on a phone', async () => {
    const { page, errors } = await browser.open(`${server.url}/models/gpt-image-1.5`, {
      locale: 'es-ES,es;q=0.9',
      width: 390,
    });
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    expect(await page.getByTestId('starting-price').innerText()).toBe('desde 1 crédito / imagen');
    expect(await page.locator('#pricing-title').innerText()).toBe('Precios');
    expect(await page.locator('#api-facts').innerText()).toContain('Campos obligatorios');
    await screenshot(page, 'model-gpt-image-1.5-es-phone');
    expect(errors).toEqual([]);
  });

  it('a PIXAPI_CATALOG model has its page, with its own texts per language', async () => {
    const { page, errors } = await browser.open(`${server.url}/models/house-sdxl?lang=es`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('desde 0.5 créditos / imagen');
    expect(text).toContain('Entrenado con nuestras fotos.');
    expect(text).toContain('Nuestro equipo.');
    expect(text).toContain('OPENAI_COMPATIBLE_BASE_URL');
    const banner = page.getByTestId('lifecycle');
    expect(await banner.innerText()).toContain('Fecha de cierre: 2099-06-30');
    await expect(
      banner.getByRole('link', { name: 'Pasar a Local placeholder' }).getAttribute('href'),
    ).resolves.toBe('/models/local-placeholder?lang=es');
    await screenshot(page, 'model-deprecated-es');
    expect(errors).toEqual([]);
  });

  it('aliases redirect to the canonical model page, keeping the language', async () => {
    const response = await fetch(`${server.url}/models/nano-banana?lang=es`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/models/gemini-2.5-flash-image?lang=es');
    const missing = await fetch(`${server.url}/models/no-such-model`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('text/html');
  });

  it('pages are complete without JavaScript: facts and head tags are in the HTML', async () => {
    const response = await fetch(`${server.url}/models/gpt-image-1.5`);
    const html = await response.text();
    const base = server.services.publicUrl();
    expect(html).toContain(`<link rel="canonical" href="${base}/models/gpt-image-1.5">`);
    expect(html).toContain('<meta property="og:title" content="GPT Image 1.5 API');
    expect(html).toContain('hreflang="es"');
    expect(html).toContain('POST /v1/images/generations');
    expect(response.headers.get('vary')).toContain('accept-language');
  });

  it('/docs renders the API reference from the OpenAPI document', async () => {
    const { page, errors } = await browser.open(`${server.url}/docs`);
    const operations = page.locator('.opblock');
    await operations.first().waitFor({ timeout: 15_000 });
    expect(await operations.count()).toBe(Object.keys(OPERATIONS).length);
    expect(await page.locator('.opblock-summary-path').allInnerTexts()).toContain(
      '/v1/images/generations',
    );
    await screenshot(page, 'docs');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
