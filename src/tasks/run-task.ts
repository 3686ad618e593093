import type { Kysely } from 'kysely';
import { toCredits } from '../billing/credits.js';
import type { Ledger } from '../billing/ledger.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Db } from '../db/connection.js';
import type { Database, TasksTable } from '../db/schema.js';
import type { PixapiError } from '../errors.js';
import { buildImagesResponse } from '../generation/response.js';
import { RoutedFailure, type Attempt, type GenerationService } from '../generation/service.js';
import { errorBody, toPixapiError } from '../http/error-handler.js';
import type { Log } from '../observability/logger.js';
import type { AssetService } from '../storage/assets.js';
import type { UsageLog } from '../usage/usage-log.js';
import type { Job, TaskQueue } from './queue/types.js';
import { restoreRequest, type StoredRequest } from './stored-request.js';
import type { TaskSettings } from './task-service.js';
import { WEBHOOK_JOB_OPTIONS } from './webhooks/schedule.js';

export interface RunTaskDeps {
  db: Db;
  ledger: Ledger;
  usage: UsageLog;
  queue: TaskQueue;
  generation: GenerationService;
  catalog: Catalog;
  assets: AssetService;
  log: Log;
  settings: TaskSettings;
  syncTimeoutMs: number;
}

/** Failures worth another attempt of the whole task: the provider side, not the request. */
function worthRetrying(error: PixapiError): boolean {
  return (
    error.status >= 500 &&
    error.code !== 'provider_not_configured' &&
    error.code !== 'provider_unavailable'
  );
}

/**
 * The `task.run` job. Work runs at least once, so every effect is idempotent: outputs left by a
 * crashed attempt are deleted before the next one, and the capture, the task's final state,
 * its usage record and its webhook job commit in one transaction guarded by the task's status,
 * so that a task redone after a crash is charged once.
 */
export function createTaskRunner(deps: RunTaskDeps) {
  async function load(id: string) {
    return deps.db.kysely.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  function caller(task: TasksTable) {
    return {
      principal: { accountId: task.account_id, keyId: task.key_id ?? '', isAdmin: false },
      requestId: task.request_id,
      endpoint: `async.${task.endpoint}`,
      log: deps.log,
    };
  }

  function usageBase(task: TasksTable, started: number) {
    return {
      requestId: task.request_id,
      accountId: task.account_id,
      keyId: task.key_id,
      model: task.model,
      endpoint: `async.${task.endpoint}`,
      user: null,
      metadata: task.metadata ? (JSON.parse(task.metadata) as Record<string, string>) : null,
      latencyMs: Date.now() - started,
    };
  }

  async function enqueueWebhook(trx: Kysely<Database>, task: TasksTable, event: string) {
    if (!task.webhook_url) return;
    await trx
      .updateTable('tasks')
      .set({ webhook_state: 'pending' })
      .where('id', '=', task.id)
      .execute();
    await deps.queue.enqueue(
      trx,
      'webhook.deliver',
      { taskId: task.id, event, attempt: '1' },
      WEBHOOK_JOB_OPTIONS,
    );
  }

  async function complete(task: TasksTable, attempt: Attempt, started: number): Promise<boolean> {
    const charged = attempt.delivered * task.price_per_image;
    const { request } = await restoreRequest(
      JSON.parse(task.request) as StoredRequest,
      deps.catalog,
      deps.assets,
    );
    const result = buildImagesResponse(request, attempt.data, charged, attempt.usage);
    return deps.db.kysely.transaction().execute(async (trx) => {
      const done = await trx
        .updateTable('tasks')
        .set({
          status: 'completed',
          progress: 100,
          result: JSON.stringify(result),
          completed_at: Date.now(),
        })
        .where('id', '=', task.id)
        .where('status', '=', 'processing')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) return false;
      if (task.hold_id) await deps.ledger.capture(task.hold_id, charged, trx);
      await deps.usage.record(
        {
          ...usageBase(task, started),
          ...attempt.routing,
          status: 'succeeded',
          errorCode: null,
          images: attempt.delivered,
          credits: charged,
        },
        trx,
      );
      await enqueueWebhook(trx, task, 'task.completed');
      deps.log.info({ task: task.id, credits: toCredits(charged) }, 'task completed');
      return true;
    });
  }

  async function fail(
    task: TasksTable,
    error: PixapiError,
    routing: Attempt['routing'],
    started: number,
  ) {
    await deps.db.kysely.transaction().execute(async (trx) => {
      const done = await trx
        .updateTable('tasks')
        .set({
          status: 'failed',
          error: JSON.stringify(errorBody(error, task.request_id).error),
          completed_at: Date.now(),
        })
        .where('id', '=', task.id)
        .where('status', 'in', ['submitted', 'processing'])
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) return;
      if (task.hold_id) await deps.ledger.release(task.hold_id, trx);
      await deps.usage.record(
        {
          ...usageBase(task, started),
          ...routing,
          status: 'failed',
          errorCode: error.code,
          images: 0,
          credits: 0,
        },
        trx,
      );
      await enqueueWebhook(trx, task, 'task.failed');
    });
  }

  return async function runTask(job: Job, signal: AbortSignal): Promise<void> {
    const taskId = job.payload.taskId!;
    const task = await load(taskId);
    if (!task || (task.status !== 'submitted' && task.status !== 'processing')) return;
    const started = Date.now();
    await deps.db.kysely
      .updateTable('tasks')
      .set({
        status: 'processing',
        progress: 10,
        attempts: task.attempts + 1,
        started_at: task.started_at ?? started,
      })
      .where('id', '=', taskId)
      .where('status', 'in', ['submitted', 'processing'])
      .execute();
    // Outputs stored by an attempt that crashed before committing are not kept.
    await deps.assets.deleteTaskOutputs(taskId);
    const current = { ...task, status: 'processing' as const };
    let attempt: Attempt;
    try {
      const { request, extra } = await restoreRequest(
        JSON.parse(task.request) as StoredRequest,
        deps.catalog,
        deps.assets,
      );
      attempt = await deps.generation.attempt(caller(task), request, extra, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(deps.syncTimeoutMs)]),
        taskId,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      const failure = RoutedFailure.wrap(error);
      const clientError = toPixapiError(failure.clientError);
      if (worthRetrying(clientError) && job.attempt < job.maxAttempts) {
        deps.log.warn(
          { task: taskId, attempt: job.attempt, code: clientError.code },
          'task attempt failed; retrying',
        );
        throw clientError;
      }
      await fail(current, clientError, failure.routing, started);
      return;
    }
    if (!(await complete(current, attempt, started))) {
      // Someone else finished the task meanwhile (a redelivered job): keep theirs, drop ours.
      await deps.assets.deleteMany(attempt.assetIds);
    }
  };
}
