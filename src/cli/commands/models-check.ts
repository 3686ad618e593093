import { checkRoutes, isProblem } from '../../catalog/upstream-check.js';
import { withServices } from '../context.js';
import type { Output } from '../output.js';

const TIMEOUT_MS = 30_000;

/**
 * `pixapi models check`: every configured route against its provider's model list; reports
 * upstream ids that are missing or scheduled for shutdown. Problems are findings, not a failed
 * command: the exit code stays 0 and `problems` counts them.
 */
export async function modelsCheck(_options: unknown, out: Output): Promise<void> {
  await withServices(out, async ({ catalog, providers }) => {
    const routes = await checkRoutes(catalog, providers, AbortSignal.timeout(TIMEOUT_MS));
    const problems = routes.filter(isProblem);
    out.result({ routes, problems: problems.length }, [
      ...problems.map(
        (r) =>
          `${r.status.padEnd(18)} ${r.model} (${r.provider}/${r.upstream_model})` +
          (r.shutdown_date ? ` shuts down ${r.shutdown_date}` : '') +
          (r.catalog_shutdown_date && r.catalog_shutdown_date !== r.shutdown_date
            ? ` (catalog says ${r.catalog_shutdown_date})`
            : '') +
          (r.error ? `: ${r.error}` : ''),
      ),
      `${routes.filter((r) => r.status === 'ok').length} routes ok, ${problems.length} problems, ` +
        `${routes.filter((r) => r.status === 'not_configured').length} not configured, ` +
        `${routes.filter((r) => r.status === 'unchecked').length} without a model list`,
    ]);
  });
}
