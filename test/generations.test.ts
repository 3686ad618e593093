import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainst } from './helpers/openai-schemas.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

const generate = (key: string | undefined, body: unknown, headers?: Record<string, string>) =>
  api(server.url, 'POST', '/v1/images/generations', { key, body, headers });

async function balanceOf(key: string): Promise<number> {
  const res = await api(server.url, 'GET', '/v1/account', { key });
  return res.body.balance as number;
}

function expectOpenAIError(res: { status: number; body: unknown }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(validateAgainst('ErrorResponse', res.body)).toEqual([]);
  expect((res.body as { error: { code: string } }).error.code).toBe(code);
}

describe('POST /v1/images/generations with the local model', () => {
  it('returns a URL that serves a PNG of the requested size and charges the price', async () => {
    const before = await balanceOf(server.adminKey);
    const res = await generate(server.adminKey, {
      model: 'local-placeholder',
      prompt: 'A lighthouse at dawn',
      size: '640x480',
    });
    expect(res.status).toBe(200);
    expect(validateAgainst('ImagesResponse', res.body)).toEqual([]);
    const data = res.body.data as Array<{ url: string }>;
    expect(data).toHaveLength(1);
    expect(data[0]!.url).toMatch(/^http:\/\/localhost:\d+\/v1\/assets\/ast_[A-Za-z0-9]{22}\.png$/);
    expect(res.body.model).toBe('local-placeholder');
    expect(res.body.billing).toEqual({ images: 1, credits: 1 });
    expect(res.headers.get('x-pixapi-credits-charged')).toBe('1');
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);

    const image = await fetch(data[0]!.url.replace('localhost', '127.0.0.1'));
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(image.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    const etag = image.headers.get('etag');
    expect(etag).toBeTruthy();
    const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 640, 480]);

    const cached = await fetch(data[0]!.url.replace('localhost', '127.0.0.1'), {
      headers: { 'if-none-match': etag! },
    });
    expect(cached.status).toBe(304);

    expect(await balanceOf(server.adminKey)).toBe(before - 1);
    expect(res.headers.get('x-pixapi-credits-remaining')).toBe(String(before - 1));
  });

  it('returns n images as b64_json in the asked format, all different', async () => {
    const res = await generate(server.adminKey, {
      model: 'local-placeholder',
      prompt: 'three cats',
      n: 3,
      size: '256x256',
      output_format: 'webp',
      response_format: 'b64_json',
    });
    expect(res.status).toBe(200);
    expect(validateAgainst('ImagesResponse', res.body)).toEqual([]);
    const data = res.body.data as Array<{ b64_json: string }>;
    expect(data).toHaveLength(3);
    const images = data.map((d) => Buffer.from(d.b64_json, 'base64'));
    for (const bytes of images) {
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 256]);
    }
    expect(new Set(data.map((d) => d.b64_json)).size).toBe(3);
    expect(res.body.billing).toEqual({ images: 3, credits: 3 });
  });

  it('is deterministic in prompt, seed and size', async () => {
    const body = {
      model: 'local-placeholder',
      prompt: 'same',
      seed: 7,
      size: '128x96',
      response_format: 'b64_json',
    };
    const a = await generate(server.adminKey, body);
    const b = await generate(server.adminKey, body);
    const c = await generate(server.adminKey, { ...body, seed: 8 });
    const first = (r: typeof a) => (r.body.data as Array<{ b64_json: string }>)[0]!.b64_json;
    expect(first(a)).toBe(first(b));
    expect(first(a)).not.toBe(first(c));
  });

  it('draws a transparent background when asked', async () => {
    const res = await generate(server.adminKey, {
      model: 'local-placeholder',
      prompt: 'logo',
      size: '200x200',
      background: 'transparent',
      response_format: 'b64_json',
    });
    expect(res.status).toBe(200);
    expect(res.body.background).toBe('transparent');
    const bytes = Buffer.from(
      (res.body.data as Array<{ b64_json: string }>)[0]!.b64_json,
      'base64',
    );
    const { data } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    // The top-left pixel is outside the text panel: its alpha is below opaque.
    expect(data[3]).toBeLessThan(255);
  });
});

