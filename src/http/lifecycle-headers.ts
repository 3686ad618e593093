import type { FastifyReply } from 'fastify';
import type { Catalog } from '../catalog/catalog.js';
import { lifecycleHeaders } from '../catalog/lifecycle.js';
import type { ImageRequest } from '../generation/request.js';

/**
 * Tells the client that the model it named is deprecated or shut down (`Deprecation`,
 * `Sunset`, `Link rel="successor-version"`), on every answer to the request, success or error,
 * streamed or not. Nothing for active models.
 */
export function announceLifecycle(
  reply: FastifyReply,
  request: ImageRequest,
  catalog: Catalog,
): void {
  reply.headers(lifecycleHeaders(request.requestedModel, catalog.now()));
}
