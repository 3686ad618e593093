import PgBoss from 'pg-boss';
import pg from 'pg';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import type { Log } from '../../observability/logger.js';
import {
  dispatch,
  type EnqueueOptions,
  type JobHandlers,
  type JobName,
  type JobPayloads,
  type TaskQueue,
} from './types.js';

const JOB_NAMES: JobName[] = ['task.run', 'webhook.deliver'];

/** Workers are woken by NOTIFY; polling only catches what a lost notification missed. */
const POLLING_INTERVAL_S = 2;

/**
 * The scale-out queue on pg-boss: jobs live in PostgreSQL next to the tasks, are claimed with
 * `FOR UPDATE SKIP LOCKED` by any number of worker processes, retried with backoff, and given
 * to another worker when a delivery outlives its lease (`expireInSeconds`; pg-boss 10 has no
 * heartbeat, so the lease covers the longest run: the provider deadline plus a margin).
 */
export class PgBossQueue implements TaskQueue {
  private boss: Promise<PgBoss> | undefined;
  private readonly stopping = new AbortController();
  private readonly workerIds: Record<JobName, string[]> = { 'task.run': [], 'webhook.deliver': [] };
  private listener: pg.Client | undefined;
  private woken = 0;

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

  /**
   * Processes started together on a new database install pg-boss's schema and queues at once:
   * the losers of that race see a deadlock or a duplicate, and start again with a new client
   * (a pg-boss whose start failed does not start twice).
   */
  private async connect(): Promise<PgBoss> {
    for (let attempt = 1; ; attempt++) {
      const boss = new PgBoss({
        connectionString: this.url,
        schema: this.schema,
        max: 4,
        // Expired leases are found by maintenance: run it often so a dead worker's job moves on.
        maintenanceIntervalSeconds: 10,
        monitorStateIntervalSeconds: 30,
      });
      boss.on('error', (error) => this.log.error({ err: error }, 'pg-boss error'));
      try {
        await boss.start();
        for (const name of JOB_NAMES) {
          if (!(await boss.getQueue(name))) await boss.createQueue(name);
        }
        return boss;
      } catch (error) {
        await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
        const code = (error as { code?: string }).code;
        if (attempt >= 5 || !['40P01', '23505', '42P07'].includes(code ?? '')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 500));
      }
    }
  }

  async enqueue<N extends JobName>(
    executor: Kysely<Database>,
    name: N,
    payload: JobPayloads[N],
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
    // Delivered when the caller's transaction commits: idle workers fetch at once instead of
    // at their next poll.
    if (!options.runAt || options.runAt <= Date.now()) {
      await sql`select pg_notify(${this.channel}, ${name})`.execute(executor);
    }
  }

  /** One channel per queue schema, so that schemas sharing a database do not wake each other. */
  private get channel(): string {
    return this.schema;
  }

  /**
   * LISTENs on a connection of its own and wakes this process's workers of the job's name.
   * Polling stays as the fallback (a lost connection is re-opened after a second), so a missed
   * notification delays a job by one polling interval at most.
   */
  private async listen(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const client = new pg.Client({ connectionString: this.url });
    this.listener = client;
    let retried = false;
    const retry = () => {
      if (retried || this.stopping.signal.aborted) return;
      retried = true;
      void client.end().catch(() => undefined);
      setTimeout(() => void this.listen(), 1_000).unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (message) => {
      const ids = this.workerIds[message.payload as JobName];
      if (!ids?.length) return;
      // One job, one worker woken, in turn; a busy one fetches again as soon as it is done.
      const id = ids[this.woken++ % ids.length]!;
      void this.client().then((boss) => boss.notifyWorker(id));
    });
    try {
      await client.connect();
      await client.query(`listen "${this.channel}"`);
    } catch (error) {
      this.log.warn({ err: error }, 'queue notifications unavailable: workers poll');
      retry();
    }
  }

  async start(handlers: JobHandlers, options: { concurrency: number }): Promise<void> {
    const boss = await this.client();
    for (const name of JOB_NAMES) {
      for (let i = 0; i < options.concurrency; i++) {
        this.workerIds[name].push(await this.work(boss, name, handlers));
      }
    }
    await this.listen();
  }

  /** One worker of the jobs named `name`; resolves with its id. */
  private async work<N extends JobName>(
    boss: PgBoss,
    name: N,
    handlers: JobHandlers,
  ): Promise<string> {
    // The handler may run before `work` resolves with the id: it reads it when it has it.
    const worker: { id?: string } = {};
    worker.id = await boss.work<JobPayloads[N]>(
      name,
      { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: POLLING_INTERVAL_S },
      async ([job]) => {
        if (!job) return;
        try {
          await dispatch(
            handlers,
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
    return worker.id;
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error('queue stopping'));
    await this.listener?.end().catch(() => undefined);
    const boss = await this.boss;
    await boss?.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
