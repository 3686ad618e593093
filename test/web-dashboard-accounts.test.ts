import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  hasChromium,
  launchBrowser,
  screenshot,
  seriousViolations,
  type Browser,
} from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import {
  openSection,
  person,
  signInInBrowser,
  signUpInBrowser,
  startServerAndBrowser,
} from './helpers/dashboard.js';
import type { TestServer } from './helpers/server.js';

describe.skipIf(!hasChromium())('dashboard accounts in a browser: members and credits', () => {
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

  it('an owner invites a viewer, who sees usage but cannot create keys', async (ctx) => {
    if (!apiMerged) ctx.skip();
    const owner = await signUpInBrowser(browser, `${server.url}/dashboard/sign-up`, person('Olga'));
    await openSection(owner, 'Settings');
    const victor = person('Victor');
    const invite = owner.getByRole('form', { name: 'Invite a member' });
    await invite.getByLabel('Email').fill(victor.email);
    await invite.getByLabel('Role').selectOption('viewer');
    await invite.getByRole('button', { name: 'Invite' }).click();
    const link = (await owner.getByLabel('Invite link').innerText()).trim();
    expect(link).toContain('/invite?token=');
    await screenshot(owner, 'dashboard-settings-invite');

    const other = await launchBrowser();
    try {
      const viewer = await signUpInBrowser(
        other,
        link.replace(/^https?:\/\/[^/]+/, server.url),
        victor,
      );
      expect(await viewer.getByRole('banner').innerText()).toContain('viewer');
      await openSection(viewer, 'Usage');
      await viewer.getByText('No requests yet.').waitFor();
      await openSection(viewer, 'API keys');
      await expect(viewer.getByRole('button', { name: 'Create key' }).count()).resolves.toBe(0);
      expect(await viewer.getByRole('main').innerText()).toContain('viewer');
      await screenshot(viewer, 'dashboard-keys-viewer');
      expect(await seriousViolations(viewer)).toEqual([]);
      // The server refuses it too, not only the page.
      const csrf = (await other.context.cookies()).find((c) => c.name === 'pixapi_csrf')!.value;
      const refused = await viewer.request.post(`${server.url}/v1/keys`, {
        headers: { 'x-pixapi-csrf': csrf, origin: server.url },
        data: { name: 'nope' },
      });
      expect(refused.status()).toBe(403);
    } finally {
      await other.close();
    }
  });

  it('a site admin grants credits and the member sees the new balance without reloading', async (ctx) => {
    if (!apiMerged) ctx.skip();
    const mia = person('Mia');
    const member = await signUpInBrowser(browser, `${server.url}/dashboard/sign-up`, mia);
    await expect.poll(() => member.getByTestId('top-balance').innerText()).toBe('10 credits');

    const root = person('Root');
    const cli = await runCli(['admin', 'set-password', '--email', root.email], {
      PIXAPI_DATA_DIR: server.dataDir,
      PIXAPI_PASSWORD: root.password,
      PIXAPI_LOG_LEVEL: 'silent',
    });
    expect(cli.code).toBe(0);
    const other = await launchBrowser();
    try {
      const admin = await signInInBrowser(other, server.url, root);
      await openSection(admin, 'Admin');
      await admin.getByLabel('Search accounts').fill(mia.email);
      await admin.getByRole('button', { name: 'Search' }).click();
      await admin.locator('tbody tr').first().waitFor();
      await expect(admin.locator('tbody tr').count()).resolves.toBe(1);
      await screenshot(admin, 'dashboard-admin');
      expect(await seriousViolations(admin)).toEqual([]);
      await admin.getByRole('button', { name: /^Grant or deduct credits/ }).click();
      const dialog = admin.getByRole('dialog');
      await dialog.getByLabel('Amount (credits)').fill('25');
      await dialog.getByLabel('Note').fill('welcome bonus');
      await screenshot(admin, 'dashboard-admin-grant');
      await dialog.getByRole('button', { name: 'Grant' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => admin.locator('tbody tr').first().innerText()).toContain('35');

      await admin.getByRole('tab', { name: 'Provider routes' }).click();
      await admin.getByRole('table', { name: 'Provider routes' }).waitFor();
      await screenshot(admin, 'dashboard-admin-routes');
      expect(await seriousViolations(admin)).toEqual([]);
      await admin.getByRole('tab', { name: 'All usage' }).click();
      await admin.getByText('No requests yet.').waitFor();
      await screenshot(admin, 'dashboard-admin-usage');
    } finally {
      await other.close();
    }
    // No reload: the member's page polls its balance.
    await expect
      .poll(() => member.getByTestId('top-balance').innerText(), { timeout: 15_000 })
      .toBe('35 credits');
    await expect(
      member
        .getByRole('navigation', { name: 'Dashboard' })
        .getByRole('link', { name: 'Admin' })
        .count(),
    ).resolves.toBe(0);
  });
});
