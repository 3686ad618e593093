import type { FastifyInstance } from 'fastify';
import { toCredits } from '../../billing/credits.js';
import { invalidRequest } from '../../errors.js';
import type { Services } from '../../services.js';
import { principalOf } from '../auth.js';
import { parsePage, parseTime } from '../pagination.js';
import type { KeyGuard } from '../plugins.js';

export function usageRoutes(app: FastifyInstance, services: Services, guard: KeyGuard): void {
  app.get<{ Querystring: Record<string, unknown> }>(
    '/v1/usage',
    { onRequest: guard },
    async (request) => {
      const { accountId } = principalOf(request);
      const page = parsePage(request.query);
      const model = request.query.model;
      if (model !== undefined && typeof model !== 'string') {
        throw invalidRequest('invalid_value', "Invalid value for 'model'.", 'model');
      }
      const { records, hasMore } = await services.usage.list(accountId, {
        ...page,
        model,
        from: parseTime(request.query.from, 'from'),
        to: parseTime(request.query.to, 'to'),
      });
      return {
        object: 'list',
        data: records.map((r) => ({
          id: r.id,
          object: 'usage.record',
          request_id: r.requestId,
          key_id: r.keyId,
          model: r.model,
          requested_model: r.requestedModel,
          route: r.route,
          endpoint: r.endpoint,
          status: r.status,
          error_code: r.errorCode,
          images: r.images,
          credits: toCredits(r.credits),
          latency_ms: r.latencyMs,
          attempts: r.attempts,
          user: r.user,
          metadata: r.metadata,
          created: Math.floor(r.createdAt / 1000),
        })),
        has_more: hasMore,
        last_id: records.at(-1)?.id ?? null,
      };
    },
  );
}
