import type { FastifyInstance } from 'fastify';
import { readiness } from '../../observability/readiness.js';
import type { Services } from '../../services.js';
import { queueDepth } from '../../tasks/queue-depth.js';

export type HealthDeps = Pick<Services, 'db' | 'assets' | 'counters' | 'config' | 'routeBreakers'>;

export function healthRoutes(app: FastifyInstance, services: HealthDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  // 503 only when the process cannot serve (database, asset store); Redis down, a queue
  // backlog or an open breaker are reported but leave the process in rotation.
  app.get('/readyz', async (request, reply) => {
    const report = await readiness({
      pingDatabase: () => services.db.ping(),
      queueDepth: () => queueDepth(services.db),
      checkStorage: () => services.assets.check(),
      counters: services.counters,
      redisConfigured: services.config.redisUrl !== undefined,
      breakers: services.routeBreakers,
    });
    if (!report.ready) {
      request.log.warn({ checks: report.checks }, 'not ready');
      reply.status(503);
    }
    return { status: report.ready ? 'ready' : 'not_ready', checks: report.checks };
  });
}
