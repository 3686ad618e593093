import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from './helpers/server.js';

/**
 * RELIABILITY.md: the balance can never be overdrawn by parallel requests, on either database.
 * Each scenario runs over real HTTP against the real server.
 */
for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `parallel spending on ${dialect}`,
    () => {
      let server: TestServer;
      beforeAll(async () => {
        server = await startTestServer({ dialect });
      });
      afterAll(async () => server?.close());

      async function scenario(credits: number, requests: number, n: number) {
        const { apiKey, accountId } = await server.account(credits);
        const answers = await Promise.all(
          Array.from({ length: requests }, (_, i) =>
            api(server.url, 'POST', '/v1/images/generations', {
              key: apiKey,
              body: { model: 'local-placeholder', prompt: `parallel ${i}`, n, size: '32x32' },
            }),
          ),
        );
        const balance = await server.services.ledger.balance(accountId);
        const usage = await server.services.usage.list(accountId, { limit: 100 });
        return { answers, balance, usage: usage.records };
      }

      it('balance 10, 40 parallel 1-credit requests: exactly 10 succeed, 30 get 402', async () => {
        const { answers, balance, usage } = await scenario(10, 40, 1);
        const statuses = answers.map((a) => a.status);
        expect(statuses.filter((s) => s === 200)).toHaveLength(10);
        expect(statuses.filter((s) => s === 402)).toHaveLength(30);
        expect(balance).toEqual({ balance: 0, held: 0, available: 0 });
        expect(usage.filter((u) => u.status === 'succeeded')).toHaveLength(10);
        expect(usage.filter((u) => u.errorCode === 'insufficient_credits')).toHaveLength(30);
      });

      it('balance 100, 50 parallel requests costing 10: exactly 10 succeed, never negative', async () => {
        const { answers, balance } = await scenario(100, 50, 10);
        expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
        expect(answers.filter((a) => a.status === 402)).toHaveLength(40);
        expect(balance).toEqual({ balance: 0, held: 0, available: 0 });
      });
    },
  );
}
