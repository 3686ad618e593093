import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './browser.js';
import { startTestServer, type TestServer } from './server.js';

export interface Person {
  name: string;
  email: string;
  password: string;
}

let people = 0;

export function person(name: string): Person {
  people += 1;
  return {
    name,
    email: `${name.toLowerCase()}-${people}@example.test`,
    password: `pw-${name}-12345`,
  };
}

/** Whether this server has the dashboard's JSON API (docs/dashboard-api.md). */
export async function hasDashboardApi(base: string): Promise<boolean> {
  const response = await fetch(`${base}/v1/auth/config`);
  return response.status === 200;
}

/** Signs up through the page, as a new visitor does, and waits for the overview. */
export async function signUpInBrowser(browser: Browser, url: string, who: Person): Promise<Page> {
  const { page } = await browser.open(url);
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  return page;
}

export async function signInInBrowser(browser: Browser, base: string, who: Person): Promise<Page> {
  const { page } = await browser.open(`${base}/dashboard/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  return page;
}

/** Opens a dashboard section from the side navigation (no reload). */
export async function openSection(page: Page, label: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Dashboard' })
    .getByRole('link', { name: label })
    .click();
  await page
    .getByRole('heading', { level: 1, name: label === 'API keys' ? 'API keys' : label })
    .waitFor();
}

/**
 * A fresh server and browser, as each dashboard browser test starts them; `apiMerged` says
 * whether the server has the dashboard's JSON API.
 */
export async function startServerAndBrowser(): Promise<{
  server: TestServer;
  browser: Browser;
  apiMerged: boolean;
}> {
  const server = await startTestServer();
  const browser = await launchBrowser();
  return { server, browser, apiMerged: await hasDashboardApi(server.url) };
}