describe('errors, in OpenAI shape and never charged', () => {
  it('401 invalid_api_key for missing, malformed, unknown and revoked keys alike', async () => {
    const { apiKey, accountId } = await server.account(5);
    const keys = await server.services.accounts.createKey(accountId);
    await server.services.accounts.revokeKey(keys.keyId);
    const body = { model: 'local-placeholder', prompt: 'x' };
    const unknown = `sk_pix_${'A'.repeat(28)}`;
    const answers = await Promise.all(
      [undefined, 'nonsense', unknown, keys.apiKey].map((k) => generate(k, body)),
    );
    for (const res of answers) expectOpenAIError(res, 401, 'invalid_api_key');
    expect(
      new Set(answers.map((a) => (a.body as { error: { message: string } }).error.message)).size,
    ).toBe(1);
    expect(await balanceOf(apiKey)).toBe(5);
  });

  it('404 model_not_found for an unknown model', async () => {
    const res = await generate(server.adminKey, { model: 'no-such-model', prompt: 'x' });
    expectOpenAIError(res, 404, 'model_not_found');
    expect((res.body as { error: { param: string } }).error.param).toBe('model');
  });

  it('402 insufficient_credits on an empty balance, before any provider call', async () => {
    const { apiKey } = await server.account(0);
    const res = await generate(apiKey, { model: 'local-placeholder', prompt: 'x' });
    expectOpenAIError(res, 402, 'insufficient_credits');
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect((res.body as { error: { message: string } }).error.message).toMatch(
      /0 available.*needs 1/,
    );
  });

  it('400 naming the param for each invalid field, with nothing charged', async () => {
    const { apiKey } = await server.account(3);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ size: '999999x1' }, 'size', 'unsupported_size'],
      [{ size: 'big' }, 'size', 'unsupported_size'],
      [{ n: 0 }, 'n', 'invalid_value'],
      [{ n: 11 }, 'n', 'invalid_value'],
      [{ quality: 'ultra' }, 'quality', 'invalid_value'],
      [{ output_format: 'gif' }, 'output_format', 'invalid_value'],
      [{ background: 'transparent', output_format: 'jpeg' }, 'background', 'invalid_value'],
      [{ output_compression: 50 }, 'output_compression', 'invalid_value'],
      [{ response_format: 'file' }, 'response_format', 'invalid_value'],
      [{ stream: true }, 'stream', 'unsupported_parameter'],
      [{ api_base: 'http://evil' }, 'api_base', 'unknown_parameter'],
      [{ price: 0 }, 'price', 'unknown_parameter'],
      [{ metadata: { a: 1 } }, 'metadata', 'invalid_value'],
      [{ prompt: '' }, 'prompt', 'invalid_value'],
      [{ prompt: 'x'.repeat(32_001) }, 'prompt', 'invalid_value'],
      [{ prompt: undefined }, 'prompt', 'missing_required_parameter'],
      [{ model: undefined }, 'model', 'missing_required_parameter'],
    ];
    for (const [patch, param, code] of cases) {
      const res = await generate(apiKey, { model: 'local-placeholder', prompt: 'x', ...patch });
      expectOpenAIError(res, 400, code);
      expect((res.body as { error: { param: string } }).error.param, JSON.stringify(patch)).toBe(
        param,
      );
    }
    expect(await balanceOf(apiKey)).toBe(3);
  });

  it('400 for bodies that are not JSON objects, and 404 in OpenAI shape for unknown routes', async () => {
    const raw = await fetch(`${server.url}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
      body: '{"model":',
    });
    expect(raw.status).toBe(400);
    expect(validateAgainst('ErrorResponse', await raw.json())).toEqual([]);
    const array = await generate(server.adminKey, [1, 2]);
    expectOpenAIError(array, 400, 'invalid_body');
    const missing = await api(server.url, 'GET', '/v1/nothing-here', { key: server.adminKey });
    expectOpenAIError(missing, 404, 'not_found');
  });

  it('echoes a sane x-request-id and replaces an insane one', async () => {
    const sane = await api(server.url, 'GET', '/healthz', {
      headers: { 'x-request-id': 'client-123' },
    });
    expect(sane.headers.get('x-request-id')).toBe('client-123');
    const insane = await api(server.url, 'GET', '/healthz', {
      headers: { 'x-request-id': 'a b<script>' },
    });
    expect(insane.headers.get('x-request-id')).toMatch(/^req_/);
  });
});

describe('account and usage', () => {
  it('shows balance, held and the webhook secret', async () => {
    const { apiKey, accountId } = await server.account(2);
    const res = await api(server.url, 'GET', '/v1/account', { key: apiKey });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: accountId, balance: 2, held: 0, available: 2 });
    expect(res.body.webhook_secret).toMatch(/^whsec_/);
  });

  it('records a usage entry per request, paginated newest first', async () => {
    const { apiKey } = await server.account(10);
    for (let i = 0; i < 3; i++) {
      await generate(apiKey, {
        model: 'local-placeholder',
        prompt: `p${i}`,
        size: '64x64',
        user: 'end-user-1',
      });
    }
    await generate(apiKey, { model: 'local-placeholder', prompt: 'x', n: 10 }).then((r) =>
      expect(r.status).toBe(402),
    );
    const page1 = await api<{
      data: Array<Record<string, unknown>>;
      has_more: boolean;
      last_id: string;
    }>(server.url, 'GET', '/v1/usage?limit=2', { key: apiKey });
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.has_more).toBe(true);
    expect(page1.body.data[0]).toMatchObject({
      status: 'failed',
      error_code: 'insufficient_credits',
      credits: 0,
    });
    expect(page1.body.data[1]).toMatchObject({
      status: 'succeeded',
      model: 'local-placeholder',
      route: 'local/local-placeholder',
      images: 1,
      credits: 1,
      attempts: 1,
      user: 'end-user-1',
    });
    const page2 = await api<{ data: Array<Record<string, unknown>>; has_more: boolean }>(
      server.url,
      'GET',
      `/v1/usage?limit=10&after=${page1.body.last_id}`,
      { key: apiKey },
    );
    expect(page2.body.data).toHaveLength(2);
    expect(page2.body.has_more).toBe(false);
    const bad = await api(server.url, 'GET', '/v1/usage?limit=0', { key: apiKey });
    expectOpenAIError(bad, 400, 'invalid_value');
  });

  it('does not show another account its usage', async () => {
    const a = await server.account(1);
    const b = await server.account(1);
    await generate(a.apiKey, { model: 'local-placeholder', prompt: 'mine', size: '64x64' });
    const seenByB = await api<{ data: unknown[] }>(server.url, 'GET', '/v1/usage', {
      key: b.apiKey,
    });
    expect(seenByB.body.data).toHaveLength(0);
  });
});
