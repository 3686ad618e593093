import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

async function listen(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('tenant URLs get tenant policy, not provider trust', () => {
  let pixapi: TestServer;
  let provider: Awaited<ReturnType<typeof listen>>;
  let images: Awaited<ReturnType<typeof listen>>;
  let providerHits = 0;

  beforeAll(async () => {
    const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#0f0' } })
      .png()
      .toBuffer();
    // The self-hosted provider's host, with an internal page a tenant must never reach.
    provider = await listen((_req, res) => {
      providerHits++;
      res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    });
    // A host the operator allows for tenant images; it redirects into the provider's host.
    images = await listen((req, res) => {
      if (req.url === '/in.png')
        return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      res.writeHead(302, { location: `http://${provider.host}/admin/secret.png` }).end();
    });
    pixapi = await startTestServer({
      env: {
        OPENAI_COMPATIBLE_BASE_URL: `http://${provider.host}/v1`,
        PIXAPI_OUTBOUND_ALLOW: images.host,
      },
    });
  });
  afterAll(async () => {
    await pixapi?.close();
    await new Promise((r) => provider?.server.close(r));
    await new Promise((r) => images?.server.close(r));
  });

  const edit = (url: string) =>
    api(pixapi.url, 'POST', '/v1/images/edits', {
      key: pixapi.adminKey,
      body: {
        model: 'local-placeholder',
        prompt: 'a fox',
        size: '64x64',
        images: [{ image_url: url }],
      },
    });

  it('refuses an edit input on the provider host, directly or by redirect', async () => {
    for (const url of [
      `http://${provider.host}/admin/secret.png`,
      `http://${images.host}/redirect`,
    ]) {
      const res = await edit(url);
      expect(res.status, url).toBe(400);
      expect((res.body.error as { code: string }).code, url).toBe('image_url_rejected');
    }
    expect(providerHits).toBe(0);
  });

  it('refuses a webhook_url on the provider host', async () => {
    const res = await api(pixapi.url, 'POST', '/v1/async/images/generations', {
      key: pixapi.adminKey,
      body: {
        model: 'local-placeholder',
        prompt: 'a fox',
        size: '64x64',
        webhook_url: `http://${provider.host}/admin/hook`,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'webhook_url_rejected', param: 'webhook_url' });
  });

  it('keeps the operator allow list for tenant URLs', async () => {
    expect((await edit(`http://${images.host}/in.png`)).status).toBe(200);
  });
});
