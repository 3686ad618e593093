import type { FastifyInstance } from 'fastify';
import { prepareEdit } from '../../generation/edits.js';
import type { Services } from '../../services.js';
import { principalOf } from '../auth.js';
import { fingerprint, idempotent, uploadedFiles } from '../idempotency.js';
import { answerImageRequest } from '../image-response.js';
import { readMultipartEdit } from '../multipart.js';
import type { KeyGuard } from '../plugins.js';

/** JSON edits may carry images as data URLs: a 25 MB image is about 34 MB of base64. */
export const EDIT_JSON_LIMIT = 64 * 1024 * 1024;

/** What imagesEditsRoute uses of the services. */
export type ImagesEditsDeps = Pick<
  Services,
  | 'assets'
  | 'catalog'
  | 'config'
  | 'generation'
  | 'idempotency'
  | 'limits'
  | 'moderator'
  | 'outbound'
  | 'usage'
>;

export function imagesEditsRoute(
  app: FastifyInstance,
  services: ImagesEditsDeps,
  guard: KeyGuard,
): void {
  app.post(
    '/v1/images/edits',
    { onRequest: guard, bodyLimit: EDIT_JSON_LIMIT },
    async (request, reply) => {
      const principal = principalOf(request);
      const upload = request.isMultipart() ? await readMultipartEdit(request) : undefined;
      const body = upload ? upload.body : request.body;
      return idempotent({
        request,
        reply,
        store: services.idempotency,
        assets: services.assets,
        accountId: principal.accountId,
        fingerprint: () =>
          fingerprint('POST', '/v1/images/edits', body, uploadedFiles(upload?.sources)),
        run: async (commit) => {
          const { request: imageRequest, extra } = await prepareEdit(
            body,
            upload?.sources,
            services,
            principal.accountId,
            {
              timeoutMs: services.config.syncTimeoutMs,
              beforeInputs: (imageRequest) =>
                services.generation.assertAffordable(
                  { principal, requestId: request.id, endpoint: 'images.edits' },
                  imageRequest,
                ),
            },
          );
          return answerImageRequest({
            request,
            reply,
            services,
            principal,
            endpoint: 'images.edits',
            imageRequest,
            extra,
            commit,
          });
        },
      });
    },
  );
}
