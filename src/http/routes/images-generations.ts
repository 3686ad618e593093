import type { FastifyInstance } from 'fastify';
import { formatCredits } from '../../billing/credits.js';
import { parseImageRequest } from '../../generation/request.js';
import type { Services } from '../../services.js';
import { principalOf } from '../auth.js';
import type { KeyGuard } from '../plugins.js';

export function imagesGenerationsRoute(
  app: FastifyInstance,
  services: Services,
  guard: KeyGuard,
): void {
  app.post('/v1/images/generations', { preHandler: guard }, async (request, reply) => {
    const imageRequest = parseImageRequest(request.body, services.catalog, {
      capability: 'text-to-image',
    });
    const outcome = await services.generation.generate(
      {
        principal: principalOf(request),
        requestId: request.id,
        endpoint: 'images.generations',
        log: request.log,
      },
      imageRequest,
    );
    reply.header('x-pixapi-credits-charged', formatCredits(outcome.chargedMilli));
    reply.header('x-pixapi-credits-remaining', formatCredits(outcome.balance.available));
    return outcome.body;
  });
}
