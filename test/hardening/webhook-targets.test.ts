import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundClient } from '../../src/security/outbound/client.js';
import { createTaskRunner } from '../../src/tasks/run-task.js';
import { createWebhookDeliverer } from '../../src/tasks/webhooks/deliver.js';
import { postgresAvailable } from '../helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from '../helpers/server.js';
import { waitForTask } from '../helpers/tasks.js';

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `webhook targets on ${dialect}`,
    () => {
      let server: TestServer;
      let apiKey: string;
      beforeAll(async () => {
        // Loopback port 9 is allowed when the task is submitted (nothing listens there).
        server = await startTestServer({
          dialect,
          workers: false,
          env: { PIXAPI_OUTBOUND_ALLOW: '127.0.0.1:9' },
        });
        apiKey = (await server.account(10)).apiKey;
      });
      afterAll(async () => {
        await server?.close();
      });

      it('fails a refused target at once, with one generic message', async () => {
        const submitted = await api<{ id: string }>(
          server.url,
          'POST',
          '/v1/async/images/generations',
          {
            key: apiKey,
            body: {
              model: 'local-placeholder',
              prompt: 'a fox',
              size: '64x64',
              webhook_url: 'http://127.0.0.1:9/hook',
            },
          },
        );
        expect(submitted.status).toBe(202);
        const { services } = server;
        const taskId = submitted.body.id;
        await createTaskRunner({
          ...services,
          settings: services.taskSettings,
          syncTimeoutMs: services.config.syncTimeoutMs,
        })(
          { id: 'j1', name: 'task.run', payload: { taskId }, attempt: 1, maxAttempts: 25 },
          new AbortController().signal,
        );
        await waitForTask(server.url, apiKey, taskId);

        // By delivery time the operator's allow list no longer covers the target.
        const outbound = new OutboundClient({ allow: [] });
        const deliver = createWebhookDeliverer({
          db: services.db,
          queue: services.queue,
          outbound,
          log: services.log,
          retryDelaysMs: [60_000, 60_000, 60_000],
        });
        await deliver(
          {
            id: 'j2',
            name: 'webhook.deliver',
            payload: { taskId, event: 'task.completed', attempt: '1' },
            attempt: 1,
            maxAttempts: 3,
          },
          new AbortController().signal,
        );
        await outbound.close();

        const task = await api<{ webhook: { state: string; attempts: number } }>(
          server.url,
          'GET',
          `/v1/tasks/${taskId}`,
          { key: apiKey },
        );
        expect(task.body.webhook).toMatchObject({ state: 'failed', attempts: 1 });
        const deliveries = await services.db.kysely
          .selectFrom('webhook_deliveries')
          .select('error')
          .where('task_id', '=', taskId)
          .execute();
        expect(deliveries).toEqual([
          { error: 'The webhook target is not an address Pixapi may call.' },
        ]);
        if (dialect === 'sqlite') {
          const jobs = await services.db.kysely
            .selectFrom('queue_jobs')
            .select('id')
            .where('name', '=', 'webhook.deliver')
            .execute();
          expect(jobs).toHaveLength(1);
        }
      });

      it('answers 400 for a webhook_url with a trailing NUL instead of stripping it', async () => {
        const res = await api(server.url, 'POST', '/v1/async/images/generations', {
          key: apiKey,
          body: {
            model: 'local-placeholder',
            prompt: 'a fox',
            size: '64x64',
            webhook_url: 'http://127.0.0.1:9/hook\u0000',
          },
        });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_value', param: 'webhook_url' });
      });
    },
  );
}
