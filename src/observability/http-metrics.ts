import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';

/** Counts every response by route template (never the raw URL: ids would explode the labels). */
export function registerHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.http(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
  });
}
