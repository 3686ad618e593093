import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { sql, type Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import { insertRow, prepared } from '../../db/prepared.js';
import { Deadline } from '../../deadline.js';
import type { Database, QueueJobsTable } from '../../db/schema.js';
import { sortableId } from '../../ids.js';
import type { Log } from '../../observability/logger.js';
import { jobBackoffMs } from '../../backoff.js';
import {
  dispatch,
  type EnqueueOptions,
  type Job,
  type JobHandlers,
  type JobName,
  type JobPayloads,
  type TaskQueue,
} from './types.js';

const POLL_MS = 250;
/** A lease for a payload that names none usable (enqueue always names one; this guards rows). */
const DEFAULT_LEASE_MS = 30_000;

/** `claim`'s statement, prepared once (db/prepared.ts): every task's job runs it. */
const claimDue = prepared<{ now: number; owner: string; limit: number }>()((db, arg) => {
  const due = db
    .selectFrom('queue_jobs')
    .select('id')
    // `+run_at` keeps SQLite off the run_at index: through it, every claim read and sorted
    // all due jobs (the whole backlog); queue_jobs_fair yields them in claim order instead,
    // so a claim stops at the first free ones.
    .where(sql<number>`+run_at`, '<=', arg('now'))
    .where('attempts', '<', sql<number>`max_attempts`)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', arg('now'))]))
    .orderBy('priority', 'desc')
    .orderBy('run_at')
    .limit(arg('limit'));
  return db
    .updateTable('queue_jobs')
    .set({
      lease_owner: arg('owner'),
      // A lease that is not a positive number (a row written by hand) gets the default
      // instead of 0, which would hand the job to the next claim while it runs.
      lease_until: sql<number>`${arg('now')} + case when json_extract(payload, '$.__leaseMs') + 0 > 0 then json_extract(payload, '$.__leaseMs') + 0 else ${DEFAULT_LEASE_MS} end`,
      attempts: sql<number>`attempts + 1`,
    })
    .where('id', 'in', due)
    .returningAll();
});
const finishJob = prepared<{ id: string; owner: string }>()((db, arg) =>
  db.deleteFrom('queue_jobs').where('id', '=', arg('id')).where('lease_owner', '=', arg('owner')),
);

/** The lease a job's payload names, or the default when it names none that is usable. */
function leaseOf(named: unknown): number {
  const leaseMs = Number(named);
  return Number.isFinite(leaseMs) && leaseMs > 0 ? leaseMs : DEFAULT_LEASE_MS;
}

/**
 * The embedded queue: jobs are rows of `queue_jobs` in the same SQLite file as everything else,
 * claimed with a lease that a heartbeat extends while the handler runs; a job whose lease
 * expires (its worker died) is delivered again. Embedded mode is one process per data
 * directory, so at start the jobs leased by an earlier process are released at once.
 */
export class SqliteQueue implements TaskQueue {
  private readonly owner = `worker_${randomUUID()}`;
  private readonly wake = new EventEmitter();
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly log: Log,
  ) {}

  async enqueue<N extends JobName>(
    executor: Kysely<Database>,
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions,
  ): Promise<void> {
    if (!Number.isSafeInteger(options.leaseMs) || options.leaseMs <= 0) {
      throw new RangeError('a job lease must be a positive integer of milliseconds');
    }
    const now = Date.now();
    await insertRow(executor, 'queue_jobs', {
      id: sortableId('job'),
      name,
      payload: JSON.stringify({ ...payload, __leaseMs: String(options.leaseMs) }),
      run_at: options.runAt ?? now,
      attempts: 0,
      max_attempts: options.maxAttempts,
      priority: options.priority ?? 0,
      lease_owner: null,
      lease_until: null,
      last_error: null,
      created_at: now,
    });
    this.wake.emit('job');
  }

  async start(handlers: JobHandlers, options: { concurrency: number }): Promise<void> {
    await this.db.kysely
      .updateTable('queue_jobs')
      .set({ lease_owner: null, lease_until: null })
      .where('lease_owner', 'is not', null)
      .execute();
    this.loop = this.run(handlers, options.concurrency);
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error('queue stopping'));
    this.wake.emit('job');
    await this.loop;
    await Promise.allSettled([...this.running]);
  }

  private async run(handlers: JobHandlers, concurrency: number): Promise<void> {
    while (!this.stopping.signal.aborted) {
      if (this.running.size >= concurrency) {
        await Promise.race(this.running);
        continue;
      }
      const rows = await this.claim(concurrency - this.running.size).catch((error: unknown) => {
        this.log.error({ err: error }, 'queue claim failed');
        return [];
      });
      if (rows.length === 0) {
        await this.idle();
        continue;
      }
      for (const row of rows) {
        const work = this.deliver(row, handlers).finally(() => this.running.delete(work));
        this.running.add(work);
      }
    }
  }

  /** Waits for a new job or the next poll, whichever comes first. */
  private async idle(): Promise<void> {
    const poll = new Deadline(POLL_MS, [this.stopping.signal]);
    // Rejects when the poll interval is up or the queue stops; either way the wait is over.
    await once(this.wake, 'job', { signal: poll.signal }).catch(() => undefined);
    poll.end();
  }

  /**
   * Leases up to `limit` due jobs in one statement, each for its own lease (from its payload),
   * and returns them in claim order: the highest priority first, then the oldest.
   */
  private async claim(limit: number): Promise<QueueJobsTable[]> {
    const rows = await claimDue.rows(this.db.kysely, { now: Date.now(), owner: this.owner, limit });
    // RETURNING follows no order.
    return rows.sort((a, b) => b.priority - a.priority || a.run_at - b.run_at);
  }

  private async deliver(row: QueueJobsTable, handlers: JobHandlers): Promise<void> {
    // The row was written by enqueue with the payload of its job's name.
    const { __leaseMs, ...payload } = JSON.parse(row.payload) as JobPayloads[JobName] & {
      __leaseMs: string;
    };
    const leaseMs = leaseOf(__leaseMs);
    const job: Job = {
      id: row.id,
      name: row.name as JobName,
      payload,
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
    };
    const lost = new AbortController();
    const stopped = new Deadline(undefined, [lost.signal, this.stopping.signal]);
    const heartbeat = setInterval(() => {
      void this.extend(row.id, leaseMs)
        .catch((error: unknown) => {
          this.log.warn({ err: error, job: row.id }, 'lease heartbeat failed');
          return true;
        })
        .then((kept) => {
          if (!kept) lost.abort(new Error('lease lost'));
        });
    }, leaseMs / 3);
    try {
      await dispatch(handlers, job, stopped.signal);
      await this.finish(row.id);
    } catch (error) {
      this.log.warn(
        { err: error, job: job.id, name: job.name, attempt: job.attempt },
        'job failed',
      );
      await this.retryLater(row, error);
    } finally {
      clearInterval(heartbeat);
      stopped.end();
    }
  }

  private async extend(id: string, leaseMs: number): Promise<boolean> {
    const result = await this.db.kysely
      .updateTable('queue_jobs')
      .set({ lease_until: Date.now() + leaseMs })
      .where('id', '=', id)
      .where('lease_owner', '=', this.owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private async finish(id: string): Promise<void> {
    await finishJob.affected(this.db.kysely, { id, owner: this.owner });
  }

  private async retryLater(row: QueueJobsTable, error: unknown): Promise<void> {
    if (this.stopping.signal.aborted) {
      // Shutting down: hand the job back untouched for the next start.
      await this.db.kysely
        .updateTable('queue_jobs')
        .set({ lease_owner: null, lease_until: null, attempts: sql<number>`attempts - 1` })
        .where('id', '=', row.id)
        .where('lease_owner', '=', this.owner)
        .execute();
      return;
    }
    if (row.attempts >= row.max_attempts) {
      this.log.error({ job: row.id, name: row.name }, 'job dropped after its last attempt');
      await this.finish(row.id);
      return;
    }
    await this.db.kysely
      .updateTable('queue_jobs')
      .set({
        lease_owner: null,
        lease_until: null,
        run_at: Date.now() + jobBackoffMs(row.attempts),
        last_error: error instanceof Error ? error.message.slice(0, 500) : String(error),
      })
      .where('id', '=', row.id)
      .where('lease_owner', '=', this.owner)
      .execute();
  }
}
