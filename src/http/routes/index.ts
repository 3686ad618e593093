import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { keyGuard } from '../plugins.js';
import { accountRoutes } from './account.js';
import { assetRoutes } from './assets.js';
import { healthRoutes } from './health.js';
import { imagesGenerationsRoute } from './images-generations.js';
import { modelRoutes } from './models.js';
import { usageRoutes } from './usage.js';

export function registerRoutes(app: FastifyInstance, services: Services): void {
  const guard = keyGuard(services);
  healthRoutes(app, services);
  modelRoutes(app, services);
  assetRoutes(app, services);
  imagesGenerationsRoute(app, services, guard);
  accountRoutes(app, services, guard);
  usageRoutes(app, services, guard);
}
