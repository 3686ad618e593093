import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';
import { validateAgainst } from './openai-schemas.js';
import { api, startTestServer, type ApiResponse, type TestServer } from './server.js';

/**
 * Shared steps of the provider end-to-end tests (test/providers): the real Pixapi server in
 * front of a fake provider on 127.0.0.1, driven over HTTP as a client would.
 */

export type Body = Record<string, unknown>;

/** A new Pixapi with `env`; each test gets its own, so that route breakers never carry over. */
export function startPixapi(env: Record<string, string>): Promise<TestServer> {
  return startTestServer({ env });
}

/** The `PIXAPI_OUTBOUND_ALLOW` entry that exempts exactly the port of a fake's URL. */
export function allowPortOf(...urls: string[]): string {
  return urls.map((u) => `127.0.0.1:${new URL(u).port}`).join(',');
}

const catalogDirs: string[] = [];

/** A model of a `PIXAPI_CATALOG` file: each field is written as `key: value`, the value as YAML. */
export type CatalogModel = { id: string } & Record<string, string>;

/** Writes a `PIXAPI_CATALOG` file listing `models` and returns its path. */
export function writeCatalog(models: CatalogModel[]): string {
  const lines = models.flatMap(({ id, ...fields }) => [
    `  - id: ${id}`,
    ...Object.entries(fields).map(([field, value]) => `    ${field}: ${value}`),
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-catalog-'));
  catalogDirs.push(dir);
  const file = path.join(dir, 'catalog.yaml');
  fs.writeFileSync(file, ['models:', ...lines].join('\n'));
  return file;
}

/** Removes the catalog files written by this test file. */
export function removeCatalogs(): void {
  for (const dir of catalogDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function generate(server: TestServer, key: string, body: Body): Promise<ApiResponse> {
  return api(server.url, 'POST', '/v1/images/generations', { key, body });
}

export async function balanceOf(server: TestServer, key: string): Promise<number> {
  const res = await api(server.url, 'GET', '/v1/account', { key });
  expect(res.status).toBe(200);
  return res.body.balance as number;
}

/** Checks the account's balance: `before - credits`, to the millicredit. */
export async function expectCharged(
  server: TestServer,
  key: string,
  before: number,
  credits: number,
): Promise<void> {
  const after = await balanceOf(server, key);
  expect(Math.round((before - after) * 1000)).toBe(Math.round(credits * 1000));
  const account = await api(server.url, 'GET', '/v1/account', { key });
  expect(account.body.held).toBe(0);
}

/** The newest usage record of the key's account. */
export async function lastUsage(server: TestServer, key: string): Promise<Body> {
  const res = await api<{ data: Body[] }>(server.url, 'GET', '/v1/usage?limit=1', { key });
  expect(res.status).toBe(200);
  expect(res.body.data.length).toBe(1);
  return res.body.data[0]!;
}

/** API.md's error table: the `type` that goes with each status. */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  402: 'insufficient_credits',
  502: 'upstream_error',
  503: 'service_unavailable',
  504: 'upstream_error',
};

/**
 * An error in OpenAI's shape (plus Pixapi's request id) with this status and code. Every
 * provider failure these tests provoke is final (a safety refusal, an operator problem, or
 * retries already spent), so it also carries `x-should-retry: false`.
 */
export function expectOpenAIError(res: ApiResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(validateAgainst('ErrorResponse', res.body)).toEqual([]);
  const error = (res.body as { error: Body }).error;
  expect(error.code).toBe(code);
  expect(error.type).toBe(ERROR_TYPES[status]);
  expect(typeof error.message).toBe('string');
  expect(error.request_id).toBe(res.headers.get('x-request-id'));
  expect(res.headers.get('x-should-retry')).toBe('false');
}

export interface FetchedAsset {
  contentType: string | null;
  format: string | undefined;
  width: number | undefined;
  height: number | undefined;
}

const ASSET_URL = /^http:\/\/localhost:\d+\/v1\/assets\/ast_[A-Za-z0-9]+\.(png|jpeg|jpg|webp)$/;

/** Fetches a Pixapi asset URL (over 127.0.0.1) and decodes it with sharp. */
export async function fetchAsset(url: string): Promise<FetchedAsset> {
  expect(url).toMatch(ASSET_URL);
  const res = await fetch(url.replace('//localhost:', '//127.0.0.1:'));
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  const meta = await sharp(bytes).metadata();
  return {
    contentType: res.headers.get('content-type'),
    format: meta.format,
    width: meta.width,
    height: meta.height,
  };
}

/**
 * A 200 whose body validates as OpenAI's `ImagesResponse`, with `n` Pixapi URLs that each serve
 * an image of `width`×`height` in `format`, billed `credits` in all.
 */
export async function expectImages(
  res: ApiResponse,
  expected: { n: number; width: number; height: number; credits: number; format?: string },
): Promise<void> {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(validateAgainst('ImagesResponse', res.body)).toEqual([]);
  const data = res.body.data as Array<{ url?: string; b64_json?: string }>;
  expect(data).toHaveLength(expected.n);
  expect(res.body.billing).toEqual({ images: expected.n, credits: expected.credits });
  const format = expected.format ?? 'png';
  for (const item of data) {
    const asset = await fetchAsset(item.url ?? '');
    // Without response_format the answer also carries the image itself: the same one.
    if (item.b64_json !== undefined) {
      const inline = await sharp(Buffer.from(item.b64_json, 'base64')).metadata();
      expect([inline.format, inline.width, inline.height]).toEqual([
        format,
        asset.width,
        asset.height,
      ]);
    }
    expect(asset).toEqual({
      contentType: `image/${format}`,
      format,
      width: expected.width,
      height: expected.height,
    });
  }
  expect(new Set(data.map((d) => d.url)).size).toBe(expected.n);
}

/** A failed request: the usage record says so (and `also`), with nothing charged. */
export async function expectFailedUsage(
  server: TestServer,
  key: string,
  code: string,
  also: Body = {},
): Promise<Body> {
  const usage = await lastUsage(server, key);
  expect(usage).toMatchObject({
    status: 'failed',
    error_code: code,
    credits: 0,
    images: 0,
    ...also,
  });
  return usage;
}

export interface SseEvent {
  event: string;
  data: Body;
}

/** Parses a complete `text/event-stream` body into its events (`data` lines joined, as JSON). */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split('\n\n')) {
    if (block.trim() === '') continue;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    events.push({ event, data: JSON.parse(data.join('\n')) as Body });
  }
  return events;
}
