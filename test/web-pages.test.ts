import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
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
    const count = (await server.services.catalog.list()).length;
    await expect(rows.count()).resolves.toBe(count);
    expect(await page.locator('tr[data-model="gpt-image-1.5"]').innerText()).toContain(
      'from 1 credit / image',
    );
    await page.getByLabel('Provider').selectOption('gemini');
    await expect.poll(() => rows.count()).toBe(3);
    expect(page.url()).toContain('provider=gemini');
    await page.getByLabel('Search').fill('pro');
    await expect.poll(() => rows.count()).toBe(1);
    await expect(page.locator('tbody tr').innerText()).resolves.toContain('Nano Banana Pro');
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
});
