import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainst } from './helpers/openai-schemas.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let images: http.Server;
let imagesOrigin: string;
let png: Buffer;

const BOMB = fs.readFileSync(new URL('./fixtures/bomb-14000x14000.png', import.meta.url));
const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
);

beforeAll(async () => {
  png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#0000ff' } })
    .png()
    .toBuffer();
  // An image host on loopback, allowed for this test by PIXAPI_OUTBOUND_ALLOW as an operator would.
  images = http.createServer((req, res) => {
    if (req.url === '/in.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    if (req.url === '/fake.png')
      return res.writeHead(200, { 'content-type': 'image/png' }).end(SVG);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
  imagesOrigin = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  server = await startTestServer({ env: { PIXAPI_OUTBOUND_ALLOW: new URL(imagesOrigin).host } });
});
afterAll(async () => {
  await server?.close();
  await new Promise((r) => images?.close(r));
});

const edit = (key: string, body: unknown) =>
  api(server.url, 'POST', '/v1/images/edits', { key, body });
const dataUrl = (bytes: Buffer, type = 'image/png') =>
  `data:${type};base64,${bytes.toString('base64')}`;
const balance = async (key: string) =>
  (await api(server.url, 'GET', '/v1/account', { key })).body.balance as number;

async function firstImage(res: { body: Record<string, unknown> }) {
  const url = (res.body.data as Array<{ url: string }>)[0]!.url.replace('localhost', '127.0.0.1');
  return sharp(Buffer.from(await (await fetch(url)).arrayBuffer()));
}

describe('POST /v1/images/edits', () => {
  it("works with OpenAI's SDK sending two files, drawing over the first", async () => {
    const client = new OpenAI({
      apiKey: server.adminKey,
      baseURL: `${server.url}/v1`,
      maxRetries: 0,
    });
    const result = await client.images.edit({
      model: 'local-placeholder',
      prompt: 'make it snow',
      image: [
        await toFile(png, 'a.png', { type: 'image/png' }),
        await toFile(png, 'b.png', { type: 'image/png' }),
      ],
      size: '1024x1024',
    });
    expect(validateAgainst('ImagesResponse', result)).toEqual([]);
    const { data } = await (
      await firstImage({ body: result as unknown as Record<string, unknown> })
    )
      .raw()
      .toBuffer({ resolveWithObject: true });
    // The corner shows the blue input, not the generated pattern.
    expect([data[0], data[1], data[2]]).toEqual([0, 0, 255]);
  });

  it("takes Pixapi's JSON form with URLs from an allowed host and data URLs", async () => {
    const { apiKey } = await server.account(5);
    const res = await edit(apiKey, {
      model: 'local-placeholder',
      prompt: 'a hat',
      image: [`${imagesOrigin}/in.png`, dataUrl(png)],
      size: '128x128',
    });
    expect(res.status).toBe(200);
    expect(res.body.billing).toEqual({ images: 1, credits: 1 });
    expect((await (await firstImage(res)).metadata()).width).toBe(128);
    expect(await balance(apiKey)).toBe(4);
  });

  it("takes OpenAI's JSON form, images: [{image_url}] and mask: {image_url}", async () => {
    const res = await edit(server.adminKey, {
      model: 'local-placeholder',
      prompt: 'a hat',
      images: [{ image_url: dataUrl(png) }],
      mask: { image_url: dataUrl(png) },
      input_fidelity: 'high',
      size: '64x64',
    });
    expect(res.status).toBe(200);
  });

  it('takes a single image URL string and a multipart upload with image and mask parts', async () => {
    const single = await edit(server.adminKey, {
      model: 'local-placeholder',
      prompt: 'x',
      image: dataUrl(png),
    });
    expect(single.status).toBe(200);
    const form = new FormData();
    form.set('model', 'local-placeholder');
    form.set('prompt', 'multipart');
    form.set('n', '2');
    form.set('size', '64x64');
    form.set('metadata[job]', 'j-1');
    form.append('image', new Blob([png], { type: 'image/png' }), 'in.png');
    form.append('mask', new Blob([png], { type: 'image/png' }), 'mask.png');
    const res = await fetch(`${server.url}/v1/images/edits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}` },
      body: form,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(2);
  });
});

describe('rejected edits are never charged', () => {
  it('answers 400 for invalid inputs, naming the param', async () => {
    const { apiKey } = await server.account(3);
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [
        { image: dataUrl(png), images: [{ image_url: dataUrl(png) }] },
        400,
        'invalid_value',
        'images',
      ],
      [{}, 400, 'missing_required_parameter', 'image'],
      [{ image: Array.from({ length: 17 }, () => dataUrl(png)) }, 400, 'invalid_value', 'image'],
      [{ image: dataUrl(SVG, 'image/png') }, 400, 'invalid_image', 'image'],
      [{ image: dataUrl(Buffer.from('just text, named png')) }, 400, 'invalid_image', 'image'],
      [{ image: `${imagesOrigin}/fake.png` }, 400, 'invalid_image', 'image'],
      [{ image: 'data:text/html;base64,PGgxPg==' }, 400, 'invalid_image', 'image'],
      [
        { image: [dataUrl(png)], mask: 'ftp://example.com/m.png' },
        400,
        'image_url_rejected',
        'mask',
      ],
      [{ images: [{ file_id: 'file-1' }] }, 400, 'invalid_value', 'images'],
      [{ image: dataUrl(png), input_fidelity: 'max' }, 400, 'invalid_value', 'input_fidelity'],
      [{ image: dataUrl(png), model: 'flux-pro-1.1' }, 400, 'unsupported_model', 'model'],
      [{ image: dataUrl(BOMB) }, 400, 'invalid_image', 'image'],
    ];
    for (const [patch, status, code, param] of cases) {
      const res = await edit(apiKey, { model: 'local-placeholder', prompt: 'x', ...patch });
      const error = (res.body as { error: { code: string; param: string } }).error;
      expect([res.status, error?.code, error?.param], JSON.stringify(patch).slice(0, 120)).toEqual([
        status,
        code,
        param,
      ]);
    }
    expect(await balance(apiKey)).toBe(3);
  });

  it('refuses a decompression bomb from its header, without decoding it', async () => {
    const before = process.memoryUsage().rss;
    const form = new FormData();
    form.set('model', 'local-placeholder');
    form.set('prompt', 'bomb');
    form.append('image', new Blob([BOMB], { type: 'image/png' }), 'bomb.png');
    const res = await fetch(`${server.url}/v1/images/edits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}` },
      body: form,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /megapixels/,
    );
    // Decoding 14000×14000 would allocate 588 MB; the check reads the header only.
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });

  it('answers 400, not 500, for a broken multipart body or image fields sent as text', async () => {
    const broken = await fetch(`${server.url}/v1/images/edits`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${server.adminKey}`,
        'content-type': 'multipart/form-data; boundary=xyz',
      },
      body: '--xyz\r\nContent-Disposition: form-data; name="model"\r\n\r\nlocal-placeholder',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('invalid_body');

    const form = new FormData();
    form.set('model', 'local-placeholder');
    form.set('prompt', 'both');
    form.set('images', 'https://example.com/a.png');
    form.append('image', new Blob([png], { type: 'image/png' }), 'in.png');
    const mixed = await fetch(`${server.url}/v1/images/edits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}` },
      body: form,
    });
    expect(mixed.status).toBe(400);
    expect(((await mixed.json()) as { error: { param: string } }).error.param).toBe('images');
  });

  it('answers 413 payload_too_large for an upload over 25 MB', async () => {
    const form = new FormData();
    form.set('model', 'local-placeholder');
    form.set('prompt', 'big');
    form.append(
      'image',
      new Blob([Buffer.alloc(26 * 1024 * 1024, 1)], { type: 'image/png' }),
      'big.png',
    );
    const res = await fetch(`${server.url}/v1/images/edits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}` },
      body: form,
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as Record<string, unknown>;
    expect(validateAgainst('ErrorResponse', body)).toEqual([]);
    expect((body as { error: { code: string } }).error.code).toBe('payload_too_large');
  });
});
