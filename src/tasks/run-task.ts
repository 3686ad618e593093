import type { Catalog } from '../catalog/catalog.js';
import type { RouteInfo } from '../generation/charge.js';
import { withDeadline } from '../deadline.js';
import { PixapiError, toPixapiError } from '../errors.js';
import { AttemptFailure, type GenerationService } from '../generation/service.js';
import type { Job } from './queue/types.js';
import { restoreRequest, type StoredRequest } from './stored-request.js';
import { completeTask, failTask, type OutcomeDeps } from './task-outcomes.js';
import type { TaskSettings } from './task-service.js';
import { isOpen, TaskStore } from './task-store.js';

export interface RunTaskDeps extends OutcomeDeps {
  generation: GenerationService;
  catalog: Catalog;
  settings: TaskSettings;
  syncTimeoutMs: number;
}

/**
 * Failures worth another attempt of the whole task: those the error itself calls retryable
 * (overload, internal errors). Timeouts and provider errors are not: routing already retried
 * them, and the provider may still be running (and billing) the abandoned job.
 */
function worthRetrying(error: PixapiError): boolean {
  return error.retryable && error.status >= 500;
}

function attemptsExhausted(attempts: number): PixapiError {
  return new PixapiError({
    code: 'internal_error',
    message: `The task could not be completed in ${attempts} attempts. Nothing was charged.`,
    // Unlike other internal errors: the worker has already retried, so the client should not.
    retryable: false,
  });
}

function noRoute(task: { attempts: number }): RouteInfo {
  return { route: null, attempts: task.attempts };
}

/**
 * The `task.run` job. Work runs at least once, so every effect is idempotent (task-outcomes.ts).
 * Attempts are counted on the task, not by the queue: a delivery cut short by a shutdown is
 * given back without using one, and the task decides when it has failed for good.
 */
export function createTaskRunner(deps: RunTaskDeps) {
  const store = new TaskStore(deps.db.kysely);
  return async function runTask(job: Job<'task.run'>, signal: AbortSignal): Promise<void> {
    const { taskId } = job.payload;
    const task = await store.find(taskId);
    if (!task || !isOpen(task.status)) return;
    const started = Date.now();
    if (task.attempts >= deps.settings.maxAttempts) {
      // A redelivery after attempts that could not even record their end: the provider is not
      // called again, and the task ends here.
      await failTask(deps, task, attemptsExhausted(task.attempts), noRoute(task), started);
      return;
    }
    const attempts = task.attempts + 1;
    const claimed = await store.claim(taskId, attempts, task.started_at ?? started);
    // Canceled (or finished by another delivery) since it was read: the provider is not called.
    if (!claimed) return;
    const current = { ...task, status: 'processing' as const, attempts };

    try {
      const restored = await restoreRequest(
        JSON.parse(task.request) as StoredRequest,
        deps.catalog,
        deps.assets,
      );
      const attempt = await withDeadline(deps.syncTimeoutMs, [signal], (deadline) =>
        deps.generation.attempt(
          {
            principal: {
              accountId: task.account_id,
              keyId: task.key_id,
              isAdmin: false,
              permissions: ['generate'],
              userId: null,
              suspended: false,
              role: null,
              scope: null,
            },
            requestId: task.request_id,
            endpoint: `async.${task.endpoint}`,
            log: deps.log,
          },
          restored.request,
          restored.extra,
          { signal: deadline, taskId },
        ),
      );
      await completeTask(deps, current, restored.request, attempt, started);
    } catch (error) {
      if (signal.aborted) {
        // Stopped from outside (shutdown, lost lease): this try does not count.
        await store.giveBackAttempt(taskId, task.attempts);
        throw error;
      }
      const failure = AttemptFailure.wrap(error);
      const clientError = toPixapiError(failure.clientError);
      if (worthRetrying(clientError) && attempts < deps.settings.maxAttempts) {
        deps.log.warn(
          { task: taskId, attempts, code: clientError.code },
          'task attempt failed; retrying',
        );
        throw clientError;
      }
      await failTask(deps, current, clientError, failure.routing, started);
    }
  };
}

/** A task still waiting or running after this long is failed, whatever happened to its job. */
export const TASK_MAX_AGE_MS = 24 * 3_600_000;

/**
 * The backstop that makes every task end: tasks left `submitted` or `processing` past
 * TASK_MAX_AGE_MS (a queue outage, a job dropped after crashing its workers again and again)
 * are failed and their credits released, well before their holds could expire.
 */
export async function failStaleTasks(deps: OutcomeDeps, now = Date.now()): Promise<number> {
  const stale = await new TaskStore(deps.db.kysely).listStale(now - TASK_MAX_AGE_MS, 500);
  const expired = new PixapiError({
    code: 'task_expired',
    message: 'The task could not be completed in time. Nothing was charged.',
  });
  for (const task of stale) await failTask(deps, task, expired, noRoute(task), task.created_at);
  return stale.length;
}
