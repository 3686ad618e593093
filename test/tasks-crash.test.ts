import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../src/security/api-keys.js';
import { spawnServer } from './helpers/cli.js';
import { createTestSchema, postgresAvailable, type TestSchema } from './helpers/postgres.js';
import { api, type Dialect } from './helpers/server.js';
import { eventually, type Task } from './helpers/tasks.js';

const TASKS = 20;

/** Counts each task's webhook deliveries and the webhook-ids they carried. */
async function startReceiver() {
  const ids = new Map<string, Set<string>>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const task = (JSON.parse(body) as { data: { id: string } }).data.id;
      const seen = ids.get(task) ?? new Set();
      seen.add(String(req.headers['webhook-id']));
      ids.set(task, seen);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    ids,
    close: () => new Promise((r) => server.close(r)),
  };
}

async function countTaskOutputs(dialect: Dialect, dataDir: string, schema?: TestSchema) {
  const query = 'select count(*) as n from assets where task_id is not null';
  if (dialect === 'sqlite') {
    const db = new SQLite(path.join(dataDir, 'pixapi.sqlite'), { readonly: true });
    try {
      return Number((db.prepare(query).get() as { n: number }).n);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: schema!.url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(query)).rows[0]!.n);
  } finally {
    await client.end();
  }
}

/**
 * RELIABILITY.md, "Tasks and webhooks": the real server, killed with SIGKILL while tasks run,
 * restarted on the same data. Every task must complete, each charged exactly once, no hold
 * left open, no output of a killed attempt left behind, one webhook-id per task.
 */
for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `kill -9 mid-way on ${dialect}`,
    () => {
      let dataDir: string;
      let schema: TestSchema | undefined;
      let receiver: Awaited<ReturnType<typeof startReceiver>>;

      beforeAll(async () => {
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-crash-'));
        schema = dialect === 'postgres' ? await createTestSchema() : undefined;
        receiver = await startReceiver();
      });
      afterAll(async () => {
        await receiver?.close();
        await schema?.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      });

      it(
        `finishes all ${TASKS} tasks after a restart, with the balance exactly right`,
        { timeout: 180_000 },
        async () => {
          const key = generateApiKey().plaintext;
          const env = {
            PORT: '0',
            PIXAPI_DATA_DIR: dataDir,
            PIXAPI_ADMIN_KEY: key,
            PIXAPI_LOCAL_DELAY_MS: '400',
            PIXAPI_OUTBOUND_ALLOW: new URL(receiver.url).host,
            // On PostgreSQL a dead worker's job moves on when its lease (this deadline + 15 s) ends.
            PIXAPI_SYNC_TIMEOUT_S: '3',
            ...(schema ? { DATABASE_URL: schema.url } : {}),
          };
          const first = await spawnServer(env);
          const before = (await api(first.url, 'GET', '/v1/account', { key })).body
            .balance as number;
          const ids: string[] = [];
          for (let i = 0; i < TASKS; i++) {
            const res = await api<Task>(first.url, 'POST', '/v1/async/images/generations', {
              key,
              body: {
                model: 'local-placeholder',
                prompt: `crash ${i}`,
                size: '64x64',
                webhook_url: receiver.url,
              },
            });
            expect(res.status).toBe(202);
            ids.push(res.body.id);
          }
          const doneAtKill = await eventually(async () => {
            const { body } = await api<{ data: Task[] }>(
              first.url,
              'GET',
              '/v1/tasks?status=completed&limit=100',
              { key },
            );
            return body.data.length > 0 ? body.data.length : undefined;
          });
          // Killed mid-way: some tasks done, the others queued or running.
          expect(doneAtKill).toBeLessThan(TASKS);
          first.child.kill('SIGKILL');
          await first.exited;

          const second = await spawnServer(env);
          try {
            const finished = await eventually(async () => {
              const { body } = await api<{ data: Task[] }>(
                second.url,
                'GET',
                '/v1/tasks?limit=100',
                { key },
              );
              return body.data.every((t) => t.status === 'completed') && body.data.length === TASKS
                ? body.data
                : undefined;
            }, 120_000);
            expect(finished.map((t) => t.id).sort()).toEqual([...ids].sort());
            const account = (await api(second.url, 'GET', '/v1/account', { key })).body;
            expect(account).toMatchObject({ balance: before - TASKS, held: 0 });
            const usage = await api<{ data: Array<{ status: string; endpoint: string }> }>(
              second.url,
              'GET',
              '/v1/usage?limit=100',
              { key },
            );
            expect(
              usage.body.data.filter(
                (u) => u.status === 'succeeded' && u.endpoint === 'async.images.generations',
              ),
            ).toHaveLength(TASKS);

            await eventually(async () => (receiver.ids.size === TASKS ? true : undefined), 60_000);
            for (const [task, webhookIds] of receiver.ids)
              expect([...webhookIds]).toEqual([`msg_${task}`]);
          } finally {
            second.child.kill('SIGTERM');
            await second.exited;
          }
          expect(await countTaskOutputs(dialect, dataDir, schema)).toBe(TASKS);
        },
      );
    },
  );
}
