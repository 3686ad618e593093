import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PixapiError } from '../../errors.js';
import type { Services } from '../../services.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** With a token, only its bearer may scrape; without one, only this machine. */
function allowed(request: FastifyRequest, token: string | undefined): boolean {
  if (token === undefined) return LOOPBACK.has(request.socket.remoteAddress ?? '');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match !== null && sameToken(match[1]!, token);
}

/** Prometheus's text format of this process's metrics. */
export function metricsRoute(app: FastifyInstance, services: Services): void {
  app.get('/metrics', async (request, reply) => {
    if (!allowed(request, services.config.metricsToken)) {
      throw new PixapiError({
        code: 'permission_denied',
        message: services.config.metricsToken
          ? 'Pass PIXAPI_METRICS_TOKEN as "Authorization: Bearer ...".'
          : 'Metrics are served to loopback clients only; set PIXAPI_METRICS_TOKEN to scrape from elsewhere.',
      });
    }
    const { registry } = services.metrics;
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
