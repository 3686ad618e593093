import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from './helpers/server.js';
import { waitForTask, type Task } from './helpers/tasks.js';

/** An Idempotency-Key on an async submission and on a sync generation, end to end. */
for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `idempotency keys on tasks and generations on ${dialect}`,
    () => {
      let server: TestServer;

      beforeAll(async () => {
        server = await startTestServer({ dialect, env: { PIXAPI_LOCAL_DELAY_MS: '100' } });
      });
      afterAll(async () => server?.close());

      const submit = (
        key: string,
        body: Record<string, unknown>,
        headers?: Record<string, string>,
      ) => api<Task>(server.url, 'POST', '/v1/async/images/generations', { key, body, headers });

      it('replays an Idempotency-Key: the same task, 422 for another body', async () => {
        const { apiKey } = await server.account(5);
        const body = { model: 'local-placeholder', prompt: 'once', size: '32x32' };
        const first = await submit(apiKey, body, { 'idempotency-key': 'order-7' });
        const again = await submit(apiKey, body, { 'idempotency-key': 'order-7' });
        expect(again.status).toBe(202);
        expect(again.body.id).toBe(first.body.id);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        const other = await submit(
          apiKey,
          { ...body, prompt: 'twice' },
          { 'idempotency-key': 'order-7' },
        );
        expect(other.status).toBe(422);
        await waitForTask(server.url, apiKey, first.body.id);
        expect((await api(server.url, 'GET', '/v1/account', { key: apiKey })).body).toMatchObject({
          balance: 4,
        });
      });

      it('replays a sync generation with the same images and no second charge', async () => {
        const { apiKey } = await server.account(5);
        const send = () =>
          api(server.url, 'POST', '/v1/images/generations', {
            key: apiKey,
            body: { model: 'local-placeholder', prompt: 'sync once', size: '32x32' },
            headers: { 'idempotency-key': 'sync-1' },
          });
        const first = await send();
        const second = await send();
        expect(second.body).toEqual(first.body);
        expect(second.headers.get('idempotent-replayed')).toBe('true');
        expect((await api(server.url, 'GET', '/v1/account', { key: apiKey })).body).toMatchObject({
          balance: 4,
        });
      });

      it('does not keep a 402: after a top-up the same key runs', async () => {
        const { apiKey, accountId } = await server.account(0);
        const send = () =>
          api(server.url, 'POST', '/v1/images/generations', {
            key: apiKey,
            body: { model: 'local-placeholder', prompt: 'after top-up', size: '32x32' },
            headers: { 'idempotency-key': 'topup-1' },
          });
        expect((await send()).status).toBe(402);
        await server.services.ledger.grant(accountId, 1000);
        const retried = await send();
        expect(retried.status).toBe(200);
        expect(retried.headers.get('idempotent-replayed')).toBeNull();
      });
    },
  );
}
