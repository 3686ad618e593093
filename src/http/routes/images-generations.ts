import type { FastifyInstance } from 'fastify';
import { parseImageRequest } from '../../generation/request.js';
import type { Services } from '../../services.js';
import { principalOf } from '../auth.js';
import { fingerprint, idempotent } from '../idempotency.js';
import { answerImageRequest } from '../image-response.js';
import type { KeyGuard } from '../plugins.js';

/** What imagesGenerationsRoute uses of the services. */
export type ImagesGenerationsDeps = Pick<
  Services,
  'assets' | 'catalog' | 'generation' | 'idempotency' | 'limits' | 'moderator' | 'usage'
>;

export function imagesGenerationsRoute(
  app: FastifyInstance,
  services: ImagesGenerationsDeps,
  guard: KeyGuard,
): void {
  app.post('/v1/images/generations', { onRequest: guard }, async (request, reply) => {
    const principal = principalOf(request);
    return idempotent({
      request,
      reply,
      store: services.idempotency,
      assets: services.assets,
      accountId: principal.accountId,
      fingerprint: () => fingerprint('POST', '/v1/images/generations', request.body),
      run: async (commit) =>
        answerImageRequest({
          request,
          reply,
          services,
          principal,
          endpoint: 'images.generations',
          imageRequest: parseImageRequest(request.body, services.catalog, {
            capability: 'text-to-image',
          }),
          extra: {},
          commit,
        }),
    });
  });
}
