import type { Principal } from '../accounts/accounts.js';
import type { Ledger } from '../billing/ledger.js';
import type { Db } from '../db/connection.js';
import type { Transaction } from 'kysely';
import type { Database, TasksTable, TaskStatus } from '../db/schema.js';
import { notFound, PixapiError } from '../errors.js';
import { Charge } from '../generation/charge.js';
import type { ImageRequest } from '../generation/request.js';
import type { GenerationService } from '../generation/service.js';
import { sortableId } from '../ids.js';
import type { Log } from '../observability/logger.js';
import type { UsageLog } from '../usage/usage-log.js';
import { inSpan, traceCarrier } from '../observability/tracing.js';
import type { TaskQueue } from './queue/types.js';
import type { StoredRequest } from './stored-request.js';
import { TASK_STATUSES, TaskStore } from './task-store.js';
import { taskView, type TaskView } from './task-view.js';

export interface TaskSettings {
  /** Tries of a task (counted on the task) before it fails for good. */
  maxAttempts: number;
  /** How long one attempt may run (the provider deadline plus storage). */
  attemptLeaseMs: number;
  /** A task's credits stay held at most this long (it ends long before). */
  holdTtlMs: number;
}

export interface TaskDeps {
  db: Db;
  log: Log;
  ledger: Ledger;
  usage: UsageLog;
  queue: TaskQueue;
  generation: GenerationService;
  settings: TaskSettings;
}

export interface Submission {
  principal: Principal;
  requestId: string;
  endpoint: 'images.generations' | 'images.edits';
  request: ImageRequest;
  stored: StoredRequest;
  webhookUrl: string | undefined;
}

/**
 * Deliveries of a task's job. The task counts its own tries; this only stops a job that keeps
 * killing its workers from being delivered forever (the stale-task sweep then fails the task).
 */
const JOB_DELIVERIES = 25;

function taskNotFound(id: string) {
  return notFound('task_not_found', `No task ${id}.`);
}

/** Submitting, reading and canceling tasks; workers run them (run-task.ts). */
export class TaskService {
  constructor(private readonly deps: TaskDeps) {}

  /**
   * Holds the maximum cost, stores the task and enqueues its job in one transaction, so that an
   * accepted task (202) can never be lost nor run without its credits.
   */
  /** @param onCommit runs inside the submitting transaction (the idempotency record) */
  async submit(
    submission: Submission,
    onCommit?: (trx: Transaction<Database>, task: TaskView) => Promise<void>,
  ): Promise<TaskView> {
    const { deps } = this;
    const { request, principal } = submission;
    const context = {
      principal,
      requestId: submission.requestId,
      endpoint: `async.${submission.endpoint}`,
    };
    try {
      deps.generation.deps.router.assertAvailable(request.model);
    } catch (error) {
      await Charge.recordFailure(deps, context, request, error);
      throw error;
    }
    const price = deps.generation.maxCost(request);
    const id = sortableId('task');
    const now = Date.now();
    // The worker continues the submitter's trace (observability/tracing.ts).
    const trace = traceCarrier();
    let submitted: TaskView;
    try {
      submitted = await inSpan('hold', {}, () =>
        deps.db.kysely.transaction().execute(async (trx) => {
          const holdId = sortableId('hold');
          const row: TasksTable = {
            id,
            account_id: principal.accountId,
            key_id: principal.keyId,
            model: request.model.id,
            endpoint: submission.endpoint,
            status: 'submitted',
            progress: 0,
            request: JSON.stringify(submission.stored),
            hold_id: holdId,
            price_per_image: price.perImage,
            result: null,
            error: null,
            attempts: 0,
            metadata: request.metadata ? JSON.stringify(request.metadata) : null,
            webhook_url: submission.webhookUrl ?? null,
            webhook_state: null,
            request_id: submission.requestId,
            created_at: now,
            started_at: null,
            completed_at: null,
          };
          // First: the hold locks the account's balance row until the commit, so concurrent
          // submissions of one account are ranked one after the other (each counts the open
          // tasks of those before it), which fair ordering needs.
          await deps.ledger.hold(
            {
              id: holdId,
              accountId: principal.accountId,
              amount: price.total,
              reference: id,
              ttlMs: deps.settings.holdTtlMs,
            },
            trx,
          );
          const store = new TaskStore(trx);
          const rank = await store.countOpen(principal.accountId);
          await store.insert(row);
          await deps.queue.enqueue(
            trx,
            'task.run',
            { taskId: id, ...trace },
            {
              maxAttempts: JOB_DELIVERIES,
              leaseMs: deps.settings.attemptLeaseMs,
              // Fair across accounts: the n-th open task of an account runs after the first
              // open task of every other account (round robin by rank, migration 004).
              priority: -rank,
            },
          );
          const view = taskView(row);
          await onCommit?.(trx, view);
          return view;
        }),
      );
    } catch (error) {
      if (error instanceof PixapiError) await Charge.recordFailure(deps, context, request, error);
      throw error;
    }
    // The task as stored, without reading it back: a new task has no webhook deliveries yet.
    return submitted;
  }

  /** Another account's task answers 404, as if it did not exist. */
  async get(accountId: string, id: string): Promise<TaskView> {
    const task = await new TaskStore(this.deps.db.kysely).findOwned(accountId, id);
    if (!task) throw taskNotFound(id);
    const deliveries = task.webhook_url
      ? await this.deps.db.kysely
          .selectFrom('webhook_deliveries')
          .selectAll()
          .where('task_id', '=', id)
          .orderBy('attempt')
          .execute()
      : [];
    return taskView(task, deliveries);
  }

  /** Newest first; `after` is the last id of the previous page. */
  /** @param query.statuses the states to list (any of them); none lists every task */
  async list(accountId: string, query: { statuses: unknown[]; limit: number; after?: string }) {
    const statuses = query.statuses;
    if (statuses.some((s) => !TASK_STATUSES.includes(s as TaskStatus))) {
      throw new PixapiError({
        code: 'invalid_value',
        message: `Invalid value for 'status': one of ${TASK_STATUSES.join(', ')}.`,
        param: 'status',
      });
    }
    const rows = await new TaskStore(this.deps.db.kysely).list(accountId, {
      statuses: statuses as TaskStatus[],
      limit: query.limit,
      after: query.after,
    });
    const data = rows.slice(0, query.limit).map((row) => taskView(row));
    return {
      object: 'list' as const,
      data,
      has_more: rows.length > query.limit,
      last_id: data.at(-1)?.id ?? null,
    };
  }

  /** A submitted task becomes canceled and its hold is released; later states answer 409. */
  async cancel(accountId: string, id: string): Promise<TaskView> {
    const canceled = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const task = await new TaskStore(trx).cancel(accountId, id);
      if (task?.hold_id) await this.deps.ledger.release(task.hold_id, trx);
      return task !== undefined;
    });
    const view = await this.get(accountId, id);
    if (!canceled) {
      throw new PixapiError({
        code: 'task_not_cancelable',
        message: `The task is ${view.status}: only submitted tasks can be canceled.`,
      });
    }
    return view;
  }
}
