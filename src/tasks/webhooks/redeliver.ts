import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { invalidRequest, notFound } from '../../errors.js';
import { conflict } from '../../people/errors.js';
import type { TaskQueue } from '../queue/types.js';
import { TaskStore } from '../task-store.js';
import { WEBHOOK_JOB_OPTIONS } from './schedule.js';

/**
 * Sends a finished task's webhook again now, as the next attempt of the same message (same
 * `webhook-id`, so receivers deduplicate), whatever the earlier attempts ended in.
 */
export async function redeliverWebhook(
  deps: { db: Db; queue: TaskQueue },
  accountId: string,
  taskId: string,
): Promise<void> {
  await deps.db.kysely.transaction().execute(async (trx) => {
    const store = new TaskStore(trx);
    const task = await store.findWebhookTarget(accountId, taskId);
    if (!task) throw notFound('task_not_found', `No task ${taskId}.`);
    if (!task.webhook_url) {
      throw invalidRequest('no_webhook', 'This task has no webhook URL.', 'id');
    }
    if (task.status !== 'completed' && task.status !== 'failed') {
      throw conflict('task_not_finished', 'Only a completed or failed task has a webhook to send.');
    }
    const last = await trx
      .selectFrom('webhook_deliveries')
      .select(sql<number | string | null>`max(attempt)`.as('attempt'))
      .where('task_id', '=', taskId)
      .executeTakeFirst();
    await store.setWebhookState(taskId, 'pending');
    await deps.queue.enqueue(
      trx,
      'webhook.deliver',
      {
        taskId,
        event: task.status === 'completed' ? 'task.completed' : 'task.failed',
        attempt: String(Number(last?.attempt ?? 0) + 1),
      },
      WEBHOOK_JOB_OPTIONS,
    );
  });
}
