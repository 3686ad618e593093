import type { Transaction } from 'kysely';
import type { Ledger } from '../billing/ledger.js';
import type { Db } from '../db/connection.js';
import type { Database, TasksTable } from '../db/schema.js';
import { errorBody, type PixapiError } from '../errors.js';
import type { RouteInfo } from '../generation/charge.js';
import type { ImageRequest } from '../generation/request.js';
import { buildImagesResponse } from '../generation/response.js';
import type { Attempt } from '../generation/service.js';
import type { Log } from '../observability/logger.js';
import type { AssetService } from '../storage/assets.js';
import type { UsageLog } from '../usage/usage-log.js';
import type { TaskQueue, WebhookEvent } from './queue/types.js';
import type { StoredRequest } from './stored-request.js';
import { TaskStore } from './task-store.js';
import { WEBHOOK_JOB_OPTIONS } from './webhooks/schedule.js';
import { inSpan } from '../observability/tracing.js';

export interface OutcomeDeps {
  db: Db;
  ledger: Ledger;
  usage: UsageLog;
  queue: TaskQueue;
  assets: AssetService;
  log: Log;
}

/** @param request the task's request as it ran, when it got that far (its models are exact) */
function usageBase(task: TasksTable, started: number, request?: ImageRequest) {
  const { user, model } = (JSON.parse(task.request) as StoredRequest).body;
  return {
    requestId: task.request_id,
    accountId: task.account_id,
    keyId: task.key_id,
    model: request?.model.id ?? task.model,
    requestedModel: request?.requestedModel.id ?? (typeof model === 'string' ? model : task.model),
    endpoint: `async.${task.endpoint}`,
    user: typeof user === 'string' ? user : null,
    metadata: task.metadata ? (JSON.parse(task.metadata) as Record<string, string>) : null,
    latencyMs: Date.now() - started,
  };
}

async function enqueueWebhook(
  deps: OutcomeDeps,
  trx: Transaction<Database>,
  task: TasksTable,
  event: WebhookEvent,
) {
  if (!task.webhook_url) return;
  await new TaskStore(trx).setWebhookState(task.id, 'pending');
  await deps.queue.enqueue(
    trx,
    'webhook.deliver',
    { taskId: task.id, event, attempt: '1' },
    WEBHOOK_JOB_OPTIONS,
  );
}

/** The writes that end a task, from the one that must happen to the ones it can do without. */
interface OutcomeWrites {
  /** Moves the task to its final state; false when another delivery ended it first. */
  state(trx: Transaction<Database>): Promise<boolean>;
  /** Captures or releases the hold. */
  money(trx: Transaction<Database>): Promise<void>;
  /** The usage record and the webhook job. */
  records(trx: Transaction<Database>): Promise<void>;
}

/**
 * Commits a task's outcome so that the task always ends: all writes together; if that fails,
 * the state and the money without the records; if that fails too, the state alone (the hold
 * then expires unclaimed, so nothing is charged). Throws only when even the state cannot be
 * written, and then the next delivery finds the attempt cap reached (run-task.ts).
 */
async function commitOutcome(
  deps: OutcomeDeps,
  task: TasksTable,
  writes: OutcomeWrites,
): Promise<boolean> {
  const tries: Array<{ skipped: string; steps: Array<keyof OutcomeWrites> }> = [
    { skipped: 'nothing', steps: ['state', 'money', 'records'] },
    { skipped: 'the usage record and webhook', steps: ['state', 'money'] },
    { skipped: 'the usage record, webhook and hold settlement', steps: ['state'] },
  ];
  let lastError: unknown;
  for (const { skipped, steps } of tries) {
    try {
      const ended = await deps.db.kysely.transaction().execute(async (trx) => {
        if (!(await writes.state(trx))) return false;
        for (const step of steps.slice(1)) await writes[step](trx);
        return true;
      });
      if (lastError !== undefined) {
        deps.log.error(
          { err: lastError, task: task.id, hold: task.hold_id },
          `task outcome written without ${skipped}`,
        );
      }
      return ended;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * Ends a task `completed`: the capture, the final state, the usage record and the webhook job
 * commit together, guarded by the task still being `processing`, so that of two deliveries of
 * one task only one is charged. Returns false when another delivery finished it first.
 */
export async function completeTask(
  deps: OutcomeDeps,
  task: TasksTable,
  request: ImageRequest,
  attempt: Attempt,
  started: number,
): Promise<boolean> {
  const charged = attempt.delivered * task.price_per_image;
  const result = buildImagesResponse(request, attempt.data, charged, attempt.usage);
  const won = await inSpan('capture', {}, () =>
    commitOutcome(deps, task, {
      state: (trx) => new TaskStore(trx).complete(task.id, result),
      money: async (trx) => {
        if (task.hold_id && !(await deps.ledger.capture(task.hold_id, charged, trx))) {
          deps.log.error(
            { task: task.id, hold: task.hold_id },
            'task hold already settled: outputs not charged',
          );
        }
      },
      records: async (trx) => {
        await deps.usage.record(
          {
            ...usageBase(task, started, request),
            ...attempt.routing,
            status: 'succeeded',
            errorCode: null,
            images: attempt.delivered,
            credits: charged,
          },
          trx,
        );
        await enqueueWebhook(deps, trx, task, 'task.completed');
      },
    }),
  );
  // The winner removes what other deliveries of the task stored (a crashed attempt); a loser
  // removes only its own outputs.
  const cleanup = won
    ? deps.assets.deleteTaskOutputs(task.id, attempt.assetIds)
    : deps.assets.deleteMany(attempt.assetIds);
  await cleanup.catch((error: unknown) =>
    deps.log.warn({ err: error, task: task.id }, 'could not delete stale task outputs'),
  );
  return won;
}

/** Ends a task `failed` with its error: the hold released, nothing charged, the webhook queued. */
export async function failTask(
  deps: OutcomeDeps,
  task: TasksTable,
  error: PixapiError,
  routing: RouteInfo,
  started: number,
): Promise<void> {
  await commitOutcome(deps, task, {
    state: (trx) => new TaskStore(trx).fail(task.id, errorBody(error, task.request_id).error),
    money: async (trx) => {
      if (task.hold_id) await deps.ledger.release(task.hold_id, trx);
    },
    records: async (trx) => {
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
      await enqueueWebhook(deps, trx, task, 'task.failed');
    },
  });
  await deps.assets
    .deleteTaskOutputs(task.id)
    .catch((failure: unknown) =>
      deps.log.warn({ err: failure, task: task.id }, 'could not delete task outputs'),
    );
}
