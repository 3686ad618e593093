import type { ProviderRegistry } from '../providers/registry.js';
import type { UpstreamModel } from '../providers/types.js';
import type { Catalog } from './catalog.js';

/** What `pixapi models check` found for one route of one model. */
export interface RouteCheck {
  model: string;
  provider: string;
  upstream_model: string;
  /**
   * `ok`; `shutdown_scheduled` (listed with a shutdown date); `missing` (not in the provider's
   * list: requests would fail); `not_configured` / `unchecked` (no key, or the provider has no
   * model list); `list_failed` (the list could not be read).
   */
  status: 'ok' | 'shutdown_scheduled' | 'missing' | 'not_configured' | 'unchecked' | 'list_failed';
  shutdown_date?: string;
  /** The catalog's own shutdown date for the model, to compare with the provider's. */
  catalog_shutdown_date?: string;
  error?: string;
}

const PROBLEMS = new Set<RouteCheck['status']>(['shutdown_scheduled', 'missing', 'list_failed']);

export function isProblem(check: RouteCheck): boolean {
  return PROBLEMS.has(check.status);
}

/**
 * Compares every route that can serve requests (models shut down upstream are skipped: their
 * routes are never called) with its provider's published model list, read once per provider.
 */
export async function checkRoutes(
  catalog: Catalog,
  providers: ProviderRegistry,
  signal: AbortSignal,
): Promise<RouteCheck[]> {
  const lists = new Map<string, Promise<Map<string, UpstreamModel>>>();
  const listOf = (name: string, list: (s: AbortSignal) => Promise<UpstreamModel[]>) => {
    let listed = lists.get(name);
    if (!listed) {
      listed = list(signal).then((models) => new Map(models.map((m) => [m.id, m])));
      lists.set(name, listed);
    }
    return listed;
  };

  const checks: RouteCheck[] = [];
  for (const model of catalog.list()) {
    if (catalog.status(model) === 'retired') continue;
    for (const route of model.routes) {
      const base = {
        model: model.id,
        provider: route.provider,
        upstream_model: route.model,
        ...(model.shutdown_date ? { catalog_shutdown_date: model.shutdown_date } : {}),
      };
      const adapter = providers.get(route.provider);
      if (!adapter) {
        checks.push({ ...base, status: 'not_configured' });
        continue;
      }
      if (!adapter.listModels) {
        checks.push({ ...base, status: 'unchecked' });
        continue;
      }
      try {
        const upstream = (await listOf(route.provider, adapter.listModels.bind(adapter))).get(
          route.model,
        );
        if (!upstream) checks.push({ ...base, status: 'missing' });
        else if (upstream.shutdownDate) {
          checks.push({
            ...base,
            status: 'shutdown_scheduled',
            shutdown_date: upstream.shutdownDate,
          });
        } else checks.push({ ...base, status: 'ok' });
      } catch (error) {
        checks.push({ ...base, status: 'list_failed', error: (error as Error).message });
      }
    }
  }
  return checks;
}
