import type { FastifyInstance } from 'fastify';
import { toCredits } from '../../credits.js';
import { EDIT_FIELDS } from '../../generation/edit-inputs.js';
import { asObject, parseImageRequest } from '../../generation/request.js';
import type { Services } from '../../services.js';
import { principalOf } from '../auth.js';
import type { KeyGuard } from '../plugins.js';

/** What imagesEstimateRoute uses of the services. */
export type ImagesEstimateDeps = Pick<Services, 'catalog' | 'generation' | 'ledger'>;

/**
 * `POST /v1/images/estimate`: what a generation or edit body would hold and charge, validated
 * exactly as the real request would be, without calling a provider or fetching an input. A
 * body with `image`, `images` or `mask` is priced as an edit.
 */
export function imagesEstimateRoute(
  app: FastifyInstance,
  services: ImagesEstimateDeps,
  guard: KeyGuard,
): void {
  app.post('/v1/images/estimate', { onRequest: guard }, async (request) => {
    const principal = principalOf(request);
    const body = asObject(request.body);
    const isEdit = EDIT_FIELDS.some((field) => body[field] !== undefined);
    const imageRequest = parseImageRequest(body, services.catalog, {
      capability: isEdit ? 'image-to-image' : 'text-to-image',
      extraFields: isEdit ? EDIT_FIELDS : ['webhook_url'],
    });
    const cost = services.generation.maxCost(imageRequest);
    const balance = await services.ledger.balance(principal.accountId);
    return {
      object: 'image.estimate',
      model: imageRequest.model.id,
      endpoint: isEdit ? 'images.edits' : 'images.generations',
      n: imageRequest.n,
      size: `${imageRequest.size.width}x${imageRequest.size.height}`,
      tier: imageRequest.size.tier,
      quality: imageRequest.quality,
      credits_per_image: toCredits(cost.perImage),
      // Held before the provider is called; only delivered images are charged.
      hold_credits: toCredits(cost.total),
      max_charge_credits: toCredits(cost.total),
      available_credits: toCredits(balance.available),
      sufficient: balance.available >= cost.total,
      available: services.catalog.isAvailable(imageRequest.model),
    };
  });
}
