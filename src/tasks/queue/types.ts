import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export type JobName = 'task.run' | 'webhook.deliver';

export interface Job {
  id: string;
  name: JobName;
  payload: Record<string, string>;
  /** This delivery of the job, from 1. */
  attempt: number;
  maxAttempts: number;
}

export interface EnqueueOptions {
  /** UTC ms before which the job is not run. */
  runAt?: number;
  /** Deliveries before the job is dropped; a handler sees `attempt === maxAttempts` last. */
  maxAttempts: number;
  /** How long one delivery may run before the queue gives it to another worker. */
  leaseMs: number;
  /** Jobs of higher priority run first (default 0); due jobs of equal priority run in order. */
  priority?: number;
}

/**
 * Runs one job. Throwing asks for another delivery later (with backoff), until
 * `maxAttempts`; the handler settles the final attempt itself. `signal` aborts when the process
 * stops or the worker lost its lease.
 */
export type JobHandler = (job: Job, signal: AbortSignal) => Promise<void>;

/**
 * A durable, at-least-once job queue. Jobs are enqueued inside the caller's transaction, so a
 * task and its job commit together or not at all.
 */
export interface TaskQueue {
  enqueue(
    executor: Kysely<Database>,
    name: JobName,
    payload: Record<string, string>,
    options: EnqueueOptions,
  ): Promise<void>;
  start(handlers: Record<JobName, JobHandler>, options: { concurrency: number }): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  stop(): Promise<void>;
}
