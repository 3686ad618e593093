import { Webhook } from 'standardwebhooks';
import type { Db } from '../../db/connection.js';
import { PixapiError } from '../../errors.js';
import { sortableId } from '../../ids.js';
import type { Log } from '../../observability/logger.js';
import type { OutboundClient } from '../../security/outbound/client.js';
import type { Job, TaskQueue } from '../queue/types.js';
import { TaskStore, type WebhookState } from '../task-store.js';
import { taskView } from '../task-view.js';
import { WEBHOOK_JOB_OPTIONS, webhookDelay } from './schedule.js';

export interface WebhookDeps {
  db: Db;
  queue: TaskQueue;
  outbound: Pick<OutboundClient, 'fetch'>;
  log: Log;
  retryDelaysMs: readonly number[];
  /** Told of each attempt's outcome: delivered, disabled, failed, or pending (a retry). */
  onDelivery?: (state: string) => void;
}

const TIMEOUT_MS = 15_000;

/**
 * What a delivery's record says about a failure without an HTTP answer. Never the outbound
 * client's own message: it could tell a tenant which names resolve to private addresses.
 * A refused target is final: the same address would be refused on every retry.
 */
function describeFailure(failure: unknown): { error: string; final: boolean } {
  const code = failure instanceof PixapiError ? failure.code : undefined;
  if (code === 'image_url_rejected') {
    return { error: 'The webhook target is not an address Pixapi may call.', final: true };
  }
  if (code === 'image_url_timeout') {
    return { error: 'The webhook target did not answer in time.', final: false };
  }
  return { error: 'The webhook target could not be reached.', final: false };
}

/**
 * The `webhook.deliver` job: one signed POST per attempt (Standard Webhooks: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature` over `id.timestamp.body` with the account's secret),
 * through the guarded client, redirects not followed. The message id and body are the same on
 * every retry; only 2xx is success; 410 disables the target for this task; anything else
 * schedules the next attempt until the schedule runs out. Every attempt is recorded.
 */
export function createWebhookDeliverer(deps: WebhookDeps) {
  return async function deliver(job: Job<'webhook.deliver'>, signal: AbortSignal): Promise<void> {
    const { taskId, event } = job.payload;
    const attempt = Number(job.payload.attempt);
    const task = await new TaskStore(deps.db.kysely).findWithSecret(taskId);
    if (!task?.webhook_url || task.webhook_state !== 'pending') return;
    const alreadyDone = await deps.db.kysely
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('task_id', '=', taskId)
      .where('attempt', '=', attempt)
      .executeTakeFirst();
    // A crash after recording this attempt: the next step was scheduled with it.
    if (alreadyDone) return;

    const messageId = `msg_${taskId}`;
    const body = JSON.stringify({
      type: event,
      timestamp: new Date(task.completed_at ?? Date.now()).toISOString(),
      data: taskView(task),
    });
    const sentAt = new Date();
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    let refused = false;
    try {
      const response = await deps.outbound.fetch(task.webhook_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Pixapi-Webhooks/1',
          'webhook-id': messageId,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': new Webhook(task.webhook_secret).sign(messageId, sentAt, body),
        },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
        maxBytes: 64 * 1024,
        param: 'webhook_url',
        followRedirects: false,
      });
      status = response.status;
    } catch (failure) {
      if (signal.aborted) throw failure;
      const described = describeFailure(failure);
      error = described.error;
      refused = described.final;
    }

    const ok = status !== null && status >= 200 && status < 300;
    const delay =
      ok || refused || status === 410 ? undefined : webhookDelay(deps.retryDelaysMs, attempt);
    const state: WebhookState = ok
      ? 'delivered'
      : status === 410
        ? 'disabled'
        : delay === undefined
          ? 'failed'
          : 'pending';
    await deps.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_deliveries')
        .values({
          id: sortableId('whd'),
          task_id: taskId,
          message_id: messageId,
          attempt,
          status_code: status,
          error,
          duration_ms: Math.round(performance.now() - started),
          created_at: Date.now(),
        })
        .execute();
      await new TaskStore(trx).setWebhookState(taskId, state);
      if (delay !== undefined) {
        await deps.queue.enqueue(
          trx,
          'webhook.deliver',
          { taskId, event, attempt: String(attempt + 1) },
          { ...WEBHOOK_JOB_OPTIONS, runAt: Date.now() + delay },
        );
      }
    });
    deps.onDelivery?.(state);
    deps.log.info({ task: taskId, attempt, status, error, state }, 'webhook delivery');
  };
}
