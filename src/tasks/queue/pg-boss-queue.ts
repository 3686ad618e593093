import PgBoss from 'pg-boss';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import type { Log } from '../../observability/logger.js';
import type { EnqueueOptions, JobHandler, JobName, TaskQueue } from './types.js';

const JOB_NAMES: JobName[] = ['task.run', 'webhook.deliver'];

/**
 * The scale-out queue on pg-boss: jobs live in PostgreSQL next to the tasks, are claimed with
 * `FOR UPDATE SKIP LOCKED` by any number of worker processes, retried with backoff, and given
 * to another worker when a delivery outlives its lease (`expireInSeconds`; pg-boss 10 has no
 * heartbeat, so the lease covers the longest run: the provider deadline plus a margin).
 */
export class PgBossQueue implements TaskQueue {
  private boss: Promise<PgBoss> | undefined;
  private readonly stopping = new AbortController();

  private constructor(
    private readonly url: string,
    private readonly schema: string,
    private readonly log: Log,
  ) {}

  /** The queue's tables live in `<current schema>_queue`, beside the application's. */
  static async open(db: Db, url: string, log: Log): Promise<PgBossQueue> {
    const row = await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely);
    return new PgBossQueue(url, `${row.rows[0]!.schema}_queue`, log);
  }

  /** pg-boss starts on first use, so that one-shot commands never start its supervisor. */
  private client(): Promise<PgBoss> {
    this.boss ??= this.connect();
    return this.boss;
  }

  private async connect(): Promise<PgBoss> {
    const boss = new PgBoss({
      connectionString: this.url,
      schema: this.schema,
      max: 4,
      // Expired leases are found by maintenance: run it often so a dead worker's job moves on.
      maintenanceIntervalSeconds: 10,
      monitorStateIntervalSeconds: 30,
    });
    boss.on('error', (error) => this.log.error({ err: error }, 'pg-boss error'));
    await boss.start();
    for (const name of JOB_NAMES) {
      if (!(await boss.getQueue(name))) await boss.createQueue(name);
    }
    return boss;
  }

  async enqueue(
    executor: Kysely<Database>,
    name: JobName,
    payload: Record<string, string>,
    options: EnqueueOptions,
  ): Promise<void> {
    const boss = await this.client();
    await boss.send(name, payload, {
      // The insert runs on the caller's connection, inside its transaction.
      db: {
        executeSql: async (text: string, values: unknown[]) => {
          const result = await executor.executeQuery(CompiledQuery.raw(text, values));
          return { rows: result.rows as unknown[] };
        },
      },
      priority: options.priority ?? 0,
      startAfter: options.runAt ? new Date(options.runAt) : undefined,
      retryLimit: options.maxAttempts - 1,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: Math.ceil(options.leaseMs / 1000),
    });
  }

  async start(
    handlers: Record<JobName, JobHandler>,
    options: { concurrency: number },
  ): Promise<void> {
    const boss = await this.client();
    for (const name of JOB_NAMES) {
      for (let i = 0; i < options.concurrency; i++) {
        // The handler may run before `work` resolves with the id: it reads it when it has it.
        const worker: { id?: string } = {};
        worker.id = await boss.work<Record<string, string>>(
          name,
          { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 0.5 },
          async ([job]) => {
            if (!job) return;
            try {
              await handlers[name](
                {
                  id: job.id,
                  name,
                  payload: job.data,
                  attempt: job.retryCount + 1,
                  maxAttempts: job.retryLimit + 1,
                },
                this.stopping.signal,
              );
            } finally {
              // pg-boss 10 waits its polling interval after every fetch; a worker that just
              // found work asks again at once, so a backlog drains at full speed.
              if (worker.id && !this.stopping.signal.aborted) boss.notifyWorker(worker.id);
            }
          },
        );
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error('queue stopping'));
    const boss = await this.boss;
    await boss?.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
