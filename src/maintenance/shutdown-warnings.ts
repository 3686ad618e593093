import type { Logger } from 'pino';
import type { Catalog } from '../catalog/catalog.js';
import { upcomingShutdowns } from '../catalog/lifecycle.js';

const DAY_MS = 86_400_000;

/**
 * Warns the operator once at start and then once a day about every model within 30 days of its
 * provider's shutdown, with what happens then (`retire` or `redirect`), so that nobody learns
 * of a shutdown from clients' errors.
 */
export function startShutdownWarnings(
  catalog: Catalog,
  log: Logger,
  intervalMs = DAY_MS,
): { stop(): void } {
  const warn = () => {
    for (const warning of upcomingShutdowns(catalog.list(), catalog.now())) {
      log.warn(
        warning,
        `model ${warning.model} shuts down on ${warning.shutdown_date} (${warning.days_left} days left)`,
      );
    }
  };
  warn();
  const timer = setInterval(warn, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
