import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainst } from './helpers/openai-schemas.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

/** Pixapi's hosted routes, answering {code, message, data} over the same use case. */

let server: TestServer;
let png: Buffer;

beforeAll(async () => {
  server = await startTestServer();
  png = await sharp({ create: { width: 48, height: 32, channels: 3, background: '#00f' } })
    .png()
    .toBuffer();
});
afterAll(async () => server?.close());

const balance = async (key: string) =>
  (await api(server.url, 'GET', '/v1/account', { key })).body.balance as number;

interface Envelope {
  code: number;
  message: string;
  data: Record<string, unknown> | null;
  error?: { code: string };
}

describe('legacy routes', () => {
  it('POST /v1/images/generate: code 0 and the image response in data, charged once', async () => {
    const account = await server.account(5);
    const res = await api<Envelope>(server.url, 'POST', '/v1/images/generate', {
      key: account.apiKey,
      body: {
        model: 'local-placeholder',
        prompt: 'a fox',
        size: '256x256',
        response_format: 'url',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 0, message: 'success' });
    expect(validateAgainst('ImagesResponse', res.body.data)).toEqual([]);
    expect(res.body.data?.billing).toEqual({ images: 1, credits: 1 });
    expect(res.headers.get('x-pixapi-credits-charged')).toBe('1');
    expect(await balance(account.apiKey)).toBe(4);
  });

  it('POST /v1/images/edit takes JSON and multipart bodies', async () => {
    const account = await server.account(5);
    const json = await api<Envelope>(server.url, 'POST', '/v1/images/edit', {
      key: account.apiKey,
      body: {
        model: 'local-placeholder',
        prompt: 'add a hat',
        image: `data:image/png;base64,${png.toString('base64')}`,
      },
    });
    expect(json.status, JSON.stringify(json.body)).toBe(200);
    expect(json.body.code).toBe(0);

    const form = new FormData();
    form.set('model', 'local-placeholder');
    form.set('prompt', 'add a hat');
    form.set('image', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'in.png');
    const res = await fetch(`${server.url}/v1/images/edit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.apiKey}` },
      body: form,
    });
    const body = (await res.json()) as Envelope;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.code).toBe(0);
    expect(await balance(account.apiKey)).toBe(3);
  });

  it('errors: the HTTP status as code, the message, no data, nothing charged', async () => {
    const poor = await server.account(0);
    const res = await api<Envelope>(server.url, 'POST', '/v1/images/generate', {
      key: poor.apiKey,
      body: { model: 'local-placeholder', prompt: 'x' },
    });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({
      code: 402,
      data: null,
      error: { code: 'insufficient_credits' },
    });
    expect(res.body.message).toMatch(/credits/i);
    const anonymous = await api<Envelope>(server.url, 'POST', '/v1/images/generate', {
      body: { model: 'local-placeholder', prompt: 'x' },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe(401);
  });
});
