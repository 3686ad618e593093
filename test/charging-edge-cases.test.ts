import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failStaleTasks, TASK_MAX_AGE_MS } from '../src/tasks/run-task.js';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/openai/index.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';
import { eventually, type Task } from './helpers/tasks.js';

/** A self-hosted OpenAI-compatible server that always returns three images, whatever n is. */
async function startGenerousServer() {
  const png = (
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0f0' } })
      .png()
      .toBuffer()
  ).toString('base64');
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          created: 1,
          data: [{ b64_json: png }, { b64_json: png }, { b64_json: png }],
        }),
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise((r) => server.close(r)),
  };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-edge-'));
const catalog = path.join(dir, 'catalog.yaml');
fs.writeFileSync(
  catalog,
  [
    'models:',
    '  - id: generous',
    '    name: Generous',
    '    description: A server that answers more images than asked.',
    '    owned_by: test',
    '    capabilities: [text-to-image]',
    '    routes: [{ provider: openai-compatible, model: sd }]',
    '    sizes: { auto: 8x8, list: [{ size: 8x8, tier: base }] }',
    '    qualities: [auto]',
    '    pricing: { rules: [{ credits: 1 }] }',
  ].join('\n'),
);

let server: TestServer;
let generous: Awaited<ReturnType<typeof startGenerousServer>>;
let openai: FakeOpenAI;

beforeAll(async () => {
  generous = await startGenerousServer();
  openai = await startFakeOpenAI();
  server = await startTestServer({
    env: {
      PIXAPI_CATALOG: catalog,
      OPENAI_COMPATIBLE_BASE_URL: generous.url,
      OPENAI_API_KEY: openai.apiKey,
      OPENAI_BASE_URL: openai.url,
      PIXAPI_ASSET_TTL_HOURS: '1',
    },
  });
});
afterAll(async () => {
  await server?.close();
  await generous?.close();
  await openai?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const account = (key: string) => api(server.url, 'GET', '/v1/account', { key }).then((r) => r.body);

describe('what is charged', () => {
  it('delivers and charges at most n images when a provider returns more', async () => {
    const { apiKey } = await server.account(5);
    const res = await api(server.url, 'POST', '/v1/images/generations', {
      key: apiKey,
      body: { model: 'generous', prompt: 'one please', n: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.billing).toEqual({ images: 1, credits: 1 });
    expect(await account(apiKey)).toMatchObject({ balance: 4, held: 0 });
  });

  it('charges nothing for a stream the client leaves before the final image', async () => {
    const { apiKey } = await server.account(20);
    openai.script({ type: 'stream_slow', ms: 5_000 });
    const controller = new AbortController();
    const res = await fetch(`${server.url}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-image-2.6-flare',
        prompt: 'leave early',
        stream: true,
        partial_images: 1,
        quality: 'low',
      }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('image_generation.partial_image');
    controller.abort();
    const settled = await eventually(async () => {
      const now = await account(apiKey);
      return now.held === 0 ? now : undefined;
    });
    expect(settled).toMatchObject({ balance: 20, held: 0 });
    await sleep(100);
    const usage = await api<{ data: Array<{ status: string; error_code: string }> }>(
      server.url,
      'GET',
      '/v1/usage',
      { key: apiKey },
    );
    expect(usage.body.data[0]).toMatchObject({
      status: 'failed',
      error_code: 'client_closed_request',
    });
  });

  it('fails tasks that could not run for a day and releases their credits', async () => {
    const { apiKey } = await server.account(3);
    const stopped = await startTestServer({ workers: false });
    try {
      const owner = await stopped.account(3);
      const res = await api<Task>(stopped.url, 'POST', '/v1/async/images/generations', {
        key: owner.apiKey,
        body: { model: 'local-placeholder', prompt: 'stuck', size: '16x16' },
      });
      expect(
        await api(stopped.url, 'GET', '/v1/account', { key: owner.apiKey }).then((r) => r.body),
      ).toMatchObject({ held: 1 });
      expect(await failStaleTasks(stopped.services, Date.now() + TASK_MAX_AGE_MS - 60_000)).toBe(0);
      expect(await failStaleTasks(stopped.services, Date.now() + TASK_MAX_AGE_MS + 60_000)).toBe(1);
      const task = await api<Task>(stopped.url, 'GET', `/v1/tasks/${res.body.id}`, {
        key: owner.apiKey,
      });
      expect(task.body).toMatchObject({ status: 'failed', error: { code: 'task_expired' } });
      expect(
        await api(stopped.url, 'GET', '/v1/account', { key: owner.apiKey }).then((r) => r.body),
      ).toMatchObject({ balance: 3, held: 0 });
    } finally {
      await stopped.close();
    }
    expect(await account(apiKey)).toMatchObject({ balance: 3 });
  });
});

describe('asset lifetime', () => {
  it('lets caches keep an asset no longer than it lives, then answers 404', async () => {
    const res = await api(server.url, 'POST', '/v1/images/generations', {
      key: server.adminKey,
      body: { model: 'local-placeholder', prompt: 'short-lived', size: '16x16' },
    });
    const url = (res.body.data as Array<{ url: string }>)[0]!.url.replace('localhost', '127.0.0.1');
    const first = await fetch(url);
    const maxAge = Number(/max-age=(\d+)/.exec(first.headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge).toBeGreaterThan(3000);
    expect(maxAge).toBeLessThanOrEqual(3600);
    expect(await server.services.assets.deleteExpired(Date.now() + 2 * 3_600_000)).toBeGreaterThan(
      0,
    );
    expect((await fetch(url)).status).toBe(404);
  });
});
