import type { FastifyInstance } from 'fastify';
import type { KeyDeps } from '../auth.js';
import { keyGuard } from '../plugins.js';
import { accountRoutes, type AccountRouteDeps } from './account.js';
import { adminAccountRoutes, type AdminAccountDeps } from './admin-accounts.js';
import { adminSiteRoutes, type AdminSiteDeps } from './admin-site.js';
import { authRoutes, type AuthRouteDeps } from './auth.js';
import { dashboardPageRoutes } from './dashboard-pages.js';
import { adminCreditRoutes, type AdminCreditDeps } from './admin-credits.js';
import { adminLimitRoutes, type AdminLimitDeps } from './admin-limits.js';
import { adminModerationRoutes, type AdminModerationDeps } from './admin-moderation.js';
import { assetRoutes, type AssetRouteDeps } from './assets.js';
import { billingRoutes, type BillingRouteDeps } from './billing.js';
import { healthRoutes, type HealthDeps } from './health.js';
import { imagesAsyncRoutes, type ImagesAsyncDeps } from './images-async.js';
import { metricsRoute, type MetricsRouteDeps } from './metrics.js';
import { imagesEditsRoute, type ImagesEditsDeps } from './images-edits.js';
import { imagesEstimateRoute, type ImagesEstimateDeps } from './images-estimate.js';
import { imagesGenerationsRoute, type ImagesGenerationsDeps } from './images-generations.js';
import { imagesLegacyRoutes } from './images-legacy.js';
import { keyRoutes, type KeyRouteDeps } from './keys.js';
import { memberRoutes, type MemberRouteDeps } from './members.js';
import { mcpRoute } from './mcp.js';
import { modelRoutes, type ModelRouteDeps } from './models.js';
import { sitePageRoutes, type SitePageDeps } from './site-pages.js';
import { stripeWebhookRoute, type StripeWebhookDeps } from './stripe-webhook.js';
import { taskRoutes, type TaskRouteDeps } from './tasks.js';
import { usageRoutes, type UsageRouteDeps } from './usage.js';
import { webAssetRoutes } from './web-assets.js';

/** What the routes use of the services, together: each route is handed its own part. */
export type RouteDeps = KeyDeps &
  AccountRouteDeps &
  AdminAccountDeps &
  AdminCreditDeps &
  AdminLimitDeps &
  AdminModerationDeps &
  AdminSiteDeps &
  AssetRouteDeps &
  AuthRouteDeps &
  BillingRouteDeps &
  HealthDeps &
  ImagesAsyncDeps &
  ImagesEditsDeps &
  ImagesEstimateDeps &
  ImagesGenerationsDeps &
  KeyRouteDeps &
  MemberRouteDeps &
  MetricsRouteDeps &
  ModelRouteDeps &
  SitePageDeps &
  StripeWebhookDeps &
  TaskRouteDeps &
  UsageRouteDeps;

export function registerRoutes(app: FastifyInstance, services: RouteDeps): void {
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
  authRoutes(app, services);
  keyRoutes(app, services, guard);
  memberRoutes(app, services, guard);
  adminAccountRoutes(app, services, guard);
  adminSiteRoutes(app, services, guard);
  mcpRoute(app, guard);
  imagesLegacyRoutes(app);
  adminLimitRoutes(app, services, guard);
  adminModerationRoutes(app, services, guard);
  adminCreditRoutes(app, services, guard);
  billingRoutes(app, services, guard);
  stripeWebhookRoute(app, services);
  metricsRoute(app, services);
  sitePageRoutes(app, services);
  dashboardPageRoutes(app);
  webAssetRoutes(app);
}
