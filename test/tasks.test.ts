import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from './helpers/server.js';
import { eventually, waitForTask, type Task } from './helpers/tasks.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback that answers with the scripted statuses, then 200. */
async function startReceiver() {
  const received: Received[] = [];
  const script: number[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(script.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    host: `127.0.0.1:${port}`,
    received,
    script,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** A provider that refuses every request as invalid: tasks routed to it fail at once. */
async function startRefusingProvider() {
  const server = http.createServer((_req, res) => {
    res.writeHead(400, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        error: { message: 'bad', type: 'invalid_request_error', param: null, code: null },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise((r) => server.close(r)),
  };
}

const catalogDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-tasks-'));
const catalogFile = path.join(catalogDir, 'catalog.yaml');
fs.writeFileSync(
  catalogFile,
  [
    'models:',
    '  - id: refused-model',
    '    name: Refused',
    '    description: A self-hosted model whose server refuses every request.',
    '    owned_by: test',
    '    capabilities: [text-to-image]',
    '    routes: [{ provider: openai-compatible, model: refuse }]',
    '    sizes: { auto: 64x64, list: [{ size: 64x64, tier: base }] }',
    '    qualities: [auto]',
    '    pricing: { rules: [{ credits: 1 }] }',
  ].join('\n'),
);
afterAll(() => fs.rmSync(catalogDir, { recursive: true, force: true }));

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(`async tasks on ${dialect}`, () => {
    let server: TestServer;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let refusing: Awaited<ReturnType<typeof startRefusingProvider>>;

    beforeAll(async () => {
      receiver = await startReceiver();
      refusing = await startRefusingProvider();
      server = await startTestServer({
        dialect,
        env: {
          PIXAPI_CATALOG: catalogFile,
          PIXAPI_OUTBOUND_ALLOW: receiver.host,
          OPENAI_COMPATIBLE_BASE_URL: refusing.url,
          PIXAPI_LOCAL_DELAY_MS: '100',
        },
        webhookRetryDelaysMs: [100, 200, 300],
      });
    });
    afterAll(async () => {
      await server?.close();
      await receiver?.close();
      await refusing?.close();
    });

    const submit = (key: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
      api<Task>(server.url, 'POST', '/v1/async/images/generations', { key, body, headers });

    it('runs submitted → completed, with the sync result, charged once', async () => {
      const { apiKey } = await server.account(10);
      const res = await submit(apiKey, {
        model: 'local-placeholder',
        prompt: 'async fox',
        n: 2,
        size: '96x64',
        metadata: { order: '42' },
        user: 'end-user-42',
      });
      expect(res.status).toBe(202);
      expect(res.headers.get('location')).toBe(`/v1/tasks/${res.body.id}`);
      expect(res.body).toMatchObject({
        object: 'image.task',
        status: 'submitted',
        progress: 0,
        model: 'local-placeholder',
      });
      expect(res.body.id).toMatch(/^task_[0-9A-Z]{26}$/);
      expect((await api(server.url, 'GET', '/v1/account', { key: apiKey })).body).toMatchObject({
        held: 2,
        available: 8,
      });

      const task = await waitForTask(server.url, apiKey, res.body.id);
      expect(task).toMatchObject({
        status: 'completed',
        progress: 100,
        attempts: 1,
        metadata: { order: '42' },
      });
      const result = task.result as { data: Array<{ url: string }>; billing: unknown };
      expect(result.billing).toEqual({ images: 2, credits: 2 });
      const image = await fetch(result.data[0]!.url.replace('localhost', '127.0.0.1'));
      expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width).toBe(96);
      expect((await api(server.url, 'GET', '/v1/account', { key: apiKey })).body).toMatchObject({
        balance: 8,
        held: 0,
      });
      const usage = await api<{ data: Array<Record<string, unknown>> }>(
        server.url,
        'GET',
        '/v1/usage',
        {
          key: apiKey,
        },
      );
      expect(usage.body.data[0]).toMatchObject({
        endpoint: 'async.images.generations',
        status: 'succeeded',
        images: 2,
        credits: 2,
        user: 'end-user-42',
        metadata: { order: '42' },
        route: 'local/local-placeholder',
      });
    });

    it('runs async edits from a data URL', async () => {
      const png = await sharp({
        create: { width: 40, height: 40, channels: 3, background: '#f00' },
      })
        .png()
        .toBuffer();
      const res = await api<Task>(server.url, 'POST', '/v1/async/images/edits', {
        key: server.adminKey,
        body: {
          model: 'local-placeholder',
          prompt: 'edit me',
          image: `data:image/png;base64,${png.toString('base64')}`,
          size: '64x64',
        },
      });
      expect(res.status).toBe(202);
      const task = await waitForTask(server.url, server.adminKey, res.body.id);
      expect(task.status).toBe('completed');
      const url = (task.result as { data: Array<{ url: string }> }).data[0]!.url.replace(
        'localhost',
        '127.0.0.1',
      );
      const { data, info } = await sharp(Buffer.from(await (await fetch(url)).arrayBuffer()))
        .raw()
        .toBuffer({ resolveWithObject: true });
      // The input is shown in the middle, above the caption band.
      const i = (20 * info.width + 32) * info.channels;
      expect([data[i], data[i + 1], data[i + 2]]).toEqual([255, 0, 0]);
    });

    it('lists the caller’s tasks newest first with cursor pagination and a status filter', async () => {
      const { apiKey } = await server.account(5);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++)
        ids.push(
          (await submit(apiKey, { model: 'local-placeholder', prompt: `t${i}`, size: '32x32' }))
            .body.id,
        );
      await Promise.all(ids.map((id) => waitForTask(server.url, apiKey, id)));
      const page = await api<{ data: Task[]; has_more: boolean; last_id: string }>(
        server.url,
        'GET',
        '/v1/tasks?limit=2',
        { key: apiKey },
      );
      expect(page.body.data.map((t) => t.id)).toEqual([ids[2], ids[1]]);
      expect(page.body.has_more).toBe(true);
      const next = await api<{ data: Task[]; has_more: boolean }>(
        server.url,
        'GET',
        `/v1/tasks?limit=2&after=${page.body.last_id}`,
        { key: apiKey },
      );
      expect(next.body.data.map((t) => t.id)).toEqual([ids[0]]);
      const failedOnly = await api<{ data: Task[] }>(server.url, 'GET', '/v1/tasks?status=failed', {
        key: apiKey,
      });
      expect(failedOnly.body.data).toEqual([]);
      expect((await api(server.url, 'GET', '/v1/tasks?status=nope', { key: apiKey })).status).toBe(
        400,
      );
    });

    it("answers 404 for another account's task, never 403", async () => {
      const owner = await server.account(1);
      const other = await server.account(1);
      const { body } = await submit(owner.apiKey, {
        model: 'local-placeholder',
        prompt: 'mine',
        size: '32x32',
      });
      for (const [method, path] of [
        ['GET', `/v1/tasks/${body.id}`],
        ['POST', `/v1/tasks/${body.id}/cancel`],
      ] as const) {
        const res = await api(server.url, method, path, { key: other.apiKey });
        expect(res.status).toBe(404);
        expect((res.body as { error: { code: string } }).error.code).toBe('task_not_found');
      }
    });

    it('cancels a submitted task and releases its hold; a finished one answers 409', async () => {
      const stopped = await startTestServer({ dialect, workers: false });
      try {
        const { apiKey } = await stopped.account(3);
        const res = await api<Task>(stopped.url, 'POST', '/v1/async/images/generations', {
          key: apiKey,
          body: { model: 'local-placeholder', prompt: 'never runs', n: 3, size: '32x32' },
        });
        expect((await api(stopped.url, 'GET', '/v1/account', { key: apiKey })).body).toMatchObject({
          held: 3,
        });
        const canceled = await api<Task>(stopped.url, 'POST', `/v1/tasks/${res.body.id}/cancel`, {
          key: apiKey,
        });
        expect(canceled.status).toBe(200);
        expect(canceled.body.status).toBe('canceled');
        expect((await api(stopped.url, 'GET', '/v1/account', { key: apiKey })).body).toMatchObject({
          balance: 3,
          held: 0,
        });
        const again = await api(stopped.url, 'POST', `/v1/tasks/${res.body.id}/cancel`, {
          key: apiKey,
        });
        expect(again.status).toBe(409);
      } finally {
        await stopped.close();
      }
    });

    it('fails a task whose provider refuses it, with its error, charging nothing', async () => {
      const { apiKey } = await server.account(5);
      const res = await submit(apiKey, { model: 'refused-model', prompt: 'x' });
      expect(res.status).toBe(202);
      const task = await waitForTask(server.url, apiKey, res.body.id);
      expect(task).toMatchObject({ status: 'failed', attempts: 1 });
      expect(task.error).toMatchObject({
        code: 'provider_rejected_request',
        type: 'invalid_request_error',
      });
      expect(task.result).toBeUndefined();
      expect((await api(server.url, 'GET', '/v1/account', { key: apiKey })).body).toMatchObject({
        balance: 5,
        held: 0,
      });
    });

    it('delivers a signed webhook, retrying with the same webhook-id until the receiver accepts', async () => {
      const account = await server.account(2);
      const secret = (await api(server.url, 'GET', '/v1/account', { key: account.apiKey })).body
        .webhook_secret as string;
      receiver.received.length = 0;
      receiver.script.push(500, 503);
      const res = await submit(account.apiKey, {
        model: 'local-placeholder',
        prompt: 'hooked',
        size: '32x32',
        webhook_url: receiver.url,
      });
      const task = await waitForTask(server.url, account.apiKey, res.body.id);
      const delivered = await eventually(async () => {
        const t = await api<Task>(server.url, 'GET', `/v1/tasks/${task.id}`, {
          key: account.apiKey,
        });
        const hook = t.body.webhook as { state: string; attempts: number; last_status: number };
        return hook.state === 'delivered' ? hook : undefined;
      });
      expect(delivered).toMatchObject({ attempts: 3, last_status: 200, url: receiver.url });
      expect(receiver.received).toHaveLength(3);
      const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
      expect(ids.size).toBe(1);
      for (const { headers, body } of receiver.received) {
        const payload = new Webhook(secret).verify(body, headers as Record<string, string>) as {
          type: string;
          data: Task;
        };
        expect(payload.type).toBe('task.completed');
        expect(payload.data).toMatchObject({ id: task.id, status: 'completed' });
      }
      expect(() =>
        new Webhook(`whsec_${Buffer.from('another secret, 24 bytes').toString('base64')}`).verify(
          receiver.received[0]!.body,
          receiver.received[0]!.headers as Record<string, string>,
        ),
      ).toThrow();
    });

    it('stops delivering when the receiver answers 410, and rejects non-public webhook URLs', async () => {
      const account = await server.account(2);
      receiver.received.length = 0;
      receiver.script.push(410);
      const res = await submit(account.apiKey, {
        model: 'local-placeholder',
        prompt: 'gone',
        size: '32x32',
        webhook_url: receiver.url,
      });
      await waitForTask(server.url, account.apiKey, res.body.id);
      const hook = await eventually(async () => {
        const t = await api<Task>(server.url, 'GET', `/v1/tasks/${res.body.id}`, {
          key: account.apiKey,
        });
        const h = t.body.webhook as { state: string; attempts: number };
        return h.state === 'disabled' ? h : undefined;
      });
      expect(hook.attempts).toBe(1);
      expect(receiver.received).toHaveLength(1);
      const bad = await submit(account.apiKey, {
        model: 'local-placeholder',
        prompt: 'x',
        webhook_url: 'http://169.254.169.254/hook',
      });
      expect(bad.status).toBe(400);
      expect(
        (bad.body as unknown as { error: { code: string; param: string } }).error,
      ).toMatchObject({
        code: 'webhook_url_rejected',
        param: 'webhook_url',
      });
    });

    it('rotates the webhook secret', async () => {
      const account = await server.account(1);
      const before = (await api(server.url, 'GET', '/v1/account', { key: account.apiKey })).body
        .webhook_secret;
      const rotated = await api(server.url, 'POST', '/v1/account/webhook-secret/rotate', {
        key: account.apiKey,
      });
      expect(rotated.body.webhook_secret).toMatch(/^whsec_/);
      expect(rotated.body.webhook_secret).not.toBe(before);
    });
  });
}
