import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../src/tasks/workers.js';
import { postgresAvailable } from '../helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from '../helpers/server.js';
import { waitForTask, type Task } from '../helpers/tasks.js';

const BACKLOG = 200;
const CONCURRENCY = 4;

/**
 * Issue 8, item 9: one account's backlog must not delay another account's task. Account A
 * queues BACKLOG tasks, then B queues one; the workers start only then, so the order in which
 * tasks run is the scheduler's choice alone. Under one FIFO, B's task ran after all of A's.
 */
for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(`fair tasks on ${dialect}`, () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer({
        dialect,
        workers: false,
        // Each task takes some time, so that a backlog exists while B's task waits.
        env: { PIXAPI_LOCAL_DELAY_MS: '20' },
      });
    });
    afterAll(async () => server?.close());

    const submit = (key: string, prompt: string) =>
      api<Task>(server.url, 'POST', '/v1/async/images/generations', {
        key,
        body: { model: 'local-placeholder', prompt, size: '256x256' },
      });

    it("runs B's one task after a few of A's, not after A's whole backlog", async () => {
      const a = await server.account(10_000);
      const b = await server.account(100);
      for (let i = 0; i < BACKLOG; i += 20) {
        const batch = await Promise.all(
          Array.from({ length: 20 }, (_, j) => submit(a.apiKey, `a ${i + j}`)),
        );
        for (const res of batch) expect(res.status).toBe(202);
      }
      const submitted = await submit(b.apiKey, 'b');
      expect(submitted.status).toBe(202);

      const workers = await startWorkers(server.services, CONCURRENCY);
      try {
        const done = await waitForTask(server.url, b.apiKey, submitted.body.id, 60_000);
        expect(done.status).toBe('completed');
      } finally {
        await workers.stop();
      }

      const db = server.services.db.kysely;
      const bTask = await db
        .selectFrom('tasks')
        .select(['started_at', 'completed_at'])
        .where('account_id', '=', b.accountId)
        .executeTakeFirstOrThrow();
      const aStartedBefore = await db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('account_id', '=', a.accountId)
        .where('started_at', '<', bTask.started_at)
        .executeTakeFirstOrThrow();
      const aCompleted = await db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('account_id', '=', a.accountId)
        .where('status', '=', 'completed')
        .executeTakeFirstOrThrow();
      // B's task is taken among the first batch of claims: at most one round of A's tasks
      // (one per worker) starts before it, whatever the size of A's backlog.
      expect(Number(aStartedBefore.n)).toBeLessThanOrEqual(CONCURRENCY);
      // And when the workers stopped, most of A's backlog was still waiting.
      expect(Number(aCompleted.n)).toBeLessThan(BACKLOG / 2);
    });
  });
}
