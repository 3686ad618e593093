import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerError } from '../../src/errors.js';
import { AttemptFailure, type GenerationService } from '../../src/generation/service.js';
import { createTaskRunner } from '../../src/tasks/run-task.js';
import { postgresAvailable } from '../helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from '../helpers/server.js';

/**
 * Makes chosen writes fail at the database, after they ran and inside their transaction (so
 * the transaction rolls back, as with a real constraint or connection error). Only writes made
 * once the task's attempt has ended are counted: those of the outcome path.
 */
class FailingWrites implements KyselyPlugin {
  armed = false;
  readonly seen: string[] = [];
  private readonly kinds = new Map<string, string>();

  constructor(private readonly fails: (write: string, index: number) => boolean) {}

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    const table = /"kind":"IdentifierNode","name":"([^"]+)"/.exec(JSON.stringify(node))?.[1];
    const kind = node.kind.replace('QueryNode', '').toLowerCase();
    this.kinds.set(queryId.queryId, kind === 'select' ? 'select' : `${kind} ${table}`);
    return node;
  }

  async transformResult({
    queryId,
    result,
  }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    // Compiled raw queries (pg-boss's job insert) never pass through transformQuery.
    const write = this.kinds.get(queryId.queryId) ?? 'raw job insert';
    this.kinds.delete(queryId.queryId);
    if (!this.armed || write === 'select') return result;
    this.seen.push(write);
    if (this.fails(write, this.seen.length)) throw new Error(`injected failure of ${write}`);
    return result;
  }
}

type Outcome = 'completed' | 'failed';

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `a task's outcome under write failures on ${dialect}`,
    () => {
      let server: TestServer;
      let apiKey: string;
      beforeAll(async () => {
        server = await startTestServer({
          dialect,
          workers: false,
          // Webhooks are queued, never delivered: no worker runs here.
          env: { PIXAPI_OUTBOUND_ALLOW: '127.0.0.1:9' },
        });
        apiKey = (await server.account(10_000)).apiKey;
      });
      afterAll(async () => {
        await server?.close();
      });

      /** Submits a task and delivers its job as the queue would, until it ends or 8 times. */
      async function run(outcome: Outcome, plugin: FailingWrites) {
        const submitted = await api<{ id: string }>(
          server.url,
          'POST',
          '/v1/async/images/generations',
          {
            key: apiKey,
            body: {
              model: 'local-placeholder',
              prompt: 'a fox',
              size: '256x256',
              user: 'u1',
              webhook_url: 'http://127.0.0.1:9/hook',
            },
          },
        );
        expect(submitted.status).toBe(202);
        const { services } = server;
        let providerCalls = 0;
        const generation: GenerationService = Object.create(services.generation);
        generation.attempt = async (...args) => {
          providerCalls++;
          try {
            if (outcome === 'failed') {
              throw new AttemptFailure(providerError('upstream down'), {
                route: null,
                attempts: 1,
              });
            }
            return await services.generation.attempt(...args);
          } finally {
            plugin.armed = true;
          }
        };
        const runTask = createTaskRunner({
          db: { ...services.db, kysely: services.db.kysely.withPlugin(plugin) },
          ledger: services.ledger,
          usage: services.usage,
          queue: services.queue,
          assets: services.assets,
          catalog: services.catalog,
          log: services.log,
          settings: services.taskSettings,
          syncTimeoutMs: services.config.syncTimeoutMs,
          generation,
        });
        const id = submitted.body.id;
        for (let delivery = 1; delivery <= 8; delivery++) {
          plugin.armed = false;
          await runTask(
            {
              id: `job-${delivery}`,
              name: 'task.run',
              payload: { taskId: id },
              attempt: delivery,
              maxAttempts: 25,
            },
            new AbortController().signal,
          ).catch(() => undefined);
          const task = await services.db.kysely
            .selectFrom('tasks')
            .selectAll()
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          if (task.status !== 'submitted' && task.status !== 'processing') break;
        }
        const task = await services.db.kysely
          .selectFrom('tasks')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        const hold = await services.db.kysely
          .selectFrom('holds')
          .selectAll()
          .where('id', '=', task.hold_id!)
          .executeTakeFirstOrThrow();
        return { task, hold, providerCalls };
      }

      function expectEnded(result: Awaited<ReturnType<typeof run>>, label: string) {
        expect(['completed', 'failed'], label).toContain(result.task.status);
        expect(result.hold.status, label).not.toBe('open');
        expect(result.task.attempts, label).toBeLessThanOrEqual(3);
        expect(result.providerCalls, label).toBeLessThanOrEqual(3);
      }

      for (const outcome of ['completed', 'failed'] as const) {
        it(`ends a ${outcome} task when any one write of its outcome fails`, async () => {
          const clean = new FailingWrites(() => false);
          const baseline = await run(outcome, clean);
          expect(baseline.task.status).toBe(outcome);
          const writes = clean.seen;
          expect(writes).toEqual(
            expect.arrayContaining([`update tasks`, `update holds`, `insert usage_records`]),
          );
          for (let index = 1; index <= writes.length; index++) {
            const result = await run(outcome, new FailingWrites((_, i) => i === index));
            expectEnded(result, `${outcome}: write ${index} (${writes[index - 1]}) failed`);
          }
        });

        it(`ends a ${outcome} task when its usage record or webhook job can never be written`, async () => {
          const writes = new FailingWrites(() => false);
          await run(outcome, writes);
          const optional = [...new Set(writes.seen)].filter(
            (write) => !/tasks|holds|ledger_entries|account_balances/.test(write),
          );
          expect(optional.length).toBeGreaterThanOrEqual(2);
          for (const target of optional) {
            const result = await run(outcome, new FailingWrites((write) => write === target));
            expectEnded(result, `${outcome}: every ${target} failed`);
            expect(result.task.status).toBe(outcome);
          }
        });
      }

      it('never runs a task past its attempt cap, even when no failure can be recorded', async () => {
        // Every write after an attempt fails: no attempt can record its outcome.
        const result = await run('failed', new FailingWrites(() => true));
        expect(result.providerCalls).toBe(3);
        expect(result.task).toMatchObject({ status: 'failed', attempts: 3 });
        expect(result.hold.status).toBe('released');
      });
    },
  );
}
