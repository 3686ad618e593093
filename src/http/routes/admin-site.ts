import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { requireAdmin } from '../auth.js';
import { parsePage } from '../pagination.js';
import type { KeyGuard } from '../plugins.js';
import { parseUsageFilter, sendUsageCsv, usageView } from '../usage-query.js';

type Query = { Querystring: Record<string, unknown> };

function accountFilter(query: Record<string, unknown>): string | undefined {
  return typeof query.account_id === 'string' && query.account_id ? query.account_id : undefined;
}

/** What adminSiteRoutes uses of the services. */
export type AdminSiteDeps = Pick<
  Services,
  'catalog' | 'config' | 'mailer' | 'providers' | 'publicUrl' | 'routeBreakers' | 'usage'
>;

/** Site admins: every account's usage, the provider routes' health, the site's settings. */
export function adminSiteRoutes(
  app: FastifyInstance,
  services: AdminSiteDeps,
  guard: KeyGuard,
): void {
  app.get<Query>('/v1/admin/usage', { onRequest: guard }, async (request) => {
    requireAdmin(request);
    const { records, hasMore } = await services.usage.list(accountFilter(request.query), {
      ...parsePage(request.query),
      ...parseUsageFilter(request.query),
    });
    return {
      object: 'list',
      data: records.map((r) => usageView(r, true)),
      has_more: hasMore,
      last_id: records.at(-1)?.id ?? null,
    };
  });

  app.get<Query>('/v1/admin/usage/export.csv', { onRequest: guard }, async (request, reply) => {
    requireAdmin(request);
    return sendUsageCsv(
      reply,
      services.usage,
      { ...parseUsageFilter(request.query), accountId: accountFilter(request.query) },
      true,
    );
  });

  app.get('/v1/admin/routes', { onRequest: guard }, async (request) => {
    requireAdmin(request);
    const breakers = new Map(services.routeBreakers().map((b) => [b.route, b.state]));
    const since = Date.now() - 3_600_000;
    const health = await services.usage.routeHealth(since);
    const routes = new Map<string, { route: string; provider: string; models: string[] }>();
    for (const model of services.catalog.list()) {
      for (const route of model.routes) {
        const key = `${route.provider}/${route.model}`;
        const entry = routes.get(key) ?? { route: key, provider: route.provider, models: [] };
        entry.models.push(model.id);
        routes.set(key, entry);
      }
    }
    return {
      object: 'list',
      data: [...routes.values()].map((r) => {
        const h = health.get(r.route);
        return {
          ...r,
          object: 'provider.route',
          configured: services.providers.isConfigured(r.provider),
          breaker: breakers.get(r.route) ?? 'closed',
          last_hour: { requests: h?.requests ?? 0, failed: h?.failed ?? 0 },
        };
      }),
    };
  });

  app.get('/v1/admin/settings', { onRequest: guard }, async (request) => {
    requireAdmin(request);
    return {
      object: 'site.settings',
      signup: services.config.signup.mode,
      signup_credits: services.config.signup.credits / 1000,
      email_delivery: services.mailer.enabled,
      public_url: services.publicUrl(),
    };
  });
}
