import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Color, type Sharp } from 'sharp';
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

/** Writes a `PIXAPI_CATALOG` YAML file and returns its path. */
export function writeCatalog(yaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-catalog-'));
  catalogDirs.push(dir);
  const file = path.join(dir, 'catalog.yaml');
  fs.writeFileSync(file, yaml);
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
    expect(item.b64_json).toBeUndefined();
    const asset = await fetchAsset(item.url ?? '');
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

// ---------- edits (test/providers/*-edits.e2e.test.ts) ----------

/** Written into every input image's EXIF: Pixapi must re-encode inputs without it. */
export const METADATA_MARKER = 'pixapi-e2e-exif-marker';

/** An address that no allow entry covers: Pixapi must refuse it before connecting. */
export const REJECTED_URL = 'http://127.0.0.1:1/x.png';

export interface EditInputs {
  /** 64x48 PNG, pure red. */
  red: Buffer;
  /** 64x48 PNG, pure blue. */
  blue: Buffer;
  /** 64x48 JPEG, green. */
  green: Buffer;
  /** 64x48 PNG with alpha: the left half transparent (the area to change). */
  mask: Buffer;
}

/** A 64x48 canvas of `background` whose encoding will carry METADATA_MARKER as EXIF. */
function marked(background: Color, channels: 3 | 4 = 3): Sharp {
  return sharp({ create: { width: 64, height: 48, channels, background } }).withExif({
    IFD0: { ImageDescription: METADATA_MARKER },
  });
}

/** Small client images, each carrying EXIF metadata with METADATA_MARKER. */
export async function makeEditInputs(): Promise<EditInputs> {
  const opaqueHalf = await sharp({
    create: { width: 32, height: 48, channels: 4, background: '#ffffffff' },
  })
    .png()
    .toBuffer();
  const inputs: EditInputs = {
    red: await marked('#ff0000').png().toBuffer(),
    blue: await marked('#0000ff').png().toBuffer(),
    green: await marked('#00ff00').jpeg({ quality: 95 }).toBuffer(),
    mask: await marked({ r: 0, g: 0, b: 0, alpha: 0 }, 4)
      .composite([{ input: opaqueHalf, left: 32, top: 0 }])
      .png()
      .toBuffer(),
  };
  for (const bytes of Object.values(inputs)) expect(bytes.includes(METADATA_MARKER)).toBe(true);
  return inputs;
}

export function dataUrl(bytes: Buffer, type = 'image/png'): string {
  return `data:${type};base64,${bytes.toString('base64')}`;
}

export interface ImageHost {
  /** `PIXAPI_OUTBOUND_ALLOW` entry for exactly this host's port. */
  allow: string;
  /** Paths requested so far. */
  hits: string[];
  url(path: string): string;
  close(): Promise<void>;
}

/** A client's image host on 127.0.0.1 serving `files` (path → bytes); others answer 404. */
export async function startImageHost(
  files: Record<string, { bytes: Buffer; type: string }>,
): Promise<ImageHost> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    const file = files[path];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.type }).end(file.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    allow: allowPortOf(origin),
    hits,
    url: (path) => `${origin}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `POST /v1/images/edits` with a JSON body. */
export function edit(server: TestServer, key: string, body: Body): Promise<ApiResponse> {
  return api(server.url, 'POST', '/v1/images/edits', { key, body });
}

export interface UploadPart {
  field: string;
  bytes: Buffer;
  filename: string;
  type: string;
}

/** `POST /v1/images/edits` as multipart/form-data: text `fields`, then the file `parts`. */
export async function editMultipart(
  server: TestServer,
  key: string,
  fields: Record<string, string>,
  parts: UploadPart[],
): Promise<ApiResponse> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const p of parts) form.append(p.field, new Blob([p.bytes], { type: p.type }), p.filename);
  const response = await fetch(`${server.url}/v1/images/edits`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as Body,
  };
}

/** Two `image[]` PNG parts (red, blue) and a `mask` part, as OpenAI's SDK uploads them. */
export function twoImagesAndMask(inputs: EditInputs): UploadPart[] {
  return [
    { field: 'image[]', bytes: inputs.red, filename: 'red.png', type: 'image/png' },
    { field: 'image[]', bytes: inputs.blue, filename: 'blue.png', type: 'image/png' },
    { field: 'mask', bytes: inputs.mask, filename: 'mask.png', type: 'image/png' },
  ];
}

/** 400 `image_url_rejected` naming `param`: the URL was refused before any connection. */
export function expectImageUrlRejected(res: ApiResponse, param = 'image'): void {
  expectOpenAIError(res, 400, 'image_url_rejected');
  expect((res.body as { error: Body }).error.param).toBe(param);
}

/** 400 for a model without image-to-image, naming `model`. */
export function expectNoImageToImage(res: ApiResponse): void {
  expectOpenAIError(res, 400, 'unsupported_model');
  expect((res.body as { error: Body }).error.param).toBe('model');
}

/** The top-left pixel's RGB. */
async function cornerColour(bytes: Buffer): Promise<number[]> {
  const { data } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return [data[0]!, data[1]!, data[2]!];
}

/**
 * `sent` is `original` as Pixapi forwards inputs: decodable, in `format`, of the same size and
 * colour (JPEG within a small tolerance), and re-encoded without its metadata.
 */
export async function expectReencoded(
  sent: Buffer,
  original: Buffer,
  format: 'png' | 'jpeg' = 'png',
): Promise<void> {
  const [meta, before] = await Promise.all([sharp(sent).metadata(), sharp(original).metadata()]);
  expect([meta.format, meta.width, meta.height]).toEqual([format, before.width, before.height]);
  expect(meta.exif).toBeUndefined();
  expect(sent.includes(METADATA_MARKER)).toBe(false);
  const [got, want] = await Promise.all([cornerColour(sent), cornerColour(original)]);
  got.forEach((value, i) => expect(Math.abs(value - want[i]!)).toBeLessThanOrEqual(8));
}

/** A short-lived Pixapi URL of an input image, as handed to providers that take URLs. */
const INPUT_URL = /^http:\/\/localhost:(\d+)\/v1\/assets\/ast_[A-Za-z0-9]+\.(png|jpeg|webp)$/;

/**
 * Checks that `url` is a Pixapi asset URL on `server` and fetches it as the provider would
 * (over 127.0.0.1: the fakes do not fetch input URLs themselves), without any credentials.
 */
export async function fetchInputUrl(server: TestServer, url: unknown): Promise<Buffer> {
  expect(url).toMatch(INPUT_URL);
  const [, port, ext] = INPUT_URL.exec(url as string)!;
  expect(port).toBe(new URL(server.url).port);
  const res = await fetch((url as string).replace('//localhost:', '//127.0.0.1:'));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(`image/${ext}`);
  return Buffer.from(await res.arrayBuffer());
}
