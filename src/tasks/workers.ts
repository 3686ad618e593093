import { inJobSpan } from '../observability/tracing.js';
import type { Services } from '../services.js';
import { createTaskRunner } from './run-task.js';
import { createWebhookDeliverer } from './webhooks/deliver.js';

export interface Workers {
  stop(): Promise<void>;
}

/** Starts this process's task and webhook workers (`pixapi serve` and `pixapi worker`). */
export async function startWorkers(services: Services, concurrency = 8): Promise<Workers> {
  const runTask = createTaskRunner({
    db: services.db,
    ledger: services.ledger,
    usage: services.usage,
    queue: services.queue,
    generation: services.generation,
    catalog: services.catalog,
    assets: services.assets,
    log: services.log,
    settings: services.taskSettings,
    syncTimeoutMs: services.config.syncTimeoutMs,
  });
  const deliver = createWebhookDeliverer({
    db: services.db,
    queue: services.queue,
    outbound: services.outbound,
    log: services.log,
    retryDelaysMs: services.webhookRetryDelaysMs,
    onDelivery: (state) => services.metrics.webhookDelivered(state),
  });
  await services.queue.start(
    {
      // One trace per task, continuing the one of the request that submitted it.
      'task.run': (job, signal) =>
        inJobSpan(
          'task.run',
          job.payload,
          { 'pixapi.task_id': job.payload.taskId, 'pixapi.delivery': job.attempt },
          () => runTask(job, signal),
        ),
      'webhook.deliver': deliver,
    },
    { concurrency },
  );
  return { stop: () => services.queue.stop() };
}
