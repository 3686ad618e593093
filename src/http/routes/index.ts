import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { keyGuard } from '../plugins.js';
import { accountRoutes } from './account.js';
import { assetRoutes } from './assets.js';
import { healthRoutes } from './health.js';
import { imagesAsyncRoutes } from './images-async.js';
import { imagesEditsRoute } from './images-edits.js';
import { imagesEstimateRoute } from './images-estimate.js';
import { imagesGenerationsRoute } from './images-generations.js';
import { mcpRoute } from './mcp.js';
import { modelRoutes } from './models.js';
import { sitePageRoutes } from './site-pages.js';
import { taskRoutes } from './tasks.js';
import { usageRoutes } from './usage.js';
import { webAssetRoutes } from './web-assets.js';

export function registerRoutes(app: FastifyInstance, services: Services): void {
  const guard = keyGuard(services);
  healthRoutes(app, services);
  modelRoutes(app, services);
  assetRoutes(app, services);
  imagesGenerationsRoute(app, services, guard);
  imagesEditsRoute(app, services, guard);
  imagesEstimateRoute(app, services, guard);
  imagesAsyncRoutes(app, services, guard);
  taskRoutes(app, services, guard);
  accountRoutes(app, services, guard);
  usageRoutes(app, services, guard);
  mcpRoute(app, guard);
  sitePageRoutes(app, services);
  webAssetRoutes(app);
}
