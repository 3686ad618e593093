import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from '../helpers/server.js';

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `GET /v1/tasks?status= on ${dialect}`,
    () => {
      let server: TestServer;
      let apiKey: string;
      const ids: Record<string, string> = {};
      beforeAll(async () => {
        // No worker: tasks stay submitted until canceled.
        server = await startTestServer({ dialect, workers: false });
        apiKey = (await server.account(10)).apiKey;
        for (const name of ['kept', 'canceled']) {
          const res = await api<{ id: string }>(
            server.url,
            'POST',
            '/v1/async/images/generations',
            {
              key: apiKey,
              body: { model: 'local-placeholder', prompt: name, size: '64x64' },
            },
          );
          ids[name] = res.body.id;
        }
        await api(server.url, 'POST', `/v1/tasks/${ids.canceled}/cancel`, { key: apiKey });
      });
      afterAll(async () => {
        await server?.close();
      });

      const list = async (query: string) => {
        const res = await api<{ data: Array<{ id: string }> }>(
          server.url,
          'GET',
          `/v1/tasks?${query}`,
          { key: apiKey },
        );
        return { status: res.status, ids: res.body.data?.map((t) => t.id).sort() };
      };

      it('filters by one status, by repeated statuses, and not at all when empty', async () => {
        expect(await list('status=submitted')).toEqual({ status: 200, ids: [ids.kept] });
        expect(await list('status=canceled')).toEqual({ status: 200, ids: [ids.canceled] });
        const both = [ids.kept, ids.canceled].sort();
        expect(await list('status=submitted&status=canceled')).toEqual({ status: 200, ids: both });
        expect(await list('status=failed&status=completed')).toEqual({ status: 200, ids: [] });
        expect(await list('status=')).toEqual({ status: 200, ids: both });
      });

      it('answers 400 when any repeated status is unknown', async () => {
        const res = await api(server.url, 'GET', '/v1/tasks?status=submitted&status=bogus', {
          key: apiKey,
        });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_value', param: 'status' });
      });
    },
  );
}
