import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasChromium, screenshot, seriousViolations, type Browser } from './helpers/browser.js';
import { startFakeOpenAI } from './fakes/openai/server.js';
import { eventually } from './helpers/tasks.js';
import {
  openSection,
  person,
  signUpInBrowser,
  startServerAndBrowser,
} from './helpers/dashboard.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

// Browsers report refused fetches (a 401 before sign-in) as console errors; those are expected
// where a test opens a page signed out.
const pageErrors = (errors: string[]) =>
  errors.filter((e) => !e.includes('Failed to load resource'));
describe.skipIf(!hasChromium())('dashboard in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let apiMerged = false;

  beforeEach(async () => {
    ({ server, browser, apiMerged } = await startServerAndBrowser());
  });
  afterEach(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is served at /dashboard and every path under it, linked from the site header', async () => {
    const { page, errors } = await browser.open(`${server.url}/`);
    const header = page.getByRole('navigation', { name: 'Main' });
    await expect(header.getByRole('link', { name: 'Sign in' }).getAttribute('href')).resolves.toBe(
      '/dashboard/sign-in',
    );
    await expect(
      header.getByRole('link', { name: 'Dashboard' }).getAttribute('href'),
    ).resolves.toBe('/dashboard');
    expect(errors).toEqual([]);

    for (const path of ['/dashboard', '/dashboard/usage', '/dashboard/tasks/task_x/deep']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const html = await response.text();
      expect(html).toContain('<div id="dashboard"></div>');
      expect(html).toMatch(/<script type="module" src="\/assets\/dashboard-[\w-]+\.js">/);
      expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/[\w-]+\.css">/);
    }
    const invite = await fetch(`${server.url}/invite?token=abc`, { redirect: 'manual' });
    expect(invite.status).toBe(302);
    expect(invite.headers.get('location')).toBe('/dashboard/invite?token=abc');

    const signIn = await browser.open(`${server.url}/dashboard/sign-in`);
    await signIn.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signIn.page.getByLabel('Email').focus();
    await signIn.page.keyboard.press('Tab');
    await expect(signIn.page.evaluate('document.activeElement.getAttribute("type")')).resolves.toBe(
      'password',
    );
    await screenshot(signIn.page, 'dashboard-sign-in');
    expect(await seriousViolations(signIn.page)).toEqual([]);
    expect(signIn.errors).toEqual([]);
  });

  it('sends a signed-out visitor to sign in', async (ctx) => {
    if (!apiMerged) ctx.skip();
    const { page, errors } = await browser.open(`${server.url}/dashboard/keys`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    expect(pageErrors(errors)).toEqual([]);
  });

  it('a person signs up, creates a key, uses it, sees the usage, tries the playground, revokes the key', async (ctx) => {
    if (!apiMerged) ctx.skip();
    const ada = person('Ada');
    const page = await signUpInBrowser(browser, `${server.url}/dashboard/sign-up`, ada);
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await expect
      .poll(() => page.getByTestId('balances').innerText())
      .toMatch(/Available credits\s+10\s/);
    await screenshot(page, 'dashboard-overview-new');
    expect(await seriousViolations(page)).toEqual([]);

    // A key, its secret shown once. The dialog opens and closes from the keyboard.
    await openSection(page, 'API keys');
    await page.getByRole('button', { name: 'Create key' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // Focus goes back to the button that opened the dialog.
    await expect.poll(() => page.evaluate('document.activeElement.textContent')).toBe('Create key');
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('laptop');
    await dialog.getByLabel('Requests per minute').fill('30');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const secret = (await dialog.getByLabel('API key secret').innerText()).trim();
    expect(secret).toMatch(/^sk_pix_/);
    await screenshot(page, 'dashboard-keys-secret');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(await page.locator('tbody').innerText()).not.toContain(secret);
    await screenshot(page, 'dashboard-keys');

    // The key works from code, and the call shows up in the usage log with its image.
    const generated = await api(server.url, 'POST', '/v1/images/generations', {
      key: secret,
      body: { model: 'local-placeholder', prompt: 'a lighthouse', size: '64x64' },
    });
    expect(generated.status).toBe(200);
    const requestId = generated.headers.get('x-request-id')!;
    await openSection(page, 'Usage');
    const row = page.locator(`tr[data-request="${requestId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('local-placeholder');
    await row.getByRole('button', { name: `Details of ${requestId}` }).click();
    const drawer = page.getByRole('dialog', { name: 'Request details' });
    const thumbnail = drawer.getByRole('img', { name: `Output 1 of ${requestId}` });
    await thumbnail.waitFor();
    await expect
      .poll(() =>
        thumbnail.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(0);
    await screenshot(page, 'dashboard-usage-drawer');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await screenshot(page, 'dashboard-usage');

    // Lookup by request id, and a filter that matches nothing.
    await page.getByLabel('Request or task id').fill(requestId);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No request matches these filters.').waitFor();
    await page.getByLabel('Status').selectOption('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await row.waitFor();

    // The CSV export of the log, with the session cookie the page has.
    const href = await page.getByRole('link', { name: /Export CSV/ }).getAttribute('href');
    const csv = await page.request.get(`${server.url}${href}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(requestId);

    // The playground: one run, one charge.
    const before = await api<{ balance: number }>(server.url, 'GET', '/v1/account', {
      key: secret,
    });
    const usageBefore = await api<{ data: unknown[] }>(server.url, 'GET', '/v1/usage', {
      key: secret,
    });
    await openSection(page, 'Playground');
    await page.getByLabel('Model', { exact: true }).selectOption('local-placeholder');
    await page.getByLabel('Prompt').fill('a red fox in the snow');
    await expect
      .poll(() => page.getByTestId('estimate').innerText())
      .toContain('Costs at most 1 credit ');
    await page.getByRole('button', { name: 'Generate' }).click();
    const result = page.getByRole('img', { name: 'Result 1' });
    await result.waitFor({ timeout: 30_000 });
    await expect
      .poll(() =>
        result.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(0);
    await expect(page.getByRole('link', { name: 'Download' }).count()).resolves.toBe(1);
    expect(await page.getByLabel('curl code').innerText()).toContain('/v1/images/generations');
    await screenshot(page, 'dashboard-playground');
    expect(await seriousViolations(page)).toEqual([]);
    const after = await api<{ balance: number }>(server.url, 'GET', '/v1/account', { key: secret });
    expect(before.body.balance - after.body.balance).toBe(1);
    // The estimate's available credits follow the run.
    await expect
      .poll(() => page.getByTestId('estimate').innerText())
      .toContain(`You have ${after.body.balance} credits available`);
    const usageAfter = await api<{ data: unknown[] }>(server.url, 'GET', '/v1/usage', {
      key: secret,
    });
    expect(usageAfter.body.data.length - usageBefore.body.data.length).toBe(1);

    // An edit of an uploaded image.
    await page.getByRole('tab', { name: 'Edit' }).click();
    await page.getByLabel('Model', { exact: true }).selectOption('local-placeholder');
    const png = await sharp({
      create: { width: 64, height: 64, channels: 3, background: '#88aaff' },
    })
      .png()
      .toBuffer();
    await page.getByLabel('Upload images').setInputFiles({
      name: 'input.png',
      mimeType: 'image/png',
      buffer: png,
    });
    await page.getByLabel('Prompt').fill('make it snow');
    await expect
      .poll(() => page.getByTestId('estimate').innerText())
      .toContain('Costs at most 1 credit ');
    await page.getByRole('button', { name: 'Edit image' }).click();
    await page.getByRole('img', { name: 'Result 1' }).waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('curl code').innerText()).toContain('image[]=@input.png');
    await screenshot(page, 'dashboard-playground-edit');

    // The overview now has a day of usage in its chart.
    await openSection(page, 'Overview');
    await page.getByRole('list', { name: 'Models' }).waitFor();
    await screenshot(page, 'dashboard-overview');
    expect(await seriousViolations(page)).toEqual([]);

    // Revoked after a confirmation, the key is refused.
    await openSection(page, 'API keys');
    await page.getByRole('button', { name: 'Revoke laptop' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this key?' });
    await screenshot(page, 'dashboard-keys-revoke');
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('tbody').innerText()).toContain('revoked');
    const refused = await api(server.url, 'POST', '/v1/images/generations', {
      key: secret,
      body: { model: 'local-placeholder', prompt: 'again' },
    });
    expect(refused.status).toBe(401);

    await openSection(page, 'Tasks');
    await screenshot(page, 'dashboard-tasks');
    expect(await seriousViolations(page)).toEqual([]);
    await openSection(page, 'Settings');
    await page.getByRole('button', { name: 'Reveal' }).click();
    expect(await page.getByLabel('Webhook secret').innerText()).toMatch(/^whsec_/);
    await screenshot(page, 'dashboard-settings');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 800 });
    await openSection(page, 'Overview');
    await screenshot(page, 'dashboard-overview-phone');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(pageErrors(errors)).toEqual([]);
  });
  it('the playground shows partial images of a model that streams, then the final one', async (ctx) => {
    if (!apiMerged) ctx.skip();
    const openai = await startFakeOpenAI();
    const streaming = await startTestServer({
      env: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.url },
    });
    try {
      const page = await signUpInBrowser(
        browser,
        `${streaming.url}/dashboard/sign-up`,
        person('Sam'),
      );
      await openSection(page, 'Playground');
      await page.getByLabel('Model', { exact: true }).selectOption('gpt-image-2.6-flare');
      await page.getByLabel('Quality').selectOption('low');
      await page.getByLabel('Prompt').fill('a lighthouse at dawn');
      await page.getByTestId('estimate').waitFor();
      // The final image comes a while after the partial ones, so the page shows them first.
      openai.script({ type: 'stream_slow', ms: 1_500 });
      await page.getByRole('button', { name: 'Generate' }).click();
      await page.getByRole('img', { name: 'Partial image 1' }).waitFor();
      await screenshot(page, 'dashboard-playground-partial');
      await page.getByRole('img', { name: 'Result 1' }).waitFor({ timeout: 30_000 });
      expect(openai.requests.at(-1)?.body).toMatchObject({ stream: true });
    } finally {
      await streaming.close();
      await openai.close();
    }
  });

  it('tasks: the list, a task with its result and webhook deliveries, redelivery', async (ctx) => {
    if (!apiMerged) ctx.skip();
    const receiver = await startHookReceiver();
    const hooked = await startTestServer({ env: { PIXAPI_OUTBOUND_ALLOW: receiver.host } });
    try {
      const page = await signUpInBrowser(browser, `${hooked.url}/dashboard/sign-up`, person('Tom'));
      const csrf = (await browser.context.cookies()).find((c) => c.name === 'pixapi_csrf')!.value;
      const created = await page.request.post(`${hooked.url}/v1/keys`, {
        headers: { 'x-pixapi-csrf': csrf, origin: hooked.url },
        data: { name: 'worker' },
      });
      const { key } = (await created.json()) as { key: string };
      const submitted = await api<{ id: string }>(
        hooked.url,
        'POST',
        '/v1/async/images/generations',
        {
          key,
          body: {
            model: 'local-placeholder',
            prompt: 'a harbour',
            size: '64x64',
            webhook_url: receiver.url,
          },
        },
      );
      expect(submitted.status).toBe(202);
      const taskId = submitted.body.id;
      await eventually(async () => (receiver.received.length === 1 ? true : undefined));

      await openSection(page, 'Tasks');
      const row = page.locator(`tr[data-task="${taskId}"]`);
      await expect.poll(() => row.innerText(), { timeout: 15_000 }).toContain('completed');
      await row.getByRole('link', { name: taskId }).click();
      const drawer = page.getByRole('dialog', { name: `Task ${taskId}` });
      await drawer.getByRole('img', { name: `Image 1 of ${taskId}` }).waitFor();
      await expect
        .poll(() => drawer.getByRole('table', { name: 'Webhook deliveries' }).innerText())
        .toContain('200');
      await screenshot(page, 'dashboard-task');
      expect(await seriousViolations(page)).toEqual([]);
      await drawer.getByRole('button', { name: 'Redeliver' }).click();
      await drawer.getByText('A new delivery is scheduled.').waitFor();
      await eventually(async () => (receiver.received.length === 2 ? true : undefined));
    } finally {
      await hooked.close();
      await receiver.close();
    }
  });
});

/** A webhook receiver on loopback that answers 200 and keeps what it got. */
async function startHookReceiver() {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    host: `127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
