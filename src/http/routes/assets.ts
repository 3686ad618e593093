import type { FastifyInstance } from 'fastify';
import { notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { ASSET_FILE } from '../../storage/assets.js';

const WEEK_S = 7 * 24 * 3600;

/** What assetRoutes uses of the services. */
export type AssetRouteDeps = Pick<Services, 'assets'>;

/**
 * Stored outputs, served without a key (or, with PIXAPI_ASSET_DELIVERY redirect or public, a
 * 302 to the bucket): the unguessable id in the URL is the capability, so that
 * the URLs work in <img> tags and for clients that download them.
 */
export function assetRoutes(app: FastifyInstance, services: AssetRouteDeps): void {
  app.get<{ Params: { file: string } }>('/v1/assets/:file', async (request, reply) => {
    const match = ASSET_FILE.exec(request.params.file);
    if (services.assets.deliveryMode !== 'proxy') {
      // The bytes come from the bucket: this process answers with where they are, not them.
      const found = match ? await services.assets.locate(match[1]!, match[2]!) : undefined;
      if (!found) throw notFound('not_found', 'No such asset (it may have expired).');
      reply.header(
        'cache-control',
        found.maxAgeS > 0 ? `public, max-age=${found.maxAgeS}` : 'private, no-store',
      );
      return reply.redirect(found.location, 302);
    }
    const asset = match ? await services.assets.open(match[1]!, match[2]!) : undefined;
    if (!asset) throw notFound('not_found', 'No such asset (it may have expired).');
    reply.header('etag', asset.etag);
    // Content never changes under an id, so caches may keep it, but not past its deletion.
    const remaining =
      asset.expiresAt === null ? WEEK_S : Math.floor((asset.expiresAt - Date.now()) / 1000);
    reply.header(
      'cache-control',
      `public, max-age=${Math.max(0, Math.min(WEEK_S, remaining))}, immutable`,
    );
    if (request.headers['if-none-match'] === asset.etag) {
      asset.body.destroy();
      return reply.status(304).send();
    }
    reply.header('content-type', asset.contentType);
    reply.header('content-length', asset.bytes);
    return reply.send(asset.body);
  });
}
