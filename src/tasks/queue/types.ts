import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** The events a task's webhook announces. */
export type WebhookEvent = 'task.completed' | 'task.failed';

/**
 * Each job's payload, by job name. On the wire (pg-boss's `data`, SQLite's `queue_jobs.payload`)
 * a payload is a JSON object of strings, so numbers travel as strings: jobs queued by an earlier
 * version read the same.
 */
export interface JobPayloads {
  /** The task to run, and the submitting request's trace context (observability/tracing.ts). */
  'task.run': { taskId: string } & Record<string, string>;
  /** One delivery attempt of a task's webhook; `attempt` counts from '1'. */
  'webhook.deliver': { taskId: string; event: WebhookEvent; attempt: string };
}

export type JobName = keyof JobPayloads;

export interface Job<N extends JobName = JobName> {
  id: string;
  name: N;
  payload: JobPayloads[N];
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
export type JobHandler<N extends JobName = JobName> = (
  job: Job<N>,
  signal: AbortSignal,
) => Promise<void>;

/** One handler per job name, each given its own payload type. */
export type JobHandlers = { [N in JobName]: JobHandler<N> };

/** Hands a job to the handler of its name. */
export function dispatch<N extends JobName>(
  handlers: JobHandlers,
  job: Job<N>,
  signal: AbortSignal,
): Promise<void> {
  const handler: JobHandler<N> = handlers[job.name];
  return handler(job, signal);
}

/**
 * A durable, at-least-once job queue. Jobs are enqueued inside the caller's transaction, so a
 * task and its job commit together or not at all.
 */
export interface TaskQueue {
  enqueue<N extends JobName>(
    executor: Kysely<Database>,
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions,
  ): Promise<void>;
  start(handlers: JobHandlers, options: { concurrency: number }): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  stop(): Promise<void>;
}
