import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp, { type Color, type Sharp } from 'sharp';
import { expect } from 'vitest';
import { allowPortOf, expectOpenAIError, type Body } from './provider-e2e.js';
import { api, type ApiResponse, type TestServer } from './server.js';

/**
 * The client's side of the edits tests (test/providers/*-edits.e2e.test.ts): input images, a
 * loopback host serving them, the request forms, and checks of what reached the provider.
 */

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

/** The image host every edits test file starts: `/in.png` (red) and `/mask.png`. */
export function startInputHost(inputs: EditInputs): Promise<ImageHost> {
  return startImageHost({
    '/in.png': { bytes: inputs.red, type: 'image/png' },
    '/mask.png': { bytes: inputs.mask, type: 'image/png' },
  });
}

/** JSON edit fields: `image` as two data URLs, red as PNG then green as JPEG. */
export function pngAndJpegDataUrls(inputs: EditInputs): Body {
  return { image: [dataUrl(inputs.red), dataUrl(inputs.green, 'image/jpeg')] };
}

/** JSON edit fields: `image` (red) and `mask` by http URL on the client's host. */
export function hostedImageAndMask(host: ImageHost): Body {
  return { image: host.url('/in.png'), mask: host.url('/mask.png') };
}

/** OpenAI's JSON form: `images: [{image_url}]` (red on the host, blue inline) and a `mask`. */
export function openAIImageUrls(host: ImageHost, inputs: EditInputs): Body {
  return {
    images: [{ image_url: host.url('/in.png') }, { image_url: dataUrl(inputs.blue) }],
    mask: { image_url: dataUrl(inputs.mask) },
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

/** An input as a provider should receive it: the client's original, re-encoded as `format`. */
export type SentImage = [original: Buffer, format: 'png' | 'jpeg'];

export const png = (original: Buffer): SentImage => [original, 'png'];
export const jpeg = (original: Buffer): SentImage => [original, 'jpeg'];

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

/** Each URL is one of Pixapi's input URLs and serves the matching original, re-encoded. */
export async function expectServesInputs(
  server: TestServer,
  urls: unknown[],
  originals: Buffer[],
): Promise<void> {
  expect(urls).toHaveLength(originals.length);
  for (const [i, url] of urls.entries()) {
    await expectReencoded(await fetchInputUrl(server, url), originals[i]!);
  }
}
