import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { redeliverWebhook } from '../../tasks/webhooks/redeliver.js';
import { principalOf } from '../auth.js';
import { fingerprint, idempotent } from '../idempotency.js';
import { parsePage } from '../pagination.js';
import type { KeyGuard } from '../plugins.js';

/** What taskRoutes uses of the services. */
export type TaskRouteDeps = Pick<Services, 'db' | 'idempotency' | 'queue' | 'tasks'>;

export function taskRoutes(app: FastifyInstance, services: TaskRouteDeps, guard: KeyGuard): void {
  app.get<{ Params: { id: string } }>('/v1/tasks/:id', { onRequest: guard }, async (request) =>
    services.tasks.get(principalOf(request).accountId, request.params.id),
  );

  app.get<{ Querystring: Record<string, unknown> }>(
    '/v1/tasks',
    { onRequest: guard },
    async (request) => {
      // `?status=a&status=b` lists tasks in either state; an empty `status=` filters nothing.
      const status = request.query.status;
      const statuses = (Array.isArray(status) ? status : [status]).filter(
        (s) => s !== undefined && s !== '',
      );
      return services.tasks.list(principalOf(request).accountId, {
        ...parsePage(request.query),
        statuses,
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/tasks/:id/cancel',
    { onRequest: guard },
    async (request, reply) => {
      const { accountId } = principalOf(request);
      return idempotent({
        request,
        reply,
        store: services.idempotency,
        accountId,
        fingerprint: () =>
          fingerprint('POST', `/v1/tasks/${request.params.id}/cancel`, request.body ?? null),
        run: async () => ({
          status: 200,
          body: await services.tasks.cancel(accountId, request.params.id),
        }),
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/tasks/:id/redeliver',
    { onRequest: guard },
    async (request, reply) => {
      const { accountId } = principalOf(request);
      await redeliverWebhook(services, accountId, request.params.id);
      return reply.code(202).send(await services.tasks.get(accountId, request.params.id));
    },
  );
}
