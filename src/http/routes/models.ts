import type { FastifyInstance } from 'fastify';
import { publicModel, publicModelDetail } from '../../billing/public-model.js';
import { notFound } from '../../errors.js';
import type { Services } from '../../services.js';

/** The catalog answers without a key, so that model pages and SDK model lists just work. */
/** What modelRoutes uses of the services. */
export type ModelRouteDeps = Pick<Services, 'catalog'>;

export function modelRoutes(app: FastifyInstance, { catalog }: ModelRouteDeps): void {
  app.get('/v1/models', async () => ({
    object: 'list',
    data: catalog.list().map((m) => publicModel(m, catalog)),
  }));

  // Model ids may contain slashes (`fal-ai/...` style), hence the wildcard.
  app.get<{ Params: { '*': string } }>('/v1/models/*', async (request) => {
    const model = catalog.find(request.params['*']);
    if (!model) {
      throw notFound(
        'model_not_found',
        `The model '${request.params['*']}' does not exist.`,
        'model',
      );
    }
    return publicModelDetail(model, catalog);
  });
}
