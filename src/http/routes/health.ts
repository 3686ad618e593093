import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { PixapiError } from '../../errors.js';
import type { Services } from '../../services.js';

export function healthRoutes(app: FastifyInstance, services: Services): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request) => {
    try {
      await sql`select 1`.execute(services.db.kysely);
      await services.assets.check();
    } catch (error) {
      request.log.warn({ err: error }, 'not ready');
      throw new PixapiError({
        status: 503,
        type: 'service_unavailable',
        code: 'not_ready',
        message: 'The database or the asset store is not reachable.',
      });
    }
    return { status: 'ready' };
  });
}
