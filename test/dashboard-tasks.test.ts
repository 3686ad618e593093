import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, waitForTask } from './helpers/tasks.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

type Body = Record<string, unknown>;

describe('tasks in the dashboard: default webhook URL, redelivery, lookup by task id', () => {
  const received: Array<{ id: string | undefined }> = [];
  let receiver: http.Server;
  let host: string;
  let server: TestServer;

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push({ id: req.headers['webhook-id'] as string | undefined });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    host = `127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    server = await startTestServer({
      env: { PIXAPI_OUTBOUND_ALLOW: host },
      webhookRetryDelaysMs: [100, 200],
    });
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((r) => receiver?.close(r));
  });

  it('a task without webhook_url uses the default; redeliver sends the same message again', async () => {
    const { apiKey: key } = await server.account(10);
    const set = await api<Body>(server.url, 'PATCH', '/v1/account', {
      key,
      body: { default_webhook_url: `http://${host}/hook` },
    });
    expect(set.body.default_webhook_url).toBe(`http://${host}/hook`);

    const submitted = await api<Body>(server.url, 'POST', '/v1/async/images/generations', {
      key,
      body: { model: 'local-placeholder', prompt: 'a kite', size: '32x32' },
    });
    expect(submitted.status).toBe(202);
    const taskId = submitted.body.id as string;
    expect((await waitForTask(server.url, key, taskId)).status).toBe('completed');
    await eventually(async () => (received.length === 1 ? true : undefined));

    const redelivered = await api<Body>(server.url, 'POST', `/v1/tasks/${taskId}/redeliver`, {
      key,
    });
    expect(redelivered.status).toBe(202);
    await eventually(async () => (received.length === 2 ? true : undefined));
    expect(received[1]!.id).toBe(received[0]!.id);
    const task = await eventually(async () => {
      const res = await api<{ webhook: { deliveries: Body[]; state: string } }>(
        server.url,
        'GET',
        `/v1/tasks/${taskId}`,
        { key },
      );
      return res.body.webhook.deliveries.length === 2 ? res.body : undefined;
    });
    expect(task.webhook.state).toBe('delivered');

    const usage = await api<{ data: Body[] }>(server.url, 'GET', `/v1/usage?task_id=${taskId}`, {
      key,
    });
    expect(usage.body.data).toHaveLength(1);
    expect(usage.body.data[0]!.task_id).toBe(taskId);

    const unfinished = await api<Body>(server.url, 'POST', '/v1/tasks/task_nope/redeliver', {
      key,
    });
    expect(unfinished.status).toBe(404);
  });
});
