import type { FastifyInstance } from 'fastify';
import { parseImageRequest } from '../../generation/request.js';
import { streamImages } from '../../generation/stream.js';
import type { Services } from '../../services.js';
import { principalOf } from '../auth.js';
import { imageResponse } from '../image-response.js';
import { fingerprint, idempotent } from '../idempotency.js';
import { replyWithStream } from '../image-stream.js';
import type { KeyGuard } from '../plugins.js';

export function imagesGenerationsRoute(
  app: FastifyInstance,
  services: Services,
  guard: KeyGuard,
): void {
  app.post('/v1/images/generations', { preHandler: guard }, async (request, reply) => {
    const principal = principalOf(request);
    return idempotent({
      request,
      reply,
      store: services.idempotency,
      accountId: principal.accountId,
      fingerprint: fingerprint('POST', '/v1/images/generations', request.body),
      run: async (commit) => {
        const imageRequest = parseImageRequest(request.body, services.catalog, {
          capability: 'text-to-image',
        });
        const caller = {
          principal,
          requestId: request.id,
          endpoint: 'images.generations',
          log: request.log,
        };
        if (imageRequest.stream) {
          await replyWithStream(
            request,
            reply,
            imageRequest,
            (gone) => streamImages(services.generation, caller, imageRequest, {}, gone),
            'image_generation',
          );
          // Streams are never stored: the key is released and a retry streams anew.
          return { status: 200, body: undefined, streamed: true };
        }
        const outcome = await services.generation.generate(
          caller,
          imageRequest,
          {},
          commit && ((trx, result) => commit(trx, imageResponse(result))),
        );
        return imageResponse(outcome);
      },
    });
  });
}
