import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe } from './fakes/stripe/server.js';
import {
  hasChromium,
  launchBrowser,
  screenshot,
  seriousViolations,
  type Browser,
} from './helpers/browser.js';
import { hasDashboardApi, openSection, person, signUpInBrowser } from './helpers/dashboard.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

/** A free loopback port, so that PIXAPI_PUBLIC_URL (Checkout's return address) can name it. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!hasChromium())('top-ups in the dashboard', () => {
  let stripe: FakeStripe;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    stripe = await startFakeStripe();
    const port = await freePort();
    server = await startTestServer({
      env: {
        PORT: String(port),
        PIXAPI_PUBLIC_URL: `http://127.0.0.1:${port}`,
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_BASE: stripe.origin,
        PIXAPI_CREDIT_PACKS: '100:5.00,1000:45.00',
        PIXAPI_CREDIT_CUSTOM_MIN: '50',
        PIXAPI_CREDIT_UNIT_PRICE: '0.06',
      },
    });
    stripe.webhookUrl = `${server.url}/v1/billing/stripe/webhook`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stripe?.close();
  });

  it('a person buys a pack through Checkout and sees the balance rise, redeems a code; billing lists both', async (ctx) => {
    if (!(await hasDashboardApi(server.url))) ctx.skip();
    const page = await signUpInBrowser(browser, `${server.url}/dashboard/sign-up`, person('Grace'));
    const errors: string[] = [];
    // The dashboard's own errors; the fake Checkout page has no favicon and is not under test.
    page.on('console', (m) => {
      const where = m.location().url;
      if (m.type() === 'error' && where.startsWith(server.url)) errors.push(`${m.text()} ${where}`);
    });
    const before = await page.evaluate(async () => {
      const r = await fetch('/v1/account');
      return ((await r.json()) as { balance: number }).balance;
    });

    await openSection(page, 'Add credits');
    await page.getByRole('list', { name: 'Credit packs' }).waitFor();
    await screenshot(page, 'dashboard-billing-add-credits');
    expect(await seriousViolations(page)).toEqual([]);

    // A custom amount shows the price Checkout then asks; canceled there, back on the page,
    // told that nothing was charged.
    await page.getByRole('spinbutton', { name: 'Credits' }).fill('251');
    await page.getByRole('button', { name: 'Pay 15.06 USD' }).click();
    await page.getByRole('heading', { name: 'Pay 15.06 USD' }).waitFor();
    await page.getByRole('link', { name: 'Cancel and go back' }).click();
    await page.getByText('The payment was canceled; nothing was charged.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/credits');

    await page.getByRole('button', { name: 'Buy 100 credits' }).click();
    await page.getByRole('heading', { name: 'Pay 5.00 USD' }).waitFor();
    expect(new URL(page.url()).origin).toBe(stripe.origin);
    await screenshot(page, 'dashboard-billing-stripe-checkout');
    await page.getByRole('button', { name: 'Pay 5.00 USD' }).click();

    await page.getByRole('heading', { name: 'Payment received' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/billing/result');
    await expect
      .poll(() => page.getByRole('status').first().innerText())
      .toContain('100 credits added for 5.00 USD');
    await expect
      .poll(() => page.getByText('Available credits').locator('..').innerText())
      .toContain(String(before + 100));
    await screenshot(page, 'dashboard-billing-result');
    expect(await seriousViolations(page)).toEqual([]);

    // A code from the admin, redeemed on the Add credits page.
    const code = await api<{ code: string }>(server.url, 'POST', '/v1/admin/codes', {
      key: server.adminKey,
      body: { credits: 7 },
    });
    await page.getByRole('link', { name: 'Add more credits' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add credits' }).waitFor();
    await page.getByRole('textbox', { name: 'Code' }).fill(code.body.code.toLowerCase());
    await page.getByRole('button', { name: 'Redeem' }).click();
    await page.getByText('7 credits added').waitFor();
    await expect
      .poll(() => page.getByText('Available credits').locator('..').innerText())
      .toContain(String(before + 107));
    await screenshot(page, 'dashboard-billing-redeemed');
    expect(await seriousViolations(page)).toEqual([]);

    await openSection(page, 'Billing');
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    const row = page.locator('tbody tr', { hasText: 'Payment' });
    await row.waitFor();
    expect(await row.innerText()).toContain('+100');
    expect(await page.locator('tbody tr', { hasText: 'Code redeemed' }).innerText()).toContain(
      '+7',
    );
    expect(await row.getByRole('link', { name: /Receipt/ }).getAttribute('href')).toMatch(
      new RegExp(`^${stripe.origin}/receipts/ch_test_`),
    );
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    const csv = await page.request.get(`${server.url}${href}`);
    expect(await csv.text()).toMatch(/,purchase,100,/);
    await screenshot(page, 'dashboard-billing-history');
    expect(await seriousViolations(page)).toEqual([]);

    expect(errors).toEqual([]);
  });

  it('without Stripe the page says so and offers the other ways, with no buy button', async (ctx) => {
    const plain = await startTestServer({ env: { PIXAPI_CREDIT_PACKS: '100:5.00' } });
    try {
      if (!(await hasDashboardApi(plain.url))) ctx.skip();
      const page = await signUpInBrowser(browser, `${plain.url}/dashboard/sign-up`, person('Alan'));
      await openSection(page, 'Add credits');
      await page
        .getByRole('heading', { name: 'Top-ups are not available on this server' })
        .waitFor();
      expect(await page.getByRole('button', { name: /Buy/ }).count()).toBe(0);
      expect(await page.getByRole('main').innerText()).toMatch(/ask the administrator/);
      await page.getByRole('button', { name: 'Redeem' }).waitFor();
      await screenshot(page, 'dashboard-billing-not-configured');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
