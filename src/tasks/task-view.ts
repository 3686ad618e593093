import type { TasksTable, WebhookDeliveriesTable } from '../db/schema.js';

const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

/**
 * A task as the API shows it, in the shape of Pixapi's hosted API (API.md), so that its
 * clients work against a self-hosted Pixapi unchanged.
 */
export function taskView(task: TasksTable, deliveries: readonly WebhookDeliveriesTable[] = []) {
  const last = deliveries.at(-1);
  return {
    id: task.id,
    object: 'image.task' as const,
    status: task.status,
    progress: task.progress,
    model: task.model,
    created_at: Math.floor(task.created_at / 1000),
    started_at: seconds(task.started_at),
    completed_at: seconds(task.completed_at),
    attempts: task.attempts,
    metadata: task.metadata ? (JSON.parse(task.metadata) as Record<string, string>) : null,
    ...(task.result ? { result: JSON.parse(task.result) as unknown } : {}),
    ...(task.error ? { error: JSON.parse(task.error) as unknown } : {}),
    ...(task.webhook_url
      ? {
          webhook: {
            url: task.webhook_url,
            state: task.webhook_state,
            attempts: deliveries.length,
            last_status: last?.status_code ?? null,
            last_error: last?.error ?? null,
            deliveries: deliveries.map((d) => ({
              attempt: d.attempt,
              status: d.status_code,
              error: d.error,
              duration_ms: d.duration_ms,
              at: Math.floor(d.created_at / 1000),
            })),
          },
        }
      : {}),
  };
}

export type TaskView = ReturnType<typeof taskView>;
