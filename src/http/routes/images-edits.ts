import type { FastifyInstance } from 'fastify';
import { formatCredits } from '../../billing/credits.js';
import { prepareEdit } from '../../generation/edits.js';
import { streamImages } from '../../generation/stream.js';
import type { Services } from '../../services.js';
import { principalOf } from '../auth.js';
import { fingerprint, idempotent, uploadedFiles } from '../idempotency.js';
import { replyWithStream } from '../image-stream.js';
import { readMultipartEdit } from '../multipart.js';
import type { KeyGuard } from '../plugins.js';

/** JSON edits may carry images as data URLs: a 25 MB image is about 34 MB of base64. */
export const EDIT_JSON_LIMIT = 64 * 1024 * 1024;

export function imagesEditsRoute(app: FastifyInstance, services: Services, guard: KeyGuard): void {
  app.post(
    '/v1/images/edits',
    { preHandler: guard, bodyLimit: EDIT_JSON_LIMIT },
    async (request, reply) => {
      const principal = principalOf(request);
      const upload = request.isMultipart() ? await readMultipartEdit(request) : undefined;
      const body = upload ? upload.body : request.body;
      return idempotent({
        request,
        reply,
        store: services.idempotency,
        accountId: principal.accountId,
        fingerprint: fingerprint('POST', '/v1/images/edits', body, uploadedFiles(upload?.sources)),
        run: async () => {
          const { request: imageRequest, extra } = await prepareEdit(
            body,
            upload?.sources,
            services,
            principal.accountId,
            { timeoutMs: services.config.syncTimeoutMs },
          );
          const caller = {
            principal,
            requestId: request.id,
            endpoint: 'images.edits',
            log: request.log,
          };
          if (imageRequest.stream) {
            const messages = streamImages(services.generation, caller, imageRequest, extra);
            await replyWithStream(request, reply, imageRequest, messages, 'image_edit');
            return { status: 200, body: undefined, streamed: true };
          }
          const outcome = await services.generation.generate(caller, imageRequest, extra);
          return {
            status: 200,
            body: outcome.body,
            headers: {
              'x-pixapi-credits-charged': formatCredits(outcome.chargedMilli),
              'x-pixapi-credits-remaining': formatCredits(outcome.balance.available),
            },
          };
        },
      });
    },
  );
}
